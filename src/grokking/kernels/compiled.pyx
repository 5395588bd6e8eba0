"""The Cython twin of ``pure``: the same kernels, the same answers, compiled to C.

Read ``pure.py`` first; this file does the same arithmetic in the same order.
What differs is how numbers are read:

- a list holding only Python floats is read in place (the fast path);
- a NumPy float64 array (or another buffer) is read through a typed
  memoryview, and the answer is a NumPy array, as in the NumPy backend;
- anything else goes through ``inputs`` (or ``arrays``), exactly as the other
  backends do, so a mistake raises the same error with the same message.

Every size is checked *before* the C loops run; those loops skip Python's
bounds checks (the directives are in ``setup.py``), so they must never be
reached with shapes that do not fit.
"""
from cpython.ref cimport PyObject
from libc.math cimport exp, fabs, tanh as c_tanh, NAN

import numpy as np

from . import arrays, inputs

cdef extern from "Python.h":
    PyObject* list_item "PyList_GET_ITEM"(object, Py_ssize_t)
    bint is_float "PyFloat_CheckExact"(PyObject*)
    double as_double "PyFloat_AS_DOUBLE"(PyObject*)
    bint is_list "PyList_CheckExact"(PyObject*)

name = "cython"


# -- reading arguments ---------------------------------------------------------

cdef bint _all_floats(object x):
    """True when ``x`` is a list holding nothing but Python floats."""
    cdef Py_ssize_t i
    if type(x) is not list:
        return False
    for i in range(len(<list>x)):
        if not is_float(list_item(x, i)):
            return False
    return True


cdef list _vector(object x, str arg, str func):
    """``x`` itself when it is a list of floats (read only), else a checked copy."""
    if _all_floats(x):
        return <list>x
    return inputs.vector(x, arg, func)


cdef list _matrix(object m, str arg, str func):
    """``m`` itself when it is a list of equally long lists of floats, else a checked copy."""
    cdef Py_ssize_t i, n
    if type(m) is list and len(<list>m) > 0:
        n = -1
        for i in range(len(<list>m)):
            row = <object>list_item(m, i)
            if not _all_floats(row) or (n >= 0 and len(<list>row) != n):
                return inputs.matrix(m, arg, func)
            n = len(<list>row)
        return <list>m
    return inputs.matrix(m, arg, func)


cdef inline double _at(list v, Py_ssize_t i):
    return as_double(list_item(v, i))


# -- the C loops (shapes already checked) -------------------------------------

cdef double _dot_list(list a, list b):
    cdef Py_ssize_t i
    cdef double total = 0.0
    for i in range(len(a)):
        total += _at(a, i) * _at(b, i)
    return total


cdef double _dot_view(const double[:] a, const double[:] b) noexcept nogil:
    cdef Py_ssize_t i
    cdef double total = 0.0
    for i in range(a.shape[0]):
        total += a[i] * b[i]
    return total


# -- the kernels ---------------------------------------------------------------

def w_sum(a, b):
    """Weighted sum: multiply ``a`` and ``b`` element by element, add it all up."""
    if arrays.any_array(a, b):
        av = arrays.vector(a, "a", "w_sum")
        bv = arrays.vector(b, "b", "w_sum")
        inputs.same_length(av, bv, "a", "b", "w_sum")
        return _dot_view(av, bv)
    cdef list al = _vector(a, "a", "w_sum")
    cdef list bl = _vector(b, "b", "w_sum")
    inputs.same_length(al, bl, "a", "b", "w_sum")
    return _dot_list(al, bl)


def ele_mul(number, vector):
    """Multiply every element of ``vector`` by one ``number``."""
    cdef double scale = inputs.number(number, "number", "ele_mul")
    cdef Py_ssize_t i
    cdef const double[:] v
    cdef double[:] o
    if arrays.any_array(vector):
        v = arrays.vector(vector, "vector", "ele_mul")
        out = np.empty(v.shape[0])
        o = out
        for i in range(v.shape[0]):
            o[i] = scale * v[i]
        return out
    cdef list vl = _vector(vector, "vector", "ele_mul")
    cdef list result = [0.0] * len(vl)
    for i in range(len(vl)):
        result[i] = scale * _at(vl, i)
    return result


def vect_mat_mul(vect, matrix):
    """One weighted sum per row of the matrix: ``output[i] = w_sum(vect, matrix[i])``."""
    cdef Py_ssize_t i
    cdef const double[:] v
    cdef const double[:, :] m
    cdef double[:] o
    if arrays.any_array(vect, matrix):
        v = arrays.vector(vect, "vect", "vect_mat_mul")
        mm = arrays.matrix(matrix, "matrix", "vect_mat_mul")
        if mm.shape[0]:
            inputs.same_length(v, mm[0], "vect", "matrix[0]", "vect_mat_mul")
        m = mm
        out = np.empty(m.shape[0])
        o = out
        for i in range(m.shape[0]):
            o[i] = _dot_view(v, m[i, :])
        return out
    cdef list vl = _vector(vect, "vect", "vect_mat_mul")
    cdef list rows = _matrix(matrix, "matrix", "vect_mat_mul")
    if rows:
        inputs.same_length(vl, rows[0], "vect", "matrix[0]", "vect_mat_mul")
    cdef list result = [0.0] * len(rows)
    for i in range(len(rows)):
        result[i] = _dot_list(vl, <list>list_item(rows, i))
    return result


def outer_prod(vec_a, vec_b):
    """Every pair multiplied: ``output[i][j] = vec_a[i] * vec_b[j]``."""
    cdef Py_ssize_t i, j
    cdef const double[:] a
    cdef const double[:] b
    cdef double[:, :] o
    if arrays.any_array(vec_a, vec_b):
        a = arrays.vector(vec_a, "vec_a", "outer_prod")
        b = arrays.vector(vec_b, "vec_b", "outer_prod")
        out = np.empty((a.shape[0], b.shape[0]))
        o = out
        for i in range(a.shape[0]):
            for j in range(b.shape[0]):
                o[i, j] = a[i] * b[j]
        return out
    cdef list al = _vector(vec_a, "vec_a", "outer_prod")
    cdef list bl = _vector(vec_b, "vec_b", "outer_prod")
    cdef list result = [None] * len(al)
    cdef list row
    cdef double ai
    for i in range(len(al)):
        ai = _at(al, i)
        row = [0.0] * len(bl)
        for j in range(len(bl)):
            row[j] = ai * _at(bl, j)
        result[i] = row
    return result


cdef enum Op:
    ADD, SUB, MUL


cdef inline double _apply_op(Op op, double x, double y) noexcept nogil:
    if op == ADD:
        return x + y
    if op == SUB:
        return x - y
    return x * y


cdef object _elementwise(Op op, a, b, str func):
    cdef Py_ssize_t i
    cdef const double[:] av
    cdef const double[:] bv
    cdef double[:] o
    if arrays.any_array(a, b):
        av = arrays.vector(a, "a", func)
        bv = arrays.vector(b, "b", func)
        inputs.same_length(av, bv, "a", "b", func)
        out = np.empty(av.shape[0])
        o = out
        for i in range(av.shape[0]):
            o[i] = _apply_op(op, av[i], bv[i])
        return out
    cdef list al = _vector(a, "a", func)
    cdef list bl = _vector(b, "b", func)
    inputs.same_length(al, bl, "a", "b", func)
    cdef list result = [0.0] * len(al)
    for i in range(len(al)):
        result[i] = _apply_op(op, _at(al, i), _at(bl, i))
    return result


def vec_add(a, b):
    """Element-wise sum ``a + b`` of two vectors of the same length."""
    return _elementwise(ADD, a, b, "vec_add")


def vec_sub(a, b):
    """Element-wise difference ``a - b`` of two vectors of the same length."""
    return _elementwise(SUB, a, b, "vec_sub")


def vec_mul(a, b):
    """Element-wise product ``a * b`` of two vectors of the same length."""
    return _elementwise(MUL, a, b, "vec_mul")


def mat_mul(a, b):
    """Matrix product: ``output[i][j]`` is the weighted sum of row i of a and column j of b."""
    cdef Py_ssize_t i, j, k, n, inner, columns
    cdef const double[:, :] av
    cdef const double[:, :] bv
    cdef double[:, :] o
    cdef double total
    if arrays.any_array(a, b):
        am = arrays.matrix(a, "a", "mat_mul")
        bm = arrays.matrix(b, "b", "mat_mul")
    else:
        am = _matrix(a, "a", "mat_mul")
        bm = _matrix(b, "b", "mat_mul")
    if len(am):
        inputs.same_length(am[0], bm, "a[0]", "b (its rows)", "mat_mul")
    n, inner = len(am), len(bm)
    columns = len(bm[0]) if inner else 0
    # Both kinds of input meet here as contiguous C arrays of float64.
    av = np.asarray(am, dtype=np.float64).reshape(n, inner if n else 0)
    bv = np.asarray(bm, dtype=np.float64).reshape(inner, columns)
    out = np.zeros((n, columns))
    o = out
    with nogil:
        for i in range(n):
            for j in range(columns):
                total = 0.0
                for k in range(inner):
                    total += av[i, k] * bv[k, j]
                o[i, j] = total
    return out if arrays.any_array(a, b) else out.tolist()


def transpose(matrix):
    """Rows become columns: ``output[j][i] = matrix[i][j]``."""
    if arrays.any_array(matrix):
        return arrays.matrix(matrix, "matrix", "transpose").T.copy()
    cdef list rows = _matrix(matrix, "matrix", "transpose")
    cdef Py_ssize_t i, j, columns = len(rows[0]) if rows else 0
    cdef list result = [None] * columns
    cdef list column
    for j in range(columns):
        column = [None] * len(rows)
        for i in range(len(rows)):
            column[i] = (<list>list_item(rows, i))[j]
        result[j] = column
    return result


# -- activations: a number in, a number out; a vector in, a vector out -----------

ctypedef double (*rule_t)(double) noexcept nogil

cdef double _sigmoid(double x) noexcept nogil:
    return 1.0 / (1.0 + exp(-x))  # exp overflows to inf here, giving 0, as in NumPy

cdef double _sigmoid2deriv(double o) noexcept nogil:
    return o * (1.0 - o)

cdef double _relu(double x) noexcept nogil:
    return x if (x > 0.0 or x != x) else 0.0  # NaN stays NaN, as in pure and NumPy

cdef double _relu2deriv(double o) noexcept nogil:
    return 1.0 if o > 0.0 else 0.0

cdef double _tanh(double x) noexcept nogil:
    return c_tanh(x)

cdef double _tanh2deriv(double o) noexcept nogil:
    return 1.0 - o * o


cdef object _each(rule_t rule, x, str arg, str func):
    cdef Py_ssize_t i
    cdef const double[:] v
    cdef double[:] o
    if type(x) is float:
        return rule(<double>x)
    if arrays.any_array(x):
        v = arrays.vector(x, arg, func)
        out = np.empty(v.shape[0])
        o = out
        for i in range(v.shape[0]):
            o[i] = rule(v[i])
        return out
    if not hasattr(x, "__len__"):
        return rule(inputs.number(x, arg, func))
    cdef list xl = _vector(x, arg, func)
    cdef list result = [0.0] * len(xl)
    for i in range(len(xl)):
        result[i] = rule(_at(xl, i))
    return result


def sigmoid(x):
    """The S-curve ``1 / (1 + e^-x)``: any number squashed into (0, 1)."""
    return _each(_sigmoid, x, "x", "sigmoid")


def sigmoid2deriv(output):
    """Slope of the sigmoid, from its *output*: ``output * (1 - output)``."""
    return _each(_sigmoid2deriv, output, "output", "sigmoid2deriv")


def relu(x):
    """``x`` where it is positive, else 0."""
    return _each(_relu, x, "x", "relu")


def relu2deriv(output):
    """Slope of relu, from its output: 1 where the output is positive, else 0."""
    return _each(_relu2deriv, output, "output", "relu2deriv")


def tanh(x):
    """The hyperbolic tangent: any number squashed into (-1, 1)."""
    return _each(_tanh, x, "x", "tanh")


def tanh2deriv(output):
    """Slope of tanh, from its output: ``1 - output**2``."""
    return _each(_tanh2deriv, output, "output", "tanh2deriv")


def mean_abs_error(output, target):
    """How far off, on average: the mean of ``|output[i] - target[i]|``."""
    cdef Py_ssize_t i, n
    cdef double total = 0.0
    cdef const double[:] ov
    cdef const double[:] tv
    if arrays.any_array(output, target):
        ov = arrays.vector(output, "output", "mean_abs_error")
        tv = arrays.vector(target, "target", "mean_abs_error")
        inputs.same_length(ov, tv, "output", "target", "mean_abs_error")
        n = ov.shape[0]
        for i in range(n):
            total += fabs(ov[i] - tv[i])
    else:
        ol = _vector(output, "output", "mean_abs_error")
        tl = _vector(target, "target", "mean_abs_error")
        inputs.same_length(ol, tl, "output", "target", "mean_abs_error")
        n = len(ol)
        for i in range(n):
            total += fabs(_at(ol, i) - _at(tl, i))
    return total / n if n else NAN
