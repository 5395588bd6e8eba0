"""Choose which implementation of the kernels to use: pure, cython or numpy.

``backend(name)`` returns a module holding every kernel. With no name it reads
the ``GROKKING_BACKEND`` environment variable; without that it takes the
compiled backend when it was built, else the pure one (with a warning that says
how to build). ``GROKKING_REQUIRE_CYTHON=1`` turns a missing compiled backend
into an error, so tests and CI cannot pass on the fallback by accident.
"""
import importlib
import os
import warnings

NAMES = ("pure", "cython", "numpy")
_MODULES = {"pure": "pure", "cython": "compiled", "numpy": "reference"}

HOW_TO_BUILD = ("build it with `pip install .` from the project folder "
                "(needs a C compiler; GROKKING_PUREPYTHON=1 skips it)")


class CompiledBackendMissing(ImportError):
    """The Cython extension was asked for but is not built."""


def compiled_available():
    """True when the Cython extension is built and imports."""
    try:
        importlib.import_module("grokking.kernels.compiled")
    except ImportError:
        return False
    return True


def _require_cython():
    return os.environ.get("GROKKING_REQUIRE_CYTHON", "") not in ("", "0")


def backend(name=None):
    """The kernels of one backend, as a module: ``backend("pure").w_sum(a, b)``.

    name: "pure", "cython" or "numpy"; None reads GROKKING_BACKEND, then picks
    "cython" if built, else "pure" with a warning.
    """
    if name is None:
        name = os.environ.get("GROKKING_BACKEND") or None
    if name is None:
        if compiled_available():
            name = "cython"
        elif _require_cython():
            raise CompiledBackendMissing(
                "GROKKING_REQUIRE_CYTHON is set but the compiled backend is not built: " + HOW_TO_BUILD)
        else:
            warnings.warn("grokking: the compiled backend is not built, using pure Python; "
                          + HOW_TO_BUILD, stacklevel=2)
            name = "pure"
    if name not in NAMES:
        raise ValueError(f"backend: name must be one of {', '.join(NAMES)}, got {name!r}")
    try:
        return importlib.import_module("grokking.kernels." + _MODULES[name])
    except ImportError as error:
        if name != "cython":
            raise
        raise CompiledBackendMissing(
            f"the cython backend is not built ({error}): " + HOW_TO_BUILD) from None
