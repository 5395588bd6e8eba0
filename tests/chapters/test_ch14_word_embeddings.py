"""Chapter 14 (word embeddings): the short run on every backend (pure's shorter, against
cython's) and the whole run on cython against their golden transcripts, both trainings against
the book's NumPy code (written here), and the claims the chapter prints (places near places,
the analogy, the classifier above the baseline).

Golden transcripts, written on the cython backend:
    python -m grokking.chapters.ch14_word_embeddings --backend cython > tests/golden/ch14_word_embeddings.txt
    python -m grokking.chapters.ch14_word_embeddings --backend cython --short > tests/golden/ch14_word_embeddings_short.txt
    python -m grokking.chapters.ch14_word_embeddings --backend cython --short --trace > tests/golden/ch14_word_embeddings_trace_short.txt
"""
import re

import numpy as np
import pytest

from marks import needs_compiled
from grokking.chapters import ch14_word_embeddings as ch14
from grokking.lessons.lesson import start
from grokking.networks.text import Vocabulary
from grokking.lessons.text import babi_sentences
from transcript import assert_chapter_prints_golden, assert_pure_prints_what_cython_prints, golden

SHORT = ("--short",)
SMALLER = {"SHORT_SENTENCES": 100, "SHORT_QUESTIONS": 60}   # pure against cython: a shorter --short
WHOLE = golden("ch14_word_embeddings")


def test_a_short_run_prints_the_golden_transcript(long_run_backend, capsys):
    assert_chapter_prints_golden(ch14, long_run_backend, capsys, options=SHORT, variant="short")


@needs_compiled
def test_pure_prints_what_cython_prints(monkeypatch, capsys):
    assert_pure_prints_what_cython_prints(ch14, capsys, SHORT, monkeypatch, constants=SMALLER)


@needs_compiled
def test_the_whole_run_prints_the_golden_transcript(capsys):
    assert_chapter_prints_golden(ch14, "cython", capsys)


@needs_compiled
def test_trace_shows_the_first_blank(capsys):
    out = assert_chapter_prints_golden(ch14, "cython", capsys, trace=True, options=SHORT, variant="short")
    assert "trace: layer_2 = sigmoid(layer_1 . each sample's output row): [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]" in out


# -- the book's NumPy code, as the referee ------------------------------------------------------

def book_fill_in_the_blank(sentences_as_words, sentences_kept):
    """The book's chapter 11 "Filling in the blank" cell, on our sentences and draws: NumPy's
    RandomState(1) shuffles and draws, and the right-hand window has 2 words (see the chapter)."""
    vocab = Vocabulary.of(sentences_as_words)
    word2index = vocab.index
    rng = np.random.RandomState(1)
    order = rng.permutation(len(sentences_as_words))
    input_dataset = [[word2index[w] for w in sentences_as_words[i]] for i in order][:sentences_kept]
    concatenated = np.array([i for sent in input_dataset for i in sent])
    alpha, iterations = (0.05, 2)
    hidden_size, window, negative = (50, 2, 5)
    weights_0_1 = (rng.rand(len(vocab), hidden_size) - 0.5) * 0.2
    weights_1_2 = rng.rand(len(vocab), hidden_size) * 0
    layer_2_target = np.zeros(negative + 1)
    layer_2_target[0] = 1

    def sigmoid(x):
        return 1 / (1 + np.exp(-x))

    for review in input_dataset * iterations:
        for target_i in range(len(review)):
            target_samples = [review[target_i]] + list(concatenated[(rng.rand(negative) * len(
                concatenated)).astype('int').tolist()])
            left_context = review[max(0, target_i - window):target_i]
            right_context = review[target_i + 1:min(len(review), target_i + window + 1)]
            layer_1 = np.mean(weights_0_1[left_context + right_context], axis=0)
            layer_2 = sigmoid(layer_1.dot(weights_1_2[target_samples].T))
            layer_2_delta = layer_2 - layer_2_target
            layer_1_delta = layer_2_delta.dot(weights_1_2[target_samples])
            weights_0_1[left_context + right_context] -= layer_1_delta * alpha
            weights_1_2[target_samples] -= np.outer(layer_2_delta, layer_1) * alpha
    return weights_0_1, weights_1_2


def book_classifier(vocab, train, test, passes):
    """The book's review network (chapter 11, "Predicting movie reviews"), on our bags of words."""
    np.random.seed(1)

    def sigmoid(x):
        return 1 / (1 + np.exp(-x))

    alpha, hidden_size = 0.01, 100
    weights_0_1 = 0.2 * np.random.random((len(vocab), hidden_size)) - 0.1
    weights_1_2 = 0.2 * np.random.random((hidden_size, 1)) - 0.1
    correct, total, running, alone = 0, 0, [], []   # the book counts from the first pass on
    for _ in range(passes):
        correct_before = correct
        for x, y in train:
            layer_1 = sigmoid(np.sum(weights_0_1[x], axis=0))
            layer_2 = sigmoid(np.dot(layer_1, weights_1_2))
            layer_2_delta = layer_2 - y
            layer_1_delta = layer_2_delta.dot(weights_1_2.T)
            weights_0_1[x] -= layer_1_delta * alpha
            weights_1_2 -= np.outer(layer_1, layer_2_delta) * alpha
            correct += int(np.abs(layer_2_delta[0]) < 0.5)
            total += 1
        running.append(correct / total)
        alone.append((correct - correct_before) / len(train))
    right = 0
    for x, y in test:
        layer_2 = sigmoid(np.dot(sigmoid(np.sum(weights_0_1[x], axis=0)), weights_1_2))
        right += np.abs(layer_2 - y) < 0.5
    return weights_0_1, weights_1_2, right.item() / len(test), running, alone


KEPT = 100      # sentences for the comparison with the book's code (NumPy's calls are slow on 50 numbers)


@pytest.fixture(scope="module")
def book_short_embeddings():
    sentences = [s for task in ch14.EMBEDDING_TASKS for s in babi_sentences(task, "train")]
    return book_fill_in_the_blank(sentences, KEPT)


def test_filling_in_the_blank_is_the_books_code(backend_name, book_short_embeddings, capsys):
    lesson = start(ch14.__doc__, ["--backend", backend_name])
    vocab, sentences, rng = ch14.corpus(kept=KEPT)
    ours = ch14.learn_embeddings(lesson, vocab, sentences, rng)
    weights_0_1, weights_1_2 = book_short_embeddings
    assert np.abs(np.array(ours.weights_0_1) - weights_0_1).max() < 1e-9
    assert np.abs(np.array(ours.weights_1_2) - weights_1_2).max() < 1e-9
    assert np.abs(weights_0_1).max() > 0.15         # it moved: the start is within 0.1


def test_the_classifier_is_the_books_code(backend_name, capsys):
    lesson = start(ch14.__doc__, ["--backend", backend_name])
    vocab, train, test, _ = ch14.yes_no_data(short=True)
    passes = 2
    ours = ch14.train_classifier(lesson, vocab, train, test, passes=passes)
    weights_0_1, weights_1_2, accuracy, running, alone = book_classifier(vocab, train, test, passes)
    assert np.abs(np.array(ours.weights_0_1) - weights_0_1).max() < 1e-9
    assert np.abs(np.array(ours.weights_1_2) - weights_1_2[:, 0]).max() < 1e-9
    assert ours.test_accuracy[-1] == accuracy
    assert ours.train_accuracy == running and ours.pass_accuracy == alone
    assert running[0] == alone[0] and running[1] == pytest.approx((alone[0] + alone[1]) / 2, abs=1e-15)


def test_the_training_accuracy_says_what_it_counts():
    for n in range(1, 6):
        assert re.search(rf"pass {n}: training accuracy [\d.]+ \(since pass 1: the book's\), "
                         rf"[\d.]+ \(this pass\)   test accuracy [\d.]+$", WHOLE, re.M)
    assert "The book counts them since pass 1 (a running total)" in WHOLE


# -- what the whole run claims -------------------------------------------------------------------

def nearest(word):
    line = re.search(rf"similar\('{word}' *\): (.*)$", WHOLE, re.M).group(1)
    return [pair.split()[0] for pair in line.split(", ")]


def test_places_are_near_places_and_people_near_people():
    places = {"bathroom", "bedroom", "garden", "hallway", "kitchen", "office"}
    assert set(nearest("kitchen")) <= places
    assert set(nearest("mary")[:3]) == {"daniel", "john", "sandra"}
    assert set(nearest("moved")[:2]) == {"journeyed", "travelled"}
    assert set(nearest("gertrude")[:3]) == {"emily", "jessica", "winona"}
    assert set(nearest("mice")[:3]) == {"cats", "sheep", "wolves"}


def test_the_analogies_land_on_plurals_and_back_on_singulars():
    def answers(question):
        line = re.search(rf"{re.escape(question)} is nearest to: (.*)$", WHOLE, re.M).group(1)
        return [pair.split()[0] for pair in line.split(", ")]
    assert set(answers("mice - mouse + cat")) == {"cats", "sheep", "wolves"}
    assert set(answers("cat - cats + mice")[:2]) == {"mouse", "wolf"}


def test_the_classifier_beats_always_answering_yes():
    test_accuracy = float(re.search(r"the network gets ([\d.]+)\.", WHOLE).group(1))
    baseline = float(re.search(r"gets ([\d.]+) of the test questions right", WHOLE).group(1))
    assert baseline == pytest.approx(497 / 1000)
    assert test_accuracy >= baseline + 0.4


def test_the_whole_run_reads_every_sentence():
    assert "4,000 sentences of bAbI tasks 1 and 15 (19,390 words), 33 different words" in WHOLE
    assert "38,780 blanks filled in." in WHOLE          # 2 passes over 19,390 words


def test_the_books_right_hand_context_is_one_word_ours_two():
    review, target_i, window = [10, 11, 12, 13, 14], 2, 2
    assert review[target_i + 1:min(len(review), target_i + window)] == [13]      # the book's slice
    assert ch14.context(review, target_i, window) == [10, 11, 13, 14]


def test_an_embedding_layer_is_a_one_hot_vector_times_a_matrix(k, capsys):
    ch14.words_as_numbers(k)
    out = capsys.readouterr().out
    product = re.search(r"one-hot sentence x matrix: +(\[.*\])", out).group(1)
    rows = re.search(r"rows of the, cat and sat added: +(\[.*\])", out).group(1)
    assert product == rows
    assert "Sent Encoding: [1, 0, 1, 1]" in out


@needs_compiled
def test_plot_draws_the_word_vectors(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    ch14.main(["--backend", "cython", "--short", "--plot", str(tmp_path)])
    assert (tmp_path / "ch14_word_vectors.png").stat().st_size > 1000
