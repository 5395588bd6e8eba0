"""Grade a rebuild of the network from memory: ``python -m grokking check FILE``.

Trask ends both posts with one piece of advice: rebuild the network from
memory. ``exercises/rebuild.py`` holds the functions to rebuild, in the book's
order; this checker grades each one against the NumPy referee
(``grokking.backend("numpy")``, and ``grokking.train(..., backend="numpy")``
for the two networks):

    python -m grokking check exercises/rebuild.py [--timeout 5] [--only w_sum,ele_mul]

For each function it prints "passed", "not done yet" (the stub still raises
NotImplementedError), "not written yet" (no such function in the file), or
the SMALLEST input where it is wrong, with the expected and the actual answer
and a hint. Cases go from small to big, and a wrong answer is then made simpler
number by number (0, 1, -1, 2, ...) for as long as it stays wrong.

What counts as right:

- a number: int, float or a NumPy scalar (not a bool, not a string);
- a vector: a list or tuple of numbers, or a 1-D NumPy array;
- a matrix: a list or tuple of rows, or a 2-D NumPy array;
- values equal to the referee's within 1e-12 (kernels) or 1e-9 (training),
  relative to the size of the number when it is bigger than 1;
- arguments left as they were: return a new list, do not change the old one.

The learner's code never runs in the checker's own process: it runs in a
worker process (multiprocessing, "spawn"), so a syntax error, an exception at
import, an endless loop (each call gets ``--timeout`` seconds; a training call
gets that much per 5,000 iterations) or even ``os._exit`` is reported, never a
crash of the checker. Exit status: 0 when every graded function passed, 1 when
one did not, 2 when the file could not be checked at all.
"""
import argparse
import contextlib
import copy
import io
import multiprocessing
import numbers
import os
import random
import sys
import traceback

DEFAULT_TIMEOUT = 5.0          # seconds per call of the learner's function
ITERATIONS_PER_TIMEOUT = 5000  # a training call gets one timeout per this many iterations
STARTUP_LIMIT = 120.0          # our own work: starting the worker, asking the referee
KERNEL_TOLERANCE = 1e-12
TRAINING_TOLERANCE = 1e-9

# ---------------------------------------------------------------------------
# What is graded: the exercises, their cases (small first) and their referee
# ---------------------------------------------------------------------------

BLOG_X = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]]
BLOG_Y_PART_1 = [[0], [0], [1], [1]]   # "11 lines" part 1: the first column decides
BLOG_Y_PART_2 = [[0], [1], [1], [0]]   # part 2: XOR of the first two columns


class Exercise:
    """One function the learner writes: its signature, its cases, its referee."""

    def __init__(self, name, params, returns, answer, cases, referee, hint,
                 tolerance=KERNEL_TOLERANCE, keywords=False, shrink=True):
        self.name = name
        self.params = params          # parameter names, for showing a call
        self.returns = returns        # what it returns, in words
        self.answer = answer          # "number", "vector", "matrix" or "matrices"
        self.cases = cases            # () -> list of Case, smallest first
        self.referee = referee        # args -> the right answer, as plain lists
        self.hint = hint
        self.tolerance = tolerance
        self.keywords = keywords      # show calls as name(param=value, ...)
        self.shrink = shrink          # simplify a failing input number by number

    @property
    def signature(self):
        return f"{self.name}({', '.join(self.params)}) -> {self.returns}"

    def call_text(self, args):
        if self.keywords:
            shown = [f"{p}={show(a)}" for p, a in zip(self.params, args)]
        else:
            shown = [show(a) for a in args]
        return f"{self.name}({', '.join(shown)})"


class Case:
    """The arguments of one call, and a hint that fits this case in particular."""

    def __init__(self, *args, note=None):
        self.args = args
        self.note = note


def _k():
    import grokking
    return grokking.backend("numpy")


def _network_weights(X, y, hidden, iterations, seed):
    import grokking
    run = grokking.train(X, y, hidden=hidden, alpha=1.0, iterations=iterations, seed=seed,
                         backend="numpy")
    return run.weights


def _gd_step_referee(weights, input, goal_pred, alpha):
    k = _k()
    delta = k.w_sum(input, weights) - goal_pred
    return k.vec_sub(weights, k.ele_mul(alpha * delta, input))


def _vector(rng, n, scale=10.0):
    return [round(rng.uniform(-scale, scale), 3) for _ in range(n)]


def _matrix(rng, rows, cols, scale=10.0):
    return [_vector(rng, cols, scale) for _ in range(rows)]


def _counting(n, start=1.0):
    """[start, start+1, ...]: small, different numbers, easy to follow by hand."""
    return [start + i for i in range(n)]


EMPTY_NOTE = "an empty input is allowed: there is nothing to add or multiply."


def _w_sum_cases():
    rng = random.Random(1)
    cases = [Case([], [], note=EMPTY_NOTE + " The sum of nothing is 0.")]
    cases += [Case(_counting(n), _counting(n, n + 1.0)) for n in (1, 2, 3)]
    cases.append(Case([8.5, 0.65, 1.2], [0.1, 0.2, 0.0]))       # the book's first game
    cases += [Case(_vector(rng, n), _vector(rng, n)) for n in range(1, 9) for _ in range(3)]
    return cases


def _ele_mul_cases():
    rng = random.Random(2)
    cases = [Case(2.0, [], note=EMPTY_NOTE + " The answer is [].")]
    cases += [Case(2.0, _counting(n, 3.0)) for n in (1, 2, 3, 4)]
    cases.append(Case(-0.14, [8.5, 0.65, 1.2]))                  # the book's weight_deltas
    cases += [Case(round(rng.uniform(-3, 3), 2), _vector(rng, n))
              for n in range(1, 9) for _ in range(3)]
    return cases


def _vect_mat_mul_cases():
    rng = random.Random(3)
    shapes = [(0, 0), (1, 1), (1, 2), (2, 1), (2, 2), (2, 3), (3, 2)]
    cases = []
    for rows, cols in shapes:
        note = None
        if rows != cols:
            note = ("the matrix need not be square: one answer per ROW of the matrix "
                    "(len(matrix) of them), each row as long as vect.")
        matrix = [_counting(cols, 1.0 + cols * r) for r in range(rows)]
        cases.append(Case(_counting(cols, 2.0), matrix, note=note))
    cases.append(Case([8.5, 0.65, 1.2], [[0.1, 0.1, -0.3], [0.1, 0.2, 0.0], [0.0, 1.3, 0.1]]))
    for rows in range(1, 5):
        for cols in range(1, 6):
            cases.append(Case(_vector(rng, cols), _matrix(rng, rows, cols)))
    return cases


def _outer_prod_cases():
    rng = random.Random(4)
    sizes = [(0, 0), (1, 1), (1, 2), (2, 1), (2, 2), (2, 3), (3, 2)]
    cases = [Case(_counting(a, 1.0), _counting(b, 1.0 + a)) for a, b in sizes]
    cases.append(Case([1, 2, 3], [2, 4, 6]))                     # the book's example
    cases += [Case(_vector(rng, a), _vector(rng, b)) for a in range(1, 5) for b in range(1, 6)]
    return cases


def _gd_step_cases():
    rng = random.Random(5)
    cases = [Case([0.5], [1.0], 1.0, 0.1), Case([0.5], [2.0], 1.0, 0.1),
             Case([0.5, -0.5], [1.0, 2.0], 1.0, 0.1),
             Case([0.1, 0.2, -0.1], [8.5, 0.65, 1.2], 1.0, 0.01)]  # the book's first step
    for n in range(1, 6):
        for _ in range(3):
            cases.append(Case(_vector(rng, n, 1.0), _vector(rng, n, 2.0),
                              round(rng.uniform(-1, 1), 2), rng.choice([0.01, 0.1, 1.0])))
    return cases


SEED_NOTE = ("with 0 iterations the answer is just the starting weights: "
             "np.random.seed(seed), then 2*np.random.random((rows, columns)) - 1 "
             "for each matrix, input side first.")
ONE_STEP_NOTE = "one iteration: forward, error = y - output, delta, then weights += layer.T . delta."


def _random_dataset(seed, rows, cols):
    rng = random.Random(seed)
    X = [[rng.choice([0, 1]) for _ in range(cols)] for _ in range(rows)]
    y = [[rng.choice([0, 1])] for _ in range(rows)]
    return X, y


def _two_layer_cases():
    X, y = _random_dataset(6, 5, 3)
    return [Case([[1]], [[1]], 0, 1, note=SEED_NOTE),
            Case(BLOG_X, BLOG_Y_PART_1, 0, 1, note=SEED_NOTE),
            Case([[1]], [[1]], 1, 1, note=ONE_STEP_NOTE),
            Case(BLOG_X, BLOG_Y_PART_1, 1, 1, note=ONE_STEP_NOTE),
            Case(BLOG_X, BLOG_Y_PART_1, 2, 1),
            Case(X, y, 10, 5),
            Case(BLOG_X, BLOG_Y_PART_1, 10000, 1, note="this is the blog's run (part 1).")]


def _three_layer_cases():
    X, y = _random_dataset(7, 5, 3)
    order = ("backpropagate with the OLD synapse_1: layer_1_error = layer_2_delta . synapse_1.T "
             "comes before synapse_1 changes.")
    return [Case([[1]], [[1]], 1, 0, 1, note=SEED_NOTE),
            Case(BLOG_X, BLOG_Y_PART_2, 4, 0, 1, note=SEED_NOTE),
            Case([[1]], [[1]], 1, 1, 1, note=order),
            Case(BLOG_X, BLOG_Y_PART_2, 4, 1, 1, note=order),
            Case(BLOG_X, BLOG_Y_PART_2, 4, 2, 1),
            Case(X, y, 3, 10, 5),
            Case(BLOG_X, BLOG_Y_PART_2, 4, 60000, 1, note="this is the blog's run (part 2).")]


EXERCISES = [
    Exercise("w_sum", ["a", "b"], "number", "number", _w_sum_cases,
             lambda a, b: _k().w_sum(a, b),
             "multiply a[i] * b[i] for EVERY i and add them all up, starting from 0."),
    Exercise("ele_mul", ["number", "vector"], "list", "vector", _ele_mul_cases,
             lambda number, vector: _k().ele_mul(number, vector),
             "output[i] = number * vector[i], and the output is as long as the vector "
             "(the book starts from [0, 0, 0], which only fits 3 numbers)."),
    Exercise("vect_mat_mul", ["vect", "matrix"], "list", "vector", _vect_mat_mul_cases,
             lambda vect, matrix: _k().vect_mat_mul(vect, matrix),
             "output[i] = w_sum(vect, matrix[i]): one weighted sum per row of the matrix "
             "(the book loops over len(vect), which only works for a square matrix)."),
    Exercise("outer_prod", ["vec_a", "vec_b"], "list of lists", "matrix", _outer_prod_cases,
             lambda vec_a, vec_b: _k().outer_prod(vec_a, vec_b),
             "output[i][j] = vec_a[i] * vec_b[j]: the row follows vec_a, the column follows vec_b."),
    Exercise("gd_step", ["weights", "input", "goal_pred", "alpha"], "new weights (list)", "vector",
             _gd_step_cases, _gd_step_referee,
             "pred = w_sum(input, weights); delta = pred - goal_pred; "
             "new weights[i] = weights[i] - alpha * delta * input[i].",
             keywords=True),
    Exercise("train_2_layer", ["X", "y", "iterations", "seed"], "synapse_0 (matrix)", "matrix",
             _two_layer_cases, lambda X, y, iterations, seed: _network_weights(
                 X, y, 0, iterations, seed)[0],
             "the blog's part 1: np.random.seed(seed); synapse_0 = 2*np.random.random((3, 1)) - 1; "
             "each iteration layer_1 = sigmoid(X . synapse_0), layer_1_delta = (y - layer_1) * "
             "layer_1 * (1 - layer_1), synapse_0 += X.T . layer_1_delta.",
             tolerance=TRAINING_TOLERANCE, keywords=True, shrink=False),
    Exercise("train_3_layer", ["X", "y", "hidden", "iterations", "seed"],
             "[synapse_0, synapse_1]", "matrices", _three_layer_cases,
             lambda X, y, hidden, iterations, seed: _network_weights(X, y, hidden, iterations, seed),
             "the blog's part 2: draw synapse_0 (inputs x hidden) THEN synapse_1 (hidden x 1) "
             "after one np.random.seed(seed); both updates use the deltas of the same forward pass.",
             tolerance=TRAINING_TOLERANCE, keywords=True, shrink=False),
]
BY_NAME = {exercise.name: exercise for exercise in EXERCISES}


def call_weight(exercise, args):
    """How many timeouts one call may take: one, or one per 5,000 training iterations."""
    if exercise.name.startswith("train_"):
        iterations = args[exercise.params.index("iterations")]
        return max(1.0, iterations / ITERATIONS_PER_TIMEOUT)
    return 1.0


# ---------------------------------------------------------------------------
# Reading and comparing answers
# ---------------------------------------------------------------------------

def show(x, limit=300):
    """A value as the learner would type it; floats at full precision, long ones cut."""
    if isinstance(x, float):
        text = repr(x)
        text = text if len(text) <= 14 else f"{x:.12g}"
    elif isinstance(x, (list, tuple)):
        text = "[" + ", ".join(show(v, limit) for v in x) + "]"
    else:
        text = repr(x)
    return text if len(text) <= limit else text[:limit - 3] + "..."


class WrongType(Exception):
    """The answer is not the kind of thing that was asked for."""


def _describe(x):
    from grokking.kernels.inputs import describe
    if isinstance(x, (list, tuple)):
        return f"a {type(x).__name__} {show(x, 60)}"
    return "a " + describe(x) if x is not None else "None (is a `return` missing?)"


def read_number(x):
    import numpy as np
    if isinstance(x, (bool, np.bool_)):
        raise WrongType(f"returned a bool ({x}); expected a number")
    if isinstance(x, numbers.Real):
        return float(x)
    if isinstance(x, np.ndarray) and x.ndim == 0 and x.dtype.kind in "iuf":
        return float(x)
    raise WrongType(f"returned {_describe(x)}; expected a number")


def read_vector(x):
    import numpy as np
    if isinstance(x, np.ndarray) and x.ndim != 1:
        raise WrongType(f"returned {_describe(x)}; expected a vector (a list, or a 1-D array)")
    if not isinstance(x, (list, tuple, np.ndarray)):
        raise WrongType(f"returned {_describe(x)}; expected a list of numbers")
    try:
        return [read_number(v) for v in x]
    except WrongType:
        raise WrongType(f"returned {_describe(x)}; expected a flat list of numbers") from None


def read_matrix(x):
    import numpy as np
    if isinstance(x, np.ndarray) and x.ndim != 2:
        raise WrongType(f"returned {_describe(x)}; expected a matrix (a list of rows, "
                        "or a 2-D array)")
    if not isinstance(x, (list, tuple, np.ndarray)):
        raise WrongType(f"returned {_describe(x)}; expected a list of rows")
    try:
        return [read_vector(row) for row in x]
    except WrongType:
        raise WrongType(f"returned {_describe(x)}; expected a list of rows, "
                        "each a list of numbers") from None


def read_matrices(x):
    if not isinstance(x, (list, tuple)) or len(x) != 2:
        raise WrongType(f"returned {_describe(x)}; expected a list [synapse_0, synapse_1]")
    return [read_matrix(m) for m in x]


READERS = {"number": read_number, "vector": read_vector, "matrix": read_matrix,
           "matrices": read_matrices}


def first_difference(expected, got, tolerance, where=""):
    """``(where, expected part, got part)`` of the first place they differ, else None."""
    if isinstance(expected, list):
        if len(expected) != len(got):
            return (where, f"{len(expected)} items", f"{len(got)} items")
        for i, (e, g) in enumerate(zip(expected, got)):
            found = first_difference(e, g, tolerance, f"{where}[{i}]")
            if found:
                return found
        return None
    if abs(expected - got) <= tolerance * max(1.0, abs(expected)):
        return None
    return (where, show(expected), show(got))


# ---------------------------------------------------------------------------
# The worker: the learner's code runs here, in a process of its own
# ---------------------------------------------------------------------------

def _load(path):
    """The learner's file as a module, or ``(None, what went wrong)``."""
    import importlib.util
    sys.path.insert(0, os.path.dirname(path))  # so the learner may import a helper file
    spec = importlib.util.spec_from_file_location("learner_solution", path)
    module = importlib.util.module_from_spec(spec)
    with _captured():
        try:
            spec.loader.exec_module(module)
        except BaseException as error:  # anything at all, even sys.exit()
            return None, f"loading it raised {_explain(error, path)}"
    return module, None


@contextlib.contextmanager
def _captured():
    """Keep the learner's prints out of the checker's report (the last lines are kept)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        yield out


def _explain(error, path):
    """``TypeError: message (line 12: return a * b)``, the line being the learner's."""
    text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if os.path.abspath(f.filename) == path]
    if frames:
        text += f" (line {frames[-1].lineno}: {(frames[-1].line or '').strip()})"
    return text


def _not_done(error, name):
    """"it still raises NotImplementedError", and from where when it is another stub."""
    text = f"it still raises NotImplementedError({str(error)!r})"
    frames = traceback.extract_tb(error.__traceback__)
    if frames and frames[-1].name not in (name, "<module>"):
        text += f", from {frames[-1].name}, which it calls"
    return text


def _try(conn, function, exercise, args, path):
    """One call of the learner's function; None when right, else what went wrong."""
    expected = exercise.referee(*copy.deepcopy(args))
    given = copy.deepcopy(args)
    conn.send(("trying", exercise.call_text(args), call_weight(exercise, args)))
    failure = None
    with _captured() as printed:
        try:
            got = READERS[exercise.answer](function(*given))
        except NotImplementedError as error:
            failure = {"kind": "todo", "problem": _not_done(error, exercise.name)}
        except WrongType as error:
            failure = {"kind": "type", "problem": f"wrong type: it {error}"}
        except BaseException as error:
            failure = {"kind": "raised " + type(error).__name__,
                       "problem": "it raised " + _explain(error, path)}
    conn.send(("returned",))
    if failure is None:
        failure = _compare(exercise, args, given, expected, got)
    if failure is not None:
        failure["input"] = exercise.call_text(args)
        failure["expected"] = show(expected, 600)
        lines = printed.getvalue().splitlines()
        if lines:
            failure["printed"] = "\n".join(lines[-5:])
    return failure


def _compare(exercise, args, given, expected, got):
    found = first_difference(expected, got, exercise.tolerance)
    if found:
        where, e, g = found
        failure = {"kind": "wrong", "problem": "wrong answer", "got": show(got, 600)}
        if where:
            failure["difference"] = f"first difference at {where}: expected {e}, got {g}"
        return failure
    for name, before, after in zip(exercise.params, args, given):
        if before != after:
            return {"kind": "mutated", "got": show(got, 600),
                    "problem": f"right answer, but it changed its argument {name} "
                               f"from {show(before, 100)} to {show(after, 100)}",
                    "difference": "build a new list and return it; leave the arguments as "
                                  "they came (the caller may still need them)."}
    return None


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
    """Numbers simpler than x, simplest first: 0, 1, -1, 2, and x rounded."""
    def size(v):
        return (v != int(v), abs(v))
    choices = [0.0, 1.0, -1.0, 2.0, float(round(x))]
    return [v for i, v in enumerate(choices) if size(v) < size(x) and v not in choices[:i]]


def _shrink(conn, function, exercise, args, failure, path):
    """Make each number of a failing input simpler while it still fails the same way."""
    for where in list(_number_paths(args)):
        for value in simpler(_at(args, where)):
            candidate = _replaced(args, where, value)
            again = _try(conn, function, exercise, candidate, path)
            if again is not None and again["kind"] == failure["kind"]:
                args, failure = candidate, again
                break
    return failure


def _grade(conn, module, exercise, path):
    """Run the cases, smallest first; stop at the first failure and shrink it."""
    function = getattr(module, exercise.name)
    cases = exercise.cases()
    for case in cases:
        failure = _try(conn, function, exercise, case.args, path)
        if failure is None:
            continue
        if failure["kind"] == "todo":
            return {"status": "todo", "problem": failure["problem"]}
        if exercise.shrink and failure["kind"] != "mutated":
            failure = _shrink(conn, function, exercise, case.args, failure, path)
        failure["status"] = "failed"
        if case.note:
            failure["note"] = case.note
        return failure
    return {"status": "passed", "cases": len(cases)}


def _found(module):
    """For each exercise: "ok", "missing", or why it cannot be called."""
    found = {}
    for exercise in EXERCISES:
        if not hasattr(module, exercise.name):
            found[exercise.name] = "missing"
        elif not callable(getattr(module, exercise.name)):
            found[exercise.name] = f"{exercise.name} is {_describe(getattr(module, exercise.name))}, not a function"
        else:
            found[exercise.name] = "ok"
    return found


def worker(conn, path):
    """Load the learner's file, then grade the functions the checker asks for, one by one."""
    import grokking  # noqa: F401  (imported before the clock starts)
    conn.send(("trying", "loading your file", 1.0))
    module, problem = _load(path)
    conn.send(("returned",))
    conn.send(("loaded", problem, _found(module) if module else {}))
    while True:
        name = conn.recv()
        if name is None:
            return
        conn.send(("verdict", _grade(conn, module, BY_NAME[name], path)))


# ---------------------------------------------------------------------------
# The checker's side: start the worker, keep the time, kill it when it hangs
# ---------------------------------------------------------------------------

class TimedOut(Exception):
    """The learner's code took longer than it may."""


class Crashed(Exception):
    """The worker process ended without an answer."""


class Worker:
    """The process the learner's code runs in, with a clock on every call."""

    def __init__(self, path, timeout):
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=worker, args=(child, path), daemon=True)
        self.process.start()
        child.close()
        self.timeout = timeout
        self.last = None    # what the learner's code was last given
        self.limit = None   # how long the current call may take

    def receive(self):
        """The next message that is not about the clock."""
        limit = STARTUP_LIMIT
        while True:
            if not self.conn.poll(limit):
                self.limit = limit
                raise TimedOut(self.last)
            try:
                message = self.conn.recv()
            except (EOFError, OSError):
                self.process.join(5)
                raise Crashed(self.process.exitcode) from None
            if message[0] == "trying":
                self.last, limit = message[1], self.timeout * message[2]
            elif message[0] == "returned":
                limit = STARTUP_LIMIT
            else:
                return message

    def grade(self, name):
        try:
            self.conn.send(name)
        except OSError:  # the worker is gone already
            self.process.join(5)
            raise Crashed(self.process.exitcode) from None
        return self.receive()[1]

    def stop(self, politely=True):
        """End the worker: ask it to return, or (after a hang) kill it at once."""
        if politely:
            with contextlib.suppress(OSError):
                self.conn.send(None)
            self.process.join(2)
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()


def _syntax_problem(path):
    """What is wrong with the file before running anything, or None."""
    try:
        with open(path, "rb") as file:
            source = file.read()
    except OSError as error:
        return f"cannot read it: {error.strerror}"
    try:
        compile(source, path, "exec")
    except SyntaxError as error:
        text = f"it has a {type(error).__name__} at line {error.lineno}: {error.msg}"
        if error.text:
            line = error.text.rstrip("\n")
            shown = line.lstrip()
            caret_at = max((error.offset or 1) - 1 - (len(line) - len(shown)), 0)
            text += f"\n      {shown}\n      {' ' * caret_at}^"
        return text
    except ValueError as error:  # e.g. a NUL byte in the file
        return f"it cannot be read as Python: {error}"
    return None


def _report(exercise, verdict, write):
    label = {"passed": "[ ok ]", "todo": "[todo]", "missing": "[    ]"}.get(verdict["status"], "[FAIL]")
    head = f"{label} {exercise.name:<14}"
    status = verdict["status"]
    if status == "passed":
        write(f"{head} passed ({verdict['cases']} cases)")
        return
    if status == "todo":
        write(f"{head} not done yet: {verdict['problem']}")
        return
    if status == "missing":
        write(f"{head} not written yet: {verdict['problem']}")
        write(f"{'':21}write {exercise.signature}")
        return
    write(f"{head} {verdict['problem']}")
    pad = " " * 7
    if "input" in verdict:
        what = "timed out on" if status == "timeout" else "smallest input where it is wrong:"
        if status == "crashed":
            what = "it was running"
        write(f"{pad}{what} {verdict['input']}")
    if "expected" in verdict:
        write(f"{pad}expected: {verdict['expected']}")
    if "got" in verdict:
        write(f"{pad}got:      {verdict['got']}")
    if "difference" in verdict:
        write(f"{pad}{verdict['difference']}")
    if "printed" in verdict:
        write(f"{pad}it printed (last lines):")
        for line in verdict["printed"].splitlines():
            write(f"{pad}  | {line}")
    if verdict.get("note"):
        write(f"{pad}note: {verdict['note']}")
    write(f"{pad}hint: {exercise.hint}")
    write(f"{pad}signature: {exercise.signature}")


def _parse(argv):
    parser = argparse.ArgumentParser(
        prog="python -m grokking check",
        description="Grade your rebuild of the network (see exercises/README.md).")
    parser.add_argument("file", help="your solution, e.g. exercises/rebuild.py")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help="time each call may take (training: per 5,000 iterations); "
                             f"default {DEFAULT_TIMEOUT:g}")
    parser.add_argument("--only", default=None, metavar="NAMES",
                        help="grade only these functions, comma-separated: "
                             + ",".join(BY_NAME))
    options = parser.parse_args(argv)
    if not options.timeout > 0:
        parser.error(f"--timeout must be a positive number of seconds, got {options.timeout}")
    names = list(BY_NAME)
    if options.only:
        names = [n.strip() for n in options.only.split(",") if n.strip()]
        unknown = [n for n in names if n not in BY_NAME]
        if unknown:
            parser.error(f"--only: no exercise named {', '.join(unknown)}; "
                         f"choose from {', '.join(BY_NAME)}")
    return options, [BY_NAME[n] for n in names]


def _grade_one(state, exercise, path, timeout):
    """Ask a worker (a fresh one if the last was killed) for one verdict."""
    if state.get("worker") is None:
        state["worker"] = Worker(path, timeout)
        state["loaded"] = state["worker"].receive()
    _, problem, found = state["loaded"]
    if problem:
        return {"status": "file", "problem": problem}
    if found[exercise.name] == "missing":
        return {"status": "missing", "problem": f"there is no function {exercise.name} in your file"}
    if found[exercise.name] != "ok":
        return {"status": "failed", "problem": found[exercise.name]}
    return state["worker"].grade(exercise.name)


def _grade_safely(state, exercise, path, timeout):
    """A verdict, even when the learner's code hangs or ends the worker."""
    try:
        return _grade_one(state, exercise, path, timeout)
    except TimedOut as error:
        worker = state.pop("worker")
        worker.stop(politely=False)
        if error.args[0] in (None, "loading your file"):
            return {"status": "file", "problem": f"loading it took longer than {worker.limit:g} s: "
                                                 "is there an endless loop outside the functions?"}
        return {"status": "timeout", "input": error.args[0],
                "problem": f"timed out: stopped after {worker.limit:g} s (an endless loop? "
                           "a while loop whose condition never changes?)"}
    except Crashed as error:
        worker = state.pop("worker")
        worker.stop(politely=False)
        if worker.last in (None, "loading your file"):
            return {"status": "file", "problem": f"loading it ended the process (exit code "
                                                 f"{error.args[0]})"}
        return {"status": "crashed", "input": worker.last,
                "problem": f"it ended the process (exit code {error.args[0]}): "
                           "did it call os._exit() or crash Python?"}


def main(argv=None):
    """``python -m grokking check FILE [--timeout S] [--only NAMES]``; returns the exit status."""
    try:
        options, exercises = _parse(sys.argv[1:] if argv is None else argv)
    except SystemExit as stop:   # argparse has printed the usage and the problem
        return stop.code
    path = os.path.abspath(options.file)
    print(f"Checking {options.file} against the NumPy referee "
          f"({options.timeout:g} s per call)\n")
    if not os.path.isfile(path):
        print(f"There is no file {options.file} (looked for {path}).")
        print("Start from a copy of exercises/rebuild.py: cp exercises/rebuild.py mine.py")
        return 2
    problem = _syntax_problem(path)
    if problem:
        print(f"Your file cannot run yet: {problem}")
        return 1
    state, passed = {}, 0
    try:
        for exercise in exercises:
            verdict = _grade_safely(state, exercise, path, options.timeout)
            if verdict["status"] == "file":
                print(f"Your file cannot run yet: {verdict['problem']}")
                return 1
            _report(exercise, verdict, print)
            passed += verdict["status"] == "passed"
    finally:
        if state.get("worker") is not None:
            state["worker"].stop()
    print(f"\n{passed} of {len(exercises)} passed.", end=" ")
    if passed == len(exercises) == len(EXERCISES):
        print("You rebuilt it from memory.")
        return 0
    if passed == len(exercises):
        print("Check without --only to grade the others too.")
        return 0
    print("Not there yet: fix the first one that is not ok, then check again.")
    return 1


if __name__ == "__main__":
    sys.exit(main())
