"""Every code example in README.md and exercises/README.md runs as shown.

The examples are read from the two files, not copied here: the ```python blocks run
statement by statement, and a comment that states a value (``# 0.98 (printed as
0.9800000000000001: floats!)``, ``# [0.555, 0.98, 0.965]``) is checked against what the
statement gives. The commands (```sh blocks, indented blocks, and `python ...` in the
text) either run, with what the text says they do checked, or sit in SKIPPED with the
reason; a command in neither list fails the test, so a new example gets a decision.
"""
import ast
import inspect
import io
import math
import re
import shlex
import shutil
import subprocess
import sys
from contextlib import redirect_stdout
from pathlib import Path

import pytest

import grokking
from marks import needs_compiled

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
EXERCISES = (ROOT / "exercises" / "README.md").read_text(encoding="utf-8")
FUNCTIONS = ["w_sum", "ele_mul", "vect_mat_mul", "outer_prod", "gd_step", "train_2_layer",
             "train_3_layer"]   # exercises/rebuild.py's, in its order


# -- reading the examples -------------------------------------------------------------

def fenced(text, language):
    """The bodies of the ```language blocks."""
    return re.findall(rf"^```{language}\n(.*?)^```", text, re.MULTILINE | re.DOTALL)


def indented(text):
    """The lines of the indented (4-space) code blocks outside fences."""
    outside = re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)
    return re.findall(r"(?:^|\n)\n((?:    \S.*\n?)+)", outside)


def commands():
    """Every shell command the two READMEs show, once each, in order."""
    found = []
    for text in (README, EXERCISES):
        blocks = fenced(text, "sh") + indented(text)
        lines = [line.strip() for block in blocks for line in block.splitlines()]
        lines += re.findall(r"`((?:[A-Z_]+=\S+ )*(?:python3?|\.venv/bin/python) [^`]+)`", text)
        for line in lines:
            if line and line not in found:
                found.append(line)
    return found


def as_run_here(command):
    """The command with this test's Python in place of `python`, `python3` or `.venv/bin/python`."""
    return re.sub(r"(?<![\w/.-])(?:\.venv/bin/python|python3?)(?= )", shlex.quote(sys.executable),
                  command)


# -- the commands ---------------------------------------------------------------------

SKIPPED = {
    "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/python -m grokking run all":
        "makes a venv and builds the package (minutes); every chapter has its own test",
    "python3 -m venv .venv && .venv/bin/pip install \".[test,plot]\" && "
    "GROKKING_REQUIRE_CYTHON=1 .venv/bin/python -m pytest -n auto":
        "makes a venv and runs this whole test suite: CI runs exactly this line (.ci/run)",
    "rm -rf .venv-fma && python3 -m venv .venv-fma && CFLAGS=\"-O3 -march=haswell\" "
    ".venv-fma/bin/pip install --no-cache-dir -q \".[test]\" && "
    "GROKKING_REQUIRE_CYTHON=1 .venv-fma/bin/python -m pytest -q -m exact":
        "builds a second copy with FMA instructions (minutes): CI runs it (.ci/run)",
    "GROKKING_REQUIRE_CYTHON=1 .venv/bin/python -m pytest -n auto": "this whole test suite",
    "bash tools/package.sh": "builds the wheel and the sdist and tests the wheel in a new venv (minutes): "
                             "CI runs it (.ci/run)",
    ".venv/bin/python setup.py build_ext --inplace": "rebuilds the extensions in the checkout",
    "python -m grokking run all > log 2>&1": "runs every chapter (minutes); each has its own test",
    "python -m grokking bench": "minutes of timing; tests/tools/test_bench.py runs --tiny",
    "python -m grokking bench --agreement --markdown BENCHMARKS.md":
        "minutes of timing, and rewrites BENCHMARKS.md",
    "python -m grokking annotate [DIR]": "[DIR] is a placeholder; needs Cython itself",
    "python -m grokking run N --help": "N is a placeholder; tests/lessons/test_cli.py runs `run 4 --help` "
                                       "and `run 10 --help`",
    "python -m grokking lab grokking-lab --open": "opens a browser; tests/lab/test_lab.py runs "
                                                  "`lab DIR --quick`, tests/lab/test_lab_browser.py opens it",
    "python -m grokking notebook 7 notebooks": "trains chapter 7 for ~25 s in a kernel; "
                                               "tests/lab/test_notebook_command.py runs `notebook 1 DIR`",
    "python -m grokking notebook all notebooks": "every chapter (minutes); "
                                                 "tests/lab/test_notebook_command.py checks what `all` selects",
}


def chapters_listed(result):
    numbers = re.findall(r"^\s*(\d+)\s+\S", result.stdout, re.MULTILINE)
    files = sorted(int(path.name[2:4]) for path in (ROOT / "chapters").glob("ch[0-9][0-9]_*.py"))
    assert numbers == [str(n) for n in files] and numbers[:11] == [str(n) for n in range(1, 12)], \
        result.stdout


def backend_said(result):
    active = re.search(r"active backend: (\w+)", result.stdout)
    built = re.search(r"compiled backend built: (yes|no)", result.stdout)
    assert active and active.group(1) in grokking.BACKENDS, result.stdout
    assert built and built.group(1) == ("yes" if grokking.compiled_available() else "no")


def version_said(result):
    assert result.stdout == f"grokking-loops {grokking.__version__}\n", result.stdout


def chapter_ran(backend=None):
    def check(result):
        last = result.stdout.strip().splitlines()[-1]
        assert last.startswith(f"Backend: {backend or ''}"), last
    return check


def lab_usage(result):
    assert result.stdout.startswith("usage: python -m grokking lab [-h] [--open] [--quick]"), result.stdout


def graded(functions):
    """The checker on the stubs as shipped: each one "not done yet", exit status 1."""
    def check(result):
        marks = re.findall(r"^\[(.{4})\] (\w+)", result.stdout, re.MULTILINE)
        assert marks == [("todo", name) for name in functions], result.stdout
        assert f"0 of {len(functions)} passed" in result.stdout
    check.returncode = 1
    return check


RUN = {   # command: what its output must show (exit status 0 unless the check says otherwise)
    "python -m grokking chapters": chapters_listed,
    "python -m grokking backend": backend_said,
    "python -m grokking --version": version_said,
    "python -m grokking run 4": chapter_ran(),
    "python chapters/ch04_one_layer_network.py --backend pure": chapter_ran("pure"),
    "python chapters/ch04_one_layer_network.py --backend cython": chapter_ran("cython"),
    ".venv/bin/python -m grokking check exercises/rebuild.py": graded(FUNCTIONS),
    "python -m grokking lab --help": lab_usage,
    "python -m grokking check exercises/rebuild.py": graded(FUNCTIONS),
    "python -m grokking check exercises/rebuild.py --only w_sum,ele_mul   # just these":
        graded(["w_sum", "ele_mul"]),
    "python -m grokking check mine.py --timeout 2                          # your own copy":
        graded(FUNCTIONS),
}


def test_every_command_is_run_or_skipped_with_a_reason():
    found = commands()
    assert not set(RUN) & set(SKIPPED)
    assert [c for c in found if c not in RUN and c not in SKIPPED] == []
    assert sorted(set(RUN) | set(SKIPPED)) == sorted(found)   # nothing listed here that is gone


@pytest.mark.parametrize("command", [
    pytest.param(c, marks=[needs_compiled] if "cython" in c else [], id=c.split("#")[0].strip())
    for c in RUN])
def test_the_command_runs_as_shown(command, tmp_path):
    cwd = ROOT
    if "check" in command:   # in a copy, as exercises/README.md says: cp exercises/rebuild.py mine.py
        (tmp_path / "exercises").mkdir()
        shutil.copy(ROOT / "exercises" / "rebuild.py", tmp_path / "exercises" / "rebuild.py")
        assert "`cp exercises/rebuild.py mine.py`" in EXERCISES
        subprocess.run(["cp", "exercises/rebuild.py", "mine.py"], cwd=tmp_path, check=True)
        cwd = tmp_path
    result = subprocess.run(as_run_here(command), shell=True, cwd=cwd, capture_output=True,
                            text=True, timeout=300)
    check = RUN[command]
    assert result.returncode == getattr(check, "returncode", 0), result.stdout + result.stderr
    check(result)


# -- the Python examples --------------------------------------------------------------

def stated_value(comment):
    """The value a comment states (a number or a list at its start), or None."""
    match = re.match(r"#\s*(\[[^\]]*\]|-?\d[\d.eE+-]*)", comment)
    return ast.literal_eval(match.group(1)) if match else None


def close(got, expected):
    if isinstance(expected, list):
        return len(got) == len(expected) and all(close(g, e) for g, e in zip(got, expected))
    return math.isclose(got, expected, rel_tol=1e-12, abs_tol=1e-12)


def run_block(block):
    """Run a ```python block statement by statement; ``[(source, value, comment), ...]``."""
    lines = block.splitlines()
    namespace, results = {}, []
    for statement in ast.parse(block).body:
        source = "\n".join(lines[statement.lineno - 1:statement.end_lineno])
        comment = lines[statement.end_lineno - 1][statement.end_col_offset:].strip()
        printed = io.StringIO()
        with redirect_stdout(printed):
            if isinstance(statement, ast.Expr):
                value = eval(compile(ast.Expression(statement.value), "README.md", "eval"),
                             namespace)
            else:
                exec(compile(ast.Module([statement], []), "README.md", "exec"), namespace)
                value = None
        results.append((source, value, comment, printed.getvalue()))
    return results


def python_blocks():
    return [pytest.param(block, id=f"README-{i}") for i, block in enumerate(fenced(README, "python"))] \
        + [pytest.param(block, id=f"exercises-{i}") for i, block in enumerate(fenced(EXERCISES, "python"))]


def test_the_readme_has_python_examples():
    assert len(fenced(README, "python")) >= 1


@needs_compiled   # the example calls the compiled backend by name
@pytest.mark.parametrize("block", python_blocks())
def test_each_python_example_gives_what_its_comment_says(block):
    checked = 0
    for source, value, comment, printed in run_block(block):
        expected = stated_value(comment)
        if expected is not None:
            assert close(list(value) if not isinstance(expected, (int, float)) else value,
                         expected), f"{source}  gives {value!r}, the comment says {comment}"
            checked += 1
        shown = re.search(r"printed as ([^:)\s]+)", comment)
        if shown:
            assert repr(value) == shown.group(1), f"{source}  prints {value!r}, not {shown.group(1)}"
        if source.startswith("print(grokking.backend().name)"):
            assert printed.strip() in grokking.BACKENDS
    assert checked == len(re.findall(r"#\s*(?:\[|-?\d)", block))   # every value stated was checked


# -- what the text says in passing ----------------------------------------------------

@pytest.mark.parametrize("name", grokking.BACKENDS)
def test_what_the_readme_says_of_every_backend(name):
    if name == "cython" and not grokking.compiled_available():
        pytest.skip("compiled backend not built")
    k = grokking.backend(name)
    # "relu(-0.0) is 0.0 on every backend, as NumPy's maximum(-0.0, 0.0) is."
    assert "`relu(-0.0)` is `0.0` on every" in README
    assert math.copysign(1.0, k.relu([-0.0])[0]) == 1.0
    # "something that is not a number raises TypeError naming the argument (w_sum: a[2] ...)"
    message = re.search(r"\(`(w_sum: a\[2\] must be a number, got str 'x')`\)", README).group(1)
    with pytest.raises(TypeError) as error:
        k.w_sum([8.5, 0.65, "x"], [0.1, 0.2, 0.0])
    assert str(error.value) == message


def test_the_train_signature_is_as_shown():
    shown = re.search(r"`grokking\.train\(([^`]*)\)`", README).group(1)
    parameters = list(inspect.signature(grokking.train).parameters.values())
    for written, parameter in zip(shown.split(", "), parameters):
        assert written == str(parameter)
    assert all(p.default is not inspect.Parameter.empty
               for p in parameters[len(shown.split(", ")):])   # the rest are optional
