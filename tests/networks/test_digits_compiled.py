"""The compiled digits loop (networks/digits_epoch.pyx) learns what the Python loop learns.

``train_digits`` on the cython backend runs each epoch in compiled code. After
3 epochs of every recipe chapters 9-11 train, and of a recipe for every
``Recipe`` option, its weights must agree with the pure backend's and with
NumPy's to 1e-9 (the guide's tolerance after training).

The order of the sums:
- compiled and pure: every weighted sum starts at 0.0 and adds its products in
  index order (pixel 0 to 63, hidden unit 0 to hidden-1, image 0 to batch-1);
  the compiled loop skips the products of 0 pixels, which cannot change a sum
  that started at 0.0. So they give the same bits: the test asserts a difference
  of exactly 0.0 (as long as the weights stay finite: see the diverged recipe);
- NumPy (the book's network written with ``np.dot`` in conftest, and the numpy
  backend): its BLAS adds in blocks, in its own order (and may fuse a multiply
  and an add), so each step differs from the others by about 1e-16. After three
  epochs on all the digits the weights differed by 2e-15 at most here, but for the
  full batch with weight_scale 1 (1.5e-11: big weights, alpha 0.5); in chaotic
  training every step magnifies a difference: ``test_a_chaotic_recipe_is_shown``
  shows one (and ``test_a_diverged_recipe_is_shown`` one whose weights overflow).
"""
import numpy as np
import pytest

import grokking
from referees import book_digits
from marks import needs_compiled
from grokking.chapters import ch09_digits_network as ch09
from grokking.chapters import ch10_digits_overfitting as ch10
from grokking.chapters import ch11_digits_best_network as ch11
from grokking.datasets import load_digits, split
from grokking.lessons.digits import digits_data
from grokking.networks.digits import Recipe, train_digits

pytestmark = needs_compiled

EPOCHS = 3
AFTER_TRAINING = 1e-9


def chapter_recipes(epochs=EPOCHS):
    """``{name: recipe}``: every recipe chapters 9-11 train, at ``epochs`` epochs."""
    batches = dict(ch09.batch_recipes(epochs))
    recipes = {f"ch09 {name}": recipe for name, recipe in batches.items()}
    plain9 = ch09.PLAIN.but(epochs=epochs)
    recipes["ch09 bias"] = plain9.but(bias=True)
    recipes["ch09 book relu2deriv"] = plain9.but(book_relu2deriv=True)
    recipes["ch09 book batch loop"] = batches["mini-batch (32 images)"].but(book_batch_loop=True)
    recipes["ch10 plain"] = ch10.PLAIN.but(epochs=epochs)
    recipes.update({f"ch10 {name}": recipe for name, recipe in ch10.idea_recipes(epochs)})
    recipes["ch11 plain"] = ch11.PLAIN.but(epochs=epochs)
    recipes.update({f"ch11 {name}": recipe.but(epochs=epochs)
                    for name, recipe in ch11.idea_recipes(epochs)})
    return recipes


def option_recipes(epochs=EPOCHS):
    """A recipe for every option of ``Recipe``, some together, some at odd values."""
    plain = Recipe(epochs=epochs, batch_size=8, alpha=0.05)
    return {
        "hidden 37 (two blocks of 16 columns and 5 more)": plain.but(hidden=37),
        "hidden 1": plain.but(hidden=1),
        "batch 7 (does not divide the set)": plain.but(batch_size=7),
        "batch 1, no shuffle, seed 5": plain.but(batch_size=1, shuffle=False, seed=5, alpha=0.01),
        "full batch, weight_scale 1": plain.but(batch_size=None, weight_scale=1.0, alpha=0.5),
        "sigmoid, bias, L2": plain.but(activation="sigmoid", bias=True, l2=0.01, alpha=0.5),
        "tanh, softmax, momentum": plain.but(activation="tanh", output="softmax", momentum=0.5),
        "dropout 0.3, batch 1": plain.but(dropout=0.3, batch_size=1, alpha=0.01),
        "book relu2deriv on tanh": plain.but(activation="tanh", book_relu2deriv=True),
        "book batch loop, bias, L2, momentum": plain.but(book_batch_loop=True, bias=True, l2=0.001,
                                                         momentum=0.9, alpha=0.002),
        "everything": plain.but(hidden=21, batch_size=5, bias=True, activation="sigmoid",
                                output="softmax", l2=0.001, dropout=0.2, momentum=0.5,
                                patience=2, weight_scale=0.3, seed=3, alpha=0.2),
    }


RECIPES = {**chapter_recipes(), **option_recipes()}


@pytest.fixture(scope="module")
def small():
    """40 training, 10 test and 10 validation digits: quick on pure Python."""
    images, labels = load_digits()
    train_images, train_labels, test_images, test_labels = split(images[:60], labels[:60],
                                                                 1 / 3, seed=0)
    return ((train_images, train_labels), (test_images[:10], test_labels[:10]),
            (test_images[10:], test_labels[10:]))


@pytest.fixture(scope="module")
def full():
    """The chapters' split (1,438 training and 359 test digits), the first 300 test ones
    also serving as the validation set (only early stopping looks at it)."""
    train, test = digits_data()
    return train, test, (test[0][:300], test[1][:300])


def trained(recipe, data, backend, **options):
    train, test, validation = data
    return train_digits(recipe, train, test, grokking.backend(backend), validation=validation,
                        **options)


def gap_of(a, b):
    """The largest difference between two lists of matrices; NaN in the same places counts as
    equal (a diverged run), NaN against a number as infinitely far."""
    gaps = []
    for p, q in zip(a, b):
        p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
        if not np.array_equal(np.isnan(p), np.isnan(q)):
            return np.inf
        same = ~np.isnan(p)
        gaps.append(float(np.max(np.abs(p[same] - q[same]), initial=0.0)))
    return max(gaps)


def gap(a, b):
    """The largest difference between the learned parameters of two histories."""
    return gap_of(a.network.parameters(), b.network.parameters())


# Diverged on the small set: the weights overflow to inf. Pure multiplies a 0 pixel by
# an inf weight (NaN) where the compiled loop skips the 0 pixel, so the NaNs sit in other
# places; ``test_a_diverged_recipe_is_shown`` compares what can be compared.
DIVERGED = ["ch09 book batch loop"]


def finite(history):
    return all(np.all(np.isfinite(p)) for p in history.network.parameters())


@pytest.mark.exact   # identical bits: CI runs it again on a build with FMA instructions
@pytest.mark.parametrize("name", [n for n in RECIPES if n not in DIVERGED])
def test_compiled_loop_learns_what_pure_learns(small, name):
    recipe = RECIPES[name]
    compiled, pure = trained(recipe, small, "cython"), trained(recipe, small, "pure")
    difference = gap(compiled, pure)
    assert difference == 0.0, f"{name}: compiled and pure differ by {difference:.1e}"
    assert finite(compiled)
    assert (compiled.train, compiled.test, compiled.validation, compiled.best_epoch) == (
        pure.train, pure.test, pure.validation, pure.best_epoch)
    assert type(compiled.network.weights_0_1) is np.ndarray
    if recipe.momentum:   # momentum's memory is handed back too
        assert gap_of(compiled.network.velocity, pure.network.velocity) == 0.0


@pytest.mark.parametrize("name", DIVERGED)
def test_a_diverged_recipe_is_shown(small, name):
    """Every backend's weights overflow; the accuracies they print are the same."""
    runs = {backend: trained(RECIPES[name], small, backend) for backend in grokking.BACKENDS}
    for backend, history in runs.items():
        assert not finite(history), f"{name} did not diverge on {backend}"
    assert runs["cython"].train == runs["pure"].train == runs["numpy"].train
    assert runs["cython"].test == runs["pure"].test == runs["numpy"].test


SLIPS = [name for name, recipe in RECIPES.items()
         if (recipe.book_relu2deriv or recipe.book_batch_loop) and name not in DIVERGED]


@pytest.mark.parametrize("name", [n for n in RECIPES if n not in SLIPS + DIVERGED])
def test_compiled_loop_agrees_with_the_books_numpy_on_all_the_digits(full, name):
    """Against the book's network written with np.dot (conftest), on the chapters' data."""
    recipe = RECIPES[name]
    compiled = trained(recipe, full, "cython")
    want_train, want_test, want_validation, want_best, want = book_digits(recipe, *full)
    difference = max(float(np.max(np.abs(np.asarray(p) - np.reshape(w, np.shape(p)))))
                     for p, w in zip(compiled.network.parameters(), want))
    assert difference < AFTER_TRAINING, f"{name}: {difference:.1e}"
    assert (compiled.train, compiled.test, compiled.validation, compiled.best_epoch) == (
        want_train, want_test, want_validation, want_best)


@pytest.mark.parametrize("name", SLIPS)
def test_compiled_loop_agrees_with_the_numpy_backend_on_the_books_slips(small, name):
    """The book's two slips are not in conftest's network: the numpy backend is the referee."""
    compiled, numpy = trained(RECIPES[name], small, "cython"), trained(RECIPES[name], small, "numpy")
    assert gap(compiled, numpy) < AFTER_TRAINING
    assert (compiled.train, compiled.test) == (numpy.train, numpy.test)


def test_the_python_loop_with_the_compiled_kernels_is_still_there(small):
    """compiled_loop=False runs network.py's loop with the cython kernels (chapter 8's ladder)."""
    recipe = RECIPES["ch11 best: all together"].but(epochs=2)
    loop = trained(recipe, small, "cython")
    kernels = trained(recipe, small, "cython", compiled_loop=False)
    assert gap(loop, kernels) < 1e-12 and loop.test == kernels.test


@pytest.mark.exact
def test_a_chaotic_recipe_is_shown(small, full):
    """tanh and softmax at batch 1 with alpha 0.3: every step magnifies a rounding difference.

    NumPy's order of addition and ours part ways within the first epoch, and after
    three the weights differ by whole units: both are the same training, on two
    paths that rounding sent apart. Compiled and pure, adding in the same order,
    stay identical.
    """
    recipe = Recipe(epochs=EPOCHS, alpha=0.3, batch_size=1, activation="tanh", output="softmax")
    compiled = trained(recipe, full, "cython")
    *_, want = book_digits(recipe, *full)
    numpy_gap = max(float(np.max(np.abs(p - w))) for p, w in zip(compiled.network.parameters(), want))
    print(f"\nchaotic recipe (tanh, softmax, alpha 0.3, batch 1): compiled vs NumPy after {EPOCHS} "
          f"epochs {numpy_gap:.1e}; test accuracy {compiled.test[-1]:.3f}")
    assert numpy_gap > 1.0, f"not chaotic after all: {numpy_gap:.1e}"
    assert gap(trained(recipe, small, "cython"), trained(recipe, small, "pure")) == 0.0


# -- called directly: it reads its arguments into memory of its own, and says what is wrong ---

def _network(recipe, pixels=4):
    from grokking.networks import digits_epoch as digits
    rng = np.random.RandomState(0)
    return digits.DigitNetwork(recipe, rng.random_sample((pixels, recipe.hidden)) - 0.5,
                               rng.random_sample((recipe.hidden, 10)) - 0.5,
                               np.zeros((1, recipe.hidden)), np.zeros((1, 10)))


def test_it_keeps_copies_of_what_it_is_given():
    from grokking.networks import digits_epoch as digits
    recipe = Recipe(hidden=3, batch_size=2, alpha=0.5)
    images, labels, order = np.eye(4), [0, 1, 2, 3], [3, 1, 0, 2]
    weights = [np.full((4, 3), 0.1), np.full((3, 10), 0.2), np.zeros((1, 3)), np.zeros((1, 10))]
    kept = [w.copy() for w in weights]
    network, examples = digits.DigitNetwork(recipe, *weights), digits.Examples(images, labels)
    images[:], weights[0][:] = 7.0, 7.0          # the caller's arrays change afterwards
    labels.clear()
    network.train_epoch(examples, order)
    order.clear()
    for given, before in zip(weights[1:], kept[1:]):
        assert np.array_equal(given, before)      # never changed by the call
    again = digits.DigitNetwork(recipe, *kept)
    again.train_epoch(digits.Examples(np.eye(4), [0, 1, 2, 3]), [3, 1, 0, 2])
    assert all(np.array_equal(a, b) for a, b in zip(network.parameters(), again.parameters()))


class Sly(float):
    """A label whose __float__ clears the images list while the labels are read."""
    victim = None

    def __float__(self):
        Sly.victim.clear()
        return float.__float__(self)


def test_an_argument_changed_while_it_is_read_is_no_crash():
    from grokking.networks import digits_epoch as digits
    images = [[1.0, 0.0], [0.0, 2.0]]
    Sly.victim = images
    examples = digits.Examples(images, [Sly(1.0), 2])     # the images were read first
    assert images == [] and (examples.rows, examples.pixels) == (2, 2)
    network = _network(Recipe(hidden=2), pixels=2)
    assert 0.0 <= network.accuracy(examples) <= 1.0


@pytest.mark.parametrize("call, error, message", [
    (lambda d: d.Examples([[1.0, 2.0]], [10]), ValueError,
     r"^Examples: labels must be whole numbers from 0 to 9, got labels\[0\] = 10"),
    (lambda d: d.Examples([[1.0, 2.0], [1.0]], [1, 2]), ValueError, r"^Examples: images\[0\] has 2"),
    (lambda d: d.Examples([], []), ValueError, r"^Examples: images must have at least one image"),
    (lambda d: d.Examples([[1.0]], [1, 2]), ValueError, r"^Examples: images and labels must have"),
    (lambda d: d.DigitNetwork("relu", [[1.0]], [[1.0] * 10], [[0.0]], [[0.0] * 10]), TypeError,
     r"^DigitNetwork: recipe must be a Recipe"),
    (lambda d: d.DigitNetwork(Recipe(hidden=2), [[1.0]], [[1.0] * 10], [[0.0]], [[0.0] * 10]),
     ValueError, r"^DigitNetwork: weights_0_1 must have a row per pixel and 2 columns"),
    (lambda d: d.DigitNetwork(Recipe(hidden=1), [[1.0]], [[1.0] * 9], [[0.0]], [[0.0] * 10]),
     ValueError, r"^DigitNetwork: weights_1_2 must be 1 x 10, got 1 x 9"),
    (lambda d: _network(Recipe(hidden=2)).train_epoch([[1.0] * 4], [0]), TypeError,
     r"^train_epoch: examples must be digits.Examples"),
    (lambda d: _network(Recipe(hidden=2)).train_epoch(d.Examples(np.eye(4), [1] * 4), [0, 4]),
     ValueError, r"^train_epoch: order must hold positions from 0 to 3"),
    (lambda d: _network(Recipe(hidden=2)).train_epoch(d.Examples(np.eye(4), [1] * 4), [0.5]),
     TypeError, r"^train_epoch: order must be a list of image positions"),
    (lambda d: _network(Recipe(hidden=2)).train_epoch(d.Examples(np.eye(3), [1] * 3), [0]),
     ValueError, r"^train_epoch: the examples have 3 pixels but the network has 4 inputs"),
    (lambda d: _network(Recipe(hidden=2, dropout=0.5)).train_epoch(d.Examples(np.eye(4), [1] * 4),
                                                                    [0, 1], np.ones((1, 2))),
     ValueError, r"^train_epoch: dropout_masks must be 2 x 2"),
    (lambda d: _network(Recipe(hidden=2)).train_epoch(d.Examples(np.eye(4), [1] * 4), [0],
                                                      np.ones((1, 2))),
     ValueError, r"^train_epoch: this recipe has no dropout"),
    (lambda d: _network(Recipe(hidden=2)).accuracy(None), TypeError,
     r"^accuracy: examples must be digits.Examples"),
])
def test_bad_input_gets_a_clear_error(call, error, message):
    from grokking.networks import digits_epoch as digits
    with pytest.raises(error, match=message):
        call(digits)
