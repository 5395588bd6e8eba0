"""gradient_check: accepts a right gradient, catches a wrong one, changes nothing, explains bad input."""
import copy
import math

import numpy as np
import pytest

import grokking
from grokking import gradient_check


def squared_error(weights):
    """A small network's error: one row of weights per output, input [1.5, -2, 0.5]."""
    x, true = np.array([1.5, -2.0, 0.5]), np.array([0.3, -0.7])
    delta = np.array(weights).dot(x) - true
    return float(np.sum(delta ** 2))


W = [[0.2, -0.4, 0.1], [0.7, 0.05, -0.3]]


def right_gradient(weights):
    x, true = np.array([1.5, -2.0, 0.5]), np.array([0.3, -0.7])
    return (2 * np.outer(np.array(weights).dot(x) - true, x)).tolist()


def test_accepts_the_right_gradient_of_a_matrix():
    check = gradient_check(squared_error, W, right_gradient(W))
    assert check.passed() and check.max_relative_difference < 1e-8
    assert np.allclose(check.numeric, right_gradient(W), rtol=1e-7)
    assert check.analytic == right_gradient(W)
    assert len(check.relative_difference) == 2 and len(check.relative_difference[0]) == 3


def test_accepts_the_right_gradient_of_a_vector_and_returns_vectors():
    def loss(w):
        return math.sin(w[0]) * w[1] ** 2
    w = [0.3, -1.2]
    grad = [math.cos(0.3) * 1.44, 2 * math.sin(0.3) * -1.2]
    check = gradient_check(loss, w, grad)
    assert check.max_relative_difference < 1e-8
    assert check.numeric == pytest.approx(grad, rel=1e-8)
    assert len(check.relative_difference) == 2 and isinstance(check.relative_difference[0], float)


def test_catches_a_wrong_gradient_and_says_which_weight():
    wrong = right_gradient(W)
    wrong[1][2] *= 1.01          # one weight off by 1%
    check = gradient_check(squared_error, W, wrong)
    assert not check.passed()
    assert check.max_relative_difference == pytest.approx(0.01 / 1.01, rel=1e-5)
    relative = np.array(check.relative_difference)
    assert relative.argmax() == 5 and np.sum(relative > 1e-6) == 1


def test_catches_a_transposed_gradient():
    square = [[0.2, -0.4], [0.7, 0.05]]

    def loss(w):
        return float(np.sum((np.array(w).dot([1.0, 3.0]) - [0.5, -1.0]) ** 2))
    delta = np.array(square).dot([1.0, 3.0]) - [0.5, -1.0]
    assert gradient_check(loss, square, 2 * np.outer(delta, [1.0, 3.0])).passed()
    assert gradient_check(loss, square, 2 * np.outer([1.0, 3.0], delta)).max_relative_difference > 0.5


def test_a_true_zero_slope_is_not_a_difference():
    def loss(w):
        return (w[0] - 1.0) ** 2 + 3.0 * w[1]
    check = gradient_check(loss, [1.0, 2.0], [0.0, 3.0])     # at the bottom along w[0]
    assert check.passed() and check.relative_difference[0] < 1e-6


def test_never_changes_its_arguments():
    weights, grad = copy.deepcopy(W), right_gradient(W)
    weights_before, grad_before = copy.deepcopy(weights), copy.deepcopy(grad)
    seen = []

    def greedy_loss(w):          # a loss that scribbles on what it is given
        seen.append(type(w))
        value = squared_error(w)
        w[0][0] = 99.0
        return value
    check = gradient_check(greedy_loss, weights, grad)
    assert weights == weights_before and grad == grad_before
    assert check.passed()
    assert set(seen) == {list}


def test_numpy_arrays_in_arrays_to_the_loss_and_unchanged():
    weights = np.array(W)
    grad = np.array(right_gradient(W))
    before, grad_before = weights.copy(), grad.copy()
    seen = []

    def loss(w):
        seen.append(type(w))
        return np.sum((w.dot([1.5, -2.0, 0.5]) - [0.3, -0.7]) ** 2)   # a NumPy float64 back
    assert gradient_check(loss, weights, grad).passed()
    assert np.array_equal(weights, before) and np.array_equal(grad, grad_before)
    assert set(seen) == {np.ndarray}


def test_uses_the_kernels_of_any_backend(k):
    x, true = [8.5, 0.65, 1.2], [0.1, 1.0, 0.1]
    weights = [[0.1, 0.1, -0.3], [0.1, 0.2, 0.0], [0.0, 1.3, 0.1]]

    def loss(w):
        delta = k.vec_sub(k.vect_mat_mul(x, w), true)
        return k.w_sum(delta, delta)
    right = 2 * np.outer(np.dot(weights, x) - true, x)      # the slope, by NumPy, not by k
    assert gradient_check(loss, weights, right.tolist()).max_relative_difference < 1e-8
    right[2][1] *= 1.01
    assert gradient_check(loss, weights, right.tolist()).max_relative_difference > 1e-3


@pytest.mark.parametrize("loss, weights, grad, kwargs, error, words", [
    ("not a function", [1.0], [1.0], {}, TypeError, "loss must be a function"),
    (sum, [], [], {}, ValueError, "weights is empty"),
    (sum, [1.0, 2.0], [1.0], {}, ValueError, "shape (2,) but analytic_grad has shape (1,)"),
    (sum, [[1.0, 2.0]], [1.0, 2.0], {}, ValueError, "shape (1, 2) but analytic_grad has shape (2,)"),
    (sum, [[1.0, 2.0], [3.0]], [[1.0, 1.0], [1.0]], {}, ValueError, "weights[0] has 2 numbers"),
    (sum, ["a", 2.0], [1.0, 1.0], {}, TypeError, "weights[0] must be a number"),
    (sum, [1.0, math.nan], [1.0, 1.0], {}, ValueError, "weights[1] is nan"),
    (sum, None, [1.0], {}, TypeError, "weights must be a list of numbers"),
    (sum, [1.0], [1.0], {"eps": 0.0}, ValueError, "eps must be a positive number"),
    (sum, [1.0], [1.0], {"eps": "small"}, TypeError, "eps must be a number"),
    (lambda w: "big", [1.0], [1.0], {}, TypeError, "loss must return one number, got str"),
    (lambda w: [1.0, 2.0], [1.0], [1.0], {}, TypeError, "loss must return one number"),
    (lambda w: math.inf, [1.0], [1.0], {}, ValueError, "loss returned inf"),
])
def test_bad_input_gets_a_clear_error(loss, weights, grad, kwargs, error, words):
    with pytest.raises(error) as raised:
        gradient_check(loss, weights, grad, **kwargs)
    assert words in str(raised.value) and "gradient_check" in str(raised.value)


def test_is_exported_from_the_package():
    assert grokking.gradient_check is gradient_check
    assert grokking.GradientCheck is type(gradient_check(sum, [1.0], [1.0]))
