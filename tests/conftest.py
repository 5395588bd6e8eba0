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

from marks import COMPILED_TESTED, needs_compiled  # noqa: E402


@pytest.hookimpl(optionalhook=True)   # (a hook of pytest-xdist: without it, never called)
def pytest_xdist_auto_num_workers(config):
    """``pytest -n auto`` (the README's command): a worker per core, and one more.

    About a tenth of the run waits rather than computes: for a Jupyter kernel to start,
    for Chromium to draw, for a child process to come up. One more worker than cores
    keeps the cores busy meanwhile (measured on 2 cores: 3 workers 201 s, 2 workers 233 s).
    """
    try:
        cores = len(os.sched_getaffinity(0))   # the cores this process may use
    except AttributeError:                     # (macOS, Windows)
        cores = os.cpu_count() or 1
    return cores + 1


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``-n`` without ``--dist``: idle workers take tests from busy ones ("worksteal").

    The default ("load") gives each worker a fixed quarter of the tests at the start, one
    in turn: the worker that drew the long ones ran alone for the last 100 s of a 235-s
    run while the others had finished.
    """
    if config.getoption("dist") == "load":
        from xdist.scheduler import WorkStealingScheduling
        return WorkStealingScheduling(config, log)
    return None


# The files with tests of several seconds each (``--durations=25``), longest first. They
# run first, so that at the end no worker is still in a 10-s test while the others wait.
# A file keeps its tests together and in their order (its fixtures are made once).
LONG_FIRST = ("fuzz/test_mutation.py", "fuzz/test_fuzz.py", "chapters/test_ch16_lstm.py",
              "chapters/test_ch07_tuning_gradient_descent.py", "chapters/test_ch15_recurrence.py",
              "chapters/test_notebooks.py", "lab/test_playground_browser.py",
              "chapters/test_ch08_why_is_it_faster.py", "chapters/test_ch09_digits_network.py",
              "chapters/test_ch12_convolution.py", "chapters/test_ch13_deep_learning_framework.py",
              "chapters/test_pictures.py", "checker/test_mutation.py", "networks/test_train.py")


def pytest_collection_modifyitems(config, items):
    """Run the files of ``LONG_FIRST`` first, in that order; the rest after, as collected."""
    here = os.path.dirname(os.path.abspath(__file__))

    def place(item):
        name = os.path.relpath(str(item.path), here).replace(os.sep, "/")
        return LONG_FIRST.index(name) if name in LONG_FIRST else len(LONG_FIRST)
    items.sort(key=place)   # (a stable sort: each file's tests stay in their order)


def _backends():
    return [pytest.param(name, marks=[needs_compiled] if name == "cython" else [], id=name)
            for name in grokking.BACKENDS]


@pytest.fixture(scope="session", params=_backends())
def backend_name(request):
    """The name of one backend: "pure", "cython" or "numpy"."""
    return request.param


@pytest.fixture(scope="session", params=[p for p in _backends() if p.id != "pure" or not COMPILED_TESTED])
def long_run_backend(request):
    """A backend for a run that takes pure many seconds (a chapter's short run against its
    golden transcript, 60,000 iterations against the blog's numbers): cython and numpy. When
    the compiled backend is tested, pure is held to it instead: to its bits on the same run
    (the ``exact`` tests), or to what it prints on a smaller run of the same chapter
    (``transcript.assert_pure_prints_what_cython_prints``). Without it, pure runs it itself."""
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


@pytest.fixture
def long_run_default_backend(long_run_backend, monkeypatch):
    """``default_backend`` for a long run: one of ``long_run_backend``'s as the default."""
    monkeypatch.setenv("GROKKING_BACKEND", long_run_backend)
    return long_run_backend
