"""The playground's network (grokking.networks.playground) on every backend, against a NumPy referee
of the same step written a batch at a time (tests/referees.py); and its data sets
(grokking.lab.playground), which the page draws again in JavaScript (tests/lab/test_playground_browser.py)."""
import math

import numpy as np
import pytest

import grokking
from grokking.lab.playground import NAMES, PLANES, data_set
from grokking.lessons.sources import X, y_XOR
from grokking.networks.playground import Playground
from referees import playground_initial_weights, playground_step

CASES = [  # (data, noise, sizes, activation, alpha, batch_size)
    ("circles", 0.05, [3, 4, 4, 1], "tanh", 1, 10),
    ("spirals", 0.1, [3, 8, 8, 8, 1], "relu", 0.3, 1),
    ("two blobs", 0.3, [3, 1], "sigmoid", 3, 7),
    ("xor table", 0.0, [3, 4, 1], "sigmoid", 10, 4),
    ("streetlights", 0.0, [3, 2, 1], "relu", 0.1, 5),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] + "-" + c[3] for c in CASES])
def test_the_network_takes_the_referees_steps(k, case):
    name, noise, sizes, activation, alpha, batch_size = case
    data = data_set(name, noise, 50, seed=3)
    net = Playground.start(sizes, activation, seed=3)
    weights = playground_initial_weights(sizes, 3)
    rows, targets = np.array(data.train_rows), np.array(data.train_targets)
    for step in range(30):
        net.step(k, data.train_rows, data.train_targets, alpha, batch_size)
        weights = playground_step(weights, rows, targets, activation, alpha, batch_size, step)
    assert net.steps == 30
    for got, want in zip(net.weights, weights):
        assert np.allclose(np.asarray(got, dtype=float), want, rtol=1e-12, atol=1e-12)
    outputs = np.array([net.forward(k, row)[-1][0] for row in data.train_rows])
    assert math.isclose(net.error(k, data.train_rows, data.train_targets),
                        float(np.mean(np.abs(outputs - targets[:, 0]))), rel_tol=1e-12)


@pytest.mark.exact
def test_pure_and_compiled_give_identical_bits():
    pytest.importorskip("grokking.kernels.compiled")
    runs = []
    for name in ("pure", "cython"):
        data = data_set("spirals", 0.1, 60, seed=5)
        net = Playground.start([3, 5, 5, 1], "tanh", seed=5)
        for _ in range(40):
            net.step(grokking.backend(name), data.train_rows, data.train_targets, 1, 3)
        runs.append(net.weights)
    assert runs[0] == runs[1]


def test_the_initial_weights_are_the_sources_draw():
    net = Playground.start([3, 4, 1], "sigmoid", seed=1)
    np.random.seed(1)   # 001's own lines
    syn0 = 2 * np.random.random((3, 4)) - 1
    syn1 = 2 * np.random.random((4, 1)) - 1
    assert net.weights == [syn0.tolist(), syn1.tolist()]


def test_bad_sizes_or_activation_get_a_clear_error():
    with pytest.raises(ValueError, match="sizes must be 2 or more layers"):
        Playground.start([3], "tanh")
    with pytest.raises(ValueError, match=r"2 or more layers of 1 or more nodes, got \[3, 0, 1\]"):
        Playground.start([3, 0, 1], "tanh")
    with pytest.raises(ValueError, match="activation must be one of sigmoid, tanh, relu, got 'softmax'"):
        Playground.start([3, 1], "softmax")
    net, k = Playground.start([3, 1], "tanh"), grokking.backend("pure")
    with pytest.raises(ValueError, match="batch_size must be a whole number of 1 or more, got 0"):
        net.step(k, [[1.0, 0.0, 1.0]], [[1.0]], 0.1, 0)
    with pytest.raises(ValueError, match="got 1 rows and 0 targets"):
        net.step(k, [[1.0, 0.0, 1.0]], [], 0.1, 1)
    assert net.steps == 0


def test_the_tables_are_the_sources():
    xor = data_set("xor table")
    assert xor.rows == [[float(v) for v in row] for row in X]
    assert xor.targets == [[float(v[0])] for v in y_XOR]
    assert xor.test_rows == [] and xor.train_rows == xor.rows
    lights = data_set("streetlights")
    assert lights.rows[0] == [1.0, 0.0, 1.0] and len(lights.rows) == 6
    assert [t[0] for t in lights.targets] == [0.0, 1.0, 0.0, 1.0, 1.0, 0.0]   # book chapter 6's walk_vs_stop


@pytest.mark.parametrize("name", PLANES)
def test_each_plane_set_is_what_it_says(name):
    data = data_set(name, noise=0.0, train_percent=30, seed=2)
    points = np.array(data.rows)
    labels = np.array(data.targets)[:, 0]
    assert points.shape == (200, 3) and set(labels) == {0.0, 1.0} and (points[:, 2] == 1).all()
    assert len(data.train_rows) == 60 and len(data.test_rows) == 140
    assert data.train_rows + data.test_rows == data.rows
    radius = np.hypot(points[:, 0], points[:, 1])
    if name == "circles":
        assert (radius[labels == 1] <= 0.45).all() and (radius[labels == 0] >= 0.65).all()
    elif name == "two blobs":
        centre = np.where(labels[:, None] == 1, 0.45, -0.45)
        assert (np.hypot(*(points[:, :2] - centre).T) <= 0.4 + 1e-12).all()
    elif name == "xor quadrants":
        assert ((points[:, 0] * points[:, 1] > 0) == (labels == 1)).all()
        assert (np.abs(points[:, :2]) >= 0.1).all() and (np.abs(points[:, :2]) <= 1.0).all()
    else:
        assert (radius >= 0.1 - 1e-12).all() and (radius <= 0.95 + 1e-12).all()
    noisy = np.array(data_set(name, noise=0.2, train_percent=30, seed=2).rows)
    moved = np.abs(noisy - points)
    assert moved.max() <= 0.2 and moved.max() > 0.1   # the same points, each moved by the noise
    assert np.array(data_set(name, seed=3).rows).tolist() != points.tolist()


def test_a_bad_name_or_split_gets_a_clear_error():
    assert len(NAMES) == 6
    with pytest.raises(ValueError, match="name must be one of 'xor table'"):
        data_set("moons")
    with pytest.raises(ValueError, match="train_percent must be 0 to 100, got 120"):
        data_set("circles", train_percent=120)
