"""Check what a learner passes to a kernel, and say clearly what is wrong.

Every backend (pure, cython, numpy) sends its arguments through these functions
(the compiled one only when its fast path does not apply), so a mistake gets the
same exception and the same message whichever backend is in use:

- the wrong kind of thing (a string, None, a generator, a list where a number
  belongs) is a ``TypeError``;
- the right kind with the wrong size (vectors of different lengths, a ragged
  matrix) is a ``ValueError`` that names both sizes.

A *number* is anything ``numbers.Real`` accepts (int, float, bool, NumPy's
integer and float scalars). A *vector* is a list, tuple, range, 1-D NumPy array
or other 1-D buffer of numbers. A *matrix* is a sequence of equally long rows
(each a vector), or a 2-D array. The element-wise kernels take either: a list
whose first item is a row is a matrix (``is_matrix``).
Nothing here changes its argument: each function builds new lists.
"""
from collections.abc import Mapping, Set
from numbers import Real

__all__ = ["number", "vector", "matrix", "is_matrix", "vector_or_matrix",
           "vector_or_matrix_with_shape", "vectors_or_matrices", "same_length", "same_shape",
           "describe"]


def describe(x):
    """A short, readable description of ``x`` for an error message."""
    if x is None:
        return "None"
    ndim, shape = getattr(x, "ndim", None), getattr(x, "shape", None)
    # an array says its shape; anything else with attributes of those names (the numpy
    # module itself has functions called ndim and shape) is described by its repr
    if isinstance(ndim, int) and isinstance(shape, tuple) and not _numpy_scalar(x):
        return f"a {ndim}-D array of shape {shape}"
    try:
        text = repr(x)
    except Exception:  # a learner's class whose repr is broken: say what it is anyway
        text = f"<{type(x).__name__} object>"
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{type(x).__name__} {text}"


def _numpy_scalar(x):
    return type(x).__module__ == "numpy" and type(x).__name__ != "ndarray"


def number(x, name, func):
    """``x`` as a Python float, or a TypeError naming ``func`` and ``name``."""
    if type(x) is float:
        return x
    if type(x) is int or isinstance(x, Real):  # (an int first: asking the Real ABC costs more)
        try:
            return float(x)
        except OverflowError:  # an int (or Fraction) past the largest float, about 1.8e308
            raise OverflowError(f"{func}: {name} is too large to be a float (the largest "
                                f"is about 1.8e308), got {describe(x)}") from None
    if _numpy_scalar(x) and type(x).__name__ in ("bool", "bool_"):  # not registered as a Real
        return float(bool(x))
    raise TypeError(f"{func}: {name} must be a number, got {describe(x)}")


def _own_shape(x):
    """``x``, or a view of it when it is a NumPy array: a view has a shape of its own.

    Python code may run between two lines of a check (a gc callback, a finalizer, a
    learner's ``__float__``; from Python 3.12 on the collector runs between any two
    bytecodes) and set the caller's array's ``.shape``. Looked at through a view, the
    shape that was checked is the shape that is read.
    """
    if any(t.__name__ == "ndarray" and t.__module__ == "numpy" for t in type(x).__mro__):
        return x.view()
    return x


def _items(x, name, func):
    """The elements of a vector-like ``x`` as a new list (not yet checked)."""
    if isinstance(x, (list, tuple, range)):
        return list(x)
    x = _own_shape(x)
    # a dict or a set has a length too, but no order: list() of it gives its keys
    if isinstance(x, (str, bytes, bytearray, Mapping, Set)) or not hasattr(x, "__len__"):
        raise TypeError(f"{func}: {name} must be a list of numbers or a 1-D array, "
                        f"got {describe(x)}")
    ndim = getattr(x, "ndim", 1)
    if ndim != 1:
        raise TypeError(f"{func}: {name} must be a vector (1-D), got {describe(x)}")
    tolist = getattr(x, "tolist", None)
    try:
        return tolist() if tolist is not None else list(x)
    except TypeError:  # it has a length, but its elements cannot be read one by one
        raise TypeError(f"{func}: {name} must be a list of numbers or a 1-D array, "
                        f"got {describe(x)}") from None


def vector(x, name, func):
    """``x`` as a new list of floats, or a clear TypeError."""
    items = _items(x, name, func)
    for i, v in enumerate(items):
        if type(v) is not float:
            items[i] = number(v, f"{name}[{i}]", func)
    return items


def matrix(m, name, func):
    """``m`` as a new list of equally long lists of floats.

    A matrix is a list of rows. A 2-D NumPy array is one too.
    """
    m = _own_shape(m)
    if getattr(m, "ndim", 2) != 2:
        raise TypeError(f"{func}: {name} must be a matrix (2-D), got {describe(m)}")
    if hasattr(m, "ndim") and hasattr(m, "tolist"):
        m = m.tolist()
    rows = _items(m, name, func)
    for i, row in enumerate(rows):
        rows[i] = vector(row, f"{name}[{i}]", func)
        same_length(rows[0], rows[i], f"{name}[0]", f"{name}[{i}]", func)
    return rows


def _is_row(x):
    """True when ``x`` could be a row of a matrix: a vector, not a number or a str."""
    if type(x) is float or isinstance(x, (str, bytes, bytearray, Mapping, Set)):
        return False
    return hasattr(x, "__len__") and getattr(x, "ndim", 1) == 1


def is_matrix(x):
    """True when ``x`` is a matrix: a list (or tuple) whose first item is a row, or a 2-D array.

    Only the first item is looked at: the others are checked as ``matrix`` reads them.
    """
    if isinstance(x, (list, tuple)):
        return len(x) > 0 and _is_row(x[0])
    return getattr(x, "ndim", None) == 2


def vector_or_matrix_with_shape(x, name, func):
    """``(x read, its shape)``: a new list of floats and ``(n,)``, or, when ``x`` is a
    matrix, a new list of lists of floats and ``(rows, columns)``."""
    if isinstance(x, (list, tuple)):
        # One copy, looked at from here on: a change to the argument while it is read
        # (a learner's __float__, a gc callback) cannot make it half a matrix.
        x = list(x)
    else:
        x = _own_shape(x)
    if hasattr(x, "__len__") and getattr(x, "ndim", 1) not in (1, 2):  # a 0-D or 3-D array
        raise TypeError(f"{func}: {name} must be a vector (1-D) or a matrix (2-D), "
                        f"got {describe(x)}")
    if is_matrix(x):
        rows = matrix(x, name, func)
        return rows, (len(rows), len(rows[0]) if rows else 0)
    items = vector(x, name, func)
    return items, (len(items),)


def vector_or_matrix(x, name, func):
    """``x`` as a new list of floats, or, when it is a matrix, a new list of lists of floats."""
    return vector_or_matrix_with_shape(x, name, func)[0]


def vectors_or_matrices(a, b, name_a, name_b, func):
    """``(a, b)`` read: two vectors of the same length, or two matrices of the same shape.

    Each is read whole (``a`` first) before their shapes are compared, and a
    vector and a matrix never match: a ValueError names both shapes.
    """
    a, shape_a = vector_or_matrix_with_shape(a, name_a, func)
    b, shape_b = vector_or_matrix_with_shape(b, name_b, func)
    same_shape(shape_a, shape_b, name_a, name_b, func)
    return a, b


def _numbers_in(shape):
    """A shape in words: ``(3,)`` is "3 numbers", ``(2, 3)`` "2 rows of 3 numbers"."""
    if len(shape) == 1:
        return f"{shape[0]} numbers"
    return f"{shape[0]} {'row' if shape[0] == 1 else 'rows'} of {shape[1]} numbers"


def same_shape(shape_a, shape_b, name_a, name_b, func):
    """A ValueError naming both shapes unless ``shape_a == shape_b`` (tuples, as NumPy's ``shape``).

    Two vectors get ``same_length``'s message.
    """
    if len(shape_a) == len(shape_b) == 1:
        return same_length(range(shape_a[0]), range(shape_b[0]), name_a, name_b, func)
    if tuple(shape_a) != tuple(shape_b):
        raise ValueError(f"{func}: {name_a} has {_numbers_in(shape_a)} but {name_b} has "
                         f"{_numbers_in(shape_b)}; they must be the same shape")


def same_length(a, b, name_a, name_b, func):
    """A ValueError naming both sizes unless ``len(a) == len(b)``."""
    if len(a) != len(b):
        raise ValueError(f"{func}: {name_a} has {len(a)} numbers but {name_b} has "
                         f"{len(b)}; they must be the same length")


def some_numbers(size, name_a, name_b, func):
    """A ValueError when ``size`` is 0: a mean of no numbers is undefined (NumPy's is nan)."""
    if size == 0:
        raise ValueError(f"{func}: {name_a} and {name_b} are empty; the mean of no numbers is "
                         f"undefined, so give at least one number")
