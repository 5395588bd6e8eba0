"""Every form a float64 array can take, read right by the compiled kernels.

The compiled backend reads a NumPy float64 array that is C-ordered, one or two
dimensions with no empty side (the framework's arrays, at every call) in place,
straight from its buffer; any other form goes through ``arrays``, which copies it
or says what is wrong. Here each form, the plain one beside the ones that must not
be read in place (a view with other strides, another byte order, an empty side, the
wrong number of dimensions), goes through four kernels, and the answer must be
NumPy's own arithmetic on the same numbers, or the error the NumPy backend gives.
"""
import numpy as np
import pytest

import grokking
from marks import needs_compiled

pytestmark = needs_compiled

RNG = np.random.default_rng(7)
M = RNG.random((3, 4)) - 0.5           # 3 x 4
V = RNG.random(4) - 0.5                # 4


def _readonly(a):
    a = a.copy()
    a.flags.writeable = False
    return a


VECTORS = {
    "plain": lambda: V.copy(),
    "read-only": lambda: _readonly(V),
    "every other": lambda: np.repeat(V, 2)[::2],
    "reversed view": lambda: V[::-1].copy()[::-1],
    "big-endian": lambda: V.astype(">f8"),
    "row of a matrix": lambda: np.vstack([V, V + 1])[1] - 1,
    "column of a matrix": lambda: np.column_stack([V, V])[:, 0],
}

MATRICES = {
    "plain": lambda: M.copy(),
    "read-only": lambda: _readonly(M),
    "Fortran order": lambda: np.asfortranarray(M),
    "transposed view": lambda: M.T.copy().T,
    "every other column": lambda: np.repeat(M, 2, axis=1)[:, ::2],
    "every other row": lambda: np.repeat(M, 2, axis=0)[::2],
    "one row, strided": lambda: np.vstack([M, M])[::3][:1],
    "big-endian": lambda: M.astype(">f8"),
}

WRONG = {   # (what is passed, the error's message, ending)
    "0-D": (lambda: np.array(1.5), "got a 0-D array of shape ()"),
    "3-D": (lambda: np.ones((2, 2, 2)), "got a 3-D array of shape (2, 2, 2)"),
}


def close(got, want):
    assert isinstance(got, np.ndarray) and got.dtype == np.float64 and got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


@pytest.fixture(scope="module")
def cython():
    return grokking.backend("cython")


@pytest.mark.parametrize("form", VECTORS)
def test_a_vector_in_any_form(cython, form):
    v = VECTORS[form]()
    before = v.copy()
    close(cython.vec_add(v, V), V + V)
    close(cython.vect_mat_mul(v, M), M @ V)
    close(cython.sigmoid(v), 1 / (1 + np.exp(-V)))
    close(cython.ele_mul(2.0, v), 2.0 * V)
    np.testing.assert_array_equal(v, before)          # the argument is never changed


@pytest.mark.parametrize("form", MATRICES)
def test_a_matrix_in_any_form(cython, form):
    m = MATRICES[form]()
    want = m.astype(np.float64)                       # (the numbers, C-ordered, native)
    close(cython.vec_add(m, want), want + want)
    close(cython.mat_mul(m, M.T), want @ M.T)
    close(cython.vect_mat_mul(V[:want.shape[1]], m), want @ V[:want.shape[1]])
    close(cython.transpose(m), want.T)


@pytest.mark.parametrize("side", ["no rows", "no columns"])
def test_an_empty_side_gives_what_the_numpy_backend_gives(cython, side):
    m = np.ones((0, 3)) if side == "no rows" else np.ones((3, 0))
    numpy = grokking.backend("numpy")
    for kernel in ("sigmoid", "transpose"):
        got, want = getattr(cython, kernel)(m), getattr(numpy, kernel)(m)
        assert got.shape == want.shape, kernel


@pytest.mark.parametrize("form", WRONG)
def test_the_wrong_number_of_dimensions_is_an_error(cython, form):
    make, ending = WRONG[form]
    for kernel in ("sigmoid", "vec_add"):
        args = (make(),) if kernel == "sigmoid" else (make(), make())
        with pytest.raises(TypeError) as raised:
            getattr(cython, kernel)(*args)
        assert str(raised.value).endswith(ending), str(raised.value)
