"""grokking.networks.text (words as numbers) and grokking.lessons.text (bAbI sentences, --short)."""
import pytest

from grokking.lessons.lesson import Options
from grokking.networks.text import Vocabulary, context, one_hot, words_of
from grokking.lessons.text import babi_questions, babi_sentences, start_text


def test_words_of_lowers_and_drops_punctuation():
    assert words_of("Mary moved to the bathroom.") == ["mary", "moved", "to", "the", "bathroom"]
    assert words_of("Where is Mary? ") == ["where", "is", "mary"]
    with pytest.raises(TypeError, match="sentence must be a str, got list"):
        words_of(["mary"])


def test_the_vocabulary_is_sorted_whatever_the_order_of_the_text():
    one = Vocabulary.of([["the", "cat", "sat"], ["the", "dog"]])
    other = Vocabulary.of([["dog", "the"], ["sat", "cat", "the"]])
    assert one == other and one.words == ("cat", "dog", "sat", "the")
    assert one.encode(["the", "cat"]) == [3, 0] and one.decode([3, 0]) == ["the", "cat"]
    assert len(one) == 4
    assert Vocabulary.of(["hello"]).words == ("e", "h", "l", "o")      # characters too


def test_vocabulary_errors_say_what_is_wrong():
    with pytest.raises(KeyError, match="'bird' is not one of the 4 words"):
        Vocabulary.of([["the", "cat", "sat", "dog"]]).encode(["bird"])
    with pytest.raises(ValueError, match="must be sorted and each given once"):
        Vocabulary(("the", "cat"))


def test_one_hot_and_its_errors():
    assert one_hot(2, 4) == [0.0, 0.0, 1.0, 0.0]
    with pytest.raises(IndexError, match="index 4 is not in 0..3"):
        one_hot(4, 4)


def test_context_takes_up_to_window_words_on_each_side():
    sentence = [10, 11, 12, 13, 14]
    assert context(sentence, 2, 2) == [10, 11, 13, 14]
    assert context(sentence, 0, 2) == [11, 12]
    assert context(sentence, 4, 2) == [12, 13]
    assert context(sentence, 1, 1) == [10, 12]
    with pytest.raises(IndexError, match="position 5 is not in a sentence of 5 words"):
        context(sentence, 5, 2)


def test_babi_sentences_and_questions():
    sentences = babi_sentences(1, "train")
    assert len(sentences) == 2000 and sentences[0] == ["mary", "moved", "to", "the", "bathroom"]
    questions = babi_questions(6, "test")
    assert len(questions) == 1000
    question, support, answer = babi_questions(1, "train")[0]
    assert (question, support, answer) == (["where", "is", "mary"],
                                           [["mary", "moved", "to", "the", "bathroom"]], "bathroom")


def test_short_comes_from_the_option_or_the_environment(monkeypatch):
    options = Options(no_trace="x", no_plot="y")
    assert start_text("T", ["--backend", "pure"], options)[1] is False
    assert start_text("T", ["--backend", "pure", "--short"], options)[1] is True
    monkeypatch.setenv("GROKKING_SHORT", "1")
    assert start_text("T", ["--backend", "pure"], options)[1] is True
    monkeypatch.setenv("GROKKING_SHORT", "yes")
    with pytest.raises(SystemExit, match="GROKKING_SHORT must be 0 or 1, got 'yes'"):
        start_text("T", ["--backend", "pure"], options)
