"""Hints follow the first real mistake (issue 21): a failing callee first, a hint only where it fits,
float32 named as the reason when it is."""
import json
import textwrap

from grokking.checker import command as check

W_SUM_OFF_BY_ONE = """
def w_sum(a, b):
    output = 0.0
    for i in range(len(a) - 1):
        output += a[i] * b[i]
    return output

def ele_mul(number, vector):
    return [number * v for v in vector]

def gd_step(weights, input, goal_pred, alpha):
    delta = w_sum(input, weights) - goal_pred
    return [w - alpha * d for w, d in zip(weights, ele_mul(delta, input))]
"""


def verdicts(capsys, tmp_path, source, only):
    path = tmp_path / "mine.py"
    path.write_text(textwrap.dedent(source))
    check.main([str(path), "--only", only, "--json"])
    return {e["exercise"]: e for e in json.loads(capsys.readouterr().out)["exercises"]}


def test_a_function_failing_through_a_wrong_callee_points_at_the_callee(capsys, tmp_path):
    found = verdicts(capsys, tmp_path, W_SUM_OFF_BY_ONE, "w_sum,ele_mul,gd_step")
    assert found["w_sum"]["status"] == "failed" and found["w_sum"]["callee"] is None
    assert found["ele_mul"]["status"] == "passed"
    assert found["gd_step"]["status"] == "failed"
    assert found["gd_step"]["callee"] == "w_sum" and found["gd_step"]["hint"] is None
    path = tmp_path / "mine.py"
    check.main([str(path), "--only", "w_sum,ele_mul,gd_step"])
    assert "first fix w_sum: gd_step calls it" in capsys.readouterr().out


def test_a_wrong_type_gets_no_hint_about_the_numbers(capsys, tmp_path):
    found = verdicts(capsys, tmp_path, """
        def outer_prod(vec_a, vec_b):
            return ([a * b for b in vec_b] for a in vec_a)
        """, "outer_prod")
    assert "generator" in found["outer_prod"]["problem"]
    assert found["outer_prod"]["hint"] is None and found["outer_prod"]["diagnosis"] == []


def test_a_float32_answer_is_compared_as_float64_and_named_as_the_reason(capsys, tmp_path):
    found = verdicts(capsys, tmp_path, """
        import numpy as np

        def w_sum(a, b):
            return np.float32(sum(x * y for x, y in zip(a, b)))

        def ele_mul(number, vector):
            return np.array([number * v for v in vector], dtype=np.float32).astype(np.float64)
        """, "w_sum,ele_mul")
    assert found["w_sum"]["status"] == "failed"
    assert "float32" in found["w_sum"]["dtype"] and found["w_sum"]["hint"] is None
    # made in float32 but handed back as float64: wrong numbers, and no word about a dtype
    assert found["ele_mul"]["status"] == "failed" and found["ele_mul"]["dtype"] is None


def test_a_float32_answer_that_is_wrong_anyway_is_not_blamed_on_its_dtype(capsys, tmp_path):
    found = verdicts(capsys, tmp_path, """
        import numpy as np

        def w_sum(a, b):
            return np.float32(sum(x * y for x, y in zip(a, b)) + 1)
        """, "w_sum")
    assert found["w_sum"]["dtype"] is None and found["w_sum"]["hint"] is not None


def test_a_training_recipe_is_not_offered_for_wrong_numbers_of_the_right_sizes(capsys, tmp_path):
    found = verdicts(capsys, tmp_path, """
        import numpy as np

        def train_2_layer(X, y, iterations, seed):
            X, y = np.array(X), np.array(y)
            np.random.seed(seed)
            synapse_0 = 2 * np.random.random((X.shape[1], 1)) - 1
            for _ in range(iterations):
                layer_1 = 1 / (1 + np.exp(-X.dot(synapse_0)))
                synapse_0 += 0.5 * X.T.dot((y - layer_1) * layer_1 * (1 - layer_1))
            return synapse_0
        """, "train_2_layer")
    record = found["train_2_layer"]
    assert record["status"] == "failed" and record["got"] is not None
    assert record["hint"] is None and record["diagnosis"] == []
