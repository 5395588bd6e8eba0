"""Arguments changed during a call (a gc callback, a finalizer, a learner's ``__float__``,
another thread): an answer for the arguments as read, or pure's clear error; never a crash,
``None`` or garbage. The cases, the triggers and what is accepted: ``mutation``'s docstring.

Each backend's cases run in child processes, so a crash of the compiled code is a failed
case (and the next child goes on after it), not a dead test session.
"""
import ast
import collections
import ctypes
import subprocess
import sys
import time

import pytest

from . import mutation

try:
    from conftest import needs_compiled
except ImportError:   # the child process of the stand-ins below imports this file outside pytest
    needs_compiled = pytest.mark.skipif(False, reason="(no tests run there)")

FAILURES_SHOWN = 25


def test_an_argument_changed_during_a_call(backend_name):
    results, where = mutation.verdicts(backend_name)
    failed = [(case, verdict, detail) for case, _, verdict, detail in results
              if verdict != "fine"]
    assert not failed, (
        f"{len(failed)} of {len(results)} cases failed on {backend_name} ({where}):\n"
        + mutation.table(results) + "\n"
        + "\n".join(f"{verdict}: {case.describe()}: {detail}"
                    for case, verdict, detail in failed[:FAILURES_SHOWN]))
    # The triggers really changed arguments during calls, vectors and the matrices the
    # element-wise kernels take as well. A compiled loop holds the GIL, so another
    # thread can only meet a backend's Python code.
    fired = collections.Counter()
    for case, changed, _, _ in results:
        fired[case.trigger, "matrices" if case.matrix_for_vector else "as before"] += changed
    can_fire = mutation.TRIGGERS if backend_name == "pure" else ("gc", "del", "float")
    must_fire = {(trigger, which) for trigger in can_fire for which in ("as before", "matrices")}
    if backend_name == "cython" and sys.version_info >= (3, 12):
        # From 3.12 on a collection waits for Python code to run, and the compiled kernels read
        # a matrix of floats (lists of floats, or a float64 array in C order) with none at all:
        # there, only ``float`` reaches them (see mutation's docstring).
        must_fire -= {("gc", "matrices"), ("del", "matrices")}
    assert all(fired[key] > 0 for key in must_fire), fired


# -- the harness can fail ---------------------------------------------------------------
#
# Stand-in backends, imported by the child as ``tests.fuzz.test_mutation:NAME``.

class Careless:
    """Reads as the old compiled code did: sizes first, the items after making a list."""

    @staticmethod
    def outer_prod(vec_a, vec_b):
        answer = [None] * len(vec_a)   # a new list: a collection (and a finalizer) may run here
        for i, a in enumerate(vec_a):  # (3.11), or at the next bytecode (3.12 and later)
            answer[i] = [a * b for b in vec_b]
        return answer

    @staticmethod
    def vec_add(a, b):
        a.append(1.0)                  # changes its argument
        return [x + y for x, y in zip(a, b)]


class Broken:
    """Crashes (outer_prod) or never answers (transpose)."""

    @staticmethod
    def outer_prod(vec_a, vec_b):
        ctypes.string_at(0)

    @staticmethod
    def transpose(matrix):
        time.sleep(60)


class CarelessDigits:
    """Reads the images in two goes, making lists in between; or lengthens ``order`` itself."""

    @staticmethod
    def digits_epoch(images, labels, *rest):
        top = [list(images[i]) for i in range(len(images) // 2)]
        [[] for _ in range(20)]        # a collection (and a finalizer) may run here
        # (row by row: CPython 3.11's own list slice reads a list a collection just cleared)
        images = top + [list(images[i]) for i in range(len(top), len(images))]
        if len(labels) == 1:
            rest[-2].append(0)         # changes its argument (order), when there is 1 image
        return mutation.digits_epoch(images, labels, *rest)


def _verdicts(stand_in, funcs, limit, line_timeout=mutation.LINE_TIMEOUT):
    results, _ = mutation.verdicts(f"tests.fuzz.test_mutation:{stand_in}", funcs=funcs,
                                   limit=limit, line_timeout=line_timeout)
    return [(case.func, verdict) for case, _, verdict, _ in results]


def test_a_careless_reader_is_caught():
    # the first 120 cases of each: size 1, the gc trigger
    seen = set(_verdicts("Careless", ["outer_prod", "vec_add"], 120))
    assert ("outer_prod", "None in answer") in seen        # the change came after len()
    assert ("outer_prod", "wrong error") in seen           # a str item: 'can't multiply...'
    assert ("vec_add", "changed argument") in seen
    assert ("outer_prod", "fine") in seen                  # ... but not everything is wrong


def test_a_careless_digits_epoch_is_caught():
    # the gc trigger's cases at 1 image, then 3 images: lists (where the careless one reads)
    seen = set(_verdicts("CarelessDigits", [mutation.DIGITS_EPOCH], 1300))
    assert ("digits_epoch", "garbage") in seen             # rows reversed between two reads
    assert ("digits_epoch", "changed argument") in seen
    assert ("digits_epoch", "fine") in seen


def test_a_crash_or_a_hang_fails_its_case_and_the_next_case_still_runs():
    assert _verdicts("Broken", ["outer_prod"], 2) == [("outer_prod", "crash")] * 2
    assert _verdicts("Broken", ["transpose"], 1, line_timeout=1) == [("transpose", "hang")]


# -- the compiled digits epoch, used again in the middle of a call ----------------------
#
# networks/digits_epoch.pyx keeps pointers into what its objects made (the examples' pixels, the
# network's weights, one call's scratch memory). A gc callback that made a network or its
# examples again (``__init__`` once more), or used the network for another call, freed or
# repointed that memory under the running loop: SIGSEGV or ``free(): invalid pointer``.

USED_AGAIN = """
import gc, sys
import numpy as np
from grokking.networks import digits_epoch as digits
from grokking.networks.digits import Recipe
rng = np.random.RandomState(0)
images, labels = (rng.rand(50, 64) > 0.5) * rng.rand(50, 64), list(rng.randint(0, 10, 50))
weights = [rng.rand(64, 3), rng.rand(3, 10), np.zeros((1, 3)), np.zeros((1, 10))]
recipe = Recipe(hidden=3, batch_size=2)
twin = digits.DigitNetwork(recipe, *weights)      # the same network, trained undisturbed
twin.train_epoch(digits.Examples(images, labels), list(range(50)))
def meddle(examples, network):
    how = sys.argv[1]
    if how == "examples made again":
        examples.__init__([[1.0] * 64], [1])
    elif how == "network made again":
        network.__init__(Recipe(hidden=40), rng.rand(1, 40), rng.rand(40, 10),
                         np.zeros((1, 40)), np.zeros((1, 10)))
    else:   # another call of the same network, on other examples
        network.accuracy(digits.Examples([[1.0] * 64], [1]))
for fire_at in range(int(sys.argv[2])):   # at the n-th collection in the call
    examples, network = digits.Examples(images, labels), digits.DigitNetwork(recipe, *weights)
    said, count = [], [0]
    def callback(phase, info):
        if phase == "start":
            if count[0] == fire_at:
                try:
                    meddle(examples, network)
                    said.append("meddled")
                except TypeError as error:
                    said.append(str(error))
            count[0] += 1
    gc.callbacks.append(callback)
    gc.set_threshold(1, 1, 1)
    try:
        network.train_epoch(examples, list(range(50)))
    except ValueError as error:   # (the old build, when the change came before the checks)
        said.append(f"ValueError: {error}")
    finally:
        gc.set_threshold(700, 10, 10)
        gc.callbacks.remove(callback)
    same = all(np.array_equal(a, b) for a, b in zip(network.parameters(), twin.parameters()))
    print(repr((said, same, count[0])))   # count: the collections in the call
"""


@needs_compiled
@pytest.mark.parametrize("how", ["examples made again", "network made again",
                                 "the network used by another call"])
def test_the_digits_epoch_survives_its_objects_used_again_during_a_call(how):
    run = subprocess.run([sys.executable, "-c", USED_AGAIN, how, "12"], capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, f"exit status {run.returncode}: {run.stderr[-800:]}"
    runs = [ast.literal_eval(line) for line in run.stdout.splitlines()]
    assert len(runs) == 12
    for fire_at, (said, same_weights, _) in enumerate(runs):
        if how == "the network used by another call":
            assert said in ([], ["meddled"]), (fire_at, said)
        else:   # refused with a clear error: what the loop points into stays as it was
            name = "Examples" if how.startswith("examples") else "DigitNetwork"
            assert all(s.startswith(f"{name}: already made") for s in said), (fire_at, said)
        assert same_weights, fire_at   # the epoch the call was asked for, to the bit
    # The change came in the call. CPython 3.11 collects at any allocation, in the compiled
    # code too (about 8 collections in this call); from 3.12 on only where the call runs
    # Python code, between two bytecodes (1 or 2 here: NumPy's min and max of the order).
    meddled = sum(bool(said) for said, _, _ in runs)
    assert meddled >= (5 if sys.version_info < (3, 12) else 1), runs


@needs_compiled
def test_a_digits_network_or_examples_never_made_give_a_clear_error():
    from grokking.networks import digits_epoch as digits
    network = digits.DigitNetwork.__new__(digits.DigitNetwork)   # no __init__: nothing inside
    examples = digits.Examples.__new__(digits.Examples)
    # before: accuracy answered nan, parameters() an AttributeError about None
    for call in (lambda: network.accuracy(examples), network.parameters, network.velocity,
                 lambda: network.train_epoch(examples, [0])):
        with pytest.raises(TypeError, match=r"^(accuracy|parameters|velocity|train_epoch): "
                                            r"this DigitNetwork was never made"):
            call()
    with pytest.raises(TypeError, match=r"^Examples: already made"):
        digits.Examples([[1.0]], [1]).__init__([[1.0]], [1])
