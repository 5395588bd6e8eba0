"""Does the compiled backend leak? Call each kernel a million times and watch resident memory.

    python tools/leakcheck.py                    # 1,000,000 calls per kernel and input form
    python tools/leakcheck.py --calls 100000 --only w_sum,mat_mul
    python tools/leakcheck.py --only digits      # the compiled digits epoch only

For every kernel of the cython backend, and for each form of input (lists of
floats: the fast path; lists of ints: the checked copy; float64 arrays: the
memoryview path; a wrong argument: the error path; a single number for the
activations), it warms up with a tenth of the calls, reads the resident memory
(RSS) from /proc, makes all the calls, and reads it again. A leak of even one
small object per call would add tens of megabytes; the check passes when RSS
grew by at most --tolerance (5%).
The compiled digits epoch (``networks/digits_epoch.pyx``: ``Examples``, ``DigitNetwork``,
its ``train_epoch``, ``accuracy``, ``parameters`` and ``velocity``) is checked the
same way, on 8 images of 8 pixels: lists, arrays, every option of the recipe, errors.
Prints one line per kernel and form; exits 1 if any grew too much.
"""
import argparse
import gc
import os
import sys
import time

import numpy as np

import grokking
from grokking.kernels import KERNELS

PAGE = os.sysconf("SC_PAGE_SIZE")
N = 8   # vector length: small, so the calls (not the arithmetic) dominate


def rss():
    """Resident memory of this process, in bytes (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE


def _arguments():
    """kernel -> form -> argument tuple."""
    floats = [0.25 * i - 1.0 for i in range(N)]
    ints = list(range(N))
    rows = [floats[:] for _ in range(N)]
    int_rows = [ints[:] for _ in range(N)]
    vec, mat = np.array(floats), np.array(rows)
    forms = {
        "vector2": {"lists": (floats, floats), "ints": (ints, ints), "arrays": (vec, vec),
                    "error": (floats, floats[:-1])},
        "ele_mul": {"lists": (0.5, floats), "ints": (2, ints), "arrays": (0.5, vec),
                    "error": ("0.5", floats)},
        "vect_mat_mul": {"lists": (floats, rows), "ints": (ints, int_rows), "arrays": (vec, mat),
                         "error": (floats[:-1], rows)},
        "mat_mul": {"lists": (rows, rows), "ints": (int_rows, int_rows), "arrays": (mat, mat),
                    "error": (rows, rows[:-1])},
        "transpose": {"lists": (rows,), "ints": (int_rows,), "arrays": (mat,),
                      "error": ([floats, floats[:-1]],)},
        "activation": {"lists": (floats,), "ints": (ints,), "arrays": (vec,),
                       "error": ([1.0, None],), "number": (0.5,)},
    }
    # the element-wise kernels take a matrix too: lists of rows, and 2-D arrays
    forms["elementwise2"] = dict(forms["vector2"], rows=(rows, rows), arrays2d=(mat, mat),
                                 ragged=([floats, floats[:-1]], rows[:2]))
    forms["ele_mul"].update(rows=(0.5, rows), arrays2d=(0.5, mat))
    forms["activation"].update(rows=(rows,), arrays2d=(mat,), ragged=([floats, floats[:-1]],))
    two_vectors = ("w_sum", "outer_prod", "mean_abs_error")
    elementwise2 = ("vec_add", "vec_sub", "vec_mul")
    return {name: forms[name if name in forms else "vector2" if name in two_vectors
                        else "elementwise2" if name in elementwise2 else "activation"]
            for name in KERNELS}


def _digits_arguments():
    """The digits epoch's entry points: name -> form -> (function, argument tuple)."""
    from grokking.networks import digits_epoch as digits
    from grokking.networks.digits import Recipe
    rng = np.random.RandomState(0)
    images = ((rng.random_sample((N, N)) < 0.5) * rng.random_sample((N, N))).tolist()
    labels = [i % 10 for i in range(N)]
    weights = [rng.uniform(-0.5, 0.5, (N, 3)), rng.uniform(-0.5, 0.5, (3, 10)),
               np.zeros((1, 3)), np.zeros((1, 10))]
    weight_lists = [w.tolist() for w in weights]
    plain = Recipe(hidden=3, alpha=0.01, batch_size=2)
    every = plain.but(bias=True, activation="tanh", output="softmax", l2=0.01, dropout=0.5,
                      momentum=0.9)
    examples = digits.Examples(images, labels)
    network, full = digits.DigitNetwork(plain, *weights), digits.DigitNetwork(every, *weights)
    order, masks = list(range(N)), ((rng.random_sample((N, 3)) < 0.5) * 2.0).tolist()
    return {
        "Examples": {"lists": (digits.Examples, (images, labels)),
                     "arrays": (digits.Examples, (np.array(images), np.array(labels))),
                     "error": (digits.Examples, (images, labels[:-1]))},
        "DigitNetwork": {"arrays": (digits.DigitNetwork, (plain, *weights)),
                         "lists": (digits.DigitNetwork, (every, *weight_lists)),
                         "error": (digits.DigitNetwork, (plain, weights[1], *weights[1:]))},
        "train_epoch": {"plain": (network.train_epoch, (examples, order)),
                        "options": (full.train_epoch, (examples, order, masks)),
                        "error": (network.train_epoch, (examples, [N]))},
        "accuracy": {"examples": (network.accuracy, (examples,)),
                     "error": (network.accuracy, (None,))},
        "parameters": {"options": (full.parameters, ())},
        "velocity": {"options": (full.velocity, ())},
    }


def _call_many(func, args, calls):
    for _ in range(calls):
        try:
            func(*args)
        except (TypeError, ValueError):
            pass


def check(func, args, calls):
    """``(before, after)`` resident bytes around ``calls`` calls, after a tenth as many to warm up."""
    _call_many(func, args, max(calls // 10, 1000))
    gc.collect()
    before = rss()
    _call_many(func, args, calls)
    gc.collect()
    return before, rss()


def main(argv=None):
    parser = argparse.ArgumentParser(prog="tools/leakcheck.py", description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--only", default="",
                        help="comma-separated kernel names, or digits for the digits epoch")
    parser.add_argument("--tolerance", type=float, default=0.05, help="allowed growth (0.05 = 5%%)")
    args = parser.parse_args(argv)
    k = grokking.backend("cython")
    only = set(filter(None, args.only.split(",")))
    print(f"leakcheck: cython backend ({k.__file__}), {args.calls:,} calls per kernel and form")
    runs = [(name, form, getattr(k, name), call_args, args.calls)
            for name, forms in _arguments().items() if not only or name in only
            for form, call_args in forms.items()]
    if not only or "digits" in only:
        runs += [(name, form, func, call_args, args.calls)
                 for name, forms in _digits_arguments().items()
                 for form, (func, call_args) in forms.items()]
    failed, started = 0, time.time()
    for name, form, func, call_args, calls in runs:
        before, after = check(func, call_args, calls)
        growth = (after - before) / before
        verdict = "ok" if growth <= args.tolerance else "LEAK?"
        failed += verdict != "ok"
        print(f"  {name:15s} {form:8s} {calls:9,d} calls RSS {before / 2**20:7.1f} MB -> "
              f"{after / 2**20:7.1f} MB ({growth:+.2%}) {verdict}", flush=True)
    print(f"leakcheck: {'FAILED' if failed else 'flat'} ({failed} over {args.tolerance:.0%}) "
          f"in {time.time() - started:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
