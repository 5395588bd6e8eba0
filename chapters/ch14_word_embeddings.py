"""Word embeddings: networks that learn what words mean from the words around them

The book's chapter 11 ("Neural networks that understand language"), on bAbI's
English stories instead of IMDB reviews (which cannot ship here; bAbI, by
Facebook, CC BY 3.0, is the data the book itself reads in chapters 12 and 13):

1. words as numbers: a sentence as the sum of one-hot vectors, and an embedding
   layer, which is that vector times a matrix: the sum of the rows it picks;
2. filling in the blank: learn a 50-number vector per word by predicting each
   word from the two words on either side of it, against 5 random other words
   (negative sampling), alpha 0.05, as the book does;
3. ``similar(word)``: the nearest words by Euclidean distance (places near
   places, people near people), and one analogy this data can support;
4. the book's review classifier (an embedding layer, a sigmoid, one output) on
   bAbI's yes/no questions (task 6), its test accuracy beside always answering
   the commoner answer.

Everything is computed with the kernels of the chosen backend, one word at a
time, as the book does with NumPy.

    python chapters/ch14_word_embeddings.py --backend pure|cython|numpy [--trace] [--plot DIR] [--short]

The whole run takes about 2 s on cython, 5 s on numpy and 20 s on pure
(processor time, measured on a busy machine; progress on standard error).
``--short`` (or ``GROKKING_SHORT=1``) reads a tenth of the sentences and a
quarter of the questions, for a quick look.
"""
# %%
import importlib.util
import sys

if importlib.util.find_spec("grokking") is None:  # a checkout without `pip install .`
    print("grokking is not installed: run `python3 -m venv .venv && .venv/bin/pip install .`"
          " in the project folder, then run the chapter with .venv/bin/python", file=sys.stderr)
    raise SystemExit(2)

import math
from dataclasses import dataclass

import numpy as np

from grokking.lessons.lesson import Options
from grokking.networks.text import Vocabulary, context, one_hot
from grokking.lessons.text import babi_questions, babi_sentences, backend_form, rows, start_text

# What --trace and --plot DIR do in this chapter (`python -m grokking chapters` lists it).
OPTIONS = Options(trace="the first fill-in-the-blank step: the blank, its context, the words "
                        "drawn, every layer and delta",
                  plot="the learned vectors of 18 words in 5 groups, flattened to 2-D")

# The book's numbers (chapter 11, "Filling in the blank")
ALPHA, PASSES = 0.05, 2
HIDDEN, WINDOW, NEGATIVE = 50, 2, 5
SEED = 1
EMBEDDING_TASKS = (1, 15)        # people and places; animals, singular and plural
SHORT_SENTENCES = 400            # --short: the first 400 sentences of the shuffled corpus


# %% [markdown]
# ## 1. Words as numbers
# The book's smallest example: four words, each a one-hot vector; "the cat
# sat" is their sum. Multiply that by a matrix with one row per word and you
# get the sum of the rows of "the", "cat" and "sat": that is all an embedding
# layer is, so it never multiplies by the zeros, it just adds the rows up.

# %%
def words_as_numbers(k):
    vocab = Vocabulary.of([["cat", "the", "dog", "sat"]])
    print("Vocabulary (sorted):", list(vocab.words))
    sentence = ["the", "cat", "sat"]
    x = one_hot(vocab.index[sentence[0]], len(vocab))
    for word in sentence[1:]:
        x = k.vec_add(x, one_hot(vocab.index[word], len(vocab)))
    print("Sent Encoding:", [int(v) for v in x], " (the book: [1 1 0 1], in its own word order)")
    weights = np.random.RandomState(SEED).rand(len(vocab), 3).round(2).tolist()
    print("A 4 x 3 embedding matrix, one row per word:")
    for word, row in zip(vocab.words, weights):
        print(f"  {word:4s} {row}")
    by_product = k.vect_mat_mul(x, k.transpose(weights))
    by_rows = weights[vocab.index["the"]]
    for word in sentence[1:]:
        by_rows = k.vec_add(by_rows, weights[vocab.index[word]])
    print("one-hot sentence x matrix:      ", [round(float(v), 2) for v in by_product])
    print("rows of the, cat and sat added: ", [round(float(v), 2) for v in by_rows])


# %% [markdown]
# ## 2. Filling in the blank
# For each word of each sentence (the *blank*), the network averages the
# vectors of up to two words on each side (``layer_1``), then scores the
# blank and 5 words drawn at random from the whole text (``layer_2``, one
# sigmoid each): it should say 1 for the blank and 0 for the others. Words that
# fill the same blanks end up with similar vectors.
#
# Where we depart from the book: its right-hand context is
# ``review[target_i+1:min(len(review), target_i+window)]``, which is one word,
# not two; here both sides get ``window`` words. The book shuffles the reviews
# with Python's ``random``; here NumPy's ``RandomState(1)`` shuffles and draws
# the negative samples, so every backend sees the same draws.

# %%
@dataclass
class Embeddings:
    """What filling in the blank learned: one row of ``weights_0_1`` per word (its vector)."""
    vocab: Vocabulary
    weights_0_1: list
    weights_1_2: list
    blanks: int              # how many words were predicted


def corpus(short=False, kept=None):
    """The sentences of the chosen bAbI tasks, as index lists, in a fixed shuffled order;
    the first ``kept`` of them (``SHORT_SENTENCES`` if ``short``), or all."""
    sentences = [s for task in EMBEDDING_TASKS for s in babi_sentences(task, "train")]
    vocab = Vocabulary.of(sentences)
    rng = np.random.RandomState(SEED)
    order = rng.permutation(len(sentences))
    shuffled = [vocab.encode(sentences[i]) for i in order]
    kept = kept or (SHORT_SENTENCES if short else len(shuffled))
    return vocab, shuffled[:kept], rng


def fill_in_the_blank(k, sentence, target_i, concatenated, weights_0_1, weights_1_2, rng,
                      trace=None):
    """One blank: predict ``sentence[target_i]`` from its context; update both weight matrices."""
    draws = rng.rand(NEGATIVE) * len(concatenated)
    target_samples = [sentence[target_i]] + [concatenated[int(d)] for d in draws]
    layer_2_target = [1.0] + [0.0] * NEGATIVE
    left_and_right = context(sentence, target_i, WINDOW)

    layer_1 = weights_0_1[left_and_right[0]]
    for index in left_and_right[1:]:
        layer_1 = k.vec_add(layer_1, weights_0_1[index])
    layer_1 = k.ele_mul(1.0 / len(left_and_right), layer_1)            # the mean
    sample_rows = rows(weights_1_2, target_samples)
    layer_2 = k.sigmoid(k.vect_mat_mul(layer_1, sample_rows))
    layer_2_delta = k.vec_sub(layer_2, layer_2_target)
    layer_1_delta = k.vect_mat_mul(layer_2_delta, k.transpose(sample_rows))

    for index in dict.fromkeys(left_and_right):     # each context word once, as NumPy's
        weights_0_1[index] = k.vec_sub(weights_0_1[index], k.ele_mul(ALPHA, layer_1_delta))
    new_rows = k.vec_sub(sample_rows, k.ele_mul(ALPHA, k.outer_prod(layer_2_delta, layer_1)))
    for index, row in zip(target_samples, new_rows):  # a word drawn twice: the last row stays
        weights_1_2[index] = row
    if trace is not None:
        trace(target_samples, left_and_right, layer_1, layer_2, layer_2_delta, layer_1_delta)


def learn_embeddings(lesson, vocab, sentences, rng, passes=PASSES):
    """The book's fill-in-the-blank training: ``passes`` times over every word of ``sentences``."""
    k = lesson.k
    weights_0_1 = backend_form(k, (rng.rand(len(vocab), HIDDEN) - 0.5) * 0.2)
    weights_1_2 = backend_form(k, rng.rand(len(vocab), HIDDEN) * 0)   # the book's zeros (after a draw)
    concatenated = [i for sentence in sentences for i in sentence]
    blanks = 0
    for pass_number in range(passes):
        for n, sentence in enumerate(sentences):
            for target_i in range(len(sentence)):
                trace = show_step(vocab, sentence, target_i) if lesson.trace and blanks == 0 else None
                fill_in_the_blank(k, sentence, target_i, concatenated, weights_0_1, weights_1_2,
                                  rng, trace)
                blanks += 1
            if n % 200 == 0:
                lesson.progress(f"filling in the blank: pass {pass_number + 1} of {passes}, "
                                f"sentence {n:,} of {len(sentences):,}")
    lesson.done_progress()
    return Embeddings(vocab, [list(map(float, row)) for row in weights_0_1],
                      [list(map(float, row)) for row in weights_1_2], blanks)


def show_step(vocab, sentence, target_i):
    """--trace: what one blank computes."""
    def trace(target_samples, left_and_right, layer_1, layer_2, layer_2_delta, layer_1_delta):
        words = vocab.decode(sentence)
        print(f"  trace: sentence {' '.join(words)!r}, blank {target_i}: {words[target_i]!r}")
        print("  trace: context (up to 2 left, 2 right):", vocab.decode(left_and_right))
        print("  trace: the blank, then 5 words drawn from the text:", vocab.decode(target_samples))
        print("  trace: layer_1 = mean of the context vectors; first 5:", _rounded(layer_1[:5]))
        print("  trace: layer_2 = sigmoid(layer_1 . each sample's output row):", _rounded(layer_2))
        print("         (every output row starts at 0, so every score starts at sigmoid(0) = 0.5)")
        print("  trace: layer_2_delta = layer_2 - [1, 0, 0, 0, 0, 0]:", _rounded(layer_2_delta))
        print("  trace: layer_1_delta = layer_2_delta . the sample rows; first 5:",
              _rounded(layer_1_delta[:5]))
    return trace


def _rounded(values, digits=8):
    return [round(float(v), digits) + 0.0 for v in values]


# %% [markdown]
# ## 3. Which words are alike?
# ``similar(word)`` is the book's: the Euclidean distance from the word's vector
# to every other word's, nearest first. The analogy: take the vectors of
# "mice" minus "mouse" plus "cat" (each scaled to length 1 first) and look for
# the nearest words that are not one of the three. bAbI has no kings and
# queens; it has animals in the singular ("Gertrude is a mouse") and in the
# plural ("Mice are afraid of wolves"). That difference the vectors learn: the
# answers are the plurals, and going back ("cat" - "cats" + "mice") the
# singulars. Which plural comes first is close to a toss-up, because in bAbI a
# cat, a mouse and a wolf fill exactly the same blanks.

# %%
def distance(k, a, b):
    difference = k.vec_sub(a, b)
    return math.sqrt(k.w_sum(difference, difference))


def similar(k, embeddings, target, count=5):
    """The book's ``similar``: ``count`` nearest words to ``target`` (itself first), with distances."""
    rows, vocab = embeddings.weights_0_1, embeddings.vocab
    target_row = rows[vocab.index[target]]
    scores = [(distance(k, rows[i], target_row), word) for i, word in enumerate(vocab.words)]
    return [(word, d) for d, word in sorted(scores)[:count]]


def analogy(k, embeddings, positive, negative, count=3):
    """The nearest words to sum(positive) - sum(negative), each vector scaled to length 1 first
    (the words asked about left out)."""
    vocab = embeddings.vocab
    normed = [k.ele_mul(1.0 / math.sqrt(k.w_sum(row, row)), row) for row in embeddings.weights_0_1]
    query = [0.0] * HIDDEN
    for word in positive:
        query = k.vec_add(query, normed[vocab.index[word]])
    for word in negative:
        query = k.vec_sub(query, normed[vocab.index[word]])
    scores = [(distance(k, normed[i], query), word) for i, word in enumerate(vocab.words)
              if word not in positive + negative]
    return [(word, d) for d, word in sorted(scores)[:count]]


SIMILAR = ("kitchen", "mary", "moved", "gertrude", "mice")
ANALOGIES = ((["mice", "cat"], ["mouse"]), (["cat", "mice"], ["cats"]))


def show_similar(k, embeddings):
    for word in SIMILAR:
        nearest = ", ".join(f"{w} {d:.6f}" for w, d in similar(k, embeddings, word)[1:])
        print(f"  similar({word!r:10s}): {nearest}")


# %% [markdown]
# ## 4. An embedding layer in a classifier
# The book's review network: the input is the set of words of one example, its
# ``layer_1`` is the sigmoid of the sum of their rows of ``weights_0_1`` (an
# embedding layer, 100 numbers), and one sigmoid output says positive or
# negative. bAbI has no reviews; its task 6 asks yes/no questions ("Is Daniel in
# the bedroom?") about a story, and names the sentence that holds the answer
# ("Daniel went to the bedroom."). The network reads that sentence and the
# question as one bag of words (no order), hidden 100, alpha 0.01, the book's
# initial weights. The book makes 2 passes over 24,000 reviews; bAbI has 1,000
# training questions, so we make 5 passes. Like the book, it sends layer_2's
# error back without the slope of layer_1's sigmoid. A bag of words cannot tell
# "Is Daniel in the bedroom?" from "Is the bedroom in Daniel?", but it can see
# whether the sentence and the question name one place or two.

# %%
CLASSIFIER_TASK, CLASSIFIER_HIDDEN, CLASSIFIER_ALPHA, CLASSIFIER_PASSES = 6, 100, 0.01, 5
SHORT_QUESTIONS = 250            # --short: the first 250 training and test questions


@dataclass
class Classifier:
    vocab: Vocabulary
    weights_0_1: list
    weights_1_2: list
    train_accuracy: list     # after each pass, as the book prints it: a running count since pass 1
    pass_accuracy: list      # each pass's own training answers (given before their updates)
    test_accuracy: list      # after each pass
    baseline: float          # always answering the commoner answer of the training set
    baseline_answer: str


def bag_of_words(vocab, question, support):
    """The set of word indices of the supporting sentences and the question, sorted."""
    return sorted(set(vocab.encode([w for sentence in support for w in sentence] + question)))


def yes_no_data(short=False):
    train = babi_questions(CLASSIFIER_TASK, "train")
    test = babi_questions(CLASSIFIER_TASK, "test")
    if short:
        train, test = train[:SHORT_QUESTIONS], test[:SHORT_QUESTIONS]
    vocab = Vocabulary.of([q + [w for s in support for w in s] for q, support, _ in train + test])

    def encoded(questions):
        return [(bag_of_words(vocab, q, support), 1.0 if answer == "yes" else 0.0)
                for q, support, answer in questions]
    return vocab, encoded(train), encoded(test), train


def classify(k, weights_0_1, weights_1_2, x):
    """``(layer_1, layer_2)``: the sigmoid of the summed rows, then the sigmoid output."""
    total = weights_0_1[x[0]]
    for index in x[1:]:
        total = k.vec_add(total, weights_0_1[index])
    layer_1 = k.sigmoid(total)
    layer_2 = k.sigmoid(k.w_sum(layer_1, weights_1_2))
    return layer_1, layer_2


def train_classifier(lesson, vocab, train, test, passes=CLASSIFIER_PASSES):
    k = lesson.k
    rng = np.random.RandomState(SEED)
    weights_0_1 = backend_form(k, 0.2 * rng.rand(len(vocab), CLASSIFIER_HIDDEN) - 0.1)
    weights_1_2 = backend_form(k, (0.2 * rng.rand(CLASSIFIER_HIDDEN, 1) - 0.1)[:, 0])
    correct = total = 0
    train_accuracy, pass_accuracy, test_accuracy = [], [], []
    for pass_number in range(passes):
        correct_before = correct
        for i, (x, y) in enumerate(train):
            layer_1, layer_2 = classify(k, weights_0_1, weights_1_2, x)
            layer_2_delta = layer_2 - y
            layer_1_delta = k.ele_mul(layer_2_delta, weights_1_2)
            for index in x:
                weights_0_1[index] = k.vec_sub(weights_0_1[index], k.ele_mul(CLASSIFIER_ALPHA, layer_1_delta))
            weights_1_2 = k.vec_sub(weights_1_2, k.ele_mul(CLASSIFIER_ALPHA, k.ele_mul(layer_2_delta, layer_1)))
            correct += abs(layer_2_delta) < 0.5
            total += 1
            if i % 100 == 0:
                lesson.progress(f"classifier: pass {pass_number + 1}, question {i:,} of {len(train):,}")
        train_accuracy.append(correct / total)
        pass_accuracy.append((correct - correct_before) / len(train))
        right = sum(abs(classify(k, weights_0_1, weights_1_2, x)[1] - y) < 0.5 for x, y in test)
        test_accuracy.append(right / len(test))
    lesson.done_progress()
    yes = sum(1 for _, y in train if y == 1.0)
    answer, commoner = ("yes", 1.0) if yes * 2 > len(train) else ("no", 0.0)
    baseline = sum(y == commoner for _, y in test) / len(test)
    return Classifier(vocab, [list(map(float, r)) for r in weights_0_1], list(map(float, weights_1_2)),
                      train_accuracy, pass_accuracy, test_accuracy, baseline, answer)


# %%
PICTURED = (("bathroom", "bedroom", "garden", "hallway", "kitchen", "office"),
            ("daniel", "john", "mary", "sandra"), ("emily", "gertrude", "jessica", "winona"),
            ("cat", "mouse"), ("cats", "mice"))


def draw_vectors(embeddings):
    """The 50-number vectors of a few words, flattened to 2-D (their two main directions);
    each group of words is labelled once, beside its points (they lie close together)."""
    vocab = embeddings.vocab
    words = [w for group in PICTURED for w in group]
    rows = np.array([embeddings.weights_0_1[vocab.index[w]] for w in words])
    centred = rows - rows.mean(axis=0)
    _, _, directions = np.linalg.svd(centred, full_matrices=False)
    flat = dict(zip(words, centred @ directions[:2].T))

    def draw(plt):
        for group in PICTURED:
            points = np.array([flat[w] for w in group])
            plt.scatter(points[:, 0], points[:, 1], s=14)
            x, y = points.mean(axis=0)
            plt.annotate(",\n".join(group), (x, y), textcoords="offset points", xytext=(8, -4),
                         fontsize=8, va="top")
        plt.xlabel(f"first main direction of the {len(words)} vectors")
        plt.ylabel("second main direction")
        plt.title("Word vectors learned by filling in the blank (bAbI tasks 1 and 15)")
        plt.margins(0.25)
    return draw


# %%
def main(argv=None):
    lesson, short = start_text(__doc__, argv, OPTIONS)
    k = lesson.k

    print("1. Words as numbers")
    words_as_numbers(k)

    vocab, sentences, rng = corpus(short)
    words = sum(len(s) for s in sentences)
    print(f"\n2. Filling in the blank: {len(sentences):,} sentences of bAbI tasks "
          f"{' and '.join(map(str, EMBEDDING_TASKS))} ({words:,} words), {len(vocab)} different words")
    print(f"   window {WINDOW}, {NEGATIVE} negative samples, hidden {HIDDEN}, alpha {ALPHA}, "
          f"{PASSES} passes")
    embeddings = learn_embeddings(lesson, vocab, sentences, rng)
    print(f"   {embeddings.blanks:,} blanks filled in.")

    print("\n3. Which words are alike? The 4 nearest words (Euclidean distance):")
    show_similar(k, embeddings)
    for positive, negative in ANALOGIES:
        answers = analogy(k, embeddings, positive, negative)
        print(f"   {positive[0]} - {negative[0]} + {positive[1]} is nearest to: "
              + ", ".join(f"{w} {d:.6f}" for w, d in answers))

    print(f"\n4. An embedding layer in a classifier: bAbI task {CLASSIFIER_TASK}, yes/no questions")
    text_vocab, train, test, raw = yes_no_data(short)
    question, support, answer = raw[0]
    print(f"   e.g. {' '.join(support[0])!r} + {' '.join(question)!r} -> {answer}")
    print(f"   {len(train):,} training and {len(test):,} test questions, {len(text_vocab)} words, "
          f"hidden {CLASSIFIER_HIDDEN}, alpha {CLASSIFIER_ALPHA}, {CLASSIFIER_PASSES} passes")
    classifier = train_classifier(lesson, text_vocab, train, test)
    print("   Training accuracy: the training questions answered right while learning, each answer"
          " given\n   before the update it causes. The book counts them since pass 1 (a running"
          " total), so early\n   mistakes still weigh on it at pass 5; this pass's own count says how"
          " the network does now.\n   Test accuracy: the test questions, asked after the pass.")
    for n, (running, alone, test_accuracy) in enumerate(
            zip(classifier.train_accuracy, classifier.pass_accuracy, classifier.test_accuracy), 1):
        print(f"   pass {n}: training accuracy {running:.4f} (since pass 1: the book's), "
              f"{alone:.4f} (this pass)   test accuracy {test_accuracy:.4f}")
    print(f"   Always answering {classifier.baseline_answer!r} (the commoner training answer) gets "
          f"{classifier.baseline:.4f} of the test questions right;\n   the network gets "
          f"{classifier.test_accuracy[-1]:.4f}.")

    lesson.plot("ch14_word_vectors.png", draw_vectors(embeddings))
    lesson.finish()


# %%
if __name__ == "__main__":
    main()
