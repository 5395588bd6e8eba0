"""grokking.train: the sources' numbers, the same answer on every backend, clear errors.

The pure and the compiled loop add their products in the same order, so they
agree exactly; NumPy's BLAS adds in its own order, so it agrees to rounding
(1e-12) -- except in the three chaotic runs of the alpha sweep, where those
rounding differences grow tenfold every few iterations (see BENCHMARKS.md and
chapter 7's knife edge); there the test checks the early iterations and the exact pure =
compiled agreement.
"""
import math
import warnings

import pytest

import grokking
from conftest import needs_compiled
from grokking.train import _loop_compiled, _loop_numpy, _loop_pure, initial_weights

X = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]]
XOR = [0, 1, 1, 0]

ALPHAS = (0.001, 0.01, 0.1, 1, 10, 100, 1000)
CHAOTIC = {(4, 100), (4, 1000), (32, 10)}   # (hidden, alpha)


def shapes(training):
    """The row lengths of each weight matrix, and the number of recorded errors."""
    return [[len(row) for row in w] for w in training.weights], len(training.errors)


def biggest_difference(a, b):
    """The largest difference between two trainings' weights and errors (of the same shapes)."""
    assert shapes(a) == shapes(b)           # the zips below would hide a missing row or error
    weights = max(abs(p - q) for wa, wb in zip(a.weights, b.weights)
                  for ra, rb in zip(wa, wb) for p, q in zip(ra, rb))
    errors = max(abs(p - q) for p, q in zip(a.errors, b.errors))
    return max(weights, errors)


def test_part_1_two_layer_network_prints_the_sources_output():
    result = grokking.train(X, [0, 0, 1, 1], hidden=0, iterations=10000)
    assert len(result.weights) == 1 and len(result.weights[0]) == 3
    expected = [0.00966449, 0.00786506, 0.99358898, 0.99211957]
    assert [row[0] for row in result.output] == pytest.approx(expected, abs=1e-8)


def test_part_2_three_layer_network_prints_the_sources_errors():
    result = grokking.train(X, XOR, hidden=4, iterations=60000)
    assert len(result.errors) == 6
    assert result.errors[0] == pytest.approx(0.4964100319, abs=1e-10)
    assert result.errors[1] == pytest.approx(0.0085845256, abs=1e-10)
    assert result.errors[-1] == pytest.approx(0.0035101225, abs=1e-10)


@needs_compiled
@pytest.mark.parametrize("y, hidden, iterations", [([0, 0, 1, 1], 0, 10000), (XOR, 4, 60000)],
                         ids=["001-part-1", "001-part-2"])
def test_the_three_backends_agree_on_the_sources_networks(y, hidden, iterations):
    runs = {name: grokking.train(X, y, hidden=hidden, iterations=iterations, backend=name)
            for name in ("pure", "cython", "numpy")}
    assert runs["pure"].weights == runs["cython"].weights      # same order of additions
    assert runs["pure"].errors == runs["cython"].errors
    assert biggest_difference(runs["cython"], runs["numpy"]) < 1e-12
    assert [r.backend for r in runs.values()] == ["pure", "cython", "numpy"]


@needs_compiled
@pytest.mark.parametrize("hidden", [4, 32])
@pytest.mark.parametrize("alpha", ALPHAS)
def test_the_alpha_sweep_agrees_with_numpy(alpha, hidden):
    # 60,000 iterations as in the source for hidden 4; 10,000 for hidden 32 (to keep
    # the suite fast: the full runs agree to 1e-13, see BENCHMARKS.md's agreement table).
    iterations = 10 if (hidden, alpha) in CHAOTIC else 60000 if hidden == 4 else 10000
    compiled = grokking.train(X, XOR, hidden=hidden, alpha=alpha, iterations=iterations,
                              backend="cython", record_every=1 if iterations == 10 else 10000)
    numpy = grokking.train(X, XOR, hidden=hidden, alpha=alpha, iterations=iterations,
                           backend="numpy", record_every=1 if iterations == 10 else 10000)
    assert biggest_difference(compiled, numpy) < 1e-12


@needs_compiled
@pytest.mark.parametrize("hidden", [4, 32])
@pytest.mark.parametrize("alpha", ALPHAS)
def test_the_alpha_sweep_pure_and_compiled_agree_exactly(alpha, hidden):
    weights = initial_weights(3, hidden, 1, seed=1)
    y = [[v] for v in XOR]
    Xf = [[float(v) for v in row] for row in X]
    pure = _loop_pure(Xf, y, [[r[:] for r in w] for w in weights], alpha, 1500, 500, None)
    compiled = _loop_compiled(Xf, y, weights, alpha, 1500, 500, None)
    assert pure == compiled


@needs_compiled
def test_a_chaotic_run_really_is_sensitive_to_rounding():
    """hidden 32, alpha 10: a difference of 1e-15 after 5 steps is 1e-3 or more after 500."""
    y = [[float(v)] for v in XOR]
    Xf = [[float(v) for v in row] for row in X]

    def gap(iterations):
        a = _loop_compiled(Xf, y, initial_weights(3, 32, 1, 1), 10.0, iterations, 10000, None)
        b = _loop_numpy(Xf, y, initial_weights(3, 32, 1, 1), 10.0, iterations, 10000, None)
        return max(abs(p - q) for wa, wb in zip(a[0], b[0])
                   for ra, rb in zip(wa, wb) for p, q in zip(ra, rb))
    assert gap(5) < 1e-13
    assert gap(500) > 1e-3


def test_on_record_sees_every_recorded_error(backend_name):
    seen = []
    result = grokking.train(X, XOR, hidden=4, iterations=25, record_every=10, backend=backend_name,
                            on_record=lambda j, error: seen.append((j, error)))
    assert [j for j, _ in seen] == [0, 10, 20]
    assert [e for _, e in seen] == result.errors
    assert result.backend == backend_name


def test_zero_iterations_leave_the_initial_weights(backend_name):
    result = grokking.train(X, XOR, hidden=4, iterations=0, backend=backend_name)
    assert result.weights == initial_weights(3, 4, 1, seed=1)
    assert result.errors == [] and result.output == []


def test_the_arguments_are_not_changed(backend_name):
    x_rows, targets = [r[:] for r in X], XOR[:]
    grokking.train(x_rows, targets, hidden=2, iterations=3, backend=backend_name)
    assert x_rows == X and targets == XOR


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(X="abc"), TypeError, "train: X"),
    (dict(X=[[0, 1], [1]]), ValueError, "X[0] has 2 numbers but X[1] has 1"),
    (dict(X=[]), ValueError, "X must have at least one row"),
    (dict(y=[0, 1]), ValueError, "X (its rows) has 4 numbers but y (its rows) has 2"),
    (dict(y=[[], [], [], []]), ValueError, "y must have at least one column"),
    (dict(hidden=-1), ValueError, "hidden must be at least 0, got -1"),
    (dict(hidden=2.5), TypeError, "hidden must be a whole number, got float 2.5"),
    (dict(hidden=True), TypeError, "hidden must be a whole number"),
    (dict(alpha="fast"), TypeError, "train: alpha must be a number, got str 'fast'"),
    (dict(iterations=-5), ValueError, "iterations must be at least 0, got -5"),
    (dict(iterations=None), TypeError, "iterations must be a whole number, got None"),
    (dict(record_every=0), ValueError, "record_every must be at least 1, got 0"),
    (dict(seed=2**32), ValueError, "seed must be below 2**32"),
    (dict(seed=-1), ValueError, "seed must be at least 0"),
    (dict(backend="fortran"), ValueError, "backend: name must be one of pure, cython, numpy"),
])
def test_bad_arguments_get_a_clear_error(kwargs, error, words):
    arguments = dict(X=X, y=XOR, iterations=2)
    arguments.update(kwargs)
    with pytest.raises(error) as caught:
        grokking.train(**arguments)
    assert words in str(caught.value)


@needs_compiled
def test_the_compiled_loop_refuses_shapes_that_do_not_fit():
    from grokking.kernels.training import train_loop
    weights = initial_weights(3, 4, 1, seed=1)
    with pytest.raises(ValueError, match=r"weights\[0\] has 3 rows but the layer below has 2"):
        train_loop([[0.0, 1.0]], [[1.0]], weights, 1.0, 1, 1, None)
    with pytest.raises(ValueError, match="y must have one row per row of X"):
        train_loop([[0.0, 1.0, 1.0]], [[1.0], [0.0]], weights, 1.0, 1, 1, None)


def test_a_diverging_run_stays_finite_and_agrees(backend_name):
    result = grokking.train(X, XOR, hidden=4, alpha=1000, iterations=50, record_every=10,
                            backend=backend_name)
    assert all(math.isfinite(v) for w in result.weights for row in w for v in row)
    reference = grokking.train(X, XOR, hidden=4, alpha=1000, iterations=50, record_every=10,
                               backend="numpy")
    assert result.errors == pytest.approx(reference.errors, abs=1e-9)


def test_training_that_blows_up_says_so(backend_name):
    """Weights that end as NaN or inf get a clear warning; healthy training stays quiet."""
    with pytest.warns(RuntimeWarning, match="weights became NaN or infinite"):
        result = grokking.train([[math.inf, 0, 1], [0, 1, 1]], [0, 1], hidden=4, iterations=50,
                                record_every=10, backend=backend_name)
    assert math.isnan(result.errors[-1])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grokking.train([[0, 0, 1], [1, 1, 1]], [0, 1], alpha=1000, iterations=200, backend=backend_name)
