"""Grade a rebuild of the network from memory: ``python -m grokking check FILE``.

Trask ends both posts with one piece of advice: rebuild the network from
memory. ``exercises/rebuild.py`` holds the functions to rebuild, in the book's
order (and ``batches.py``, ``convolution.py``, ``framework.py`` there the book's
chapters 8, 10 and 13: the sheet is chosen by the functions the file defines);
this checker grades each one against the sheet's referee (NumPy for ``rebuild.py``,
the package's own ``grokking.networks.digits``, ``.convolution`` and ``.framework``
on the numpy backend for the others; the report's first line names it):

    python -m grokking check exercises/rebuild.py [--timeout 5] [--only w_sum,ele_mul] [--json]

For each function it prints "passed", "not done yet" (the stub still raises
NotImplementedError), "not written yet" (no such function in the file), or
the SMALLEST input where it is wrong, with the expected and the actual answer,
the known mistake it looks like when there is one, else a hint. Cases go from
small to big, and a wrong answer is then made simpler number by number
(0, 1, -1, 2, ...) for as long as it stays wrong.

What counts as right:

- a number: int, float or a NumPy scalar (not a bool, not a string);
- a vector: a list or tuple of numbers, or a 1-D NumPy array;
- a matrix: a list or tuple of rows, or a 2-D NumPy array (no rows: [] or
  an empty array);
- values equal to the referee's within 1e-12 (kernels) or 1e-9 (training),
  relative to the size of the number when it is bigger than 1;
- arguments left as they were: return a new list, do not change the old one.

The learner's code never runs in the checker's own process: a worker process
(``grokking.checker.worker``) loads the file and only answers calls. The referee,
the comparison, the shrinking and the hints are all computed here
(``grokking.checker.grading``), so nothing the learner's module patches can
change a verdict (and every referee is imported before the learner's file is
loaded, so rewriting grokking's files on disk comes too late); a syntax error, an exception at import, an endless loop (each
call gets ``--timeout`` seconds; a training call that much per 5,000
iterations) or ``os._exit`` is reported, never a crash of the checker. Exit
status: 0 when every graded function passed, 1 when one did not, 2 when the
file could not be checked at all.
"""
import argparse
import ast
import json
import os
import sys

from .sheets import BY_NAME, EXERCISES, REFEREES, SHEETS, STUB_FILES, load_referees
from .grading import FileProblem, Session, grade, learner_lines
from .verdict import Outcome

DEFAULT_TIMEOUT = 5.0          # seconds per call of the learner's function


def _syntax_problem(source, path):
    """What is wrong with the file before running anything, or None."""
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


def chosen_exercises(source, only=None):
    """The exercises to grade: those named by --only, else every sheet the file has a function of."""
    if only:
        return [BY_NAME[name] for name in only]
    defined = {node.name for node in ast.parse(source).body
               if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
    sheets = [s for s, exercises in SHEETS.items() if any(e.name in defined for e in exercises)]
    return [e for e in EXERCISES if e.sheet in (sheets or ["rebuild"])]


def learner_calls(source):
    """{function of the learner's file: the names it uses}, for "it calls one that failed"."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return {}
    return {node.name: {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
            for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}


def blame_callee(exercise, verdict, calls, failed):
    """A failure in a function that calls one that failed points at that one first, without a hint."""
    callees = [name for name in failed if name in calls.get(exercise.name, ())]
    if verdict.outcome is not Outcome.FAILED or not callees:
        return verdict
    return verdict.but(callee=callees[0], hint=None)


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
    parser.add_argument("--json", action="store_true",
                        help="print one JSON document (for teachers): a verdict per exercise")
    options = parser.parse_args(argv)
    if not options.timeout > 0:
        parser.error(f"--timeout must be a positive number of seconds, got {options.timeout}")
    if options.only:
        options.only = [n.strip() for n in options.only.split(",") if n.strip()]
        unknown = [n for n in options.only if n not in BY_NAME]
        if unknown:
            parser.error(f"--only: no exercise named {', '.join(unknown)}; "
                         f"choose from {', '.join(BY_NAME)}")
    return options


def _file_problem(options, path, problem, status, write):
    if options.json:
        write(json.dumps({"file": options.file, "problem": problem, "passed": 0,
                          "total": None, "exercises": []}, indent=2))
    else:
        write(problem)
    return status


def main(argv=None):
    """``python -m grokking check FILE [--timeout S] [--only NAMES] [--json]``; the exit status."""
    try:
        options = _parse(sys.argv[1:] if argv is None else argv)
    except SystemExit as stop:   # argparse has printed the usage and the problem
        return stop.code
    write = print
    path = os.path.abspath(options.file)
    if not os.path.isfile(path):
        return _file_problem(options, path, f"There is no file {options.file} (looked for {path}).\n"
                             "Start from a copy of exercises/rebuild.py: cp exercises/rebuild.py "
                             "mine.py", 2, write)
    try:
        with open(path, "rb") as file:
            source = file.read()
    except OSError as error:
        return _file_problem(options, path, f"Your file cannot run yet: cannot read it: "
                             f"{error.strerror}", 1, write)
    problem = _syntax_problem(source, path)
    if problem:
        return _file_problem(options, path, f"Your file cannot run yet: {problem}", 1, write)
    exercises = chosen_exercises(source, options.only)
    if not options.json:
        referees = "; ".join(dict.fromkeys(REFEREES[e.sheet] for e in exercises))
        write(f"Checking {options.file} against {referees} ({options.timeout:g} s per call)\n")
    load_referees()
    session = Session(path, [e.name for e in exercises], options.timeout)
    own_lines = learner_lines(path)
    records, passed = [], 0
    width = max(14, *(len(e.name) + 1 for e in exercises))
    calls, failed = learner_calls(source), []
    try:
        for exercise in exercises:
            verdict = blame_callee(exercise, grade(session, exercise, own_lines), calls, failed)
            if not verdict.passed:
                failed.append(exercise.name)
            if not options.json:
                for line in verdict.lines(exercise, width):
                    write(line)
            records.append(verdict.as_json(exercise))
            passed += verdict.passed
    except FileProblem as error:
        return _file_problem(options, path, f"Your file cannot run yet: {error}", 1, write)
    finally:
        session.stop()
    everything = passed == len(exercises)
    if options.json:
        write(json.dumps({"file": options.file, "problem": None, "passed": passed,
                          "total": len(exercises), "exercises": records}, indent=2))
        return 0 if everything else 1
    write(f"\n{passed} of {len(exercises)} passed.", end=" ")
    if everything and not options.only:
        sheet = exercises[0].sheet
        others = [STUB_FILES[s] for s in SHEETS if s != sheet]
        write("You rebuilt it from memory." + (f" Next: {', '.join(others)}." if others else ""))
    elif everything:
        write("Check without --only to grade the others too.")
    else:
        write("Not there yet: fix the first one that is not ok, then check again.")
    return 0 if everything else 1


if __name__ == "__main__":
    sys.exit(main())
