"""Mutation testing of the checker: every one-edit mutant of a right solution must fail, or be harmless.

``mutants(source, functions)`` makes every one-edit change of the named
functions of a file (an AST mutator of our own, the edits a learner's slip
makes): ``+``/``-`` and ``*``/``/`` swapped, a number changed (0 -> 1, 1 -> 0
and 2, n -> n + 1), a comparison flipped (``<`` -> ``>=`` and ``<=``, ...),
a statement dropped, a ``.T`` or ``.transpose()`` dropped, a ``range``
shortened (``range(n)`` -> ``range(n - 1)``, ``range(a, b)`` -> ``range(a + 1, b)``
and ``range(a, b - 1)``), two arguments of a call or the two sides of ``-``,
``/`` swapped, ``and``/``or`` swapped, a minus sign dropped.

``Grader`` grades every mutant in this one process, one after the other, with
the checker's own ``grading.grade`` (a ``Session`` that calls the functions
here instead of in a worker process, with a timer per call) and the referee's
answers cached, so a whole sheet takes seconds.
"""
import ast
import copy
import dataclasses
import signal
import types
import warnings

from grokking.checker import grading, worker

CALL_LIMIT = 5.0    # seconds per call (times the exercise's weight), as the command's default


# ---------------------------------------------------------------------------
# The mutator
# ---------------------------------------------------------------------------

SWAPS = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult}
FLIPS = {ast.Lt: [ast.GtE, ast.LtE], ast.LtE: [ast.Gt, ast.Lt], ast.Gt: [ast.LtE, ast.GtE],
         ast.GtE: [ast.Lt, ast.Gt], ast.Eq: [ast.NotEq], ast.NotEq: [ast.Eq], ast.Is: [ast.IsNot],
         ast.IsNot: [ast.Is], ast.In: [ast.NotIn], ast.NotIn: [ast.In]}


def _numbers(value):
    """What a number may become: 0 -> 1, 1 -> 0 and 2, n -> n + 1."""
    if isinstance(value, bool):
        return [not value]
    if value == 0:
        return [type(value)(1)]
    if value == 1:
        return [type(value)(0), type(value)(2)]
    return [value + 1]


def _minus_one(node):
    return ast.BinOp(node, ast.Sub(), ast.Constant(1))


def _edits(node):
    """(what, a function that makes the change in place) for every one-edit mutant at this node."""
    edits = []
    if isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in SWAPS:
        new = SWAPS[type(node.op)]
        edits.append((f"{type(node.op).__name__} -> {new.__name__}",
                      lambda n, new=new: setattr(n, "op", new())))
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Sub, ast.Div, ast.MatMult, ast.Pow)):
        def swap_sides(n):
            n.left, n.right = n.right, n.left
        edits.append(("the two sides swapped", swap_sides))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.Not)):
        edits.append((f"{type(node.op).__name__} dropped", lambda n: n.operand))
    if isinstance(node, ast.BoolOp):
        other = ast.Or if isinstance(node.op, ast.And) else ast.And
        edits.append((f"-> {other.__name__}", lambda n, other=other: setattr(n, "op", other())))
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        for value in _numbers(node.value):
            edits.append((f"{node.value!r} -> {value!r}",
                          lambda n, value=value: setattr(n, "value", value)))
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        for new in FLIPS.get(type(node.ops[0]), []):
            edits.append((f"{type(node.ops[0]).__name__} -> {new.__name__}",
                          lambda n, new=new: setattr(n, "ops", [new()])))
    if isinstance(node, ast.Attribute) and node.attr == "T":
        edits.append((".T dropped", lambda n: n.value))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and not node.args \
            and node.func.attr == "transpose":
        edits.append((".transpose() dropped", lambda n: n.func.value))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range":
        if len(node.args) == 1:
            edits.append(("range(n) -> range(n - 1)",
                          lambda n: setattr(n, "args", [_minus_one(n.args[0])])))
        elif len(node.args) == 2:
            edits.append(("range(a, b) -> range(a + 1, b)", lambda n: setattr(
                n, "args", [ast.BinOp(n.args[0], ast.Add(), ast.Constant(1)), n.args[1]])))
            edits.append(("range(a, b) -> range(a, b - 1)",
                          lambda n: setattr(n, "args", [n.args[0], _minus_one(n.args[1])])))
    elif isinstance(node, ast.Call) and len(node.args) >= 2:
        for i in range(len(node.args) - 1):
            def swap(n, i=i):
                n.args[i], n.args[i + 1] = n.args[i + 1], n.args[i]
            edits.append((f"arguments {i + 1} and {i + 2} swapped", swap))
    for name in ("body", "orelse"):
        statements = getattr(node, name, None)
        if isinstance(statements, list) and statements and isinstance(statements[0], ast.stmt):
            for i, statement in enumerate(statements):
                if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
                    continue   # a docstring
                def drop(n, name=name, i=i):
                    body = getattr(n, name)
                    body[i] = ast.Pass()
                edits.append((f"statement dropped: {ast.unparse(statement).splitlines()[0][:60]}", drop))
    return edits


def _sites(tree, functions):
    """Every node of the named functions (methods too, as Class.name), in a fixed order."""
    found = []
    for top in tree.body:
        nodes = [top] if isinstance(top, ast.FunctionDef) else (
            [f for f in top.body if isinstance(f, ast.FunctionDef)] if isinstance(top, ast.ClassDef) else [])
        for function in nodes:
            name = function.name if top is function else f"{top.name}.{function.name}"
            if name in functions:
                found += [(name, node) for node in ast.walk(function)]
    return found


@dataclasses.dataclass
class Mutant:
    function: str      # where the edit is
    line: int
    edit: str          # what it is
    source: str

    @property
    def key(self):
        return f"{self.function}:{self.line}: {self.edit}"


def mutants(source, functions):
    """Every one-edit mutant of ``functions`` in ``source`` (its text is new code, not the original)."""
    tree = ast.parse(source)
    result = []
    for index, (function, node) in enumerate(_sites(tree, functions)):
        for number, (what, _) in enumerate(_edits(node)):
            copied = copy.deepcopy(tree)
            site = _sites(copied, functions)[index][1]
            change = _edits(site)[number][1]
            replaced = change(site)
            if isinstance(replaced, ast.AST):        # the node itself is replaced
                _replace(copied, site, replaced)
            text = ast.unparse(ast.fix_missing_locations(copied))
            result.append(Mutant(function, getattr(node, "lineno", 0), what, text))
    return result


def _replace(tree, old, new):
    for parent in ast.walk(tree):
        for name, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, name, new)
                return
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if item is old:
                        value[i] = new
                        return
    raise AssertionError("a node without a parent")


# ---------------------------------------------------------------------------
# Grading mutants in this process
# ---------------------------------------------------------------------------

class CallTimedOut(BaseException):
    """A mutant's call took longer than it may (an endless loop)."""


def _alarm(signum, frame):
    raise CallTimedOut()


class HereSession:
    """``grading.Session``'s two calls, for a module loaded in this process: no worker, a timer per call."""

    def __init__(self, module, names):
        self.module, self.names = module, names

    def availability(self, name):
        if not hasattr(self.module, name):
            return "missing"
        return "ok" if callable(getattr(self.module, name)) else f"{name} is not a function"

    def call(self, exercise, args):
        limit = CALL_LIMIT * exercise.weight(args)
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            reply = worker.answer(self.module, exercise.name, copy.deepcopy(args), "<mutant>")
        except CallTimedOut:
            return {"kind": "timeout", "problem": f"timed out: stopped after {limit:g} s"}
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        if reply.get("raised", {}).get("type") == "CallTimedOut":
            return {"kind": "timeout", "problem": f"timed out: stopped after {limit:g} s"}
        return grading.read_reply(reply, len(args))


def _cached(function):
    answers = {}

    def cached(*args):
        key = repr(args)
        if key not in answers:
            try:
                answers[key] = ("value", function(*args))
            except Exception as error:
                answers[key] = ("raised", error)
        kind, value = answers[key]
        if kind == "raised":
            raise value
        return copy.deepcopy(value)
    return cached


class Grader:
    """Grades mutants of one sheet with the checker's own ``grade``; the referee answers once per input."""

    def __init__(self, exercises):
        self.exercises = []
        for exercise in exercises:
            cases = exercise.cases()
            self.exercises.append(dataclasses.replace(exercise, referee=_cached(exercise.referee),
                                                      cases=lambda cases=cases: cases))

    def verdicts(self, source, changed=None):
        """{exercise: status} for a module's source; stops at the first exercise that does not pass.

        changed: the one function a mutant changed; then only the exercises that reach it are
        graded (the others run the right solution's code, which passes).
        """
        module = types.ModuleType("mutant")
        try:
            exec(compile(source, "<mutant>", "exec"), module.__dict__)
        except Exception as error:
            return {"<module>": f"failed to load: {error!r}"}
        session = HereSession(module, [e.name for e in self.exercises])
        reach = reaching(source, changed) if changed else None
        verdicts = {}
        for exercise in self.exercises:
            if reach is not None and exercise.name not in reach:
                continue
            with warnings.catch_warnings():   # a mutant dividing by zero, say: its answer tells
                warnings.simplefilter("ignore")
                verdicts[exercise.name] = grading.grade(session, exercise, set()).outcome.value
            if verdicts[exercise.name] != "passed":
                break
        return verdicts

    def passes(self, source, changed=None):
        return all(status == "passed" for status in self.verdicts(source, changed).values())


def reaching(source, changed):
    """The top-level functions that call ``changed`` (a function, or Class.method: then all of them)."""
    tree = ast.parse(source)
    calls = {node.name: {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
             for node in tree.body if isinstance(node, ast.FunctionDef)}
    if "." in changed:
        return set(calls)
    reach, grown = {changed}, True
    while grown:
        more = {name for name, used in calls.items() if used & reach}
        grown = not more <= reach
        reach |= more
    return reach
