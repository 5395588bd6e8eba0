"""Shared fixtures: every backend-parametrized test runs once per backend."""
import os

import pytest

import grokking

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
