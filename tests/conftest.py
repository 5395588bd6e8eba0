"""Shared fixtures: every backend-parametrized test runs once per backend."""
import os

# The tests' matrices are tiny: BLAS threads only cost time there (3-5x on a busy
# 2-core machine). Set before NumPy is first imported; the answers do not change.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import pytest  # noqa: E402

import grokking  # noqa: E402

REQUIRE_CYTHON = os.environ.get("GROKKING_REQUIRE_CYTHON", "") not in ("", "0")


def _backends():
    params = []
    for name in grokking.BACKENDS:
        marks = []
        if name == "cython" and not grokking.compiled_available() and not REQUIRE_CYTHON:
            marks = [pytest.mark.skip(reason="compiled backend not built")]
        params.append(pytest.param(name, marks=marks, id=name))
    return params


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
