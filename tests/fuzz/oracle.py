"""What every backend must do with an argument: the NumPy backend's answer, or its error.

``check_kernel(name, make, backends)`` calls kernel ``name`` on fresh arguments
for each backend and raises ``Mismatch`` (saying what differed) unless:

- all backends raise the same exception type with the same message, which
  names the function and the argument (our own hostile ``Refused`` passes
  through unchanged); or all of them return;
- answers have the promised form: lists for list input (always on pure),
  float64 arrays for array input on numpy and cython, floats for sums;
- answers equal the NumPy backend's to rounding (1e-12 of the sizes summed),
  with NaN where it has NaN; where a sum overflows, the order of adding decides
  what comes out, so only the form is checked there;
- no argument was changed.

The referee is the backend named ``REF`` (``referee=`` names another). Its own
answers are judged only for their form, their errors and its arguments: its
values are checked against NumPy code written in tests/kernels/test_kernels.py.
"""
import array
import math
import re
import struct
import warnings

import numpy as np

from grokking.kernels import arrays

from .values import Refused

REF = "numpy"
PARAMETERS = {
    "w_sum": ("a", "b"), "ele_mul": ("number", "vector"), "vect_mat_mul": ("vect", "matrix"),
    "outer_prod": ("vec_a", "vec_b"), "vec_add": ("a", "b"), "vec_sub": ("a", "b"),
    "vec_mul": ("a", "b"), "mat_mul": ("a", "b"), "transpose": ("matrix",),
    "sigmoid": ("x",), "sigmoid2deriv": ("output",), "relu": ("x",), "relu2deriv": ("output",),
    "tanh": ("x",), "tanh2deriv": ("output",), "mean_abs_error": ("output", "target"),
}
SUMS = ("w_sum", "vect_mat_mul", "mat_mul", "mean_abs_error")   # answers that add many terms
MATRIX_ANSWERS = ("outer_prod", "mat_mul", "transpose")
ELEMENTWISE = ("ele_mul", "vec_add", "vec_sub", "vec_mul", "sigmoid", "sigmoid2deriv",
               "relu", "relu2deriv", "tanh", "tanh2deriv")   # a matrix in, a matrix out
TOLERANCE = 1e-12


class Mismatch(AssertionError):
    """A backend did something it must not do."""


def snapshot(x, depth=0):
    """Everything observable about ``x``, to tell whether a call changed it."""
    if depth > 4:
        return ("deep", id(x))
    if type(x) is float:
        return ("float", struct.pack("<d", x))
    if isinstance(x, (list, tuple)):
        return (type(x), tuple(snapshot(v, depth + 1) for v in x))
    if isinstance(x, np.ndarray):
        return ("ndarray", x.dtype.str, x.shape, x.strides, x.flags.writeable,
                x.tobytes() if x.dtype != object else repr(x.tolist()))
    if isinstance(x, array.array):
        return ("array.array", x.typecode, x.tobytes())
    if isinstance(x, memoryview):
        return ("memoryview", x.tobytes())
    if isinstance(x, (set, dict)):
        return (type(x), repr(x))
    return (type(x), id(x))


TRAINING_BLEW_UP = "train: the weights became NaN or infinite"


def _blew_up(result):
    """True when ``result`` is a finished training whose weights are not all finite numbers."""
    weights = getattr(result[1], "weights", None) if result[0] == "ok" else None
    return weights is not None and not all(
        math.isfinite(w) for matrix in weights for row in matrix for w in row)


def outcome(call):
    """``("ok", answer)`` or ``("error", type, message)``; a warning is a failure.

    The backends stay quiet on overflow and NaN (as the pure loops do), so a
    RuntimeWarning printed at a learner is a mismatch too. The one exception is
    ``train``'s own warning that its weights became NaN or inf, which must come
    exactly when they did.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = ("ok", call())
        except Exception as error:  # anything at all: comparing them is the point
            result = ("error", type(error), str(error))
    said_blew_up = [w for w in caught if str(w.message).startswith(TRAINING_BLEW_UP)]
    if said_blew_up or _blew_up(result):
        if len(said_blew_up) != 1 or not _blew_up(result):
            raise Mismatch(f"train warned {len(said_blew_up)} times that it blew up, "
                           f"and its weights are {'not ' if _blew_up(result) else ''}all finite")
        caught = [w for w in caught if w not in said_blew_up]
    if caught:
        raise Mismatch(f"a warning: {caught[0].category.__name__}: {caught[0].message} "
                       f"({caught[0].filename}:{caught[0].lineno})")
    return result


def _same_text(message):
    """``message`` without object addresses, which differ from call to call."""
    return re.sub(r"0x[0-9a-fA-F]+", "0x...", message)


def _names_argument(message, func, parameters):
    if not message.startswith(func + ":"):
        return False
    return any(re.search(rf"\b{re.escape(p)}\b", message) for p in parameters)


def check_errors(func, outcomes, parameters):
    """All outcomes are errors: the same type and message as the first (the referee's),
    naming the argument."""
    referee, first = next(iter(outcomes.items()))
    for name, got in outcomes.items():
        if got[0] != "error" or got[1] is not first[1]:
            raise Mismatch(f"{func}: {name} gave {got!r}, but {referee} gave {first!r}")
        if got[1] is Refused:
            continue
        if _same_text(got[2]) != _same_text(first[2]):
            raise Mismatch(f"{func}: {name} says {got[2]!r}, {referee} says {first[2]!r}")
        if not _names_argument(got[2], func, parameters):
            raise Mismatch(f"{func}: the message {got[2]!r} does not name the function "
                           f"and one of its arguments {parameters}")
        if got[1] not in (TypeError, ValueError, OverflowError):
            raise Mismatch(f"{func}: unexpected exception type {got[1].__name__}: {got[2]!r}")


def _is_float_lists(x, depth):
    if depth == 0:
        return type(x) is float
    return type(x) is list and all(_is_float_lists(v, depth - 1) for v in x)


def check_form(func, backend, args, answer):
    """Floats for sums and numbers, lists for lists, float64 arrays for arrays."""
    scalar = func in ("w_sum", "mean_abs_error") or (
        func in PARAMETERS and len(PARAMETERS[func]) == 1 and func != "transpose"
        and not hasattr(args[0], "__len__"))
    if scalar:
        ok = type(answer) is float
        wanted = "a float"
    elif backend != "pure" and arrays.any_array(*args):
        ok = isinstance(answer, np.ndarray) and answer.dtype == np.float64
        wanted = "a float64 ndarray"
    else:
        ok = _is_float_lists(answer, 2 if func in MATRIX_ANSWERS else 1) or (
            func in ELEMENTWISE and _is_float_lists(answer, 2))   # its shape: check_values
        wanted = "lists of floats"
    if not ok:
        raise Mismatch(f"{func} on {backend}: wanted {wanted}, got {type(answer).__name__} "
                       f"{answer!r}")


def _scale(func, args):
    """The size of each answer's terms added up, for the tolerance of a sum."""
    with np.errstate(all="ignore"):
        if func == "w_sum":
            a, b = (np.abs(arrays.vector(x, "x", func)) for x in args)
            return np.sum(a * b)
        if func == "mean_abs_error":
            o, t = (arrays.vector(x, "x", func) for x in args)
            return np.sum(np.abs(o - t)) / max(len(o), 1)
        if func == "vect_mat_mul":
            v = np.abs(arrays.vector(args[0], "x", func))
            m = np.abs(arrays.matrix(args[1], "x", func))
            return (m * v).sum(axis=1) if len(m) else np.zeros(0)
        a = np.abs(arrays.matrix(args[0], "x", func))
        b = np.abs(arrays.matrix(args[1], "x", func))
        columns = b.shape[1] if len(b) else 0
        if not len(a) or not len(b):
            return np.zeros((len(a), columns))
        return (a[:, :, None] * b[None, :, :]).sum(axis=1)


def check_values(func, backend, got, expected, scale=None, referee=REF):
    """``got`` equals ``expected`` (the referee's answer) to rounding (see the module docstring)."""
    with np.errstate(all="ignore"):
        g = np.array(got, dtype=np.float64)
        e = np.array(expected, dtype=np.float64)
        if g.size == 0 and e.size == 0 and g.shape[:1] == e.shape[:1]:
            return  # no rows: lists cannot say how many columns there were
        if g.shape != e.shape:
            raise Mismatch(f"{func} on {backend}: shape {g.shape}, {referee} gives {e.shape}")
        s = np.abs(e) if scale is None else np.asarray(scale, float).reshape(e.shape)
        same = (g == e) | (np.isnan(g) & np.isnan(e))
        near = np.isfinite(s) & (np.abs(g - e) <= TOLERANCE * s + 1e-300)
        overflowed = np.isposinf(s) if scale is not None else np.zeros(e.shape, bool)
        if not np.all(same | near | overflowed):
            raise Mismatch(f"{func} on {backend}: {got!r}, but {referee} gives {expected!r}")


def check_kernel(func, make, kernels, referee=REF):
    """Call kernel ``func`` on fresh arguments from ``make`` on every backend; compare each
    with ``kernels[referee]``."""
    outcomes, argsets = {}, {}
    for name in [referee] + [n for n in kernels if n != referee]:
        args = make()
        before = None if make.mutates else snapshot(args)
        outcomes[name] = outcome(lambda: getattr(kernels[name], func)(*args))
        if before is not None and snapshot(args) != before:
            raise Mismatch(f"{func} on {name} changed its arguments: {args!r}")
        argsets[name] = args
    expected = outcomes[referee]
    if expected[0] == "error":
        return check_errors(func, outcomes, PARAMETERS[func])
    for name, got in outcomes.items():
        if got[0] != "ok":
            raise Mismatch(f"{func}: {name} raised {got[1].__name__}: {got[2]}, "
                           f"but {referee} answered {expected[1]!r}")
        check_form(func, name, argsets[name], got[1])
    scale = _scale(func, make()) if func in SUMS else None
    for name, got in outcomes.items():
        check_values(func, name, got[1], expected[1], scale, referee)
    return "ok"

