# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
# cython: binding=False, embedsignature=True, embedsignature.format=clinic
# (Here, above the loops they govern: every size is checked before a C loop runs. binding=False
# makes each kernel a plain built-in function, a few ns cheaper to call than Cython's function
# object, which counts at the book's sizes (a call on lists of 3 is ~90 ns); embedsignature
# gives it pure's signature all the same, for help() and inspect.signature.)
"""The Cython twin of ``pure``: the same kernels, the same answers, compiled to C.

Read ``pure.py`` first. Every kernel here does three things, one after the other:

1. Read. Each argument is read once, into memory this call owns (a C array),
   and checked as it is read. A list holding only Python floats is copied
   straight out of the list; anything else goes through ``inputs`` (or
   ``arrays``), exactly as in the other backends, so a mistake raises the same
   error with the same message.
2. Loop. One loop, the twin of pure's: the same names, the same arithmetic in
   the same order, on those C arrays only. The loops are ``nogil`` functions,
   so Cython itself checks that they touch no Python object. On lists, pure and
   compiled give identical bits.
3. Answer. The result is built from C memory: lists of floats, or a NumPy
   array when any argument was an array (as in the NumPy backend).

The element-wise kernels take a matrix as well as a vector. Pure does a matrix
row by row, each row as a vector; here its rows lie one after another in C
memory, so the vector's one loop over all the numbers does each row in turn,
with the same arithmetic on each number, and the answer is cut back into rows.

Why read first: making a Python object that can hold others (a list, as
building the answer does; a tuple; an error) can start Python's garbage
collector, which runs Python code (an object's ``__del__``, a ``gc.callbacks``
entry), and so can ``inputs`` (a learner's ``__float__``). That code may change an argument list. Once an
argument is read, its list is never looked at again, so such a change gives the
answer for the arguments as they were read, or the same error as pure: never a
crash, never ``None`` in the answer.

An array (NumPy, ``array.array``, ``memoryview``) is not copied: it is read in
place. A NumPy float64 array in C order (the framework's, at every call) is taken
as it is, its shape read from its buffer, with no Python call at all; other arrays
go through ``arrays`` first (``vec_add`` at 8 x 16: 0.44 us a call, against 1.4 us
through ``arrays``). The call holds it through a buffer export, which keeps its memory where
it is (``array.array`` refuses to resize while exported, NumPy while it is
referenced; only NumPy's own unsafe ``resize(refcheck=False)`` ignores that),
and the loop runs holding the GIL with no Python code in it, so no other thread
can change the numbers while it runs: it sees them as they are when it starts.
"""
from cpython.buffer cimport (PyBUF_C_CONTIGUOUS, PyBUF_FORMAT, PyBUF_STRIDES, PyBuffer_Release,
                             PyObject_GetBuffer)
from cpython.mem cimport PyMem_Free, PyMem_Malloc
from cpython.pyport cimport PY_SSIZE_T_MAX
from cpython.ref cimport PyObject
from libc.math cimport exp, fabs, tanh as c_tanh, NAN

import numpy as _np

from . import KERNELS as _KERNELS, arrays as _arrays, inputs as _inputs

cdef extern from "Python.h":
    # Python's own C API, used to read a list without counting references: these
    # run no Python code, so between them nothing can change the list.
    bint PyList_CheckExact(PyObject *)
    Py_ssize_t PyList_GET_SIZE(PyObject *)
    PyObject *PyList_GET_ITEM(PyObject *, Py_ssize_t)
    bint PyFloat_CheckExact(PyObject *)
    double PyFloat_AS_DOUBLE(PyObject *)

cdef extern from "dot_rows.h":
    # vect_mat_mul on arrays: four rows at a time, four running sums per row (see the header)
    void dot_rows(const double *v, const double *m, Py_ssize_t rows, Py_ssize_t n,
                  double *out) noexcept nogil

cdef extern from "mat_mul.h":
    # mat_mul: tiles of the answer in registers over packed panels, in pure's order (see the header)
    int grokking_mat_mul(const double *a, const double *b, Py_ssize_t rows, Py_ssize_t inner,
                         Py_ssize_t columns, double *c) noexcept nogil

__all__ = ("name", *_KERNELS)

name = "cython"


# -- memory the call owns ---------------------------------------------------------

cdef enum:
    SMALL = 256  # numbers kept on the C stack (a 16 x 16 matrix); more go to the heap
    SIDE = 1 << 28  # rows or columns past which rows * columns * 8 might not fit a Py_ssize_t

cdef struct Numbers:
    # One argument once read, or an answer being made: rows x columns numbers,
    # row after row (row i, column j is at[i * columns + j]). A vector is one
    # row of ``size`` numbers.
    double *at
    Py_ssize_t size, rows, columns
    int ndim                # 1 for a vector, 2 for a matrix (the answer's shape)
    double *heap            # memory to give back, or NULL
    bint is_held            # True when an array is read in place, through ``held``
    Py_buffer held
    double small[SMALL]     # room for a small argument, on the C stack


cdef struct Memory:
    # All that one call of a kernel owns: its arguments, read (a, b), and its answer.
    Numbers a, b, output


# (Every helper below is ``inline``: they run at every call, and at the book's sizes each one
# called instead of inlined costs a visible part of it: vect_mat_mul on lists of 3, 98 -> 90 ns.)

cdef inline void _empty(Numbers *numbers) noexcept:
    numbers.heap = NULL
    numbers.is_held = False
    numbers.size = numbers.rows = numbers.columns = 0


cdef inline void _nothing_yet(Memory *mem) noexcept:
    """Mark everything in ``mem`` empty, so that ``_release`` can always be called."""
    _empty(&mem.a)
    _empty(&mem.b)
    _empty(&mem.output)


cdef inline void _give_back(Numbers *numbers) noexcept:
    if numbers.heap != NULL:  # (most calls take none: their numbers fit in ``small``)
        PyMem_Free(numbers.heap)
        numbers.heap = NULL
    if numbers.is_held:
        PyBuffer_Release(&numbers.held)
        numbers.is_held = False


cdef inline void _release(Memory *mem) noexcept:
    """Give back the memory of ``mem``: the heap it took, and the arrays it held."""
    _give_back(&mem.a)
    _give_back(&mem.b)
    _give_back(&mem.output)


cdef inline int _room(Numbers *into, int ndim, Py_ssize_t rows, Py_ssize_t columns) except -1:
    """Point ``into.at`` at room for rows x columns numbers that this call owns."""
    # (Both below 2**28, rows * columns * 8 < 2**59 fits: the division, which costs as much
    # as the rest of a small call's reading, is needed only past that.)
    if ((rows >= SIDE or columns >= SIDE) and columns
            and rows > PY_SSIZE_T_MAX // columns // <Py_ssize_t>sizeof(double)):
        raise MemoryError()
    if into.heap != NULL:  # a first attempt at reading took some
        PyMem_Free(into.heap)
        into.heap = NULL
    into.at = into.small
    if rows * columns > SMALL:
        into.heap = <double *>PyMem_Malloc(rows * columns * sizeof(double))
        if into.heap == NULL:
            raise MemoryError()
        into.at = into.heap
    into.ndim, into.rows, into.columns, into.size = ndim, rows, columns, rows * columns
    return 0


cdef int _hold(object array, Numbers *into) except -1:
    """Read a C-ordered float64 array in place: its memory stays put until ``_release``."""
    PyObject_GetBuffer(array, &into.held, PyBUF_C_CONTIGUOUS)
    into.is_held = True
    into.at = <double *>into.held.buf
    into.ndim = into.held.ndim
    into.rows = into.held.shape[0] if into.ndim == 2 else 1
    into.columns = into.held.shape[into.ndim - 1]
    into.size = into.rows * into.columns
    return 0


cdef type _NDARRAY = _np.ndarray
cdef tuple _ARRAY_TYPES = _arrays.ARRAY_TYPES   # what makes the answer an array


cdef bint _held_as_it_is(object x, int fewest, int most, Numbers *into) except -1:
    """Hold ``x`` in place if it is a NumPy array of float64, C-ordered, with ``fewest`` to
    ``most`` dimensions (1 or 2) and no empty side: the framework's arrays, at every call.
    Else False, holding nothing: ``arrays`` then reads ``x`` (and says what is wrong).

    Everything is read from the buffer, once held: no Python code runs in between, so
    what is checked is what the loop reads.
    """
    cdef Py_buffer *held = &into.held
    cdef Py_ssize_t rows, columns
    cdef bint plain
    if type(x) is not _NDARRAY:
        return False
    PyObject_GetBuffer(x, held, PyBUF_STRIDES | PyBUF_FORMAT)
    into.is_held = True
    plain = (held.itemsize == 8 and held.format != NULL and held.format[0] == b'd'
             and held.format[1] == 0 and fewest <= held.ndim <= most)
    if plain:
        rows = held.shape[0] if held.ndim == 2 else 1
        columns = held.shape[held.ndim - 1]
        plain = (rows > 0 and columns > 0 and held.strides[held.ndim - 1] == 8
                 and (held.ndim == 1 or held.strides[0] == 8 * columns))
    if not plain:
        PyBuffer_Release(held)
        into.is_held = False
        return False
    into.at = <double *>held.buf
    into.ndim, into.rows, into.columns, into.size = held.ndim, rows, columns, rows * columns
    return True


# -- reading arguments ----------------------------------------------------------------

cdef inline bint _float_list(object x, Numbers *into) except -1:
    """Copy ``x`` into ``into`` if it is a list holding only Python floats; else False."""
    cdef PyObject *item
    cdef Py_ssize_t i, size
    if type(x) is not list:
        return False
    size = PyList_GET_SIZE(<PyObject *>x)
    _room(into, 1, 1, size)
    if PyList_GET_SIZE(<PyObject *>x) != size:  # taken again after the allocation
        return False
    for i in range(size):
        item = PyList_GET_ITEM(<PyObject *>x, i)
        if not PyFloat_CheckExact(item):
            return False
        into.at[i] = PyFloat_AS_DOUBLE(item)
    return True


cdef inline bint _float_rows(object m, Numbers *into) except -1:
    """Copy ``m`` into ``into`` if it is a list of equally long lists of Python floats; else False."""
    cdef PyObject *row
    cdef PyObject *item
    cdef Py_ssize_t r, i, rows, columns = 0
    if type(m) is not list:
        return False
    rows = PyList_GET_SIZE(<PyObject *>m)
    if rows:
        row = PyList_GET_ITEM(<PyObject *>m, 0)
        if not PyList_CheckExact(row):
            return False
        columns = PyList_GET_SIZE(row)
    _room(into, 2, rows, columns)
    if PyList_GET_SIZE(<PyObject *>m) != rows:  # taken again after the allocation
        return False
    for r in range(rows):
        row = PyList_GET_ITEM(<PyObject *>m, r)
        if not PyList_CheckExact(row) or PyList_GET_SIZE(row) != columns:
            return False
        for i in range(columns):
            item = PyList_GET_ITEM(row, i)
            if not PyFloat_CheckExact(item):
                return False
            into.at[r * columns + i] = PyFloat_AS_DOUBLE(item)
    return True


cdef inline int _vector(object x, str arg, str func, bint as_array, Numbers *into) except -1:
    """Read the vector ``x`` into ``into``, with pure's errors."""
    if as_array:
        if _held_as_it_is(x, 1, 1, into):
            return 0
        return _hold(_np.ascontiguousarray(_arrays.vector(x, arg, func)), into)
    if not _float_list(x, into):
        # Anything else is checked and copied by inputs, as in pure; what comes
        # back is a new list of floats, read in full at once.
        _float_list(_inputs.vector(x, arg, func), into)
    return 0


cdef inline int _matrix(object m, str arg, str func, bint as_array, Numbers *into) except -1:
    """Read the matrix ``m`` into ``into``, with pure's errors."""
    if as_array:
        if _held_as_it_is(m, 2, 2, into):
            return 0
        return _hold(_np.ascontiguousarray(_arrays.matrix(m, arg, func)), into)
    if not _float_rows(m, into):
        _float_rows(_inputs.matrix(m, arg, func), into)  # a new list of float lists
    return 0


cdef inline int _vector_or_matrix(object x, str arg, str func, bint as_array, Numbers *into) except -1:
    """Read ``x``, a vector or a matrix (``inputs.is_matrix``), into ``into``, with pure's errors."""
    if as_array:
        if _held_as_it_is(x, 1, 2, into):
            return 0
        return _hold(_np.ascontiguousarray(_arrays.vector_or_matrix(x, arg, func)), into)
    if _float_list(x, into) or _float_rows(x, into):  # [] is a vector, as in pure
        return 0
    values, shape = _inputs.vector_or_matrix_with_shape(x, arg, func)  # new lists of floats
    if len(shape) == 2:
        _float_rows(values, into)
    else:
        _float_list(values, into)
    return 0


cdef inline bint _as_array(object a, object b=None) except -1:
    """Is the answer an array? ``arrays.any_array(a, b)``, asked here in C: the same types."""
    if type(a) is list and (b is None or type(b) is list):
        return False
    return isinstance(a, _ARRAY_TYPES) or isinstance(b, _ARRAY_TYPES)   # (None is not one)


cdef inline int _same_length(Py_ssize_t size_a, Py_ssize_t size_b, str name_a, str name_b,
                      str func) except -1:
    """``inputs.same_length``'s error unless the sizes are equal (it only looks at lengths)."""
    if size_a != size_b:
        _inputs.same_length(range(size_a), range(size_b), name_a, name_b, func)
    return 0


cdef int _same_shape(const Numbers *a, const Numbers *b, str name_a, str name_b,
                     str func) except -1:
    """``inputs.same_shape``'s error unless ``a`` and ``b`` are two vectors or two matrices
    of the same shape."""
    if a.ndim != b.ndim or a.rows != b.rows or a.columns != b.columns:
        _inputs.same_shape(_shape(a), _shape(b), name_a, name_b, func)
    return 0


cdef tuple _shape(const Numbers *numbers):
    """The shape of what was read, as NumPy writes it: ``(n,)`` or ``(rows, columns)``."""
    if numbers.ndim == 1:
        return (numbers.size,)
    return (numbers.rows, numbers.columns)


# -- making the answer ------------------------------------------------------------------

cdef inline int _output(Numbers *into, int ndim, Py_ssize_t rows, Py_ssize_t columns,
                 bint as_array) except -1:
    """Room for the answer: a new NumPy array when ``as_array``, else C memory."""
    if as_array:
        return _hold(_np.empty((rows, columns)) if ndim == 2 else _np.empty(columns), into)
    return _room(into, ndim, rows, columns)


cdef inline object _answer(Numbers *output):
    """The answer held in ``output``: its NumPy array, or new lists of floats."""
    cdef Py_ssize_t i, j, columns = output.columns
    cdef const double *at = output.at
    if output.is_held:
        return output.held.obj
    if output.ndim == 1:
        return [at[j] for j in range(columns)]
    return [[at[i * columns + j] for j in range(columns)] for i in range(output.rows)]


# -- the loops: pure.py's, on C arrays ---------------------------------------------------

cdef double _w_sum(const double *a, const double *b, Py_ssize_t size) noexcept nogil:
    cdef double output = 0.0
    cdef Py_ssize_t i
    for i in range(size):
        output += a[i] * b[i]
    return output


cdef double _dot(const double *a, const double *b, Py_ssize_t n) noexcept nogil:
    """``_w_sum`` for arrays, with eight running sums side by side.

    One running sum waits for each addition to finish before the next (about
    four clock cycles); eight independent ones keep the adder busy, and the C
    compiler can pair them into vector instructions. Below eight numbers the
    order is exactly pure's; above, the rounding differs from it by ~1e-16 of
    the sum of |products|. Lists never come here: they get pure's order.
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


cdef void _ele_mul(double number, const double *vector, Py_ssize_t size,
                   double *output) noexcept nogil:
    cdef Py_ssize_t i
    for i in range(size):
        output[i] = number * vector[i]


cdef void _vect_mat_mul(const double *vect, const double *matrix, Py_ssize_t rows,
                        Py_ssize_t size, double *output) noexcept nogil:
    cdef Py_ssize_t i
    for i in range(rows):
        output[i] = _w_sum(vect, matrix + i * size, size)  # matrix[i] starts at i * size


cdef void _outer_prod(const double *vec_a, Py_ssize_t size_a, const double *vec_b,
                      Py_ssize_t size_b, double *output) noexcept nogil:
    cdef Py_ssize_t i, j
    for i in range(size_a):
        for j in range(size_b):
            output[i * size_b + j] = vec_a[i] * vec_b[j]


cdef enum Op:
    ADD, SUB, MUL


cdef void _elementwise(Op op, const double *a, const double *b, Py_ssize_t size,
                       double *output) noexcept nogil:
    # one loop per operation, not one test per number: the loop then runs on whole
    # vector registers (512 x 512: 3 to 9 times faster than with the test inside)
    cdef Py_ssize_t i
    if op == ADD:
        for i in range(size):
            output[i] = a[i] + b[i]
    elif op == SUB:
        for i in range(size):
            output[i] = a[i] - b[i]
    else:
        for i in range(size):
            output[i] = a[i] * b[i]


cdef enum:
    BLOCK = 32  # transpose's squares: 32 x 32 numbers of each matrix (8 KB) fit the L1 cache


cdef void _transpose(const double *matrix, Py_ssize_t rows, Py_ssize_t columns,
                     double *output) noexcept nogil:
    """``output[j][i] = matrix[i][j]``, a square of BLOCK x BLOCK at a time.

    Column by column, a big matrix is read a number per row, each in a cache line
    of its own: by the time the next column wants the line's other numbers, it is
    gone. In squares, every line read is used whole (512 x 512: 3 times faster)."""
    cdef Py_ssize_t i, j, i0 = 0, j0
    while i0 < rows:
        j0 = 0
        while j0 < columns:
            for j in range(j0, min(j0 + BLOCK, columns)):
                for i in range(i0, min(i0 + BLOCK, rows)):
                    output[j * rows + i] = matrix[i * columns + j]
            j0 += BLOCK
        i0 += BLOCK


cdef double _mean_abs_error(const double *output, const double *target,
                            Py_ssize_t size) noexcept nogil:
    cdef double total = 0.0
    cdef Py_ssize_t i
    if size == 0:
        return NAN  # the mean of nothing is undefined, as in NumPy
    for i in range(size):
        total += fabs(output[i] - target[i])
    return total / size


# -- the kernels: read, loop, answer ----------------------------------------------------

def w_sum(a, b):
    """Weighted sum: multiply ``a`` and ``b`` element by element, add it all up."""
    cdef Memory mem
    cdef bint as_array = _as_array(a, b)
    _nothing_yet(&mem)
    try:
        _vector(a, "a", "w_sum", as_array, &mem.a)
        _vector(b, "b", "w_sum", as_array, &mem.b)
        _same_length(mem.a.size, mem.b.size, "a", "b", "w_sum")
        if as_array:
            return _dot(mem.a.at, mem.b.at, mem.a.size)
        return _w_sum(mem.a.at, mem.b.at, mem.a.size)
    finally:
        _release(&mem)


def ele_mul(number, vector):
    """Multiply every element of ``vector`` (or of a matrix) by one ``number``."""
    cdef Memory mem
    cdef double number_in = (number if type(number) is float
                             else _inputs.number(number, "number", "ele_mul"))
    cdef bint as_array = _as_array(vector)
    _nothing_yet(&mem)
    try:
        _vector_or_matrix(vector, "vector", "ele_mul", as_array, &mem.a)
        _output(&mem.output, mem.a.ndim, mem.a.rows, mem.a.columns, as_array)
        _ele_mul(number_in, mem.a.at, mem.a.size, mem.output.at)
        return _answer(&mem.output)
    finally:
        _release(&mem)


def vect_mat_mul(vect, matrix):
    """One weighted sum per row of the matrix: ``output[i] = w_sum(vect, matrix[i])``."""
    cdef Memory mem
    cdef bint as_array = _as_array(vect, matrix)
    _nothing_yet(&mem)
    try:
        _vector(vect, "vect", "vect_mat_mul", as_array, &mem.a)
        _matrix(matrix, "matrix", "vect_mat_mul", as_array, &mem.b)
        if mem.b.rows:
            _same_length(mem.a.size, mem.b.columns, "vect", "matrix[0]", "vect_mat_mul")
        _output(&mem.output, 1, 1, mem.b.rows, as_array)
        if as_array:  # big arrays: the four-row block of dot_rows.h
            dot_rows(mem.a.at, mem.b.at, mem.b.rows, mem.b.columns, mem.output.at)
        else:
            _vect_mat_mul(mem.a.at, mem.b.at, mem.b.rows, mem.b.columns, mem.output.at)
        return _answer(&mem.output)
    finally:
        _release(&mem)


def outer_prod(vec_a, vec_b):
    """Every pair multiplied: ``output[i][j] = vec_a[i] * vec_b[j]``."""
    cdef Memory mem
    cdef bint as_array = _as_array(vec_a, vec_b)
    _nothing_yet(&mem)
    try:
        _vector(vec_a, "vec_a", "outer_prod", as_array, &mem.a)
        _vector(vec_b, "vec_b", "outer_prod", as_array, &mem.b)
        _output(&mem.output, 2, mem.a.size, mem.b.size, as_array)
        _outer_prod(mem.a.at, mem.a.size, mem.b.at, mem.b.size, mem.output.at)
        return _answer(&mem.output)
    finally:
        _release(&mem)


cdef object _vec_op(Op op, a, b, str func):
    """``vec_add``, ``vec_sub`` or ``vec_mul``: read, loop, answer."""
    cdef Memory mem
    cdef bint as_array = _as_array(a, b)
    _nothing_yet(&mem)
    try:
        _vector_or_matrix(a, "a", func, as_array, &mem.a)
        _vector_or_matrix(b, "b", func, as_array, &mem.b)
        _same_shape(&mem.a, &mem.b, "a", "b", func)
        _output(&mem.output, mem.a.ndim, mem.a.rows, mem.a.columns, as_array)
        _elementwise(op, mem.a.at, mem.b.at, mem.a.size, mem.output.at)
        return _answer(&mem.output)
    finally:
        _release(&mem)


def vec_add(a, b):
    """Element-wise sum ``a + b`` of two vectors (or two matrices) of the same shape."""
    return _vec_op(ADD, a, b, "vec_add")


def vec_sub(a, b):
    """Element-wise difference ``a - b`` of two vectors (or two matrices) of the same shape."""
    return _vec_op(SUB, a, b, "vec_sub")


def vec_mul(a, b):
    """Element-wise product ``a * b`` of two vectors (or two matrices) of the same shape."""
    return _vec_op(MUL, a, b, "vec_mul")


def mat_mul(a, b):
    """Matrix product: ``output[i][j]`` is the weighted sum of row i of a and column j of b."""
    cdef Memory mem
    cdef bint as_array = _as_array(a, b)
    _nothing_yet(&mem)
    try:
        _matrix(a, "a", "mat_mul", as_array, &mem.a)
        _matrix(b, "b", "mat_mul", as_array, &mem.b)
        if mem.a.rows:
            _same_length(mem.a.columns, mem.b.rows, "a[0]", "b (its rows)", "mat_mul")
        _output(&mem.output, 2, mem.a.rows, mem.b.columns, as_array)
        # pure's loop, i-j-k, in the same order for every number of the answer, tiled (mat_mul.h)
        if grokking_mat_mul(mem.a.at, mem.b.at, mem.a.rows, mem.b.rows, mem.b.columns,
                            mem.output.at):
            raise MemoryError()
        return _answer(&mem.output)
    finally:
        _release(&mem)


def transpose(matrix):
    """Rows become columns: ``output[j][i] = matrix[i][j]``."""
    cdef Memory mem
    cdef bint as_array = _as_array(matrix)
    _nothing_yet(&mem)
    try:
        _matrix(matrix, "matrix", "transpose", as_array, &mem.a)
        _output(&mem.output, 2, mem.a.columns, mem.a.rows, as_array)
        _transpose(mem.a.at, mem.a.rows, mem.a.columns, mem.output.at)
        return _answer(&mem.output)
    finally:
        _release(&mem)


# -- activations: a number in, a number out; a vector (or a matrix) in, the same out -

ctypedef double (*rule_t)(double) noexcept nogil

cdef inline double scalar_sigmoid(double x) noexcept nogil:
    return 1.0 / (1.0 + exp(-x))  # exp overflows to inf here, giving 0.0, as pure does

cdef inline double _sigmoid2deriv(double o) noexcept nogil:
    return o * (1.0 - o)

cdef inline double _relu(double v) noexcept nogil:
    return 0.0 if v <= 0.0 else v  # as pure: -0.0 becomes 0.0, NaN stays NaN

cdef inline double _relu2deriv(double o) noexcept nogil:
    return 1.0 if o > 0.0 else 0.0

cdef inline double _tanh(double x) noexcept nogil:
    return c_tanh(x)  # the C library's tanh, which Python's math.tanh calls too

cdef inline double _tanh2deriv(double o) noexcept nogil:
    return 1.0 - o * o


cdef void _each_loop(rule_t rule, const double *x, Py_ssize_t size, double *output) noexcept nogil:
    """``output[i] = rule(x[i])``: one loop per rule, each with its rule written into it.

    Through the pointer, every number costs a call the C compiler cannot see into;
    with the rule inlined the loop runs on whole vector registers (relu at 512 x 512:
    about 30 times faster), with the same arithmetic on each number."""
    cdef Py_ssize_t i
    if rule == _relu:
        for i in range(size): output[i] = _relu(x[i])
    elif rule == _relu2deriv:
        for i in range(size): output[i] = _relu2deriv(x[i])
    elif rule == _sigmoid2deriv:
        for i in range(size): output[i] = _sigmoid2deriv(x[i])
    elif rule == _tanh2deriv:
        for i in range(size): output[i] = _tanh2deriv(x[i])
    else:  # sigmoid and tanh: a call of the C library's exp or tanh for every number anyway
        for i in range(size): output[i] = rule(x[i])


cdef object _each(rule_t rule, x, str arg, str func):
    """Apply ``rule`` to a number, or to every element of a vector (or of a matrix)."""
    cdef Memory mem
    if type(x) is float:
        return rule(<double>x)
    if type(x) is not list and not hasattr(x, "__len__"):
        return rule(_inputs.number(x, arg, func))
    cdef bint as_array = _as_array(x)
    _nothing_yet(&mem)
    try:
        _vector_or_matrix(x, arg, func, as_array, &mem.a)
        _output(&mem.output, mem.a.ndim, mem.a.rows, mem.a.columns, as_array)
        _each_loop(rule, mem.a.at, mem.a.size, mem.output.at)
        return _answer(&mem.output)
    finally:
        _release(&mem)


def sigmoid(x):
    """The S-curve ``1 / (1 + e^-x)``: any number squashed into (0, 1)."""
    return _each(scalar_sigmoid, x, "x", "sigmoid")


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
    cdef Memory mem
    cdef bint as_array = _as_array(output, target)
    _nothing_yet(&mem)
    try:
        _vector(output, "output", "mean_abs_error", as_array, &mem.a)
        _vector(target, "target", "mean_abs_error", as_array, &mem.b)
        _same_length(mem.a.size, mem.b.size, "output", "target", "mean_abs_error")
        _inputs.some_numbers(mem.a.size, "output", "target", "mean_abs_error")
        return _mean_abs_error(mem.a.at, mem.b.at, mem.a.size)
    finally:
        _release(&mem)
