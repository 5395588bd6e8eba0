/* dot_rows.h: one of the two pieces of hand-written C behind compiled.pyx (mat_mul.h is the other).
 *
 * What it does: out[r] = the weighted sum of the vector v and row r of the
 * matrix m (rows x n numbers, row after row). That is vect_mat_mul; compiled.pyx
 * calls it from one place only, for array arguments (NumPy, array.array,
 * memoryview). Lists of floats never come here: they are summed one number at a
 * time, in pure.py's order, so that pure and compiled give identical bits.
 *
 * Why it exists: a big matrix (1024 x 1024 is 8 MB) is read from memory once,
 * and one running sum per row makes each addition wait for the one before it
 * (about four clock cycles). This block does four rows at a time, so every
 * number of v read from memory serves four rows, and keeps four running sums per
 * row (numbers i = 0, 1, 2, 3 mod 4), so the adder always has work. Measured
 * at 1024 x 1024 against NumPy with one BLAS thread: one running sum per row in
 * plain typed Cython takes 7.3 times NumPy's time, this block written in plain
 * typed Cython (sixteen scalar sums) 2.6 times, this SSE2 block 1.15 times.
 *
 * The order of the arithmetic: each row's four running sums are added as
 * (s0 + s2) + (s1 + s3), then the last n % 4 products one by one. Products and
 * sums stay separate operations (setup.py builds with -ffp-contract=off, so no
 * compiler fuses them into fused multiply-adds). Only the grouping of the sum
 * differs from pure's, by rounding (about 1e-16 of the sum of |products|).
 *
 * SSE2 is part of every x86-64 CPU, so no -march flag is needed; on any other
 * machine the plain C branch does exactly the same sums in the same order.
 */
#ifndef GROKKING_DOT_ROWS_H
#define GROKKING_DOT_ROWS_H

#include <stddef.h>

#if defined(__SSE2__) || defined(_M_X64)
#define GROKKING_SSE2 1
#include <emmintrin.h>

/* (low[0] + high[0]) + (low[1] + high[1]): the four running sums of one row,
 * held two to a register as low = (s0, s1), high = (s2, s3). */
static double grokking_sum4(__m128d low, __m128d high) {
    double t[2];
    _mm_storeu_pd(t, _mm_add_pd(low, high));
    return t[0] + t[1];
}
#endif

static void dot_rows(const double *v, const double *m, ptrdiff_t rows, ptrdiff_t n,
                     double *out) {
    ptrdiff_t r, i, k, whole = n - n % 4;  /* whole: the numbers done four at a time */
    for (r = 0; r < rows; r += 4) {
        ptrdiff_t block = rows - r < 4 ? rows - r : 4;  /* the last block may be short */
        const double *row[4];
        double total[4];
        /* a short block repeats its first row in the unused places (their sums are dropped) */
        for (k = 0; k < 4; k++) row[k] = m + (r + (k < block ? k : 0)) * n;
#ifdef GROKKING_SSE2
        __m128d low[4], high[4];
        for (k = 0; k < 4; k++) low[k] = high[k] = _mm_setzero_pd();
        for (i = 0; i < whole; i += 4) {
            __m128d x = _mm_loadu_pd(v + i), y = _mm_loadu_pd(v + i + 2);
            for (k = 0; k < 4; k++) {
                low[k] = _mm_add_pd(low[k], _mm_mul_pd(x, _mm_loadu_pd(row[k] + i)));
                high[k] = _mm_add_pd(high[k], _mm_mul_pd(y, _mm_loadu_pd(row[k] + i + 2)));
            }
        }
        for (k = 0; k < 4; k++) total[k] = grokking_sum4(low[k], high[k]);
#else
        double s[4][4] = {{0.0}};
        for (i = 0; i < whole; i += 4)
            for (k = 0; k < 4; k++) {
                s[k][0] += v[i] * row[k][i];
                s[k][1] += v[i + 1] * row[k][i + 1];
                s[k][2] += v[i + 2] * row[k][i + 2];
                s[k][3] += v[i + 3] * row[k][i + 3];
            }
        for (k = 0; k < 4; k++) total[k] = (s[k][0] + s[k][2]) + (s[k][1] + s[k][3]);
#endif
        for (k = 0; k < block; k++) {
            for (i = whole; i < n; i++) total[k] += v[i] * row[k][i];
            out[r + k] = total[k];
        }
    }
}

#endif /* GROKKING_DOT_ROWS_H */
