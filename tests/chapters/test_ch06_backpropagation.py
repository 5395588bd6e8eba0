"""Chapter 6: 001's 3-layer network and book chapter 6's streetlights, on every backend.

The 60,000-iteration training runs once per backend: ``train`` is wrapped in a
cache (training is deterministic), so the default run, the --trace run and the
picture all print from the same result.
"""
import functools

import numpy as np
import pytest

from referees import nonlin
from grokking import train as real_train
from grokking.chapters import ch06_backpropagation as ch06
from transcript import assert_chapter_prints_golden

_TRAININGS = {}

# What 001 prints, every 10,000 iterations (its "Error:" lines).
ERRORS_001 = [0.49641003, 0.00858452, 0.00578945, 0.00462917, 0.00395876, 0.00351012]


@pytest.fixture
def train_once(monkeypatch):
    """``ch06.train``, run at most once per backend and set of arguments in this test session.

    (``on_record`` only shows progress, so it is not part of the key: a cached run shows none.)
    """
    def cached(X, y, **kwargs):
        key = repr((X, y, sorted((k, v) for k, v in kwargs.items() if k != "on_record")))
        if key not in _TRAININGS:
            _TRAININGS[key] = real_train(X, y, **kwargs)
        return _TRAININGS[key]
    monkeypatch.setattr(ch06, "train", cached)


def test_three_layer_iteration_is_001s_code(k):
    syn0_start, syn1_start = ch06.initial_weights(3, 4, 1, seed=1)
    step = ch06.three_layer_iteration(k, ch06.X, ch06.y_XOR, syn0_start, syn1_start)
    np.random.seed(1)
    syn0 = 2 * np.random.random((3, 4)) - 1
    syn1 = 2 * np.random.random((4, 1)) - 1
    l0, y = np.array(ch06.X), np.array(ch06.y_XOR)
    l1 = nonlin(np.dot(l0, syn0))
    l2 = nonlin(np.dot(l1, syn1))
    l2_error = y - l2
    l2_delta = l2_error * nonlin(l2, deriv=True)
    l1_error = l2_delta.dot(syn1.T)
    l1_delta = l1_error * nonlin(l1, deriv=True)
    for got, want in ((step.l1, l1), (step.l2, l2), (step.l2_error, l2_error),
                      (step.l2_delta, l2_delta), (step.l1_error, l1_error), (step.l1_delta, l1_delta),
                      (step.syn1, syn1 + l1.T.dot(l2_delta)), (step.syn0, syn0 + l0.T.dot(l1_delta))):
        assert np.allclose(got, want, rtol=0, atol=1e-12)
    assert abs(step.mean_abs_error - np.mean(np.abs(l2_error))) < 1e-12
    assert abs(step.mean_abs_error - ERRORS_001[0]) < 5e-9


def book_streetlights(iterations_one=20, iterations_all=40):
    """Book chapter 6's two loops, as written there (NumPy)."""
    lights = np.array(ch06.streetlights)
    walk_vs_stop = np.array(ch06.walk_vs_stop)
    weights, alpha = np.array([0.5, 0.48, -0.7]), 0.1
    one = []
    for _ in range(iterations_one):
        prediction = lights[0].dot(weights)
        error = (walk_vs_stop[0] - prediction) ** 2
        delta = prediction - walk_vs_stop[0]
        weights = weights - (alpha * (lights[0] * delta))
        one.append((error, prediction))
    weights, every = np.array([0.5, 0.48, -0.7]), []
    for _ in range(iterations_all):
        error_for_all_lights, predictions = 0, []
        for row_index in range(len(walk_vs_stop)):
            prediction = lights[row_index].dot(weights)
            error_for_all_lights += (walk_vs_stop[row_index] - prediction) ** 2
            delta = prediction - walk_vs_stop[row_index]
            weights = weights - (alpha * (lights[row_index] * delta))
            predictions.append(prediction)
        every.append((predictions, error_for_all_lights))
    return one, every, weights


def test_streetlights_learn_as_the_book_does(k):
    one_book, every_book, weights_book = book_streetlights()
    one, _ = ch06.learn_one_light(k, ch06.STREETLIGHT_WEIGHTS, ch06.streetlights[0], 0)
    every, weights = ch06.learn_all_lights(k, ch06.STREETLIGHT_WEIGHTS, ch06.streetlights,
                                           ch06.walk_vs_stop)
    assert np.allclose(one, one_book, rtol=1e-12, atol=1e-15)
    assert abs(one[0][1] - -0.2) < 1e-12 and abs(one[0][0] - 0.04) < 1e-12
    assert np.allclose([p for p, _ in every], [p for p, _ in every_book], rtol=1e-12, atol=1e-15)
    assert np.allclose([e for _, e in every], [e for _, e in every_book], rtol=1e-9, atol=1e-15)
    assert np.allclose(weights, weights_book, rtol=1e-12)
    assert every[-1][1] < 1e-3 < every[0][1]


def book_deep_network(iterations=60):
    """Book chapter 6's first deep network, as written there (NumPy)."""
    def relu(x):
        return (x > 0) * x

    def relu2deriv(output):
        return output > 0

    np.random.seed(1)
    X = np.array(ch06.streetlights[:4])
    y = np.array([[1, 1, 0, 0]]).T
    weights_0_1 = 2 * np.random.random((3, 4)) - 1
    weights_1_2 = 2 * np.random.random((4, 1)) - 1
    errors = []
    for _ in range(iterations):
        layer_2_error = 0
        for i in range(len(X)):
            layer_0 = X[i:i + 1]
            layer_1 = relu(np.dot(layer_0, weights_0_1))
            layer_2 = np.dot(layer_1, weights_1_2)
            layer_2_error += np.sum((layer_2 - y[i:i + 1]) ** 2)
            layer_2_delta = y[i:i + 1] - layer_2
            layer_1_delta = layer_2_delta.dot(weights_1_2.T) * relu2deriv(layer_1)
            weights_1_2 += 0.2 * layer_1.T.dot(layer_2_delta)
            weights_0_1 += 0.2 * layer_0.T.dot(layer_1_delta)
        errors.append(layer_2_error)
    return errors, (weights_0_1, weights_1_2)


def test_first_deep_network_is_the_books(k):
    errors, (weights_0_1, weights_1_2) = ch06.deep_network(k, ch06.streetlights[:4], ch06.DEEP_TARGETS)
    errors_book, (w01_book, w12_book) = book_deep_network()
    assert np.allclose(errors, errors_book, rtol=1e-9, atol=1e-15)
    assert np.allclose(weights_0_1, w01_book, rtol=1e-9, atol=1e-12)
    assert np.allclose(weights_1_2, w12_book, rtol=1e-9, atol=1e-12)
    # what the book prints at iterations 9, 19, ..., 59
    assert np.allclose(errors[9::10], [0.634231159844, 0.358384076763, 0.0830183113303,
                                       0.0064670549571, 0.000329266900075, 1.50556226651e-05],
                       rtol=1e-10)


def test_deep_step_keeps_the_books_shapes(k):
    weights_0_1, weights_1_2 = ch06.deep_starting_weights()
    assert np.array(weights_0_1).shape == (3, 4) and np.array(weights_1_2).shape == (4, 1)
    step = ch06.deep_step(k, [[1, 0, 1]], [1], weights_0_1, weights_1_2)
    assert np.array(step.layer_1).shape == (1, 4) and np.array(step.layer_2).shape == (1, 1)
    assert np.array(step.weights_0_1).shape == (3, 4) and np.array(step.weights_1_2).shape == (4, 1)
    # relu switched off hidden nodes 1, 3 and 4: their weights do not move
    assert [v > 0 for v in step.layer_1[0]] == [False, True, False, False]
    assert np.allclose(np.array(step.weights_1_2)[[0, 2, 3]], np.array(weights_1_2)[[0, 2, 3]],
                       rtol=0, atol=0)


@pytest.mark.parametrize("trace", [False, True], ids=["default", "trace"])
def test_chapter_prints_its_golden_transcript(backend_name, capsys, train_once, trace):
    out = assert_chapter_prints_golden(ch06, backend_name, capsys, trace)
    printed = [float(line[len("Error:"):]) for line in out.splitlines()
               if line.startswith("Error:") and "Prediction" not in line]
    assert np.allclose(printed[:6], ERRORS_001, atol=5e-9)           # 001, every 10,000
    assert len(printed) == 6 + 40 + 6             # then the book's all-lights and deep loops
    assert sum(line.startswith("Error:") and " Prediction:" in line
               for line in out.splitlines()) == 20  # and its one-light loop
    assert ("l1_error = l2_delta . syn1.T  (the error sent back across syn1):" in out) == trace
    assert ("layer_1 = relu(layer_0 . weights_0_1)" in out) == trace


def test_sixty_thousand_iterations_match_001_on_every_backend(backend_name, train_once):
    result = ch06.train(ch06.X, ch06.y_XOR, hidden=4, iterations=ch06.ITERATIONS, seed=1,
                        backend=backend_name, record_every=ch06.RECORD_EVERY, on_record=None)
    assert result.backend == backend_name
    assert np.allclose(result.errors[::10], ERRORS_001, atol=5e-9)
    assert np.allclose(result.errors[::10], numpy_errors_001(), rtol=1e-9, atol=1e-12)


@functools.lru_cache(maxsize=None)
def numpy_errors_001():
    """The first 6 recorded errors: 001's own code for iterations 0 and 10,000 only is too
    short a check, so this runs it for the whole 60,000 (NumPy: well under a second)."""
    np.random.seed(1)
    syn0 = 2 * np.random.random((3, 4)) - 1
    syn1 = 2 * np.random.random((4, 1)) - 1
    X, y = np.array(ch06.X), np.array(ch06.y_XOR)
    errors = []
    for j in range(60000):
        l1 = nonlin(np.dot(X, syn0))
        l2 = nonlin(np.dot(l1, syn1))
        l2_error = y - l2
        if j % 10000 == 0:
            errors.append(np.mean(np.abs(l2_error)))
        l2_delta = l2_error * nonlin(l2, deriv=True)
        l1_delta = l2_delta.dot(syn1.T) * nonlin(l1, deriv=True)
        syn1 += l1.T.dot(l2_delta)
        syn0 += X.T.dot(l1_delta)
    return tuple(errors)


def test_plot_writes_the_error_pictures(tmp_path, capsys, train_once):
    pytest.importorskip("matplotlib")
    ch06.main(["--backend", "numpy", "--plot", str(tmp_path)])
    assert (tmp_path / "ch06_error_per_iteration.png").stat().st_size > 1000
