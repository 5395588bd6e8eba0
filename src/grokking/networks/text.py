"""Words as numbers: the chapters that read (14, 15, 16) turn text into indices with this.

A network cannot read "mary": it reads numbers. Each different word gets a row
number in a ``Vocabulary`` (the words sorted, so every run numbers them the
same way; the book builds its vocabulary from a Python ``set``, whose order
changes from run to run), a word becomes a one-hot vector (a 1 at its index),
and a word's neighbours within a window are its ``context``.

    >>> vocab = Vocabulary.of([["the", "cat", "sat"], ["the", "dog"]])
    >>> vocab.words, vocab.encode(["the", "cat"]), one_hot(2, len(vocab))
    (('cat', 'dog', 'sat', 'the'), [3, 0], [0.0, 0.0, 1.0, 0.0])
    >>> context([10, 11, 12, 13, 14], 2, window=2)
    [10, 11, 13, 14]
"""
from dataclasses import dataclass, field

PUNCTUATION = ".?!,"


def words_of(sentence):
    """``"Mary moved to the bathroom."`` -> ``["mary", "moved", "to", "the", "bathroom"]``:
    lower case, split at spaces, full stops and question marks left out."""
    if not isinstance(sentence, str):
        raise TypeError(f"words_of: sentence must be a str, got {type(sentence).__name__}")
    return [word.strip(PUNCTUATION) for word in sentence.lower().split() if word.strip(PUNCTUATION)]


@dataclass(frozen=True)
class Vocabulary:
    """Every different word (or character) once, sorted; a word's index is its place here."""
    words: tuple
    index: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        words = tuple(self.words)
        if list(words) != sorted(set(words)):
            raise ValueError("Vocabulary: words must be sorted and each given once "
                             "(use Vocabulary.of(sentences))")
        object.__setattr__(self, "words", words)
        object.__setattr__(self, "index", {word: i for i, word in enumerate(words)})

    @classmethod
    def of(cls, sentences):
        """The vocabulary of ``sentences``, each a list of words (or a string of characters)."""
        return cls(tuple(sorted({word for sentence in sentences for word in sentence})))

    def __len__(self):
        return len(self.words)

    def encode(self, words):
        """The index of each word, in order; a word not in the vocabulary is a clear ``KeyError``."""
        indices = []
        for word in words:
            if word not in self.index:
                raise KeyError(f"Vocabulary.encode: {word!r} is not one of the {len(self)} words")
            indices.append(self.index[word])
        return indices

    def decode(self, indices):
        """The word at each index."""
        return [self.words[i] for i in indices]


def one_hot(index, size):
    """A list of ``size`` zeros with a 1 at ``index``: one word as a vector."""
    if not 0 <= index < size:
        raise IndexError(f"one_hot: index {index} is not in 0..{size - 1}")
    vector = [0.0] * size
    vector[index] = 1.0
    return vector


def context(sentence, position, window):
    """The words around ``sentence[position]``: up to ``window`` on its left, then up to
    ``window`` on its right (the word itself left out)."""
    if not 0 <= position < len(sentence):
        raise IndexError(f"context: position {position} is not in a sentence of {len(sentence)} words")
    return list(sentence[max(0, position - window):position]) + list(
        sentence[position + 1:position + 1 + window])
