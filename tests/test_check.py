"""The exercise checker: it grades the stubs as not done, a right rebuild as passing,
and survives every way a learner's file can go wrong."""
import ast
import os
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from grokking import check

HERE = Path(__file__).parent
SOLUTIONS = HERE / "solutions"
STUBS = HERE.parent / "exercises" / "rebuild.py"


def run_check(capsys, *argv):
    """``python -m grokking check ARGV`` in this process: (exit status, printed text)."""
    status = check.main([str(a) for a in argv])
    return status, capsys.readouterr().out


def write(tmp_path, source, name="mine.py"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(source))
    return path


def verdict_lines(out):
    """{function name: its first report line} for every graded function."""
    return {m.group(2): m.group(0) for m in re.finditer(r"^\[(....)\] (\w+) .*$", out, re.M)}


def test_the_shipped_stubs_are_all_not_done_yet(capsys):
    status, out = run_check(capsys, STUBS)
    lines = verdict_lines(out)
    assert status == 1
    assert list(lines) == [e.name for e in check.EXERCISES]
    for line in lines.values():
        assert line.startswith("[todo]") and "not done yet" in line and "your turn" in line
    assert "Traceback" not in out
    assert "0 of 7 passed" in out


def test_a_right_rebuild_passes_everything(capsys):
    status, out = run_check(capsys, SOLUTIONS / "good.py")
    assert status == 0, out
    assert all(line.startswith("[ ok ]") for line in verdict_lines(out).values())
    assert len(verdict_lines(out)) == 7
    assert "7 of 7 passed" in out


def test_a_subtle_bug_is_shown_on_the_smallest_input(capsys):
    status, out = run_check(capsys, SOLUTIONS / "subtle_bug.py")
    assert status == 1
    assert verdict_lines(out)["outer_prod"].startswith("[FAIL]")
    assert "smallest input where it is wrong: outer_prod([1.0], [0.0, 1.0])" in out
    assert "expected: [[0.0, 1.0]]" in out
    assert "got:      [[0.0, 0.0]]" in out
    assert "first difference at [0][1]: expected 1.0, got 0.0" in out
    assert "hint: output[i][j] = vec_a[i] * vec_b[j]" in out
    assert "not written yet" in verdict_lines(out)["w_sum"]


def test_exceptions_are_reported_with_the_learners_line(capsys):
    status, out = run_check(capsys, SOLUTIONS / "raises.py")
    assert status == 1
    assert "it raised ZeroDivisionError" in verdict_lines(out)["w_sum"]
    assert "(line 8: return total / len(a)" in out
    assert "smallest input where it is wrong: w_sum([], [])" in out
    assert "it raised TypeError: can't multiply sequence" in verdict_lines(out)["ele_mul"]
    assert "Traceback" not in out


def test_an_endless_loop_times_out_and_the_rest_is_still_graded(capsys):
    started = time.perf_counter()
    status, out = run_check(capsys, SOLUTIONS / "loops_forever.py", "--timeout", "0.5")
    elapsed = time.perf_counter() - started
    assert status == 1
    assert "timed out: stopped after 0.5 s" in verdict_lines(out)["w_sum"]
    assert "timed out on w_sum([1.0], [2.0])" in out
    assert verdict_lines(out)["ele_mul"].startswith("[ ok ]")
    assert elapsed < 15, f"the endless loop was not stopped in time ({elapsed:.1f} s)"


def test_wrong_types_are_named_and_numpy_arrays_are_fine(capsys):
    status, out = run_check(capsys, SOLUTIONS / "wrong_type.py")
    lines = verdict_lines(out)
    assert status == 1
    assert "wrong type: it returned a str '0'; expected a number" in lines["w_sum"]
    assert "wrong type: it returned None (is a `return` missing?); expected a list of numbers" in lines["ele_mul"]
    assert lines["vect_mat_mul"].startswith("[ ok ]")
    assert "expected a list of rows" in lines["outer_prod"]


def test_a_syntax_error_is_reported_without_running_anything(capsys, tmp_path):
    path = write(tmp_path, """\
        def w_sum(a, b)
            return 0.0
        """)
    status, out = run_check(capsys, path)
    assert status == 1
    assert "Your file cannot run yet: it has a SyntaxError at line 1" in out
    assert "def w_sum(a, b)" in out
    assert "Traceback" not in out and "[ ok ]" not in out


def test_an_exception_while_loading_is_reported(capsys, tmp_path):
    path = write(tmp_path, """\
        import numpy as np
        weights = np.zeros(3) + undefined_name
        """)
    status, out = run_check(capsys, path)
    assert status == 1
    assert ("Your file cannot run yet: loading it raised NameError: name 'undefined_name' "
            "is not defined (line 2:") in out


def test_an_endless_loop_while_loading_is_stopped(capsys, tmp_path):
    path = write(tmp_path, "while True:\n    pass\n")
    status, out = run_check(capsys, path, "--timeout", "0.5")
    assert status == 1
    assert "loading it took longer than 0.5 s" in out


def test_code_that_ends_the_process_is_reported_and_the_rest_graded(capsys, tmp_path):
    path = write(tmp_path, """\
        import os

        def w_sum(a, b):
            print("about to leave")
            os._exit(3)

        def ele_mul(number, vector):
            return [number * v for v in vector]
        """)
    status, out = run_check(capsys, path, "--only", "w_sum,ele_mul")
    lines = verdict_lines(out)
    assert status == 1
    assert "it ended the process (exit code 3)" in lines["w_sum"]
    assert lines["ele_mul"].startswith("[ ok ]")


def test_code_that_ends_the_process_while_loading_is_reported_once(capsys, tmp_path):
    path = write(tmp_path, "import os\nos._exit(4)\n")
    status, out = run_check(capsys, path)
    assert status == 1
    assert out.count("loading it ended the process (exit code 4)") == 1


def test_changing_an_argument_is_a_failure_even_with_the_right_answer(capsys, tmp_path):
    path = write(tmp_path, """\
        def gd_step(weights, input, goal_pred, alpha):
            pred = sum(w * x for w, x in zip(weights, input))
            print("pred", pred)
            for i in range(len(weights)):
                weights[i] -= alpha * (pred - goal_pred) * input[i]
            return weights
        """)
    status, out = run_check(capsys, path, "--only", "gd_step")
    assert status == 1
    assert "right answer, but it changed its argument weights from [0.5] to" in out
    assert "gd_step(weights=[0.5], input=[1.0], goal_pred=1.0, alpha=0.1)" in out
    assert "it printed (last lines):" in out and "| pred 0.5" in out


def test_a_missing_file_and_bad_options_are_usage_errors(capsys, tmp_path):
    status, out = run_check(capsys, tmp_path / "nowhere.py")
    assert status == 2
    assert "There is no file" in out
    assert check.main([str(STUBS), "--only", "w_summ"]) == 2
    assert "no exercise named w_summ" in capsys.readouterr().err
    assert check.main([str(STUBS), "--timeout", "0"]) == 2


def test_only_grades_the_functions_asked_for(capsys):
    status, out = run_check(capsys, SOLUTIONS / "loops_forever.py", "--only", "ele_mul")
    assert status == 0
    assert list(verdict_lines(out)) == ["ele_mul"]


def test_it_works_from_any_directory_as_a_command(tmp_path):
    mine = tmp_path / "mine.py"
    mine.write_text((SOLUTIONS / "good.py").read_text())
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = subprocess.run([sys.executable, "-m", "grokking", "check", os.path.join("..", "mine.py"),
                           "--only", "w_sum,gd_step"],
                          cwd=elsewhere, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 of 2 passed" in done.stdout


def _examples(path):
    """(function name, call arguments, answer) for each ``call / -> answer`` in the stubs."""
    tree = ast.parse(path.read_text())
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            lines = [line.strip() for line in ast.get_docstring(node).splitlines()]
            for call, answer in zip(lines, lines[1:]):
                if call.startswith(node.name + "(") and answer.startswith("->"):
                    args = ast.literal_eval("(" + call[len(node.name) + 1:-1] + ",)")
                    yield node.name, args, ast.literal_eval(answer[2:].strip())


EXAMPLES = list(_examples(STUBS))


def test_every_stub_shows_an_example():
    assert {name for name, _, _ in EXAMPLES} == {e.name for e in check.EXERCISES}


@pytest.mark.parametrize("name,args,answer", EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_the_stubs_examples_are_what_the_referee_says(name, args, answer):
    expected = check.BY_NAME[name].referee(*args)
    assert check.first_difference(answer, expected, 1e-8) is None, (answer, expected)


def test_shrinking_offers_only_simpler_numbers():
    assert check.simpler(3.7) == [0.0, 1.0, -1.0, 2.0, 4.0]
    assert check.simpler(2.0) == [0.0, 1.0, -1.0]
    assert check.simpler(0.0) == []
    assert check.simpler(-0.4) == [0.0, 1.0, -1.0, 2.0]  # whole numbers first
