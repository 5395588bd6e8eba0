"""Measure the speed ladder on this machine: kernels per backend, then training per loop.

    python -m grokking bench                 # the full run (a few minutes)
    python -m grokking bench --quick         # the same table, shorter repeats (under a minute)
    python -m grokking bench --json out.json --plot ladder.png

What it prints:

1. the machine: CPU, NumPy and its BLAS, and how many BLAS threads it ran with;
2. the four kernels of the book (w_sum, ele_mul, vect_mat_mul, outer_prod) at
   sizes 3 (the book's 3x3), 16, 256, 4096, 65536 (matrices n x n with n = 3,
   16, 64, 256, 1024), given as lists and as NumPy arrays, on each backend:
   nanoseconds per call (the median of several repeats, the backends taking
   turns so that a busy moment of the machine hits them all alike), and the
   ratios cython/pure and cython/numpy of this same run; then mat_mul on n x n
   arrays (n = 128, 256, 512) against np.dot, with the GFLOP/s of each, and each
   kernel on lists of 3 against the NumPy a learner writes on ready arrays;
3. the XOR network of "11 lines" part 2 (hidden layer of 4, 60,000
   iterations) with each kind of loop, from plain lists to compiled training;
4. the digits network of chapters 9-11 (1,438 training images, 64-32-10 relu,
   squared error), milliseconds per epoch including the per-epoch train and
   test accuracies, at batch 1 (the book's) and batch 32: the compiled loop
   against a tight NumPy script as a learner writes it (``numpy_digits``),
   taking turns, with the pure loop and the Python loop calling the compiled
   kernels beside them, and the GFLOP/s of each;
5. the framework of chapters 13-16 (``bench_framework``): chapter 13's RNN and chapter 16's
   LSTM at hidden 16, 128 and 512, milliseconds per training step on each backend beside the
   book's framework written in NumPy (the same numbers checked first), PyTorch when installed;
6. the speed targets of the project, each with its measured ratio and PASS/MISS.

NumPy is measured with ONE BLAS thread, so that one core is compared with one
core: the whole bench runs inside threadpoolctl's
``threadpool_limits(limits=1, user_api="blas")``, in this process, and the
machine report shows what threadpoolctl finds inside that limit (which BLAS,
how many threads). Other OPENBLAS_* variables of the machine (OPENBLAS_CORETYPE,
OPENBLAS_L2_SIZE) are left alone and printed.
"""
import argparse
import contextlib
import json
import os
import platform
import statistics
import sys
import time
import timeit
from pathlib import Path

from threadpoolctl import threadpool_info, threadpool_limits

from ..networks import loops
from . import bench_framework
from ..networks.train import initial_weights

VECTOR_SIZES = (3, 16, 256, 4096, 65536)
MATRIX_SIDES = (3, 16, 64, 256, 1024)      # n x n: 9, 256, 4096, 65536, 1M numbers
KERNELS = ("w_sum", "ele_mul", "vect_mat_mul", "outer_prod")
BACKENDS = ("pure", "cython", "numpy")
XOR_ITERATIONS = 60000

# mat_mul on n x n float64 arrays, cython against np.dot (one BLAS thread): n for each mode.
MAT_MUL_SIDES = {"full": (128, 256, 512), "quick": (128, 256, 512), "tiny": (8, 16)}
# The limits of cython's time / np.dot's: pure's order and two roundings, against BLAS.
MAT_MUL_LIMITS = {128: 2.0, 512: 2.5}

# The digits network timed per epoch: (recipe's batch size, alpha) as chapter 9 trains it.
DIGITS_BATCHES = ((1, 0.01), (32, 0.1))
# name: (repeats, epochs per repeat, times the slow rungs run, digits kept (None: all 1,797))
DIGITS_MODES = {"full": (7, 10, 3, None), "quick": (5, 3, 1, None), "tiny": (1, 1, 1, 60)}

# name: (seconds a repeat should last at least, repeats, XOR iterations, sizes kept)
MODES = {
    "full": (0.05, 7, XOR_ITERATIONS, 5),
    "quick": (0.01, 7, XOR_ITERATIONS, 5),
    "tiny": (0.0005, 3, 600, 2),   # for tests: checks the bench runs, measures nothing useful
}


# -- the machine ----------------------------------------------------------------

def cpu_name():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def blas_description(np):
    """NumPy's BLAS as NumPy's own build configuration describes it."""
    config = getattr(np.__config__, "CONFIG", None)   # NumPy >= 1.25
    if config:
        blas = config.get("Build Dependencies", {}).get("blas", {})
        text = f"{blas.get('name', '?')} {blas.get('version', '')}".strip()
        detail = blas.get("openblas configuration")
        return f"{text} ({detail})" if detail else text
    return "unknown (this NumPy has no __config__.CONFIG; see numpy.show_config())"


def blas_threads():
    """Each BLAS library loaded in this process, as threadpoolctl sees it now."""
    return [{key: pool.get(key) for key in ("internal_api", "version", "architecture",
                                            "threading_layer", "num_threads", "filepath")}
            for pool in threadpool_info() if pool.get("user_api") == "blas"]


def one_blas_thread():
    """``with one_blas_thread():`` -- NumPy's BLAS runs on one thread inside (undone after).

    The limit applies to the BLAS libraries already loaded, so NumPy is imported first.
    """
    import numpy  # noqa: F401
    return threadpool_limits(limits=1, user_api="blas")


def machine():
    """The machine, NumPy and its BLAS; the thread counts are those at the time of the call."""
    import numpy as np
    import grokking
    pools = blas_threads()
    others = {name: value for name, value in sorted(os.environ.items())
              if name.startswith("OPENBLAS_") and name != "OPENBLAS_NUM_THREADS"}
    return {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "cpu": cpu_name(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": blas_description(np),
        "blas_threads": pools,
        "other_openblas_settings": others,
        "compiled_backend": grokking.compiled_available(),
        "single_thread_numpy": bool(pools) and all(p["num_threads"] == 1 for p in pools),
    }


def print_machine(info):
    print(f"Date:    {info['date']}")
    print(f"CPU:     {info['cpu']} ({info['cores']} logical cores)")
    print(f"Python:  {info['python']}   NumPy: {info['numpy']}")
    print(f"BLAS:    {info['blas']}")
    for pool in info["blas_threads"]:
        threads = pool["num_threads"]
        print(f"Threads: {threads} ({pool['internal_api']} {pool['version']}, "
              f"{pool['architecture']}, {pool['threading_layer']}), as threadpoolctl reports it "
              "inside the bench's limit")
    if info["single_thread_numpy"]:
        print("         NumPy measured with ONE BLAS thread (threadpoolctl, in this process).")
    elif not info["blas_threads"]:
        print("Threads: threadpoolctl found no BLAS library loaded: NumPy's thread count is unknown.")
    else:
        print("         NumPy may use several BLAS threads here: "
              "its big-array figures are not one core against one core.")
    if info["other_openblas_settings"]:
        settings = ", ".join(f"{k}={v}" for k, v in info["other_openblas_settings"].items())
        print(f"Also set on this machine (left as they are; they may slow OpenBLAS): {settings}")
    if not info["compiled_backend"]:
        print("The compiled backend is NOT built: the cython columns stay empty. "
              "Build it with `pip install .` (needs a C compiler).")


# -- timing -----------------------------------------------------------------------

def _timer(function, args):
    """A timeit.Timer calling function(*args) with no wrapper in between."""
    names = [f"a{i}" for i in range(len(args))]
    namespace = dict(zip(names, args), f=function)
    return timeit.Timer(f"f({', '.join(names)})", globals=namespace)


def _calls_per_repeat(timer, min_seconds):
    """How many calls make one repeat last at least min_seconds."""
    number = 1
    while True:
        seconds = timer.timeit(number)
        if seconds >= min_seconds or number >= 10**7:
            return number
        number = max(number * 2, int(number * min_seconds / max(seconds, 1e-9) * 1.2))


def time_calls(functions, min_seconds, repeats):
    """Median nanoseconds per call of each ``{name: (function, args)}``, taking turns."""
    timers = {name: _timer(f, args) for name, (f, args) in functions.items()}
    numbers = {name: _calls_per_repeat(t, min_seconds) for name, t in timers.items()}
    samples = {name: [] for name in timers}
    for _ in range(repeats):
        for name, t in timers.items():
            samples[name].append(t.timeit(numbers[name]) / numbers[name] * 1e9)
    return {name: statistics.median(s) for name, s in samples.items()}


# -- the kernels ----------------------------------------------------------------

def kernel_cases(sizes_kept):
    """``(kernel, size label, n, args as arrays)`` for every kernel and size."""
    import numpy as np
    rng = np.random.default_rng(1)
    cases = []
    for n, side in list(zip(VECTOR_SIZES, MATRIX_SIDES))[:sizes_kept]:
        a, b = rng.random(n) - 0.5, rng.random(n) - 0.5
        u, matrix = rng.random(side) - 0.5, rng.random((side, side)) - 0.5
        cases += [
            ("w_sum", str(n), n, (a, b)),
            ("ele_mul", str(n), n, (0.5, a)),
            ("vect_mat_mul", f"{side}x{side}", side * side, (u, matrix)),
            ("outer_prod", f"{side}x{side}", side * side, (u, rng.random(side) - 0.5)),
        ]
    return cases


def _as_lists(args):
    return tuple(x.tolist() if hasattr(x, "tolist") else x for x in args)


def bench_kernels(mode, backends, say):
    min_seconds, repeats, _, sizes_kept = MODES[mode]
    rows = []
    for kernel, size, count, array_args in kernel_cases(sizes_kept):
        for kind in ("lists", "arrays"):
            args = _as_lists(array_args) if kind == "lists" else array_args
            functions = {name: (getattr(k, kernel), args) for name, k in backends.items()}
            if count >= 65536 and mode != "full":
                # pure Python takes a tenth of a second here: three single calls will do
                ns = time_calls({"pure": functions.pop("pure")}, 0.0, 3)
                ns.update(time_calls(functions, min_seconds, repeats))
            else:
                ns = time_calls(functions, min_seconds, repeats)
            row = {"kernel": kernel, "size": size, "numbers": count, "input": kind,
                   "ns": {name: ns.get(name) for name in BACKENDS}}
            row["cython/pure"] = _ratio(ns, "cython", "pure")
            row["cython/numpy"] = _ratio(ns, "cython", "numpy")
            rows.append(row)
            say(_kernel_line(row))
    return rows


def _ratio(values, top, bottom):
    if values.get(top) is None or not values.get(bottom):
        return None
    return values[top] / values[bottom]


def _number(x, width, digits=0):
    return f"{'-':>{width}}" if x is None else f"{x:>{width},.{digits}f}"


KERNEL_HEADER = (f"{'kernel':<13}{'size':>10}  {'input':<7}{'pure ns':>13}{'cython ns':>12}"
                 f"{'numpy ns':>12}{'cy/pure':>9}{'cy/numpy':>10}")


def _kernel_line(row):
    ns = row["ns"]
    return (f"{row['kernel']:<13}{row['size']:>10}  {row['input']:<7}"
            f"{_number(ns['pure'], 13)}{_number(ns['cython'], 12)}{_number(ns['numpy'], 12)}"
            f"{_number(row['cython/pure'], 9, 3)}{_number(row['cython/numpy'], 10, 3)}")


# -- mat_mul at the book's sizes, and small calls against NumPy on ready arrays --------

def bench_mat_mul(mode, backends, say):
    """cython's mat_mul and np.dot on n x n arrays, taking turns; GFLOP/s = 2 n^3 / time."""
    import numpy as np
    min_seconds, repeats = MODES[mode][:2]
    rng = np.random.default_rng(2)
    rows = []
    for n in MAT_MUL_SIDES[mode]:
        a, b = rng.random((n, n)) - 0.5, rng.random((n, n)) - 0.5
        functions = {"np.dot": (np.dot, (a, b))}
        if "cython" in backends:
            functions["cython"] = (backends["cython"].mat_mul, (a, b))
        ns = time_calls(functions, min_seconds, repeats)
        row = {"n": n, "ns": {name: ns.get(name) for name in ("cython", "np.dot")},
               "gflops": {name: 2 * n ** 3 / t for name, t in ns.items()},
               "cython/np.dot": _ratio(ns, "cython", "np.dot")}
        rows.append(row)
        say(_mat_mul_line(row))
    return rows


MAT_MUL_HEADER = (f"{'n x n':>9}{'cython ms':>12}{'np.dot ms':>12}{'cython GFLOP/s':>16}"
                  f"{'np.dot GFLOP/s':>16}{'cy/np.dot':>11}")


def _mat_mul_line(row):
    ns, gflops = row["ns"], row["gflops"]
    ms = {name: None if t is None else t / 1e6 for name, t in ns.items()}
    return (f"{row['n']:>9}{_number(ms['cython'], 12, 3)}{_number(ms['np.dot'], 12, 3)}"
            f"{_number(gflops.get('cython'), 16, 1)}{_number(gflops.get('np.dot'), 16, 1)}"
            f"{_number(row['cython/np.dot'], 11, 2)}")


def small_call_cases():
    """``(kernel, cython's args as lists, NumPy's function, its args as ready arrays, as written)``
    at the book's size 3: the NumPy a learner writes, on arrays made beforehand."""
    import operator
    import numpy as np
    a, b = [0.1, -0.2, 0.3], [0.5, 0.25, -1.0]
    m = [[0.1, 0.1, -0.3], [0.1, 0.2, 0.0], [0.0, 1.3, 0.1]]
    x, y, matrix = np.array(a), np.array(b), np.array(m)
    return [("w_sum", (a, b), np.dot, (x, y), "np.dot(a, b)"),
            ("ele_mul", (0.5, a), operator.mul, (0.5, x), "0.5 * a"),
            ("vect_mat_mul", (a, m), np.dot, (matrix, x), "np.dot(m, v)"),
            ("outer_prod", (a, b), np.outer, (x, y), "np.outer(a, b)")]


def bench_small_calls(mode, backends, say):
    """Each cython kernel on lists of 3 against NumPy's expression on ready arrays, taking turns."""
    min_seconds, repeats = MODES[mode][:2]
    rows = []
    if "cython" not in backends:
        return rows
    for kernel, args, numpy_function, arrays, written in small_call_cases():
        ns = time_calls({"cython": (getattr(backends["cython"], kernel), args),
                         "numpy": (numpy_function, arrays)}, min_seconds, repeats)
        row = {"kernel": kernel, "numpy": written, "ns": ns,
               "cython/numpy": _ratio(ns, "cython", "numpy")}
        rows.append(row)
        say(f"{kernel:<14}{written:<16}{ns['cython']:>11,.0f}{ns['numpy']:>10,.0f}"
            f"{row['cython/numpy']:>11.3f}{1 / row['cython/numpy']:>11.1f}x")
    return rows


SMALL_CALL_HEADER = (f"{'kernel':<14}{'NumPy written':<16}{'cython ns':>11}{'numpy ns':>10}"
                     f"{'cy/numpy':>11}{'cy faster':>12}")


# -- training: the ladder -------------------------------------------------------------

XOR_X = [[0.0, 0.0, 1.0], [0.0, 1.0, 1.0], [1.0, 0.0, 1.0], [1.0, 1.0, 1.0]]
XOR_Y = [[0.0], [1.0], [1.0], [0.0]]


def _loop_with(kernels):
    """The loop written with the kernels, each kernel checking its arguments on every call."""
    loop = loops.with_kernels(kernels)

    def run(iterations):
        return loop(XOR_X, XOR_Y, initial_weights(3, 4, 1, seed=1), 1.0, iterations, 10000)
    return run


def _train_on(backend):
    import grokking

    def run(iterations):
        return grokking.train(XOR_X, XOR_Y, hidden=4, iterations=iterations, backend=backend)
    return run


def ladder(compiled):
    """The rungs, slowest first: (key, description, run(iterations), needs the compiled backend)."""
    import grokking
    rungs = [
        ("pure_checked", "pure loop, every kernel call checks its lists",
         _loop_with(grokking.backend("pure")), False),
        ("pure", "pure loop, checked once (train backend='pure')", _train_on("pure"), False),
        ("pure_cython_kernels", "pure loop calling the Cython kernels",
         _loop_with(grokking.backend("cython")) if compiled else None, True),
        ("numpy", "NumPy, as in the blog (train backend='numpy')", _train_on("numpy"), False),
        ("compiled", "compiled training (train backend='cython')",
         _train_on("cython") if compiled else None, True),
    ]
    return [r for r in rungs if r[2] is not None]


def training_runs(mode):
    return 5 if mode == "full" else 3


def bench_training(mode, compiled, say):
    """Time every rung of the ladder; the rungs take turns, as the kernels' backends do."""
    iterations, runs = MODES[mode][2], training_runs(mode)
    rungs = ladder(compiled)
    # The slow side rungs run a tenth of the iterations in the quick mode,
    # and their time is multiplied by ten (the loop does the same work each time).
    scale = {key: 10 if (mode == "quick" and key in ("pure_checked", "pure_cython_kernels")) else 1
             for key, _, _, _ in rungs}
    times = {key: [] for key, _, _, _ in rungs}
    for _ in range(runs):
        for key, _, run, _ in rungs:
            started = time.perf_counter()
            run(iterations // scale[key])
            times[key].append((time.perf_counter() - started) * scale[key])
    rows = [{"rung": key, "description": description, "iterations": iterations,
             "measured_iterations": iterations // scale[key], "runs": runs,
             "seconds": statistics.median(times[key])} for key, description, _, _ in rungs]
    numpy_seconds = next((r["seconds"] for r in rows if r["rung"] == "numpy"), None)
    for row in rows:
        row["vs_numpy"] = row["seconds"] / numpy_seconds if numpy_seconds else None
        say(_training_line(row))
    return rows


TRAINING_HEADER = f"{'loop':<50}{'seconds':>10}{'time / NumPy':>14}"


def _training_line(row):
    note = "" if row["measured_iterations"] == row["iterations"] else \
        f"  (ran {row['measured_iterations']:,}, x{row['iterations'] // row['measured_iterations']})"
    return (f"{row['description']:<50}{row['seconds']:>10.4f}"
            f"{_number(row['vs_numpy'], 14, 4)}{note}")


# -- training the digits network: one epoch per loop ------------------------------------

def numpy_digits(recipe, train, test):
    """The digits network as a learner writes it in NumPy: ``epoch()`` trains one epoch and
    returns the train and test accuracy. (relu, squared error, no bias: the recipe's
    hidden, alpha, batch_size and seed; the same initial weights as ``DigitNetwork``.)"""
    import numpy as np
    rng = np.random.RandomState(recipe.seed)
    images, labels = np.array(train[0], dtype=float), np.array(train[1])
    test_images, test_labels = np.array(test[0], dtype=float), np.array(test[1])
    goals = np.eye(10)[labels]
    w01 = recipe.weight_scale * (2 * rng.random_sample((images.shape[1], recipe.hidden)) - 1)
    w12 = recipe.weight_scale * (2 * rng.random_sample((recipe.hidden, 10)) - 1)
    alpha, batch = recipe.alpha, recipe.batch_size or len(labels)

    def epoch():
        order = rng.permutation(len(labels))
        shuffled, shuffled_goals = images[order], goals[order]
        for i in range(0, len(labels), batch):
            l0, goal = shuffled[i:i + batch], shuffled_goals[i:i + batch]
            l1 = np.maximum(l0 @ w01, 0)
            l2 = l1 @ w12
            l2_delta = (l2 - goal) / len(l0)
            l1_delta = (l2_delta @ w12.T) * (l1 > 0)
            w12[...] -= alpha * (l1.T @ l2_delta)
            w01[...] -= alpha * (l0.T @ l1_delta)
        train_accuracy = np.mean(np.argmax(np.maximum(images @ w01, 0) @ w12, axis=1) == labels)
        test_accuracy = np.mean(np.argmax(np.maximum(test_images @ w01, 0) @ w12, axis=1)
                                == test_labels)
        return train_accuracy, test_accuracy
    return epoch


def _train_digits_epoch(recipe, train, test, backend, compiled_loop=True):
    """``epoch()``: one epoch of ``train_digits`` on ``backend``, then the train and test accuracy."""
    import grokking
    from ..networks.digits import train_digits

    def epoch():
        history = train_digits(recipe.but(epochs=1), train, test, grokking.backend(backend),
                               compiled_loop=compiled_loop)
        return history.train[0], history.test[0]
    return epoch


def _compiled_digits_epoch(recipe, train, test):
    """``epoch()``: one epoch of the compiled loop as ``train_digits`` runs it on the cython
    backend (the order drawn in Python, every batch and both accuracies in C)."""
    import grokking
    from ..networks.digits import CompiledEpochs, DigitNetwork
    network = DigitNetwork(grokking.backend("cython"), recipe)
    epochs = CompiledEpochs(network, train, test)
    n = len(train[1])

    def epoch():
        epochs.train_epoch(network.rng.permutation(n).tolist())
        return epochs.accuracy(0), epochs.accuracy(1)
    return epoch


def digits_ladder(recipe, train, test, compiled):
    """The rungs, slowest first: (key, description, epoch(), slow)."""
    rungs = [("pure", "pure loop (train_digits, backend 'pure')",
              _train_digits_epoch(recipe, train, test, "pure"), True)]
    if compiled:
        rungs.append(("cython_kernels", "Python loop calling the Cython kernels",
                      _train_digits_epoch(recipe, train, test, "cython", compiled_loop=False), True))
        rungs.append(("compiled", "compiled loop (train_digits, backend 'cython')",
                      _compiled_digits_epoch(recipe, train, test), False))
    rungs.append(("numpy", "tight NumPy script (bench.numpy_digits)",
                  numpy_digits(recipe, train, test), False))
    return rungs


def digits_flops(hidden, pixels, images, batches, tested):
    """Floating-point operations of one epoch of the dense network, as NumPy computes it
    (a multiply and an add count as two): per image forward (64 x hidden + hidden x 10),
    the output delta's way back (hidden x 10) and the two gradients; per batch the
    update; per image of both accuracies a forward pass."""
    weights = pixels * hidden + hidden * 10
    return 2 * (images * (2 * weights + hidden * 10) + batches * weights + tested * weights)


def bench_digits(mode, compiled, say):
    """Milliseconds per epoch of each rung at batch 1 and 32 (``DIGITS_MODES[mode]``)."""
    from ..lessons.digits import digits_data
    repeats, epochs, slow_runs, examples = DIGITS_MODES[mode]
    train, test = digits_data(examples)
    return time_digits(DIGITS_BATCHES, train, test, compiled, repeats, epochs, slow_runs, say)


def time_digits(batches, train, test, compiled, repeats, epochs, slow_runs, say):
    """Milliseconds per epoch (median of ``repeats`` runs of ``epochs`` epochs, ``slow_runs``
    runs of one epoch for the slow rungs) of each rung at each ``(batch size, alpha)``;
    the rungs take turns."""
    from ..networks.digits import Recipe
    rows = []
    for batch, alpha in batches:
        recipe = Recipe(hidden=32, alpha=alpha, batch_size=batch)
        rungs = digits_ladder(recipe, train, test, compiled)
        times = {key: [] for key, _, _, _ in rungs}
        for run in range(repeats):
            for key, _, epoch, slow in rungs:
                if slow and run >= slow_runs:
                    continue          # the slow rungs (seconds an epoch) run fewer times
                count = 1 if slow else epochs
                started = time.perf_counter()
                for _ in range(count):
                    epoch()
                times[key].append((time.perf_counter() - started) / count)
        n, tested = len(train[1]), len(train[1]) + len(test[1])
        flops = digits_flops(recipe.hidden, len(train[0][0]), n, -(-n // (batch or n)), tested)
        numpy_seconds = statistics.median(times["numpy"])
        for key, description, _, _ in rungs:
            seconds = statistics.median(times[key])
            row = {"batch": batch, "rung": key, "description": description,
                   "ms_per_epoch": seconds * 1e3, "runs": len(times[key]),
                   "gflops": flops / seconds / 1e9, "vs_numpy": seconds / numpy_seconds}
            rows.append(row)
            say(_digits_line(row))
    return rows


DIGITS_HEADER = f"{'batch':>5}  {'loop':<48}{'ms/epoch':>10}{'GFLOP/s':>9}{'time / NumPy':>14}"


def _digits_line(row):
    return (f"{row['batch'] or 'all':>5}  {row['description']:<48}{row['ms_per_epoch']:>10.2f}"
            f"{row['gflops']:>9.2f}{row['vs_numpy']:>14.3f}  ({row['runs']} runs)")


# -- do the backends agree? -----------------------------------------------------------

SWEEP_ALPHAS = (0.001, 0.01, 0.1, 1, 10, 100, 1000)
PURE_ITERATIONS_HIDDEN_32 = 6000   # pure Python with 32 hidden nodes is slow: a tenth of the run


def agreement_cases():
    """The sources' training runs: (name, y, hidden, alpha, iterations)."""
    cases = [("001 part 1: hidden 0, y = 0 0 1 1", [0, 0, 1, 1], 0, 1.0, 10000),
             ("001 part 2: hidden 4, XOR", [0, 1, 1, 0], 4, 1.0, 60000)]
    for hidden in (4, 32):
        for alpha in SWEEP_ALPHAS:
            cases.append((f"003 sweep: hidden {hidden}, alpha {alpha}", [0, 1, 1, 0], hidden,
                          alpha, 60000))
    return cases


def _gaps(a, b):
    """The largest differences between two runs: (in the weights, in the recorded errors)."""
    weights = max(abs(p - q) for wa, wb in zip(a[0], b[0]) for ra, rb in zip(wa, wb)
                  for p, q in zip(ra, rb))
    errors = max((abs(p - q) for p, q in zip(a[1], b[1])), default=0.0)
    return weights, errors


def _run_loop(loop, y, hidden, alpha, iterations):
    weights = initial_weights(3, hidden, 1, seed=1)
    return loop(XOR_X, [[float(v)] for v in y], weights, alpha, iterations, 10000)


def bench_agreement(say):
    """The largest difference between backends on every source run (needs the compiled one)."""
    rows = []
    say(f"{'run (60,000 iterations unless said)':<38}{'cython vs numpy:':>17}{'':>9}"
        f"{'cython vs pure':>16}  within 1e-12")
    say(f"{'':<38}{'weights':>13}{'errors':>13}")
    for name, y, hidden, alpha, iterations in agreement_cases():
        compiled = _run_loop(loops.compiled, y, hidden, alpha, iterations)
        weights_gap, errors_gap = _gaps(compiled, _run_loop(loops.numpy, y, hidden, alpha,
                                                             iterations))
        pure_iterations = PURE_ITERATIONS_HIDDEN_32 if hidden == 32 else iterations
        if pure_iterations != iterations:
            compiled = _run_loop(loops.compiled, y, hidden, alpha, pure_iterations)
        pure_gap = max(_gaps(compiled, _run_loop(loops.pure, y, hidden, alpha, pure_iterations)))
        growth = {}
        if max(weights_gap, errors_gap) > 1e-12:   # how a rounding difference grows here
            for steps in (5, 20, 50, 100, 200, 500, 1000):
                growth[steps] = _gaps(_run_loop(loops.compiled, y, hidden, alpha, steps),
                                      _run_loop(loops.numpy, y, hidden, alpha, steps))[0]
        rows.append({"run": name, "hidden": hidden, "alpha": alpha, "iterations": iterations,
                     "cython_vs_numpy_weights": weights_gap, "cython_vs_numpy_errors": errors_gap,
                     "cython_vs_pure": pure_gap, "pure_iterations": pure_iterations,
                     "growth": growth})
        pure_note = "" if pure_iterations == iterations else f" ({pure_iterations:,})"
        within = max(weights_gap, errors_gap, pure_gap) < 1e-12
        say(f"{name:<38}{weights_gap:>13.1e}{errors_gap:>13.1e}{pure_gap:>12.1e}{pure_note:<9}"
            f"  {'yes' if within else 'NO'}")
    for row in rows:
        if row["growth"]:
            steps = ", ".join(f"{n}: {gap:.0e}" for n, gap in row["growth"].items())
            say(f"  {row['run']}: weights, cython vs numpy, after n iterations -- {steps}")
    return rows


# -- the targets ------------------------------------------------------------------

def targets(kernel_rows, training_rows, digits_rows=(), mat_mul_rows=(), small_rows=()):
    """``[(what, measured ratio or None, limit)]``: PASS when measured <= limit."""
    found = []
    small = {r["kernel"]: r for r in small_rows}
    for kernel, _, _, _, written in small_call_cases():
        found.append((f"size 3: {kernel} lists / {written} (>= 5x faster)",
                      small.get(kernel, {}).get("cython/numpy"), 0.2))
    sides = {r["n"]: r for r in mat_mul_rows}
    for n, limit in MAT_MUL_LIMITS.items():
        found.append((f"mat_mul {n}x{n}, arrays: cython / np.dot (1 thread)",
                      sides.get(n, {}).get("cython/np.dot"), limit))
    book = {r["kernel"]: r for r in kernel_rows if r["numbers"] in (3, 9) and r["input"] == "lists"}
    pure_limit = {"w_sum": 0.15, "vect_mat_mul": 0.15, "ele_mul": 0.35, "outer_prod": 0.35}
    for kernel in KERNELS:
        row = book.get(kernel, {})
        found.append((f"book size ({row.get('size', '3')}), lists: {kernel} cython/numpy",
                      row.get("cython/numpy"), 0.2))
        found.append((f"book size ({row.get('size', '3')}), lists: {kernel} cython/pure",
                      row.get("cython/pure"), pure_limit[kernel]))
    big = {r["kernel"]: r for r in kernel_rows if r["size"] in ("65536", "1024x1024")
           and r["input"] == "arrays"}
    for kernel in KERNELS:
        row = big.get(kernel, {})
        size = row.get("size", "65536" if kernel in ("w_sum", "ele_mul") else "1024x1024")
        found.append((f"{size}, arrays: {kernel} cython/numpy (1 thread)",
                      row.get("cython/numpy"), 1.25))
    rungs = {r["rung"]: r for r in training_rows}
    iterations = training_rows[0]["iterations"] if training_rows else XOR_ITERATIONS
    found.append((f"XOR {iterations:,}: compiled training / NumPy (>= 50x faster)",
                  rungs.get("compiled", {}).get("vs_numpy"), 1 / 50))
    found.append((f"XOR {iterations:,}: pure lists / NumPy (<= 3x slower)",
                  rungs.get("pure", {}).get("vs_numpy"), 3.0))
    digits = {(r["batch"], r["rung"]): r for r in digits_rows}
    found.append(("digits batch 1: compiled loop / NumPy (>= 8x faster)",
                  digits.get((1, "compiled"), {}).get("vs_numpy"), 1 / 8))
    found.append(("digits batch 32: compiled loop / NumPy (at least as fast)",
                  digits.get((32, "compiled"), {}).get("vs_numpy"), 1.0))
    return found


def print_targets(found, mode):
    print(f"{'target':<58}{'measured':>10}{'limit':>9}  verdict")
    for what, measured, limit in found:
        verdict = "not measured" if measured is None else ("PASS" if measured <= limit else "MISS")
        shown = "-" if measured is None else f"{measured:.4f}"
        print(f"{what:<58}{shown:>10}{limit:>9.4f}  {verdict}")
    if mode == "tiny":
        print(f"(--tiny measures small sizes and {MODES['tiny'][2]} iterations only: "
              "its verdicts mean nothing.)")


# -- the picture --------------------------------------------------------------------

def plot(path, kernel_rows, training_rows):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("(No picture: matplotlib is not installed; `pip install \"grokking-loops[plot]\"`.)")
        return None
    figure, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
    colours = {backend: f"C{i}" for i, backend in enumerate(BACKENDS)}   # one per backend
    for kind, style in (("lists", "-"), ("arrays", "--")):
        rows = [r for r in kernel_rows if r["kernel"] == "w_sum" and r["input"] == kind]
        for backend in BACKENDS:
            points = [(r["numbers"], r["ns"][backend]) for r in rows if r["ns"][backend]]
            if points:
                left.plot(*zip(*points), style, marker="o", color=colours[backend],
                          label=f"{backend}, {kind}")
    sizes = sorted({r["numbers"] for r in kernel_rows if r["kernel"] == "w_sum"})
    left.set(xscale="log", yscale="log", xlabel="numbers in each vector (log scale)",
             ylabel="nanoseconds per call (log scale)", title="w_sum: time per call")
    left.set_xticks(sizes, [f"{n:,}" for n in sizes])   # the sizes measured, as numbers
    left.minorticks_off()
    left.legend(fontsize=8, title="solid: lists, dashed: arrays", title_fontsize=8)
    names = [r["description"] for r in training_rows]
    seconds = [r["seconds"] for r in training_rows]
    right.barh(range(len(names)), seconds, color="tab:blue")
    right.set_yticks(range(len(names)), names, fontsize=8)
    right.invert_yaxis()
    for i, value in enumerate(seconds):   # on a log scale a bar's length is no measure: the number is
        right.text(value, i, f" {value:.3g} s", va="center", fontsize=8)
    right.set(xscale="log", xlabel="seconds (log scale)",
              title=f"XOR network, {training_rows[0]['iterations']:,} iterations"
              if training_rows else "training")
    right.set_xlim(right=max(seconds, default=1) * 4)   # room for the last number
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    print(f"(picture written to {path})")
    return path


# -- BENCHMARKS.md ---------------------------------------------------------------------

MARKDOWN_COMMAND = "python -m grokking bench --agreement --markdown BENCHMARKS.md"

MARKDOWN_NOTES = """
## How to read it

- **ns per call** is the median of the repeats; the backends take turns, so a busy
  moment of the machine hits them all. Ratios (cy/pure, cy/numpy) come from this
  same run. The machine is shared: rerun it and the figures move by 10-30 %, the
  ratios much less.
- **Book sizes, lists**: what the book's code does (3 numbers, a 3x3 matrix). The
  cost of a call decides; Cython reads the floats straight out of the lists, NumPy
  first turns each list into an array.
- **Big arrays** (65536 numbers, 1024x1024): the cost per number decides. NumPy runs
  on ONE BLAS thread here (threadpoolctl's limit, in process; the "Threads" line
  shows what threadpoolctl reported inside it), so one core is compared with one
  core. The Cython dot product keeps eight running sums (the matrix-vector
  product: four rows at a time, with SSE2, which every x86-64 CPU has); no
  `-ffast-math`, no `-march=native`.
- **mat_mul** (n x n arrays): the compiled product (`kernels/mat_mul.h`) keeps a 6 x 8 tile
  of the answer in registers over packed panels of a and b, AVX2 when the CPU has it (asked
  when it runs). Every number is still pure's (k in order from 0.0, each multiply and add
  rounded on its own), so it cannot be BLAS, which fuses them (FMA) and adds in its own order.
- **Small calls**: each compiled kernel on lists of 3 against the NumPy a learner writes on
  arrays made beforehand (`np.dot(a, b)`, `0.5 * a`, `np.dot(m, v)`, `np.outer(a, b)`).
- **Training**: the XOR network of "11 lines" part 2 (hidden 4, 60,000 iterations).
  Chapter 8 (`python -m grokking run 8`) explains the ladder.
- **Digits**: the network of chapters 9-11, milliseconds per epoch, both accuracies
  included. The tight NumPy script (`bench.numpy_digits`, one BLAS thread) makes about
  fifteen array operations per batch, a microsecond or so each: at batch 1 that is 1,438
  batches an epoch, and the calls, not the arithmetic, cost the time. The compiled loop
  (`networks/digits_epoch.pyx`) makes no call per batch, and skips the zero pixels (half of
  them). At batch 32 there are 45 batches, the calls cost little, and NumPy's BLAS does
  the arithmetic with the vector instructions of this CPU (AVX2, fused multiply-adds);
  the compiled loop may use only SSE2 (no `-march=native`) and no fused multiply-add,
  and wins by the zero pixels it skips. GFLOP/s counts the same operations for every
  loop: those of the dense network. Chapter 8 explains it.
- **Agreement**: pure and compiled training add their products in the same order,
  so they agree exactly (difference 0). NumPy's BLAS adds in its own order (its
  kernels for this CPU may also fuse a multiply and an add into one rounding), so
  each iteration differs from them by about 1e-16. In most
  of the sources' runs that stays below 1e-13 after 60,000 iterations. In three runs
  of the alpha sweep (hidden 4 with alpha 100 and 1000, hidden 32 with alpha 10) the
  steps are so large that the training is chaotic: the difference grows tenfold
  every few iterations (or every few dozen: the "after n iterations" lines), until it
  is as large as the weights' own jumps. No order of addition is "the" right one
  there: NumPy with a different BLAS, or on another CPU, would land elsewhere too.
  The "errors" column shows what that does to the printed errors: nothing visible
  once the network has saturated (error 0.5), a change in the 5th decimal at most.
"""


class _Tee:
    """Standard output that also keeps a copy of everything written."""

    def __init__(self, stream):
        self.stream, self.parts = stream, []

    def write(self, text):
        self.parts.append(text)
        return self.stream.write(text)

    def flush(self):
        self.stream.flush()


def write_markdown(path, transcript, results):
    info = results["machine"]
    misses = [t["target"] for t in results["targets"] if t["pass"] is False]
    verdict = ("every target met" if not misses and all(t["pass"] for t in results["targets"])
               else f"targets missed: {', '.join(misses) or 'some not measured'}")
    text = (f"# Benchmarks\n\nOne {results['mode']} run of `python -m grokking bench` on "
            f"{info['date']}: {info['cpu']} ({info['cores']} cores), NumPy {info['numpy']}, "
            f"{info['blas']}. Result: **{verdict}**.\n\n"
            f"Regenerate this file (about three minutes) with:\n\n    {MARKDOWN_COMMAND}\n\n"
            f"## The run\n\n```text\n{''.join(transcript).rstrip()}\n```\n{MARKDOWN_NOTES}")
    Path(path).write_text(text, encoding="utf-8")


# -- running it ---------------------------------------------------------------------

def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m grokking bench",
                                     description="Measure kernels and training on each backend.")
    parser.add_argument("--quick", action="store_true",
                        help="shorter repeats, fewer training runs: under a minute")
    parser.add_argument("--tiny", action="store_true",
                        help="sizes 3 and 16, 600 iterations: checks the bench runs (a few seconds)")
    parser.add_argument("--json", metavar="FILE", help="also write every figure to FILE as JSON")
    parser.add_argument("--plot", metavar="FILE", help="draw the ladder into FILE (needs matplotlib)")
    parser.add_argument("--agreement", action="store_true",
                        help="also train the sources' networks on each backend and print the "
                             "largest differences (about a minute more)")
    parser.add_argument("--markdown", metavar="FILE",
                        help="also write the whole run as a Markdown page (BENCHMARKS.md)")
    return parser.parse_args(argv)


def measure(args):
    """Run the bench with what NumPy has now (``main`` limits it to one BLAS thread first)."""
    import grokking
    mode = "tiny" if args.tiny else "quick" if args.quick else "full"
    info = machine()
    print_machine(info)
    compiled = info["compiled_backend"]
    backends = {name: grokking.backend(name) for name in BACKENDS
                if name != "cython" or compiled}

    def say(line):
        print(line, flush=True)

    print(f"\nKernels: nanoseconds per call (median of {MODES[mode][1]} repeats), {mode} run")
    print(KERNEL_HEADER)
    kernel_rows = bench_kernels(mode, backends, say)
    print(f"\nmat_mul on n x n float64 arrays: cython (pure's order, no fused multiply-add) against "
          f"np.dot (BLAS, one thread),\nmedian of {MODES[mode][1]} repeats taking turns; "
          "GFLOP/s = 2 n^3 / time")
    print(MAT_MUL_HEADER)
    mat_mul_rows = bench_mat_mul(mode, backends, say)
    print("\nSmall calls: cython on lists of 3 against the NumPy a learner writes, on arrays made "
          f"beforehand\n(0.5 * a timed as operator.mul(0.5, a)); median of {MODES[mode][1]} repeats "
          "taking turns")
    print(SMALL_CALL_HEADER)
    small_rows = bench_small_calls(mode, backends, say)
    print(f"\nTraining: the XOR network of '11 lines' part 2 (3 inputs, hidden 4, 1 output), "
          f"{MODES[mode][2]:,} iterations, median of {training_runs(mode)} runs taking turns")
    print(TRAINING_HEADER)
    training_rows = bench_training(mode, compiled, say)
    repeats, epochs, slow_runs, examples = DIGITS_MODES[mode]
    print(f"\nTraining: the digits network of chapters 9-11 (64-32-10 relu, squared error, "
          f"{'all 1,438' if examples is None else f'{examples} digits, 80% of them'} training "
          f"images), one epoch\nincluding the train and test accuracy; median of {repeats} runs "
          f"of {epochs} epochs, taking turns ({slow_runs} of one epoch for the slow rungs); "
          "GFLOP/s: the dense network's\noperations per second (the compiled loop skips the "
          "zero pixels, about half of the first layer's)")
    print(DIGITS_HEADER)
    digits_rows = bench_digits(mode, compiled, say)
    print(bench_framework.explain(mode))
    print(bench_framework.header())
    framework_rows = bench_framework.bench_framework(mode, backends, say)
    agreement_rows = []
    if args.agreement and compiled:
        print("\nAgreement: the largest difference in weights and recorded errors between "
              "backends")
        agreement_rows = bench_agreement(say)
    print("\nTargets (ratios of this run; PASS when measured <= limit)")
    found = (targets(kernel_rows, training_rows, digits_rows, mat_mul_rows, small_rows)
             + bench_framework.targets(framework_rows))
    print_targets(found, mode)
    results = {"mode": mode, "machine": info, "kernels": kernel_rows, "training": training_rows,
               "digits": digits_rows, "framework": framework_rows, "agreement": agreement_rows,
               "mat_mul": mat_mul_rows, "small_calls": small_rows,
               "targets": [{"target": w, "measured": m, "limit": lim,
                            "pass": None if m is None else m <= lim} for w, m, lim in found]}
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
        print(f"(figures written to {args.json})")
    if args.plot:
        plot(args.plot, kernel_rows, training_rows)
    return results


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parse(argv)
    if not args.markdown:
        with one_blas_thread():
            measure(args)
        return 0
    tee = _Tee(sys.stdout)
    with contextlib.redirect_stdout(tee), one_blas_thread():
        results = measure(args)
    write_markdown(args.markdown, tee.parts, results)
    print(f"(Markdown written to {args.markdown})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
