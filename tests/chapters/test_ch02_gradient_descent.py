"""Chapter 2, gradient descent: the book's chapter 4 runs and source 003's three problems.

Every run is compared with the same loop written with NumPy numbers here (the
book's code), or with a closed form where one exists.
"""
import math

import numpy as np
import pytest

from grokking.chapters import ch02_gradient_descent as ch02
from transcript import assert_chapter_prints_golden



def numpy_gradient_descent(weight, input, goal_pred, alpha, iterations):
    """The book's loop, on NumPy float64 numbers: ``[(weight, pred, error), ...]``."""
    weight, input = np.float64(weight), np.float64(input)
    rows = []
    for _ in range(iterations):
        pred = np.dot([input], [weight])
        error = (pred - goal_pred) ** 2
        rows.append((weight, pred, error))
        weight = weight - alpha * (pred - goal_pred) * input
    return rows


def test_hot_and_cold_once(k):
    error, up, down = ch02.hot_and_cold_once(k)
    assert error == pytest.approx((8.5 * 0.1 - 1) ** 2, abs=1e-12)
    assert up == pytest.approx((8.5 * 0.11 - 1) ** 2, abs=1e-12)
    assert down == pytest.approx((8.5 * 0.09 - 1) ** 2, abs=1e-12)
    assert up < error < down


def test_hot_and_cold_walks_to_the_goal_in_fixed_steps(k):
    history = ch02.hot_and_cold(k)
    assert len(history) == 1101
    errors = [e for e, _, _ in history]
    assert all(b < a for a, b in zip(errors, errors[1:])), "every step lowers the error"
    error, prediction, weight = history[-1]
    assert weight == pytest.approx(1.6, abs=1e-9)
    assert prediction == pytest.approx(0.8, abs=1e-9) and error < 1e-20
    # each step moves the weight by exactly one step_amount
    weights = [w for _, _, w in history]
    assert np.allclose(np.diff(weights), 0.001, atol=1e-12)


@pytest.mark.parametrize("weight, input, alpha", [(0.5, 0.5, 1.0), (0.0, 0.5, 1.0), (0.0, 1.1, 1.0),
                                                  (0.5, 2.0, 1.0), (0.5, 2.0, 0.1)])
def test_gradient_descent_matches_the_numpy_loop(k, weight, input, alpha):
    steps = ch02.gradient_descent(k, weight, input, 0.8, alpha=alpha, iterations=20)
    expected = numpy_gradient_descent(weight, input, 0.8, alpha, 20)
    assert len(steps) == 20
    for step, (w, pred, error) in zip(steps, expected):
        assert step.weight == pytest.approx(w, rel=1e-12, abs=1e-12)
        assert step.pred == pytest.approx(pred, rel=1e-12, abs=1e-12)
        assert step.error == pytest.approx(error, rel=1e-12, abs=1e-12)
        assert step.delta == pytest.approx(pred - 0.8, rel=1e-12, abs=1e-12)
        assert step.weight_delta == pytest.approx((pred - 0.8) * input, rel=1e-12, abs=1e-12)


def test_input_two_diverges_and_alpha_fixes_it(k):
    broken = ch02.gradient_descent(k, 0.5, 2.0, 0.8, alpha=1.0, iterations=20)
    # delta is multiplied by (1 - alpha * input**2) = -3 each step, so the error by 9
    for a, b in zip(broken, broken[1:]):
        assert b.delta == pytest.approx(-3 * a.delta, rel=1e-9)
        assert b.error == pytest.approx(9 * a.error, rel=1e-9)
    fixed = ch02.gradient_descent(k, 0.5, 2.0, 0.8, alpha=0.1, iterations=20)
    for a, b in zip(fixed, fixed[1:]):
        assert b.delta == pytest.approx(0.6 * a.delta, rel=1e-9)
    assert fixed[-1].weight == pytest.approx(0.4, abs=1e-4)


def test_bumpy_curve_and_its_slope(k):
    for w in (-2.0, -0.3, 0.0, 1.1, 2.0):
        assert ch02.bumpy_error(k, w) == pytest.approx(np.polyval([1, 0, -4, 1, 5.5], w), abs=1e-12)
        assert ch02.bumpy_slope(k, w) == pytest.approx(np.polyval([4, 0, -8, 1], w), abs=1e-12)


def test_local_minimum_traps_one_ball_and_random_starts_find_the_lowest(k):
    roots = sorted(np.roots([4, 0, -8, 1]).real)
    lowest, middle, higher = roots        # two bottoms with a hump between them
    path = ch02.roll_ball(k, 2.0)
    assert len(path) == 21 and path[0] == 2.0
    assert path[-1] == pytest.approx(higher, abs=1e-6)
    assert ch02.bumpy_error(k, higher) > ch02.bumpy_error(k, lowest) + 2
    starts = ch02.random_starts()
    np.random.seed(1)
    assert starts == pytest.approx((2 * (2 * np.random.random(5) - 1)).tolist(), abs=0)
    ends = [ch02.roll_ball(k, s)[-1] for s in starts]
    for s, end in zip(starts, ends):   # each ball rolls into the bottom on its side of the hump
        assert end == pytest.approx(lowest if s < middle else higher, abs=1e-4)
    assert min(ends, key=lambda w: ch02.bumpy_error(k, w)) == pytest.approx(lowest, abs=1e-4)


@pytest.mark.parametrize("alpha", [1.0, 0.1, 0.01])
def test_small_slopes_take_longer_as_the_closed_form_says(k, alpha):
    # delta_n = -0.8 * (1 - alpha * 0.25)**n; the error is below 1e-6 once |delta_n| < 1e-3
    expected = math.ceil(math.log(1e-3 / 0.8) / math.log(1 - alpha * 0.25))
    assert ch02.steps_to_learn(k, 0.0, 0.5, 0.8, alpha) == expected


def test_transcript_matches_golden(backend_name, capsys):
    assert_chapter_prints_golden(ch02, backend_name, capsys)


def test_trace_prints_all_1101_iterations(capsys):
    ch02.main(["--backend", "pure", "--trace"])
    lines = [line for line in capsys.readouterr().out.splitlines()
             if line.strip().split(" ", 1)[0].isdigit() and "Error:" in line]
    assert [int(line.split()[0]) for line in lines] == list(range(1101))


def test_plot_writes_the_pictures(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    ch02.main(["--backend", "numpy", "--plot", str(tmp_path)])
    names = sorted(p.name for p in tmp_path.glob("*.png"))
    assert names == ["ch02_gradient_descent.png", "ch02_problem1_slopes_too_big.png",
                     "ch02_problem2_local_minima.png", "ch02_problem3_slopes_too_small.png"]
    for name in names:
        data = (tmp_path / name).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 5000
    assert capsys.readouterr().out.count("(picture written to") == 4
