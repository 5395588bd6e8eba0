"""The compiled mat_mul (``kernels/mat_mul.h``: tiles, packed panels, two builds) keeps pure's bits.

Every number of the answer is ``0.0``, then ``+ a[i][k] * b[k][j]`` for k = 0, 1, 2, ...,
each product and each sum rounded on its own. The tiled C reorders the loops over i and j
and blocks k (256 at a time), so the shapes here cross every edge: a single row or column,
sizes that are not a multiple of the 6 x 8 tile, more than one block of k (257, 600) and of
rows (more than 72), a few inner numbers (a gradient's 8), b read in place (at most 12
rows) or packed (13 and more), rows split into uneven tiles, no rows, no inner numbers.
And every kind of array a learner may pass:
Fortran-ordered, strided, read-only, ints.

Three checks on each, against what is not the compiled code:
- the referee written here in NumPy, ``acc = acc + a[:, k:k+1] * b[k]`` for k in order: the
  same roundings in the same order, so the same bits (NumPy multiplies, then adds: two
  separate operations, never fused);
- pure's answer on the same numbers as lists, to the bit (the twin's promise);
- ``np.dot`` (BLAS: its own order, fused multiply-adds) within 1e-12 of the sum of the
  products' magnitudes, the size of a sum's rounding error.
"""
import math

import numpy as np
import pytest

import grokking
from marks import needs_compiled

# (rows, inner, columns): edges of the 6 x 8 tile, of the blocks of 256 k and of 72 rows,
# of b read in place (12 rows: two tiles of 6) and packed (13: tiles of 5, 4 and 4)
SHAPES = [(1, 1, 1), (1, 37, 50), (50, 37, 1), (6, 16, 8), (7, 300, 13), (5, 257, 17),
          (73, 17, 9), (13, 600, 70), (150, 40, 21), (0, 5, 5), (4, 0, 8), (3, 2, 0),
          (8, 8, 64), (4, 3, 9), (12, 257, 16), (9, 600, 17), (80, 8, 33)]


@pytest.fixture(scope="module")
def compiled():
    return grokking.backend("cython")


@pytest.fixture(scope="module")
def pure():
    return grokking.backend("pure")


def in_order(a, b):
    """The referee: pure's sums, k in order, a whole column of the answer's rows at a time.
    (A b of no rows has no columns, as everywhere in the kernels: ``[]`` is that matrix.)"""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    acc = np.zeros((a.shape[0], b.shape[1] if len(b) else 0))
    for k in range(a.shape[1]):
        acc = acc + a[:, k:k + 1] * b[k]
    return acc


def bits(x):
    """Every number as its 64 bits, so that == sees -0.0 and the last bit; NaN as one word."""
    x = np.array(x, dtype=np.float64)
    out = x.view(np.uint64).copy()
    out[np.isnan(x)] = 0x7FF8000000000000
    return out


def numbers(rows, inner, columns, seed):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((rows, inner)), rng.standard_normal((inner, columns))


def check(got, a, b):
    """``got`` is the referee's answer to the bit, and np.dot's within rounding."""
    want = in_order(a, b)
    assert got.shape == want.shape
    assert np.array_equal(bits(got), bits(want))
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.size and b.size:
        scale = np.abs(a) @ np.abs(b)
        assert np.all(np.abs(got - np.dot(a, b)) <= 1e-12 * scale + 1e-300)


@needs_compiled
@pytest.mark.exact
@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "x".join(map(str, s)))
def test_arrays_and_lists_give_the_referees_bits_and_pures(compiled, pure, shape):
    a, b = numbers(*shape, seed=sum(shape))
    got = compiled.mat_mul(a, b)
    assert isinstance(got, np.ndarray) and got.dtype == np.float64
    check(got, a, b)
    from_lists = compiled.mat_mul(a.tolist(), b.tolist())
    assert np.array_equal(bits(from_lists), bits(pure.mat_mul(a.tolist(), b.tolist())))
    if shape[0]:  # (no rows: lists give [], an array keeps its columns)
        assert np.array_equal(bits(got), bits(from_lists))


def awkward(a):
    """The same numbers as ``a``, held in every other way an array can hold them."""
    big = np.zeros((a.shape[0] * 2, a.shape[1] * 3))
    big[::2, ::3] = a
    readonly = a.copy()
    readonly.flags.writeable = False
    return {"fortran": np.asfortranarray(a), "strided": big[::2, ::3], "readonly": readonly,
            "rows reversed": np.ascontiguousarray(a[::-1])[::-1]}


@needs_compiled
@pytest.mark.exact
@pytest.mark.parametrize("shape", [(1, 37, 50), (7, 300, 13), (73, 17, 9)],
                         ids=lambda s: "x".join(map(str, s)))
def test_any_array_layout_gives_the_same_bits(compiled, shape):
    a, b = numbers(*shape, seed=7)
    want = compiled.mat_mul(a, b)
    for kind_a, held_a in awkward(a).items():
        for kind_b, held_b in awkward(b).items():
            got = compiled.mat_mul(held_a, held_b)
            assert np.array_equal(bits(got), bits(want)), (kind_a, kind_b)
    check(want, a, b)


@needs_compiled
@pytest.mark.exact
@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.int64, np.uint16, np.float32, np.bool_])
def test_int_and_other_dtypes_are_read_as_floats(compiled, pure, dtype):
    rng = np.random.default_rng(3)
    a = rng.integers(-100, 100, (9, 70)).astype(dtype)
    b = rng.integers(-100, 100, (70, 11)).astype(dtype)
    got = compiled.mat_mul(a, b)
    check(got, a.astype(np.float64), b.astype(np.float64))
    as_lists = pure.mat_mul(a.astype(np.float64).tolist(), b.astype(np.float64).tolist())
    assert np.array_equal(bits(got), bits(as_lists))


@needs_compiled
@pytest.mark.exact
def test_nan_inf_and_signed_zeros_inside_big_tiles(compiled, pure):
    """Edge values scattered through matrices of several tiles: the same bits as pure (NaN:
    only NaN-ness is promised), and the padding of the edge tiles never leaks into the answer."""
    rng = np.random.default_rng(11)
    a, b = rng.standard_normal((15, 270)), rng.standard_normal((270, 19))
    specials = [math.nan, math.inf, -math.inf, -0.0, 0.0, 5e-324, 1e308, -1e308]
    for x in (a, b):
        places = rng.integers(0, x.size, 12)
        x.flat[places] = rng.choice(specials, 12)
    a[3] = -0.0  # a whole row of -0.0: 0.0 + (-0.0 * b) stays +0.0 or -0.0 exactly as in pure
    got = compiled.mat_mul(a, b)
    with np.errstate(all="ignore"):
        assert np.array_equal(bits(got), bits(in_order(a, b)))
    assert np.array_equal(bits(compiled.mat_mul(a.tolist(), b.tolist())),
                          bits(pure.mat_mul(a.tolist(), b.tolist())))


@needs_compiled
def test_mat_mul_changes_neither_argument(compiled):
    a, b = numbers(20, 300, 30, seed=5)
    a_before, b_before = a.copy(), b.copy()
    compiled.mat_mul(a, b)
    assert np.array_equal(bits(a), bits(a_before)) and np.array_equal(bits(b), bits(b_before))
