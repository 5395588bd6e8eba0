"""Training where the numbers get extreme: it finishes, agrees with the blog's NumPy code, never overflows.

alpha 1000 (divergence: the sigmoids saturate), inputs of 1e300 (every
weighted sum is huge), all-zero inputs (nothing to learn from), infinite and
NaN inputs (NaN errors, not a crash). The pure backend must never raise an
OverflowError where NumPy returns a number.
"""
import math
import warnings

import numpy as np
import pytest

import grokking

X = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]]
Y = [0, 1, 1, 0]

EDGES = {
    "alpha 1000": (X, Y, 1000.0),
    "alpha 1e300": (X, Y, 1e300),
    "inputs 1e300": ([[v * 1e300 for v in row] for row in X], Y, 1.0),
    "inputs -1e300": ([[-v * 1e300 for v in row] for row in X], Y, 1.0),
    "all-zero inputs": ([[0.0] * 3 for _ in X], Y, 1.0),
    "targets 1e300": (X, [v * 1e300 for v in Y], 1.0),
    "infinite inputs": ([[math.inf] * 3 for _ in X], Y, 1.0),
    "NaN inputs": ([[math.nan] * 3 for _ in X], Y, 1.0),
}


def blogs_code(X, y, hidden, alpha, iterations, record_every, seed=1):
    """001's network (2 layers, or 3 with ``hidden`` units) with 003's alpha, in NumPy as the blog
    writes it; returns ``(errors, weights)``.

    One change: ``np.dot`` is written as the sum of its products, because some BLAS
    skip the zeros of a vector, and 0 * inf must be NaN here as it is in the loops.
    """
    def dot(a, b):
        return (a[:, :, None] * b[None, :, :]).sum(axis=1)

    def nonlin(x):
        return 1 / (1 + np.exp(-x))

    random = np.random.RandomState(seed)                 # the blog's np.random.seed(1)
    sizes = [len(X[0])] + ([hidden] if hidden else []) + [1]
    synapses = [2 * random.random((rows, columns)) - 1 for rows, columns in zip(sizes, sizes[1:])]
    layer_0, y = np.array(X, dtype=float), np.array([y], dtype=float).T
    errors = []
    with np.errstate(all="ignore"):
        for j in range(iterations):
            layers = [layer_0]
            for synapse in synapses:
                layers.append(nonlin(dot(layers[-1], synapse)))
            error = y - layers[-1]
            if j % record_every == 0:
                errors.append(float(np.mean(np.abs(error))))
            delta = error * (layers[-1] * (1 - layers[-1]))
            for i in reversed(range(len(synapses))):
                below_error = dot(delta, synapses[i].T)
                synapses[i] += alpha * dot(layers[i].T, delta)
                delta = below_error * (layers[i] * (1 - layers[i]))
    return errors, [s.tolist() for s in synapses]


def _same(a, b):
    return (math.isnan(a) and math.isnan(b)) or abs(a - b) <= 1e-9 * max(1.0, abs(b))


@pytest.mark.parametrize("hidden", [0, 4])
@pytest.mark.parametrize("edge", list(EDGES))
def test_training_finishes_and_agrees_with_the_blogs_code(backend_name, edge, hidden):
    data, targets, alpha = EDGES[edge]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = grokking.train(data, targets, hidden=hidden, alpha=alpha, iterations=120,
                             record_every=40, backend=backend_name)
    errors, weights = blogs_code(data, targets, hidden, alpha, iterations=120, record_every=40)
    # the only warning a learner may see is train's own, and exactly when the weights blew up
    blew_up = not all(math.isfinite(w) for m in got.weights for row in m for w in row)
    assert [str(w.message)[:40] for w in caught] == (
        ["train: the weights became NaN or infinit"] if blew_up else [])
    assert len(got.errors) == 3 and all(type(e) is float for e in got.errors)
    assert all(_same(g, e) for g, e in zip(got.errors, errors)), (got.errors, errors)
    shape = [[len(row) for row in w] for w in weights]
    assert [[len(row) for row in w] for w in got.weights] == shape   # zip below would hide a missing row
    assert all(_same(g, e) for gw, ew in zip(got.weights, weights)
               for grow, erow in zip(gw, ew) for g, e in zip(grow, erow))


def test_all_zero_inputs_cannot_learn(default_backend):
    # with every input 0, no weight of the first layer ever moves (on the default backend)
    result = grokking.train(EDGES["all-zero inputs"][0], Y, hidden=0, iterations=50)
    assert result.backend == default_backend
    assert result.errors == [0.5]
    assert all(w == start for w, start in zip(
        result.weights[0], grokking.train(EDGES["all-zero inputs"][0], Y, hidden=0,
                                          iterations=0).weights[0]))


@pytest.mark.parametrize("alpha, error", [("1", TypeError), (None, TypeError), (10**400, OverflowError)])
def test_a_bad_alpha_is_named(backend_name, alpha, error):
    with pytest.raises(error, match=r"^train: alpha "):
        grokking.train(X, Y, alpha=alpha, iterations=1, backend=backend_name)
