"""Cut a data set in two, the same way every time: examples to learn from, examples to test on.

A network is judged on images it never trained on. ``split`` shuffles the
positions with NumPy's seeded legacy generator (``RandomState(seed)``), so the
same seed always gives the same two halves, on every machine and backend.
"""
import numbers

import numpy as np


def _length(x, name):
    try:
        return len(x)
    except TypeError:
        raise TypeError(f"split: {name} must be a list or an array, got {type(x).__name__}") from None


def _take(items, positions, name):
    """``items`` at ``positions``, as the same kind of thing (an array stays an array)."""
    if isinstance(items, np.ndarray):
        return items[positions]
    if isinstance(items, memoryview):  # a buffer (maybe 2-D): read it as the array it is
        return np.asarray(items)[positions]
    try:
        return [items[p] for p in positions]
    except (TypeError, LookupError, NotImplementedError):  # a set, a dict, ...: no positions
        raise TypeError(f"split: {name} must be a list or an array, "
                        f"got {type(items).__name__}") from None


def split(images, labels, test_fraction=0.2, seed=0):
    """``(train_images, train_labels, test_images, test_labels)``, shuffled by ``seed``.

    test_fraction: the share of examples kept for testing, strictly between 0 and 1
                   (rounded to a whole number of examples; each side gets at least one);
    seed: a whole number; the same seed always gives the same split.
    Lists in give lists out; arrays in give arrays out. Nothing passed in is changed.
    """
    n = _length(images, "images")
    n_labels = _length(labels, "labels")
    if n != n_labels:
        raise ValueError(f"split: images and labels must have the same length, "
                         f"got {n} images and {n_labels} labels")
    if isinstance(test_fraction, bool) or not isinstance(test_fraction, numbers.Real):
        raise TypeError(f"split: test_fraction must be a number between 0 and 1, "
                        f"got {test_fraction!r}")
    if not 0 < test_fraction < 1:
        raise ValueError(f"split: test_fraction must be strictly between 0 and 1, "
                         f"got {test_fraction!r}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"split: seed must be a whole number (int), got {seed!r}")
    if not 0 <= seed < 2**32:
        raise ValueError(f"split: seed must be between 0 and 2**32 - 1, got {seed}")
    n_test = int(round(n * test_fraction))
    if n_test < 1 or n_test > n - 1:
        raise ValueError(f"split: test_fraction {test_fraction} of {n} examples leaves "
                         f"{n_test} for testing and {n - n_test} for training; both need at least one")
    order = np.random.RandomState(int(seed)).permutation(n).tolist()
    test, train = order[:n_test], order[n_test:]
    return (_take(images, train, "images"), _take(labels, train, "labels"),
            _take(images, test, "images"), _take(labels, test, "labels"))
