"""A network that reads the 8x8 digits: 64 pixels -> hidden -> 10 scores, built from the kernels.

This is the book's chapter 8 network ("learning signal and ignoring noise")
on real data, written with the same kernels as everything else
(``mat_mul``, ``transpose``, ``vec_add``, ``vec_sub``, ``vec_mul``,
``ele_mul``, ``relu``/``sigmoid``/``tanh`` and their ``2deriv``), a whole
batch of images at a time::

    layer_0 = images of the batch                      # batch x 64
    layer_1 = relu(layer_0 . weights_0_1 [+ bias_1])   # batch x hidden
    layer_2 = layer_1 . weights_1_2 [+ bias_2]         # batch x 10  (or softmax of it)
    layer_2_delta = (layer_2 - targets) / batch        # targets: one 1.0 per row
    layer_1_delta = layer_2_delta . weights_1_2.T * relu2deriv(layer_1)
    weights_1_2 -= alpha * layer_1.T . layer_2_delta
    weights_0_1 -= alpha * layer_0.T . layer_1_delta

A ``Recipe`` holds every choice (hidden size, alpha, batch size, bias units,
activation, softmax, L2, dropout, momentum, early stopping), so a chapter can
change one idea at a time and compare. ``train_digits(recipe, data, k)`` runs it.

On the pure backend the matrices are lists of lists; on the cython and numpy
backends they are NumPy arrays, so the compiled ``mat_mul`` does the heavy
lifting without converting lists. On the cython backend ``train_digits`` runs
each epoch in compiled code instead (``networks/digits_epoch.pyx``, the twin of this
file's ``DigitNetwork``: the same steps in the same order, as C loops), since
at these sizes the cost of a call, not of a number, decides (chapter 8). The initial weights always come from NumPy's
seeded legacy generator (``RandomState(seed)``, the same numbers as
``np.random.seed(seed)``), so every backend learns the same thing, to rounding.

Two slips in the book's chapter 8 code are here on purpose, off by default,
so the chapters can show what they change (``book_relu2deriv``,
``book_batch_loop``); see their docstrings.
"""
import copy
import math
from dataclasses import dataclass, field, replace
from numbers import Integral, Real

import numpy as np

from ..datasets.digits import CLASSES, PIXELS   # 10 digits; 64 pixels an image
from .rows import (argmax_rows, as_matrix, each, filled, is_array, one_hot, shape, softmax_rows,
                   take_rows)

ACTIVATIONS = ("relu", "sigmoid", "tanh")
OUTPUTS = ("linear", "softmax")


def book_relu2deriv(output):
    """The book's chapter 8 ``relu2deriv = lambda output: output >= 0`` (a known slip).

    Its slope at 0 is 1. A relu's output is never negative, so on relu outputs
    this is 1 *everywhere*: every switched-off hidden unit still passes the
    error back as if it were on. The kernels' ``relu2deriv`` uses ``> 0``.
    """
    if is_array(output):
        return (output >= 0).astype(np.float64)
    return [1.0 if o >= 0 else 0.0 for o in output]


# %% The recipe: every choice, in one place ----------------------------------------------

def _check_int(name, value, minimum):
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"Recipe: {name} must be a whole number, got {value!r}")
    if value < minimum:
        raise ValueError(f"Recipe: {name} must be at least {minimum}, got {value}")


def _check_real(name, value, low, high, high_open=False):
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"Recipe: {name} must be a number, got {value!r}")
    if not (low <= value and (value < high if high_open else value <= high)):
        bracket = ")" if high_open else "]"
        raise ValueError(f"Recipe: {name} must be in [{low}, {high}{bracket}, got {value}")


@dataclass(frozen=True)
class Recipe:
    """How to build and train one digits network. Change one field to try one idea.

    hidden: hidden units; alpha: learning rate; epochs: passes over the training set;
    batch_size: images per weight update (1 = stochastic, None = the whole set);
    bias: add a bias unit to each layer; activation: "relu", "sigmoid" or "tanh";
    output: "linear" (squared error, as in the book) or "softmax" (cross-entropy);
    l2: weight decay (each step also pulls every weight toward 0 by alpha*l2*weight);
    dropout: share of hidden units switched off in each training step (0 = none);
    momentum: share of the last step kept in the next (0 = plain gradient descent);
    patience: early stopping: stop after this many epochs without a better
              validation accuracy, and keep the best weights (None = never stop);
    weight_scale: initial weights are ``weight_scale * (2*random - 1)``;
    seed: for the initial weights, the shuffling and the dropout masks;
    shuffle: visit the training images in a new random order every epoch;
    book_relu2deriv / book_batch_loop: reproduce the book's two chapter 8 slips.
    """
    hidden: int = 32
    alpha: float = 0.01
    epochs: int = 20
    batch_size: object = 1
    bias: bool = False
    activation: str = "relu"
    output: str = "linear"
    l2: float = 0.0
    dropout: float = 0.0
    momentum: float = 0.0
    patience: object = None
    weight_scale: float = 0.1
    seed: int = 1
    shuffle: bool = True
    book_relu2deriv: bool = False
    book_batch_loop: bool = False

    def __post_init__(self):
        _check_int("hidden", self.hidden, 1)
        _check_int("epochs", self.epochs, 1)
        _check_int("seed", self.seed, 0)
        if self.batch_size is not None:
            _check_int("batch_size", self.batch_size, 1)
        if self.patience is not None:
            _check_int("patience", self.patience, 1)
        _check_real("alpha", self.alpha, 0, math.inf)
        _check_real("weight_scale", self.weight_scale, 0, math.inf)
        _check_real("l2", self.l2, 0, math.inf)
        _check_real("dropout", self.dropout, 0, 1, high_open=True)
        _check_real("momentum", self.momentum, 0, 1, high_open=True)
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"Recipe: activation must be one of {ACTIVATIONS}, got {self.activation!r}")
        if self.output not in OUTPUTS:
            raise ValueError(f"Recipe: output must be one of {OUTPUTS}, got {self.output!r}")
        for name in ("bias", "shuffle", "book_relu2deriv", "book_batch_loop"):
            if not isinstance(getattr(self, name), bool):
                raise TypeError(f"Recipe: {name} must be True or False, got {getattr(self, name)!r}")

    def but(self, **changes):
        """The same recipe with some fields changed: ``plain.but(bias=True)``."""
        return replace(self, **changes)


# %% The network ------------------------------------------------------------------------

class DigitNetwork:
    """Weights (and biases) of a 64 -> hidden -> 10 network, and how to use them."""

    def __init__(self, k, recipe, n_inputs=PIXELS):
        self.k = k
        self.recipe = recipe
        self.arrays = k.name != "pure"          # arrays for the fast backends, lists for pure
        self.rng = np.random.RandomState(recipe.seed)
        scale = recipe.weight_scale
        w01 = scale * (2 * self.rng.random_sample((n_inputs, recipe.hidden)) - 1)
        w12 = scale * (2 * self.rng.random_sample((recipe.hidden, CLASSES)) - 1)
        self.weights_0_1 = w01 if self.arrays else w01.tolist()
        self.weights_1_2 = w12 if self.arrays else w12.tolist()
        self.bias_1 = filled(1, recipe.hidden, 0.0, self.arrays)   # one row, added to every row
        self.bias_2 = filled(1, CLASSES, 0.0, self.arrays)
        self.activation = getattr(k, recipe.activation)
        self.activation2deriv = getattr(k, recipe.activation + "2deriv")
        if recipe.book_relu2deriv:
            self.activation2deriv = book_relu2deriv
        self.velocity = None                    # momentum's memory of the last steps

    def parameters(self):
        """Everything that learns, in order: weights_0_1, weights_1_2 (and the biases)."""
        found = [self.weights_0_1, self.weights_1_2]
        return found + [self.bias_1, self.bias_2] if self.recipe.bias else found

    def _set_parameters(self, values):
        self.weights_0_1, self.weights_1_2 = values[0], values[1]
        if self.recipe.bias:
            self.bias_1, self.bias_2 = values[2], values[3]

    def _add_bias(self, layer, bias):
        """Add the bias row to every row: ``ones(batch x 1) . bias`` repeats it, ``vec_add`` adds."""
        if not self.recipe.bias:
            return layer
        ones = filled(shape(layer)[0], 1, 1.0, self.arrays)
        return each(self.k.vec_add, layer, self.k.mat_mul(ones, bias))

    def _scaled(self, number, m):
        """``number * m``: the kernel ``ele_mul`` on a whole matrix."""
        return each(lambda v: self.k.ele_mul(number, v), m)

    def forward(self, layer_0, dropout_mask=None):
        """``(layer_1, layer_2)`` for a batch of images (rows)."""
        k = self.k
        layer_1 = each(self.activation, self._add_bias(k.mat_mul(layer_0, self.weights_0_1), self.bias_1))
        if dropout_mask is not None:
            layer_1 = each(k.vec_mul, layer_1, dropout_mask)
        layer_2 = self._add_bias(k.mat_mul(layer_1, self.weights_1_2), self.bias_2)
        if self.recipe.output == "softmax":
            layer_2 = softmax_rows(layer_2)
        return layer_1, layer_2

    def predict(self, images):
        """The digit the network sees in each image."""
        return argmax_rows(self.forward(as_matrix(images, self.arrays))[1])

    def accuracy(self, images, labels):
        """The share of ``images`` whose predicted digit is the label (0.0 .. 1.0)."""
        guesses = self.predict(images)
        return sum(1 for g, label in zip(guesses, labels) if g == label) / len(labels)

    def gradients(self, layer_0, targets, layer_1, layer_2, dropout_mask=None):
        """How much each parameter should move, for one batch (averaged over its rows).

        With a linear output and squared error, and with softmax and cross-entropy,
        the output delta is the same simple ``layer_2 - targets``.
        """
        k = self.k
        batch = shape(layer_0)[0]
        layer_2_delta = self._scaled(1.0 / batch, each(k.vec_sub, layer_2, targets))
        layer_1_delta = each(k.vec_mul,
                             k.mat_mul(layer_2_delta, k.transpose(self.weights_1_2)),
                             each(self.activation2deriv, layer_1))
        if dropout_mask is not None:
            layer_1_delta = each(k.vec_mul, layer_1_delta, dropout_mask)
        grads = [k.mat_mul(k.transpose(layer_0), layer_1_delta),
                 k.mat_mul(k.transpose(layer_1), layer_2_delta)]
        if self.recipe.bias:
            ones = filled(1, batch, 1.0, self.arrays)      # ones . delta = the sum of its rows
            grads += [k.mat_mul(ones, layer_1_delta), k.mat_mul(ones, layer_2_delta)]
        if self.recipe.l2:
            for i in (0, 1):                             # weight decay on weights, not biases
                decay = self._scaled(self.recipe.l2, self.parameters()[i])
                grads[i] = each(k.vec_add, grads[i], decay)
        return grads

    def update(self, grads):
        """One step downhill: ``weights -= alpha * step``, the step remembering past ones with momentum."""
        k, recipe = self.k, self.recipe
        if recipe.momentum:
            if self.velocity is None:                # no steps yet: it starts at zeros
                self.velocity = [filled(*shape(g), 0.0, self.arrays) for g in grads]
            self.velocity = [each(k.vec_add, self._scaled(recipe.momentum, old), g)
                             for old, g in zip(self.velocity, grads)]
            grads = self.velocity
        self._set_parameters([each(k.vec_sub, p, self._scaled(recipe.alpha, g))
                              for p, g in zip(self.parameters(), grads)])

    def dropout_mask(self, rows):
        """Which hidden units stay on for this step: 0, or 1/(1-dropout) to keep the total the same."""
        keep = 1.0 - self.recipe.dropout
        mask = (self.rng.random_sample((rows, self.recipe.hidden)) < keep) / keep
        return mask if self.arrays else mask.tolist()

    def train_batch(self, layer_0, targets):
        """Forward, backward and update for one batch."""
        mask = self.dropout_mask(shape(layer_0)[0]) if self.recipe.dropout else None
        layer_1, layer_2 = self.forward(layer_0, mask)
        # The book's chapter 8 batch loop puts the update inside
        # `for k in range(batch_size)`, so one batch moves the weights
        # batch_size times (each time with the batch's averaged delta).
        updates = shape(layer_0)[0] if self.recipe.book_batch_loop else 1
        for _ in range(updates):
            self.update(self.gradients(layer_0, targets, layer_1, layer_2, mask))

    def train_epoch(self, images, targets, order):
        """One pass over the training images in ``order``, a batch at a time."""
        batch = self.recipe.batch_size or len(order)
        for start in range(0, len(order), batch):
            rows = order[start:start + batch]
            self.train_batch(take_rows(images, rows), take_rows(targets, rows))

    def snapshot(self):
        return copy.deepcopy(self.parameters())


class CompiledEpochs:
    """The same epochs in compiled code (``networks/digits_epoch.pyx``), for the cython backend.

    It copies the network's weights and the data sets once, then each
    ``train_epoch`` runs every batch in C and hands the weights back to the
    network. The random numbers are still drawn here, from the network's
    generator, in the same sequence as ``DigitNetwork.train_batch`` draws them.
    """

    def __init__(self, network, *data_sets):
        from . import digits_epoch as digits
        self.network, recipe = network, network.recipe
        self.loop = digits.DigitNetwork(recipe, network.weights_0_1, network.weights_1_2,
                                        network.bias_1, network.bias_2)
        self.examples = [digits.Examples(*data) for data in data_sets]

    def train_epoch(self, order):
        """One pass over the training images (``self.examples[0]``) in ``order``, then the weights
        back into the network."""
        masks = None
        if self.network.recipe.dropout:
            # The generator hands out its numbers one after another, so one draw of a
            # row per image is the batches' masks, drawn batch after batch.
            masks = self.network.dropout_mask(len(order))
        self.loop.train_epoch(self.examples[0], order, masks)
        self.network._set_parameters(self.loop.parameters())
        self.network.velocity = self.loop.velocity()

    def accuracy(self, examples):
        """The share of the images of ``self.examples[examples]`` the network reads right."""
        return self.loop.accuracy(self.examples[examples])


class PythonEpochs:
    """The same epochs in this file's Python loop (``DigitNetwork.train_epoch``), with the
    backend's kernels: ``CompiledEpochs``' twin, for every backend.

    It turns the first data set (the training one) into a matrix and targets once.
    """

    def __init__(self, network, *data_sets):
        self.network, self.data_sets = network, data_sets
        images, labels = data_sets[0]
        self.images = as_matrix(images, network.arrays)
        self.targets = one_hot(labels, network.arrays)

    def train_epoch(self, order):
        """One pass over the training images in ``order``."""
        self.network.train_epoch(self.images, self.targets, order)

    def accuracy(self, examples):
        """The share of the images of ``self.data_sets[examples]`` the network reads right."""
        return self.network.accuracy(*self.data_sets[examples])


def epochs_for(network, *data_sets, compiled_loop=True):
    """What runs ``network``'s epochs over ``data_sets[0]`` (and measures each data set):
    ``CompiledEpochs`` on the cython backend (unless ``compiled_loop`` is False), else
    ``PythonEpochs``."""
    if compiled_loop and network.k.name == "cython":
        return CompiledEpochs(network, *data_sets)
    return PythonEpochs(network, *data_sets)


# %% Training and its record -----------------------------------------------------------

@dataclass
class History:
    """What a training run leaves behind: accuracy per epoch, and the network."""
    recipe: Recipe
    network: DigitNetwork
    train: list = field(default_factory=list)        # accuracy on the training images, per epoch
    test: list = field(default_factory=list)         # accuracy on the test images, per epoch
    validation: list = field(default_factory=list)   # per epoch, when a validation set was given
    best_epoch: int = None                           # early stopping: the epoch whose weights were kept

    @property
    def kept_epoch(self):
        """The epoch whose weights the network ended with: the last one, or early stopping's best."""
        return len(self.train) if self.best_epoch is None else self.best_epoch

    @property
    def final_test(self):
        """Test accuracy of the network as it ended (after early stopping, of the kept weights)."""
        return self.test[self.kept_epoch - 1]

    @property
    def final_train(self):
        return self.train[self.kept_epoch - 1]


def _check_data(name, images, labels):
    if len(images) != len(labels):
        raise ValueError(f"train_digits: {name} images and labels must have the same length, "
                         f"got {len(images)} images and {len(labels)} labels")
    if len(images) == 0:
        raise ValueError(f"train_digits: {name} set is empty")


def train_digits(recipe, train, test, k, validation=None, on_epoch=None, compiled_loop=True):
    """Train a ``DigitNetwork`` by ``recipe``; measure train/test accuracy after every epoch.

    train, test, validation: ``(images, labels)`` pairs (lists or arrays);
    validation is needed for early stopping (``recipe.patience``): the test set
    must stay unseen until the end, so the stopping decision looks elsewhere.
    k: the kernels (``grokking.backend(name)``).
    on_epoch(epoch, history): called after each epoch (for progress).
    compiled_loop: on the cython backend, run each epoch (and the accuracies) in
    compiled code (``CompiledEpochs``); False runs this file's Python loop with
    the compiled kernels instead (chapter 8 compares the two).
    """
    if not isinstance(recipe, Recipe):
        raise TypeError(f"train_digits: recipe must be a Recipe, got {type(recipe).__name__}")
    _check_data("train", *train)
    _check_data("test", *test)
    if recipe.patience is not None and validation is None:
        raise ValueError("train_digits: early stopping (patience) needs a validation set")
    if validation is not None:
        _check_data("validation", *validation)
    network = DigitNetwork(k, recipe, n_inputs=len(train[0][0]))
    n = len(train[1])
    data_sets = [train, test] + ([validation] if validation is not None else [])
    epochs = epochs_for(network, *data_sets, compiled_loop=compiled_loop)
    history = History(recipe, network)
    best, best_parameters, since_best = -1.0, None, 0
    for epoch in range(1, recipe.epochs + 1):
        order = network.rng.permutation(n).tolist() if recipe.shuffle else list(range(n))
        epochs.train_epoch(order)
        accuracies = [epochs.accuracy(i) for i in range(len(data_sets))]
        history.train.append(accuracies[0])
        history.test.append(accuracies[1])
        if validation is not None:
            history.validation.append(accuracies[2])
        if on_epoch is not None:
            on_epoch(epoch, history)
        if recipe.patience is not None:
            if history.validation[-1] > best:
                best, best_parameters, since_best = history.validation[-1], network.snapshot(), 0
                history.best_epoch = epoch
            else:
                since_best += 1
                if since_best >= recipe.patience:
                    break
    if best_parameters is not None:
        network._set_parameters(best_parameters)
    return history
