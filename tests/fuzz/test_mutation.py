"""Arguments changed during a call (a gc callback, a finalizer, a learner's ``__float__``,
another thread): an answer for the arguments as read, or pure's clear error; never a crash,
``None`` or garbage. The cases, the triggers and what is accepted: ``mutation``'s docstring.

Each backend's cases run in child processes, so a crash of the compiled code is a failed
case (and the next child goes on after it), not a dead test session.
"""
import collections
import ctypes
import time

from . import mutation

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
    assert all(fired[trigger, which] > 0 for trigger in can_fire
               for which in ("as before", "matrices")), fired


# -- the harness can fail ---------------------------------------------------------------
#
# Stand-in backends, imported by the child as ``tests.fuzz.test_mutation:NAME``.

class Careless:
    """Reads as the old compiled code did: sizes first, the items after making a list."""

    @staticmethod
    def outer_prod(vec_a, vec_b):
        answer = [None] * len(vec_a)   # a new list: a collection (and a finalizer) may run here
        for i in range(len(vec_a)):
            answer[i] = [vec_a[i] * b for b in vec_b]
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


def test_a_crash_or_a_hang_fails_its_case_and_the_next_case_still_runs():
    assert _verdicts("Broken", ["outer_prod"], 2) == [("outer_prod", "crash")] * 2
    assert _verdicts("Broken", ["transpose"], 1, line_timeout=1) == [("transpose", "hang")]
