"""Bad input: the same exception, with the same message, on every backend.

The pure backend's message is the reference; each message names the function,
the argument and what was expected.
"""
import math

import numpy as np
import pytest

import grokking


class BadFloat(float):
    """A number whose conversion to float fails (a learner's broken class)."""

    def __float__(self):
        raise ArithmeticError("this number refuses to be a float")


BAD_CALLS = [
    # wrong sizes -> ValueError naming both sizes
    ("w_sum", ([1, 2, 3], [1, 2]), ValueError, "a has 3 numbers but b has 2"),
    ("vec_add", ([1], [1, 2]), ValueError, "a has 1 numbers but b has 2"),
    ("vect_mat_mul", ([1, 2], [[1, 2, 3]]), ValueError, "vect has 2 numbers but matrix[0] has 3"),
    ("vect_mat_mul", ([1, 2], [[1, 2], [1]]), ValueError, "matrix[0] has 2 numbers but matrix[1] has 1"),
    ("mat_mul", ([[1, 2]], [[1, 2]]), ValueError, "a[0] has 2 numbers but b (its rows) has 1"),
    ("mat_mul", ([[1], [1, 2]], [[1]]), ValueError, "a[0] has 1 numbers but a[1] has 2"),
    ("transpose", ([[1, 2], [3]],), ValueError, "matrix[0] has 2 numbers but matrix[1] has 1"),
    ("mean_abs_error", ([1.0], []), ValueError, "output has 1 numbers but target has 0"),
    ("w_sum", (np.ones(3), np.ones(2)), ValueError, "a has 3 numbers but b has 2"),
    ("vect_mat_mul", (np.ones(2), np.ones((2, 3))), ValueError, "vect has 2 numbers but matrix[0] has 3"),
    # wrong kinds -> TypeError naming the argument
    ("w_sum", (["x"], [1]), TypeError, "w_sum: a[0] must be a number, got str 'x'"),
    ("w_sum", ([1], [None]), TypeError, "w_sum: b[0] must be a number, got None"),
    ("w_sum", ([[1]], [1]), TypeError, "w_sum: a[0] must be a number, got list"),
    ("w_sum", ("ab", "ab"), TypeError, "w_sum: a must be a list of numbers or a 1-D array, got str"),
    ("w_sum", (None, [1]), TypeError, "w_sum: a must be a list of numbers or a 1-D array, got None"),
    ("w_sum", ((x for x in [1]), [1]), TypeError, "w_sum: a must be a list of numbers or a 1-D array"),
    ("w_sum", (3.0, [1]), TypeError, "w_sum: a must be a list of numbers or a 1-D array, got float"),
    ("w_sum", ([1j], [1]), TypeError, "w_sum: a[0] must be a number, got complex"),
    ("w_sum", (np.ones((2, 2)), [1, 2]), TypeError, "a must be a vector (1-D), got a 2-D array"),
    ("w_sum", (np.array(["a", "b"]), [1, 2]), TypeError, "w_sum: a[0] must be a number, got str"),
    ("ele_mul", ("2", [1.0]), TypeError, "ele_mul: number must be a number, got str '2'"),
    ("ele_mul", ([2.0], [1.0]), TypeError, "ele_mul: number must be a number, got list"),
    ("vect_mat_mul", ([1.0], [1.0]), TypeError, "vect_mat_mul: matrix[0] must be a list of numbers"),
    ("vect_mat_mul", ([1.0], np.ones(3)), TypeError, "vect_mat_mul: matrix must be a matrix (2-D)"),
    ("outer_prod", ([1.0], {"a": 1}), TypeError, "outer_prod: vec_b must be a list of numbers"),
    ("sigmoid", ("1",), TypeError, "sigmoid: x must be a list of numbers or a 1-D array, got str"),
    ("sigmoid", (None,), TypeError, "sigmoid: x must be a number, got None"),
    ("relu2deriv", ([1.0, "a"],), TypeError, "relu2deriv: output[1] must be a number"),
    ("tanh", (np.array(1.0),), TypeError, "tanh: x must be a vector (1-D), got a 0-D array"),
    ("w_sum", ([BadFloat(1.0)], [1.0]), ArithmeticError, "this number refuses to be a float"),
]


@pytest.mark.parametrize("name, args, error, message", BAD_CALLS,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(BAD_CALLS)])
def test_same_error_on_every_backend(k, name, args, error, message):
    with pytest.raises(error) as raised:
        getattr(k, name)(*args)
    assert message in str(raised.value)
    if error is not ArithmeticError:
        assert str(raised.value).startswith(name + ":")
    with pytest.raises(error) as on_pure:
        getattr(grokking.backend("pure"), name)(*args)
    assert str(raised.value) == str(on_pure.value)


def test_bools_and_numpy_scalars_are_numbers(k):
    assert k.w_sum([True, False], [2, 3]) == 2.0
    assert k.w_sum([np.float32(0.5), np.int8(2)], [np.bool_(True), 1]) == 2.5
    assert k.ele_mul(np.float64(2.0), (1, 2)) == [2.0, 4.0]
    assert k.sigmoid(np.int64(0)) == 0.5
    assert k.w_sum(range(3), [1, 1, 1]) == 3.0


def test_a_subclass_of_float_is_read_by_value(k):
    class Half(float):
        pass
    assert k.w_sum([Half(0.5)], [4.0]) == 2.0
    assert not math.isnan(k.sigmoid(Half(0.0)))
