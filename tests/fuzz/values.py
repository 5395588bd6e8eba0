"""Arguments a learner might pass: good ones, odd ones and plain wrong ones.

Every strategy here draws a ``Make``: a recipe that builds *fresh* arguments
each time it is called. Each backend gets its own copy, so a backend that
changed its argument (or a hostile object that changes another argument)
cannot spoil the next backend's call.
"""
import array
import math
from fractions import Fraction

import numpy as np
from hypothesis import strategies as st

from grokking.kernels import KERNELS  # noqa: F401  (the functions run.py fuzzes, in order)


class Refused(Exception):
    """What our hostile objects raise; every backend must let it through unchanged."""


class BadFloat(float):
    """A number (a float subclass) whose conversion to float fails."""

    def __float__(self):
        raise Refused("this number refuses to be a float")


class BadRepr:
    """Not a number, and even its repr fails: the error message must still work."""

    def __repr__(self):
        raise Refused("no repr either")


class BadLen:
    """Looks like a sequence, but asking its length fails."""

    def __len__(self):
        raise Refused("no length")


class Make:
    """A recipe for fresh arguments: ``make()`` builds them, ``repr(make)`` says how."""

    def __init__(self, build, text, mutates=False):
        self.build, self.text, self.mutates = build, text, mutates

    def __call__(self):
        return self.build()

    def __repr__(self):
        return self.text


def show(x):
    """``repr(x)``, even for an object whose repr fails."""
    try:
        return repr(x)
    except Refused:
        return f"<{type(x).__name__}>"


def fresh(x):
    """``x`` itself for an immutable value, a newly built one for a ``Make``."""
    return x() if isinstance(x, Make) else x


# -- numbers -------------------------------------------------------------------

SPECIAL_FLOATS = [0.0, -0.0, 1.0, -1.0, 0.5, 1e300, -1e300, 1e-300, 5e-324, -5e-324,
                  1.7976931348623157e308, 2.2250738585072014e-308, math.nan, math.inf,
                  -math.inf, 710.0, -750.0, 40.0, -40.0]

floats = st.one_of(st.floats(-10, 10), st.sampled_from(SPECIAL_FLOATS), st.floats())

good_numbers = st.one_of(
    floats,
    st.integers(-10**6, 10**6),
    st.booleans(),
    floats.map(np.float64),
    st.floats(-1e6, 1e6).map(np.float32),
    st.integers(-10**6, 10**6).map(np.int64),
    st.booleans().map(np.bool_),
    st.fractions(max_denominator=100),
)

bad_numbers = st.sampled_from([
    None, "1.0", b"1", 1 + 1j, np.complex128(1), Fraction(10**400), 10**400, -10**400,
    BadFloat(1.0), BadRepr(), object(), np.str_("2"),
    Make(lambda: [1.0], "[1.0]"), Make(lambda: (x for x in [1.0]), "<generator>"),
])

numbers = st.one_of(good_numbers, bad_numbers)


# -- vectors -------------------------------------------------------------------

def _array(values, kind):
    """A 1-D array of ``kind`` holding the floats ``values`` (built fresh)."""
    a = np.array(values, dtype=np.float64)
    if kind == "float32":
        with np.errstate(over="ignore"):
            return a.astype(np.float32)
    if kind == "int64":
        return np.nan_to_num(a).clip(-1e15, 1e15).astype(np.int64)
    if kind == "bool":
        return a.astype(bool)
    if kind == "object":
        return a.astype(object)
    if kind == "readonly":
        a.flags.writeable = False
        return a
    if kind == "strided":  # every other element of a longer array: not contiguous
        b = np.full(2 * len(a), 7.0)
        b[::2] = a
        return b[::2]
    if kind == "reversed":
        return a[::-1].copy()[::-1]
    if kind == "array.array":
        return array.array("d", a.tolist())
    if kind == "memoryview":
        return memoryview(a)
    if kind == "memoryview-strided":
        b = np.full(2 * len(a), 7.0)
        b[::2] = a
        return memoryview(b)[::2]
    return a


ARRAY_KINDS = ["float64", "float32", "int64", "bool", "object", "readonly", "strided",
               "reversed", "array.array", "memoryview", "memoryview-strided"]


@st.composite
def vector(draw, n=None, hostile=True):
    """A vector of length ``n`` (drawn when None), or, sometimes, something else entirely."""
    if n is None:
        n = draw(st.integers(0, 6))
    choice = draw(st.sampled_from(["floats"] * 4 + ["numbers", "array"] * 2
                                  + (["bad element", "bad whole"] if hostile else [])))
    if choice == "floats":
        values = draw(st.lists(floats, min_size=n, max_size=n))
        return Make(lambda: list(values), repr(values))
    if choice == "numbers":
        values = draw(st.lists(good_numbers, min_size=n, max_size=n))
        kind = draw(st.sampled_from([list, tuple]))
        return Make(lambda: kind(values), f"{kind.__name__}({values!r})")
    if choice == "array":
        values = draw(st.lists(floats, min_size=n, max_size=n))
        kind = draw(st.sampled_from(ARRAY_KINDS))
        return Make(lambda: _array(values, kind), f"{kind} array of {values!r}")
    if choice == "bad element":
        values = draw(st.lists(numbers, min_size=max(n, 1), max_size=max(n, 1)))
        return Make(lambda: [fresh(v) for v in values], "[" + ", ".join(map(show, values)) + "]")
    return draw(bad_whole)


bad_whole = st.sampled_from([
    None, "abc", b"ab", 3.0, 7, True, BadRepr(), BadLen(), object(), {1.0}, {0: 1.0},
    np.float64(2.0),
    Make(lambda: (x for x in [1.0, 2.0]), "<generator>"),
    Make(lambda: iter([1.0]), "<iterator>"),
    Make(lambda: np.array(1.0), "np.array(1.0)"),
    Make(lambda: np.ones((2, 2)), "np.ones((2, 2))"),
    Make(lambda: np.array(["a", "b"]), "np.array(['a', 'b'])"),
    Make(lambda: np.array([1 + 1j]), "np.array([1+1j])"),
    Make(lambda: memoryview(b"abc").cast("c"), "memoryview of chars"),
    Make(lambda: [[1.0, 2.0]], "[[1.0, 2.0]]"),
])


# -- matrices ------------------------------------------------------------------

def _matrix_array(rows, kind):
    a = np.array(rows, dtype=np.float64).reshape(len(rows), len(rows[0]) if rows else 0)
    if kind == "fortran":
        return np.asfortranarray(a)
    if kind == "transposed":  # a view of another array's transpose
        return a.T.copy().T
    if kind == "strided":
        b = np.full((a.shape[0], 2 * a.shape[1]), 7.0)
        b[:, ::2] = a
        return b[:, ::2]
    if kind == "memoryview":
        return memoryview(a)
    if kind in ("float32", "int64", "bool", "object", "readonly"):
        return _array(a.ravel().tolist(), kind).reshape(a.shape)  # a view: still read-only
    return a


MATRIX_KINDS = ["float64", "fortran", "transposed", "strided", "memoryview", "float32",
                "int64", "bool", "object", "readonly"]


@st.composite
def matrix(draw, rows=None, columns=None, hostile=True):
    """A ``rows`` x ``columns`` matrix in one of many forms, or, sometimes, a wrong one."""
    if rows is None:
        rows = draw(st.integers(0, 4))
    if columns is None:
        columns = draw(st.integers(0, 4))
    choice = draw(st.sampled_from(["lists"] * 4 + ["array", "array", "row kinds"]
                                  + (["ragged", "bad element", "bad whole"] if hostile else [])))
    table = draw(st.lists(st.lists(floats, min_size=columns, max_size=columns),
                          min_size=rows, max_size=rows))
    if choice == "lists":
        return Make(lambda: [list(r) for r in table], repr(table))
    if choice == "array":
        kind = draw(st.sampled_from(MATRIX_KINDS))
        return Make(lambda: _matrix_array(table, kind), f"{kind} 2-D array of {table!r}")
    if choice == "row kinds":  # tuples of tuples, a list of 1-D arrays, ...
        kind = draw(st.sampled_from(["tuples", "arrays", "ranges"]))
        if kind == "tuples":
            return Make(lambda: tuple(tuple(r) for r in table), f"tuples {table!r}")
        if kind == "ranges":
            return Make(lambda: [range(columns) for _ in range(rows)], f"{rows} x range({columns})")
        return Make(lambda: [np.array(r) for r in table], f"list of arrays {table!r}")
    if choice == "ragged":  # one more row, longer than the others
        extra = draw(st.integers(1, 3))
        bad = [list(r) for r in table] + [[0.5] * (columns + extra)]
        return Make(lambda: [list(r) for r in bad], f"ragged {bad!r}")
    if choice == "bad element":
        cell = draw(bad_numbers)
        bad = [list(r) for r in table] or [[1.0]]
        bad[0] = (bad[0] or [1.0])[:]
        bad[0][0] = cell
        return Make(lambda: [[fresh(v) for v in r] for r in bad],
                    "[" + ", ".join("[" + ", ".join(map(show, r)) + "]" for r in bad) + "]")
    return draw(st.one_of(bad_whole, st.sampled_from([
        Make(lambda: ["ab", "cd"], "['ab', 'cd']"),
        Make(lambda: [None], "[None]"),
        Make(lambda: [1.0, 2.0], "[1.0, 2.0]"),
        Make(lambda: np.ones(3), "np.ones(3)"),
        Make(lambda: np.ones((2, 2, 2)), "np.ones((2, 2, 2))"),
        Make(lambda: [[]], "[[]]"),
        Make(lambda: [[], []], "[[], []]"),
        Make(lambda: np.ones((0, 3)), "np.ones((0, 3))"),
        Make(lambda: np.ones((3, 0)), "np.ones((3, 0))"),
    ])))


# -- whole argument lists for each kernel -------------------------------------

def _joined(makers, mutates=False):
    """One ``Make`` for a whole argument tuple."""
    return Make(lambda: tuple(m() if isinstance(m, Make) else m for m in makers),
                "(" + ", ".join(map(show, makers)) + ")", mutates)


@st.composite
def two_vectors(draw):
    """Two vectors, usually of the same length."""
    n = draw(st.integers(0, 6))
    m = n if draw(st.integers(0, 4)) else draw(st.integers(0, 6))
    return _joined([draw(vector(n)), draw(vector(m))])


@st.composite
def mutating_pair(draw, first_is_matrix=False):
    """A list of floats, then an argument whose ``__float__`` changes that list.

    The pure backend copies its first argument before reading the second, so it
    never sees the change; a compiled backend that read the first list in place
    would read whatever is there now (even a str, as if it were a float).
    """
    how = draw(st.sampled_from(["str", "object", "clear", "append", "float"]))
    values = draw(st.lists(st.floats(-10, 10), min_size=1, max_size=4))
    n = len(values)

    def build():
        first = [list(values) for _ in range(n)] if first_is_matrix else list(values)
        target = first[0] if first_is_matrix else first

        class Mutating(float):
            def __float__(self):
                if how == "str":
                    target[0] = "a str where a float was" * 3
                elif how == "object":  # 16 bytes: reading it as a float reads past its end
                    target[0] = object()
                elif how == "clear":
                    target.clear()
                elif how == "append":
                    target.append(1.0)
                else:
                    target[0] = 99.0
                return float.__float__(self)

        second = [Mutating(v) for v in values]
        if first_is_matrix:
            second = [[v] for v in second]
        return first, second

    return Make(build, f"mutating pair ({how}, {values!r}, matrix={first_is_matrix})",
                mutates=True)


@st.composite
def kernel_args(draw, name):
    """A ``Make`` of arguments for the kernel ``name``."""
    if name in ("w_sum", "outer_prod", "vec_add", "vec_sub", "vec_mul", "mean_abs_error"):
        return draw(st.one_of(two_vectors(), two_vectors(), two_vectors(), mutating_pair()))
    if name == "ele_mul":
        return _joined([draw(numbers), draw(vector())])
    if name == "vect_mat_mul":
        n = draw(st.integers(0, 4))
        columns = n if draw(st.integers(0, 4)) else draw(st.integers(0, 4))
        return _joined([draw(vector(n)), draw(matrix(columns=columns))])
    if name == "mat_mul":
        inner = draw(st.integers(0, 4))
        other = inner if draw(st.integers(0, 4)) else draw(st.integers(0, 4))
        pair = _joined([draw(matrix(columns=inner)), draw(matrix(rows=other))])
        return draw(st.one_of(st.just(pair), mutating_pair(first_is_matrix=True)))
    if name == "transpose":
        return _joined([draw(matrix())])
    # an activation: one number, or one vector
    return _joined([draw(st.one_of(numbers, vector()))])

