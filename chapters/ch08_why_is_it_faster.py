"""Why is it faster? The cost of a call, the cost of a number, and compiling the whole loop

Every backend of this project does the same arithmetic; they differ in what
each multiplication costs around it. This chapter measures it on your machine
(with the bench's own timer, ``grokking.tools.bench``) and explains the numbers:

1. two costs: a fixed cost for every call, and a cost for every number;
2. arrays: where NumPy's cost per number is the same as C's;
3. the training ladder: why Cython kernels called from a Python loop gain
   little, and why compiling the whole loop gains a hundredfold;
4. a big matrix product: the compiled one in tiles against BLAS, and threads;
5. the digits network of chapters 9-11: where the compiled loop wins (one
   image at a time, small matrices, half the pixels 0) and where BLAS wins
   (big batches).

    python chapters/ch08_why_is_it_faster.py [--plot DIR]

It takes a few seconds. The full table (every kernel, every size) is
``python -m grokking bench``; one run of it is in BENCHMARKS.md. Timings vary
from run to run (the machine does other things too), so read the ratios,
not the last digit.
"""
# %%
import importlib.util
import os
import sys

if importlib.util.find_spec("grokking") is None:  # a checkout without `pip install .`
    print("grokking is not installed: run `python3 -m venv .venv && .venv/bin/pip install .`"
          " in the project folder, then run the chapter with .venv/bin/python", file=sys.stderr)
    raise SystemExit(2)

import numpy as np
from threadpoolctl import threadpool_limits

import grokking
from grokking.tools import bench
from grokking.kernels.backend import HOW_TO_BUILD
from grokking.lessons.lesson import Options, start

# What --trace and --plot DIR do in this chapter (`python -m grokking chapters` lists it).
OPTIONS = Options(plot="the training ladder: microseconds per iteration of each kind of loop",
                  no_trace="it measures time, not values; "
                           "chapter 6's --trace shows the values of the network it times")


# %% [markdown]
# ## 1. Two costs: per call and per number
# Time ``w_sum`` on lists of 3 numbers and of 65,536 numbers. A straight line
# through the two points, ``time = per_call + n * per_number``, splits each
# backend's time into what it pays once per call (checking the arguments,
# turning lists into arrays, creating the answer) and what it pays for each
# number (in pure Python: fetch two objects, look up their type, multiply,
# create a new float object for the product and another for the sum).

# %%
def call_and_number_costs(backends, small=3, big=65536, min_seconds=0.01, repeats=5,
                          arrays=False):
    """``{backend: (ns for small, ns for big, ns per call, ns per number)}`` of w_sum.

    On lists, as the book calls it; ``arrays=True`` gives it NumPy arrays instead.
    """
    rng = np.random.default_rng(8)
    costs = {}
    for size in (small, big):
        a, b = rng.random(size) - 0.5, rng.random(size) - 0.5
        if not arrays:
            a, b = a.tolist(), b.tolist()
        ns = bench.time_calls({name: (k.w_sum, (a, b)) for name, k in backends.items()},
                              min_seconds, repeats)
        for name, value in ns.items():
            costs.setdefault(name, []).append(value)
    result = {}
    for name, (t_small, t_big) in costs.items():
        per_number = (t_big - t_small) / (big - small)
        result[name] = (t_small, t_big, t_small - small * per_number, per_number)
    return result


def show_costs(costs, title):
    print(f"\n{title}")
    print(f"{'backend':<8}{'n=3 (ns)':>12}{'n=65536 (ns)':>15}{'per call (ns)':>15}"
          f"{'per number (ns)':>17}")
    for name, (t_small, t_big, per_call, per_number) in costs.items():
        print(f"{name:<8}{t_small:>12,.0f}{t_big:>15,.0f}{per_call:>15,.0f}{per_number:>17.2f}")


# %% [markdown]
# ## 2. Arrays: NumPy's cost per number is C's
# Given NumPy arrays, NumPy's ``np.dot`` hands the whole array to compiled code
# (its BLAS) in one call: the per-call cost stays (about a microsecond), the
# per-number cost becomes a fraction of a nanosecond. The Cython kernel does
# the same on arrays: read the memory directly, several running sums at once.

# %%
def array_costs(backends, **timing):
    """Like call_and_number_costs, with NumPy arrays (pure reads them as lists, every time)."""
    return call_and_number_costs(backends, arrays=True, **timing)


# %% [markdown]
# ## 3. The ladder: one XOR network, five kinds of loop
# The 3-layer network of "11 lines" part 2 (hidden layer of 4). Each iteration
# is a few hundred multiplications, on matrices of 4 to 16 numbers: tiny.
# So the per-call costs decide everything:
#
# - the pure loop with the kernels: every kernel call checks and copies its
#   lists again;
# - the pure loop checked once: the same loops, without checking what was
#   already checked;
# - Cython kernels in the Python loop: each call is faster, but the loop
#   still makes dozens of calls per iteration, builds new lists between them,
#   and ``mat_mul`` turns its lists into arrays and back;
# - NumPy: about 25 array operations per iteration, about a microsecond each,
#   however few numbers each one touches;
# - compiled training: the whole iteration is C (no call, no list, no
#   object), so an iteration costs what its arithmetic costs.

# %%
class CountingKernels:
    """The kernels of one backend, counting how often each is called."""

    def __init__(self, kernels):
        self.kernels, self.calls, self.name = kernels, 0, kernels.name

    def __getattr__(self, attribute):
        function = getattr(self.kernels, attribute)

        def counted(*args):
            self.calls += 1
            return function(*args)
        return counted


def kernel_calls_per_iteration(iterations=10):
    """How many kernel calls one iteration of the pure loop makes."""
    from grokking.networks.loops import with_kernels
    from grokking.networks.train import initial_weights
    counter = CountingKernels(grokking.backend("pure"))
    with_kernels(counter)(bench.XOR_X, bench.XOR_Y, initial_weights(3, 4, 1, 1), 1.0, iterations,
                          10**9)
    return (counter.calls - 1) / iterations   # minus the one error recorded at iteration 0


def ladder_microseconds(iterations):
    """``[(description, microseconds per iteration)]``, slowest first."""
    import time
    rows = []
    for _, description, run, _ in bench.ladder(grokking.compiled_available()):
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            run(iterations)
            runs.append((time.perf_counter() - started) / iterations * 1e6)
        rows.append((description, sorted(runs)[1]))
    return rows


def show_ladder(rows, calls):
    numpy = dict(rows).get("NumPy, as in the blog (train backend='numpy')")
    print(f"\n{'loop':<50}{'us per iteration':>17}{'vs NumPy':>10}")
    for description, us in rows:
        print(f"{description:<50}{us:>17.2f}{us / numpy:>10.3f}")
    print(f"\nThe loop written with the kernels makes {calls:.0f} kernel calls per iteration.")
    return numpy


# %% [markdown]
# ## 4. A big matrix product: tiles against BLAS, and threads
# A matrix product of two 256 x 256 matrices is 16.7 million multiplications
# and as many additions. Written as the book writes it (three loops, i, j, k)
# it walks down a column of ``b`` for every number of the answer, one number
# per cache line: that took 23 times NumPy's time at 128 x 128, 45 times at 256.
# The compiled ``mat_mul`` (``kernels/mat_mul.h``) does the same arithmetic in
# another order of visits, as BLAS libraries do: it copies ("packs") ``b`` into
# panels of 8 columns and ``a`` into panels of 6 rows, so both are read in a
# straight line, and keeps a 6 x 8 tile of the answer in the CPU's registers
# while k runs through a block of 256: each number read serves 6 or 8
# products. With AVX2 (asked of the CPU when it runs; every x86-64 has at
# least SSE2) four neighbouring columns go side by side in one register.
#
# It still cannot be BLAS. Every number of the answer is pure's:
# ``0.0 + a[i][0] * b[0][j] + a[i][1] * b[1][j] + ...`` in that order, each
# multiply rounded, then each add rounded. BLAS adds in its own order and uses
# FMA, the fused multiply-add: one instruction that multiplies and adds with
# one rounding. Ours keeps the two roundings (it is built with
# ``-ffp-contract=off``), so pure and compiled give the same bits. Measured
# while this was written, on a 2-core AMD EPYC shared with other work (busy:
# absolute figures moved by 2x from run to run; ratios side by side, one BLAS
# thread, held better): at 128 x 128 the compiled ``mat_mul`` did 13.5 GFLOP/s
# and ``np.dot`` 14.4 (1.07x its time); at 512 x 512, 9.6 against 11.6 (1.21x).
# Run alone, the C reached 44 GFLOP/s at 128. Here the bench's one-core rule
# is lifted for a moment: NumPy's product runs with one BLAS thread, then with
# one thread per core.

# %%
def matrix_product_seconds(side=256):
    """Seconds for one side x side product: the compiled mat_mul, then NumPy (in-process)."""
    rng = np.random.default_rng(8)
    a, b = rng.random((side, side)), rng.random((side, side))
    times = {}
    if grokking.compiled_available():
        times["cython mat_mul"] = bench.time_calls(
            {"c": (grokking.backend("cython").mat_mul, (a, b))}, 0.05, 3)["c"] / 1e9
    times["numpy a.dot(b)"] = bench.time_calls({"n": (np.dot, (a, b))}, 0.05, 3)["n"] / 1e9
    return times


def numpy_seconds_with_threads(threads):
    """Seconds for one 1024 x 1024 product with ``threads`` BLAS threads (the median of 5)."""
    import time
    a = np.random.default_rng(8).random((1024, 1024))
    with threadpool_limits(limits=threads, user_api="blas"):
        a.dot(a)
        times = []
        for _ in range(5):
            started = time.perf_counter()
            a.dot(a)
            times.append(time.perf_counter() - started)
    return sorted(times)[2]


# %% [markdown]
# ## 5. The digits network: where the compiled loop wins, where BLAS wins
# Chapters 9-11 train a 64-32-10 network on the digits. One epoch at batch 1
# (the book's: the weights move after every image) is 1,438 small steps: a
# 1x64 image times a 64x32 matrix, and so on. The same ladder again, per epoch
# (the train and test accuracy included), on the bench's NumPy script as a
# learner writes it (``bench.numpy_digits``) and on the compiled loop that
# ``train_digits`` runs on the cython backend (``networks/digits_epoch.pyx``):
#
# - at batch 1, NumPy makes about fifteen array operations per image, a
#   microsecond or so each, on matrices of at most 64 x 32: the calls cost
#   the time, not the arithmetic. The compiled loop makes no call per image,
#   and skips the zero pixels (half of them), as an embedding layer skips
#   the zeros of a one-hot word;
# - at batch 32 there are 32 times fewer calls, each on 32 times more
#   numbers, and what counts is how fast the arithmetic runs. NumPy's BLAS uses
#   this CPU's widest vector instructions and fused multiply-adds; the compiled
#   loop, built for any x86-64 CPU, uses SSE2 (two numbers at a time) and never
#   fuses a multiply and an add (so that it gives the pure loop's very bits);
# - with the whole set as one batch, one call does it all, and BLAS wins.
#
# GFLOP/s counts the same operations for every loop: those of the dense
# network (the compiled loop does fewer: it skips the zero pixels' share).

# %%
DIGITS_BATCHES = ((1, 0.01), (32, 0.1), (None, 0.5))   # (batch size, alpha), as chapter 9 trains


def digits_rows(examples, compiled, repeats=3, epochs=2):
    """The bench's digits ladder on the first ``examples`` digits (None: all), per batch size."""
    from grokking.lessons.digits import digits_data
    train, test = digits_data(examples)
    rows = bench.time_digits(DIGITS_BATCHES, train, test, compiled, repeats, epochs, 1,
                             lambda line: None)
    return rows, len(train[1])


def show_digits(rows):
    print(f"\n{'batch':>5}  {'loop':<48}{'ms/epoch':>10}{'GFLOP/s':>9}{'vs NumPy':>10}")
    for row in rows:
        print(f"{row['batch'] or 'all':>5}  {row['description']:<48}{row['ms_per_epoch']:>10.2f}"
              f"{row['gflops']:>9.2f}{row['vs_numpy']:>10.3f}")
    return {(row["batch"], row["rung"]): row for row in rows}


# %% [markdown]
# ## One core against one core
# On a machine with several cores NumPy's BLAS starts several threads, and on
# a busy machine they wait for each other even on small arrays. Like the
# bench, this chapter measures with ONE BLAS thread: ``main`` runs inside
# threadpoolctl's ``threadpool_limits(limits=1, user_api="blas")``, which tells
# NumPy's BLAS, in this very process, to use one thread until the lesson ends.

# %%
@threadpool_limits.wrap(limits=1, user_api="blas")
def main(argv=None, quick=True, iterations=None):
    """The chapter. quick: short timings (False: the bench's longer ones); iterations: of the
    ladder's XOR network (default 3,000 quick, else 60,000; the tests of what the chapter
    prints, not of its times, take a few hundred)."""
    lesson = start(__doc__, argv, OPTIONS)
    print("This chapter measures every backend (--backend only names the closing line's).")
    print(f"CPU: {bench.cpu_name()} ({os.cpu_count()} cores); NumPy {np.__version__}, "
          f"BLAS {bench.blas_description(np)}")
    compiled = grokking.compiled_available()
    backends = {name: grokking.backend(name) for name in bench.BACKENDS
                if name != "cython" or compiled}
    if not compiled:
        print("The compiled backend is not built, so the Cython rows below are missing. To get them,")
        print(f"{HOW_TO_BUILD}.")
    timing = dict(min_seconds=0.005 if quick else 0.05, repeats=5 if quick else 7)

    print("\n1. Two costs: a fixed cost per call, and a cost per number.")
    lesson.progress("timing w_sum on lists")
    costs = call_and_number_costs(backends, **timing)
    show_costs(costs, "w_sum on lists: time = per call + n x per number")
    pure = costs["pure"]
    print(f"\nPure Python pays about {pure[3]:.0f} ns for every number: each a[i] * b[i] makes a")
    print("new float object, and so does each running total. NumPy pays its per-call cost")
    print(f"(about {costs['numpy'][2] / 1000:.1f} us: it turns both lists into arrays first) "
          f"and then about {costs['numpy'][3]:.0f} ns per number,")
    print("most of it reading the Python floats out of the lists.")
    if "cython" in costs:
        cy = costs["cython"]
        print(f"Cython reads the floats straight out of the lists: {cy[2]:.0f} ns per call, "
              f"{cy[3]:.1f} ns per number.")
        print(f"At the book's size (3 numbers) that makes it {pure[0] / cy[0]:.0f}x faster than "
              f"pure and {costs['numpy'][0] / cy[0]:.0f}x faster than NumPy.")

    print("\n2. The same on NumPy arrays (pure must read them as lists each time):")
    lesson.progress("timing w_sum on arrays")
    on_arrays = array_costs(backends, **timing)
    show_costs(on_arrays, "w_sum on float64 arrays")
    if compiled:
        print("\nOn arrays the cost per number is a fraction of a nanosecond for NumPy and")
        print("Cython alike: both run a C loop over memory. What is left of a call is fixed:")
        print("checking what came in, and (for NumPy) choosing which loop to run.")
    else:
        print("\nOn arrays NumPy's cost per number is a fraction of a nanosecond: it runs a C")
        print("loop over memory. What is left of a call is fixed: checking what came in and")
        print("choosing which loop to run. (The compiled kernels run such a loop too: their")
        print("rows are the ones missing here.)")

    iterations = iterations or (3000 if quick else 60000)
    print(f"\n3. The ladder: the XOR network, {iterations:,} iterations of each loop.")
    lesson.progress("training the XOR network five ways")
    calls = kernel_calls_per_iteration()
    rows = ladder_microseconds(iterations)
    lesson.done_progress()
    numpy_us = show_ladder(rows, calls)
    table = dict(rows)
    checked = table["pure loop, every kernel call checks its lists"]
    print(f"That is {checked / calls:.2f} us per kernel call with pure kernels.")
    if "compiled training (train backend='cython')" in table:
        with_cython = table["pure loop calling the Cython kernels"]
        compiled = table["compiled training (train backend='cython')"]
        print(f"Swapping in the Cython kernels only gains {checked / with_cython:.1f}x: the "
              f"loop still makes {calls:.0f} calls,")
        print("builds lists between them, and mat_mul converts lists to arrays and back.")
        print(f"Compiling the WHOLE loop: {compiled:.2f} us per iteration, {numpy_us / compiled:.0f}x "
              f"faster than NumPy and {checked / compiled:.0f}x faster than the loop of kernels.")
        print("Nothing is called, nothing is created: 144 multiply-adds in the matrix products,")
        print("about 60 more multiplications, and 20 exp.")
    else:
        print("Two rungs of the ladder are missing, both compiled: the Cython kernels called")
        print("from the Python loop, and the compiled training loop, which costs only what its")
        print("arithmetic costs. Build the compiled backend (see the top) to see them.")

    print("\n4. A big matrix product: tiles against BLAS, and threads.")
    lesson.progress("one 256 x 256 matrix product each way")
    product = matrix_product_seconds()
    for name, seconds in product.items():
        print(f"  {name:<16}{seconds * 1000:>9.2f} ms {2 * 256 ** 3 / seconds / 1e9:>7.1f} GFLOP/s")
    if "cython mat_mul" in product:
        print(f"The compiled mat_mul takes {product['cython mat_mul'] / product['numpy a.dot(b)']:.2f}x "
              "NumPy's time here, on one core: tiles kept in")
        print("registers, panels packed for the cache. It cannot be BLAS: every number it makes is")
        print("pure's, two roundings per product and k in order, where BLAS fuses a multiply and")
        print("an add into one instruction (FMA, one rounding) and adds in its own order.")
    lesson.progress("1024 x 1024 product, 1 thread then all cores")
    one, every = numpy_seconds_with_threads(1), numpy_seconds_with_threads(os.cpu_count())
    lesson.done_progress()
    print(f"  NumPy, 1024 x 1024, one BLAS thread:   {one * 1000:8.1f} ms")
    print(f"  NumPy, 1024 x 1024, every core ({os.cpu_count()}):     {every * 1000:8.1f} ms "
          f"({one / every:.1f}x)")
    if every < one:
        print("The threads split the product between the cores: NumPy's second advantage.")
    else:
        print("More threads did not help this time: the other cores were busy (a shared")
        print("machine), and threads that wait for each other cost more than they bring.")
    if compiled:
        print("\nSo: for the book's small vectors, the cost of a call decides, and compiled loops")
        print("win. For big arrays the per-number cost decides, and NumPy (with its BLAS, and")
        print("all your cores) is as fast or faster. The bench prints the whole table:")
    else:
        print("\nSo: for the book's small vectors, the cost of a call decides (the compiled rows,")
        print("missing here, show how little a compiled loop pays). For big arrays the per-number")
        print("cost decides, and NumPy (with its BLAS, and all your cores) is fast. The bench")
        print("prints the whole table:")
    print("python -m grokking bench")

    examples = 150 if quick else None
    print("\n5. The digits network of chapters 9-11, per epoch with both accuracies, on "
          + ("the first 150 digits" if quick else "all the digits") + ":")
    lesson.progress("training the digits network each way")
    digits, images = digits_rows(examples, compiled)
    lesson.done_progress()
    table = show_digits(digits)
    print(f"(an epoch: {images} training images; GFLOP/s of the dense network)")
    numpy_1, numpy_all = table[1, "numpy"], table[None, "numpy"]
    print(f"At batch 1 NumPy runs at {numpy_1['gflops']:.2f} GFLOP/s: fifteen calls per image, "
          "each costing more than its arithmetic.")
    print(f"With the whole set as one batch it runs at {numpy_all['gflops']:.1f} GFLOP/s: "
          "one call, BLAS at full speed.")
    if compiled:
        one, many = table[1, "compiled"], table[None, "compiled"]
        print(f"The compiled loop: {one['gflops']:.1f} GFLOP/s at batch 1, "
              f"{1 / one['vs_numpy']:.0f}x faster than NumPy there: no call per image, small")
        print("matrices that stay in the cache, and the zero pixels skipped. "
              f"Where the batch is big, BLAS wins: {many['vs_numpy']:.1f}x")
        print("NumPy's time for the whole set at once; its vector instructions are wider, "
              "and it fuses multiply-adds.")
    else:
        print("The compiled loop's rows are missing (see the top): it makes no call per image.")

    def draw(plt):
        names = [description for description, _ in rows]
        plt.barh(range(len(rows)), [us for _, us in rows])
        plt.yticks(range(len(rows)), names, fontsize=8)
        plt.gca().invert_yaxis()
        plt.xscale("log")
        for i, (_, us) in enumerate(rows):   # on a log scale a bar's length is no measure
            plt.text(us, i, f" {us:.3g} µs", va="center", fontsize=8)
        plt.xlim(right=max(us for _, us in rows) * 4)   # room for the last number
        plt.xlabel("microseconds per iteration (log scale)")
        plt.title("The XOR network: one iteration, five kinds of loop")
    lesson.plot("ch08_ladder.png", draw)
    lesson.finish()


if __name__ == "__main__":
    main()
