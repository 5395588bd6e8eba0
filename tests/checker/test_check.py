"""The exercise checker: it grades the stubs as not done, a right rebuild as passing,
and survives every way a learner's file can go wrong."""
import ast
import json
import os
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from grokking.checker import answers as check_answers, command as check, grading as check_grading
from grokking.checker import sheets as check_sheets, verdict as check_verdict

HERE = Path(__file__).parent
SOLUTIONS = HERE / "solutions"
STUBS = HERE.parents[1] / "exercises" / "rebuild.py"
BATCH_STUBS = HERE.parents[1] / "exercises" / "batches.py"
FRAMEWORK_STUBS = HERE.parents[1] / "exercises" / "framework.py"
CONVOLUTION_STUBS = HERE.parents[1] / "exercises" / "convolution.py"
FUNCTIONS = ["w_sum", "ele_mul", "vect_mat_mul", "outer_prod", "gd_step", "train_2_layer",
             "train_3_layer"]


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
    assert list(lines) == [e.name for e in check_sheets.SHEETS["rebuild"]]
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


def test_changing_an_argument_is_reported_first_and_alone(capsys, tmp_path):
    path = write(tmp_path, """\
        def gd_step(weights, input, goal_pred, alpha):
            pred = sum(w * x for w, x in zip(weights, input))
            print("pred", pred)
            for i in range(len(weights)):
                weights[i] -= alpha * (pred - goal_pred) * input[i]
            return weights

        def ele_mul(number, vector):
            for i in range(len(vector)):
                vector[i] *= number
            return vector
        """)
    status, out = run_check(capsys, path, "--only", "gd_step,ele_mul")
    assert status == 1
    assert "[FAIL] gd_step        it changed its argument weights from [0.5] to [0.55]" in out
    assert "on gd_step(weights=[0.5], input=[1.0], goal_pred=1.0, alpha=0.1)" in out
    assert "[FAIL] ele_mul        it changed its argument vector from [3.0] to [6.0]" in out
    assert out.count("build a new list and return it") == 2
    # the answer was right: no "expected [6.0], got [6.0]", no hint about [0, 0, 0], no note
    for beside in ("expected", "got:", "hint:", "note:", "it printed", "[0, 0, 0]"):
        assert beside not in out


def test_numpy_answers_and_empty_inputs_are_graded_like_lists(capsys, tmp_path):
    path = write(tmp_path, """\
        import numpy as np

        def w_sum(a, b):
            return np.dot(a, b)

        def ele_mul(number, vector):
            return number * np.array(vector)

        def vect_mat_mul(vect, matrix):
            return np.array(matrix).dot(np.array(vect)).tolist()

        def outer_prod(vec_a, vec_b):
            return np.array([[a * b for b in vec_b] for a in vec_a])   # shape (0,) for vec_a = []
        """)
    status, out = run_check(capsys, path, "--only", "w_sum,ele_mul,vect_mat_mul,outer_prod")
    assert status == 0, out
    assert "4 of 4 passed" in out


def test_a_matrix_with_no_rows_may_be_any_empty_array():
    import numpy as np
    for empty in ([], np.zeros((0,)), np.zeros((0, 3)), np.outer([], [1.0, 2.0])):
        assert check_answers.read_matrix(empty) == []
    assert check_answers.read_matrix(np.zeros((2, 0))) == [[], []]
    with pytest.raises(check_answers.WrongType):
        check_answers.read_matrix(np.zeros((1,)))


def test_an_array_of_the_wrong_shape_is_named(capsys, tmp_path):
    path = write(tmp_path, """\
        import numpy as np

        def ele_mul(number, vector):
            return number * np.array([vector])
        """)
    status, out = run_check(capsys, path, "--only", "ele_mul")
    assert "wrong type: it returned a 2-D array of shape (1, 0); expected a vector" in out


def test_leaving_the_program_is_not_an_input_problem(capsys, tmp_path):
    path = write(tmp_path, """\
        import sys

        def w_sum(a, b):
            sys.exit(0)
        """)
    status, out = run_check(capsys, path, "--only", "w_sum")
    assert status == 1
    assert "it raised SystemExit: 0 (line 4: sys.exit(0)): a function should return its answer" in out
    assert "empty" not in out and "note:" not in out and "hint:" not in out


def test_a_hint_never_repeats_the_learners_own_line(capsys, tmp_path):
    path = write(tmp_path, """\
        def w_sum(a, b):
            return sum(x * y for x, y in zip(a, b))

        def gd_step(weights, input, goal_pred, alpha):
            pred = w_sum(input, weights)
            delta = pred - goal_pred
            return [weights[i] - alpha * delta / input[i] for i in range(len(weights))]
        """)
    status, out = run_check(capsys, path, "--only", "gd_step")
    assert "wrong answer" in out
    # the hint's first two steps are the learner's own lines: only the third is left
    assert "hint: new weights[i] = weights[i] - alpha * delta * input[i]." in out
    assert "pred = w_sum(input, weights)" not in out and "delta = pred - goal_pred" not in out


def test_the_blogs_hard_coded_size_is_named_not_quoted_back(capsys, tmp_path):
    path = write(tmp_path, """\
        import numpy as np

        def train_2_layer(X, y, iterations, seed):
            X, y = np.array(X), np.array(y)
            np.random.seed(seed)
            syn0 = 2*np.random.random((3,1)) - 1
            for _ in range(iterations):
                l1 = 1 / (1 + np.exp(-np.dot(X, syn0)))
                syn0 += np.dot(X.T, (y - l1) * l1 * (1 - l1))
            return syn0
        """)
    status, out = run_check(capsys, path, "--only", "train_2_layer")
    assert "smallest input where it is wrong: train_2_layer(X=[[1]], y=[[1]], iterations=0, seed=1)" in out
    assert "this looks like a known mistake, a hard-coded input size" in out
    assert "random((3, 1))" not in out and "random((3,1))" not in out
    assert "hint:" not in out


def test_json_gives_one_object_per_exercise_with_the_same_keys(capsys):
    status = check.main([str(SOLUTIONS / "subtle_bug.py"), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert status == 1
    assert list(report) == ["file", "problem", "passed", "total", "exercises"]
    assert report["total"] == 7 and report["passed"] == 0
    assert [e["exercise"] for e in report["exercises"]] == FUNCTIONS
    for record in report["exercises"]:
        assert tuple(record) == check_verdict.JSON_KEYS
    outer = report["exercises"][3]
    assert outer["status"] == "failed" and outer["args"] == [[1.0], [0.0, 1.0]]
    assert outer["input"] == "outer_prod([1.0], [0.0, 1.0])"
    assert (outer["expected"], outer["got"]) == ("[[0.0, 1.0]]", "[[0.0, 0.0]]")
    assert outer["diagnosis"] == [] and outer["hint"].startswith("output[i][j] = vec_a[i] * vec_b[j]")
    assert report["exercises"][0]["status"] == "missing"


def test_json_names_a_mistake_and_reports_a_file_that_cannot_run(capsys, tmp_path):
    path = write(tmp_path, """\
        def outer_prod(vec_a, vec_b):
            return [[a * b for a in vec_a] for b in vec_b]
        """)
    check.main([str(path), "--only", "outer_prod", "--json"])
    record = json.loads(capsys.readouterr().out)["exercises"][0]
    assert [d["name"] for d in record["diagnosis"]] == ["outer_prod transposed"]
    broken = write(tmp_path, "def w_sum(a, b)\n", name="broken.py")
    assert check.main([str(broken), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["problem"].startswith("Your file cannot run yet: it has a SyntaxError")
    assert report["exercises"] == []


def test_a_file_of_the_batches_sheet_is_graded_on_that_sheet(capsys):
    status, out = run_check(capsys, BATCH_STUBS)
    assert status == 1
    assert list(verdict_lines(out)) == ["relu", "relu2deriv", "train_batches"]
    assert all(line.startswith("[todo]") for line in verdict_lines(out).values())


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
            lines = [line.strip() for line in (ast.get_docstring(node) or "").splitlines()]
            for call, answer in zip(lines, lines[1:]):
                if call.startswith(node.name + "(") and answer.startswith("->"):
                    args = ast.literal_eval("(" + call[len(node.name) + 1:-1] + ",)")
                    yield node.name, args, ast.literal_eval(answer[2:].strip())


EXAMPLES = [example for stubs in (STUBS, BATCH_STUBS, FRAMEWORK_STUBS, CONVOLUTION_STUBS)
            for example in _examples(stubs)]


def test_every_stub_shows_an_example():
    assert {name for name, _, _ in EXAMPLES} == {e.name for e in check_sheets.EXERCISES}


@pytest.mark.parametrize("name,args,answer", EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_the_stubs_examples_are_what_the_referee_says(name, args, answer):
    exercise = check_sheets.BY_NAME[name]
    expected = check_answers.READERS[exercise.answer](exercise.referee(*args))
    assert check_answers.first_difference(answer, expected, 1e-8) is None, (answer, expected)


def test_shrinking_offers_only_simpler_numbers():
    assert check_grading.simpler(3.7) == [0.0, 1.0, -1.0, 2.0, 4.0]
    assert check_grading.simpler(2.0) == [0.0, 1.0, -1.0]
    assert check_grading.simpler(0.0) == []
    assert check_grading.simpler(-0.4) == [0.0, 1.0, -1.0, 2.0]  # whole numbers first
    assert [type(v) for v in check_grading.simpler(3)] == [int, int, int, int]   # an index stays one


def test_an_input_that_hangs_while_shrinking_ends_the_shrinking(capsys, tmp_path):
    path = write(tmp_path, """\
        def w_sum(a, b):
            total = 0.0
            for x, y in zip(a, b):
                while x == 0:   # hangs on a zero: shrinking tries 0 first
                    pass
                total += x + y
            return total
        """)
    started = time.perf_counter()
    status, out = run_check(capsys, path, "--only", "w_sum", "--timeout", "0.5")
    assert time.perf_counter() - started < 15
    assert "[FAIL] w_sum          wrong answer" in out
    assert "smallest input where it is wrong: w_sum([1.0], [2.0])" in out
    assert "timed out" not in out
