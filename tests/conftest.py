"""Shared fixtures (every backend-parametrized test runs once per backend), the
``needs_compiled`` mark, and 001's NumPy code: the referee of chapters 4-6."""
import os

# The tests' matrices are tiny: BLAS threads only cost time there (3-5x on a busy
# 2-core machine). Set before NumPy is first imported; the answers do not change.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import grokking  # noqa: E402

REQUIRE_CYTHON = os.environ.get("GROKKING_REQUIRE_CYTHON", "") not in ("", "0")

# For tests of the compiled code itself: skipped when it is not built, unless it is required.
needs_compiled = pytest.mark.skipif(not grokking.compiled_available() and not REQUIRE_CYTHON,
                                    reason="compiled backend not built")


def _backends():
    return [pytest.param(name, marks=[needs_compiled] if name == "cython" else [], id=name)
            for name in grokking.BACKENDS]


@pytest.fixture(scope="session", params=_backends())
def backend_name(request):
    """The name of one backend: "pure", "cython" or "numpy"."""
    return request.param


@pytest.fixture(scope="session")
def k(backend_name):
    """The kernels of one backend."""
    return grokking.backend(backend_name)


@pytest.fixture(scope="session")
def ref():
    """The NumPy referee."""
    return grokking.backend("numpy")


# -- the referee of chapters 4-6: 001's NumPy code, as written there ----------------

def nonlin(x, deriv=False):
    """001's sigmoid, as written there."""
    if deriv:
        return x * (1 - x)
    return 1 / (1 + np.exp(-x))


def source_001(X, y, iterations, seed=1):
    """001's 2-layer code, line for line; returns (syn0, l1 of the last iteration)."""
    np.random.seed(seed)
    syn0 = 2 * np.random.random((3, 1)) - 1
    for _ in range(iterations):
        l0 = X
        l1 = nonlin(np.dot(l0, syn0))
        l1_error = y - l1
        l1_delta = l1_error * nonlin(l1, True)
        syn0 += np.dot(l0.T, l1_delta)
    return syn0, l1
