"""A verdict on one exercise, and the two ways it is shown: the report's lines and ``--json``.

``grading.grade`` makes a ``Verdict``; ``command`` prints it. The format of
both lives here, in one place.
"""
import enum
from dataclasses import dataclass, field, fields, replace


class Outcome(enum.Enum):
    PASSED = "passed"
    FAILED = "failed"
    TODO = "todo"            # the stub still raises NotImplementedError
    MISSING = "missing"      # no such function in the file
    TIMEOUT = "timeout"
    CRASHED = "crashed"


LABELS = {Outcome.PASSED: "[ ok ]", Outcome.TODO: "[todo]", Outcome.MISSING: "[    ]"}
JSON_KEYS = ("exercise", "status", "problem", "input", "args", "expected", "got", "difference",
             "dtype", "callee", "diagnosis", "hint", "note", "printed", "cases")


@dataclass(frozen=True)
class Verdict:
    """What the checker found for one exercise; fields that do not apply stay None (or empty)."""
    outcome: Outcome
    problem: str = None        # the report's first line: "wrong answer", "it raised ..."
    input: str = None          # the call that failed (or hung), as text
    args: tuple = None         # the smallest failing input, for a wrong answer, type or exception
    expected: str = None
    got: str = None
    difference: str = None     # where they first differ
    dtype: str = None          # a float32 answer off by its rounding only: says so
    callee: str = None         # a function of the learner's this one calls, which failed first
    diagnosis: tuple = ()      # the known mistakes the answers match: (name, explanation) pairs
    hint: str = None
    fix: str = None            # for a changed argument: what to do instead (shown alone)
    note: str = None           # about the failing input (an empty list, a matrix not square)
    printed: tuple = ()        # the last lines the failing call printed
    cases: int = None          # for a pass: how many inputs were tried

    @classmethod
    def of_failure(cls, outcome, failure, **more):
        """A verdict from grading's failure record (a dict), keeping the fields a verdict has."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in failure.items() if k in known}
        values["printed"] = tuple(values.get("printed", ()))
        return cls(outcome, **dict(values, **more))

    @property
    def passed(self):
        return self.outcome is Outcome.PASSED

    def but(self, **changes):
        return replace(self, **changes)

    def lines(self, exercise, width=14):
        """The report's lines for this verdict."""
        head = f"{LABELS.get(self.outcome, '[FAIL]')} {exercise.name:<{width}}"
        if self.outcome is Outcome.PASSED:
            return [f"{head} passed ({self.cases} cases)"]
        if self.outcome is Outcome.TODO:
            return [f"{head} not done yet: {self.problem}"]
        if self.outcome is Outcome.MISSING:
            return [f"{head} not written yet: {self.problem}", f"{'':{width + 7}}write {exercise.signature}"]
        pad = " " * 7
        lines = [f"{head} {self.problem}"]
        if self.input is not None:
            what = {Outcome.TIMEOUT: "timed out on", Outcome.CRASHED: "it was running"}.get(
                self.outcome, "smallest input where it is wrong:" if self.args is not None else "on")
            lines.append(f"{pad}{what} {self.input}")
        if self.fix is not None:                      # a changed argument: that alone
            return lines + [f"{pad}{self.fix}"]
        for value, label in ((self.expected, "expected:"), (self.got, "got:     ")):
            if value is not None:
                lines.append(f"{pad}{label} {value}")
        if self.difference:
            lines.append(f"{pad}{self.difference}")
        if self.dtype:
            lines.append(f"{pad}why: {self.dtype}")
        if self.callee:
            lines.append(f"{pad}first fix {self.callee}: {exercise.name} calls it, and it failed above "
                         "(that may be all that is wrong here).")
        if self.printed:
            lines.append(f"{pad}it printed (last lines):")
            lines += [f"{pad}  | {line}" for line in self.printed]
        lines += [f"{pad}this looks like a known mistake, {name}: {explanation}"
                  for name, explanation in self.diagnosis]
        if self.note:
            lines.append(f"{pad}note: {self.note}")
        if self.hint:
            lines.append(f"{pad}hint: {self.hint}")
        if self.args is not None:
            lines.append(f"{pad}signature: {exercise.signature}")
        return lines

    def as_json(self, exercise):
        """The verdict for ``--json``: always the same keys, null when they do not apply."""
        record = {key: getattr(self, key, None) for key in JSON_KEYS}
        record.update(exercise=exercise.name, status=self.outcome.value, printed=list(self.printed),
                      diagnosis=[{"name": n, "explanation": e} for n, e in self.diagnosis])
        if self.fix is not None:
            record["hint"] = self.fix
        if self.args is not None:
            record["args"] = list(self.args)
        return record
