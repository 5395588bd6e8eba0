"""Train the blog's network: sigmoid layers, full batch, plain gradient descent.

    result = grokking.train(X, y, hidden=4, alpha=1.0, iterations=60000, seed=1)
    result.errors    # mean absolute error at iterations 0, 10000, 20000, ...
    result.weights   # the weight matrices, input side first, as lists of lists

``hidden=0`` is the 2-layer network of "11 lines" part 1; ``hidden=4`` is the
3-layer network of part 2. The initial weights are the sources' numbers
(``np.random.seed(seed)``, then ``2*np.random.random(shape) - 1`` for each
matrix, input side first), drawn from a ``np.random.RandomState(seed)`` of
their own, so every backend starts from the same numbers and NumPy's global
random state is left alone.

This module checks the arguments and draws the weights; the loops themselves
are in ``grokking.networks.loops`` (one per backend). Each iteration is the blog's, line
for line::

    layer_1 = sigmoid(X . synapse_0)            # forward, one layer at a time
    layer_2 = sigmoid(layer_1 . synapse_1)
    layer_2_error = y - layer_2                 # how much did we miss?
    layer_2_delta = layer_2_error * sigmoid2deriv(layer_2)
    layer_1_error = layer_2_delta . synapse_1.T # backpropagate, before updating
    layer_1_delta = layer_1_error * sigmoid2deriv(layer_1)
    synapse_1 += alpha * layer_1.T . layer_2_delta
    synapse_0 += alpha * X.T . layer_1_delta
"""
import math
import warnings
from collections.abc import Mapping, Set
from dataclasses import dataclass
from numbers import Integral

import numpy as np

from . import loops
from ..kernels.backend import backend as choose_backend
from ..kernels import inputs


@dataclass(repr=False)
class Training:
    """What a training run leaves behind."""

    weights: list        # list of matrices (lists of rows), input side first
    errors: list         # mean |y - output| at iterations 0, record_every, ...
    output: list         # the last forward pass (before the last update)
    backend: str         # "pure", "cython" or "numpy"
    record_every: int

    def __repr__(self):
        last = f"{self.errors[-1]:.8f}" if self.errors else "none recorded"
        return (f"Training(backend={self.backend!r}, layers={len(self.weights)}, "
                f"last recorded error={last})")


def initial_weights(n_inputs, hidden, n_outputs, seed):
    """The sources' starting weights, as lists of lists, input side first.

    The same numbers as the sources' ``np.random.seed(seed)`` followed by
    ``2*np.random.random((rows, cols)) - 1`` for each matrix, drawn from a
    generator of their own (``np.random.RandomState(seed)``, the one behind
    ``np.random.seed``), so NumPy's global random state is left as it was.
    """
    random = np.random.RandomState(seed)
    sizes = [n_inputs, hidden, n_outputs] if hidden else [n_inputs, n_outputs]
    return [(2 * random.random_sample((rows, cols)) - 1).tolist()
            for rows, cols in zip(sizes, sizes[1:])]


def _positive_int(value, name, minimum):
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"train: {name} must be a whole number, got {inputs.describe(value)}")
    if value < minimum:
        raise ValueError(f"train: {name} must be at least {minimum}, got {value}")
    return int(value)


def _is_flat(y):
    """True for a vector of targets (one number per example) rather than rows of them."""
    ndim = getattr(y, "ndim", None)
    if ndim is not None:
        return ndim == 1
    if isinstance(y, (Mapping, Set)):  # no order, so not targets: inputs.matrix says so
        return False
    try:
        return len(y) > 0 and not hasattr(y[0], "__len__")
    except Exception:  # not a sequence at all: inputs.matrix below says what is wrong
        return False


def _check(X, y, hidden, alpha, iterations, seed, record_every):
    """The arguments as plain lists and ints, or a clear error naming the bad one."""
    X = inputs.matrix(X, "X", "train")
    if not X or not X[0]:
        raise ValueError("train: X must have at least one row and one column")
    if _is_flat(y):
        y = [[v] for v in y]  # a flat list of targets: one output per example
    y = inputs.matrix(y, "y", "train")
    inputs.same_length(X, y, "X (its rows)", "y (its rows)", "train")
    if not y[0]:
        raise ValueError("train: y must have at least one column")
    hidden = _positive_int(hidden, "hidden", 0)
    alpha = inputs.number(alpha, "alpha", "train")
    iterations = _positive_int(iterations, "iterations", 0)
    record_every = _positive_int(record_every, "record_every", 1)
    seed = _positive_int(seed, "seed", 0)
    if seed >= 2**32:
        raise ValueError(f"train: seed must be below 2**32 (NumPy's limit), got {seed}")
    return X, y, hidden, alpha, iterations, seed, record_every


def train(X, y, hidden=4, alpha=1.0, iterations=60000, seed=1, backend=None,
          record_every=10000, on_record=None):
    """Train the sources' network on examples ``X`` (rows) and targets ``y``.

    backend: "pure" (plain lists, checked once: ``grokking.networks.loops.pure``;
    ``grokking.networks.loops.with_kernels`` is the same loop calling the kernels
    themselves), "numpy" (the blog's code: ``loops.numpy``) or "cython" (the
    whole loop compiled: ``loops.compiled``); None picks as ``grokking.backend``
    does. Pure and cython add in the same order and agree exactly; NumPy agrees
    to ~1e-14, except in chaotic runs (BENCHMARKS.md, "Agreement").
    on_record(iteration, error), if given, is called each time an error is
    recorded, so long runs can show progress.
    """
    X, y, hidden, alpha, iterations, seed, record_every = _check(
        X, y, hidden, alpha, iterations, seed, record_every)
    name = choose_backend(backend).name
    weights = initial_weights(len(X[0]), hidden, len(y[0]), seed)
    weights, errors, output = loops.BY_BACKEND[name](X, y, weights, alpha, iterations,
                                                     record_every, on_record)
    _warn_if_not_finite(weights, alpha)
    return Training(weights, errors, output, name, record_every)


def _warn_if_not_finite(weights, alpha):
    """Say so when training ended with weights that are no longer numbers (NaN) or infinite."""
    if all(math.isfinite(w) for matrix in weights for row in matrix for w in row):
        return
    warnings.warn(f"train: the weights became NaN or infinite (alpha={alpha}); the inputs are too "
                  "large or contain inf, or alpha is too big: scale X to about -1..1 or try a "
                  "smaller alpha", RuntimeWarning, stacklevel=3)


__all__ = ["train", "Training", "initial_weights"]
