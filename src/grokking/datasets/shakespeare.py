"""Tiny Shakespeare: 1,115,394 characters of Shakespeare's plays, for learning to write one
character at a time.

"Tiny Shakespeare, from karpathy/char-rnn (MIT); text in the public domain": the
``data/tinyshakespeare/input.txt`` that Andrej Karpathy compiled for char-rnn, unchanged,
gzip-compressed in ``shakespeare.txt.gz`` and checked against its SHA-256 on every load
(``LICENSE-shakespeare.txt`` and README.md next to this module say where it is from). The
book's chapter 14 trains its LSTM on a text of this kind; chapter 16 trains on this one.

    >>> from grokking.datasets import load_shakespeare
    >>> text = load_shakespeare()
    >>> len(text), text[:14]
    (1115394, 'First Citizen:')
"""
from functools import lru_cache
from pathlib import Path

from .checked import read_checked_gzip

PATH = Path(__file__).with_name("shakespeare.txt.gz")
#: SHA-256 of the uncompressed text (the same as char-rnn's input.txt)
SHA256 = "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed"


class ShakespeareFileError(RuntimeError):
    """The shipped text is missing, damaged or not the one this package was made with."""


@lru_cache(maxsize=None)
def _checked_text(path):
    return read_checked_gzip(path, SHA256, ShakespeareFileError, "load_shakespeare",
                             "Tiny Shakespeare", "tools/make_shakespeare.py")


def load_shakespeare(path=None):
    """The whole text, as one string (40,000 lines, each ending in ``"\\n"``; 65 different characters).

    path: read another copy of the ``.gz`` file (for tests); by default the one inside the
    package. Raises ``ShakespeareFileError`` if the file is missing or its checksum is wrong.
    """
    return _checked_text(str(PATH if path is None else path))
