"""Chapter 7 (tuning gradient descent) against the sources' own NumPy code.

The referee below is the code of "A Neural Network in 13 lines of Python (Part 2)"
(also the second half of "11 lines"), in Python 3 and with the symbols the
extraction lost put back. Every backend must print what it prints, to 1e-9.
Training is long (7 alphas x 60,000 iterations x 3 experiments), so most tests
run fewer iterations and compare with the referee run for the same number; the
full chapter is compared with its golden transcript on the compiled backend.

Where a backend cannot follow NumPy to 1e-9 (chaotic runs: a last-bit
difference in a sum or in exp grows every step), the test says so, with the gap
measured, instead of loosening the tolerance everywhere: see DRIFT.
"""
import functools
import math
import re
import warnings

import numpy as np
import pytest

import grokking
import grokking.chapters.ch07_tuning_gradient_descent as ch07
from conftest import needs_compiled
from transcript import NUMBER, assert_same_transcript, compared_lines, golden, printed

GOLDEN = golden("ch07_tuning_gradient_descent")
ALPHAS = [0.001, 0.01, 0.1, 1, 10, 100, 1000]


# -- the referee: the sources' NumPy code -----------------------------------------

def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_output_to_derivative(output):
    return output * (1 - output)


def source_two_weights(iterations=10000):
    """The "2 Layer Neural Network" of part 4: returns synapse_0, layer_1 and every synapse_0."""
    X = np.array([[0, 1], [0, 1], [1, 0], [1, 0]])
    y = np.array([[0, 0, 1, 1]]).T
    np.random.seed(1)
    synapse_0 = 2 * np.random.random((2, 1)) - 1
    path = [synapse_0[:, 0].copy()]
    for _ in range(iterations):
        layer_0 = X
        layer_1 = sigmoid(np.dot(layer_0, synapse_0))
        layer_1_error = layer_1 - y
        layer_1_delta = layer_1_error * sigmoid_output_to_derivative(layer_1)
        synapse_0_derivative = np.dot(layer_0.T, layer_1_delta)
        synapse_0 -= synapse_0_derivative
        path.append(synapse_0[:, 0].copy())
    return synapse_0, layer_1, np.array(path)


X3 = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]])
Y3 = np.array([[0], [1], [1], [0]])


def source_alpha_sweep(alpha, hidden=4, iterations=60000, every=10000):
    """"Improvement 1" (and "Improvement 2" with hiddenSize): errors every ``every``, weights."""
    np.random.seed(1)
    synapse_0 = 2 * np.random.random((3, hidden)) - 1
    synapse_1 = 2 * np.random.random((hidden, 1)) - 1
    errors = []
    for j in range(iterations):
        layer_0 = X3
        layer_1 = sigmoid(np.dot(layer_0, synapse_0))
        layer_2 = sigmoid(np.dot(layer_1, synapse_1))
        layer_2_error = layer_2 - Y3
        if (j % every) == 0:
            errors.append(np.mean(np.abs(layer_2_error)))
        layer_2_delta = layer_2_error * sigmoid_output_to_derivative(layer_2)
        layer_1_error = layer_2_delta.dot(synapse_1.T)
        layer_1_delta = layer_1_error * sigmoid_output_to_derivative(layer_1)
        synapse_1 -= alpha * (layer_1.T.dot(layer_2_delta))
        synapse_0 -= alpha * (layer_0.T.dot(layer_1_delta))
    return errors, synapse_0, synapse_1


def source_closer_look(alpha, iterations=60000, every=10000):
    """"Let's Take a Closer Look": errors, synapse_0, its counts, synapse_1, its counts."""
    np.random.seed(1)
    synapse_0 = 2 * np.random.random((3, 4)) - 1
    synapse_1 = 2 * np.random.random((4, 1)) - 1
    prev_synapse_0_weight_update = np.zeros_like(synapse_0)
    prev_synapse_1_weight_update = np.zeros_like(synapse_1)
    synapse_0_direction_count = np.zeros_like(synapse_0)
    synapse_1_direction_count = np.zeros_like(synapse_1)
    errors = []
    for j in range(iterations):
        layer_0 = X3
        layer_1 = sigmoid(np.dot(layer_0, synapse_0))
        layer_2 = sigmoid(np.dot(layer_1, synapse_1))
        layer_2_error = Y3 - layer_2
        if (j % every) == 0:
            errors.append(np.mean(np.abs(layer_2_error)))
        layer_2_delta = layer_2_error * sigmoid_output_to_derivative(layer_2)
        layer_1_error = layer_2_delta.dot(synapse_1.T)
        layer_1_delta = layer_1_error * sigmoid_output_to_derivative(layer_1)
        synapse_1_weight_update = (layer_1.T.dot(layer_2_delta))
        synapse_0_weight_update = (layer_0.T.dot(layer_1_delta))
        if j > 0:
            synapse_0_direction_count += np.abs(
                ((synapse_0_weight_update > 0) + 0) - ((prev_synapse_0_weight_update > 0) + 0))
            synapse_1_direction_count += np.abs(
                ((synapse_1_weight_update > 0) + 0) - ((prev_synapse_1_weight_update > 0) + 0))
        synapse_1 += alpha * synapse_1_weight_update
        synapse_0 += alpha * synapse_0_weight_update
        prev_synapse_0_weight_update = synapse_0_weight_update
        prev_synapse_1_weight_update = synapse_1_weight_update
    return errors, synapse_0, synapse_0_direction_count, synapse_1, synapse_1_direction_count


@functools.lru_cache(maxsize=None)
def referee(function, *args):
    """Run the source's code quietly (alpha 1000 overflows np.exp, which is harmless), once."""
    with np.errstate(over="ignore"):
        return function(*args)


def loop_tolerance(backend_name, alpha, iterations, hidden=4):
    """``(errors, weights)``: how close a backend follows the source's NumPy code (None: not).

    1e-9 everywhere but for the pure and compiled loops on chaotic runs, where a
    last-bit difference (NumPy's BLAS dot and SIMD exp round differently from
    in-order sums and C's exp) grows with every step. Measured on x86-64, NumPy 2,
    cython (pure is bit-for-bit the same), errors every 10 iterations up to 5,000:
    alpha 100: errors up to 1.6e-6 while it jumps about (iteration ~700), 4.0e-10 at
    the printed 10,000s; weights 5.9e-6.
    alpha 1000: errors 5.1e-8 at ~2,100, else below 1.3e-11; weights 7.6e-11 up to
    1,500 iterations, then (by 2,200) another path into saturation, 15% apart, where
    the error is 0.5 on both paths.
    32 hidden nodes, alpha 10 (the knife edge): errors 3.2e-13 at 150 iterations,
    weights 1.4e-9 at 50 and 4.1e-4 at 150 iterations (the errors part at ~250).
    """
    if backend_name == "numpy":
        return 1e-9, 1e-9
    if hidden == 32 and alpha == 10:
        return 1e-9, 1e-3
    if alpha < 100:
        return 1e-9, 1e-9
    if alpha == 100:
        return 5e-6, 2e-5
    return (1e-9, 1e-9) if iterations <= 1500 else (1e-7, None)


def close(got, want, rel=1e-9):
    np.testing.assert_allclose(np.array(got, dtype=float), np.array(want, dtype=float),
                               rtol=rel, atol=1e-12)


@pytest.fixture(autouse=True)
def warnings_are_errors():
    """No backend may warn (overflow in exp, ...), even with alpha 1000."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# -- 1. the 2-weight network and its error surface --------------------------------

def test_two_weight_network_matches_the_source(k):
    # 3,000 of the 10,000 iterations here; the golden transcript checks all of them
    synapse_0, layer_1, path = referee(source_two_weights, 3000)
    result = ch07.two_weight_network(k, iterations=3000)
    close(result.synapse_0, synapse_0)
    close(result.layer_1, layer_1)
    close(result.path, path)
    assert len(result.path) == 3001


def test_error_surface_is_every_pair_of_weights(k):
    values = list(range(-10, 11))
    errors = ch07.error_surface(k, values)
    first, second = np.meshgrid(values, values)   # columns: first weight, rows: second
    X = np.array(ch07.X_TWO)
    y = np.array(ch07.Y_TWO)[:, 0]
    want = [[np.mean(np.abs(sigmoid(X.dot([a, b])) - y)) for a, b in zip(ra, rb)]
            for ra, rb in zip(first, second)]
    close(errors, want)
    error, at_first, at_second = ch07.lowest_point(values, errors)
    assert (at_first, at_second) == (10, -10)
    assert error == pytest.approx(1 / (1 + math.exp(10)), rel=1e-9)  # (sigmoid(-10) + 1 - sigmoid(10)) / 2


def test_surface_table_puts_the_largest_second_weight_on_top():
    values = [-1, 0, 1]
    errors = [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9]]
    lines = ch07.surface_table(values, errors, every=1).splitlines()
    assert lines[1].split() == ["1", "0.700", "0.800", "0.900"]
    assert lines[3].split() == ["-1", "0.100", "0.200", "0.300"]


# -- 2. the alpha sweep --------------------------------------------------------

@pytest.mark.parametrize("hidden, iterations, every", [(4, 3000, 500), (32, 150, 50)])
def test_alpha_sweep_matches_the_source(backend_name, hidden, iterations, every):
    # hidden 32 stops at 150 iterations: past ~250 the alpha-10 run is on its knife
    # edge and backends part by more than 1e-9 (test_hidden_32_alpha_10_knife_edge).
    sweep = list(ch07.alpha_sweep(backend_name, hidden, iterations, record_every=every))
    assert [alpha for alpha, _ in sweep] == ALPHAS
    for alpha, training in sweep:
        errors, synapse_0, synapse_1 = referee(source_alpha_sweep, alpha, hidden, iterations, every)
        error_rel, weight_rel = loop_tolerance(backend_name, alpha, iterations, hidden)
        close(training.errors, errors, error_rel)
        if weight_rel is not None:
            close(training.weights[0], synapse_0, weight_rel)
            close(training.weights[1], synapse_1, weight_rel)


@pytest.mark.parametrize("alpha, want_last", [(100, 0.12520635275876102), (1000, 0.5)])
def test_huge_alphas_run_to_the_end_quietly(backend_name, alpha, want_last):
    """Alpha 100 and 1000, all 60,000 iterations, on every backend: NumPy's numbers, no warning.

    The pure backend runs 10,000 of them (a full run is 5 s each): by then alpha 1000
    has long saturated (at ~2,200), and its sigmoid has met every overflow it will.
    """
    iterations, every = (10000, 2000) if backend_name == "pure" else (60000, 10000)
    (_, training), = ch07.alpha_sweep(backend_name, 4, iterations, alphas=[alpha],
                                      record_every=every)
    errors, _, _ = referee(source_alpha_sweep, alpha, 4, iterations, every)
    assert len(training.errors) == len(errors) == iterations // every
    # measured: the loops follow NumPy's printed errors to 4.0e-10 at alpha 100, exactly at 1000
    close(training.errors, errors)
    if iterations == 60000:
        assert training.errors[-1] == pytest.approx(want_last, rel=1e-9)
    else:
        assert training.errors[-1] == pytest.approx(want_last, rel=5e-3)


def test_best_errors_are_the_sources_claim_and_the_golden_transcripts():
    """"the best error with 32 nodes is 0.0009 whereas ... 4 hidden nodes was only 0.0013"."""
    for hidden, claim in ((4, 0.0013), (32, 0.0009)):
        errors, _, _ = referee(source_alpha_sweep, 10, hidden, 60000, 10000)
        assert round(errors[-1], 4) == claim            # alpha 10 is the best, at 50,000
        printed = re.search(rf"Best error with {hidden} hidden nodes: (\S+) \(alpha 10, after "
                            r"50000 iterations\); the source says (\S+)", GOLDEN)
        assert float(printed.group(1)) == pytest.approx(errors[-1], abs=5e-11)  # 10 decimals
        assert float(printed.group(2)) == claim


def test_errors_every_picks_the_printed_iterations():
    sweep = list(ch07.alpha_sweep("numpy", 4, 2001, alphas=[1], record_every=500))
    assert [j for j, _ in ch07.errors_every(sweep[0][1], 1000)] == [0, 1000, 2000]


# -- 3. the closer look: direction changes ------------------------------------------

def test_closer_look_matches_the_source(k):
    for alpha in ALPHAS:
        errors, synapse_0, count_0, synapse_1, count_1 = referee(
            source_closer_look, alpha, 1000, 250)
        look = ch07.closer_look(k, alpha, iterations=1000, record_every=250)
        error_rel, weight_rel = loop_tolerance(k.name, alpha, 1000)
        close(look.errors, errors, error_rel)
        close(look.synapse_0, synapse_0, weight_rel)
        close(look.synapse_1, synapse_1, weight_rel)
        assert look.synapse_0_direction_count == count_0.tolist(), alpha
        assert look.synapse_1_direction_count == count_1.tolist(), alpha


def test_closer_look_with_the_kernels_on_numpy_is_the_source():
    """The kernel loop (pure/cython) run with the NumPy kernels gives the source's numbers too."""
    numpy_kernels = grokking.backend("numpy")

    class Kernels:                        # the NumPy kernels under another name, so closer_look
        name = "numpy kernels"            # takes its kernel loop, not the source's code

        def __getattr__(self, attr):
            return getattr(numpy_kernels, attr)

    errors, synapse_0, count_0, synapse_1, count_1 = referee(source_closer_look, 10, 300, 100)
    look = ch07.closer_look(Kernels(), 10, iterations=300, record_every=100)
    close(look.errors, errors)
    close(look.synapse_0, synapse_0)
    close(look.synapse_1, synapse_1)
    assert look.synapse_0_direction_count == count_0.tolist()
    assert look.synapse_1_direction_count == count_1.tolist()


def test_count_changes_counts_sign_flips_only():
    count = [[0, 0, 0]]
    ch07.count_changes(count, [[1.0, -1.0, 0.0]], [[-2.0, -3.0, 0.0]])
    assert count == [[1, 0, 0]]
    ch07.count_changes(count, [[0.0, 2.0, 5.0]], [[1.0, -1.0, 0.0]])  # 0 counts as "not > 0"
    assert count == [[2, 1, 1]]


# -- 4. the knife edge ----------------------------------------------------------

def test_hidden_32_alpha_10_knife_edge(backend_name):
    """One ulp in one weight: equal to ~1e-9 for the first 300 iterations, then apart."""
    gaps = dict(ch07.knife_edge(grokking.backend(backend_name)))
    assert gaps[0] == 0.0
    assert max(gaps[j] for j in (100, 200)) < 1e-9
    assert max(gaps[j] for j in range(400, 1000, 100)) > 1e-5   # measured: 2e-4 (numpy), 8e-2 (loops)


# -- the whole chapter against its golden transcript ------------------------------

# Lines where the pure and compiled loops cannot follow NumPy to 1e-9, and why.
# NumPy's dot (BLAS) and exp (SIMD) round differently from in-order sums and C's
# exp in the last bit; in these chaotic runs that grows. Gaps measured on x86-64,
# NumPy 2, cython backend (pure is bit-for-bit the same as cython):
DRIFT = {
    "closer look, alpha 100, weights": 2e-5,    # measured 6.1e-6 (errors agree to 4e-10)
    "closer look, alpha 1000, weights": None,   # measured 15%: another path to the same 0.5
    "closer look, alpha 1000, largest weight": None,   # 98.76 vs NumPy's 116.66, same reason
    "hidden 32, alpha 10, errors": 2e-2,        # measured 0.86%: 0.000937 vs NumPy's 0.000943
    "hidden 32, best error": 2e-2,              # the same number
    "knife edge gaps": None,                    # each backend's own; test_hidden_32_alpha_10_knife_edge
}


def _drift_kind(line, where):
    """Which DRIFT entry ``line`` falls under (``where`` tracks the section/alpha/block)."""
    if re.match(r"\d\. ", line):
        where.update(section=line[0], alpha=None, block=None)
    elif line.startswith("Training With Alpha:"):
        where.update(alpha=line.split(":")[1], block=None)
    elif line.startswith("Synapse"):
        where["block"] = line
    elif not line.lstrip().startswith("["):
        where["block"] = None
    if where["section"] == "3" and where["alpha"] in ("100", "1000") \
            and where["block"] in ("Synapse 0", "Synapse 1") and line.lstrip().startswith("["):
        return f"closer look, alpha {where['alpha']}, weights"
    if where["section"] == "4" and where["alpha"] == "10" and line.startswith("Error after") \
            and not line.startswith("Error after 0 "):
        return "hidden 32, alpha 10, errors"
    if re.match(r"  alpha 1000 +: ", line):
        return "closer look, alpha 1000, largest weight"
    if line.startswith("Best error with 32"):
        return "hidden 32, best error"
    if re.match(r"  iteration +\d+: ", line):
        return "knife edge gaps"
    return None


def compare_with_drift(got, want):
    """The golden comparison, with the DRIFT lines held to their own (stated) tolerance."""
    strict_got, strict_want, where = [], [], {"section": None, "alpha": None, "block": None}
    got_lines, want_lines = compared_lines(got), compared_lines(want)
    assert len(got_lines) == len(want_lines)
    for g, w in zip(got_lines, want_lines):
        kind = _drift_kind(w, where)
        if kind is None:
            strict_got.append(g)
            strict_want.append(w)
            continue
        got_numbers, want_numbers = NUMBER.findall(g), NUMBER.findall(w)
        assert len(got_numbers) == len(want_numbers), (g, w)
        if DRIFT[kind] is not None:
            assert all(math.isclose(float(a), float(b), rel_tol=DRIFT[kind])
                       for a, b in zip(got_numbers, want_numbers)), (kind, g, w)
    assert_same_transcript("\n".join(strict_got), "\n".join(strict_want))


@needs_compiled
def test_whole_chapter_on_cython_prints_the_golden_transcript():
    got = printed(ch07.main, ["--backend", "cython"])
    compare_with_drift(got, GOLDEN)
    assert got.rstrip().splitlines()[-1].startswith("Backend: cython | ")


def test_drift_rules_only_touch_the_lines_they_name():
    """The golden transcript has exactly the drift lines this test expects, no more."""
    where = {"section": None, "alpha": None, "block": None}
    kinds = [_drift_kind(line, where) for line in GOLDEN.splitlines()]
    counts = {kind: kinds.count(kind) for kind in DRIFT}
    assert counts == {
        "closer look, alpha 100, weights": 7,    # 3 rows of synapse_0, 4 of synapse_1
        "closer look, alpha 1000, weights": 7,
        "closer look, alpha 1000, largest weight": 1,
        "hidden 32, alpha 10, errors": 5,        # iterations 10000 ... 50000
        "hidden 32, best error": 1,
        "knife edge gaps": 10,
    }


def test_summary_counts_every_weight():
    look = ch07.DirectionCount([], [[1.0, -7.5]], [[2.0], [-3.0]], [[1, 0]], [[4], [2]])
    assert ch07.direction_changes(look) == 7
    assert ch07.largest_weight(look) == 7.5
