"""What the kernels cannot do: pick rows by index, softmax, the log of cross-entropy.

The kernels multiply and add; they have no logarithm, no exponential of a
whole row, and no "take rows 3, 1 and 3". These few helpers are written here
twice, as ``grokking.networks.digits`` writes its softmax (which ``softmax`` here
calls): in plain Python for lists (the pure backend) and with NumPy for arrays
(cython and numpy), never a loop over the numbers of an array in Python.
"""
import math

import numpy as np

from ..networks.rows import add_up, softmax_rows


def take(data, indices):
    """The rows (of a matrix) or the numbers (of a vector) at ``indices``, in that order."""
    if isinstance(data, np.ndarray):
        return data[np.asarray(indices, dtype=np.intp)]
    return [list(data[i]) if isinstance(data[i], list) else data[i] for i in indices]


def add_at(shape, indices, grad, k_zeros):
    """Send ``grad`` back to where ``take`` got it: row ``i`` of grad adds into row ``indices[i]``.

    ``k_zeros`` is a zero-filled vector or matrix of ``shape`` (the gradient
    of the tensor the rows were taken from); it is filled in and returned.
    A row taken twice gets both gradients added, as the book's loop does.
    """
    if isinstance(k_zeros, np.ndarray):
        np.add.at(k_zeros, np.asarray(indices, dtype=np.intp), grad)
        return k_zeros
    for position, index in enumerate(indices):
        if len(shape) == 2:
            row = k_zeros[index]
            for j, g in enumerate(grad[position]):
                row[j] += g
        else:
            k_zeros[index] += grad[position]
    return k_zeros


def softmax(data):
    """Each row turned into probabilities ``e^x / sum(e^x)`` (a vector is one row).

    The digit networks' ``softmax_rows`` does it (each row shifted first by
    its largest number, so ``e^x`` cannot overflow); a vector goes in as a
    matrix of one row and comes out as a vector.
    """
    if isinstance(data, np.ndarray):
        return softmax_rows(data) if data.ndim == 2 else softmax_rows(data[np.newaxis])[0]
    if data and isinstance(data[0], list):
        return softmax_rows(data)
    return softmax_rows([data])[0]


def one_hot(targets, classes, like):
    """``target_dist``: one row per target, 1.0 in the target's column, 0.0 elsewhere."""
    if isinstance(like, np.ndarray):
        return np.eye(classes)[np.asarray(targets, dtype=np.intp)]
    return [[1.0 if column == target else 0.0 for column in range(classes)] for target in targets]


def mean_log_loss(scores, targets):
    """Cross-entropy: the mean over the rows of ``-log(softmax(row)[target])``.

    Written as ``log(sum(e^(x - top))) - (x[target] - top)``, the same number
    without taking the log of a probability that rounded to 0: scores of
    [1000, 0] and target 1 give 1000, not inf.
    """
    if isinstance(scores, np.ndarray):
        shifted = scores - scores.max(axis=1, keepdims=True)
        picked = shifted[np.arange(len(targets)), np.asarray(targets, dtype=np.intp)]
        return float((np.log(np.exp(shifted).sum(axis=1)) - picked).mean())
    total = 0.0
    for row, target in zip(scores, targets):
        top = max(row)
        total += math.log(add_up(math.exp(x - top) for x in row)) - (row[target] - top)
    return total / len(targets)
