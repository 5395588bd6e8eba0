"""Chapter 4: the one-layer network of 000 and 001 part 1, on every backend."""

import numpy as np
import pytest

from grokking.chapters import ch04_one_layer_network as ch04
from referees import nonlin, source_001
from grokking.lessons.lesson import start
from transcript import assert_chapter_prints_golden

X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]])


def test_starting_weights_are_000s():
    assert np.allclose(ch04.starting_weights(1), [[-0.16595599], [0.44064899], [-0.99977125]],
                       atol=5e-9)


def test_first_iteration_is_001s_code(k):
    step = ch04.one_iteration(k, ch04.X, ch04.y, ch04.starting_weights(1))
    np.random.seed(1)
    syn0 = 2 * np.random.random((3, 1)) - 1
    y = np.array([[0, 0, 1, 1]]).T
    l1 = nonlin(np.dot(X, syn0))
    l1_delta = (y - l1) * nonlin(l1, True)
    assert np.allclose(step.dot_product, np.dot(X, syn0), rtol=0, atol=1e-12)
    assert np.allclose(step.layer_1, l1, rtol=0, atol=1e-12)
    assert np.allclose(step.layer_1_error, y - l1, rtol=0, atol=1e-12)
    assert np.allclose(step.slope, nonlin(l1, True), rtol=0, atol=1e-12)
    assert np.allclose(step.layer_1_delta, l1_delta, rtol=0, atol=1e-12)
    assert np.allclose(step.update, np.dot(X.T, l1_delta), rtol=0, atol=1e-12)
    assert np.allclose(step.new_weights, syn0 + np.dot(X.T, l1_delta), rtol=0, atol=1e-12)


def test_000s_dot_products_come_from_001s_table_order(k):
    weights = ch04.starting_weights(1)
    printed_by_000 = [[-0.99977125], [-0.72507825], [-1.16572724], [-0.55912226]]
    assert np.allclose(k.mat_mul(ch04.X_TABLE_ORDER, weights), printed_by_000, atol=5e-9)
    code_order = k.mat_mul(ch04.X, weights)
    assert not np.allclose(code_order, printed_by_000, atol=1e-3)
    assert np.allclose([code_order[i] for i in (0, 3, 2, 1)], printed_by_000, atol=5e-9)


def test_agreement_counts_columns_that_equal_the_target():
    assert ch04.agreement(ch04.X, ch04.y) == [4, 2, 2]
    assert ch04.agreement(ch04.X, ch04.y_XOR) == [2, 2, 2]


@pytest.mark.parametrize("targets", ["learnable", "broken"])
def test_ten_thousand_iterations_match_001(backend_name, capsys, targets):
    y = ch04.y if targets == "learnable" else ch04.y_XOR
    lesson = start(ch04.__doc__, ["--backend", backend_name])
    result = ch04.train_one_layer(lesson, ch04.X, y, targets)
    syn0, l1 = source_001(X, np.array(y), 10000)
    assert np.allclose(result.output, l1, rtol=1e-9, atol=1e-12)
    assert np.allclose(result.weights[0], syn0, rtol=1e-9, atol=1e-12)
    if targets == "learnable":   # 001's "Output After Training"
        assert np.allclose(result.output, [[0.00966449], [0.00786506], [0.99358898], [0.99211957]],
                           atol=5e-9)
    else:                        # stuck: every guess 0.5, every weight 0
        assert np.allclose(result.output, 0.5, atol=1e-12)
        assert np.allclose(result.weights[0], 0.0, atol=1e-12)
    assert len(result.errors) == 10000 // ch04.RECORD_EVERY
    assert capsys.readouterr().err == ""   # no progress: stderr is not a terminal here


@pytest.mark.parametrize("trace", [False, True], ids=["default", "trace"])
def test_chapter_prints_its_golden_transcript(backend_name, capsys, trace):
    out = assert_chapter_prints_golden(ch04, backend_name, capsys, trace)
    assert ("example 2: 0*(-0.16595599) + 1*(0.44064899) + 1*(-0.99977125) = -0.55912226" in out) == trace


def test_plot_writes_the_error_picture(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    ch04.main(["--backend", "numpy", "--plot", str(tmp_path)])
    assert (tmp_path / "ch04_error_per_iteration.png").stat().st_size > 1000


def test_000s_other_guesses_are_near_update_200_not_the_start():
    """The chapter says 000's "-2.5, 2.74, 2.95, and -2.73" are closest after about 200 updates."""
    np.random.seed(1)
    syn0 = 2 * np.random.random((3, 1)) - 1
    X_table, y = np.array(ch04.X_TABLE_ORDER), np.array([[0, 1, 1, 0]]).T
    quoted = np.array([-2.5, 2.74, 2.95, -2.73])
    distance = []
    for _ in range(1000):
        dot = X_table.dot(syn0).ravel()
        distance.append(np.max(np.abs(dot - quoted)))
        l1 = nonlin(X_table.dot(syn0))
        syn0 += X_table.T.dot((y - l1) * nonlin(l1, True))
    assert distance[0] > 4                          # the starting weights are far off
    assert 190 <= int(np.argmin(distance)) <= 210 and min(distance) < 0.01
