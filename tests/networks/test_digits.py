"""The digits network: the book's numbers on every backend, each idea doing what it says, the book's slips."""
import numpy as np
import pytest

import grokking
from referees import book_digits
from grokking.datasets import load_digits, split
from grokking.networks.digits import DigitNetwork, Recipe, book_relu2deriv, train_digits

from grokking.networks.rows import argmax_rows, one_hot, softmax_rows


@pytest.fixture(scope="module")
def small():
    """60 training and 20 test digits: enough to learn something, quick on pure Python."""
    images, labels = load_digits()
    train_images, train_labels, test_images, test_labels = split(images[:80], labels[:80], 0.25, seed=0)
    return (train_images, train_labels), (test_images, test_labels)


def _numbers(network):
    return [np.array(p, dtype=float) for p in network.parameters()]


# Every idea switched on at least once, and how well each learns 60 digits in a few epochs
# (10% is guessing; the full-batch dropout network takes too few steps to be judged).
RECIPES = {
    "plain stochastic": (Recipe(epochs=2), 0.5),
    "bias + momentum + L2, batches of 7": (Recipe(epochs=2, batch_size=7, alpha=0.1, bias=True,
                                                  momentum=0.9, l2=0.01), 0.4),
    "softmax + bias, batches of 5": (Recipe(epochs=3, batch_size=5, alpha=0.5, output="softmax",
                                            bias=True), 0.5),
    "dropout, full batch": (Recipe(epochs=3, batch_size=None, alpha=0.5, dropout=0.5, hidden=16), None),
    "dropout, batches of 2": (Recipe(epochs=3, batch_size=2, alpha=0.05, dropout=0.5, hidden=16), 0.3),
    "sigmoid": (Recipe(epochs=3, activation="sigmoid", alpha=0.3, weight_scale=1.0), 0.4),
    "tanh, early stopping": (Recipe(epochs=3, activation="tanh", batch_size=5, patience=1, alpha=0.3), 0.7),
}


@pytest.mark.parametrize("which", list(RECIPES))
def test_every_backend_learns_the_books_numbers(k, small, which):
    """Every backend (NumPy's too) against the book's network written in NumPy in conftest."""
    train, test = small
    recipe, learns = RECIPES[which]
    got = train_digits(recipe, train, test, k, validation=test)
    want_train, want_test, want_validation, want_best, want = book_digits(recipe, train, test, test)
    assert len(_numbers(got.network)) == (4 if recipe.bias else 2)
    for g, w in zip(_numbers(got.network), want):
        np.testing.assert_allclose(g.ravel(), w.ravel(), rtol=1e-9, atol=1e-12)
    assert (got.train, got.test, got.validation, got.best_epoch) == (
        want_train, want_test, want_validation, want_best)
    if learns is not None:
        assert max(got.train) >= learns, "it learned something"


def test_pure_works_on_lists_and_the_fast_backends_on_arrays(small):
    pure = DigitNetwork(grokking.backend("pure"), Recipe())
    fast = DigitNetwork(grokking.backend("numpy"), Recipe())
    assert type(pure.weights_0_1) is list and isinstance(fast.weights_0_1, np.ndarray)
    assert np.array_equal(np.array(pure.weights_0_1), fast.weights_0_1)


def test_initial_weights_come_from_the_seeded_legacy_generator(k):
    network = DigitNetwork(k, Recipe(hidden=5, seed=7, weight_scale=0.1))
    np.random.seed(7)
    want_0_1 = 0.1 * (2 * np.random.random((64, 5)) - 1)
    want_1_2 = 0.1 * (2 * np.random.random((5, 10)) - 1)
    assert np.array_equal(np.array(network.weights_0_1), want_0_1)
    assert np.array_equal(np.array(network.weights_1_2), want_1_2)


# -- each idea, checked on its own ------------------------------------------------------

def _one_batch(network, images, labels):
    rows = np.array(images, dtype=float) if network.arrays else [list(r) for r in images]
    return rows, one_hot(labels, network.arrays)


def test_l2_adds_l2_times_each_weight_to_its_slope(k, small):
    images, labels = small[0][0][:8], small[0][1][:8]
    plain = DigitNetwork(k, Recipe())
    decayed = DigitNetwork(k, Recipe(l2=0.25))
    layer_0, targets = _one_batch(plain, images, labels)
    layers = plain.forward(layer_0)
    without = plain.gradients(layer_0, targets, *layers)
    with_l2 = decayed.gradients(layer_0, targets, *layers)
    for i, weights in enumerate((plain.weights_0_1, plain.weights_1_2)):
        np.testing.assert_allclose(np.array(with_l2[i]) - np.array(without[i]),
                                   0.25 * np.array(weights), rtol=1e-12, atol=1e-15)


def test_momentum_keeps_part_of_the_last_step(k):
    network = DigitNetwork(k, Recipe(hidden=3, alpha=0.5, momentum=0.9))
    start = np.array(network.weights_1_2)
    grads = [g if network.arrays else g.tolist()
             for g in (np.ones((64, 3)), np.full((3, 10), 2.0))]
    network.update(grads)
    first = start - np.array(network.weights_1_2)
    network.update(grads)
    second = start - first - np.array(network.weights_1_2)
    np.testing.assert_allclose(first, 0.5 * 2.0, rtol=1e-12)
    np.testing.assert_allclose(second, 1.9 * first, rtol=1e-12)   # 0.9 of the last step, plus this one


def test_dropout_switches_off_about_half_and_doubles_the_rest(k):
    network = DigitNetwork(k, Recipe(hidden=50, dropout=0.5))
    mask = np.array(network.dropout_mask(40))
    assert set(np.unique(mask)) == {0.0, 2.0}
    assert 0.4 < (mask == 0).mean() < 0.6


def test_bias_units_learn_and_are_added_to_every_row(k, small):
    history = train_digits(Recipe(epochs=1, bias=True), *small, k)
    network = history.network
    assert np.abs(np.array(network.bias_1)).sum() > 0 and np.abs(np.array(network.bias_2)).sum() > 0
    layer_0, _ = _one_batch(network, small[1][0][:3], small[1][1][:3])
    scores = np.array(network.forward(layer_0)[1])
    by_hand = np.maximum(np.array(layer_0) @ np.array(network.weights_0_1) + np.array(network.bias_1), 0)
    by_hand = by_hand @ np.array(network.weights_1_2) + np.array(network.bias_2)
    np.testing.assert_allclose(scores, by_hand, rtol=1e-12, atol=1e-12)


def test_early_stopping_keeps_the_weights_of_the_best_validation_epoch(small):
    numpy = grokking.backend("numpy")
    train, test = small
    history = train_digits(Recipe(epochs=30, alpha=0.05, patience=3), train, test, numpy, validation=test)
    best = history.best_epoch
    assert best is not None and len(history.train) == best + 3 < 30   # stopped 3 (patience) after it
    assert history.validation[best - 1] == max(history.validation)
    assert history.validation.index(max(history.validation)) == best - 1   # the first best (a tie is not better)
    assert history.network.accuracy(*test) == history.validation[best - 1] == history.final_test


def test_softmax_and_argmax_helpers():
    rows = [[2.0, 1.0, 0.1], [1000.0, 1000.0, -5.0]]
    for m in (rows, np.array(rows)):
        p = np.array(softmax_rows(m))
        np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-15)
        np.testing.assert_allclose(p[0], np.exp([2.0, 1.0, 0.1]) / np.exp([2.0, 1.0, 0.1]).sum())
        assert argmax_rows(m) == [0, 0]          # a tie goes to the first, as np.argmax


# -- the book's two slips in chapter 8 ---------------------------------------------------

def test_book_relu2deriv_gives_slope_1_at_0_the_kernel_gives_0(k):
    assert book_relu2deriv([0.0, 2.0]) == [1.0, 1.0]
    assert k.relu2deriv([0.0, 2.0]) == [0.0, 1.0]
    # on relu outputs (never negative) the book's slope is 1 everywhere:
    outputs = k.relu([-3.0, -0.5, 0.0, 0.5])
    assert book_relu2deriv(outputs) == [1.0, 1.0, 1.0, 1.0]
    assert k.relu2deriv(outputs) == [0.0, 0.0, 0.0, 1.0]


def _dead_unit_change(k, book):
    """How far the weights into a switched-off hidden unit move in one update."""
    network = DigitNetwork(k, Recipe(book_relu2deriv=book))
    w = np.array(network.weights_0_1)
    w[:, 0] = -0.1                                        # unit 0 is off for an all-ones image
    network.weights_0_1 = w if network.arrays else w.tolist()
    layer_0, targets = _one_batch(network, [[1.0] * 64], [3])
    network.train_batch(layer_0, targets)
    return np.abs(np.array(network.weights_0_1)[:, 0] - w[:, 0]).max()


def test_book_relu2deriv_moves_the_weights_of_a_switched_off_unit(k):
    assert _dead_unit_change(k, book=False) == 0.0
    assert _dead_unit_change(k, book=True) > 1e-5


def _batch_change(k, book, batch_size, images, labels):
    network = DigitNetwork(k, Recipe(alpha=0.001, batch_size=batch_size, book_batch_loop=book))
    before = [np.array(p) for p in network.parameters()]
    network.train_batch(*_one_batch(network, images[:batch_size], labels[:batch_size]))
    return [np.array(p) - b for p, b in zip(network.parameters(), before)]


def test_book_batch_loop_updates_once_per_example_instead_of_once_per_batch(k, small):
    images, labels = small[0]
    fixed = _batch_change(k, False, 8, images, labels)
    book = _batch_change(k, True, 8, images, labels)
    # weights_1_2's slope does not depend on weights_1_2: the book's loop moves it exactly 8 times as far
    np.testing.assert_allclose(book[1], 8 * fixed[1], rtol=1e-9, atol=1e-15)
    assert not np.allclose(book[0], fixed[0], rtol=0.5)
    # with one image per batch the two loops are the same
    one_fixed, one_book = (_batch_change(k, b, 1, images, labels) for b in (False, True))
    for f, b in zip(one_fixed, one_book):
        assert np.array_equal(f, b)


# -- clear errors -----------------------------------------------------------------------

@pytest.mark.parametrize("changes, error, words", [
    ({"hidden": 0}, ValueError, "hidden must be at least 1"),
    ({"hidden": 2.5}, TypeError, "hidden must be a whole number"),
    ({"alpha": "0.1"}, TypeError, "alpha must be a number"),
    ({"alpha": -1}, ValueError, "alpha must be in"),
    ({"dropout": 1.0}, ValueError, "dropout must be in"),
    ({"momentum": 1}, ValueError, "momentum must be in"),
    ({"batch_size": 0}, ValueError, "batch_size must be at least 1"),
    ({"activation": "softplus"}, ValueError, "activation must be one of"),
    ({"output": "sigmoid"}, ValueError, "output must be one of"),
    ({"bias": 1}, TypeError, "bias must be True or False"),
    ({"patience": 0}, ValueError, "patience must be at least 1"),
])
def test_recipe_rejects_bad_values(changes, error, words):
    with pytest.raises(error, match=words):
        Recipe(**changes)


def test_train_digits_rejects_bad_data(small):
    train, test = small
    numpy = grokking.backend("numpy")
    with pytest.raises(ValueError, match="got 60 images and 59 labels"):
        train_digits(Recipe(epochs=1), (train[0], train[1][:-1]), test, numpy)
    with pytest.raises(ValueError, match="needs a validation set"):
        train_digits(Recipe(epochs=1, patience=2), train, test, numpy)
    with pytest.raises(TypeError, match="recipe must be a Recipe"):
        train_digits({"epochs": 1}, train, test, numpy)
