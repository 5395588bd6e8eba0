"""Grading, in the checker's own process: call the learner's function, compare, shrink, diagnose.

The learner's code runs in a worker process (``grokking.checker.worker``), which
only answers calls. Everything that decides a verdict happens here: the
referee's answer, the comparison, the shrinking of a failing input, the
search for a known mistake that explains the answers, and which hint fits.
A worker that hangs is killed after its time; one that dies is replaced.
"""
import copy
import json
import multiprocessing
import numbers
import re

from . import worker as check_worker
from .answers import (READERS, BadReply, WrongType, decode, first_difference, same, show)
from .verdict import Outcome, Verdict

STARTUP_LIMIT = 120.0          # our own work: starting the worker, importing NumPy
MAX_REPLY_BYTES = 50_000_000
NARROW_TOLERANCE = 1e-3        # within this, a float32 (or float16) answer is off by its rounding only
DIAGNOSIS_CALLS = 8            # extra calls of the learner's function to tell two mistakes apart
DIAGNOSIS_WEIGHT = 2.0         # variants run only on cases this cheap (training: 10,000 iterations)
INPUT_ERRORS = {"IndexError", "KeyError", "LookupError", "ZeroDivisionError", "ArithmeticError",
                "OverflowError", "FloatingPointError", "ValueError", "TypeError"}


class TimedOut(Exception):
    """The learner's code took longer than it may."""


class Crashed(Exception):
    """The worker process ended, or sent something unreadable."""


class Worker:
    """The process the learner's code runs in."""

    def __init__(self, path, names):
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=check_worker.serve, args=(child, path, names),
                                       daemon=True)
        self.process.start()
        child.close()
        self.number = 0

    def receive(self, limit):
        if not self.conn.poll(limit):
            raise TimedOut(limit)
        try:
            return json.loads(self.conn.recv_bytes(MAX_REPLY_BYTES))
        except (EOFError, OSError, ValueError, RecursionError):   # gone, too big, or not JSON
            self.process.join(5)
            raise Crashed(self.process.exitcode) from None

    def call(self, name, args, limit):
        self.number += 1
        try:
            self.conn.send((self.number, name, args))
        except OSError:  # the worker is gone already
            self.process.join(5)
            raise Crashed(self.process.exitcode) from None
        reply = self.receive(limit)
        if not isinstance(reply, dict) or reply.get("number") != self.number:
            raise Crashed("an answer that does not belong to the call")
        return reply

    def stop(self, politely=True):
        """End the worker: ask it to return, or (after a hang) kill it at once."""
        if politely:
            try:
                self.conn.send(None)
            except OSError:
                pass
            self.process.join(2)
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()


class FileProblem(Exception):
    """The learner's file cannot be loaded: it raised, hung or ended the process."""


class Session:
    """One learner's file: a worker (a fresh one after a hang or a crash) and the clock."""

    def __init__(self, path, names, timeout):
        self.path, self.names, self.timeout = path, names, timeout
        self.worker, self.found = None, None

    def start(self):
        if self.worker is not None:
            return
        worker = Worker(self.path, self.names)
        try:
            worker.receive(STARTUP_LIMIT)
            loaded = worker.receive(self.timeout)
        except TimedOut:
            worker.stop(politely=False)
            raise FileProblem(f"loading it took longer than {self.timeout:g} s: "
                              "is there an endless loop outside the functions?") from None
        except Crashed as error:
            worker.stop(politely=False)
            raise FileProblem(f"loading it ended the process (exit code {error.args[0]})") from None
        if not isinstance(loaded, dict) or not isinstance(loaded.get("found"), dict):
            worker.stop(politely=False)
            raise FileProblem("loading it sent something the checker cannot read")
        if loaded.get("loaded"):
            worker.stop()
            raise FileProblem(str(loaded["loaded"]))
        self.worker, self.found = worker, {k: str(v) for k, v in loaded["found"].items()}

    def availability(self, name):
        """"ok", "missing", or why it cannot be called."""
        self.start()
        return self.found.get(name, "missing")

    def call(self, exercise, args):
        """The learner's answer to one call, decoded: a dict, or a failure of kind timeout/crashed."""
        self.start()
        limit = self.timeout * exercise.weight(args)
        try:
            reply = self.worker.call(exercise.name, args, limit)
            return read_reply(reply, len(args))
        except TimedOut:
            self.restart()
            return {"kind": "timeout", "problem": f"timed out: stopped after {limit:g} s (an endless "
                                                  "loop? a while loop whose condition never changes?)"}
        except (Crashed, BadReply) as error:
            code = self.worker.process.exitcode if self.worker else None
            self.restart()
            if code is None:
                return {"kind": "crashed", "problem": f"its answer could not be read ({error})"}
            return {"kind": "crashed", "problem": f"it ended the process (exit code {code}): "
                                                  "did it call os._exit() or crash Python?"}

    def restart(self):
        if self.worker is not None:
            self.worker.stop(politely=False)
        self.worker = None

    def stop(self):
        if self.worker is not None:
            self.worker.stop()
        self.worker = None


def read_reply(reply, count):
    """Check the shape of a worker's reply and decode the values in it."""
    after = reply.get("after")
    printed = reply.get("printed")
    if (not isinstance(after, list) or len(after) != count or not isinstance(printed, list)
            or not all(isinstance(line, str) for line in printed)):
        raise BadReply("a reply without the arguments or the printed lines")
    result = {"after": [decode(a) for a in after], "printed": printed}
    if "answer" in reply:
        result["answer"] = decode(reply["answer"])
        dtypes = reply.get("dtypes") if isinstance(reply.get("dtypes"), list) else []
        result["dtypes"] = [d[:20] for d in dtypes if isinstance(d, str)][:4]
        return result
    raised = reply.get("raised")
    if not isinstance(raised, dict) or not all(isinstance(raised.get(k), str)
                                               for k in ("type", "text", "message")):
        raise BadReply("a reply with neither an answer nor an exception")
    result["raised"] = {"type": raised["type"], "text": raised["text"],
                        "message": raised["message"], "exception": raised.get("exception") is True,
                        "todo": raised.get("todo") is True,
                        "from": raised.get("from") if isinstance(raised.get("from"), str) else None}
    return result


# ---------------------------------------------------------------------------
# One call: what the referee says, what the learner says, and how they differ
# ---------------------------------------------------------------------------

def observe(exercise, function, args):
    """("value", answer read as lists) / ("raised", type name) for one call of our own code."""
    try:
        return ("value", READERS[exercise.answer](function(*copy.deepcopy(args))))
    except Exception as error:
        return ("raised", type(error).__name__)


class RefereeFailed(Exception):
    """Our own referee cannot answer this input (a shrunk input it does not accept)."""


class Attempt:
    """One call of the learner's function on one input, judged."""

    def __init__(self, session, exercise, args):
        self.args = args
        self.expected = observe(exercise, exercise.referee, args)
        if self.expected[0] != "value":
            raise RefereeFailed(f"the referee of {exercise.name} fails on {args!r}: {self.expected}")
        reply = session.call(exercise, args)
        self.seen = ("other",)
        self.failure = self._judge(exercise, reply)
        if self.failure is not None:
            self.failure["input"] = exercise.call_text(args)
            if reply.get("printed"):
                self.failure["printed"] = reply["printed"]

    def _judge(self, exercise, reply):
        if "kind" in reply:                        # it hung or died
            return reply
        raised = reply.get("raised")
        if raised and raised["todo"]:
            text = f"it still raises NotImplementedError({raised['message']!r})"
            if raised["from"] not in (exercise.name, "<module>", None):
                text += f", from {raised['from']}, which it calls"
            return {"kind": "todo", "problem": text}
        for name, before, after in zip(exercise.params, self.args, reply["after"]):
            if not same(before, after):
                return {"kind": "mutated",
                        "problem": f"it changed its argument {name} from {show(before, 100)} "
                                   f"to {show(after, 100)}",
                        "fix": "build a new list and return it; leave the arguments as they came "
                               "(the caller may still need them)."}
        if raised:
            if not raised["exception"]:
                return {"kind": "exit", "problem": f"it raised {raised['text']}: a function "
                                                   "should return its answer, not end the program"}
            self.seen = ("raised", raised["type"])
            return {"kind": "raised", "error": raised["type"], "problem": "it raised " + raised["text"],
                    "expected": show(self.expected[1], 600)}
        try:
            got = READERS[exercise.answer](reply["answer"])
        except WrongType as error:
            return {"kind": "type", "problem": f"wrong type: it {error}",
                    "expected": show(self.expected[1], 600)}
        self.seen = ("value", got)
        found = first_difference(self.expected[1], got, exercise.tolerance)
        if not found:
            return None
        where, e, g = found
        failure = {"kind": "wrong", "problem": "wrong answer", "expected": show(self.expected[1], 600),
                   "got": show(got, 600)}
        narrow = reply.get("dtypes")
        if narrow and first_difference(self.expected[1], got, NARROW_TOLERANCE) is None:
            failure["dtype"] = (f"your answer is {' and '.join(narrow)} (float32 keeps about 7 digits): "
                                "as float64 it differs by that rounding only; "
                                "compute in float64 (np.float64, or plain Python floats).")
        if where:
            failure["difference"] = f"first difference at {where}: expected {e}, got {g}"
        elif e != failure["expected"]:    # not one number: their sizes differ
            failure["difference"] = f"expected {e}, got {g}"
        return failure


def agree(exercise, a, b):
    """Did two calls give the same answer (within the exercise's tolerance)?"""
    return a[0] == b[0] == "value" and first_difference(a[1], b[1], exercise.tolerance) is None


# ---------------------------------------------------------------------------
# Shrinking a failing input
# ---------------------------------------------------------------------------

def _number_paths(x, path=()):
    """Where the numbers are in an argument list, as index paths."""
    if isinstance(x, (list, tuple)):
        for i, v in enumerate(x):
            yield from _number_paths(v, path + (i,))
    elif isinstance(x, numbers.Real):
        yield path


def _replaced(x, path, value):
    if not path:
        return value
    copied = list(x)
    copied[path[0]] = _replaced(x[path[0]], path[1:], value)
    return tuple(copied) if isinstance(x, tuple) else copied


def _at(x, path):
    for i in path:
        x = x[i]
    return x


def simpler(x):
    """Numbers simpler than x, simplest first: 0, 1, -1, 2, and x rounded (whole numbers stay ints)."""
    def size(v):
        return (v != int(v), abs(v))
    choices = [0.0, 1.0, -1.0, 2.0, float(round(x))]
    if isinstance(x, int):   # an index, a dim, a count: 0, not 0.0
        choices = [int(v) for v in choices]
    return [v for i, v in enumerate(choices) if size(v) < size(x) and v not in choices[:i]]


SHRINKS = ("wrong", "type", "raised")


def shrink(session, exercise, attempt, evidence):
    """Make each number of a failing input simpler while it still fails the same way."""
    for where in list(_number_paths(attempt.args)):
        for value in simpler(_at(attempt.args, where)):
            try:
                again = Attempt(session, exercise, _replaced(attempt.args, where, value))
            except RefereeFailed:
                continue
            if again.failure is not None and again.failure["kind"] in ("timeout", "crashed"):
                return attempt      # it hangs or dies on simpler numbers: keep what we have
            evidence.append(again)
            if again.failure is not None and again.failure["kind"] == attempt.failure["kind"]:
                attempt = again
                break
    return attempt


# ---------------------------------------------------------------------------
# Naming the mistake
# ---------------------------------------------------------------------------

def diagnose(session, exercise, evidence, more_cases):
    """The known mistakes that explain every answer seen, calling the learner a little more if needed.

    A variant explains the answers when it agrees with the learner on every call
    where the variant gives an answer (a variant may raise outside the inputs it
    was written for, e.g. a hard-coded size: those calls say nothing) and, on at
    least one call where the learner's answer is wrong, it gives that answer.
    """
    if not exercise.misconceptions:
        return []
    cache = {}

    def variant(m, attempt):
        key = (id(m), id(attempt))
        if key not in cache:
            cache[key] = observe(exercise, m.variant, attempt.args)
        return cache[key]

    def status(m):
        explained = False
        for attempt in evidence:
            if exercise.weight(attempt.args) > DIAGNOSIS_WEIGHT or attempt.seen[0] == "other":
                continue
            if variant(m, attempt)[0] == "raised":
                continue
            if not agree(exercise, variant(m, attempt), attempt.seen):
                return "no"
            explained = explained or (attempt.failure is not None and attempt.seen[0] == "value")
        return "yes" if explained else "maybe"

    extra = [c for c in more_cases if exercise.weight(c.args) <= 1.0][:DIAGNOSIS_CALLS]
    while True:
        found = {m: status(m) for m in exercise.misconceptions}
        named = [m for m, s in found.items() if s == "yes"]
        unsure = [m for m, s in found.items() if s == "maybe"]
        if (len(named) == 1 and not unsure) or not (named or unsure) or not extra:
            return named
        args = extra.pop(0).args
        # the first plain case after the failure may have been called already (_fails_only_there)
        attempt = next((a for a in evidence if a.args is args), None)
        if attempt is None:
            attempt = Attempt(session, exercise, args)
        if attempt.failure is not None and attempt.failure["kind"] in ("timeout", "crashed",
                                                                       "mutated", "exit"):
            return named
        evidence.append(attempt)


# ---------------------------------------------------------------------------
# A verdict for one exercise
# ---------------------------------------------------------------------------

def learner_lines(path):
    """The learner's own lines, squeezed (no spaces), for "does this hint repeat them?"."""
    try:
        with open(path, encoding="utf-8", errors="replace") as file:
            text = file.read()
    except OSError:
        return set()
    lines = set()
    for line in text.splitlines():
        code = _squeeze(line.split("#")[0])
        if len(code) >= 12:
            lines.add(code)
    return lines


def _squeeze(text):
    return re.sub(r"\s+", "", text)


def repeats(text, lines):
    """Does ``text`` contain one of the learner's own lines? Then it cannot be the fix."""
    squeezed = _squeeze(text)
    return any(line in squeezed for line in lines)


def without_own_lines(hint, lines):
    """The hint's clauses ("; " between them) that do not repeat the learner's lines, or None."""
    kept = [clause for clause in hint.split("; ") if not repeats(clause, lines)]
    return "; ".join(kept) if kept else None


def grade(session, exercise, own_lines):
    """Run the cases, smallest first; stop at the first failure, shrink it, name the mistake."""
    availability = session.availability(exercise.name)
    if availability == "missing":
        return Verdict(Outcome.MISSING, f"there is no function {exercise.name} in your file")
    if availability != "ok":
        return Verdict(Outcome.FAILED, availability)
    cases = exercise.cases()
    evidence = []
    for index, case in enumerate(cases):
        attempt = Attempt(session, exercise, case.args)
        evidence.append(attempt)
        if attempt.failure is None:
            continue
        kind = attempt.failure["kind"]
        if kind == "todo":
            return Verdict(Outcome.TODO, attempt.failure["problem"])
        if kind in ("timeout", "crashed"):
            return Verdict.of_failure(Outcome(kind), attempt.failure)
        if kind == "mutated" or kind == "exit":
            return Verdict.of_failure(Outcome.FAILED, attempt.failure)
        if exercise.shrink:
            attempt = shrink(session, exercise, attempt, evidence)
        failure = attempt.failure
        about_input = kind in ("wrong", "type") or failure.get("error") in INPUT_ERRORS
        note = None
        if (case.note and about_input and not repeats(case.note, own_lines)
                and _fails_only_there(session, exercise, cases[index + 1:], evidence)):
            note = case.note   # shrinking changes numbers, never the shapes of a case
        named = [] if "dtype" in failure else diagnose(session, exercise, evidence, cases[index + 1:])
        hint = None
        if not named and hint_fits(exercise, failure, attempt):
            hint = without_own_lines(exercise.hint, own_lines)
        return Verdict.of_failure(Outcome.FAILED, failure, args=attempt.args, note=note, hint=hint,
                                  diagnosis=tuple((m.name, m.explanation) for m in named))
    return Verdict(Outcome.PASSED, cases=len(cases))


def hint_fits(exercise, failure, attempt):
    """Do the learner's answers fit the exercise's hint? Else the report shows expected against got only.

    Not for a wrong type (a generator, a None) or float32 rounding: the hint is about the numbers.
    A training recipe (hint_for "sizes") fits only an answer of the wrong sizes: for wrong
    numbers of the right sizes it would send the learner through every step of the recipe.
    """
    if "dtype" in failure:
        return False
    if failure["kind"] == "raised":
        return failure.get("error") in INPUT_ERRORS
    if failure["kind"] != "wrong":
        return False
    return exercise.hint_for == "numbers" or not same_sizes(attempt.expected[1], attempt.seen[1])


def same_sizes(expected, got):
    """Do two answers have the same nesting and lengths?"""
    if isinstance(expected, list) != isinstance(got, list):
        return False
    if not isinstance(expected, list):
        return True
    return len(expected) == len(got) and all(same_sizes(e, g) for e, g in zip(expected, got))


def _fails_only_there(session, exercise, later_cases, evidence):
    """Is a failure about its input? Only if the next plain input (one without a note) passes."""
    plain = [c for c in later_cases if not c.note and exercise.weight(c.args) <= 1.0]
    if not plain:
        return True
    attempt = Attempt(session, exercise, plain[0].args)
    if attempt.failure is None or attempt.failure["kind"] in SHRINKS:
        evidence.append(attempt)
    return attempt.failure is None
