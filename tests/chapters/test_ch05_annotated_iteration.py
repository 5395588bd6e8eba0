"""Chapter 5: 002's annotated iteration (seed 123), on every backend."""
import numpy as np
import pytest

from referees import source_001
from grokking.chapters import ch05_annotated_iteration as ch05
from grokking.lessons.one_layer import one_iteration, starting_weights
from transcript import assert_chapter_prints_golden

# 002's hand calculation, as its text reads (the minus signs were lost).
PRINTED_BY_002 = ["(0 * .3929) + (0 * .4277) + (1 * .5463) = .5463",
                  "(0 * .3929) + (1 * .4277) + (1 * .5463) = .9740",
                  "(1 * .3929) + (0 * .4277) + (1 * .5463) = .1534",
                  "(1 * .3929) + (1 * .4277) + (1 * .5463) = .5811"]


def test_seed_123_gives_002s_weights_with_their_signs():
    assert np.allclose(starting_weights(ch05.SEED), [[0.39293837], [-0.42772133], [-0.54629709]],
                       atol=5e-9)


def test_iteration_zero_is_002s_and_001s_code(k):
    step = one_iteration(k, ch05.X, ch05.y, starting_weights(ch05.SEED))
    # the numbers 002 prints
    assert np.allclose(step.dot_product, [[-0.54629709], [-0.97401842], [-0.15335872], [-0.58108005]],
                       atol=5e-9)
    assert np.allclose(step.layer_1, [[0.36672394], [0.27408027], [0.46173529], [0.35868411]],
                       atol=5e-9)
    # the rest, from the annotated code itself (001's lines, seed 123)
    np.random.seed(123)
    weights = 2 * np.random.random((3, 1)) - 1
    X, y = np.array(ch05.X), np.array(ch05.y)
    l1 = 1 / (1 + np.exp(-np.dot(X, weights)))
    error = y - l1
    slope = l1 * (1 - l1)
    delta = error * slope
    for got, want in ((step.layer_1_error, error), (step.slope, slope), (step.layer_1_delta, delta),
                      (step.update, X.T.dot(delta)), (step.new_weights, weights + X.T.dot(delta))):
        assert np.allclose(got, want, rtol=0, atol=1e-12)


def test_by_hand_with_four_digits(k):
    rounded, sums = ch05.by_hand(k, ch05.X, starting_weights(ch05.SEED))
    assert rounded == [0.3929, -0.4277, -0.5463]
    assert np.allclose([total for _, total in sums], [-0.5463, -0.9740, -0.1534, -0.5811], atol=1e-12)
    assert [ch05.by_hand_line(row, rounded, total, signs=False) for row, total in sums] == PRINTED_BY_002
    assert (ch05.by_hand_line(sums[1][0], rounded, sums[1][1])
            == "(0 * .3929) + (1 * -.4277) + (1 * -.5463) = -.9740")


@pytest.mark.parametrize("value, text", [(-0.5463, "-.5463"), (0.3929, ".3929"),
                                         (10.5, "10.5000"), (-1.25, "-1.2500")])
def test_four_digits_drops_only_a_leading_zero(value, text):
    assert ch05.four_digits(value) == text


@pytest.fixture(scope="module")
def after_training_001():
    """001's code with 002's seed: l1 of the last of 10,000 iterations."""
    return source_001(np.array(ch05.X), np.array(ch05.y), ch05.ITERATIONS, seed=ch05.SEED)[1].ravel()


@pytest.mark.parametrize("trace", [False, True], ids=["default", "trace"])
def test_chapter_prints_its_golden_transcript(backend_name, capsys, trace, after_training_001):
    out = assert_chapter_prints_golden(ch05, backend_name, capsys, trace)
    for line in PRINTED_BY_002:
        assert "  " + line in out
    assert "dot product results: [[-0.54629709] [-0.97401842] [-0.15335872] [-0.58108005]]" in out
    # the trace writes out every number of iteration 0 as arithmetic
    assert ("example 3: 1 / (1 + e^(0.15335872)) = 0.46173529" in out) == trace
    assert ("weight 1: 0*(-0.08516705)" in out) == trace
    assert np.allclose(printed_matrix(out, "Output After Training:"), after_training_001, atol=5e-9)


def printed_matrix(out, label):
    """The numbers of the one-line matrix printed after ``label``."""
    line = next(text for text in out.splitlines() if text.startswith(label))
    return [float(v) for v in line[len(label):].replace("[", " ").replace("]", " ").split()]


def test_plot_writes_the_sigmoid_picture(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    ch05.main(["--backend", "numpy", "--plot", str(tmp_path)])
    assert (tmp_path / "ch05_sigmoid_iteration0.png").stat().st_size > 1000
