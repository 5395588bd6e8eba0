"""The referee: every kernel written with NumPy, as the blog posts write it.

Each function gives the same answer as ``pure`` (to rounding) and raises the
same errors, because it checks its arguments with the same ``inputs`` rules.
List arguments give list answers; array arguments give NumPy arrays. The
element-wise kernels take a vector or a matrix, and give the same shape back.
Like the other backends it says nothing when a result overflows to inf or
becomes NaN (NumPy would warn): the numbers themselves tell the story.
"""
import functools as _functools

import numpy as _np

from . import KERNELS as _KERNELS, arrays as _arrays, inputs as _inputs

__all__ = ("name", *_KERNELS)

name = "numpy"


def _quiet(kernel):
    """Run ``kernel`` without NumPy's overflow/invalid-value warnings."""
    @_functools.wraps(kernel)
    def quiet(*args):
        with _np.errstate(all="ignore"):
            return kernel(*args)
    return quiet


def _out(result, *args):
    """``result`` as the caller expects it: an array for array input, else lists."""
    return result if _arrays.any_array(*args) else result.tolist()


@_quiet
def w_sum(a, b):
    """Weighted sum of two vectors: ``np.dot(a, b)``."""
    av, bv = _arrays.vector(a, "a", "w_sum"), _arrays.vector(b, "b", "w_sum")
    _inputs.same_length(av, bv, "a", "b", "w_sum")
    return float(_np.dot(av, bv))


@_quiet
def ele_mul(number, vector):
    """``number * vector`` (a vector or a matrix)."""
    n = _inputs.number(number, "number", "ele_mul")
    v = _arrays.vector_or_matrix(vector, "vector", "ele_mul")
    return _out(n * v, vector)


@_quiet
def vect_mat_mul(vect, matrix):
    """``matrix.dot(vect)``: one weighted sum per row of the matrix."""
    v = _arrays.vector(vect, "vect", "vect_mat_mul")
    m = _arrays.matrix(matrix, "matrix", "vect_mat_mul")
    if len(m):
        _inputs.same_length(v, m[0], "vect", "matrix[0]", "vect_mat_mul")
    return _out(_dot(m, v) if len(m) else _np.zeros(0), vect, matrix)


def _dot(m, x):
    """``m.dot(x)``, keeping NaN where a term is NaN (0 * inf, 0 * NaN).

    The BLAS under ``np.dot`` may skip the columns of ``m`` where ``x`` is
    zero, so ``0 * NaN`` silently counts as 0 there. The referee must say NaN,
    as the loops do, so when any number is not finite it adds the terms up
    itself (``np.einsum`` does not call the BLAS).
    """
    if _np.isfinite(m).all() and _np.isfinite(x).all():
        return m.dot(x)
    return _np.einsum("ik,k->i" if x.ndim == 1 else "ik,kj->ij", m, x)


@_quiet
def outer_prod(vec_a, vec_b):
    """``np.outer(vec_a, vec_b)``."""
    a = _arrays.vector(vec_a, "vec_a", "outer_prod")
    b = _arrays.vector(vec_b, "vec_b", "outer_prod")
    return _out(_np.outer(a, b), vec_a, vec_b)


def _elementwise(op, a, b, func):
    av = _arrays.vector_or_matrix(a, "a", func)
    bv = _arrays.vector_or_matrix(b, "b", func)
    _inputs.same_shape(av.shape, bv.shape, "a", "b", func)
    return _out(op(av, bv), a, b)


@_quiet
def vec_add(a, b):
    """``a + b``."""
    return _elementwise(_np.add, a, b, "vec_add")


@_quiet
def vec_sub(a, b):
    """``a - b``."""
    return _elementwise(_np.subtract, a, b, "vec_sub")


@_quiet
def vec_mul(a, b):
    """``a * b``, element by element."""
    return _elementwise(_np.multiply, a, b, "vec_mul")


@_quiet
def mat_mul(a, b):
    """``a.dot(b)``."""
    am, bm = _arrays.matrix(a, "a", "mat_mul"), _arrays.matrix(b, "b", "mat_mul")
    if len(am):
        _inputs.same_length(am[0], bm, "a[0]", "b (its rows)", "mat_mul")
    columns = bm.shape[1] if len(bm) else 0
    result = _dot(am, bm) if len(am) and len(bm) else _np.zeros((len(am), columns))
    return _out(result, a, b)


@_quiet
def transpose(matrix):
    """``matrix.T`` (a new array, not a view of the argument)."""
    m = _arrays.matrix(matrix, "matrix", "transpose")
    return _out(m.T.copy(), matrix)


def _activation(rule, x, arg, func):
    value, is_array = _arrays.number_or_array(x, arg, func)
    result = rule(_np.asarray(value, dtype=_np.float64))
    return _out(result, x) if is_array else float(result)


@_quiet
def sigmoid(x):
    """``1 / (1 + np.exp(-x))``."""
    return _activation(lambda v: 1 / (1 + _np.exp(-v)), x, "x", "sigmoid")


@_quiet
def sigmoid2deriv(output):
    """``output * (1 - output)``."""
    return _activation(lambda o: o * (1 - o), output, "output", "sigmoid2deriv")


@_quiet
def relu(x):
    """``np.maximum(x, 0)``."""
    return _activation(lambda v: _np.maximum(v, 0.0), x, "x", "relu")


@_quiet
def relu2deriv(output):
    """``(output > 0)`` as floats."""
    return _activation(lambda o: (o > 0).astype(_np.float64), output, "output", "relu2deriv")


@_quiet
def tanh(x):
    """``np.tanh(x)``."""
    return _activation(_np.tanh, x, "x", "tanh")


@_quiet
def tanh2deriv(output):
    """``1 - output ** 2``."""
    return _activation(lambda o: 1 - o * o, output, "output", "tanh2deriv")


@_quiet
def mean_abs_error(output, target):
    """``np.mean(np.abs(output - target))``; empty vectors are a ValueError (NumPy says nan)."""
    o = _arrays.vector(output, "output", "mean_abs_error")
    t = _arrays.vector(target, "target", "mean_abs_error")
    _inputs.same_length(o, t, "output", "target", "mean_abs_error")
    _inputs.some_numbers(len(o), "output", "target", "mean_abs_error")
    return float(_np.mean(_np.abs(o - t)))
