"""What the learner's function gave back, read in the checker's own process.

The learner's code runs in a worker process (``grokking.checker.worker``). What
it sends back is plain data, JSON, never a pickle: a pickle could run code
here when it is read. ``encode`` (in the worker) turns an answer into a small
tagged tree; ``decode`` (here) turns the tree back into Python values, NumPy
arrays and scalars, or an ``Opaque`` stand-in for anything else. A tree that
is not one of ours is a ``BadReply``, which the checker reports as a failure.

Then the readers decide whether a value is a number, a vector, a matrix or a
list of matrices, as the exercise asks, and ``first_difference`` compares it
with the referee's answer within a tolerance.
"""
import math
import numbers
from dataclasses import dataclass

import numpy as np

MAX_ITEMS = 1_000_000   # an answer bigger than this is not read
MAX_DEPTH = 20
TEXT_LIMIT = 200


# ---------------------------------------------------------------------------
# The wire: tagged trees of plain JSON values
# ---------------------------------------------------------------------------

def encode(x, _budget=None, _depth=0):
    """``x`` as a JSON-able tree that says what it was (runs in the worker)."""
    budget = [MAX_ITEMS] if _budget is None else _budget
    budget[0] -= 1
    if budget[0] < 0 or _depth > MAX_DEPTH:
        return {"t": "other", "type": "too big", "text": "an answer too big or too deep to read"}
    if x is None:
        return {"t": "none"}
    kind = type(x)
    if kind is bool:
        return {"t": "bool", "v": x}
    if kind is int:
        return {"t": "int", "v": x}
    if kind is float:
        return {"t": "float", "v": _float(x)}
    if kind is str:
        return {"t": "str", "v": x[:TEXT_LIMIT]}
    if kind in (list, tuple):
        return {"t": kind.__name__, "v": [encode(v, budget, _depth + 1) for v in x]}
    numpy = _numpy_of(x)
    if numpy is not None:
        if isinstance(x, numpy.ndarray) and x.dtype.kind in "biuf" and x.size <= budget[0]:
            budget[0] -= x.size
            flat = [_float(v) if x.dtype.kind == "f" else v for v in x.reshape(-1).tolist()]
            return {"t": "array", "kind": x.dtype.kind, "dtype": str(x.dtype), "shape": list(x.shape),
                    "v": flat}
        if isinstance(x, numpy.generic) and x.dtype.kind in "biuf":
            value = x.item()
            return {"t": "scalar", "kind": x.dtype.kind, "dtype": str(x.dtype),
                    "v": _float(value) if x.dtype.kind == "f" else value}
    return {"t": "other", "type": kind.__name__, "text": _text(x)}


def _float(v):
    """JSON has no NaN or infinity: they travel as text."""
    return v if math.isfinite(v) else repr(v)


def _numpy_of(x):
    module = type(x).__module__ or ""
    if module == "numpy" or module.startswith("numpy."):
        import numpy
        return numpy
    return None


def _text(x):
    try:
        text = repr(x)
    except Exception:   # a learner's class whose repr is broken
        text = f"<{type(x).__name__} object>"
    return text[:TEXT_LIMIT]


class BadReply(Exception):
    """The worker sent something that is not an encoded answer."""


@dataclass(frozen=True)
class Opaque:
    """Something that is not a number, a list or an array: kept as its type and text."""
    type: str
    text: str

    def __repr__(self):
        return self.text


def decode(tree, _depth=0):
    """The value a tree from ``encode`` describes (runs in the checker)."""
    if not isinstance(tree, dict) or _depth > MAX_DEPTH + 1:
        raise BadReply(f"not an encoded value: {str(tree)[:60]}")
    tag = tree.get("t")
    if tag == "none":
        return None
    if tag == "bool" and type(tree.get("v")) is bool:
        return tree["v"]
    if tag == "int" and type(tree.get("v")) is int:
        return tree["v"]
    if tag == "float":
        return _read_float(tree.get("v"))
    if tag == "str" and isinstance(tree.get("v"), str):
        return tree["v"]
    if tag in ("list", "tuple") and isinstance(tree.get("v"), list):
        items = [decode(v, _depth + 1) for v in tree["v"]]
        return items if tag == "list" else tuple(items)
    if tag == "array":
        return _read_array(tree)
    if tag == "scalar" and tree.get("kind") in ("b", "i", "u", "f"):
        dtype = {"b": np.bool_, "i": np.int64, "u": np.uint64, "f": np.float64}[tree["kind"]]
        value = _read_float(tree.get("v")) if tree["kind"] == "f" else tree.get("v")
        if tree["kind"] != "f" and type(value) not in (int, bool):
            raise BadReply("a NumPy scalar without a whole number")
        return dtype(value)
    if tag == "other" and isinstance(tree.get("type"), str) and isinstance(tree.get("text"), str):
        return Opaque(tree["type"][:TEXT_LIMIT], tree["text"][:TEXT_LIMIT])
    raise BadReply(f"not an encoded value: {str(tree)[:60]}")


def _read_float(v):
    if type(v) in (int, float):
        return float(v)
    if v in ("nan", "inf", "-inf"):
        return float(v)
    raise BadReply(f"not a float: {str(v)[:60]}")


def _read_array(tree):
    shape, values, kind = tree.get("shape"), tree.get("v"), tree.get("kind")
    if (not isinstance(shape, list) or not all(type(n) is int and n >= 0 for n in shape)
            or not isinstance(values, list) or kind not in ("b", "i", "u", "f")
            or math.prod(shape) != len(values) or len(shape) > MAX_DEPTH):
        raise BadReply("an array whose shape and values do not fit")
    if kind == "f":
        values = [_read_float(v) for v in values]
    elif not all(type(v) in (int, bool) for v in values):
        raise BadReply("an integer array with other things in it")
    dtype = {"b": np.bool_, "i": np.int64, "u": np.uint64, "f": np.float64}[kind]
    return np.array(values, dtype=dtype).reshape(shape)


# ---------------------------------------------------------------------------
# Showing values and reading answers
# ---------------------------------------------------------------------------

def show(x, limit=300):
    """A value as the learner would type it; floats at full precision, long ones cut."""
    if isinstance(x, float):
        text = repr(x)
        text = text if len(text) <= 14 else f"{x:.12g}"
    elif isinstance(x, (list, tuple)):
        text = "[" + ", ".join(show(v, limit) for v in x) + "]"
    else:
        text = repr(x)
    return text if len(text) <= limit else text[:limit - 3] + "..."


class WrongType(Exception):
    """The answer is not the kind of thing that was asked for."""


def describe(x):
    """What an answer is, in words: ``a list [1, 2]``, ``a 2-D array of shape (1, 3)``."""
    if x is None:
        return "None (is a `return` missing?)"
    if isinstance(x, (list, tuple)):
        return f"a {type(x).__name__} {show(x, 60)}"
    if isinstance(x, np.ndarray):
        return f"a {x.ndim}-D array of shape {tuple(x.shape)}"
    text = show(x, 40)
    return f"a {x.type if isinstance(x, Opaque) else type(x).__name__} {text}"


def read_number(x):
    if isinstance(x, (bool, np.bool_)):
        raise WrongType(f"returned a bool ({x}); expected a number")
    if isinstance(x, numbers.Real):
        return float(x)
    if isinstance(x, np.ndarray) and x.ndim == 0 and x.dtype.kind in "iuf":
        return float(x)
    raise WrongType(f"returned {describe(x)}; expected a number")


def read_vector(x):
    if isinstance(x, np.ndarray) and x.ndim != 1:
        raise WrongType(f"returned {describe(x)}; expected a vector (a list, or a 1-D array)")
    if not isinstance(x, (list, tuple, np.ndarray)):
        raise WrongType(f"returned {describe(x)}; expected a list of numbers")
    try:
        return [read_number(v) for v in x]
    except WrongType:
        raise WrongType(f"returned {describe(x)}; expected a flat list of numbers") from None


def read_matrix(x):
    if isinstance(x, np.ndarray) and x.ndim == 1 and x.size == 0:
        return []          # no rows at all: NumPy cannot tell an empty matrix from an empty vector
    if isinstance(x, np.ndarray) and x.ndim != 2:
        raise WrongType(f"returned {describe(x)}; expected a matrix (a list of rows, "
                        "or a 2-D array)")
    if not isinstance(x, (list, tuple, np.ndarray)):
        raise WrongType(f"returned {describe(x)}; expected a list of rows")
    try:
        return [read_vector(row) for row in x]
    except WrongType:
        raise WrongType(f"returned {describe(x)}; expected a list of rows, "
                        "each a list of numbers") from None


def read_matrices(x, count=2, names="[synapse_0, synapse_1]"):
    if not isinstance(x, (list, tuple)) or len(x) != count:
        raise WrongType(f"returned {describe(x)}; expected a list {names}")
    return [read_matrix(m) for m in x]


def read_pair(x):
    """Two gradients, [a.grad, b.grad]: each a matrix."""
    return read_matrices(x, 2, "[a.grad, b.grad]")


def read_triple(x):
    """Three gradients, [a.grad, b.grad, d.grad]: each a matrix."""
    return read_matrices(x, 3, "[a.grad, b.grad, d.grad]")


READERS = {"number": read_number, "vector": read_vector, "matrix": read_matrix,
           "matrices": read_matrices, "pair": read_pair, "triple": read_triple}


def first_difference(expected, got, tolerance, where=""):
    """``(where, expected part, got part)`` of the first place they differ, else None."""
    if isinstance(expected, list):
        if len(expected) != len(got):
            return (where, _items(len(expected)), _items(len(got)))
        for i, (e, g) in enumerate(zip(expected, got)):
            found = first_difference(e, g, tolerance, f"{where}[{i}]")
            if found:
                return found
        return None
    if expected == got or abs(expected - got) <= tolerance * max(1.0, abs(expected)):
        return None
    return (where, show(expected), show(got))


def _items(n):
    return f"{n} item" if n == 1 else f"{n} items"


def same(before, after):
    """Is an argument as it was? Lists item by item, numbers by value; anything else is a change."""
    if isinstance(before, (list, tuple)):
        return (isinstance(after, (list, tuple)) and len(before) == len(after)
                and all(same(b, a) for b, a in zip(before, after)))
    if isinstance(after, (bool, np.bool_)) or not isinstance(after, numbers.Real):
        return False
    return before == after or (before != before and after != after)   # NaN stays NaN
