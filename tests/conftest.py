"""Shared fixtures: every backend-parametrized test runs once per backend.

The referees written in NumPy are in ``referees.py``, the ``needs_compiled`` mark in
``marks.py``, the golden transcripts' comparison in ``transcript.py``: modules the tests
import (this folder is on ``sys.path``)."""
import os

# The tests' matrices are tiny: BLAS threads only cost time there (3-5x on a busy
# 2-core machine). Set before NumPy is first imported; the answers do not change.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import grokking  # noqa: E402

from marks import needs_compiled  # noqa: E402


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
    """The NumPy backend: the referee of pure and cython. Never compare it with ``k``
    itself (``k`` is the NumPy backend in one run of every test): use NumPy code
    written in the test, or the source's numbers, there."""
    return grokking.backend("numpy")


@pytest.fixture
def default_backend(backend_name, monkeypatch):
    """One backend as the default (``GROKKING_BACKEND``): for the tests of what runs
    without a backend named, so that one test run covers all three."""
    monkeypatch.setenv("GROKKING_BACKEND", backend_name)
    return backend_name
