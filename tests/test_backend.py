"""Choosing a backend: by name, by GROKKING_BACKEND, and what happens when the compiled one is missing."""
import importlib
import os
import subprocess
import sys
import warnings

import pytest

import grokking

backend_module = importlib.import_module("grokking.backend")
from grokking.kernels import KERNELS

from conftest import REQUIRE_CYTHON


def test_every_backend_has_every_kernel(k, backend_name):
    assert k.name == backend_name
    for name in KERNELS:
        assert callable(getattr(k, name)), name


def test_unknown_name_is_a_clear_error():
    with pytest.raises(ValueError, match="must be one of pure, cython, numpy, got 'fast'"):
        grokking.backend("fast")


def test_environment_variable_picks_the_default(monkeypatch):
    monkeypatch.setenv("GROKKING_BACKEND", "numpy")
    assert grokking.backend().name == "numpy"
    assert grokking.backend("pure").name == "pure"       # an explicit name wins


def test_missing_compiled_backend_falls_back_loudly(monkeypatch):
    monkeypatch.delenv("GROKKING_BACKEND", raising=False)
    monkeypatch.delenv("GROKKING_REQUIRE_CYTHON", raising=False)
    monkeypatch.setattr(backend_module, "compiled_available", lambda: False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert grokking.backend().name == "pure"
    assert any("pip install ." in str(w.message) for w in caught)


def test_missing_compiled_backend_is_an_error_when_required(monkeypatch):
    monkeypatch.delenv("GROKKING_BACKEND", raising=False)
    monkeypatch.setenv("GROKKING_REQUIRE_CYTHON", "1")
    monkeypatch.setattr(backend_module, "compiled_available", lambda: False)
    with pytest.raises(ImportError, match="GROKKING_REQUIRE_CYTHON"):
        grokking.backend()


def test_asking_for_cython_when_it_is_not_built_says_how_to_build():
    code = ("import sys; sys.modules['grokking.kernels.compiled'] = None\n"
            "import grokking\n"
            "try:\n    grokking.backend('cython')\n"
            "except ImportError as e:\n    print(type(e).__name__, e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "CompiledBackendMissing" in out and "pip install ." in out


@pytest.mark.skipif(not REQUIRE_CYTHON, reason="only meaningful with GROKKING_REQUIRE_CYTHON=1")
def test_compiled_backend_is_really_in_use():
    """With GROKKING_REQUIRE_CYTHON=1 this fails unless the kernels really are compiled C."""
    compiled = grokking.backend("cython")
    assert compiled.__file__.endswith((".so", ".pyd")), compiled.__file__
    assert type(compiled.w_sum).__name__ in ("cython_function_or_method", "builtin_function_or_method")
    if not os.environ.get("GROKKING_BACKEND"):
        assert grokking.backend().name == "cython"


def test_command_line_says_which_backend_is_active():
    out = subprocess.run([sys.executable, "-m", "grokking", "backend"], capture_output=True,
                         text=True, check=True).stdout
    assert "active backend:" in out and "compiled backend built:" in out
