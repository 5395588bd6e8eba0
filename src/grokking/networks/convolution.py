"""A convolutional network on the 8x8 digits: the book's chapter 10, built from the kernels.

A dense layer gives every pixel its own weights. A convolutional layer slides a
few small *kernels* (here 16 of them, each 3x3 weights) over the image, and
uses the same 9 weights at every position: a kernel that learns to see an edge
sees it anywhere. The book builds it in three steps, and so does this module:

1. cut the image into patches: every 3x3 square of pixels, left to right and
   top to bottom, each one a row of 9 numbers (``get_image_section``; the
   whole table of patches is called *im2col*, "image to columns");
2. one matrix product of all the patches with the kernels (``mat_mul``): each
   patch gets one number per kernel, how much it looks like that kernel;
3. tanh of those, laid side by side as the hidden layer, then a dense softmax
   layer that reads the 10 digits from them::

    flattened_input = patches of the batch               # (batch*36) x 9
    kernel_output   = flattened_input . kernels          # (batch*36) x 16
    layer_1 = tanh(kernel_output, regrouped per image)   # batch x 576  (36 patches x 16 kernels)
    layer_1 *= dropout_mask                              # training only: half of it, doubled
    layer_2 = softmax(layer_1 . weights_1_2)             # batch x 10
    layer_2_delta = (layer_2 - targets) / batch
    layer_1_delta = layer_2_delta . weights_1_2.T * tanh2deriv(layer_1) * dropout_mask
    weights_1_2 -= alpha * layer_1.T . layer_2_delta
    k_update = flattened_input.T . layer_1_delta (regrouped per patch)
    kernels -= alpha * k_update

Sizes for 8x8 images (the book's are for 28x28 MNIST): a 3x3 kernel fits at
8 - 3 + 1 = 6 positions down and 6 across, so 36 patches an image and 36 x 16
= 576 hidden values (the book: 26 x 26 = 676 patches, 10,816 values).

Written once for every backend, as ``grokking.networks.digits`` is: lists of lists on
the pure backend, NumPy arrays on cython and numpy, the arithmetic always done
by the backend's kernels (``mat_mul``, ``transpose``, ``tanh``, ``tanh2deriv``,
``vec_sub``, ``vec_mul``, ``ele_mul``). Initial weights, the order of the
images and the dropout masks come from one ``RandomState(seed)``.

Where this differs from the book's chapter 10 code, and why:

- the book's loops ``range(28 - kernel_rows)`` stop one position early
  (25 of the 26 positions down and across); here every position is used;
- the book divides ``layer_2_delta`` by ``batch_size`` twice, and adds its
  ``weights_1_2`` update but subtracts its ``kernels`` update, computed from
  the same ``labels - layer_2``: the kernels climb the error instead of
  descending it. Here both move downhill, ``(layer_2 - targets) / batch``
  (``ConvRecipe(book_kernel_update=True)`` puts the slip back, to measure it);
- the book takes ``tanh2deriv`` of the doubled, dropped-out ``layer_1``
  (``1 - (2t)**2`` can be negative); here of the tanh output itself;
- the patches of every image are cut once, before training, not per batch.
"""
from dataclasses import dataclass, replace
from numbers import Integral, Real

import numpy as np

from ..datasets.digits import CLASSES
from ..kernels import inputs
from .digits import History
from .rows import argmax_rows, one_hot, softmax_rows

IMAGE_ROWS = IMAGE_COLS = 8      # the digits are 8x8 pixels
KERNEL_ROWS = KERNEL_COLS = 3    # the book's kernel_rows, kernel_cols
NUM_KERNELS = 16                 # the book's num_kernels


# %% Cutting an image into patches (im2col) --------------------------------------------

def as_image(pixels, rows=IMAGE_ROWS, cols=IMAGE_COLS):
    """A flat list of ``rows * cols`` pixels (as the digits come) as ``rows`` rows of ``cols``."""
    pixels = inputs.vector(pixels, "pixels", "as_image")
    if len(pixels) != rows * cols:
        raise ValueError(f"as_image: pixels must hold {rows} x {cols} = {rows * cols} numbers, "
                         f"got {len(pixels)}")
    return [pixels[r * cols:(r + 1) * cols] for r in range(rows)]


def _bound(value, name, low, high):
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"get_image_section: {name} must be a whole number, got "
                        f"{inputs.describe(value)}")
    if not low <= value <= high:
        raise ValueError(f"get_image_section: {name} must be between {low} and {high}, got {value}")
    return int(value)


def _cut(image, row_from, row_to, col_from, col_to):
    return [image[r][c] for r in range(row_from, row_to) for c in range(col_from, col_to)]


def get_image_section(image, row_from, row_to, col_from, col_to):
    """The pixels of rows ``row_from..row_to-1`` and columns ``col_from..col_to-1``, as one row.

    ``image`` is a matrix (a list of equally long rows of numbers, or a 2-D array);
    the section is read row after row, as the book's ``layer[:, row_from:row_to,
    col_from:col_to]`` followed by its ``reshape``, into one list of floats:

        get_image_section([[1, 2, 3],
                           [4, 5, 6],
                           [7, 8, 9]], 1, 3, 0, 2)   ->   [4.0, 5.0, 7.0, 8.0]

    ``row_to`` and ``col_to`` are one past the last row and column, as in a slice;
    the section must lie inside the image and hold at least one pixel. (The book
    cuts a whole batch at once; here one image, and ``image_patches`` cuts them all.)
    """
    image = inputs.matrix(image, "image", "get_image_section")
    rows, cols = len(image), len(image[0]) if image else 0
    row_from = _bound(row_from, "row_from", 0, rows - 1)
    row_to = _bound(row_to, "row_to", row_from + 1, rows)
    col_from = _bound(col_from, "col_from", 0, cols - 1)
    col_to = _bound(col_to, "col_to", col_from + 1, cols)
    return _cut(image, row_from, row_to, col_from, col_to)


def image_patches(image, kernel_rows=KERNEL_ROWS, kernel_cols=KERNEL_COLS):
    """im2col: every ``kernel_rows x kernel_cols`` section of ``image``, one row each.

    Left to right, then top to bottom: an 8x8 image gives (8-3+1) x (8-3+1) = 36
    rows of 9 pixels. Each row is ``get_image_section(image, r, r + kernel_rows, c,
    c + kernel_cols)``.
    """
    image = inputs.matrix(image, "image", "image_patches")
    rows, cols = len(image), len(image[0]) if image else 0
    for name, size, room in (("kernel_rows", kernel_rows, rows), ("kernel_cols", kernel_cols, cols)):
        if isinstance(size, bool) or not isinstance(size, Integral) or not 1 <= size <= room:
            raise ValueError(f"image_patches: {name} must be a whole number from 1 to {room} "
                             f"(the image's size), got {inputs.describe(size)}")
    return [_cut(image, r, r + kernel_rows, c, c + kernel_cols)
            for r in range(rows - kernel_rows + 1) for c in range(cols - kernel_cols + 1)]


def regroup(m, columns):
    """The same numbers, row after row, cut into rows of ``columns`` (the book's ``reshape``).

    ``(batch*36) x 16`` kernel outputs regrouped by 576 are one row per image; and back.
    """
    if isinstance(m, np.ndarray):
        return m.reshape(-1, columns)
    numbers = [x for row in m for x in row]
    return [numbers[i:i + columns] for i in range(0, len(numbers), columns)]


# %% The recipe ------------------------------------------------------------------------

@dataclass(frozen=True)
class ConvRecipe:
    """How to build and train one convolutional network (the book's chapter 10 choices).

    alpha: learning rate; epochs: passes over the training images; batch_size:
    images per update; num_kernels, kernel_rows, kernel_cols: the kernels;
    dropout: switch off half the hidden values in each training step and double
    the rest (the book's ``np.random.randint(2, size=...) * 2``);
    kernel_scale, weight_scale: initial kernels are ``kernel_scale * (2*random - 1)``
    (the book's ``0.02*random - 0.01``), initial ``weights_1_2``
    ``weight_scale * (2*random - 1)`` (the book's ``0.2*random - 0.1``);
    seed: for the weights, the order of the images and the dropout masks;
    book_kernel_update: reproduce the book's slip: its ``k_update`` comes from
    ``labels - layer_2`` (downhill, as its ``weights_1_2 +=`` update uses it) but
    is subtracted, ``kernels -= alpha * k_update``, so the kernels climb the error.
    """
    alpha: float = 0.2
    epochs: int = 15
    batch_size: int = 16
    num_kernels: int = NUM_KERNELS
    kernel_rows: int = KERNEL_ROWS
    kernel_cols: int = KERNEL_COLS
    dropout: bool = True
    kernel_scale: float = 0.01
    weight_scale: float = 0.1
    seed: int = 1
    book_kernel_update: bool = False

    def __post_init__(self):
        for name, minimum in (("epochs", 1), ("batch_size", 1), ("num_kernels", 1),
                              ("kernel_rows", 1), ("kernel_cols", 1), ("seed", 0)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, Integral):
                raise TypeError(f"ConvRecipe: {name} must be a whole number, got {value!r}")
            if value < minimum:
                raise ValueError(f"ConvRecipe: {name} must be at least {minimum}, got {value}")
        for name in ("alpha", "kernel_scale", "weight_scale"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, Real):
                raise TypeError(f"ConvRecipe: {name} must be a number, got {value!r}")
            if not 0 <= value < float("inf"):
                raise ValueError(f"ConvRecipe: {name} must be 0 or more (and finite), got {value}")
        for name in ("dropout", "book_kernel_update"):
            if not isinstance(getattr(self, name), bool):
                raise TypeError(f"ConvRecipe: {name} must be True or False, got {getattr(self, name)!r}")

    def but(self, **changes):
        """The same recipe with some fields changed: ``recipe.but(epochs=2)``."""
        return replace(self, **changes)

    def patches_per_image(self, rows=IMAGE_ROWS, cols=IMAGE_COLS):
        """How many positions the kernel fits at: (8-3+1) x (8-3+1) = 36."""
        return (rows - self.kernel_rows + 1) * (cols - self.kernel_cols + 1)


# %% The network -----------------------------------------------------------------------

class ConvNetwork:
    """Kernels and ``weights_1_2`` of a convolutional network, and how to use them."""

    def __init__(self, k, recipe, image_rows=IMAGE_ROWS, image_cols=IMAGE_COLS):
        if not isinstance(recipe, ConvRecipe):
            raise TypeError(f"ConvNetwork: recipe must be a ConvRecipe, got {type(recipe).__name__}")
        if recipe.kernel_rows > image_rows or recipe.kernel_cols > image_cols:
            raise ValueError(f"ConvNetwork: a {recipe.kernel_rows}x{recipe.kernel_cols} kernel does "
                             f"not fit in a {image_rows}x{image_cols} image")
        self.k = k
        self.recipe = recipe
        self.image_rows, self.image_cols = image_rows, image_cols
        self.arrays = k.name != "pure"          # arrays for the fast backends, lists for pure
        self.patches = recipe.patches_per_image(image_rows, image_cols)
        self.hidden_size = self.patches * recipe.num_kernels
        self.rng = np.random.RandomState(recipe.seed)
        kernels = recipe.kernel_scale * (
            2 * self.rng.random_sample((recipe.kernel_rows * recipe.kernel_cols, recipe.num_kernels)) - 1)
        weights_1_2 = recipe.weight_scale * (2 * self.rng.random_sample((self.hidden_size, CLASSES)) - 1)
        self.kernels = kernels if self.arrays else kernels.tolist()
        self.weights_1_2 = weights_1_2 if self.arrays else weights_1_2.tolist()

    def patches_of(self, images):
        """Every image's patches, cut once: an ``images x patches x 9`` table (array, or lists)."""
        cut = [image_patches(as_image(pixels, self.image_rows, self.image_cols),
                             self.recipe.kernel_rows, self.recipe.kernel_cols) for pixels in images]
        return np.array(cut, dtype=np.float64) if self.arrays else cut

    def flattened_input(self, patches, rows):
        """The patches of images ``rows``, one after the other: ``(len(rows)*36) x 9``."""
        if self.arrays:
            return patches[rows].reshape(-1, patches.shape[2])
        return [patch for i in rows for patch in patches[i]]

    def forward(self, flattened_input, dropout_mask=None):
        """``(layer_1, dropped, layer_2)`` for a batch: tanh of the kernel outputs, the same
        after dropout (``layer_1`` itself when there is no mask), and the softmax."""
        k = self.k
        kernel_output = k.mat_mul(flattened_input, self.kernels)
        layer_1 = k.tanh(regroup(kernel_output, self.hidden_size))
        dropped = layer_1 if dropout_mask is None else k.vec_mul(layer_1, dropout_mask)
        layer_2 = softmax_rows(k.mat_mul(dropped, self.weights_1_2))
        return layer_1, dropped, layer_2

    def predict(self, patches):
        """The digit the network sees in each image (given as its table of patches)."""
        rows = list(range(len(patches)))
        return argmax_rows(self.forward(self.flattened_input(patches, rows))[2])

    def accuracy(self, patches, labels):
        """The share of images (given as their patches) whose predicted digit is the label."""
        guesses = self.predict(patches)
        return sum(1 for g, label in zip(guesses, labels) if g == label) / len(labels)

    def dropout_mask(self, batch):
        """The book's mask: each hidden value kept (and doubled) or switched off, one chance in two."""
        mask = self.rng.randint(2, size=(batch, self.hidden_size)) * 2.0
        return mask if self.arrays else mask.tolist()

    def train_batch(self, flattened_input, targets):
        """Forward, backward and one update of the kernels and ``weights_1_2``, for one batch."""
        k, alpha = self.k, self.recipe.alpha
        batch = len(targets)
        mask = self.dropout_mask(batch) if self.recipe.dropout else None
        layer_1, dropped, layer_2 = self.forward(flattened_input, mask)
        layer_2_delta = k.ele_mul(1.0 / batch, k.vec_sub(layer_2, targets))
        layer_1_delta = k.vec_mul(k.mat_mul(layer_2_delta, k.transpose(self.weights_1_2)),
                                  k.tanh2deriv(layer_1))
        if mask is not None:
            layer_1_delta = k.vec_mul(layer_1_delta, mask)
        weights_update = k.mat_mul(k.transpose(dropped), layer_2_delta)
        l1d_reshape = regroup(layer_1_delta, self.recipe.num_kernels)
        k_update = k.mat_mul(k.transpose(flattened_input), l1d_reshape)
        self.weights_1_2 = k.vec_sub(self.weights_1_2, k.ele_mul(alpha, weights_update))
        step = k.vec_add if self.recipe.book_kernel_update else k.vec_sub   # the book's slip: uphill
        self.kernels = step(self.kernels, k.ele_mul(alpha, k_update))

    def feature_maps(self, pixels):
        """What each kernel makes of one image: ``num_kernels`` maps of 6 x 6 tanh outputs."""
        patches = image_patches(as_image(pixels, self.image_rows, self.image_cols),
                                self.recipe.kernel_rows, self.recipe.kernel_cols)
        outputs = self.k.tanh(self.k.mat_mul(patches, self.kernels))
        across = self.image_cols - self.recipe.kernel_cols + 1
        return [regroup([[float(row[j]) for row in outputs]], across)
                for j in range(self.recipe.num_kernels)]

    def kernel_pictures(self):
        """Each kernel's weights as a ``kernel_rows x kernel_cols`` picture (lists of floats)."""
        columns = [[float(row[j]) for row in self.kernels] for j in range(self.recipe.num_kernels)]
        return [regroup([column], self.recipe.kernel_cols) for column in columns]


# %% Training --------------------------------------------------------------------------

def train_conv(recipe, train, test, k, on_epoch=None):
    """Train a ``ConvNetwork`` by ``recipe``; train and test accuracy after every epoch.

    train, test: ``(images, labels)`` pairs, each image 64 pixels (a list or an array);
    k: the kernels (``grokking.backend(name)``); on_epoch(epoch, history): called
    after each epoch (for progress). Returns a ``grokking.networks.digits.History``, its
    ``network`` the trained ``ConvNetwork``.
    """
    if not isinstance(recipe, ConvRecipe):
        raise TypeError(f"train_conv: recipe must be a ConvRecipe, got {type(recipe).__name__}")
    for name, (images, labels) in (("train", train), ("test", test)):
        if len(images) != len(labels) or len(labels) == 0:
            raise ValueError(f"train_conv: the {name} set needs one label per image, and at least "
                             f"one image: got {len(images)} images and {len(labels)} labels")
    network = ConvNetwork(k, recipe)
    train_patches, test_patches = network.patches_of(train[0]), network.patches_of(test[0])
    labels = list(train[1])
    targets = one_hot(labels, network.arrays)
    n = len(labels)
    history = History(recipe, network)
    for epoch in range(1, recipe.epochs + 1):
        order = network.rng.permutation(n).tolist()
        for start in range(0, n, recipe.batch_size):
            rows = order[start:start + recipe.batch_size]
            batch_targets = targets[rows] if network.arrays else [targets[i] for i in rows]
            network.train_batch(network.flattened_input(train_patches, rows), batch_targets)
        history.train.append(network.accuracy(train_patches, labels))
        history.test.append(network.accuracy(test_patches, list(test[1])))
        if on_epoch is not None:
            on_epoch(epoch, history)
    return history


def parameter_count(network):
    """How many numbers learn: the kernels' and ``weights_1_2``'s."""
    recipe = network.recipe
    return recipe.kernel_rows * recipe.kernel_cols * recipe.num_kernels + network.hidden_size * CLASSES
