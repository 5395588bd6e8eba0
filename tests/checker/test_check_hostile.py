"""A learner's module cannot talk the checker into a pass.

Each file in tests/checker/solutions/hostile/ imports six wrong functions (or, for
NumPy, holds the blog's right one) and, between ``# --- hostile ---`` and ``# --- end ---``, lines
that patch the checker, builtins, ``sys.modules``, NumPy or the worker itself.
Before the referee moved out of the worker, each of them turned failures into
passes (or changed the "expected" value). Here every verdict must be the same
as for the file without those lines, and NumPy patched by the learner changes
the learner's answers only, never the expected ones: the referee, the
comparison and the shrinking run in the checker's process, where the
learner's code never runs.
"""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from grokking.checker import command as check

HOSTILE = Path(__file__).parent / "solutions" / "hostile"
GRADED = "w_sum,ele_mul,vect_mat_mul,outer_prod,gd_step,train_2_layer"


def verdicts(capsys, path):
    """{exercise: (status, problem, input, expected)} from ``check --json``, and the exit status."""
    status = check.main([str(path), "--only", GRADED, "--json"])
    report = json.loads(capsys.readouterr().out)
    return status, {e["exercise"]: (e["status"], e["problem"], e["input"], e["expected"])
                    for e in report["exercises"]}


def without_the_hostile_lines(path, tmp_path):
    text = path.read_text()
    plain = re.sub(r"# --- hostile ---\n.*?# --- end ---\n", "", text, flags=re.S)
    assert plain != text, f"{path.name} has no hostile lines"
    copy = tmp_path / ("plain_" + path.name)
    copy.write_text(plain)
    (tmp_path / "wrong_six.py").write_text((HOSTILE / "wrong_six.py").read_text())
    return copy


@pytest.mark.parametrize("name", ["patches_checker", "patches_builtins", "patches_sys_modules"])
def test_patching_in_the_learners_module_changes_no_verdict(name, capsys, tmp_path):
    path = HOSTILE / f"{name}.py"
    status, hostile = verdicts(capsys, path)
    plain_status, plain = verdicts(capsys, without_the_hostile_lines(path, tmp_path))
    assert hostile == plain
    assert status == plain_status == 1
    graded = {e: v for e, v in hostile.items() if v[0] != "missing"}
    assert graded and all(v[0] == "failed" for v in graded.values()), hostile


def test_patched_random_numbers_do_not_change_the_expected_weights(capsys, tmp_path):
    _, plain = verdicts(capsys, without_the_hostile_lines(HOSTILE / "patches_numpy.py", tmp_path))
    assert plain["train_2_layer"][0] == "passed"   # the blog's code, right without the patch
    _, found = verdicts(capsys, HOSTILE / "patches_numpy.py")
    status, problem, call, expected = found["train_2_layer"]
    assert (status, problem) == ("failed", "wrong answer")
    assert call == "train_2_layer(X=[[1]], y=[[1]], iterations=0, seed=1)"
    assert expected == "[[-0.165955990595]]"      # np.random.seed(1); 2*random((1, 1)) - 1


def test_a_worker_that_forges_its_messages_gets_no_pass_and_no_say_in_the_report(tmp_path):
    done = subprocess.run([sys.executable, "-m", "grokking", "check",
                           str(HOSTILE / "patches_worker.py"), "--only", GRADED],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "[ ok ]" not in done.stdout          # its os.write(1, "[ ok ] ...") goes nowhere
    assert "loading it sent something the checker cannot read" in done.stdout


def test_an_answer_that_is_not_one_of_ours_is_a_failure_not_a_crash():
    from grokking.checker.answers import BadReply, decode
    for tree in [{"t": "float", "v": "0.5"}, {"t": "list", "v": 3}, {"verdict": "passed"},
                 {"t": "array", "kind": "f", "shape": [2], "v": [1.0]}, [1, 2]]:
        with pytest.raises(BadReply):
            decode(tree)


def test_no_referee_reads_a_file_after_the_learners_code_has_run():
    """A learner's file could rewrite the installed grokking on disk while it loads; the
    referees are all imported before that, and answering every case imports nothing new."""
    from grokking.checker import sheets as check_sheets
    check_sheets.load_referees()
    before = set(sys.modules)
    for exercise in check_sheets.EXERCISES:
        for case in exercise.cases():
            if exercise.weight(case.args) <= 1.0:
                exercise.referee(*case.args)
    assert set(sys.modules) - before == set()
