"""Build the Cython twin of the kernels; fall back to pure Python, loudly, if it cannot.

This file holds how the extensions are compiled: the C compiler flags. The
Cython directives (boundscheck=False, ...) are in a ``# cython:`` header at the
top of each ``.pyx``, above the loops they govern.

- GROKKING_PUREPYTHON=1   skip the extensions entirely (pure Python install);
- GROKKING_REQUIRE_CYTHON=1   a failed build is an error instead of a warning.

All the extensions (the kernels, the XOR training loop, the digits training
loop) are built, or none: a half-built install would fail later with a bare
ModuleNotFoundError. The
install records what it chose in ``grokking/kernels/build_choice.txt`` (one
word: compiled, pure-on-purpose, pure-no-cython or pure-build-failed), so the
package can tell a learner why it runs pure Python.

The flags: -O3; -ffp-contract=off (MSVC: /fp:precise), so the C compiler never
fuses ``total += a * b`` into one fused multiply-add (FMA, which rounds once
instead of twice: on ARM, e.g. Apple Silicon, or with -march=haswell it would,
and pure and compiled would no longer give identical bits). No -ffast-math (it
changes results, and when linked it flushes denormals to zero for the whole
process), no -march=native (the binary would not run on an older CPU).
"""
import os
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build import build
from setuptools.command.build_ext import build_ext

# The chapters live at the top of the repository, and are installed as
# grokking.chapters so that `python -m grokking run N` works from anywhere.
PACKAGE_DIR = {"": "src", "grokking.chapters": "chapters"}
PACKAGES = ["grokking", "grokking.kernels", "grokking.datasets",
            "grokking.datasets.babi",  # a folder of data files only (setuptools wants it listed)
            "grokking.networks", "grokking.framework", "grokking.lessons", "grokking.tools",
            "grokking.checker", "grokking.checker.sheets", "grokking.lab", "grokking.chapters"]
# Data files that must be installed with the code (checked by grokking.datasets on load).
PACKAGE_DATA = {"grokking.datasets": ["digits.csv.gz", "README.md", "LICENSE-digits.txt",
                                      "LICENSE-babi.txt", "shakespeare.txt.gz",
                                      "LICENSE-shakespeare.txt"],
                "grokking.datasets.babi": ["*.txt.gz"],
                # the lab's page template, script and style, written into each self-contained HTML file
                "grokking.lab": ["*.html", "*.js", "*.css"],
                # the Cython sources and the C header they include, so that
                # `python -m grokking annotate` works when installed, and a learner can read them
                "grokking.kernels": ["*.pyx", "*.h"],
                "grokking.networks": ["*.pyx"]}
# Cython's generated C (and annotated HTML) is a build product: not installed, not committed.
EXCLUDE_DATA = {"grokking.kernels": ["*.c", "*.html"], "grokking.networks": ["*.c", "*.html"]}
# Cython writes its C here, outside src/, so that a build leaves the source tree as it was.
CYTHON_BUILD_DIR = "build/cython"

EXTENSIONS = {
    "grokking.kernels.compiled": "src/grokking/kernels/compiled.pyx",  # the kernels
    "grokking.networks.training": "src/grokking/networks/training.pyx",  # the XOR training loop
    "grokking.networks.digits_epoch": "src/grokking/networks/digits_epoch.pyx",  # the digits epoch
}

COMPILE_ARGS = {"msvc": ["/O2", "/fp:precise"]}
COMPILE_ARGS_GCC_CLANG = ["-O3", "-ffp-contract=off"]


def _flag(name):
    return os.environ.get(name, "") not in ("", "0")


def _banner(lines):
    bar = "*" * 76
    sys.stderr.write("\n".join(["", bar, *("* " + line for line in lines), bar, ""]) + "\n")


def _reason(error):
    """One line saying what went wrong."""
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}"


class BuildAllOrNone(build_ext):
    """Build every extension, or none, and say loudly why the install is pure Python."""

    choice = "pure-build-failed"  # until all are built; BuildWithChoice writes it down

    def build_extensions(self):
        args = COMPILE_ARGS.get(self.compiler.compiler_type, COMPILE_ARGS_GCC_CLANG)
        for ext in self.extensions:
            ext.extra_compile_args = list(args)
        try:
            for ext in self.extensions:
                self.build_extension(ext)
        except Exception as error:  # no compiler, missing headers, a C error, ...
            if _flag("GROKKING_REQUIRE_CYTHON"):
                raise
            for ext in self.extensions:  # none: remove the ones that were built
                Path(self.get_ext_fullpath(ext.name)).unlink(missing_ok=True)
            _banner([
                "grokking: could NOT compile the Cython extensions:",
                f"    {_reason(error)}",
                "Installing the PURE PYTHON backend only. Everything works, but slower,",
                "and grokking.backend('cython') will raise. To get the compiled backend,",
                "install a C compiler and the Python headers, then `pip install .` again.",
            ])
        else:
            BuildAllOrNone.choice = "compiled"


class BuildWithChoice(build):
    """``build``, then write what the install chose into the built package (not into src/)."""

    def run(self):
        super().run()
        choice = BuildAllOrNone.choice if EXT_MODULES else WHY_PURE
        if choice != "compiled":  # nothing left over from an earlier, compiled build
            for name in EXTENSIONS:
                *folders, module = name.split(".")
                for old in Path(self.build_lib, *folders).glob(module + ".*"):
                    if old.suffix in (".so", ".pyd"):
                        old.unlink()
        kernels = Path(self.build_lib, "grokking", "kernels")
        kernels.mkdir(parents=True, exist_ok=True)
        (kernels / "build_choice.txt").write_text(choice + "\n", encoding="utf-8")


def extensions():
    """``(extensions to build, None)``, or ``([], why)`` for a pure install."""
    if _flag("GROKKING_PUREPYTHON"):
        _banner(["grokking: GROKKING_PUREPYTHON is set: installing pure Python only."])
        return [], "pure-on-purpose"
    try:
        from Cython.Build import cythonize
    except ImportError:
        if _flag("GROKKING_REQUIRE_CYTHON"):
            raise
        _banner(["grokking: Cython is not installed: installing pure Python only."])
        return [], "pure-no-cython"
    from setuptools import Extension

    try:
        return cythonize([Extension(name, [source]) for name, source in EXTENSIONS.items()],
                         build_dir=CYTHON_BUILD_DIR, annotate=_flag("GROKKING_ANNOTATE")), None
    except Exception as error:  # Cython could not translate a .pyx
        if _flag("GROKKING_REQUIRE_CYTHON"):
            raise
        _banner(["grokking: Cython could NOT translate the extensions: installing pure Python only.",
                 f"    {_reason(error)}"])
        return [], "pure-build-failed"


EXT_MODULES, WHY_PURE = extensions()
Path("build").mkdir(exist_ok=True)   # setup.cfg puts the egg-info there, out of src/

setup(
    package_dir=PACKAGE_DIR,
    packages=PACKAGES,
    package_data=PACKAGE_DATA,
    exclude_package_data=EXCLUDE_DATA,
    ext_modules=EXT_MODULES,
    cmdclass={"build": BuildWithChoice, "build_ext": BuildAllOrNone},
)
