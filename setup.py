"""Build the Cython twin of the kernels; fall back to pure Python, loudly, if it cannot.

Everything about how the extension is compiled lives here, and only here:
the Cython directives and the C compiler flags.

- GROKKING_PUREPYTHON=1   skip the extension entirely (pure Python install);
- GROKKING_REQUIRE_CYTHON=1   a failed build is an error instead of a warning.

The default build uses neither -ffast-math (it changes results, and when linked
it flushes denormals to zero for the whole process) nor -march=native (the
binary would not run on an older CPU).
"""
import os
import sys

from setuptools import setup
from setuptools.command.build_ext import build_ext

# The chapters live at the top of the repository, and are installed as
# grokking.chapters so that `python -m grokking run N` works from anywhere.
PACKAGE_DIR = {"": "src", "grokking.chapters": "chapters"}
PACKAGES = ["grokking", "grokking.kernels", "grokking.chapters", "grokking.datasets"]
# Data files that must be installed with the code (checked by grokking.datasets on load).
PACKAGE_DATA = {"grokking.datasets": ["digits.csv.gz", "README.md", "LICENSE-digits.txt"],
                # the Cython sources, so `python -m grokking annotate` works when installed
                "grokking.kernels": ["*.pyx"]}
# Cython's generated C (and annotated HTML) is a build product: not installed, not committed.
EXCLUDE_DATA = {"grokking.kernels": ["*.c", "*.html"]}

DIRECTIVES = {
    "language_level": 3,
    "boundscheck": False,   # sizes are checked before every loop
    "wraparound": False,
    "initializedcheck": False,
    "cdivision": True,
}
COMPILE_ARGS = ["-O3"] if os.name != "nt" else ["/O2"]


def _flag(name):
    return os.environ.get(name, "") not in ("", "0")


def _banner(lines):
    bar = "*" * 76
    sys.stderr.write("\n".join(["", bar, *("* " + line for line in lines), bar, ""]) + "\n")


class OptionalBuildExt(build_ext):
    """Build the extension, or explain loudly why the install is pure Python."""

    def run(self):
        try:
            super().run()
        except Exception as error:  # no compiler, missing headers, ...
            self._give_up(error)

    def build_extension(self, ext):
        try:
            super().build_extension(ext)
        except Exception as error:
            self._give_up(error)

    def _give_up(self, error):
        if _flag("GROKKING_REQUIRE_CYTHON"):
            raise
        _banner([
            "grokking: could NOT compile the Cython extension:",
            f"    {type(error).__name__}: {error}",
            "Installing the PURE PYTHON backend only. Everything works, but slower,",
            "and grokking.backend('cython') will raise. To get the compiled backend,",
            "install a C compiler and the Python headers, then `pip install .` again.",
        ])


def extensions():
    if _flag("GROKKING_PUREPYTHON"):
        _banner(["grokking: GROKKING_PUREPYTHON is set: installing pure Python only."])
        return []
    try:
        from Cython.Build import cythonize
    except ImportError:
        if _flag("GROKKING_REQUIRE_CYTHON"):
            raise
        _banner(["grokking: Cython is not installed: installing pure Python only."])
        return []
    from setuptools import Extension

    exts = [
        Extension("grokking.kernels.compiled", ["src/grokking/kernels/compiled.pyx"],
                  extra_compile_args=COMPILE_ARGS),
        # the whole training loop compiled (grokking.train(..., backend="cython"))
        Extension("grokking.kernels.training", ["src/grokking/kernels/training.pyx"],
                  extra_compile_args=COMPILE_ARGS),
    ]
    return cythonize(exts, compiler_directives=DIRECTIVES,
                     annotate=_flag("GROKKING_ANNOTATE"))


setup(
    package_dir=PACKAGE_DIR,
    packages=PACKAGES,
    package_data=PACKAGE_DATA,
    exclude_package_data=EXCLUDE_DATA,
    ext_modules=extensions(),
    cmdclass={"build_ext": OptionalBuildExt},
)
