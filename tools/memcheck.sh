#!/bin/sh
# Memory-safety check of the compiled extension: build it with AddressSanitizer
# in a throw-away copy of the project, then run the hostile-input cases on it.
#
#   tools/memcheck.sh [CASES] [SEED] [DIGITS]   # default: 10000 cases, seed 1, 3000 digits cases
#
# Three runs on the instrumented build: CASES fuzz cases of every function; then every
# mutation case of tests/fuzz/mutation.py (the kernels and the compiled digits epoch);
# then DIGITS more fuzz cases of the compiled digits epoch called directly (digits.pyx).
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
DIGITS=${3:-3000}
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
for so in compiled training digits; do
    nm -D src/grokking/kernels/$so*.so | grep -q __asan_report \
        || { echo "memcheck: the $so extension is not instrumented"; exit 1; }
done

status=0
LIBASAN=$(${CC:-gcc} -print-file-name=libasan.so)
asan() {   # python, on the instrumented build
    LD_PRELOAD="$LIBASAN" PYTHONMALLOC=malloc PYTHONPATH="$WORK/src" GROKKING_REQUIRE_CYTHON=1 \
        ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:abort_on_error=1:log_path=$WORK/asan" \
        "$PYTHON" "$@"
}
echo "memcheck: running $CASES cases (seed $SEED) with $LIBASAN"
asan -m tests.fuzz.run --cases "$CASES" --seed "$SEED" --no-shrink \
    --expect-compiled-in "$WORK" || status=$?

# Then every case of an argument changed in the middle of a call (tests/fuzz/mutation.py).
echo "memcheck: running the mutation cases on the instrumented build"
asan -m tests.fuzz.mutation --judge --backend cython || status=$?

# Then the compiled digits epoch alone (its share of --cases is 5%: tests/fuzz/run.py's SHARES).
echo "memcheck: running $DIGITS cases of the compiled digits epoch"
asan -m tests.fuzz.run --cases $((DIGITS * 20)) --seed "$SEED" --no-shrink \
    --only digits_epoch --expect-compiled-in "$WORK" || status=$?

if ls "$WORK"/asan.* >/dev/null 2>&1; then
    cat "$WORK"/asan.*
    echo "memcheck: AddressSanitizer REPORTED errors"
    exit 1
fi
echo "memcheck: zero AddressSanitizer reports"
exit $status
