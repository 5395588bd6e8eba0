"""grokking.networks.federated: the owners' split, rounds of federated averaging against a NumPy
referee written here (the book's chapter 8 network, one image at a time, averaged as the
book's chapter 15 averages), the leak against NumPy, and secure aggregation against the
plain average."""
import numpy as np
import pytest

import grokking
from marks import needs_compiled
from grokking.lessons.digits import digits_data
from grokking.networks.federated import (MAIN_DIGITS, EncryptedModel, average, decrypt_average, encrypt_model,
                                federated_rounds, pixels_moved, split_among_owners)
from grokking.networks.digits import DigitNetwork, Recipe, train_digits
from grokking.networks.paillier import FRACTION_BITS, generate_keypair

RECIPE = Recipe(hidden=32, alpha=0.01, epochs=1, batch_size=1)   # chapter 17's
HALF_STEP = 2.0 ** -(FRACTION_BITS + 1)


@pytest.fixture(scope="module")
def small():
    """``(owners, test)`` of the first 200 digits (160 to train on)."""
    train, test = digits_data(200)
    return split_among_owners(train), test


def numpy_federated(recipe, owners, test, rounds):
    """The referee: weights after each round and the averaged model's test accuracy, in NumPy.

    Each owner's copy draws its random numbers as a new network of seed ``seed + round - 1``
    does (the initial weights first, then each epoch's order); the copies' mean is the model.
    """
    def start(seed):
        rng = np.random.RandomState(seed)
        w01 = recipe.weight_scale * (2 * rng.random_sample((64, recipe.hidden)) - 1)
        w12 = recipe.weight_scale * (2 * rng.random_sample((recipe.hidden, 10)) - 1)
        return rng, w01, w12

    _, w01, w12 = start(recipe.seed)
    history = []
    for number in range(1, rounds + 1):
        copies = []
        for owner in owners:
            rng, _, _ = start(recipe.seed + number - 1)
            a, b = w01.copy(), w12.copy()
            images, labels = np.array(owner.images), np.array(owner.labels)
            for i in rng.permutation(len(labels)):
                layer_0 = images[i:i + 1]
                layer_1 = np.maximum(layer_0.dot(a), 0)
                layer_2_delta = layer_1.dot(b) - np.eye(10)[labels[i:i + 1]]
                layer_1_delta = layer_2_delta.dot(b.T) * (layer_1 > 0)
                b = b - recipe.alpha * layer_1.T.dot(layer_2_delta)
                a = a - recipe.alpha * layer_0.T.dot(layer_1_delta)
            copies.append((a, b))
        w01 = sum(c[0] for c in copies) / len(copies)
        w12 = sum(c[1] for c in copies) / len(copies)
        guesses = np.argmax(np.maximum(np.array(test[0]).dot(w01), 0).dot(w12), axis=1)
        history.append((w01, w12, float(np.mean(guesses == np.array(test[1])))))
    return history


# -- the owners ------------------------------------------------------------------------

def test_every_training_image_goes_to_one_owner_mostly_its_digits_main_owner():
    train, _ = digits_data()
    owners = split_among_owners(train)
    assert [o.name for o in owners] == ["Bob", "Alice", "Sue"]
    assert sum(len(o.labels) for o in owners) == len(train[1])
    dealt = sorted((tuple(image), label) for o in owners for image, label in zip(o.images, o.labels))
    assert dealt == sorted((tuple(image), label) for image, label in zip(*train))
    for digit in range(10):
        total = train[1].count(digit)
        main = next(o for o in owners if digit in MAIN_DIGITS[o.name])
        assert main.labels.count(digit) == sum(1 for j in range(total) if j % 10 < 8)
        assert sum(o.labels.count(digit) for o in owners) == total
    assert [len(o.labels) for o in owners] == [560, 444, 434]       # uneven, as the chapter prints


@pytest.mark.parametrize("change, error, words", [
    ({"rounds": 0}, ValueError, "rounds must be a whole number of at least 1, got 0"),
    ({"rounds": 2.0}, ValueError, "rounds must be a whole number of at least 1, got 2.0"),
    ({"owners": []}, ValueError, "every owner needs at least one image"),
    ({"recipe": "plain"}, TypeError, "recipe must be a Recipe, got str"),
])
def test_bad_rounds_get_a_clear_error(small, change, error, words):
    owners, test = small
    arguments = {"recipe": RECIPE, "owners": owners, "rounds": 1, **change}
    with pytest.raises(error, match=words):
        federated_rounds(grokking.backend("numpy"), arguments["recipe"], arguments["owners"], test,
                         arguments["rounds"])


def test_a_digit_without_a_main_owner_is_refused():
    with pytest.raises(ValueError, match="every digit 0..9 needs one main owner"):
        split_among_owners(digits_data(50)[0], {"Bob": (0, 1), "Alice": (2, 3)})


# -- rounds against the referee ----------------------------------------------------------

def test_federated_rounds_match_the_numpy_referee(k, small):
    owners, test = small
    run = federated_rounds(k, RECIPE, owners, test, rounds=2)
    for got, (w01, w12, accuracy) in zip(run.rounds, numpy_federated(RECIPE, owners, test, 2)):
        np.testing.assert_allclose(np.array(got.average[0]), w01, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(np.array(got.average[1]), w12, rtol=1e-9, atol=1e-12)
        assert got.test == accuracy
        assert isinstance(got.average[0], list) == (k.name == "pure")


def test_average_is_the_mean_of_the_models(k, ref):
    rng = np.random.RandomState(0)
    models = [[rng.random_sample((4, 3)), rng.random_sample((3, 2))] for _ in range(3)]
    if k.name == "pure":
        models = [[m.tolist() for m in model] for model in models]
    for got, want in zip(average(k, models), (np.mean([np.array(m[i]) for m in models], axis=0)
                                              for i in (0, 1))):
        np.testing.assert_allclose(np.array(got), want, rtol=1e-15)


def test_one_owner_with_everything_for_one_round_is_train_digits(k, small):
    owners, test = small
    everyone = [owners[0].__class__("all", sum((o.images for o in owners), []),
                                    sum((o.labels for o in owners), []))]
    run = federated_rounds(k, RECIPE, everyone, test, rounds=1)
    history = train_digits(RECIPE, (everyone[0].images, everyone[0].labels), test, k)
    for got, want in zip(run.parameters, history.network.parameters()):
        np.testing.assert_allclose(np.array(got), np.array(want), rtol=1e-9, atol=1e-12)


# -- the leak --------------------------------------------------------------------------

def test_the_pixels_that_moved_are_the_image_times_one_number(k, small):
    owners, _ = small
    image, label = owners[0].images[0], owners[0].labels[0]
    start = DigitNetwork(k, RECIPE).parameters()
    moved = pixels_moved(k, RECIPE, start, image, label)
    w01, w12 = (np.array(m) for m in start)
    layer_1 = np.maximum(np.array([image]).dot(w01), 0)
    layer_1_delta = (layer_1.dot(w12) - np.eye(10)[[label]]).dot(w12.T) * (layer_1 > 0)
    want = RECIPE.alpha * np.array(image) * np.linalg.norm(layer_1_delta)
    np.testing.assert_allclose(moved, want, rtol=1e-9, atol=1e-15)
    assert [m > 0 for m in moved] == [p > 0 for p in image] and 0 < sum(p > 0 for p in image) < 64


# -- secure aggregation ------------------------------------------------------------------

@pytest.fixture(scope="module")
def keypair():
    return generate_keypair(128, rng=17)


def test_secure_rounds_agree_with_plain_ones_to_half_a_fixed_point_step(k, small, keypair):
    owners, test = small
    recipe = RECIPE.but(hidden=4)     # 296 weights instead of 2,368: encryption is the slow part
    plain = federated_rounds(k, recipe, owners, test, rounds=2)
    secure = federated_rounds(k, recipe, owners, test, rounds=2, keypair=keypair)
    for r in secure.rounds:
        assert 0 < r.difference <= HALF_STEP + 1e-16
        assert r.test == r.plain_test
        assert r.secure.seconds_encrypting > 0 and r.secure.seconds_decrypting > 0
        assert isinstance(r.average[0], list) == (k.name == "pure")
    # the second round started from the encrypted average: still within rounding of the plain run
    for got, want in zip(secure.parameters, plain.parameters):
        np.testing.assert_allclose(np.array(got), np.array(want), rtol=0, atol=1e-9)
    assert secure.tests == plain.tests


def test_encrypted_models_add_without_decrypting_and_refuse_other_shapes(keypair):
    public_key, private_key = keypair
    a = encrypt_model(public_key, [[[0.5, -0.25]], [[1.0]]])
    b = encrypt_model(public_key, [[[1.5, 0.25]], [[-3.0]]])
    assert decrypt_average(private_key, a + b, 2, like_arrays=False) == [[[1.0, 0.0]], [[-1.0]]]
    arrays = decrypt_average(private_key, a + b, 2, like_arrays=True)
    assert isinstance(arrays[0], np.ndarray) and arrays[0].shape == (1, 2)
    with pytest.raises(ValueError, match="the shapes differ"):
        a + EncryptedModel([(1, 1), (1, 1)], b.numbers)


# -- what the full chapter claims (the fast backend: ten rounds on all the digits) ----------------

@needs_compiled
def test_the_chapters_claims_on_the_full_run():
    """Federated averaging beats each owner alone and stays below one model on all the images."""
    k = grokking.backend("cython")
    train, test = digits_data()
    owners = split_among_owners(train)
    federated = federated_rounds(k, RECIPE, owners, test, rounds=10).tests[-1]
    everyone = train_digits(RECIPE.but(epochs=10), train, test, k).final_test
    alone = [train_digits(RECIPE.but(epochs=10), (o.images, o.labels), test, k).final_test for o in owners]
    assert max(alone) + 0.10 < federated < everyone
    assert (round(100 * federated, 1), round(100 * everyone, 1)) == (92.2, 96.4)
