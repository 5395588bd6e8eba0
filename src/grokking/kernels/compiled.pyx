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


cdef bint _float_matrix(object m):
    """True when ``m`` is a non-empty list of equally long lists of Python floats."""
    cdef Py_ssize_t i, n
    if type(m) is not list or len(<list>m) == 0:
        return False
    n = -1
    for i in range(len(<list>m)):
        row = <object>list_item(m, i)
        if not _all_floats(row) or (n >= 0 and len(<list>row) != n):
            return False
        n = len(<list>row)
    return True


cdef list _matrix(object m, str arg, str func):
    """``m`` itself when it is a list of equally long lists of floats, else a checked copy."""
    if _float_matrix(m):
        return <list>m
    return inputs.matrix(m, arg, func)


# Two arguments are read in place only when *both* can be: copying the second
# one may run a learner's code (a float subclass's ``__float__``) that changes
# the first after it was checked, and the C loops would then read whatever is
# there now. Either both are read in place, or both are copied in order, as in
# the pure backend.

cdef tuple _vectors(object a, object b, str name_a, str name_b, str func):
    """``(a, b)`` as lists of floats: both in place, or both checked copies."""
    if _all_floats(a) and _all_floats(b):
        return a, b
    return inputs.vector(a, name_a, func), inputs.vector(b, name_b, func)


cdef inline double _at(list v, Py_ssize_t i):
    return as_double(list_item(v, i))


# -- the C loops (shapes already checked) -------------------------------------

cdef double _dot_list(list a, list b):
    cdef Py_ssize_t i
    cdef double total = 0.0
    for i in range(len(a)):
        total += _at(a, i) * _at(b, i)
    return total


cdef double _dot(const double *a, const double *b, Py_ssize_t n) noexcept nogil:
    """The weighted sum of two C arrays, with eight running sums side by side.

    One running sum waits for each addition to finish before the next (about
    four clock cycles); eight independent ones keep the adder busy, and the C
    compiler can pair them into vector instructions, with no -ffast-math: the
    additions are written in the order they are done. Below eight numbers the
    order is exactly pure's; above, the rounding differs from it by ~1e-16.
    """
    cdef double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
    cdef double s4 = 0.0, s5 = 0.0, s6 = 0.0, s7 = 0.0
    cdef Py_ssize_t i = 0
    while i + 8 <= n:
        s0 += a[i] * b[i]
        s1 += a[i + 1] * b[i + 1]
        s2 += a[i + 2] * b[i + 2]
        s3 += a[i + 3] * b[i + 3]
        s4 += a[i + 4] * b[i + 4]
        s5 += a[i + 5] * b[i + 5]
        s6 += a[i + 6] * b[i + 6]
        s7 += a[i + 7] * b[i + 7]
        i += 8
    cdef double total = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
    while i < n:
        total += a[i] * b[i]
        i += 1
    return total


cdef extern from *:
    """
    /* out[r] = the weighted sum of v and row r of the C matrix m (rows x n).
       Four rows at a time: every number of v read from memory serves four
       rows. Each row keeps four running sums (numbers i = 0, 1, 2, 3 mod 4),
       added as (s0 + s2) + (s1 + s3) at the end, then the last n % 4 numbers.
       SSE2 (part of every x86-64 CPU, so no -march flag) does two of those
       sums per instruction; elsewhere the plain C below does the same sums in
       the same order. Multiplications and additions stay separate (no
       -ffast-math): only the grouping of the sum differs from pure's. */
    #if defined(__SSE2__)
    #include <emmintrin.h>
    static double grokking_sum4(__m128d low, __m128d high) {
        double t[2];
        _mm_storeu_pd(t, _mm_add_pd(low, high));
        return t[0] + t[1];
    }
    #endif
    static void grokking_dot_rows(const double *v, const double *m, Py_ssize_t rows,
                                  Py_ssize_t n, double *out) {
        Py_ssize_t r = 0, i, k, whole = n - n % 4;
        for (; r < rows; r += 4) {
            Py_ssize_t block = rows - r < 4 ? rows - r : 4;
            const double *row[4];
            double total[4];
            for (k = 0; k < 4; k++) row[k] = m + (r + (k < block ? k : 0)) * n;
    #if defined(__SSE2__)
            __m128d lo[4], hi[4];
            for (k = 0; k < 4; k++) lo[k] = hi[k] = _mm_setzero_pd();
            for (i = 0; i < whole; i += 4) {
                __m128d x = _mm_loadu_pd(v + i), y = _mm_loadu_pd(v + i + 2);
                for (k = 0; k < 4; k++) {
                    lo[k] = _mm_add_pd(lo[k], _mm_mul_pd(x, _mm_loadu_pd(row[k] + i)));
                    hi[k] = _mm_add_pd(hi[k], _mm_mul_pd(y, _mm_loadu_pd(row[k] + i + 2)));
                }
            }
            for (k = 0; k < 4; k++) total[k] = grokking_sum4(lo[k], hi[k]);
    #else
            double s[4][4] = {{0.0}};
            for (i = 0; i < whole; i += 4)
                for (k = 0; k < 4; k++) {
                    s[k][0] += v[i] * row[k][i];         s[k][1] += v[i + 1] * row[k][i + 1];
                    s[k][2] += v[i + 2] * row[k][i + 2]; s[k][3] += v[i + 3] * row[k][i + 3];
                }
            for (k = 0; k < 4; k++) total[k] = (s[k][0] + s[k][2]) + (s[k][1] + s[k][3]);
    #endif
            for (k = 0; k < block; k++) {
                for (i = whole; i < n; i++) total[k] += v[i] * row[k][i];
                out[r + k] = total[k];
            }
        }
    }
    """
    void _dot_rows "grokking_dot_rows"(const double *v, const double *m, Py_ssize_t rows,
                                       Py_ssize_t n, double *out) noexcept nogil


cdef inline bint _contiguous(const double[:] v) noexcept nogil:
    return v.shape[0] == 0 or v.strides[0] == sizeof(double)


cdef double _dot_view(const double[:] a, const double[:] b) noexcept nogil:
    cdef Py_ssize_t i
    cdef double total = 0.0
    if a.shape[0] and _contiguous(a) and _contiguous(b):
        return _dot(&a[0], &b[0], a.shape[0])
    for i in range(a.shape[0]):
        total += a[i] * b[i]
    return total


# -- fast paths: lists of floats, checked while they are computed ----------------
#
# At the book's sizes a kernel does a handful of multiplications; what costs is
# reading the arguments. When every argument is exactly a list of Python floats
# of fitting sizes, these functions compute the answer while they check; on the
# first thing that does not fit they return None, and the kernel goes on to its
# general path, which raises the same errors as pure. No Python code runs in a
# fast path, so nothing can change an argument between its check and its use.

cdef object _w_sum_fast(object a, object b):
    cdef Py_ssize_t i, n
    cdef PyObject *x
    cdef PyObject *w
    cdef double total = 0.0
    if type(a) is not list or type(b) is not list:
        return None
    n = len(<list>a)
    if len(<list>b) != n:
        return None
    for i in range(n):
        x = list_item(a, i)
        w = list_item(b, i)
        if not (is_float(x) and is_float(w)):
            return None
        total += as_double(x) * as_double(w)
    return total


cdef object _ele_mul_fast(object number, object vector):
    cdef Py_ssize_t i
    cdef double scale
    if type(number) is not float or not _all_floats(vector):
        return None
    scale = <double>number
    return [scale * _at(<list>vector, i) for i in range(len(<list>vector))]


cdef object _vect_mat_mul_fast(object vect, object matrix):
    cdef Py_ssize_t i, r, n
    cdef PyObject *x
    cdef double total
    cdef list result = []
    if type(matrix) is not list or len(<list>matrix) == 0 or not _all_floats(vect):
        return None
    n = len(<list>vect)
    for r in range(len(<list>matrix)):
        row = <object>list_item(matrix, r)
        if type(row) is not list or len(<list>row) != n:
            return None
        total = 0.0
        for i in range(n):
            x = list_item(row, i)
            if not is_float(x):
                return None
            total += _at(<list>vect, i) * as_double(x)
        result.append(total)
    return result


# -- the kernels ---------------------------------------------------------------

def w_sum(a, b):
    """Weighted sum: multiply ``a`` and ``b`` element by element, add it all up."""
    fast = _w_sum_fast(a, b)
    if fast is not None:
        return fast
    if arrays.any_array(a, b):
        av = arrays.vector(a, "a", "w_sum")
        bv = arrays.vector(b, "b", "w_sum")
        inputs.same_length(av, bv, "a", "b", "w_sum")
        return _dot_view(av, bv)
    # Two lists of floats that fit took the fast path: what is left is copied.
    cdef list al = inputs.vector(a, "a", "w_sum")
    cdef list bl = inputs.vector(b, "b", "w_sum")
    inputs.same_length(al, bl, "a", "b", "w_sum")
    return _dot_list(al, bl)


def ele_mul(number, vector):
    """Multiply every element of ``vector`` by one ``number``."""
    fast = _ele_mul_fast(number, vector)
    if fast is not None:
        return fast
    cdef double scale = inputs.number(number, "number", "ele_mul")
    cdef Py_ssize_t i
    cdef const double[::1] v
    cdef double[::1] o
    if arrays.any_array(vector):
        v = np.ascontiguousarray(arrays.vector(vector, "vector", "ele_mul"))
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
    fast = _vect_mat_mul_fast(vect, matrix)
    if fast is not None:
        return fast
    cdef Py_ssize_t i
    cdef const double[::1] v
    cdef const double[:, ::1] m
    cdef double[::1] o
    if arrays.any_array(vect, matrix):
        vv = arrays.vector(vect, "vect", "vect_mat_mul")
        mm = arrays.matrix(matrix, "matrix", "vect_mat_mul")
        if mm.shape[0]:
            inputs.same_length(vv, mm[0], "vect", "matrix[0]", "vect_mat_mul")
        v = np.ascontiguousarray(vv)
        m = np.ascontiguousarray(mm)
        out = np.empty(m.shape[0])
        o = out
        if m.shape[0] and m.shape[1]:
            with nogil:
                _dot_rows(&v[0], &m[0, 0], m.shape[0], m.shape[1], &o[0])
        else:
            out[:] = 0.0
        return out
    # Lists of floats that fit took the fast path: what is left is copied.
    cdef list vl = inputs.vector(vect, "vect", "vect_mat_mul")
    cdef list rows = inputs.matrix(matrix, "matrix", "vect_mat_mul")
    if rows:
        inputs.same_length(vl, rows[0], "vect", "matrix[0]", "vect_mat_mul")
    cdef list result = [0.0] * len(rows)
    for i in range(len(rows)):
        result[i] = _dot_list(vl, <list>list_item(rows, i))
    return result


def outer_prod(vec_a, vec_b):
    """Every pair multiplied: ``output[i][j] = vec_a[i] * vec_b[j]``."""
    if _all_floats(vec_a) and _all_floats(vec_b):  # the fast path: both read in place
        return _outer_prod_lists(vec_a, vec_b)
    cdef Py_ssize_t i, j
    cdef const double[::1] a
    cdef const double[::1] b
    cdef double[:, ::1] o
    if arrays.any_array(vec_a, vec_b):
        a = np.ascontiguousarray(arrays.vector(vec_a, "vec_a", "outer_prod"))
        b = np.ascontiguousarray(arrays.vector(vec_b, "vec_b", "outer_prod"))
        out = np.empty((a.shape[0], b.shape[0]))
        o = out
        with nogil:
            for i in range(a.shape[0]):
                for j in range(b.shape[0]):
                    o[i, j] = a[i] * b[j]
        return out
    return _outer_prod_lists(inputs.vector(vec_a, "vec_a", "outer_prod"),
                             inputs.vector(vec_b, "vec_b", "outer_prod"))


cdef list _outer_prod_lists(list a, list b):
    """``outer_prod`` for two lists of floats (any lengths fit)."""
    cdef Py_ssize_t i, j
    cdef list result = [None] * len(a)
    cdef list row
    cdef double ai
    for i in range(len(a)):
        ai = _at(a, i)
        row = [0.0] * len(b)
        for j in range(len(b)):
            row[j] = ai * _at(b, j)
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
    cdef list al, bl
    al, bl = _vectors(a, b, "a", "b", func)
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
    cdef bint array_answer = arrays.any_array(a, b)
    if array_answer:
        am = arrays.matrix(a, "a", "mat_mul")
        bm = arrays.matrix(b, "b", "mat_mul")
    elif _float_matrix(a) and _float_matrix(b):  # both in place, or both copied
        am, bm = a, b
    else:
        am = inputs.matrix(a, "a", "mat_mul")
        bm = inputs.matrix(b, "b", "mat_mul")
    if len(am):
        inputs.same_length(am[0], bm, "a[0]", "b (its rows)", "mat_mul")
    n, inner = len(am), len(bm)
    columns = len(bm[0]) if inner else 0
    if not array_answer:
        return _mat_mul_lists(am, bm, n, inner, columns)
    # Arrays meet here as C arrays of float64.
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
    return out


cdef list _mat_mul_lists(list a, list b, Py_ssize_t n, Py_ssize_t inner, Py_ssize_t columns):
    """``mat_mul`` for lists of float lists whose shapes were checked: adds in pure's order."""
    cdef Py_ssize_t i, j, k
    cdef double total
    cdef list row_a, row
    cdef list result = [None] * n
    for i in range(n):
        row_a = <list>list_item(a, i)
        row = [0.0] * columns
        for j in range(columns):
            total = 0.0
            for k in range(inner):
                total += _at(row_a, k) * _at(<list>list_item(b, k), j)
            row[j] = total
        result[i] = row
    return result


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
        ol, tl = _vectors(output, target, "output", "target", "mean_abs_error")
        inputs.same_length(ol, tl, "output", "target", "mean_abs_error")
        n = len(ol)
        for i in range(n):
            total += fabs(_at(ol, i) - _at(tl, i))
    return total / n if n else NAN
