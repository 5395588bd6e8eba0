"""grokking.networks.convolution: get_image_section / im2col against NumPy slicing, clear errors, and the
convolutional network on every backend against the book's chapter 10 code written in NumPy."""
import numpy as np
import pytest

from grokking.networks.convolution import (ConvNetwork, ConvRecipe, as_image, get_image_section,
                                  image_patches, parameter_count, regroup, train_conv)
from grokking.lessons.digits import digits_data
from grokking.networks.rows import one_hot

IMAGE = [[float(8 * r + c) for c in range(8)] for r in range(8)]   # pixel = its position 0..63


# -- the referee: the book's chapter 10 code, in NumPy ----------------------------------

def book_get_image_section(layer, row_from, row_to, col_from, col_to):
    """The book's, as written: a batch of images in, one section of each out."""
    section = layer[:, row_from:row_to, col_from:col_to]
    return section.reshape(-1, 1, row_to - row_from, col_to - col_from)


def book_flattened_input(layer_0, recipe):
    """The book's im2col for a batch, over every position (its loop stops one short)."""
    sects = [book_get_image_section(layer_0, row_start, row_start + recipe.kernel_rows,
                                    col_start, col_start + recipe.kernel_cols)
             for row_start in range(layer_0.shape[1] - recipe.kernel_rows + 1)
             for col_start in range(layer_0.shape[2] - recipe.kernel_cols + 1)]
    expanded_input = np.concatenate(sects, axis=1)
    es = expanded_input.shape
    return expanded_input.reshape(es[0] * es[1], -1)


def book_conv(recipe, train, test):
    """The book's chapter 10 network in NumPy with ``np.dot``, following ``recipe``, with the
    fixes ``grokking.networks.convolution`` names (every position; both updates downhill; the error
    divided by the batch once; tanh2deriv of the tanh output). Random numbers are drawn as
    ``ConvNetwork`` draws them, from one ``RandomState(recipe.seed)``: the kernels,
    ``weights_1_2``, then each epoch's order and each batch's dropout mask.

    Returns ``(train accuracies, test accuracies, kernels, weights_1_2)``.
    """
    rng = np.random.RandomState(recipe.seed)
    kernels = recipe.kernel_scale * (2 * rng.random_sample(
        (recipe.kernel_rows * recipe.kernel_cols, recipe.num_kernels)) - 1)
    positions = (8 - recipe.kernel_rows + 1) * (8 - recipe.kernel_cols + 1)
    hidden_size = positions * recipe.num_kernels
    weights_1_2 = recipe.weight_scale * (2 * rng.random_sample((hidden_size, 10)) - 1)
    images = np.array(train[0], dtype=float).reshape(-1, 8, 8)
    labels = np.eye(10)[np.array(train[1])]

    def softmax(x):
        temp = np.exp(x - x.max(axis=1, keepdims=True))
        return temp / np.sum(temp, axis=1, keepdims=True)

    def accuracy(data):
        layer_0 = np.array(data[0], dtype=float).reshape(-1, 8, 8)
        layer_1 = np.tanh(book_flattened_input(layer_0, recipe).dot(kernels).reshape(len(layer_0), -1))
        return float(np.mean(np.argmax(layer_1.dot(weights_1_2), axis=1) == np.array(data[1])))

    train_accuracy, test_accuracy = [], []
    for _ in range(recipe.epochs):
        order = rng.permutation(len(images))
        for start in range(0, len(images), recipe.batch_size):
            rows = order[start:start + recipe.batch_size]
            layer_0 = images[rows]
            flattened_input = book_flattened_input(layer_0, recipe)
            kernel_output = flattened_input.dot(kernels)
            layer_1 = np.tanh(kernel_output.reshape(len(rows), -1))
            dropout_mask = rng.randint(2, size=layer_1.shape) * 2 if recipe.dropout else 1
            layer_2 = softmax(np.dot(layer_1 * dropout_mask, weights_1_2))
            layer_2_delta = (layer_2 - labels[rows]) / len(rows)
            layer_1_delta = layer_2_delta.dot(weights_1_2.T) * (1 - layer_1 ** 2) * dropout_mask
            weights_before = weights_1_2
            weights_1_2 = weights_1_2 - recipe.alpha * (layer_1 * dropout_mask).T.dot(layer_2_delta)
            k_update = flattened_input.T.dot(layer_1_delta.reshape(kernel_output.shape))
            if recipe.book_kernel_update:     # as the book writes it: from labels - layer_2, subtracted
                book_layer_1_delta = (-layer_2_delta).dot(weights_before.T) * (1 - layer_1 ** 2) * dropout_mask
                k_update = flattened_input.T.dot(book_layer_1_delta.reshape(kernel_output.shape))
            kernels = kernels - recipe.alpha * k_update
        train_accuracy.append(accuracy(train))
        test_accuracy.append(accuracy(test))
    return train_accuracy, test_accuracy, kernels, weights_1_2


# -- cutting images into patches --------------------------------------------------------

def test_get_image_section_is_the_books_slice_read_row_after_row():
    assert get_image_section([[1, 2, 3], [4, 5, 6], [7, 8, 9]], 1, 3, 0, 2) == [4.0, 5.0, 7.0, 8.0]
    layer = np.array(IMAGE)[None]
    for row_from, row_to, col_from, col_to in [(0, 3, 0, 3), (5, 8, 5, 8), (2, 4, 1, 7), (0, 8, 0, 8),
                                               (7, 8, 0, 1)]:
        want = book_get_image_section(layer, row_from, row_to, col_from, col_to).reshape(-1).tolist()
        assert get_image_section(IMAGE, row_from, row_to, col_from, col_to) == want
    assert get_image_section(np.array(IMAGE), 0, 2, 0, 2) == [0.0, 1.0, 8.0, 9.0]


def test_image_patches_is_the_books_im2col_of_one_image():
    patches = image_patches(IMAGE)
    assert len(patches) == 36 and all(len(patch) == 9 for patch in patches)
    want = book_flattened_input(np.array(IMAGE)[None], ConvRecipe())
    assert patches == want.tolist()
    assert patches[1] == [1.0, 2.0, 3.0, 9.0, 10.0, 11.0, 17.0, 18.0, 19.0]   # one pixel right
    assert patches[6] == [8.0, 9.0, 10.0, 16.0, 17.0, 18.0, 24.0, 25.0, 26.0]  # one row down
    assert len(image_patches(IMAGE, 2, 4)) == 7 * 5
    assert image_patches(IMAGE, 8, 8) == [[float(i) for i in range(64)]]


def test_as_image_and_regroup_only_reshape():
    assert as_image(list(range(64))) == IMAGE
    m = [[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]
    assert regroup(m, 2) == [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]
    assert regroup(regroup(m, 2), 4) == m
    assert regroup(np.array(m), 8).tolist() == [[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]]


@pytest.mark.parametrize("args, error, words", [
    ((IMAGE, 0, 9, 0, 3), ValueError, "row_to must be between 1 and 8, got 9"),
    ((IMAGE, 3, 3, 0, 3), ValueError, "row_to must be between 4 and 8, got 3"),
    ((IMAGE, -1, 2, 0, 3), ValueError, "row_from must be between 0 and 7, got -1"),
    ((IMAGE, 0, 3, 6, 5), ValueError, "col_to must be between 7 and 8, got 5"),
    ((IMAGE, 0, 3.0, 0, 3), TypeError, "row_to must be a whole number, got float 3.0"),
    ((IMAGE, True, 3, 0, 3), TypeError, "row_from must be a whole number"),
    (([[1, 2], [3]], 0, 1, 0, 1), ValueError, "image[0]"),
    (([[1, "x"]], 0, 1, 0, 1), TypeError, "image[0][1] must be a number, got str 'x'"),
    (("image", 0, 1, 0, 1), TypeError, "get_image_section: image must be"),
])
def test_get_image_section_says_what_is_wrong(args, error, words):
    with pytest.raises(error, match=r"^get_image_section: ") as raised:
        get_image_section(*args)
    assert words in str(raised.value)


def test_bad_patch_sizes_and_images_are_named():
    with pytest.raises(ValueError, match=r"image_patches: kernel_rows must be a whole number from "
                                         r"1 to 8 \(the image's size\), got int 9"):
        image_patches(IMAGE, 9, 3)
    with pytest.raises(ValueError, match="kernel_cols .* got float 2.0"):
        image_patches(IMAGE, 3, 2.0)
    with pytest.raises(ValueError, match=r"as_image: pixels must hold 8 x 8 = 64 numbers, got 63"):
        as_image([0.0] * 63)


def test_nothing_changes_its_argument():
    image = [row[:] for row in IMAGE]
    get_image_section(image, 0, 3, 0, 3)
    image_patches(image)
    assert image == IMAGE


# -- the recipe and the network ------------------------------------------------------------

@pytest.mark.parametrize("change, error, words", [
    ({"epochs": 0}, ValueError, "ConvRecipe: epochs must be at least 1, got 0"),
    ({"batch_size": 2.5}, TypeError, "ConvRecipe: batch_size must be a whole number, got 2.5"),
    ({"alpha": -1}, ValueError, "ConvRecipe: alpha must be 0 or more (and finite), got -1"),
    ({"alpha": "0.1"}, TypeError, "ConvRecipe: alpha must be a number, got '0.1'"),
    ({"dropout": 0.5}, TypeError, "ConvRecipe: dropout must be True or False, got 0.5"),
    ({"book_kernel_update": 1}, TypeError, "ConvRecipe: book_kernel_update must be True or False, got 1"),
    ({"num_kernels": True}, TypeError, "ConvRecipe: num_kernels must be a whole number, got True"),
])
def test_a_bad_recipe_is_refused_by_name(change, error, words):
    with pytest.raises(error) as raised:
        ConvRecipe(**change)
    assert str(raised.value) == words


def test_train_conv_refuses_bad_data(k):
    with pytest.raises(TypeError, match="train_conv: recipe must be a ConvRecipe, got dict"):
        train_conv({}, ([], []), ([], []), k)
    with pytest.raises(ValueError, match="train_conv: the train set needs one label per image, and "
                                         "at least one image: got 2 images and 1 labels"):
        train_conv(ConvRecipe(), ([[0.0] * 64] * 2, [1]), ([[0.0] * 64], [1]), k)
    with pytest.raises(ValueError, match="the test set .* got 0 images and 0 labels"):
        train_conv(ConvRecipe(), ([[0.0] * 64], [1]), ([], []), k)
    with pytest.raises(ValueError, match="ConvNetwork: a 9x3 kernel does not fit in a 8x8 image"):
        ConvNetwork(k, ConvRecipe(kernel_rows=9))


def test_sizes_for_8x8_digits(k):
    network = ConvNetwork(k, ConvRecipe())
    assert (network.patches, network.hidden_size) == (36, 576)
    assert parameter_count(network) == 9 * 16 + 576 * 10
    assert np.shape(network.kernels) == (9, 16) and np.shape(network.weights_1_2) == (576, 10)


SHORT_DATA = 200                                     # 160 training images, 40 test
SHORT_RECIPE = ConvRecipe(epochs=2, batch_size=16)


@pytest.fixture(scope="module")
def short_data():
    return digits_data(SHORT_DATA)


VARIANTS = {"with dropout, 2 epochs": {},
            "without dropout": {"dropout": False, "epochs": 1},
            "the book's kernel update": {"book_kernel_update": True, "epochs": 1}}


@pytest.mark.parametrize("change", VARIANTS.values(), ids=VARIANTS.keys())
def test_every_backend_learns_what_the_books_numpy_code_learns(k, short_data, change):
    """Kernels and weights_1_2 agree to 1e-9 with the book's NumPy code, and so every accuracy
    (the three backends therefore agree with each other too)."""
    recipe = SHORT_RECIPE.but(**change)
    want_train, want_test, want_kernels, want_weights = book_conv(recipe, *short_data)
    history = train_conv(recipe, *short_data, k)
    network = history.network
    assert history.train == want_train and history.test == want_test
    np.testing.assert_allclose(np.array(network.kernels, dtype=float), want_kernels, rtol=1e-9,
                               atol=1e-12)
    np.testing.assert_allclose(np.array(network.weights_1_2, dtype=float), want_weights, rtol=1e-9,
                               atol=1e-12)
    assert not np.allclose(want_kernels, ConvNetwork(k, recipe).kernels), "the kernels learned"
    assert (k.name == "pure") == isinstance(network.kernels, list)


def test_the_books_kernel_update_is_the_right_step_reversed(k, short_data):
    """``book_kernel_update``: the book's ``kernels -= alpha * k_update`` with its k_update from
    ``labels - layer_2``: after one batch, the kernels moved exactly the other way."""
    recipe = SHORT_RECIPE.but(epochs=1)
    steps = []                          # one batch: the book's step is the right one, reversed
    for book in (True, False):
        network = ConvNetwork(k, recipe.but(book_kernel_update=book))   # the same dropout mask
        start = np.array(network.kernels, dtype=float)
        rows = list(range(16))
        network.train_batch(network.flattened_input(network.patches_of(short_data[0][0][:16]), rows),
                            one_hot(short_data[0][1][:16], network.arrays))
        steps.append(np.array(network.kernels, dtype=float) - start)
    np.testing.assert_allclose(steps[0], -steps[1], rtol=1e-9, atol=1e-15)
    assert np.abs(steps[1]).max() > 1e-4


def test_feature_maps_and_kernel_pictures_are_the_kernels_outputs(k, short_data):
    network = ConvNetwork(k, SHORT_RECIPE)
    pixels = short_data[1][0][0]
    maps = network.feature_maps(pixels)
    kernels = np.array(network.kernels, dtype=float)
    want = np.tanh(book_flattened_input(np.array(pixels).reshape(1, 8, 8), SHORT_RECIPE).dot(kernels))
    assert len(maps) == 16 and all(np.shape(m) == (6, 6) for m in maps)
    np.testing.assert_allclose(np.array(maps), want.T.reshape(16, 6, 6), rtol=1e-12, atol=1e-15)
    pictures = network.kernel_pictures()
    np.testing.assert_array_equal(np.array(pictures), kernels.T.reshape(16, 3, 3))
