"""Every kernel on every backend, checked against NumPy; and pure against compiled, to the bit.

Sizes 0, 1, 3, 16 and 1000 with random values (hypothesis), the book's own
examples, array inputs, NaN and inf, and a check that no argument is changed.
At the end, the ``exact`` tests: on lists, the compiled twin must give pure's
answers to the last bit (a promise of the twin, not a referee test).

Tolerance: a float sum's rounding error grows with the size of its terms, not of
its result (1e8 - 1e8 + 1 can lose the 1), so a sum is compared within 1e-12 of
the sum of its terms' magnitudes; element-wise results within 1e-12 relative.
"""
import copy
import math
import struct

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import grokking
from marks import needs_compiled
from grokking.kernels import KERNELS

SIZES = st.sampled_from([0, 1, 3, 16, 1000])
VALUE = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False)
TOL = 1e-12


def vectors(n, count=1):
    return st.tuples(*[st.lists(VALUE, min_size=n, max_size=n) for _ in range(count)])


def close(got, want, scale=None):
    """``got`` equals ``want`` within TOL relative (to ``scale`` if given)."""
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    assert got.shape == want.shape
    bound = TOL * (np.abs(want) if scale is None else np.asarray(scale)) + 1e-300
    assert np.all((np.abs(got - want) <= bound) | (got == want)), (got, want)


def kept(args):
    return copy.deepcopy(args)


# -- the book's numbers ----------------------------------------------------------

def test_book_w_sum(k):
    assert k.w_sum([8.5, 0.65, 1.2], [0.1, 0.2, 0.0]) == pytest.approx(0.98, abs=1e-15)


def test_book_vect_mat_mul(k):
    weights = [[0.1, 0.1, -0.3], [0.1, 0.2, 0.0], [0.0, 1.3, 0.1]]
    close(k.vect_mat_mul([8.5, 0.65, 1.2], weights), [0.555, 0.98, 0.965])


def test_book_ele_mul_and_outer_prod(k):
    close(k.ele_mul(0.65, [0.3, 0.2, 0.9]), [0.195, 0.13, 0.585])
    close(k.outer_prod([1, 2, 3], [2, 4, 6]), [[2, 4, 6], [4, 8, 12], [6, 12, 18]])


# -- random sizes and values against NumPy ---------------------------------------

@settings(max_examples=25, deadline=None)
@given(data=st.data(), n=SIZES)
def test_w_sum(k, data, n):
    a, b = data.draw(vectors(n, 2))
    got = k.w_sum(a, b)
    assert type(got) is float
    close(got, np.dot(np.array(a), np.array(b)) if n else 0.0, np.abs(np.array(a) * b).sum())


@settings(max_examples=25, deadline=None)
@given(data=st.data(), n=SIZES, number=VALUE)
def test_ele_mul(k, data, n, number):
    (v,) = data.draw(vectors(n))
    got = k.ele_mul(number, v)
    assert isinstance(got, list)
    close(got, number * np.array(v))


@settings(max_examples=15, deadline=None)
@given(data=st.data(), n=SIZES, rows=st.sampled_from([0, 1, 3, 16]))
def test_vect_mat_mul(k, data, n, rows):
    (v,) = data.draw(vectors(n))
    m = [data.draw(vectors(n))[0] for _ in range(rows)]
    got = k.vect_mat_mul(v, m)
    assert isinstance(got, list) and len(got) == rows
    mat = np.array(m).reshape(rows, n)
    close(got, mat.dot(v), np.abs(mat * v).sum(axis=1))


@settings(max_examples=15, deadline=None)
@given(data=st.data(), n=st.sampled_from([0, 1, 3, 16]), m=st.sampled_from([0, 1, 3, 16]))
def test_outer_prod(k, data, n, m):
    (a,) = data.draw(vectors(n))
    (b,) = data.draw(vectors(m))
    got = k.outer_prod(a, b)
    assert isinstance(got, list) and len(got) == n
    close(np.array(got).reshape(n, m), np.outer(a, b))


@pytest.mark.parametrize("name, op", [("vec_add", np.add), ("vec_sub", np.subtract),
                                      ("vec_mul", np.multiply)])
@settings(max_examples=15, deadline=None)
@given(data=st.data(), n=SIZES)
def test_elementwise(k, name, op, data, n):
    a, b = data.draw(vectors(n, 2))
    close(getattr(k, name)(a, b), op(np.array(a), np.array(b)))


@settings(max_examples=15, deadline=None)
@given(data=st.data(), n=st.sampled_from([1, 3, 8]), inner=st.sampled_from([1, 3, 8]),
       m=st.sampled_from([1, 3, 8]))
def test_mat_mul_and_transpose(k, data, n, inner, m):
    a = [data.draw(vectors(inner))[0] for _ in range(n)]
    b = [data.draw(vectors(m))[0] for _ in range(inner)]
    got = k.mat_mul(a, b)
    assert isinstance(got, list) and len(got) == n
    close(got, np.dot(a, b), np.abs(a).dot(np.abs(b)))
    close(k.transpose(b), np.array(b).T)


def test_mat_mul_with_nothing_inside(k):
    assert k.mat_mul([[], []], []) == [[], []]
    assert k.mat_mul([], []) == []


ACTIVATIONS = {
    "sigmoid": lambda x: 1 / (1 + np.exp(-x)),
    "sigmoid2deriv": lambda o: o * (1 - o),
    "relu": lambda x: np.maximum(x, 0.0),
    "relu2deriv": lambda o: (o > 0).astype(float),
    "tanh": np.tanh,
    "tanh2deriv": lambda o: 1 - o * o,
}


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
@settings(max_examples=15, deadline=None)
@given(data=st.data(), n=SIZES)
def test_activations(k, name, data, n):
    (x,) = data.draw(vectors(n))
    with np.errstate(over="ignore"):
        want = ACTIVATIONS[name](np.array(x))
    close(getattr(k, name)(x), want)
    if n:
        single = getattr(k, name)(x[0])
        assert type(single) is float
        close(single, want[0])


@settings(max_examples=15, deadline=None)
@given(data=st.data(), n=st.sampled_from([1, 3, 16, 1000]))
def test_mean_abs_error(k, data, n):
    a, b = data.draw(vectors(n, 2))
    close(k.mean_abs_error(a, b), np.mean(np.abs(np.array(a) - np.array(b))))


# -- edges: empty, NaN, inf, huge --------------------------------------------------

def test_empty_vectors(k):
    assert k.w_sum([], []) == 0.0
    assert k.ele_mul(2.0, []) == []
    assert k.vect_mat_mul([1.0, 2.0], []) == []
    assert k.outer_prod([], [1.0]) == []
    assert k.outer_prod([1.0], []) == [[]]
    assert k.transpose([]) == []
    assert k.mat_mul([], [[1.0]]) == []
    # the mean of no numbers: a ValueError on every backend (tests/kernels/test_errors.py has it)


@np.errstate(all="ignore")
def test_nan_and_inf_propagate_as_in_numpy(k):
    inf, nan = math.inf, math.nan
    a, b = [inf, 1.0, nan], [0.0, 2.0, 1.0]
    assert math.isnan(k.w_sum(a, b))
    assert k.w_sum([inf, 1.0], [1.0, 1.0]) == inf
    np.testing.assert_array_equal(k.vec_mul(a, b), np.multiply(a, b))
    np.testing.assert_array_equal(k.ele_mul(inf, [1.0, -1.0, 0.0]), np.multiply(inf, [1.0, -1.0, 0.0]))
    np.testing.assert_array_equal(k.relu([nan, -inf, inf]), [nan, 0.0, inf])
    np.testing.assert_array_equal(k.sigmoid([nan, -inf, inf]), [nan, 0.0, 1.0])


def test_products_past_the_largest_float_give_inf_not_an_error(k):
    assert k.w_sum([1e300], [1e300]) == math.inf
    assert k.ele_mul(1e300, [1e300, -1e300]) == [math.inf, -math.inf]


@pytest.mark.parametrize("x", [-1e308, -1000.0, -745.2, -709.79, -709.78, -700.0, -36.0, -1e-300,
                               0.0, 1e-300, 36.0, 700.0, 709.79, 1000.0, 1e308])
def test_sigmoid_never_overflows_and_matches_numpy(k, x):
    with np.errstate(over="ignore"):
        want = float(1 / (1 + np.exp(-np.float64(x))))
    got = k.sigmoid(x)
    assert got == pytest.approx(want, rel=TOL, abs=0.0) or got == want
    close(k.sigmoid([x, x]), [want, want])


# -- arrays in, arrays out (numpy and cython); pure always gives lists -------------

def test_arrays_in_arrays_out(k, backend_name):
    v = np.array([8.5, 0.65, 1.2])
    m = np.array([[0.1, 0.1, -0.3], [0.1, 0.2, 0.0], [0.0, 1.3, 0.1]])
    got = k.vect_mat_mul(v, m)
    if backend_name == "pure":
        assert isinstance(got, list)
    else:
        assert isinstance(got, np.ndarray) and got.dtype == np.float64
    close(got, m.dot(v))
    close(k.outer_prod(v, v), np.outer(v, v))
    close(k.sigmoid(v), 1 / (1 + np.exp(-v)))
    assert isinstance(k.w_sum(v, v), float)


@pytest.mark.parametrize("make", [
    lambda a: a.astype(np.float32),
    lambda a: (a * 10).astype(np.int64),
    lambda a: a > 0.5,
    lambda a: np.repeat(a, 2)[::2],                 # not contiguous
    lambda a: np.require(a, requirements="C").copy().view(),
], ids=["float32", "int64", "bool", "strided", "view"])
def test_other_arrays_are_read_as_float64(k, make):
    base = np.array([0.25, 0.75, 1.5, -2.0])
    x = make(base)
    x.setflags(write=False)                          # read-only must work too
    want = np.asarray(x, dtype=np.float64)
    close(k.w_sum(x, x), float(want.dot(want)), float(np.abs(want * want).sum()))
    close(k.vec_add(x, list(want)), want + want)


def test_array_module_and_memoryview_inputs(k, backend_name):
    import array
    a = array.array("d", [1.0, 2.0, 3.0])
    got = k.ele_mul(2.0, memoryview(a))
    close(got, [2.0, 4.0, 6.0])
    assert isinstance(got, list) == (backend_name == "pure")
    assert k.w_sum(a, a) == 14.0


# -- nothing is changed -------------------------------------------------------------

CALLS = [
    ("w_sum", ([1.0, 2.0], [3.0, 4.0])),
    ("ele_mul", (2.0, [1.0, 2.0])),
    ("vect_mat_mul", ([1.0, 2.0], [[1.0, 2.0], [3.0, 4.0]])),
    ("outer_prod", ([1.0, 2.0], [3.0])),
    ("vec_add", ([1.0], [2.0])), ("vec_sub", ([1.0], [2.0])), ("vec_mul", ([1.0], [2.0])),
    ("mat_mul", ([[1.0, 2.0]], [[1.0], [2.0]])),
    ("transpose", ([[1.0, 2.0], [3.0, 4.0]],)),
    ("sigmoid", ([0.0, 1.0],)), ("relu", ([-1.0, 1.0],)), ("tanh", ([0.5],)),
    ("sigmoid2deriv", ([0.5],)), ("relu2deriv", ([0.5],)), ("tanh2deriv", ([0.5],)),
    ("mean_abs_error", ([1.0, 2.0], [0.0, 0.0])),
]


@pytest.mark.parametrize("name, args", CALLS, ids=[c[0] for c in CALLS])
def test_arguments_are_never_changed(k, name, args):
    lists = kept(args)
    arrays = tuple(np.array(a) if isinstance(a, list) else a for a in args)
    arrays_before = kept(arrays)
    result = getattr(k, name)(*lists)
    assert lists == args
    getattr(k, name)(*arrays)
    for a, b in zip(arrays, arrays_before):
        np.testing.assert_array_equal(a, b)
    if isinstance(result, list):                      # the answer is a new list, not an argument
        assert all(result is not a for a in lists)


# -- pure and compiled: identical bits on lists ----------------------------------------
#
# Not referee tests: these compare the compiled twin with pure, which it promises
# to equal to the last bit on lists (the same arithmetic in the same order, and
# builds that never fuse a multiply and an add). The referee tests above compare
# every backend with NumPy.

# Signed zeros, the smallest denormal, the edges of the normal range, the
# largest floats (their products overflow to inf), and inf and NaN themselves.
EDGES = [0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308, -1e-310, 1.7976931348623157e308,
         -1e300, 1e-300, 1.0, -1.0, 0.1, 1 / 3, 0.7, 709.79, -745.2, 36.0, math.inf, -math.inf,
         math.nan]
# Any float at all, and ordinary ones (where a product's rounding shows in a sum).
ANY_FLOAT = st.one_of(st.sampled_from(EDGES), st.floats(allow_nan=True, allow_infinity=True),
                      st.floats(min_value=-10.0, max_value=10.0))
FEW = st.integers(min_value=0, max_value=6)


def bits(result):
    """``result`` with every float as its 64 bits (NaN as the word "nan"), so that == sees -0.0."""
    if isinstance(result, list):
        return [bits(x) for x in result]
    assert type(result) is float, result
    if math.isnan(result):
        # Which NaN comes out of an operation on two NaNs depends on the order in
        # which the C compiler hands them to the processor: only NaN-ness is promised.
        return "nan"
    return struct.unpack("<Q", struct.pack("<d", result))[0]


def floats(n):
    return st.lists(ANY_FLOAT, min_size=n, max_size=n)


def matrix(rows, columns):
    return st.lists(floats(columns), min_size=rows, max_size=rows)


@st.composite
def kernel_arguments(draw, name):
    """Arguments that fit ``name``, drawn from any floats, sizes 0 to 6 (the element-wise
    kernels: vectors or matrices)."""
    n, m, k = draw(FEW), draw(FEW), draw(FEW)
    if name == "mean_abs_error":  # the mean of no numbers is an error (tests/kernels/test_errors.py)
        n = max(n, 1)
    if name in ("vec_add", "vec_sub", "vec_mul") and draw(st.booleans()):
        return draw(matrix(n, m)), draw(matrix(n, m))  # two matrices of one shape
    if name in ("w_sum", "vec_add", "vec_sub", "vec_mul", "mean_abs_error"):
        return draw(floats(n)), draw(floats(n))
    if name == "ele_mul":
        return draw(ANY_FLOAT), draw(st.one_of(floats(n), matrix(n, m)))
    if name == "vect_mat_mul":
        return draw(floats(n)), draw(matrix(m, n))
    if name == "outer_prod":
        return draw(floats(n)), draw(floats(m))
    if name == "mat_mul":
        return draw(matrix(n, k)), draw(matrix(k, m))
    if name == "transpose":
        return (draw(matrix(n, m)),)
    # an activation: a number, a vector or a matrix
    return (draw(st.one_of(ANY_FLOAT, floats(n), matrix(n, m))),)


@pytest.fixture(scope="module")
def twins():
    return grokking.backend("pure"), grokking.backend("cython")


@pytest.mark.exact
@needs_compiled
@pytest.mark.parametrize("name", KERNELS)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_pure_and_compiled_give_identical_bits_on_lists(twins, name, data):
    """Any floats (signed zeros, denormals, huge, inf, NaN), any fitting sizes: the same bits.

    Pure against compiled: the twin's promise of identical bits, not a referee test."""
    pure, compiled = twins
    args = data.draw(kernel_arguments(name))
    with np.errstate(all="ignore"):
        assert bits(getattr(compiled, name)(*args)) == bits(getattr(pure, name)(*args))


def edge_arguments(name, x, y):
    """Arguments of ``name`` made of x and y. A sum adds 0, x*y, then y*-x: plainly rounded,
    x*y and y*-x cancel to 0.0; fused into one multiply-add (the last product, which a
    compiler that vectorizes the products in pairs leaves alone) they leave x*y's rounding error."""
    if name in ACTIVATIONS:
        return ([x, y],)
    return {"ele_mul": (x, [y, -y]), "vect_mat_mul": ([x, x, y], [[0.0, y, -x], [y, 0.0, x]]),
            "mat_mul": ([[x, x, y]], [[0.0], [y], [-x]]), "transpose": ([[x, y], [y, x]],),
            }.get(name, ([x, x, y], [0.0, y, -x]))


def edge_matrix_arguments(name, x, y):
    """Arguments of an element-wise kernel ``name`` with x and y in matrices; else None."""
    m = [[x, y, -x], [y, x, -y]]
    if name == "ele_mul":
        return (x, m)
    if name in ("vec_add", "vec_sub", "vec_mul"):
        return (m, [[y, x, y], [x, -y, x]])
    return (m,) if name in ACTIVATIONS else None


@pytest.mark.exact
@needs_compiled
@pytest.mark.parametrize("name", KERNELS)
def test_pure_and_compiled_agree_on_each_edge_value(twins, name):
    """Every edge value against every other, in each place of each kernel: the same bits.

    Pure against compiled: the twin's promise of identical bits, not a referee test."""
    pure, compiled = twins
    for x in EDGES:
        for y in EDGES:
            for args in (edge_arguments(name, x, y), edge_matrix_arguments(name, x, y)):
                if args is None:
                    continue
                got, want = getattr(compiled, name)(*args), getattr(pure, name)(*args)
                assert bits(got) == bits(want), (name, args, got, want)
            if name in ACTIVATIONS:  # and of one number
                assert bits(getattr(compiled, name)(x)) == bits(getattr(pure, name)(x)), (name, x)


@pytest.mark.exact
@needs_compiled
def test_signed_zeros_come_out_of_both_the_same(twins):
    """The cases that once differed, and the ones most likely to: -0.0 kept, or made +0.0.

    Pure against compiled: the twin's promise of identical bits, not a referee test."""
    pure, compiled = twins
    for name, args in [("relu", (-0.0,)), ("relu", ([-0.0, 0.0, -1.0],)), ("w_sum", ([-0.0], [1.0])),
                       ("w_sum", ([], [])), ("ele_mul", (-1.0, [0.0])), ("vec_add", ([-0.0], [-0.0])),
                       ("vec_sub", ([0.0], [0.0])), ("mat_mul", ([[-0.0]], [[1.0]])),
                       ("vect_mat_mul", ([-0.0], [[1.0]])), ("outer_prod", ([-0.0], [1.0])),
                       ("tanh", (-0.0,)), ("tanh2deriv", ([1.0, -1.0],)), ("transpose", ([[-0.0]],))]:
        got, want = getattr(compiled, name)(*args), getattr(pure, name)(*args)
        assert bits(got) == bits(want), (name, args, got, want)
    signs = [math.copysign(1.0, x) for x in compiled.relu([-0.0, 0.0])]
    assert signs == [1.0, 1.0]        # relu(-0.0) is 0.0, as NumPy's maximum(-0.0, 0.0) is
    assert math.copysign(1.0, compiled.w_sum([-0.0], [1.0])) == 1.0   # 0.0 + -0.0 is +0.0


def test_relu_of_minus_zero_is_numpys_plus_zero(k):
    """``np.maximum(-0.0, 0.0)`` is 0.0: every backend gives that, for a number, a list and an array."""
    want = math.copysign(1.0, float(np.maximum(-0.0, 0.0)))
    assert want == 1.0
    assert math.copysign(1.0, k.relu(-0.0)) == want
    assert [math.copysign(1.0, v) for v in k.relu([-0.0, 0.0])] == [want, 1.0]
    assert math.copysign(1.0, k.relu(np.array([-0.0]))[0]) == want
    assert math.isnan(k.relu(math.nan))
