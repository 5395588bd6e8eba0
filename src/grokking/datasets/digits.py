"""The 8x8 handwritten digits: 1,797 small images, each one labelled 0..9.

They are the test set of the UCI "Optical Recognition of Handwritten Digits"
data set (E. Alpaydin and C. Kaynak, 1998, CC BY 4.0), exactly as scikit-learn
distributes it. The file ``digits.csv.gz`` next to this module holds them: one
line per image, 64 pixels (row by row, each a count 0..16) then the label.
``tools/make_digits.py`` regenerates it; README.md here says where it is from.

Why lists of floats in 0..1? So that a learner can print one image, index one
pixel, and hand it straight to the kernels, which take plain lists. Pixels are
divided by 16 so every input is between 0 and 1, the same size as the weights'
starting values. Ask for NumPy arrays with ``as_arrays=True`` when speed matters.
"""
import os
from collections import namedtuple
from pathlib import Path

from .checked import read_checked_gzip

#: SHA-256 of the uncompressed text of digits.csv.gz (printed by tools/make_digits.py).
SHA256 = "6ebb3d2fee246a4e99363262ddf8a00a3c41bee6014c373ed9d9216ba7f651b8"
DATA_FILE = Path(__file__).with_name("digits.csv.gz")
PIXELS = 64          # 8 x 8
CLASSES = 10         # the digits 0..9
IMAGES = 1797
MAX_PIXEL = 16       # each pixel counts the "on" dots in a 4x4 block

Digits = namedtuple("Digits", ["images", "labels"])


class DigitsFileError(RuntimeError):
    """The shipped data file is missing, damaged or not the one this package was made with."""


def _parse(text):
    """Pixels (as counts 0..16) and labels from the checked CSV text."""
    counts, labels = [], []
    for line in text.splitlines():
        values = [int(v) for v in line.split(",")]
        counts.append(values[:PIXELS])
        labels.append(values[PIXELS])
    return counts, labels


def load_digits(as_arrays=False, path=None):
    """The 1,797 digits as ``(images, labels)``: read from inside the package, checked, offline.

    images: 1,797 lists of 64 floats between 0.0 and 1.0 (pixel count / 16),
            the 8x8 picture row by row (``images[n][8*row + column]``);
    labels: 1,797 ints, the digit each image shows (0..9).

    as_arrays=True gives NumPy arrays instead: images of shape (1797, 64),
    dtype float64, and labels of shape (1797,), dtype int64.
    path: read another copy of the file (for tests); by default the shipped one.

    Raises ``DigitsFileError`` if the file is missing or its checksum is wrong.
    """
    if not isinstance(as_arrays, bool):
        raise TypeError(f"load_digits: as_arrays must be True or False, got {as_arrays!r}")
    if path is not None and not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"load_digits: path must be a file name (a str or a Path), got {path!r}")
    text = read_checked_gzip(DATA_FILE if path is None else path, SHA256, DigitsFileError,
                             "load_digits", "digits", "tools/make_digits.py")
    counts, labels = _parse(text)
    images = [[c / MAX_PIXEL for c in row] for row in counts]
    if as_arrays:
        import numpy as np

        return Digits(np.array(images, dtype=np.float64), np.array(labels, dtype=np.int64))
    return Digits(images, labels)
