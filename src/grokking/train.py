"""Train the blog's network: sigmoid layers, full batch, plain gradient descent.

    result = grokking.train(X, y, hidden=4, alpha=1.0, iterations=60000, seed=1)
    result.errors    # mean absolute error at iterations 0, 10000, 20000, ...
    result.weights   # the weight matrices, input side first, as lists of lists

``hidden=0`` is the 2-layer network of "11 lines" part 1; ``hidden=4`` is the
3-layer network of part 2. The initial weights always come from NumPy's seeded
generator, exactly as in the sources (``np.random.seed(seed)``, then
``2*np.random.random(shape) - 1`` for each matrix, input side first), so every
backend starts from the same numbers and ends at the same numbers.

Each iteration is the blog's, line for line::

    layer_1 = sigmoid(X . synapse_0)            # forward, one layer at a time
    layer_2 = sigmoid(layer_1 . synapse_1)
    layer_2_error = y - layer_2                 # how much did we miss?
    layer_2_delta = layer_2_error * sigmoid2deriv(layer_2)
    layer_1_error = layer_2_delta . synapse_1.T # backpropagate, before updating
    layer_1_delta = layer_1_error * sigmoid2deriv(layer_1)
    synapse_1 += alpha * layer_1.T . layer_2_delta
    synapse_0 += alpha * X.T . layer_1_delta
"""
import importlib
import math
import warnings
from collections.abc import Mapping, Set
from numbers import Integral

import numpy as np

from .backend import backend as choose_backend
from .kernels import inputs
from .kernels.pure import _sigmoid as sigmoid  # one number in, one number out


class Training:
    """What a training run leaves behind."""

    def __init__(self, weights, errors, output, backend, record_every):
        self.weights = weights            # list of matrices (lists of rows), input side first
        self.errors = errors              # mean |y - output| at iterations 0, record_every, ...
        self.output = output              # the last forward pass (before the last update)
        self.backend = backend            # "pure", "cython" or "numpy"
        self.record_every = record_every

    def __repr__(self):
        last = f"{self.errors[-1]:.8f}" if self.errors else "none recorded"
        return (f"Training(backend={self.backend!r}, layers={len(self.weights)}, "
                f"last recorded error={last})")


def initial_weights(n_inputs, hidden, n_outputs, seed):
    """The sources' starting weights, as lists of lists, input side first."""
    np.random.seed(seed)
    sizes = [n_inputs, hidden, n_outputs] if hidden else [n_inputs, n_outputs]
    return [(2 * np.random.random((rows, cols)) - 1).tolist()
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

    backend: "pure" (plain lists, checked once, then the kernels' loops; see
    ``_loop_with_kernels`` for the same loop calling the kernels themselves),
    "numpy" (the blog's code) or "cython" (the whole loop compiled, in
    ``kernels/training.pyx``); None picks as ``grokking.backend`` does. Pure and
    cython add in the same order and agree exactly; NumPy agrees to ~1e-14,
    except in chaotic runs (BENCHMARKS.md, "Agreement"). on_record(iteration, error), if given, is called
    each time an error is recorded, so long runs can show progress.
    """
    X, y, hidden, alpha, iterations, seed, record_every = _check(
        X, y, hidden, alpha, iterations, seed, record_every)
    name = choose_backend(backend).name
    weights = initial_weights(len(X[0]), hidden, len(y[0]), seed)
    loop = {"pure": _loop_pure, "numpy": _loop_numpy, "cython": _loop_compiled}[name]
    weights, errors, output = loop(X, y, weights, alpha, iterations, record_every, on_record)
    _warn_if_not_finite(weights, alpha)
    return Training(weights, errors, output, name, record_every)


def _warn_if_not_finite(weights, alpha):
    """Say so when training ended with weights that are no longer numbers (NaN) or infinite."""
    if all(math.isfinite(w) for matrix in weights for row in matrix for w in row):
        return
    warnings.warn(f"train: the weights became NaN or infinite (alpha={alpha}); the inputs are too "
                  "large or contain inf, or alpha is too big: scale X to about -1..1 or try a "
                  "smaller alpha", RuntimeWarning, stacklevel=3)


def _record(errors, on_record, j, error):
    errors.append(error)
    if on_record is not None:
        on_record(j, error)


def _loop_with_kernels(X, y, weights, alpha, iterations, record_every, on_record, k=None):
    """The training loop written with the kernels of one backend (pure by default)."""
    k = k or choose_backend("pure")
    errors, output = [], []
    for j in range(iterations):
        layers = [X]                                        # layer_0 is the data
        for synapse in weights:
            layers.append([k.sigmoid(row) for row in k.mat_mul(layers[-1], synapse)])
        output = layers[-1]
        error = [k.vec_sub(t, o) for t, o in zip(y, output)]
        if j % record_every == 0:
            flat = [e for row in error for e in row]
            _record(errors, on_record, j, k.mean_abs_error(flat, [0.0] * len(flat)))
        delta = [k.vec_mul(e, k.sigmoid2deriv(o)) for e, o in zip(error, output)]
        for i in reversed(range(len(weights))):
            layer = layers[i]
            if i:  # how much each node of the layer below contributed, via the old weights
                below_error = k.mat_mul(delta, k.transpose(weights[i]))
            update = k.mat_mul(k.transpose(layer), delta)
            weights[i] = [k.vec_add(w, k.ele_mul(alpha, u)) for w, u in zip(weights[i], update)]
            if i:
                delta = [k.vec_mul(e, k.sigmoid2deriv(o)) for e, o in zip(below_error, layer)]
    return weights, errors, output


def _loop_pure(X, y, weights, alpha, iterations, record_every, on_record):
    """The same loop on plain lists, checked once instead of at every kernel call.

    ``train`` has already made X, y and the weights plain lists of floats, so
    this loop skips the checks each kernel makes on every call (they are most
    of the time of ``_loop_with_kernels``). The arithmetic is the kernels',
    in the same order, so the answers are the same to the last bit.
    """
    errors, output = [], []
    for j in range(iterations):
        layers = [X]
        for synapse in weights:
            layers.append([[sigmoid(total) for total in row]
                           for row in _mat_mul(layers[-1], synapse)])
        output = layers[-1]
        error = [[t - o for t, o in zip(t_row, o_row)] for t_row, o_row in zip(y, output)]
        if j % record_every == 0:
            _record(errors, on_record, j, _mean_abs(error))
        delta = _times_slope(error, output)
        for i in reversed(range(len(weights))):
            layer = layers[i]
            if i:  # how much each node of the layer below contributed, via the old weights
                below_error = _mat_mul(delta, _transpose(weights[i]))
            update = _mat_mul(_transpose(layer), delta)
            weights[i] = [[w + alpha * u for w, u in zip(w_row, u_row)]
                          for w_row, u_row in zip(weights[i], update)]
            if i:
                delta = _times_slope(below_error, layer)
    return weights, errors, output


def _transpose(matrix):
    """The columns of ``matrix``, as tuples (only read, never changed)."""
    return list(zip(*matrix))


def _mat_mul(a, b):
    """pure.mat_mul without its checks: one weighted sum per row of a and column of b."""
    columns = _transpose(b)
    output = []
    for row in a:
        sums = []
        for column in columns:
            total = 0.0  # w_sum(row, column), written out: a call per sum costs 10 %
            for x, w in zip(row, column):
                total += x * w
            sums.append(total)
        output.append(sums)
    return output


def _times_slope(error, layer):
    """error * sigmoid2deriv(layer), element by element."""
    return [[e * (o * (1.0 - o)) for e, o in zip(e_row, o_row)]
            for e_row, o_row in zip(error, layer)]


def _mean_abs(error):
    """pure.mean_abs_error(error, zeros) of every element of the matrix ``error``."""
    total, count = 0.0, 0
    for row in error:
        for e in row:
            total += abs(e - 0.0)
        count += len(row)
    return total / count


def _loop_numpy(X, y, weights, alpha, iterations, record_every, on_record):
    """The blog's NumPy code, generalized to any number of layers."""
    X, y = np.array(X), np.array(y)
    synapses = [np.array(w) for w in weights]
    errors, layers = [], [X]
    with np.errstate(over="ignore", invalid="ignore"):
        for j in range(iterations):
            layers = [X]
            for synapse in synapses:
                layers.append(1 / (1 + np.exp(-(np.dot(layers[-1], synapse)))))
            error = y - layers[-1]
            if j % record_every == 0:
                _record(errors, on_record, j, float(np.mean(np.abs(error))))
            delta = error * (layers[-1] * (1 - layers[-1]))
            for i in reversed(range(len(synapses))):
                if i:
                    below_error = delta.dot(synapses[i].T)
                synapses[i] += alpha * layers[i].T.dot(delta)
                if i:
                    delta = below_error * (layers[i] * (1 - layers[i]))
    output = layers[-1].tolist() if iterations else []
    return [s.tolist() for s in synapses], errors, output


def _loop_compiled(X, y, weights, alpha, iterations, record_every, on_record):
    """The whole loop in C: see ``kernels/training.pyx``."""
    training = importlib.import_module("grokking.kernels.training")
    return training.train_loop(X, y, weights, alpha, iterations, record_every, on_record)


__all__ = ["train", "Training", "initial_weights"]
