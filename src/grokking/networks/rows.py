"""Helpers for whole batches that are not kernels: plain Python on lists, NumPy on arrays.

The kernels work on vectors and matrices of numbers; a batch of images is a
matrix too, and a few things a network needs have no kernel: argmax, softmax,
one-hot targets, reshaping a matrix into one long vector and back. They are
written here once, in plain Python for lists (the pure backend) and with NumPy
for arrays (cython and numpy), for every network and the framework to share.
Imports nothing of ours but the size of the digits' answer (``CLASSES``).
"""
import math

import numpy as np

from ..datasets.digits import CLASSES   # 10 digits: the length of a one-hot target

# Reshaping: the vector kernels do the arithmetic of whole matrices.
# The kernels work on vectors; a batch is a matrix. These helpers only reshape
# (flatten a matrix into one long vector and back) so that the vector kernels do
# the arithmetic. argmax, softmax, one-hot targets and random numbers have no
# kernel: they are written here in plain Python (lists) or NumPy (arrays).

def is_array(m):
    return isinstance(m, np.ndarray)


def shape(m):
    if is_array(m):
        return m.shape
    return (len(m), len(m[0]) if m else 0)


def flat(m):
    """A matrix as one long vector, row after row (a view, for arrays)."""
    if is_array(m):
        return m.reshape(-1)
    return [x for row in m for x in row]


def unflat(v, rows, columns):
    """A long vector cut back into ``rows`` rows of ``columns`` numbers."""
    if is_array(v):
        return v.reshape(rows, columns)
    return [v[r * columns:(r + 1) * columns] for r in range(rows)]


def each(kernel, *matrices):
    """Apply a vector kernel (``k.vec_add``, ``k.relu``, ...) to whole matrices of one shape."""
    rows, columns = shape(matrices[0])
    return unflat(kernel(*[flat(m) for m in matrices]), rows, columns)


def filled(rows, columns, value, like_arrays):
    """A matrix of one value (``ones`` to add a bias to every row, zeros to start momentum)."""
    if like_arrays:
        return np.full((rows, columns), float(value))
    return [[float(value)] * columns for _ in range(rows)]


def argmax_rows(m):
    """The position of the largest number in each row (the first one, on a tie)."""
    if is_array(m):
        return np.argmax(m, axis=1).tolist()
    return [max(range(len(row)), key=row.__getitem__) for row in m]


def add_up(numbers):
    """The numbers added one by one, in order, from 0.0: as the compiled loops add them.

    Never the built-in ``sum()``: from Python 3.12 on it adds floats with a
    compensation term (more exact, other bits), so the pure backend would stop
    giving the compiled twin's bits on some Pythons and not on others.
    """
    total = 0.0
    for x in numbers:
        total += x
    return total


def softmax_rows(m):
    """Each row turned into probabilities: ``e^x / sum(e^x)`` (shifted by the row's max, so no overflow)."""
    if is_array(m):
        e = np.exp(m - m.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    result = []
    for row in m:
        top = max(row)
        e = [math.exp(x - top) for x in row]
        total = add_up(e)
        result.append([x / total for x in e])
    return result


def one_hot(labels, like_arrays):
    """Targets: for label 3, the row [0, 0, 0, 1, 0, 0, 0, 0, 0, 0]."""
    rows = [[1.0 if c == label else 0.0 for c in range(CLASSES)] for label in labels]
    return np.array(rows, dtype=np.float64).reshape(len(rows), CLASSES) if like_arrays else rows


def as_matrix(images, like_arrays):
    if like_arrays:
        return np.array(images, dtype=np.float64)
    return np.asarray(images, dtype=np.float64).tolist()


def take_rows(m, positions):
    if is_array(m):
        return m[positions]
    return [m[p] for p in positions]
