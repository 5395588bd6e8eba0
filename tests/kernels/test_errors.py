"""Bad input: the same exception, with the same message, on every backend.

Each backend's message must be the one written here, word for word: it names
the function, the argument and what was expected.
"""
import math
import re

import numpy as np
import pytest


class BadFloat(float):
    """A number whose conversion to float fails (a learner's broken class)."""

    def __float__(self):
        raise ArithmeticError("this number refuses to be a float")


class NotAnArray:
    """Has attributes called ndim and shape, as the numpy module has (functions), but is no array."""
    ndim = staticmethod(np.ndim)
    shape = staticmethod(np.shape)

    def __repr__(self):
        return "NotAnArray()"


SAME = "; they must be the same length"
BAD_CALLS = [
    # wrong sizes -> ValueError naming both sizes
    ("w_sum", ([1, 2, 3], [1, 2]), ValueError, "w_sum: a has 3 numbers but b has 2" + SAME),
    ("vec_add", ([1], [1, 2]), ValueError, "vec_add: a has 1 numbers but b has 2" + SAME),
    ("vect_mat_mul", ([1, 2], [[1, 2, 3]]), ValueError,
     "vect_mat_mul: vect has 2 numbers but matrix[0] has 3" + SAME),
    ("vect_mat_mul", ([1, 2], [[1, 2], [1]]), ValueError,
     "vect_mat_mul: matrix[0] has 2 numbers but matrix[1] has 1" + SAME),
    ("mat_mul", ([[1, 2]], [[1, 2]]), ValueError, "mat_mul: a[0] has 2 numbers but b (its rows) has 1" + SAME),
    ("mat_mul", ([[1], [1, 2]], [[1]]), ValueError, "mat_mul: a[0] has 1 numbers but a[1] has 2" + SAME),
    ("transpose", ([[1, 2], [3]],), ValueError, "transpose: matrix[0] has 2 numbers but matrix[1] has 1" + SAME),
    ("mean_abs_error", ([1.0], []), ValueError, "mean_abs_error: output has 1 numbers but target has 0" + SAME),
    ("mean_abs_error", ([], []), ValueError, "mean_abs_error: output and target are empty; the mean of "
     "no numbers is undefined, so give at least one number"),
    ("mean_abs_error", (np.ones(0), np.ones(0)), ValueError, "mean_abs_error: output and target are "
     "empty; the mean of no numbers is undefined, so give at least one number"),
    ("w_sum", (np.ones(3), np.ones(2)), ValueError, "w_sum: a has 3 numbers but b has 2" + SAME),
    ("vect_mat_mul", (np.ones(2), np.ones((2, 3))), ValueError,
     "vect_mat_mul: vect has 2 numbers but matrix[0] has 3" + SAME),
    # wrong kinds -> TypeError naming the argument
    ("w_sum", (["x"], [1]), TypeError, "w_sum: a[0] must be a number, got str 'x'"),
    ("w_sum", ([1], [None]), TypeError, "w_sum: b[0] must be a number, got None"),
    ("w_sum", ([[1]], [1]), TypeError, "w_sum: a[0] must be a number, got list [1]"),
    ("w_sum", ("ab", "ab"), TypeError, "w_sum: a must be a list of numbers or a 1-D array, got str 'ab'"),
    ("w_sum", (None, [1]), TypeError, "w_sum: a must be a list of numbers or a 1-D array, got None"),
    ("w_sum", ((x for x in [1]), [1]), TypeError,
     "w_sum: a must be a list of numbers or a 1-D array, got generator <generator object <genexpr> at 0x..."),
    ("w_sum", (3.0, [1]), TypeError, "w_sum: a must be a list of numbers or a 1-D array, got float 3.0"),
    ("w_sum", ([1j], [1]), TypeError, "w_sum: a[0] must be a number, got complex 1j"),
    ("w_sum", (np.ones((2, 2)), [1, 2]), TypeError, "w_sum: a must be a vector (1-D), got a 2-D array of shape (2, 2)"),
    ("w_sum", (np.array(["a", "b"]), [1, 2]), TypeError, "w_sum: a[0] must be a number, got str 'a'"),
    ("ele_mul", ("2", [1.0]), TypeError, "ele_mul: number must be a number, got str '2'"),
    ("ele_mul", ([2.0], [1.0]), TypeError, "ele_mul: number must be a number, got list [2.0]"),
    ("vect_mat_mul", ([1.0], [1.0]), TypeError,
     "vect_mat_mul: matrix[0] must be a list of numbers or a 1-D array, got float 1.0"),
    ("vect_mat_mul", ([1.0], np.ones(3)), TypeError,
     "vect_mat_mul: matrix must be a matrix (2-D), got a 1-D array of shape (3,)"),
    ("outer_prod", ([1.0], {"a": 1}), TypeError,
     "outer_prod: vec_b must be a list of numbers or a 1-D array, got dict {'a': 1}"),
    ("sigmoid", ("1",), TypeError, "sigmoid: x must be a list of numbers or a 1-D array, got str '1'"),
    ("sigmoid", (None,), TypeError, "sigmoid: x must be a number, got None"),
    ("relu2deriv", ([1.0, "a"],), TypeError, "relu2deriv: output[1] must be a number, got str 'a'"),
    ("tanh", (np.array(1.0),), TypeError,
     "tanh: x must be a vector (1-D) or a matrix (2-D), got a 0-D array of shape ()"),
    # the element-wise kernels on matrices: a ragged matrix, a vector with a matrix,
    # matrices of different shapes (ValueError, both sizes named); wrong kinds (TypeError)
    ("relu", ([[1.0, 2.0], [3.0]],), ValueError, "relu: x[0] has 2 numbers but x[1] has 1" + SAME),
    ("ele_mul", (2.0, [[1.0], [2.0, 3.0]]), ValueError,
     "ele_mul: vector[0] has 1 numbers but vector[1] has 2" + SAME),
    ("vec_add", ([[1, 2], [3]], [[1, 2], [3, 4]]), ValueError, "vec_add: a[0] has 2 numbers but a[1] has 1" + SAME),
    ("vec_sub", ([[1, 2], [3, 4]], [[1, 2], [3]]), ValueError, "vec_sub: b[0] has 2 numbers but b[1] has 1" + SAME),
    ("vec_add", ([1.0, 2.0], [[1.0, 2.0]]), ValueError,
     "vec_add: a has 2 numbers but b has 1 row of 2 numbers; they must be the same shape"),
    ("vec_mul", ([[1.0], [2.0]], [1.0, 2.0]), ValueError,
     "vec_mul: a has 2 rows of 1 numbers but b has 2 numbers; they must be the same shape"),
    ("vec_sub", ([[1.0, 2.0], [3.0, 4.0]], [[1.0, 2.0, 3.0]]), ValueError,
     "vec_sub: a has 2 rows of 2 numbers but b has 1 row of 3 numbers; they must be the same shape"),
    ("vec_mul", (np.ones((2, 3)), np.ones((3, 2))), ValueError,
     "vec_mul: a has 2 rows of 3 numbers but b has 3 rows of 2 numbers; they must be the same shape"),
    ("vec_add", (np.ones((1, 3)), np.ones(3)), ValueError,
     "vec_add: a has 1 row of 3 numbers but b has 3 numbers; they must be the same shape"),
    ("vec_add", (np.ones(2), [[1.0, 2.0]]), ValueError,
     "vec_add: a has 2 numbers but b has 1 row of 2 numbers; they must be the same shape"),
    ("vec_add", ([[1.0, 2.0]], [1.0, [2.0]]), TypeError, "vec_add: b[1] must be a number, got list [2.0]"),
    ("sigmoid", ([[1.0], 2.0],), TypeError,
     "sigmoid: x[1] must be a list of numbers or a 1-D array, got float 2.0"),
    ("tanh2deriv", ([[1.0, "a"]],), TypeError, "tanh2deriv: output[0][1] must be a number, got str 'a'"),
    ("relu", (np.ones((2, 2, 2)),), TypeError,
     "relu: x must be a vector (1-D) or a matrix (2-D), got a 3-D array of shape (2, 2, 2)"),
    ("ele_mul", (2.0, [np.ones((1, 1))]), TypeError,
     "ele_mul: vector[0] must be a number, got a 2-D array of shape (1, 1)"),
    # something with attributes called ndim and shape that is not an array (the numpy module itself)
    ("w_sum", (NotAnArray(), [1.0]), TypeError,
     "w_sum: a must be a list of numbers or a 1-D array, got NotAnArray NotAnArray()"),
    # the learner's own exception passes through unchanged
    ("w_sum", ([BadFloat(1.0)], [1.0]), ArithmeticError, "this number refuses to be a float"),
]


def _without_address(message):
    """``message`` with an object's address (``at 0x7f29...``, cut short or not) as ``0x...``."""
    return re.sub(r"0x[0-9a-fA-F]*\.*", "0x...", message)


@pytest.mark.parametrize("name, args, error, message", BAD_CALLS,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(BAD_CALLS)])
def test_same_error_on_every_backend(k, name, args, error, message):
    """Each backend's exception is the one written here: its type and its whole message."""
    with pytest.raises(Exception) as raised:
        getattr(k, name)(*args)
    assert type(raised.value) is error
    assert _without_address(str(raised.value)) == _without_address(message)


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
