"""Choose which implementation of the kernels to use: pure, cython or numpy.

``backend(name)`` returns a module holding every kernel. With no name it reads
the ``GROKKING_BACKEND`` environment variable; without that it takes the
compiled backend when it was built, else the pure one. Falling back to pure is
said in one line on standard error, once per process, saying why and how to
build -- and not at all when pure Python was installed on purpose
(``GROKKING_PUREPYTHON=1``: ``setup.py`` writes how it built the package into
``grokking/kernels/build_choice.txt``). ``GROKKING_REQUIRE_CYTHON=1`` turns a
missing compiled backend into an error, so tests and CI cannot pass on the
fallback by accident.

The compiled backend is three extensions built together: the kernels
(``grokking.kernels.compiled``), the whole XOR training loop
(``grokking.networks.training``) and the digits network's epoch
(``grokking.networks.digits_epoch``). All import, or the compiled backend counts as
not built; when only some of them import, the line (or the error) names the
missing ones.
"""
import importlib
import os
import sys
from importlib import resources

NAMES = ("pure", "cython", "numpy")
_MODULES = {"pure": "pure", "cython": "compiled", "numpy": "reference"}
EXTENSIONS = ("grokking.kernels.compiled", "grokking.networks.training", "grokking.networks.digits_epoch")

HOW_TO_BUILD = ("build it with `pip install .` from the project folder "
                "(needs a C compiler; GROKKING_PUREPYTHON=1 skips it)")

# What setup.py wrote into build_choice.txt -> why there is no compiled backend
# (None: pure on purpose, nothing to say).
WHY_PURE = {
    "pure-on-purpose": None,
    "pure-no-cython": "Cython was not installed when grokking was installed",
    "pure-build-failed": "its build failed when grokking was installed",
    "compiled": "it was built but does not import",
    "unknown": "it is not built",
}


class CompiledBackendMissing(ImportError):
    """The Cython extension was asked for but is not built (or only half of it)."""


class BackendVariableError(ValueError):
    """GROKKING_BACKEND names no backend (the commands and the chapters say so in one line)."""


def build_choice():
    """How this copy of grokking was installed, as ``setup.py`` wrote it.

    One of "compiled", "pure-on-purpose", "pure-no-cython", "pure-build-failed";
    "unknown" when the file is missing (a source checkout) or holds something else.
    """
    try:
        text = resources.files("grokking.kernels").joinpath("build_choice.txt").read_text(
            encoding="utf-8")
    except OSError:
        return "unknown"
    word = text.strip()
    return word if word in WHY_PURE else "unknown"


def missing_extensions():
    """``{module name: why it does not import}`` for each compiled extension that is missing."""
    missing = {}
    for module in EXTENSIONS:
        try:
            importlib.import_module(module)
        except ImportError as error:
            missing[module] = str(error)
    return missing


def _half_built(missing):
    """The one line that says only some of the extensions import, or None."""
    present = [m for m in EXTENSIONS if m not in missing]
    if not missing or not present:
        return None
    imports = " and ".join(present) + (" imports" if len(present) == 1 else " import")
    absent = " and ".join(f"{m} does not ({why})" for m, why in missing.items())
    return (f"the compiled backend is half built: {imports} but {absent}: "
            "rebuild them all with `pip install .` from the project folder")


_said = set()


def _say_once(line):
    """Write ``grokking: line`` on standard error, the first time only."""
    if line not in _said:
        _said.add(line)
        print(f"grokking: {line}", file=sys.stderr, flush=True)


def compiled_available():
    """True when every compiled extension is built and imports.

    When only some of them import it says so on standard error (once) and
    returns False.
    """
    missing = missing_extensions()
    line = _half_built(missing)
    if line:
        _say_once(line)
    return not missing


def require_cython():
    """True when GROKKING_REQUIRE_CYTHON asks for the compiled backend (tests and CI)."""
    return os.environ.get("GROKKING_REQUIRE_CYTHON", "") not in ("", "0")


def _fallback_line(missing):
    """The line that says the default backend is pure, and why; None when pure was chosen."""
    half = _half_built(missing)
    if half:
        return half
    why = WHY_PURE[build_choice()]
    if why is None:
        return None
    return f"the compiled backend is not available ({why}): using pure Python; " + HOW_TO_BUILD


def backend(name=None):
    """The kernels of one backend, as a module: ``backend("pure").w_sum(a, b)``.

    name: "pure", "cython" or "numpy"; None reads GROKKING_BACKEND, then picks
    "cython" if built, else "pure" (and says so on standard error, once).
    """
    if name is None:
        name = os.environ.get("GROKKING_BACKEND") or None
        if name is not None and name not in NAMES:
            raise BackendVariableError(f"GROKKING_BACKEND is {name!r}, but it must be one of "
                                       f"{', '.join(NAMES)} (or unset: cython when it is built, "
                                       f"else pure)")
    if name is None:
        missing = missing_extensions()
        if not missing:
            name = "cython"
        elif require_cython():
            raise CompiledBackendMissing(
                "GROKKING_REQUIRE_CYTHON is set but the compiled backend is not available: "
                + (_half_built(missing) or f"{next(iter(missing.values()))}: {HOW_TO_BUILD}"))
        else:
            line = _fallback_line(missing)
            if line:
                _say_once(line)
            name = "pure"
    if name not in NAMES:
        raise ValueError(f"backend: name must be one of {', '.join(NAMES)}, got {name!r}")
    if name == "cython":
        missing = missing_extensions()
        if missing:
            raise CompiledBackendMissing(
                _half_built(missing)
                or f"the cython backend is not built ({next(iter(missing.values()))}): "
                + HOW_TO_BUILD)
    return importlib.import_module("grokking.kernels." + _MODULES[name])
