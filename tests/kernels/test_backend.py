"""Choosing a backend: by name, by GROKKING_BACKEND, and what happens when the compiled one is missing."""
import importlib
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest

import grokking

backend_module = importlib.import_module("grokking.kernels.backend")
from grokking.kernels import KERNELS

from marks import REQUIRE_CYTHON


def test_every_backend_has_every_kernel(k, backend_name):
    assert k.name == backend_name
    for name in KERNELS:
        assert callable(getattr(k, name)), name


def test_unknown_name_is_a_clear_error():
    with pytest.raises(ValueError, match="must be one of pure, cython, numpy, got 'fast'"):
        grokking.backend("fast")


def test_a_bad_environment_variable_is_named(monkeypatch):
    monkeypatch.setenv("GROKKING_BACKEND", "fortran")
    with pytest.raises(ValueError, match="GROKKING_BACKEND is 'fortran', but it must be one of "
                                         "pure, cython, numpy"):
        grokking.backend()
    assert grokking.backend("numpy").name == "numpy"      # an explicit name does not read it


@pytest.mark.parametrize("command", [["-m", "grokking", "backend"], ["-m", "grokking", "run", "1"],
                                     ["-m", "grokking.chapters.ch01_forward_propagation"]],
                         ids=["backend", "run 1", "a chapter"])
def test_a_bad_environment_variable_is_one_line_from_the_commands(command):
    environment = dict(os.environ, GROKKING_BACKEND="fortran")
    done = subprocess.run([sys.executable, *command], capture_output=True, text=True, env=environment)
    assert done.returncode != 0
    assert done.stderr.splitlines() == ["grokking: GROKKING_BACKEND is 'fortran', but it must be one "
                                        "of pure, cython, numpy (or unset: cython when it is built, "
                                        "else pure)"]


def test_environment_variable_picks_the_default(monkeypatch):
    monkeypatch.setenv("GROKKING_BACKEND", "numpy")
    assert grokking.backend().name == "numpy"
    assert grokking.backend("pure").name == "pure"       # an explicit name wins


# -- when the compiled backend is missing -----------------------------------------------
# The one line on standard error is checked in a fresh Python each time (it is said
# once per process); NOT_BUILT there stands for the extensions that fail to import.

COMPILED, TRAINING, DIGITS = ALL = backend_module.EXTENSIONS


def fresh_python(code, missing=(), choice=None, **env):
    """Run ``code`` after ``import grokking`` in a new Python in which the modules
    ``missing`` do not import and build_choice() says ``choice``; (stdout, stderr)."""
    setup = "import importlib, sys\n"
    setup += "".join(f"sys.modules[{name!r}] = None\n" for name in missing)
    setup += "import grokking\n"
    if choice is not None:
        setup += f"importlib.import_module('grokking.kernels.backend').build_choice = lambda: {choice!r}\n"
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("GROKKING_REQUIRE_CYTHON", "GROKKING_BACKEND")}
    environment.update(env)
    done = subprocess.run([sys.executable, "-W", "error", "-c", setup + code], capture_output=True,
                          text=True, env=environment)
    assert done.returncode == 0, done.stderr
    return done.stdout, done.stderr


@pytest.mark.parametrize("choice, why", [
    ("unknown", "it is not built"),
    ("pure-no-cython", "Cython was not installed when grokking was installed"),
    ("pure-build-failed", "its build failed when grokking was installed"),
    ("compiled", "it was built but does not import"),
])
def test_falling_back_to_pure_is_one_line_once(choice, why):
    code = ("print(grokking.backend().name, grokking.backend().name)\n"
            "grokking.train([[0, 1], [1, 1]], [0, 1], hidden=2, iterations=2)\n")
    out, err = fresh_python(code, missing=ALL, choice=choice)
    assert out.split() == ["pure", "pure"]
    assert err.count("\n") == 1 and err.endswith("\n")          # one line, said once
    assert err.startswith(f"grokking: the compiled backend is not available ({why}): "
                          "using pure Python; build it with `pip install .`")
    assert "Warning" not in err and "warn(" not in err


def test_pure_installed_on_purpose_falls_back_silently():
    out, err = fresh_python("print(grokking.backend().name)", missing=ALL,
                            choice="pure-on-purpose")
    assert out.split() == ["pure"] and err == ""


@pytest.mark.parametrize("missing", ALL)
def test_a_half_built_compiled_backend_says_which_half_is_missing(missing):
    present = " and ".join(m for m in ALL if m != missing)
    code = "print(grokking.compiled_available(), grokking.compiled_available(), grokking.backend().name)"
    out, err = fresh_python(code, missing=(missing,), choice="compiled")
    assert out.split() == ["False", "False", "pure"]
    assert err.count("\n") == 1
    assert err.startswith(f"grokking: the compiled backend is half built: {present} import but "
                          f"{missing} does not (")
    assert err.rstrip().endswith("rebuild them all with `pip install .` from the project folder")


@pytest.mark.parametrize("missing", [(COMPILED,), (TRAINING,), (DIGITS,), ALL],
                         ids=["kernels", "training", "digits", "all"])
def test_a_missing_or_half_built_compiled_backend_is_a_clear_error_when_asked_for(
        monkeypatch, missing):
    monkeypatch.delenv("GROKKING_BACKEND", raising=False)
    for name in missing:
        monkeypatch.setitem(sys.modules, name, None)   # as if the file were not there
    assert not grokking.compiled_available()
    words = "half built" if len(missing) < len(ALL) else "the cython backend is not built"
    with pytest.raises(backend_module.CompiledBackendMissing, match=words) as caught:
        grokking.backend("cython")
    assert missing[0] in str(caught.value) and "pip install ." in str(caught.value)
    # train and the compiled loop say the same, not a bare ModuleNotFoundError
    with pytest.raises(backend_module.CompiledBackendMissing, match=words):
        grokking.train([[0, 1]], [1], iterations=1, backend="cython")
    from grokking import loops
    with pytest.raises(backend_module.CompiledBackendMissing, match=words):
        loops.compiled([[0.0, 1.0]], [[1.0]], [[[0.5], [0.5]]], 1.0, 1, 1)
    monkeypatch.setenv("GROKKING_REQUIRE_CYTHON", "1")
    with pytest.raises(backend_module.CompiledBackendMissing, match="GROKKING_REQUIRE_CYTHON") as caught:
        grokking.backend()
    assert missing[0] in str(caught.value)
    monkeypatch.setenv("GROKKING_REQUIRE_CYTHON", "0")
    assert grokking.backend().name == "pure"


@pytest.mark.parametrize("text, word", [
    ("compiled\n", "compiled"), ("pure-on-purpose", "pure-on-purpose"),
    ("pure-no-cython\n", "pure-no-cython"), ("pure-build-failed\n", "pure-build-failed"),
    ("something else\n", "unknown"), ("", "unknown"), (None, "unknown"),
])
def test_build_choice_reads_what_setup_py_wrote(monkeypatch, tmp_path, text, word):
    """build_choice.txt beside the kernels; None: no such file (a source checkout)."""
    kernels = tmp_path / "kernels"
    kernels.mkdir()
    if text is not None:
        (kernels / "build_choice.txt").write_text(text, encoding="utf-8")
    asked = []
    monkeypatch.setattr(backend_module, "resources",
                        SimpleNamespace(files=lambda package: asked.append(package) or kernels))
    assert backend_module.build_choice() == word
    assert asked == ["grokking.kernels"]


def test_the_installed_build_choice_is_a_known_word():
    choice = backend_module.build_choice()
    assert choice in backend_module.WHY_PURE
    if REQUIRE_CYTHON:          # the compiled backend is there, so it was not a pure install
        assert not choice.startswith("pure-"), choice


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
