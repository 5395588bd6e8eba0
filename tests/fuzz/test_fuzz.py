"""The hostile-input cases, run in a subprocess so that a crash fails the test instead of the run.

The bounded run here takes seconds; the full runs (and their last results) are
in docs/SAFETY.md. FUZZ_CASES and FUZZ_SEED change the size and the seed;
without FUZZ_SEED each run draws a new seed (printed on failure, to rerun).
"""
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from . import oracle, values

ROOT = Path(__file__).resolve().parents[2]
CASES = int(os.environ.get("FUZZ_CASES", "3000"))
TIMEOUT = 150   # seconds: a hang is a failure too


def run_isolated(argv, timeout=TIMEOUT):
    """Run ``python argv...`` from the repository root; ``(ok, report)``.

    A negative return code means the child died of a signal (a segfault is
    SIGSEGV); a timeout means it hung. Both come back as failures, with the
    output, instead of taking the test session down.
    """
    try:
        done = subprocess.run([sys.executable, *argv], cwd=ROOT, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired as hung:
        return False, f"hung: no answer after {timeout} s\n{hung.stdout or ''}"
    output = done.stdout + done.stderr
    if done.returncode < 0:
        return False, f"crashed: killed by {signal.Signals(-done.returncode).name}\n{output}"
    return done.returncode == 0, f"exit status {done.returncode}\n{output}"


def test_hostile_inputs_on_every_backend():
    seed = os.environ.get("FUZZ_SEED") or str(random.randrange(2**31))
    ok, report = run_isolated(["-m", "tests.fuzz.run", "--cases", str(CASES), "--seed", seed])
    assert ok, f"fuzz run failed (seed {seed}):\n{report}"
    assert "cases passed" in report


# -- the harness and the referee can fail ---------------------------------------

def test_a_crash_in_the_child_is_reported_not_fatal():
    ok, report = run_isolated(["-c", "import ctypes; ctypes.string_at(0)"])
    assert not ok and "SIGSEGV" in report


def test_a_hang_in_the_child_is_reported():
    ok, report = run_isolated(["-c", "import time; time.sleep(30)"], timeout=0.3)
    assert not ok and report.startswith("hung")


class _Wrong:
    """A backend that gets things wrong in the ways the referee must catch."""
    name = "wrong"

    @staticmethod
    def w_sum(a, b):
        return 42.0

    @staticmethod
    def vec_add(a, b):
        a.append(1.0)  # changes its argument
        return [x + y for x, y in zip(a, b)]

    @staticmethod
    def vec_mul(a, b):
        raise TypeError("something went wrong")  # names neither function nor argument

    @staticmethod
    def relu(x):
        return np.maximum(np.asarray(x, dtype=float), 0).tolist()[:1]  # wrong shape


class _Written:
    """``vec_add`` written here, the blog's way: the referee for every backend, NumPy's too."""
    name = "written here"

    @staticmethod
    def vec_add(a, b):
        return (np.array(a, dtype=float) + np.array(b, dtype=float)).tolist()


@pytest.mark.parametrize("func, args, complaint", [
    ("w_sum", ([1.0], [2.0]), "but numpy gives"),
    ("vec_add", ([1.0], [2.0]), "changed its arguments"),
    ("vec_mul", (["x"], [2.0]), "says"),
    ("relu", ([1.0, 2.0],), "shape"),
])
def test_the_referee_catches_a_wrong_backend(ref, func, args, complaint):
    make = values.Make(lambda: tuple(list(a) for a in args), repr(args))
    with pytest.raises(oracle.Mismatch, match=complaint):
        oracle.check_kernel(func, make, {"numpy": ref, "wrong": _Wrong})


def test_the_referee_passes_a_right_backend(k):
    make = values.Make(lambda: ([1.0, np.nan], [2.0, 3.0]), "([1.0, nan], [2.0, 3.0])")
    assert oracle.check_kernel("vec_add", make, {_Written.name: _Written, k.name: k},
                               referee=_Written.name) == "ok"

    class Off:                            # and the written referee can fail
        @staticmethod
        def vec_add(a, b):
            return [x + y + 1e-6 for x, y in zip(a, b)]
    with pytest.raises(oracle.Mismatch, match="but written here gives"):
        oracle.check_kernel("vec_add", make, {_Written.name: _Written, "off": Off},
                            referee=_Written.name)
