"""Chapter 3, generalizing gradient descent: source 004's printed numbers on every backend.

004's text lost its minus signs; the signs below are the ones its arithmetic
requires. Each step is also checked against the source's NumPy code, written
out here with ``np.dot`` / ``np.outer``.
"""

import numpy as np
import pytest

from grokking.chapters import ch03_generalizing_gradient_descent as ch03
from transcript import assert_chapter_prints_golden

X = np.array([8.5, 0.65, 1.2])
W = np.array([[0.1, 0.1, -0.3], [0.1, 0.2, 0.0], [0.0, 1.3, 0.1]])
TRUE = np.array([0.1, 1.0, 0.1])

# What 004 printed for its three iterations (with the lost minus signs put back).
PRINTED_004 = [
    dict(pred=0.8600000000000001, error=0.01959999999999997, weights=[0.1, 0.2, -0.1],
         weight_deltas=[-1.189999999999999, -0.09099999999999994, -0.16799999999999987]),
    dict(pred=0.9637574999999999, error=0.0013135188062500048, weights=[0.1119, 0.20091, -0.09832],
         weight_deltas=[-0.30806125000000056, -0.023557625000000044, -0.04349100000000008]),
    dict(pred=0.9906177228125002, error=8.802712522307997e-05,
         weights=[0.11498061250000001, 0.20114557625, -0.09788509000000001],
         weight_deltas=[-0.07974935609374867, -0.006098480171874899, -0.011258732624999811]),
]
PRINTED_004_WEIGHTS = [[-0.28675000000000006, 0.11699999999999992, -1.0352500000000002],
                       [0.070425, 0.2013, -0.05622500000000002],
                       [-0.05460000000000001, 1.3024, -0.003799999999999998]]


def numpy_several_inputs(alpha, iterations, frozen=None):
    """004's loop with NumPy arrays: ``[(pred, error, weights, weight_deltas), ...]``."""
    weights = np.array([0.1, 0.2, -0.1])
    rows = []
    for _ in range(iterations):
        pred = np.dot(X, weights)
        delta = pred - 1
        weight_deltas = delta * X
        if frozen is not None:
            weight_deltas[frozen] = 0
        rows.append((pred, delta ** 2, weights.copy(), weight_deltas))
        weights = weights - alpha * weight_deltas
    return rows


def test_several_inputs_first_step(k):
    first = ch03.learn_several_inputs(k, iterations=1)[0]
    assert first["pred"] == pytest.approx(0.86, abs=1e-12)
    assert first["error"] == pytest.approx(0.0196, abs=1e-12)
    assert first["delta"] == pytest.approx(-0.14, abs=1e-12)
    assert first["weight_deltas"] == pytest.approx([-1.19, -0.091, -0.168], abs=1e-12)
    assert first["next_weights"] == pytest.approx([0.1119, 0.20091, -0.09832], abs=1e-12)


def test_three_iterations_are_the_ones_004_printed(k):
    history = ch03.learn_several_inputs(k, iterations=3)
    expected = numpy_several_inputs(alpha=0.01, iterations=3)
    for step, printed, (pred, error, weights, weight_deltas) in zip(history, PRINTED_004, expected):
        for key in ("pred", "error"):
            assert step[key] == pytest.approx(printed[key], rel=1e-12, abs=1e-15)
        for key in ("weights", "weight_deltas"):
            assert step[key] == pytest.approx(printed[key], rel=1e-12, abs=1e-15)
        assert step["pred"] == pytest.approx(pred, rel=1e-12)
        assert step["error"] == pytest.approx(error, rel=1e-9)
        assert step["weights"] == pytest.approx(weights.tolist(), rel=1e-12)
        assert step["weight_deltas"] == pytest.approx(weight_deltas.tolist(), rel=1e-12)


def test_freezing_one_weight(k):
    history = ch03.learn_several_inputs(k, alpha=0.3, iterations=3, frozen=0)
    expected = numpy_several_inputs(alpha=0.3, iterations=3, frozen=0)
    for step, (pred, error, weights, weight_deltas) in zip(history, expected):
        assert step["weights"][0] == 0.1 and step["weight_deltas"][0] == 0
        assert step["pred"] == pytest.approx(pred, rel=1e-12)
        assert step["weights"] == pytest.approx(weights.tolist(), rel=1e-12)
        assert step["weight_deltas"] == pytest.approx(weight_deltas.tolist(), rel=1e-12)
    errors = [step["error"] for step in history]
    assert errors[0] > errors[1] > errors[2]
    assert history[2]["pred"] == pytest.approx(0.97274178125, abs=1e-12)


def test_several_outputs(k):
    pred, delta, weight_deltas, weights = ch03.learn_several_outputs(k)
    assert delta == pytest.approx([0.095, -0.87, 0.485], abs=1e-12)
    assert weight_deltas == pytest.approx([0.06175, -0.5655, 0.31525], abs=1e-12)
    assert weights == pytest.approx([0.293825, 0.25655, 0.868475], abs=1e-12)
    w = np.array([0.3, 0.2, 0.9])
    numpy_delta = 0.65 * w - TRUE
    assert weights == pytest.approx((w - 0.1 * 0.65 * numpy_delta).tolist(), abs=1e-12)


def test_several_inputs_and_outputs_as_004_printed_them(k):
    pred, delta = ch03.predict_several(k)
    assert pred == pytest.approx(W.dot(X).tolist(), abs=1e-12)
    assert delta == pytest.approx([0.455, -0.02, 0.865], abs=1e-12)
    weight_deltas, weights = ch03.learn_several_in_out(k)
    numpy_delta = W.dot(X) - TRUE
    assert np.allclose(weight_deltas, np.outer(X, numpy_delta), rtol=1e-12, atol=1e-15)
    assert np.allclose(weights, PRINTED_004_WEIGHTS, rtol=1e-12, atol=1e-15)
    assert np.allclose(weights, W - 0.1 * np.outer(X, numpy_delta), rtol=1e-12, atol=1e-15)


def test_corrected_update_is_the_transpose(k):
    weight_deltas, weights = ch03.learn_several_in_out(k, corrected=True)
    numpy_delta = W.dot(X) - TRUE
    assert np.allclose(weight_deltas, np.outer(numpy_delta, X), rtol=1e-12, atol=1e-15)
    assert np.allclose(weights, W - 0.1 * np.outer(numpy_delta, X), rtol=1e-12, atol=1e-15)
    source_deltas, _ = ch03.learn_several_in_out(k)
    assert np.allclose(weight_deltas, np.transpose(source_deltas), rtol=1e-12, atol=0)


def test_gradient_check_proves_which_update_is_the_gradient(k):
    source, corrected = ch03.check_gradients(k)
    true_gradient = 2 * np.outer(W.dot(X) - TRUE, X)   # d/dW of sum((W x - t)**2)
    assert corrected.passed() and corrected.max_relative_difference < 1e-8
    assert not source.passed() and source.max_relative_difference > 0.5
    assert np.allclose(corrected.numeric, true_gradient, rtol=1e-6, atol=1e-8)
    relative = np.array(source.relative_difference)
    assert np.all(np.diag(relative) < 1e-8), "the transpose agrees on the diagonal"
    assert np.all(relative[~np.eye(3, dtype=bool)] > 0.5), "and nowhere else"


def test_one_step_errors(k):
    start = ch03.total_error(k, ch03.WEIGHTS)
    assert start == pytest.approx(float(np.sum((W.dot(X) - TRUE) ** 2)), abs=1e-12)
    _, source = ch03.learn_several_in_out(k, alpha=0.01)
    _, fixed = ch03.learn_several_in_out(k, alpha=0.01, corrected=True)
    assert ch03.total_error(k, fixed) < ch03.total_error(k, source) < start


def test_transcript_matches_golden(backend_name, capsys):
    assert_chapter_prints_golden(ch03, backend_name, capsys)
