"""What a tensor's numbers look like on each backend, and the small helpers that have no kernel.

A tensor holds a vector (a list of numbers) or a matrix (a list of rows), in
the form its backend's kernels like best, as ``grokking.networks.digits`` does:

- on ``pure``: plain Python lists of floats (a matrix is a list of rows);
- on ``cython`` and ``numpy``: a float64 ``numpy.ndarray`` (1-D or 2-D).

Everything here only reads, shapes or fills numbers: the arithmetic of the
framework is done by the kernels (``grokking.backend(name)``). The helpers
that *do* compute something the kernels cannot (picking rows by index, the
softmax, the logarithm of cross-entropy) live in ``rows.py``.
"""
import types

import numpy as np

from ..kernels.backend import NAMES, backend as choose_backend
from ..kernels import KERNELS, inputs


def kernels(backend):
    """The kernels module for ``backend``: None (the usual default), a name, or a module."""
    if backend is None or isinstance(backend, str):
        return choose_backend(backend)
    missing = [name for name in KERNELS if not hasattr(backend, name)]
    if getattr(backend, "name", None) not in NAMES or missing:
        what = (f"the module {backend.__name__}" if isinstance(backend, types.ModuleType)
                else inputs.describe(backend))
        raise TypeError(f"Tensor: backend must be None, 'pure', 'cython', 'numpy' or a kernels "
                        f"module from grokking.backend(), got {what}")
    return backend


def uses_arrays(k):
    """True when the backend ``k`` keeps its numbers in NumPy arrays (cython, numpy)."""
    return k.name != "pure"


def shape_of(data):
    """The shape of a vector ``(n,)`` or of a matrix ``(rows, columns)``, in either form."""
    if isinstance(data, np.ndarray):
        return data.shape
    if data and isinstance(data[0], list):
        return (len(data), len(data[0]))
    return (len(data),)


def in_words(shape):
    """A shape for an error message: ``(3,)`` -> "(3,) (a vector)", ``(2, 3)`` -> "(2, 3) (a matrix)"."""
    return f"{tuple(shape)} ({'a vector' if len(shape) == 1 else 'a matrix'})"


def read(data, k, func="Tensor"):
    """``data`` (numbers as lists or an array) in the form of backend ``k``: fresh, never shared.

    A clear TypeError for what is not numbers, a ValueError for ragged rows or
    for nothing at all (a tensor holds at least one number).
    """
    if isinstance(data, np.ndarray) and data.ndim in (1, 2) and data.dtype.kind in "biuf":
        values = np.array(data, dtype=np.float64)
        shape = values.shape
    else:
        if isinstance(data, np.ndarray) and data.ndim not in (1, 2):
            raise TypeError(f"{func}: data must be a vector (1-D) or a matrix (2-D), got "
                            f"{inputs.describe(data)} (the framework's kernels work on vectors "
                            f"and matrices)")
        values, shape = inputs.vector_or_matrix_with_shape(data, "data", func)
    if 0 in shape or not shape:
        raise ValueError(f"{func}: data holds no numbers (shape {tuple(shape)}); a tensor "
                         f"needs at least one")
    if uses_arrays(k):
        return np.array(values, dtype=np.float64).reshape(shape)
    if isinstance(values, np.ndarray):
        return values.tolist()
    return values


def filled(shape, value, k):
    """A new vector or matrix of ``shape`` holding ``value`` everywhere, in ``k``'s form."""
    if uses_arrays(k):
        return np.full(shape, float(value))
    if len(shape) == 1:
        return [float(value)] * shape[0]
    return [[float(value)] * shape[1] for _ in range(shape[0])]


def copy(data):
    """A copy of ``data`` that shares nothing with it."""
    if isinstance(data, np.ndarray):
        return data.copy()
    if data and isinstance(data[0], list):
        return [list(row) for row in data]
    return list(data)


def as_lists(data):
    """``data`` as plain Python lists (what ``Tensor.tolist`` gives)."""
    if isinstance(data, np.ndarray):
        return data.tolist()
    return copy(data)
