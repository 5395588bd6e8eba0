"""One test per bug the hostile-input cases found, so none comes back.

Each says what went wrong before the fix; see docs/SAFETY.md for the list.
"""
import math
import warnings

import numpy as np
import pytest

import grokking
from marks import needs_compiled
from grokking.datasets import load_digits, split
from grokking.networks.gradcheck import gradient_check


def _mutating_pair(how):
    """A list of floats, and a list whose float subclass changes the first list when read."""
    first = [1.0, 2.0]

    class Mutating(float):
        def __float__(self):
            if how == "str":
                first[0] = "a str where a float was" * 3
            elif how == "clear":
                first.clear()
            else:
                first[0] = 99.0
            return float.__float__(self)

    return first, [Mutating(1.0), Mutating(1.0)]


@pytest.mark.parametrize("how", ["str", "clear", "float"])
@pytest.mark.parametrize("func, answer", [
    ("w_sum", 3.0), ("vec_add", [2.0, 3.0]), ("vec_mul", [1.0, 2.0]),
    ("outer_prod", [[1.0, 1.0], [2.0, 2.0]]), ("mean_abs_error", 0.5),
])
def test_reading_the_second_argument_cannot_change_the_first(k, func, how, answer):
    # Bug: the compiled backend read the first list in place, *after* reading
    # the second one had run the learner's __float__, so it read a str object's
    # memory as a float (w_sum gave 2.0), or a cleared list's missing items.
    assert getattr(k, func)(*_mutating_pair(how)) == answer


@pytest.mark.parametrize("how", ["str", "clear", "float"])
def test_reading_the_second_matrix_cannot_change_the_first(k, how):
    rows = [[1.0, 2.0], [3.0, 4.0]]

    class Mutating(float):
        def __float__(self):
            if how == "clear":
                rows[1].clear()
            else:
                rows[1][1] = "x" if how == "str" else 9.0
            return float.__float__(self)

    assert k.mat_mul(rows, [[Mutating(1.0)], [1.0]]) == [[3.0], [7.0]]
    vect = [1.0, 1.0]

    class Mutating2(float):
        def __float__(self):
            vect[0] = "x" if how == "str" else 9.0
            return float.__float__(self)

    assert k.vect_mat_mul(vect, [[Mutating2(1.0), 1.0]]) == [2.0]


@pytest.mark.parametrize("value", [10**400, -10**400])
def test_an_int_too_large_for_a_float_is_named(k, value):
    # Bug: OverflowError "int too large to convert to float", naming nothing.
    with pytest.raises(OverflowError, match=r"^w_sum: b\[1\] is too large to be a float"):
        k.w_sum([1.0, 2.0], [1.0, value])
    with pytest.raises(OverflowError, match=r"^sigmoid: x is too large to be a float"):
        k.sigmoid(value)


def test_a_broken_repr_still_gives_the_clear_error(k):
    # Bug: the error message called repr(), so a broken __repr__ replaced the TypeError.
    class BadRepr:
        def __repr__(self):
            raise RuntimeError("no repr")

    with pytest.raises(TypeError, match=r"^w_sum: a\[0\] must be a number, got BadRepr <BadRepr"):
        k.w_sum([BadRepr()], [1.0])


def test_something_with_a_length_but_no_items_is_named(k):
    # Bug: TypeError "'Sized' object is not iterable", naming no argument.
    class Sized:
        def __len__(self):
            return 2

    with pytest.raises(TypeError, match=r"^vec_add: b must be a list of numbers or a 1-D array"):
        k.vec_add([1.0, 2.0], Sized())


@pytest.mark.parametrize("order", ["C", "F"])
def test_zero_times_nan_is_nan_in_every_sum(k, order):
    # Bug: the NumPy referee used np.dot, whose BLAS skips zeros: 0 * NaN counted as 0.
    a = np.array([[0.0]], order=order)
    b = np.array([[0.0, 1.0, np.nan]], order=order)
    assert np.isnan(k.mat_mul(a, b)[0][2])
    assert np.isnan(k.mat_mul([[0.0]], [[0.0, 1.0, np.nan]])[0][2])
    assert np.isnan(k.vect_mat_mul([0.0], np.asfortranarray(b.T))[2])
    assert np.isnan(k.vect_mat_mul([0.0], [[math.inf]])[0])   # 0 * inf is NaN too


def test_the_numpy_backend_is_quiet_on_overflow(recwarn):
    # Bug: outer_prod (alone) printed "RuntimeWarning: overflow encountered in multiply".
    assert grokking.backend("numpy").outer_prod([1e300], [1e300]) == [[math.inf]]
    assert not recwarn.list


# -- above the kernels ------------------------------------------------------------

def test_train_reads_targets_given_as_a_2d_buffer():
    # Bug: train looked at y[0], which a 2-D memoryview cannot give (NotImplementedError).
    y = memoryview(np.array([[0.0], [1.0]]))
    result = grokking.train([[0.0], [1.0]], y, hidden=0, iterations=2, backend="numpy")
    assert len(result.weights) == 1


@pytest.mark.parametrize("y", [{0.0, 1.0}, {0: 1.0, 1: 0.0}])
def test_train_names_targets_that_are_not_a_list(y):
    # Bug: y[0] on a set or dict raised an unnamed TypeError / a KeyError.
    with pytest.raises(TypeError, match=r"^train: y"):
        grokking.train([[0.0], [1.0]], y, iterations=1)


def _squares(w):
    return float(np.sum(np.square(w)))


def test_gradient_check_names_shapes_with_no_rows():
    # Bug: IndexError "list index out of range" for an empty matrix.
    with pytest.raises(ValueError, match=r"^gradient_check: weights has shape \(1, 1\) but "
                                         r"analytic_grad has shape \(0, 0\)"):
        gradient_check(_squares, [[0.0]], np.ones((0, 3)))
    with pytest.raises(ValueError, match=r"^gradient_check: weights is empty"):
        gradient_check(_squares, np.ones((0, 0)), [])


def test_gradient_check_answers_in_python_floats():
    # Bug: a NumPy floor made the answer a np.float64 (and eps a np.float64 in the weights).
    check = gradient_check(_squares, [0.0], [0.0], eps=np.float64(1e-6), floor=np.float64(1.0))
    assert type(check.max_relative_difference) is float


def test_load_digits_names_a_path_that_is_not_a_file_name():
    # Bug: TypeError "expected str, bytes or os.PathLike object, not int".
    with pytest.raises(TypeError, match=r"^load_digits: path must be a file name"):
        load_digits(path=123)


def test_split_names_images_it_cannot_index():
    # Bug: "'set' object is not subscriptable"; a 2-D memoryview gave NotImplementedError.
    with pytest.raises(TypeError, match=r"^split: images must be a list or an array, got set"):
        split(set(range(5)), list(range(5)))
    train_x, _, test_x, _ = split(memoryview(np.ones((5, 2))), list(range(5)))
    assert train_x.shape == (4, 2) and test_x.shape == (1, 2)


@pytest.mark.parametrize("unordered", [{0: 5.0}, {5.0}, frozenset([5.0])])
def test_a_dict_or_a_set_is_not_a_vector(k, unordered):
    # Bug: list() of a dict gave its keys, so w_sum({0: 5.0}, [1.0]) was 0.0, silently.
    with pytest.raises(TypeError, match=r"^w_sum: a must be a list of numbers or a 1-D array, got "):
        k.w_sum(unordered, [1.0])


@pytest.mark.parametrize("X, y, weights, message", [
    ([], [], [[[0.5]]], r"^train_loop: X must have at least one row"),
    ([[1.0, 2.0], [1.0]], [[1.0], [0.0]], [[[0.5]], [[0.5]]], r"^train_loop: X\[0\] has 2 numbers"),
    ([[1.0], [1.0]], [[1.0], [0.0]], [[[0.5, 0.1]], [[0.5], []]], r"^train_loop: weights\[1\]\[0\]"),
    ([[1.0], [1.0]], [[1.0], [0.0]], [[]], r"^train_loop: weights\[0\] must have at least one row"),
])
@needs_compiled
def test_the_compiled_training_loop_checks_shapes_itself(X, y, weights, message):
    # Bug: called directly (not through train), ragged or empty lists crashed it (SIGSEGV):
    # it read them without bounds checks.
    from grokking.networks.training import train_loop
    with pytest.raises(ValueError, match=message):
        train_loop(X, y, weights, 1.0, 1, 1, None)


def _reshaped_when_read(values, new_shape):
    """An array whose ``tolist()`` first sets the shape of the caller's array: Python code run
    between the check of the shape and the read, as a gc callback may do from Python 3.12 on
    (the collector then runs between any two bytecodes)."""
    class Reshaping(np.ndarray):
        def tolist(self):
            with warnings.catch_warnings():   # NumPy 2.5 deprecates setting .shape
                warnings.simplefilter("ignore", DeprecationWarning)
                caller.shape = new_shape
            return np.ndarray.tolist(self)

    caller = np.array(values).view(Reshaping)
    return caller


@pytest.mark.parametrize("func", ["w_sum", "vec_add"])
def test_a_vector_reshaped_after_its_shape_was_checked_is_read_as_checked(k, func):
    # Bug: inputs checked ``ndim``, then called ``tolist()``: a 2-D array came back, and
    # the error named an item (``labels[0] must be a number, got list``) instead of the
    # shape. Six of the digits epoch's mutation cases on Python 3.13.
    a = _reshaped_when_read([1.0, 2.0, 3.0], (3, 1))
    answer = getattr(k, func)(a, [1.0, 1.0, 1.0])
    assert np.asarray(answer).tolist() == (6.0 if func == "w_sum" else [2.0, 3.0, 4.0])
    assert a.shape in ((3,), (3, 1))   # changed (pure read it), or never read that way


def test_a_matrix_reshaped_after_its_shape_was_checked_is_read_as_checked():
    from grokking.kernels import inputs
    m = _reshaped_when_read([[1.0, 2.0], [3.0, 4.0]], (4,))
    assert inputs.matrix(m, "m", "f") == [[1.0, 2.0], [3.0, 4.0]]
    assert m.shape == (4,)
    labels = _reshaped_when_read([1.0, 2.0], (1, 2))
    assert inputs.vector(labels, "labels", "Examples") == [1.0, 2.0]
    assert labels.shape == (1, 2)
