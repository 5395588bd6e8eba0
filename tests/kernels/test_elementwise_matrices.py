"""The element-wise kernels on matrices: a matrix in, the same shape out, on every backend.

``ele_mul``, ``vec_add``, ``vec_sub``, ``vec_mul`` and the six activations take a
matrix as well as a vector (issue 16): lists of rows give lists of rows; a 2-D
array gives a 2-D float64 array on cython and numpy (pure always gives lists).
Each backend is checked against NumPy code written here, never against another
backend; hostile matrices go through the fuzz oracle. The error messages, word
for word, are in test_errors.py; pure and compiled give the same bits on lists
of rows in test_kernels.py's ``exact`` tests.
"""
import copy
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import grokking
from referees import source_001
from fuzz import oracle, values
from kernels.test_kernels import ACTIVATIONS, VALUE, close

PAIRS = {"vec_add": np.add, "vec_sub": np.subtract, "vec_mul": np.multiply}
ELEMENTWISE = ("ele_mul", *PAIRS, *ACTIVATIONS)
ROWS = st.sampled_from([1, 3, 16])
COLUMNS = st.sampled_from([0, 1, 3, 16])


def table(rows, columns):
    """A rows x columns matrix of ordinary floats, as a list of rows."""
    return st.lists(st.lists(VALUE, min_size=columns, max_size=columns),
                    min_size=rows, max_size=rows)


def check_form(got, backend_name, rows, columns, as_array):
    """Lists of ``rows`` lists of floats, or (arrays in, on cython and numpy) a 2-D float64 array."""
    if as_array and backend_name != "pure":
        assert isinstance(got, np.ndarray) and got.dtype == np.float64, got
        assert got.shape == (rows, columns)
    else:
        assert type(got) is list and len(got) == rows, got
        assert all(type(row) is list and len(row) == columns for row in got), got
        assert all(type(v) is float for row in got for v in row), got


# -- "11 lines of Python", part 1, written with the kernels --------------------------

X = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]]
Y = [[0], [0], [1], [1]]


def first_weights():
    """001's first syn0 (3 x 1), drawn as the source draws it."""
    np.random.seed(1)
    return 2 * np.random.random((3, 1)) - 1


@pytest.mark.parametrize("as_array", [False, True], ids=["lists", "arrays"])
def test_eleven_lines_forward_pass(k, backend_name, as_array):
    """``k.sigmoid(k.mat_mul(X, syn0))``: X is 4 x 3, syn0 3 x 1, the answer 4 x 1."""
    syn0 = first_weights()
    x, w = (np.array(X, dtype=float), syn0) if as_array else (X, syn0.tolist())
    l1 = k.sigmoid(k.mat_mul(x, w))
    check_form(l1, backend_name, 4, 1, as_array)
    close(l1, 1 / (1 + np.exp(-np.dot(np.array(X, dtype=float), syn0))))


def test_eleven_lines_part_1_trains_as_the_source_does(k):
    """The whole of part 1 on lists of rows: the same syn0 and l1 as 001's NumPy code."""
    syn0 = first_weights().tolist()
    for _ in range(300):
        l0 = X
        l1 = k.sigmoid(k.mat_mul(l0, syn0))
        l1_error = k.vec_sub(Y, l1)
        l1_delta = k.vec_mul(l1_error, k.sigmoid2deriv(l1))
        syn0 = k.vec_add(syn0, k.mat_mul(k.transpose(l0), l1_delta))
    want_syn0, want_l1 = source_001(np.array(X), np.array(Y), 300)
    assert np.allclose(syn0, want_syn0, rtol=1e-9, atol=1e-9)
    assert np.allclose(l1, want_l1, rtol=1e-9, atol=1e-9)


# -- random matrices against NumPy ------------------------------------------------------

@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
@pytest.mark.parametrize("as_array", [False, True], ids=["lists", "arrays"])
@settings(max_examples=10, deadline=None)
@given(data=st.data(), rows=ROWS, columns=COLUMNS)
def test_activations(k, backend_name, name, as_array, data, rows, columns):
    m = data.draw(table(rows, columns))
    want = np.array(m).reshape(rows, columns)
    with np.errstate(over="ignore"):
        want = ACTIVATIONS[name](want)
    got = getattr(k, name)(np.array(m).reshape(rows, columns) if as_array else m)
    check_form(got, backend_name, rows, columns, as_array)
    close(got, want)


@pytest.mark.parametrize("as_array", [False, True], ids=["lists", "arrays"])
@settings(max_examples=15, deadline=None)
@given(data=st.data(), rows=ROWS, columns=COLUMNS, number=VALUE)
def test_ele_mul(k, backend_name, as_array, data, rows, columns, number):
    m = np.array(data.draw(table(rows, columns))).reshape(rows, columns)
    got = k.ele_mul(number, m if as_array else m.tolist())
    check_form(got, backend_name, rows, columns, as_array)
    close(got, number * m)


@pytest.mark.parametrize("name", sorted(PAIRS))
@pytest.mark.parametrize("forms", ["lists", "arrays", "list and array"])
@settings(max_examples=10, deadline=None)
@given(data=st.data(), rows=ROWS, columns=COLUMNS)
def test_vec_add_sub_mul(k, backend_name, name, forms, data, rows, columns):
    a, b = (np.array(data.draw(table(rows, columns))).reshape(rows, columns) for _ in "ab")
    args = {"lists": (a.tolist(), b.tolist()), "arrays": (a, b),
            "list and array": (a.tolist(), b)}[forms]
    got = getattr(k, name)(*args)
    check_form(got, backend_name, rows, columns, forms != "lists")
    close(got, PAIRS[name](a, b))


@pytest.mark.parametrize("make", [
    lambda m: tuple(tuple(row) for row in m),
    lambda m: [np.array(row) for row in m],
    lambda m: [range(3), range(3)],
], ids=["tuples", "list of arrays", "ranges"])
def test_any_sequence_of_rows_gives_lists(k, make):
    m = make([[0.5, -1.0, 2.0], [3.0, -0.25, 0.0]])
    want = np.array([np.asarray(row, dtype=float) for row in m])
    got = k.relu(m)
    check_form(got, "pure", 2, 3, False)
    close(got, np.maximum(want, 0.0))
    close(k.vec_mul(m, m), want * want)


@pytest.mark.parametrize("make", [
    lambda a: a.astype(np.float32),
    lambda a: (a * 10).astype(np.int64),
    lambda a: a > 0.5,
    lambda a: np.asfortranarray(a),
    lambda a: np.repeat(a, 2, axis=1)[:, ::2],          # not contiguous
    lambda a: memoryview(np.ascontiguousarray(a)),
], ids=["float32", "int64", "bool", "fortran", "strided", "memoryview"])
def test_other_2d_arrays_are_read_as_float64(k, backend_name, make):
    base = np.array([[0.25, 0.75, 1.5], [-2.0, 3.0, 0.0]])
    x = make(base)
    want = np.asarray(x, dtype=np.float64)
    got = k.tanh(x)
    check_form(got, backend_name, 2, 3, True)
    close(got, np.tanh(want))
    close(k.vec_sub(x, want.tolist()), want - want)


def test_empty_matrices(k, backend_name):
    assert k.relu([[], []]) == [[], []]
    assert k.vec_add([[]], [[]]) == [[]]
    assert k.ele_mul(2.0, [[], [], []]) == [[], [], []]
    # a 2-D array of no rows: no rows means no columns, as for mat_mul (arrays.matrix)
    got = k.sigmoid(np.ones((0, 3)))
    if backend_name == "pure":
        assert got == []
    else:
        assert isinstance(got, np.ndarray) and got.shape == (0, 0) and got.dtype == np.float64


@np.errstate(all="ignore")
def test_nan_and_inf_in_a_matrix(k):
    m = [[math.inf, -math.inf], [math.nan, 0.0]]
    np.testing.assert_array_equal(k.sigmoid(m), [[1.0, 0.0], [math.nan, 0.5]])
    np.testing.assert_array_equal(k.relu(m), [[math.inf, 0.0], [math.nan, 0.0]])
    np.testing.assert_array_equal(k.vec_mul(m, [[0.0, 1.0], [1.0, 1.0]]),
                                  np.multiply(m, [[0.0, 1.0], [1.0, 1.0]]))


# -- nothing is changed ------------------------------------------------------------------

MATRIX_CALLS = [("ele_mul", (2.0, [[1.0, 2.0], [3.0, 4.0]]))] + [
    (name, ([[1.0, -2.0]], [[3.0, 4.0]])) for name in PAIRS] + [
    (name, ([[0.25, -1.0], [0.5, 2.0]],)) for name in sorted(ACTIVATIONS)]


@pytest.mark.parametrize("name, args", MATRIX_CALLS, ids=[c[0] for c in MATRIX_CALLS])
def test_arguments_are_never_changed(k, name, args):
    lists = copy.deepcopy(args)
    result = getattr(k, name)(*lists)
    assert lists == args
    argument_rows = [row for a in lists if isinstance(a, list) for row in a]
    assert all(row is not a for row in result for a in argument_rows)   # new rows, too
    arrays = tuple(np.array(a) if isinstance(a, list) else a for a in args)
    arrays_before = copy.deepcopy(arrays)
    getattr(k, name)(*arrays)
    for a, b in zip(arrays, arrays_before):
        np.testing.assert_array_equal(a, b)


class ChangesAnother(float):
    """A number whose ``__float__`` changes another argument: a learner's class, or a gc callback."""

    def __new__(cls, value, change):
        number = super().__new__(cls, value)
        number.change = change
        return number

    def __float__(self):
        self.change()
        return float.__float__(self)


@pytest.mark.parametrize("change", [
    lambda m: m.clear(), lambda m: m[0].clear(), lambda m: m[1].__setitem__(0, "1.5"),
    lambda m: m.__setitem__(1, None), lambda m: m[0].extend([1.25] * 100)],
    ids=["clear", "row cleared", "str item", "None row", "row grown"])
def test_a_matrix_changed_while_the_other_is_read(k, change):
    """``a`` is read before ``b``: a change to ``a`` made while ``b`` is read is not seen."""
    a = [[0.5, 1.5], [2.0, 2.5]]
    b = [[ChangesAnother(1.0, lambda: change(a)), 2.0], [3.0, 4.0]]
    got = k.vec_add(a, b)
    close(got, np.add([[0.5, 1.5], [2.0, 2.5]], [[1.0, 2.0], [3.0, 4.0]]))


# -- hostile matrices: every backend gives NumPy's answer or the same clear error ----

@pytest.mark.parametrize("name", ELEMENTWISE)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_hostile_matrices_through_the_fuzz_oracle(name, data):
    """Ragged, bad elements, odd kinds, odd shapes (values.matrix): the oracle's verdict."""
    rows, columns = data.draw(st.integers(0, 4)), data.draw(st.integers(0, 4))
    if name in PAIRS:   # usually the same shape; else other columns, or a vector
        other = columns if data.draw(st.integers(0, 3)) else data.draw(st.integers(0, 4))
        parts = [data.draw(values.matrix(rows, columns)),
                 data.draw(st.one_of(values.matrix(rows, other), values.vector()))]
    elif name == "ele_mul":
        parts = [data.draw(values.numbers), data.draw(values.matrix(rows, columns))]
    else:
        parts = [data.draw(values.matrix(rows, columns))]
    make = values.Make(lambda: tuple(values.fresh(x) for x in parts),
                       "(" + ", ".join(map(values.show, parts)) + ")")
    kernels = {n: grokking.backend(n) for n in grokking.BACKENDS
               if n != "cython" or grokking.compiled_available()}
    oracle.check_kernel(name, make, kernels)   # raises Mismatch, saying what differed
