"""Run the hostile-input cases: ``python -m tests.fuzz.run --cases 10000``.

Every kernel of every backend, plus ``grokking.train`` (and the compiled
training loops called directly: XOR's and the digits'), ``gradient_check`` and
the data set's ``load_digits`` and ``split``, gets random arguments from
``values`` and is judged by ``oracle``. Prints how many cases each function got;
exits 0 when all passed, 1 on the first failure (with hypothesis's smallest
failing example). Run it in a subprocess (as test_fuzz.py does) so that a crash
in the compiled extension is a failed run, not a dead test session.
"""
import argparse
import math
import sys
import time
import traceback

from hypothesis import HealthCheck, Phase, given, seed, settings

import grokking

from . import api, oracle, values

# Share of the cases each family gets; the kernels share the rest equally.
SHARES = {"train": 0.06, "train_loop": 0.03, "digits_epoch": 0.05, "gradient_check": 0.05, "split": 0.04, "load_digits": 0.005}


def _backends(names):
    """name -> kernel module; the compiled one is required when it is built or demanded."""
    chosen = {}
    for name in names:
        if name == "cython" and not grokking.compiled_available():
            from grokking.kernels.backend import require_cython
            if require_cython():
                raise SystemExit("fuzz: GROKKING_REQUIRE_CYTHON is set but the cython backend "
                                 "is not built")
            print("fuzz: the cython backend is not built; skipping it", file=sys.stderr)
            continue
        chosen[name] = grokking.backend(name)
    return chosen


def _families(kernels, only):
    """(name, strategy, check) for every function under test."""
    families = [(k, values.kernel_args(k),
                 lambda make, k=k: oracle.check_kernel(k, make, kernels)) for k in values.KERNELS]
    families.append(("train", api.train_args(), lambda make: api.check_train(make, kernels)))
    if "cython" in kernels:
        families.append(("train_loop", api.train_loop_args(), api.check_train_loop))
        families.append(("digits_epoch", api.digits_epoch_args(), api.check_digits_epoch))
    families += [("gradient_check", api.gradcheck_args(), api.check_gradcheck),
                 ("split", api.split_args(), api.check_split),
                 ("load_digits", api.load_args(), api.check_load)]
    return [f for f in families if not only or f[0] in only]


def _cases_for(name, total, n_families):
    share = SHARES.get(name)
    if share is None:
        rest = 1 - sum(SHARES.values())
        share = rest / max(n_families - len(SHARES), 1)
    return max(1, math.ceil(total * share))


def run_family(name, strategy, check, cases, random_seed, shrink):
    """Run ``cases`` examples of one family; the number actually run."""
    count = [0]
    phases = [Phase.generate] + ([Phase.shrink] if shrink else [])

    @seed(random_seed)
    @settings(max_examples=cases, deadline=None, database=None, phases=phases,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def case(make):
        count[0] += 1
        check(make)

    case()
    return count[0]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz.run", description=__doc__)
    parser.add_argument("--cases", type=int, default=2000, help="total cases (default 2000)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: random)")
    parser.add_argument("--backends", default="pure,cython,numpy")
    parser.add_argument("--only", default="", help="comma-separated function names")
    parser.add_argument("--no-shrink", action="store_true",
                        help="report the first failing case as found (faster under valgrind)")
    parser.add_argument("--expect-compiled-in", metavar="DIR", default=None,
                        help="fail unless the compiled backend is imported from DIR")
    args = parser.parse_args(argv)
    random_seed = args.seed if args.seed is not None else int(time.time())
    kernels = _backends(args.backends.split(","))
    if oracle.REF not in kernels:
        raise SystemExit("fuzz: the numpy backend is the referee; it must be in --backends")
    families = _families(kernels, set(filter(None, args.only.split(","))))
    if "cython" in kernels:
        import grokking.networks.digits_epoch as digits
        import grokking.networks.training as training
        where = [kernels["cython"].__file__, training.__file__, digits.__file__]
        print(f"fuzz: compiled code from {', '.join(where)}", flush=True)
        if args.expect_compiled_in and not all(w.startswith(args.expect_compiled_in) for w in where):
            raise SystemExit(f"fuzz: the compiled code is not from {args.expect_compiled_in}")
    print(f"fuzz: backends {', '.join(kernels)}; seed {random_seed}; {args.cases} cases", flush=True)
    total, started = 0, time.time()
    for name, strategy, check in families:
        n = _cases_for(name, args.cases, len(families))
        try:
            done = run_family(name, strategy, check, n, random_seed, not args.no_shrink)
        except Exception as failure:  # Mismatch or anything unexpected: report, fail
            if not isinstance(failure, oracle.Mismatch):
                traceback.print_exc()
            print(f"FAIL {name}: {type(failure).__name__}: {failure}", flush=True)
            for note in getattr(failure, "__notes__", []):  # hypothesis's failing example
                print("    " + note, flush=True)
            print(f"fuzz: FAILED after {total} cases (rerun with --seed {random_seed})")
            return 1
        total += done
        print(f"  {name:15s} {done:6d} cases ok", flush=True)
    print(f"fuzz: all {total} cases passed in {time.time() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
