"""The training loops behind ``grokking.train``: one iteration of the blog's network, four ways.

``grokking.train`` checks its arguments, draws the starting weights and then
hands them to one of these loops. They are public so that the bench, chapter 8
and the tests can run the very same loops (and time or compare them). Every
loop has the same signature::

    loop(X, y, weights, alpha, iterations, record_every, on_record=None)
        -> (weights, errors, output)

    X, y          the examples and their targets: lists of rows of floats
                  (``train`` makes them so; the loops do not check them again);
    weights       the starting weight matrices, input side first, as lists of
                  rows of floats (``grokking.train.initial_weights`` gives the
                  sources' ones); the loops do not change them;
    alpha         the learning rate;
    iterations    how many full-batch steps to take;
    record_every  the mean |y - output| is recorded at iterations 0,
                  record_every, 2 * record_every, ...;
    on_record     called as on_record(iteration, error) at each record, if given.

    weights       the weights after training, as lists of rows;
    errors        the recorded errors;
    output        the last forward pass ([] after zero iterations).

The loops:

- ``pure``: plain lists, the pure kernels' arithmetic written out without
  their checks (``train(..., backend="pure")``);
- ``with_kernels(kernels)``: the same loop calling the kernels of any backend,
  each kernel checking its arguments on every call (chapter 8's "loop of
  kernels");
- ``numpy``: the blog's NumPy code, generalized to any number of layers
  (``backend="numpy"``);
- ``compiled``: the whole loop in C, ``grokking.networks.training.train_loop``
  (``backend="cython"``; needs the compiled backend).

``pure``, ``with_kernels`` on the pure kernels and ``compiled`` add their
products in the same order, so they give the same numbers to the last bit.
``numpy`` lets NumPy's BLAS choose the order, so it agrees with them to
rounding (about 1e-16 per step), except in chaotic runs where such differences
grow (BENCHMARKS.md, "Agreement").
"""
import numpy as np

from ..kernels.backend import backend
from ..kernels.pure import scalar_sigmoid as sigmoid  # one number in, one number out


def _record(errors, on_record, j, error):
    errors.append(error)
    if on_record is not None:
        on_record(j, error)


def with_kernels(kernels):
    """The training loop written with the kernels of one backend, e.g. ``with_kernels(backend("cython"))``.

    Returns a loop with the signature above. ``kernels`` is any object with the
    kernels as attributes (a backend module, or a wrapper that counts calls).
    """
    k = kernels

    def loop(X, y, weights, alpha, iterations, record_every, on_record=None):
        weights = list(weights)                                 # the caller's list stays as it is
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

    loop.__name__ = loop.__qualname__ = f"with_kernels({getattr(k, 'name', type(k).__name__)})"
    return loop


def pure(X, y, weights, alpha, iterations, record_every, on_record=None):
    """The loop of ``with_kernels`` on plain lists, checked once instead of at every kernel call.

    ``train`` has already made X, y and the weights plain lists of floats, so
    this loop skips the checks each kernel makes on every call (they are most
    of the time of the loop of kernels). The arithmetic is the pure kernels',
    in the same order, so the answers are the same to the last bit.
    """
    weights = list(weights)                                     # the caller's list stays as it is
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


def numpy(X, y, weights, alpha, iterations, record_every, on_record=None):
    """The blog's NumPy code, generalized to any number of layers."""
    X, y = np.array(X), np.array(y)
    synapses = [np.array(w) for w in weights]                   # copies: the caller's lists stay
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


def compiled(X, y, weights, alpha, iterations, record_every, on_record=None):
    """The whole loop in C: ``train_loop`` of ``networks/training.pyx``, the twin of ``pure``."""
    backend("cython")  # not built, or half built: a clear error that says how to build it
    from .training import train_loop
    return train_loop(X, y, weights, alpha, iterations, record_every, on_record)


BY_BACKEND = {"pure": pure, "cython": compiled, "numpy": numpy}
"""The loop ``train(..., backend=name)`` runs, by backend name."""

__all__ = ["pure", "with_kernels", "numpy", "compiled", "BY_BACKEND"]
