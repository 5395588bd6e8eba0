"""Training where the numbers get extreme: it finishes, agrees across backends, and never overflows.

alpha 1000 (divergence: the sigmoids saturate), inputs of 1e300 (every
weighted sum is huge), all-zero inputs (nothing to learn from), infinite and
NaN inputs (NaN errors, not a crash). The pure backend must never raise an
OverflowError where NumPy returns a number.
"""
import math
import warnings

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


def _same(a, b):
    return (math.isnan(a) and math.isnan(b)) or abs(a - b) <= 1e-9 * max(1.0, abs(b))


@pytest.mark.parametrize("hidden", [0, 4])
@pytest.mark.parametrize("edge", list(EDGES))
def test_training_finishes_and_agrees_with_numpy(backend_name, edge, hidden):
    data, targets, alpha = EDGES[edge]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = grokking.train(data, targets, hidden=hidden, alpha=alpha, iterations=120,
                             record_every=40, backend=backend_name)
        expected = grokking.train(data, targets, hidden=hidden, alpha=alpha, iterations=120,
                                  record_every=40, backend="numpy")
    # the only warning a learner may see is train's own, and exactly when the weights blew up
    blew_up = not all(math.isfinite(w) for m in got.weights for row in m for w in row)
    assert [str(w.message)[:40] for w in caught] == (
        ["train: the weights became NaN or infinit"] * 2 if blew_up else [])
    assert len(got.errors) == 3 and all(type(e) is float for e in got.errors)
    assert all(_same(g, e) for g, e in zip(got.errors, expected.errors)), (got.errors,
                                                                           expected.errors)
    shape = [[len(row) for row in w] for w in expected.weights]
    assert [[len(row) for row in w] for w in got.weights] == shape   # zip below would hide a missing row
    assert all(_same(g, e) for gw, ew in zip(got.weights, expected.weights)
               for grow, erow in zip(gw, ew) for g, e in zip(grow, erow))


def test_all_zero_inputs_cannot_learn():
    # with every input 0, no weight of the first layer ever moves
    result = grokking.train(EDGES["all-zero inputs"][0], Y, hidden=0, iterations=50)
    assert result.errors == [0.5]
    assert all(w == start for w, start in zip(
        result.weights[0], grokking.train(EDGES["all-zero inputs"][0], Y, hidden=0,
                                          iterations=0).weights[0]))


@pytest.mark.parametrize("alpha, error", [("1", TypeError), (None, TypeError), (10**400, OverflowError)])
def test_a_bad_alpha_is_named(backend_name, alpha, error):
    with pytest.raises(error, match=r"^train: alpha "):
        grokking.train(X, Y, alpha=alpha, iterations=1, backend=backend_name)
