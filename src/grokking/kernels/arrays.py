"""Array-shaped inputs for the NumPy and Cython backends.

The rule both backends follow: if any argument is an array (a NumPy array, an
``array.array`` or a ``memoryview``), the answer is a NumPy float64 array;
otherwise it is plain lists, as in the pure backend. Arrays of ints, bools or
float32 are read as float64 (into a new array: the argument is never changed).
Anything else goes through ``inputs`` so the errors match the pure backend's.
"""
import array as _array

import numpy as np

from . import inputs

ARRAY_TYPES = (np.ndarray, _array.array, memoryview)


FLOAT64 = np.dtype(np.float64)


def any_array(*args):
    """True when any argument is an array, so the answer should be one too."""
    for x in args:   # a loop, not any(...): this runs at every kernel call
        if isinstance(x, ARRAY_TYPES):
            return True
    return False


def _numeric(x, ndim):
    """``x`` as a float64 array when it is a numeric array of ``ndim`` dimensions, else None."""
    if type(x) is np.ndarray and x.dtype is FLOAT64:  # the framework's case: nothing to convert
        return x.view() if x.ndim == ndim else None
    if not isinstance(x, ARRAY_TYPES):
        return None
    # A view has a shape of its own: Python code that runs later in the call (a gc
    # callback, a learner's __float__; from Python 3.12 on the collector runs between any
    # two bytecodes, this function's too) may set the caller's array's .shape. The view
    # is taken first, so the shape checked here is the shape read.
    a = np.asarray(x).view()
    if a.ndim != ndim or a.dtype.kind not in "biuf":
        return None
    return a if a.dtype == np.float64 else a.astype(np.float64)


def vector(x, name, func):
    """A 1-D float64 array holding the vector ``x``."""
    a = _numeric(x, 1)
    if a is not None:
        return a
    return np.array(inputs.vector(x, name, func), dtype=np.float64)


def matrix(m, name, func):
    """A 2-D float64 array holding the matrix ``m``; no rows means no columns."""
    a = _numeric(m, 2)
    if a is None:
        rows = inputs.matrix(m, name, func)
        a = np.array(rows, dtype=np.float64).reshape(len(rows), len(rows[0]) if rows else 0)
    if a.shape[0] == 0:
        a = a.reshape(0, 0)
    return a


def vector_or_matrix(x, name, func):
    """A 1-D or a 2-D float64 array holding ``x``, a vector or a matrix (``inputs.is_matrix``)."""
    a = _numeric(x, 1)
    if a is None:
        a = _numeric(x, 2)
    if a is None:
        values, shape = inputs.vector_or_matrix_with_shape(x, name, func)
        a = np.array(values, dtype=np.float64).reshape(shape)
    if a.ndim == 2 and a.shape[0] == 0:
        a = a.reshape(0, 0)  # no rows means no columns, as in ``matrix``
    return a


def number_or_array(x, name, func):
    """``(value, is_array)``: a float, or a 1-D or 2-D float64 array (a vector or a matrix)."""
    if hasattr(x, "__len__"):
        return vector_or_matrix(x, name, func), True
    return inputs.number(x, name, func), False
