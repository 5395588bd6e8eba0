#!/bin/sh
# Memory-safety check of the compiled extension: build it with AddressSanitizer
# in a throw-away copy of the project, then run the hostile-input cases on it.
#
#   tools/memcheck.sh [CASES] [SEED]        # default: 10000 cases, seed 1
#
# PYTHON picks the interpreter (default the project's .venv/bin/python, else python3).
# The shared in-place build is never touched: the copy lives in a temporary
# folder, and its instrumented .so files are imported from there (PYTHONPATH).
# ASan needs its runtime loaded first (LD_PRELOAD), since python itself is not
# instrumented; detect_leaks=0 because CPython keeps memory on purpose at exit
# (leaks are tools/leakcheck.py's job); PYTHONMALLOC=malloc sends every Python
# object through ASan's malloc, so reads past an object are caught too.
# Any ASan report aborts the run: the exit status is then non-zero.
set -eu

CASES=${1:-10000}
SEED=${2:-1}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
[ -x "$PYTHON" ] || PYTHON=python3
WORK=$(mktemp -d "${TMPDIR:-/tmp}/grokking-asan.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

cd "$ROOT"
cp -r src chapters tests setup.py pyproject.toml README.md "$WORK"/
find "$WORK/src" \( -name '*.so' -o -name '*.c' -o -name '__pycache__' \) -prune -exec rm -rf {} +

cd "$WORK"
echo "memcheck: building the extension with -fsanitize=address in $WORK"
CFLAGS="-fsanitize=address -fno-omit-frame-pointer -g" LDFLAGS="-fsanitize=address" \
    GROKKING_REQUIRE_CYTHON=1 "$PYTHON" setup.py -q build_ext --inplace >build.log 2>&1 \
    || { cat build.log; exit 1; }
nm -D src/grokking/kernels/compiled*.so | grep -q __asan_report \
    || { echo "memcheck: the extension is not instrumented"; exit 1; }

status=0
LIBASAN=$(${CC:-gcc} -print-file-name=libasan.so)
echo "memcheck: running $CASES cases (seed $SEED) with $LIBASAN"
LD_PRELOAD="$LIBASAN" PYTHONMALLOC=malloc PYTHONPATH="$WORK/src" GROKKING_REQUIRE_CYTHON=1 \
    ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:abort_on_error=1:log_path=$WORK/asan" \
    "$PYTHON" -m tests.fuzz.run --cases "$CASES" --seed "$SEED" --no-shrink \
    --expect-compiled-in "$WORK" || status=$?

# Then every case of an argument changed in the middle of a call (tests/fuzz/mutation.py).
echo "memcheck: running the mutation cases on the instrumented build"
LD_PRELOAD="$LIBASAN" PYTHONMALLOC=malloc PYTHONPATH="$WORK/src" GROKKING_REQUIRE_CYTHON=1 \
    ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:abort_on_error=1:log_path=$WORK/asan" \
    "$PYTHON" -m tests.fuzz.mutation --judge --backend cython || status=$?

if ls "$WORK"/asan.* >/dev/null 2>&1; then
    cat "$WORK"/asan.*
    echo "memcheck: AddressSanitizer REPORTED errors"
    exit 1
fi
echo "memcheck: zero AddressSanitizer reports"
exit $status
