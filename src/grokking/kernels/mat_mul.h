/* mat_mul.h: the matrix product behind compiled.pyx's mat_mul, with pure.py's bits.
 *
 * What it does: c = a times b, where a is rows x inner, b is inner x columns and c
 * rows x columns, each row after row in memory. compiled.pyx calls it from one
 * place (mat_mul), for lists and arrays alike.
 *
 * The promise: every number of the answer is made exactly as pure.py makes it,
 *     c[i][j] = 0.0;  then for k = 0, 1, 2, ...:  c[i][j] = c[i][j] + a[i][k] * b[k][j]
 * one multiply, rounded, then one add, rounded, k in order. Nothing below changes
 * that: the loops are reordered and blocked over i and j, and over k only in
 * order (a block of k continues from the sums the block before it left in c), and
 * four neighbouring j are done side by side in one vector register, each its own
 * sum. Products and sums stay separate instructions: setup.py builds with
 * -ffp-contract=off, so the compiler never fuses them into one fused multiply-add
 * (FMA, one rounding instead of two), even where the CPU has FMA. That is why this
 * cannot be BLAS: NumPy's BLAS adds in its own order and fuses.
 *
 * How it goes fast (the BLIS idea, as in van Zee and van de Geijn's BLIS papers):
 * - a tile of the answer, MR rows x 8 columns, lives in registers while k runs
 *   through a whole block: every number of a read serves 8 columns, every number
 *   of b serves MR rows, and c is read and written once per block of k;
 * - b is first copied ("packed") into panels of 8 columns, each a run of
 *   8 numbers per k one after another, and a into panels of MR rows (MR numbers
 *   per k), so the tile reads both in a straight line, from the L1 cache;
 * - k goes in blocks of KC and the rows in blocks of MC, so that a packed block of
 *   a (MC x KC, 144 KB) stays in the L2 cache while every panel of b streams by.
 * On x86-64 the tile is compiled twice: with AVX2 (registers of four doubles,
 * sixteen of them: 6 rows x 8 columns = 12 sums) and with plain SSE2 (registers of
 * two, sixteen of them: 2 rows x 8 columns = 8 sums), and the CPU is asked once,
 * when it runs, which it has (__builtin_cpu_supports), never decided by -march:
 * the binary runs on every x86-64. Other compilers or CPUs (MSVC, ARM) build only
 * the plain loop (grokking_mat_mul_loop, first below), which makes the same numbers;
 * so do products of fewer than 4 rows or 8 columns everywhere, where the loop is as fast.
 *
 * Measured on an AMD EPYC with AVX-512 (2 cores shared with other work all along, so
 * the absolute figures move by 2x from run to run; ratios measured side by side hold
 * better), float64, GFLOP/s = 2 n^3 / seconds:
 * - through mat_mul on arrays, against np.dot with one OpenBLAS thread, taking turns,
 *   medians: n = 128: 13.5 against 14.4 GFLOP/s (1.07 times np.dot's time); 256: 13.6
 *   against 16.3 (1.20x); 512: 9.6 against 11.6 (1.21x). The i-j-k loop this replaces
 *   took 23x np.dot's time at 128 and 45x at 256.
 * - the C alone, best of 9 at a quieter moment: the AVX2 tile 44 GFLOP/s at 128 and 256,
 *   26-43 at 512; the SSE2 tile 10-18; the plain loop below 7-10 at 128, 2-4 at 512 (it
 *   reads all of b for every row of c, from memory once b outgrows the cache).
 * - what each step bought, the C alone at 512: the tile with c zeroed first and read
 *   back at every block of k, 19; starting the first block of k from 0.0 instead, 26;
 *   asking for the next tile's sums ahead (__builtin_prefetch), 26-34. The same tile
 *   written as plain loops over a double[6][8], left to the compiler to vectorize, gave
 *   1.4 (AVX2) and 6 (SSE2): hence the explicit vector types.
 * - the shapes of the bench's chapter 16 LSTM (8 streams, embedding 8, hidden 512), the C alone,
 *   GFLOP/s (np.dot with one thread beside it): 8 x 512 times 512 x 512, 12.5 with the
 *   plain loop, 23 now (31.5); 32 x 512 times 512 x 512, 38 (45); the weights' gradient,
 *   512 x 8 times 8 x 512, 10.4 with the loop, 21 now (24). Three changes made that: tiles
 *   for any inner length (a gradient's is the batch's 8), b read in place when few rows
 *   read it (packing it cost as much as the product), and rows split evenly into tiles;
 *   the chapter 14 sizes (32 rows) gain as well.
 */
#ifndef GROKKING_MAT_MUL_H
#define GROKKING_MAT_MUL_H

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* The plain loop, i-k-j: for each row of c, add a[i][k] times row k of b, k in
 * order. Used for small products (where packing costs more than it saves) and
 * where there are no tiles. */
static void grokking_mat_mul_loop(const double *a, const double *b, ptrdiff_t rows,
                                  ptrdiff_t inner, ptrdiff_t columns, double *c) {
    ptrdiff_t i, j, k;
    for (i = 0; i < rows; i++) {
        double *row = c + i * columns;
        for (j = 0; j < columns; j++) row[j] = 0.0;
        for (k = 0; k < inner; k++) {
            const double aik = a[i * inner + k], *bk = b + k * columns;
            for (j = 0; j < columns; j++) row[j] = row[j] + aik * bk[j];
        }
    }
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define GROKKING_TILES 1

/* Two or four numbers side by side in one register (GCC's and clang's vector types):
 * + and * work on each number on its own, as on a double. */
typedef double grokking_two __attribute__((vector_size(16)));   /* SSE2: every x86-64 */
typedef double grokking_four __attribute__((vector_size(32)));  /* AVX2 */

/* Tiles are 8 columns wide; k goes in blocks of KC, rows in blocks of MC (a multiple of
 * both tiles' heights, 6 and 2). */
enum { GROKKING_NR = 8, GROKKING_KC = 256, GROKKING_MC = 72 };

/* n numbers from p into v, or from v into p, at any alignment (one unaligned move). */
#define GROKKING_MOVE(to, from, n) memcpy((to), (from), (n) * sizeof(double))

/* A tile: sum[r][j] = sum[r][j] + ap[k][r] * bp[k][j] for k = 0 .. kc in order, for the
 * rows r < m (at most 6) and the columns j < 8 of the tile, starting from 0.0 (the first
 * block of k) or from the sums in c (the blocks after it), and left in c. ap is the packed
 * panel of a (6 numbers per k, whatever m is); bp holds 8 numbers of b per k, ldb apart (8
 * in a packed panel, or b's own row length where b is read in place); c's rows are ldc
 * apart. The 6 x 8 sums stay in 12 of AVX2's 16 registers. The tile is written once, for
 * any m; always_inline and the constant m of each caller below make six copies, each with
 * its loops over r unrolled (a loop over a variable m would keep the sums in memory). */
__attribute__((target("avx2"), always_inline))
static inline void grokking_tile_avx2_rows(const int m, const double *ap, const double *bp,
                                           ptrdiff_t ldb, ptrdiff_t kc, double *c,
                                           ptrdiff_t ldc, int from_c) {
    grokking_four sum[6][2] = {{{0.0}}}, b0, b1;
    ptrdiff_t k;
    int r;
    for (r = 0; r < m && from_c; r++) {
        GROKKING_MOVE(&sum[r][0], c + r * ldc, 4);
        GROKKING_MOVE(&sum[r][1], c + r * ldc + 4, 4);
    }
    for (k = 0; k < kc; k++) {
        GROKKING_MOVE(&b0, bp + k * ldb, 4);
        GROKKING_MOVE(&b1, bp + k * ldb + 4, 4);
        for (r = 0; r < m; r++) {
            const double x = ap[k * 6 + r];
            const grokking_four xs = {x, x, x, x};
            sum[r][0] = sum[r][0] + xs * b0;  /* multiply, round; then add, round */
            sum[r][1] = sum[r][1] + xs * b1;
        }
    }
    for (r = 0; r < m; r++) {
        GROKKING_MOVE(c + r * ldc, &sum[r][0], 4);
        GROKKING_MOVE(c + r * ldc + 4, &sum[r][1], 4);
    }
}

__attribute__((target("avx2")))
static void grokking_tile_avx2(int m, const double *ap, const double *bp, ptrdiff_t ldb,
                               ptrdiff_t kc, double *c, ptrdiff_t ldc, int from_c) {
    switch (m) {
    case 6: grokking_tile_avx2_rows(6, ap, bp, ldb, kc, c, ldc, from_c); break;
    case 5: grokking_tile_avx2_rows(5, ap, bp, ldb, kc, c, ldc, from_c); break;
    case 4: grokking_tile_avx2_rows(4, ap, bp, ldb, kc, c, ldc, from_c); break;
    case 3: grokking_tile_avx2_rows(3, ap, bp, ldb, kc, c, ldc, from_c); break;
    case 2: grokking_tile_avx2_rows(2, ap, bp, ldb, kc, c, ldc, from_c); break;
    default: grokking_tile_avx2_rows(1, ap, bp, ldb, kc, c, ldc, from_c); break;
    }
}

/* The same tile for a CPU without AVX2: m (at most 2) rows x 8 columns, two numbers a
 * register (8 of SSE2's 16 registers hold the sums); ap holds 2 numbers per k. */
static void grokking_tile_sse2(int m, const double *ap, const double *bp, ptrdiff_t ldb,
                               ptrdiff_t kc, double *c, ptrdiff_t ldc, int from_c) {
    grokking_two sum[2][4] = {{{0.0}}}, b[4];
    ptrdiff_t k;
    int r, q;
    for (r = 0; r < m && from_c; r++)
        for (q = 0; q < 4; q++) GROKKING_MOVE(&sum[r][q], c + r * ldc + 2 * q, 2);
    for (k = 0; k < kc; k++) {
        for (q = 0; q < 4; q++) GROKKING_MOVE(&b[q], bp + k * ldb + 2 * q, 2);
        for (r = 0; r < 2; r++) {   /* a row past m adds 0.0 times b, and is never stored */
            const double x = ap[k * 2 + r];
            const grokking_two xs = {x, x};
            for (q = 0; q < 4; q++) sum[r][q] = sum[r][q] + xs * b[q];
        }
    }
    for (r = 0; r < m; r++)
        for (q = 0; q < 4; q++) GROKKING_MOVE(c + r * ldc + 2 * q, &sum[r][q], 2);
}

typedef void (*grokking_tile_t)(int m, const double *ap, const double *bp, ptrdiff_t ldb,
                                ptrdiff_t kc, double *c, ptrdiff_t ldc, int from_c);

/* The rows of tile t when mc rows go in `tiles` tiles as evenly as can be: the first
 * mc % tiles tiles take one row more. */
static ptrdiff_t grokking_tile_height(ptrdiff_t mc, ptrdiff_t tiles, ptrdiff_t t) {
    return mc / tiles + (t < mc % tiles);
}

/* The blocked product, with tiles of mr rows (tile: one of the two above). ap and bp are
 * room for a packed block of a (MC x KC) and of b (KC x columns, rounded up to 8).
 *
 * b is packed only where more than two tiles read each panel (a has more than 2 mr rows),
 * and always for the last panel when it is narrower than 8 columns (0.0 past the last
 * column). Otherwise each tile reads its 8 numbers per k straight from b's rows: for the
 * 8 rows of a batch times a 512 x 512 weight, packing all of b cost as much as the
 * product itself. */
static void grokking_blocks(grokking_tile_t tile, int mr, const double *a, const double *b,
                            ptrdiff_t rows, ptrdiff_t inner, ptrdiff_t columns, double *c,
                            double *ap, double *bp) {
    ptrdiff_t pc, ic, jr, k, j, r;
    const ptrdiff_t panels = (columns + GROKKING_NR - 1) / GROKKING_NR;
    const int pack_b = rows > 2 * mr;
    for (pc = 0; pc < inner; pc += GROKKING_KC) {
        const ptrdiff_t kc = inner - pc < GROKKING_KC ? inner - pc : GROKKING_KC;
        /* pack b[pc .. pc+kc) into panels of 8 columns (0.0 past the last column) */
        for (jr = 0; jr < panels; jr++) {
            if (!pack_b && (jr + 1) * GROKKING_NR <= columns)
                continue;
            for (k = 0; k < kc; k++)
                for (j = 0; j < GROKKING_NR; j++) {
                    const ptrdiff_t column = jr * GROKKING_NR + j;
                    bp[(jr * kc + k) * GROKKING_NR + j] =
                        column < columns ? b[(pc + k) * columns + column] : 0.0;
                }
        }
        for (ic = 0; ic < rows; ic += GROKKING_MC) {
            const ptrdiff_t mc = rows - ic < GROKKING_MC ? rows - ic : GROKKING_MC;
            /* The block's rows in tiles of at most mr rows, as even as can be (8 rows: 4 and 4,
             * not 6 and 2: a tile of 2 rows has too few sums to keep the adder busy). Tile t
             * holds `height` rows from row `top`; its panel of a is ap + t * mr * kc. */
            const ptrdiff_t tiles = (mc + mr - 1) / mr;
            ptrdiff_t t, top, height;
            /* pack a[ic .. ic+mc)[pc .. pc+kc) into panels of mr rows (0.0 past a tile's rows) */
            for (t = 0, top = 0; t < tiles; t++, top += height) {
                height = grokking_tile_height(mc, tiles, t);
                for (k = 0; k < kc; k++)
                    for (r = 0; r < mr; r++)
                        ap[(t * kc + k) * mr + r] =
                            r < height ? a[(ic + top + r) * inner + pc + k] : 0.0;
            }
            for (jr = 0; jr < panels; jr++) {
                const ptrdiff_t n = columns - jr * GROKKING_NR < GROKKING_NR
                                    ? columns - jr * GROKKING_NR : GROKKING_NR;
                const int packed = pack_b || n < GROKKING_NR;
                const double *panel = packed ? bp + jr * kc * GROKKING_NR
                                             : b + pc * columns + jr * GROKKING_NR;
                const ptrdiff_t ldb = packed ? GROKKING_NR : columns;
                for (t = 0, top = 0; t < tiles; t++, top += height) {
                    double *at = c + (ic + top) * columns + jr * GROKKING_NR;
                    const int m = (int)(height = grokking_tile_height(mc, tiles, t));
                    if (pc > 0 && t + 1 < tiles)  /* ask for the next tile's sums now */
                        for (r = 0; r < m; r++) {
                            __builtin_prefetch(at + (m + r) * columns);
                            __builtin_prefetch(at + (m + r) * columns + GROKKING_NR - 1);
                        }
                    if (n == GROKKING_NR) {
                        tile(m, ap + t * mr * kc, panel, ldb, kc, at, columns, pc > 0);
                    } else {  /* at the right edge, the tile works on a copy of the part of c there is */
                        double part[6 * GROKKING_NR] = {0.0};
                        for (r = 0; r < m && pc > 0; r++)
                            GROKKING_MOVE(part + r * GROKKING_NR, at + r * columns, n);
                        tile(m, ap + t * mr * kc, panel, ldb, kc, part, GROKKING_NR, pc > 0);
                        for (r = 0; r < m; r++) GROKKING_MOVE(at + r * columns, part + r * GROKKING_NR, n);
                    }
                }
            }
        }
    }
}
#endif /* GROKKING_TILES */

/* c = a times b (see the top of this file). Returns 0, or -1 when there was no
 * memory for the packed blocks (c is then unfinished). */
static int grokking_mat_mul(const double *a, const double *b, ptrdiff_t rows, ptrdiff_t inner,
                            ptrdiff_t columns, double *c) {
#ifdef GROKKING_TILES
    if (rows >= 4 && columns >= GROKKING_NR && inner >= 1) {  /* (inner 0: the loop's zeros) */
        const ptrdiff_t kc = inner < GROKKING_KC ? inner : GROKKING_KC;
        const ptrdiff_t padded = (columns + GROKKING_NR - 1) / GROKKING_NR * GROKKING_NR;
        double *ap = (double *)malloc(sizeof(double) * (GROKKING_MC * kc + padded * kc));
        if (ap == NULL) return -1;
        __builtin_cpu_init();  /* (needed only before constructors run; harmless after) */
        if (__builtin_cpu_supports("avx2"))
            grokking_blocks(grokking_tile_avx2, 6, a, b, rows, inner, columns, c, ap, ap + GROKKING_MC * kc);
        else
            grokking_blocks(grokking_tile_sse2, 2, a, b, rows, inner, columns, c, ap, ap + GROKKING_MC * kc);
        free(ap);
        return 0;
    }
#endif
    grokking_mat_mul_loop(a, b, rows, inner, columns, c);
    return 0;
}

#endif /* GROKKING_MAT_MUL_H */
