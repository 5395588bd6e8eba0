"""Both tiles of ``kernels/mat_mul.h`` keep the plain loop's bits, the one this CPU skips too.

The compiled ``mat_mul`` runs the AVX2 tile where the CPU has AVX2 and the SSE2 tile
elsewhere, so the other tests here reach only one of them. This one builds the header into
a small C program, with setup.py's flags (``-O3 -ffp-contract=off``), and compares, to
the byte, the plain loop's answer with each tile's (``grokking_blocks`` called with it
directly) on shapes that cross every edge: one row, rows split into uneven tiles, b read in
place (at most two tiles' rows) and packed, a narrow last panel, more than one block of k
and of rows. Skipped where there is no C compiler or no x86-64 (no tiles to compare).
"""
import platform
import shutil
import subprocess
from pathlib import Path

import pytest

HEADER = Path(__file__).resolve().parents[2] / "src" / "grokking" / "kernels" / "mat_mul.h"
SHAPES = [(4, 1, 8), (8, 8, 512), (8, 512, 512), (12, 257, 16), (13, 40, 33), (32, 300, 70),
          (73, 17, 9), (150, 600, 21), (5, 3, 100), (7, 33, 17)]

PROGRAM = r"""
#include <stdio.h>
#include "mat_mul.h"

static double next(unsigned long long *state) {   /* numbers in [-0.5, 0.5), any bits */
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*state >> 11) / 9007199254740992.0 - 0.5;
}

int main(int argc, char **argv) {
    int s;
    for (s = 1; s + 2 < argc; s += 3) {
        ptrdiff_t m = atoi(argv[s]), k = atoi(argv[s + 1]), n = atoi(argv[s + 2]), i;
        ptrdiff_t kc = k < GROKKING_KC ? k : GROKKING_KC, padded = (n + 7) / 8 * 8;
        unsigned long long state = (unsigned long long)(m * 1000003 + k * 1009 + n);
        double *a = malloc(sizeof(double) * m * k), *b = malloc(sizeof(double) * k * n);
        double *loop = malloc(sizeof(double) * m * n), *tile = malloc(sizeof(double) * m * n);
        double *room = malloc(sizeof(double) * (GROKKING_MC * kc + padded * kc));
        for (i = 0; i < m * k; i++) a[i] = next(&state);
        for (i = 0; i < k * n; i++) b[i] = next(&state);
        grokking_mat_mul_loop(a, b, m, k, n, loop);
        grokking_blocks(grokking_tile_sse2, 2, a, b, m, k, n, tile, room, room + GROKKING_MC * kc);
        printf("%ldx%ldx%ld sse2 %s\n", (long)m, (long)k, (long)n,
               memcmp(loop, tile, sizeof(double) * m * n) ? "differs" : "same");
        if (__builtin_cpu_supports("avx2")) {
            grokking_blocks(grokking_tile_avx2, 6, a, b, m, k, n, tile, room, room + GROKKING_MC * kc);
            printf("%ldx%ldx%ld avx2 %s\n", (long)m, (long)k, (long)n,
                   memcmp(loop, tile, sizeof(double) * m * n) ? "differs" : "same");
        }
        free(a); free(b); free(loop); free(tile); free(room);
    }
    return 0;
}
"""


@pytest.fixture(scope="module")
def program(tmp_path_factory):
    compiler = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if compiler is None or platform.machine().lower() not in ("x86_64", "amd64"):
        pytest.skip("needs a C compiler on x86-64 (the tiles are built only there)")
    folder = tmp_path_factory.mktemp("mat_mul")
    (folder / "compare.c").write_text(PROGRAM)
    built = subprocess.run([compiler, "-O3", "-ffp-contract=off", f"-I{HEADER.parent}",
                            "-o", str(folder / "compare"), str(folder / "compare.c")],
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    return folder / "compare"


def test_each_tile_gives_the_plain_loops_bytes(program):
    shapes = [str(x) for shape in SHAPES for x in shape]
    ran = subprocess.run([str(program), *shapes], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    lines = ran.stdout.splitlines()
    assert len([line for line in lines if " sse2 " in line]) == len(SHAPES)   # every shape ran
    assert [line for line in lines if not line.endswith(" same")] == []
