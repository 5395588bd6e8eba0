# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
# (Here, above the loops they govern: every argument is checked and copied before the C loops run.)
"""The digits network's training, an epoch at a time, in C: the twin of ``network.DigitNetwork``.

Read ``grokking/networks/digits.py`` first: its ``DigitNetwork`` is the teaching text,
written with the kernels a whole batch at a time (``forward``, ``gradients``,
``update``, ``train_batch``). This file has the same four steps, with the same
names, in the same order, as loops over plain memory, and ``train_epoch`` runs
every batch of an epoch without coming back to Python. ``train_digits`` uses it
on the cython backend; what is cheap stays in Python, so that every backend
draws the same random numbers: the shuffled order of each epoch, the dropout
masks, early stopping.

Read first, then loop: ``Examples`` copies the images and labels once per
training run, the ``DigitNetwork`` here copies the weights, ``train_epoch``
copies the order and the dropout masks. Each is checked as it is copied (the
shared ``inputs``/``arrays`` validators, and the sizes), so the loops below,
``nogil`` functions with no bounds checks, read only memory this module owns;
they run holding the GIL, so no other thread can change it meanwhile.

The arithmetic is pure's (``kernels/pure.py``: ``mat_mul``, ``vec_add``, ...),
in the same order: each weighted sum starts at 0.0 and adds its products in
order (pixel 0 to 63, hidden unit 0 to hidden-1, image 0 to batch-1), ``1.0 /
batch`` multiplies the output error, the same C ``exp`` and ``tanh`` as
Python's ``math``, and ``setup.py`` never lets the C compiler fuse a multiply
and an add (``-ffp-contract=off``). One thing is skipped, not reordered: a
pixel that is 0 (about half of them). Its product with a weight is 0.0, and
adding 0.0 to a sum that started at 0.0 never changes it. Skipped too is the
update of a row of ``weights_0_1`` whose pixel is 0 in every image of the
batch (its step is 0.0) when nothing else moves it (no L2, no momentum). So this loop and
the pure backend end at the same numbers as long as the weights are finite
(a weight that overflowed to inf times a 0 pixel is NaN in pure, skipped here),
and both agree with NumPy to rounding (tests/networks/test_digits_compiled.py).

Why it is fast: the Python loop makes about 20 kernel calls per batch, each
checking its arguments and making new arrays; a NumPy script makes about 15
array operations, a microsecond or so each, on matrices of 64 x 32 numbers at most. At batch 1
(the book's one image at a time) that call cost is the whole cost. Here a
batch costs its arithmetic only, minus the zero pixels (chapter 8 measures it).
"""
from libc.math cimport exp, isfinite, isnan, tanh

import numpy as np

from ..kernels import arrays, inputs

cdef enum:
    OUTPUTS = 10   # the digits 0-9: the network's outputs (network.CLASSES)
    BLOCK = 16     # columns whose sums are made together, in registers
CLASSES = OUTPUTS

cdef enum:         # the hidden layer's activation, as Recipe.activation names it
    RELU, SIGMOID, TANH
ACTIVATIONS = {"relu": RELU, "sigmoid": SIGMOID, "tanh": TANH}


# -- the data: images and labels, read once ---------------------------------------

cdef class Examples:
    """Images (rows of pixels) and their labels, copied once into memory of their own.

    Each image's non-zero pixels are listed, in order, so that the loops skip
    the zeros: image r's are ``where[first[r]:first[r + 1]]`` (which pixels)
    and ``value[...]`` (their values).
    """
    cdef readonly Py_ssize_t rows, pixels
    cdef Py_ssize_t[::1] first, where, label
    cdef double[::1] value
    cdef bint made               # set once __init__ has filled all of the above

    def __init__(self, images, labels):
        _make_once(self.made, "Examples")
        pixels = np.array(arrays.matrix(images, "images", "Examples"), dtype=np.float64,
                          order="C")                    # a copy of our own
        if pixels.shape[0] == 0 or pixels.shape[1] == 0:
            raise ValueError("Examples: images must have at least one image and one pixel, "
                             f"got {inputs.describe(images)}")
        numbers = inputs.vector(labels, "labels", "Examples")
        if len(numbers) != pixels.shape[0]:
            raise ValueError(f"Examples: images and labels must have the same length, "
                             f"got {pixels.shape[0]} images and {len(numbers)} labels")
        for i, number in enumerate(numbers):
            if not (isfinite(number) and number == int(number) and 0 <= number < CLASSES):
                raise ValueError(f"Examples: labels must be whole numbers from 0 to "
                                 f"{CLASSES - 1}, got labels[{i}] = {number!r}")
        self.rows, self.pixels = pixels.shape
        self.label = np.array(numbers, dtype=np.intp)
        lit = pixels != 0.0
        self.first = np.concatenate([[0], np.cumsum(lit.sum(axis=1))]).astype(np.intp)
        self.where = np.nonzero(lit)[1].astype(np.intp)    # row by row, each row's pixels in order
        self.value = np.ascontiguousarray(pixels[lit])
        self.made = True


# -- the network: the same steps as network.DigitNetwork, on plain memory -----------

cdef struct Net:
    Py_ssize_t pixels, hidden
    # the recipe
    int activation
    bint bias, softmax, book_relu2deriv, book_batch_loop
    double alpha, l2, momentum
    bint every_pixel             # L2 or momentum move every weight: no row may be skipped
    # what learns, and momentum's memory of the last steps
    double *weights_0_1          # pixels x hidden
    double *weights_1_2          # hidden x 10
    double *weights_1_2_T        # 10 x hidden: its transpose, for the way back (in gradients)
    double *bias_1               # hidden
    double *bias_2               # 10
    double *velocity_0_1
    double *velocity_1_2
    double *velocity_1
    double *velocity_2
    # the examples
    Py_ssize_t *first
    Py_ssize_t *where
    double *value
    Py_ssize_t *label
    # one batch: which images, their dropout mask, the layers, deltas and gradients
    Py_ssize_t batch
    Py_ssize_t *rows
    double *dropout_mask         # batch x hidden, or NULL (no dropout)
    double *layer_1              # batch x hidden
    double *layer_2              # batch x 10
    double *layer_1_delta
    double *layer_2_delta
    double *grad_0_1
    double *grad_1_2
    double *grad_1
    double *grad_2
    Py_ssize_t *active           # the pixels some image of the batch lights (all, if every_pixel)
    Py_ssize_t n_active
    Py_ssize_t *lit_start        # pixels x 1: where each active pixel's column starts in
    Py_ssize_t *lit_count        # lit_image and lit_pixel, and how long it is
    Py_ssize_t *lit_image        # the images of the batch where the pixel is not 0
    double *lit_pixel            # and its value there


cdef inline void activate(int kind, double *layer, Py_ssize_t n) noexcept nogil:
    """relu, sigmoid or tanh of every number of ``layer`` (in place), as pure writes them."""
    cdef Py_ssize_t i
    if kind == RELU:
        for i in range(n):
            layer[i] = 0.0 if layer[i] <= 0.0 else layer[i]
    elif kind == SIGMOID:
        for i in range(n):
            layer[i] = 1.0 / (1.0 + exp(-layer[i]))  # exp overflows to inf: 1 / inf = 0.0, as pure says
    else:
        for i in range(n):
            layer[i] = tanh(layer[i])


cdef inline void times_activation2deriv(Net *net, double *delta, double *output) noexcept nogil:
    """``delta *= the slope`` from the output, for a row of hidden units: relu2deriv,
    sigmoid2deriv, tanh2deriv, or the book's slip (``output >= 0``)."""
    cdef Py_ssize_t j
    if net.book_relu2deriv:
        for j in range(net.hidden):
            delta[j] = delta[j] * (1.0 if output[j] >= 0.0 else 0.0)
    elif net.activation == RELU:
        for j in range(net.hidden):
            delta[j] = delta[j] * (1.0 if output[j] > 0.0 else 0.0)
    elif net.activation == SIGMOID:
        for j in range(net.hidden):
            delta[j] = delta[j] * (output[j] * (1.0 - output[j]))
    else:
        for j in range(net.hidden):
            delta[j] = delta[j] * (1.0 - output[j] * output[j])


cdef void sparse_vect_mat_mul(double *vect, Py_ssize_t *where, Py_ssize_t count,
                              double *matrix, Py_ssize_t columns, double *output) noexcept nogil:
    """``output = vect . matrix`` for a vector that is 0 but for ``count`` numbers.

    ``vect[m]`` is its number at position ``where[m]`` (in order), so
    ``output[j] = sum of vect[m] * matrix[where[m]][j]``: each sum starts at 0.0
    and adds the products in order, the 0 numbers left out. The sums are made
    sixteen columns at a time (``BLOCK``), held in registers while the numbers go by.
    """
    cdef Py_ssize_t block, i, j, m, blocked = columns - columns % BLOCK
    cdef double total
    cdef double sums[BLOCK]
    cdef double *row
    for block in range(blocked // BLOCK):
        for i in range(BLOCK):
            sums[i] = 0.0
        for m in range(count):
            row = matrix + where[m] * columns + block * BLOCK
            for i in range(BLOCK):
                sums[i] += vect[m] * row[i]
        for i in range(BLOCK):
            output[block * BLOCK + i] = sums[i]
    for j in range(blocked, columns):  # the last columns % 16, one at a time
        total = 0.0
        for m in range(count):
            total += vect[m] * matrix[where[m] * columns + j]
        output[j] = total


cdef void forward(Net *net) noexcept nogil:
    """layer_1 = activation(layer_0 . weights_0_1 [+ bias_1]) [* mask]; layer_2 = layer_1 . weights_1_2 [+ bias_2]."""
    cdef Py_ssize_t b, j, c, r, hidden = net.hidden
    cdef double top, total
    cdef double outputs[OUTPUTS]
    cdef double *layer_1
    cdef double *layer_2
    cdef double *weights
    for b in range(net.batch):
        r = net.rows[b]
        layer_1 = net.layer_1 + b * hidden
        # layer_0 . weights_0_1: the image's non-zero pixels weigh their rows of weights
        sparse_vect_mat_mul(net.value + net.first[r], net.where + net.first[r],
                            net.first[r + 1] - net.first[r], net.weights_0_1, hidden, layer_1)
        if net.bias:
            for j in range(hidden):
                layer_1[j] = layer_1[j] + net.bias_1[j]
        activate(net.activation, layer_1, hidden)
        if net.dropout_mask != NULL:
            for j in range(hidden):
                layer_1[j] = layer_1[j] * net.dropout_mask[b * hidden + j]
        # layer_1 . weights_1_2: the ten sums stay in registers
        for c in range(OUTPUTS):
            outputs[c] = 0.0
        for j in range(hidden):
            weights = net.weights_1_2 + j * OUTPUTS
            for c in range(OUTPUTS):
                outputs[c] += layer_1[j] * weights[c]
        if net.bias:
            for c in range(OUTPUTS):
                outputs[c] = outputs[c] + net.bias_2[c]
        layer_2 = net.layer_2 + b * OUTPUTS
        for c in range(OUTPUTS):
            layer_2[c] = outputs[c]
        if net.softmax:  # softmax_rows: e^(x - max) / their sum
            top = layer_2[0]
            for c in range(1, OUTPUTS):
                if layer_2[c] > top:
                    top = layer_2[c]
            total = 0.0
            for c in range(OUTPUTS):
                layer_2[c] = exp(layer_2[c] - top)
                total += layer_2[c]
            for c in range(OUTPUTS):
                layer_2[c] = layer_2[c] / total


cdef void find_active(Net *net) noexcept nogil:
    """The pixels that some image of the batch lights (only their rows of weights_0_1 move),
    and for each, the images of the batch where it is not 0 (in order) and its values there:
    the batch's layer_0 read by columns, for grad_0_1."""
    cdef Py_ssize_t b, t, k, i, r, place
    net.n_active = 0
    if net.every_pixel:
        for k in range(net.pixels):
            net.active[k] = k
        net.n_active = net.pixels
    for b in range(net.batch):        # how many images light each pixel
        r = net.rows[b]
        for t in range(net.first[r], net.first[r + 1]):
            k = net.where[t]
            if net.lit_count[k] == 0 and not net.every_pixel:
                net.active[net.n_active] = k
                net.n_active += 1
            net.lit_count[k] += 1
    place = 0                         # where each pixel's column starts
    for i in range(net.n_active):
        k = net.active[i]
        net.lit_start[k] = place
        place += net.lit_count[k]
        net.lit_count[k] = 0
    for b in range(net.batch):        # the columns, image after image
        r = net.rows[b]
        for t in range(net.first[r], net.first[r + 1]):
            k = net.where[t]
            place = net.lit_start[k] + net.lit_count[k]
            net.lit_image[place], net.lit_pixel[place] = b, net.value[t]
            net.lit_count[k] += 1


cdef void gradients(Net *net) noexcept nogil:
    """How much each parameter should move, for one batch (averaged over its rows)."""
    cdef Py_ssize_t b, t, j, c, k, hidden = net.hidden
    cdef double unit, scale = 1.0 / net.batch
    cdef double outputs[OUTPUTS]
    cdef Py_ssize_t every_output[OUTPUTS]   # 0, 1, ..., 9: a vector with no 0 left out
    cdef double *delta
    # layer_2_delta = (layer_2 - targets) / batch; the target is 1.0 at the label, else 0.0
    for b in range(net.batch):
        for c in range(OUTPUTS):
            net.layer_2_delta[b * OUTPUTS + c] = scale * (
                net.layer_2[b * OUTPUTS + c] - (1.0 if c == net.label[net.rows[b]] else 0.0))
    # layer_1_delta = layer_2_delta . weights_1_2.T * activation2deriv(layer_1) [* mask]
    for j in range(hidden):           # transpose(weights_1_2): 10 rows of hidden numbers
        for c in range(OUTPUTS):
            net.weights_1_2_T[c * hidden + j] = net.weights_1_2[j * OUTPUTS + c]
    for c in range(OUTPUTS):
        every_output[c] = c
    for b in range(net.batch):
        delta = net.layer_1_delta + b * hidden
        sparse_vect_mat_mul(net.layer_2_delta + b * OUTPUTS, every_output, OUTPUTS,
                            net.weights_1_2_T, hidden, delta)
        times_activation2deriv(net, delta, net.layer_1 + b * hidden)
        if net.dropout_mask != NULL:
            for j in range(hidden):
                net.layer_1_delta[b * hidden + j] = (net.layer_1_delta[b * hidden + j]
                                                     * net.dropout_mask[b * hidden + j])
    # grad_0_1 = layer_0.T . layer_1_delta, for the rows of the pixels the batch lights
    # (the others are 0.0): a row is the pixel's column of layer_0 (the images where it
    # is not 0, in order: find_active lists them) times layer_1_delta
    for t in range(net.n_active):
        k = net.active[t]
        sparse_vect_mat_mul(net.lit_pixel + net.lit_start[k], net.lit_image + net.lit_start[k],
                            net.lit_count[k], net.layer_1_delta, hidden, net.grad_0_1 + k * hidden)
    # grad_1_2 = layer_1.T . layer_2_delta
    for j in range(hidden):  # (the ten sums of a row in registers)
        for c in range(OUTPUTS):
            outputs[c] = 0.0
        for b in range(net.batch):
            delta = net.layer_2_delta + b * OUTPUTS
            unit = net.layer_1[b * hidden + j]
            for c in range(OUTPUTS):
                outputs[c] += unit * delta[c]
        for c in range(OUTPUTS):
            net.grad_1_2[j * OUTPUTS + c] = outputs[c]
    if net.bias:  # ones . delta: the sum of the delta's rows
        for j in range(hidden):
            net.grad_1[j] = 0.0
        for c in range(OUTPUTS):
            net.grad_2[c] = 0.0
        for b in range(net.batch):
            for j in range(hidden):
                net.grad_1[j] += net.layer_1_delta[b * hidden + j]
            for c in range(OUTPUTS):
                net.grad_2[c] += net.layer_2_delta[b * OUTPUTS + c]
    if net.l2:  # weight decay on the weights, not the biases
        for t in range(net.n_active):
            k = net.active[t]
            for j in range(hidden):
                net.grad_0_1[k * hidden + j] = (net.grad_0_1[k * hidden + j]
                                                + net.l2 * net.weights_0_1[k * hidden + j])
        for j in range(hidden * OUTPUTS):
            net.grad_1_2[j] = net.grad_1_2[j] + net.l2 * net.weights_1_2[j]


cdef inline void step(double *parameter, double *grad, double *velocity, Py_ssize_t n,
                      Net *net) noexcept nogil:
    """parameter -= alpha * grad, or with momentum: velocity = momentum * velocity + grad; parameter -= alpha * velocity."""
    cdef Py_ssize_t i
    cdef double alpha = net.alpha, momentum = net.momentum
    if momentum:
        for i in range(n):
            velocity[i] = momentum * velocity[i] + grad[i]
            parameter[i] = parameter[i] - alpha * velocity[i]
    else:
        for i in range(n):
            parameter[i] = parameter[i] - alpha * grad[i]


cdef void update(Net *net) noexcept nogil:
    """One step downhill: ``weights -= alpha * step``, the step remembering past ones with momentum."""
    cdef Py_ssize_t t, k, hidden = net.hidden
    for t in range(net.n_active):
        k = net.active[t]
        step(net.weights_0_1 + k * hidden, net.grad_0_1 + k * hidden,
             net.velocity_0_1 + k * hidden if net.momentum else NULL, hidden, net)
    step(net.weights_1_2, net.grad_1_2, net.velocity_1_2, hidden * OUTPUTS, net)
    if net.bias:
        step(net.bias_1, net.grad_1, net.velocity_1, hidden, net)
        step(net.bias_2, net.grad_2, net.velocity_2, OUTPUTS, net)


cdef void train_batch(Net *net) noexcept nogil:
    """Forward, backward and update for one batch."""
    cdef Py_ssize_t updates, u
    forward(net)
    find_active(net)
    # The book's chapter 8 batch loop moves the weights batch_size times per batch
    # (each time with the batch's averaged delta): see network.DigitNetwork.train_batch.
    updates = net.batch if net.book_batch_loop else 1
    for u in range(updates):
        gradients(net)
        update(net)
    for u in range(net.n_active):     # find_active's counts back to 0 for the next batch
        net.lit_count[net.active[u]] = 0


cdef Py_ssize_t argmax(double *row, Py_ssize_t n) noexcept nogil:
    """The position of the largest number (the first one on a tie, or the first NaN, as np.argmax)."""
    cdef Py_ssize_t c, best = 0
    for c in range(1, n):
        if isnan(row[best]):
            break
        if row[c] > row[best] or isnan(row[c]):
            best = c
    return best


def _matrix_copy(m, name, rows, columns):
    """``m`` as a fresh C-ordered float64 array of ``rows`` x ``columns`` (checked)."""
    a = np.array(arrays.matrix(m, name, "DigitNetwork"), dtype=np.float64, order="C")
    if a.shape != (rows, columns):
        raise ValueError(f"DigitNetwork: {name} must be {rows} x {columns}, got "
                         f"{a.shape[0]} x {a.shape[1] if a.ndim == 2 else 0}")
    return a


cdef class DigitNetwork:
    """The weights of a ``network.DigitNetwork``, copied, and its recipe: trains an epoch in C.

    ``DigitNetwork(recipe, weights_0_1, weights_1_2, bias_1, bias_2)``: the
    matrices as ``network.DigitNetwork`` holds them (the biases are rows of 1 x
    hidden and 1 x 10). They are copied, never changed; ``parameters()`` gives
    the learned ones back, ``velocity()`` momentum's memory.
    """
    cdef readonly object recipe
    cdef readonly Py_ssize_t pixels, hidden
    cdef object weights_0_1, weights_1_2, bias_1, bias_2   # the arrays: memory of our own
    cdef object velocity_0_1, velocity_1_2, velocity_1, velocity_2
    cdef Net net
    cdef bint made               # set once __init__ has filled all of the above

    def __init__(self, recipe, weights_0_1, weights_1_2, bias_1, bias_2):
        _make_once(self.made, "DigitNetwork")
        from .digits import Recipe
        if not isinstance(recipe, Recipe):
            raise TypeError(f"DigitNetwork: recipe must be a Recipe, got {inputs.describe(recipe)}")
        self.recipe, self.hidden = recipe, recipe.hidden
        self.weights_0_1 = np.array(arrays.matrix(weights_0_1, "weights_0_1", "DigitNetwork"),
                                    dtype=np.float64, order="C")
        self.pixels = self.weights_0_1.shape[0]
        if self.pixels == 0 or self.weights_0_1.shape[1] != self.hidden:
            raise ValueError(f"DigitNetwork: weights_0_1 must have a row per pixel and "
                             f"{self.hidden} columns (recipe.hidden), got "
                             f"{inputs.describe(weights_0_1)}")
        self.weights_1_2 = _matrix_copy(weights_1_2, "weights_1_2", self.hidden, CLASSES)
        self.bias_1 = _matrix_copy(bias_1, "bias_1", 1, self.hidden).reshape(-1)
        self.bias_2 = _matrix_copy(bias_2, "bias_2", 1, CLASSES).reshape(-1)
        # momentum's memory starts at zeros, as network.DigitNetwork's first update makes it
        self.velocity_0_1 = np.zeros_like(self.weights_0_1)
        self.velocity_1_2 = np.zeros_like(self.weights_1_2)
        self.velocity_1 = np.zeros_like(self.bias_1)
        self.velocity_2 = np.zeros_like(self.bias_2)
        cdef Net *net = &self.net
        net.pixels, net.hidden = self.pixels, self.hidden
        net.activation = ACTIVATIONS[recipe.activation]
        net.bias, net.softmax = recipe.bias, recipe.output == "softmax"
        net.book_relu2deriv, net.book_batch_loop = recipe.book_relu2deriv, recipe.book_batch_loop
        net.alpha, net.l2, net.momentum = recipe.alpha, recipe.l2, recipe.momentum
        # a row whose step is 0.0 may stay as it is only if alpha * 0.0 is 0.0 (not NaN)
        net.every_pixel = net.l2 != 0.0 or net.momentum != 0.0 or not isfinite(net.alpha)
        self._point_at_parameters()
        self.made = True

    cdef int _point_at_parameters(self) except -1:
        cdef double[:, ::1] w01 = self.weights_0_1, w12 = self.weights_1_2
        cdef double[:, ::1] v01 = self.velocity_0_1, v12 = self.velocity_1_2
        cdef double[::1] b1 = self.bias_1, b2 = self.bias_2, v1 = self.velocity_1, v2 = self.velocity_2
        self.net.weights_0_1, self.net.weights_1_2 = &w01[0, 0], &w12[0, 0]
        self.net.bias_1, self.net.bias_2 = &b1[0], &b2[0]
        self.net.velocity_0_1, self.net.velocity_1_2 = &v01[0, 0], &v12[0, 0]
        self.net.velocity_1, self.net.velocity_2 = &v1[0], &v2[0]
        return 0

    cdef int _point_at_examples(self, Examples examples, str func) except -1:
        if examples.pixels != self.pixels:
            raise ValueError(f"{func}: the examples have {examples.pixels} pixels but the "
                             f"network has {self.pixels} inputs")
        self.net.first, self.net.label = &examples.first[0], &examples.label[0]
        self.net.where = self.net.value = NULL  # (no pixel lit in any image)
        if examples.where.shape[0]:
            self.net.where, self.net.value = &examples.where[0], &examples.value[0]
        return 0

    def train_epoch(self, examples, order, dropout_masks=None):
        """Train on the images at ``order`` (positions in ``examples``), a batch at a time.

        One batch is ``recipe.batch_size`` positions of ``order`` (None: all of them);
        ``dropout_masks`` (with dropout only): a row per position of ``order``, a
        column per hidden unit, 0 or 1/(1 - dropout), as network.DigitNetwork
        draws them, batch after batch.
        """
        self._check_made("train_epoch")
        _check_examples(examples, "train_epoch")
        positions = _positions(order, examples.rows)
        n = positions.shape[0]
        if self.recipe.dropout:
            if dropout_masks is None:
                raise ValueError("train_epoch: this recipe has dropout: dropout_masks is needed")
            masks = np.array(arrays.matrix(dropout_masks, "dropout_masks", "train_epoch"),
                             dtype=np.float64, order="C")
            if n and masks.shape != (n, self.hidden):
                raise ValueError(f"train_epoch: dropout_masks must be {n} x {self.hidden} (a row "
                                 f"per position of order, a column per hidden unit), got "
                                 f"{inputs.describe(dropout_masks)}")
        elif dropout_masks is not None:
            raise ValueError("train_epoch: this recipe has no dropout: dropout_masks must be None, "
                             f"got {inputs.describe(dropout_masks)}")
        if n == 0:
            return
        batch = min(self.recipe.batch_size or n, n)
        layer_1, layer_2 = np.zeros((batch, self.hidden)), np.zeros((batch, CLASSES))
        layer_1_delta, layer_2_delta = np.zeros((batch, self.hidden)), np.zeros((batch, CLASSES))
        grad_0_1, grad_1_2 = np.zeros((self.pixels, self.hidden)), np.zeros((self.hidden, CLASSES))
        grad_1, grad_2 = np.zeros(self.hidden), np.zeros(CLASSES)
        weights_1_2_T = np.zeros((CLASSES, self.hidden))
        active = np.zeros(self.pixels, dtype=np.intp)
        lit_start, lit_count = np.zeros(self.pixels, dtype=np.intp), np.zeros(self.pixels, dtype=np.intp)
        lit_image, lit_pixel = np.zeros(batch * self.pixels, dtype=np.intp), np.zeros(batch * self.pixels)
        cdef double[:, ::1] l1 = layer_1, l2 = layer_2, d1 = layer_1_delta, d2 = layer_2_delta
        cdef double[:, ::1] g01 = grad_0_1, g12 = grad_1_2, w21 = weights_1_2_T, dm
        cdef double[::1] g1 = grad_1, g2 = grad_2
        cdef Py_ssize_t[::1] rows = positions, act = active, lit_i = lit_image
        cdef Py_ssize_t[::1] lit_s = lit_start, lit_c = lit_count
        cdef double[::1] lit_p = lit_pixel
        cdef double *mask = NULL
        cdef Net *net = &self.net
        if self.recipe.dropout:
            dm = masks
            mask = &dm[0, 0]
        # From here on no Python code runs (nothing is made, nothing called): a gc callback,
        # a finalizer or a __float__ that ran above may have used this network for another
        # call (which pointed it at its own examples and scratch memory), so every pointer
        # is set here, for this call.
        self._point_at_examples(examples, "train_epoch")
        net.layer_1, net.layer_2 = &l1[0, 0], &l2[0, 0]
        net.layer_1_delta, net.layer_2_delta = &d1[0, 0], &d2[0, 0]
        net.grad_0_1, net.grad_1_2, net.grad_1, net.grad_2 = &g01[0, 0], &g12[0, 0], &g1[0], &g2[0]
        net.active, net.lit_start, net.lit_count = &act[0], &lit_s[0], &lit_c[0]
        net.lit_image, net.lit_pixel = &lit_i[0], &lit_p[0]
        net.weights_1_2_T = &w21[0, 0]
        cdef Py_ssize_t start = 0, size = batch, hidden = self.hidden, count = n
        # The loop keeps the GIL (the functions are nogil only so that Cython proves they
        # touch no Python object): no other thread can run this network meanwhile.
        while start < count:  # for start in range(0, n, batch)
            net.batch = min(size, count - start)
            net.rows = &rows[start]
            net.dropout_mask = mask + start * hidden if mask != NULL else NULL
            train_batch(net)
            start += size

    def accuracy(self, examples):
        """The share of the images whose predicted digit is the label (0.0 .. 1.0)."""
        self._check_made("accuracy")
        _check_examples(examples, "accuracy")
        layer_1, layer_2 = np.zeros(self.hidden), np.zeros(CLASSES)
        cdef double[::1] l1 = layer_1, l2 = layer_2
        cdef Py_ssize_t r, right = 0, rows = (<Examples>examples).rows
        cdef Net *net = &self.net
        self._point_at_examples(examples, "accuracy")   # after the last Python code, as in train_epoch
        net.layer_1, net.layer_2, net.dropout_mask, net.batch = &l1[0], &l2[0], NULL, 1
        for r in range(rows):  # (holding the GIL, as train_epoch does)
            net.rows = &r
            forward(net)
            if argmax(net.layer_2, OUTPUTS) == net.label[r]:
                right += 1
        return <double>right / rows

    cdef int _check_made(self, str func) except -1:
        if not self.made:   # (only DigitNetwork.__new__ gives one: nothing to point at)
            raise TypeError(f"{func}: this DigitNetwork was never made: use "
                            "DigitNetwork(recipe, weights_0_1, weights_1_2, bias_1, bias_2)")
        return 0

    def parameters(self):
        """What learned, as network.DigitNetwork.parameters() lists it (fresh arrays)."""
        self._check_made("parameters")
        found = [self.weights_0_1.copy(), self.weights_1_2.copy()]
        if self.recipe.bias:
            found += [self.bias_1.reshape(1, -1).copy(), self.bias_2.reshape(1, -1).copy()]
        return found

    def velocity(self):
        """Momentum's memory, one per parameter (None without momentum), as fresh arrays."""
        self._check_made("velocity")
        if not self.recipe.momentum:
            return None
        found = [self.velocity_0_1.copy(), self.velocity_1_2.copy()]
        if self.recipe.bias:
            found += [self.velocity_1.reshape(1, -1).copy(), self.velocity_2.reshape(1, -1).copy()]
        return found


def _check_examples(examples, func):
    if not isinstance(examples, Examples) or not (<Examples>examples).made:
        raise TypeError(f"{func}: examples must be digits.Examples(images, labels), got "
                        f"{inputs.describe(examples)}")


def _make_once(made, name):
    """The loops keep pointers into what ``__init__`` made: a second ``__init__`` (from a
    gc callback or a finalizer, in the middle of a call) would free it under them."""
    if made:
        raise TypeError(f"{name}: already made; make a new {name}(...) instead of "
                        "calling __init__ again")


def _positions(order, rows):
    """``order`` as a fresh array of positions, each from 0 to rows - 1 (checked)."""
    try:
        positions = np.array(order, copy=True)
    except (TypeError, ValueError):
        positions = None
    if positions is not None and positions.ndim == 1 and positions.size == 0:
        return np.zeros(0, dtype=np.intp)
    if positions is None or positions.ndim != 1 or positions.dtype.kind not in "iu":
        raise TypeError("train_epoch: order must be a list of image positions (whole numbers), "
                        f"got {inputs.describe(order)}")
    if positions.min() < 0 or positions.max() >= rows:
        raise ValueError(f"train_epoch: order must hold positions from 0 to {rows - 1} (the "
                         f"examples' images), got {positions.min()} .. {positions.max()}")
    return positions.astype(np.intp)
