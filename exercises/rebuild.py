"""Rebuild the network from memory: seven functions, in the book's order.

Trask ends both "11 lines" posts the same way: try to rebuild the network
from memory. Fill in each function below (delete the ``raise`` line), then ask
the checker how you did:

    python -m grokking check exercises/rebuild.py

It grades each function against the NumPy referee, on the book's numbers and
on random ones, and for a mistake shows the smallest input where it goes wrong.
To start over another day, copy the stubs first: ``cp exercises/rebuild.py mine.py``
and check ``mine.py`` instead.

Rules of the game:
- Plain lists in, plain lists out (a NumPy array as the answer is fine too).
- Return a new list; never change the lists you were given.
- Use the functions you already wrote: vect_mat_mul is a loop of w_sum.
- The two networks start from NumPy's seeded generator, as the blog does:
  ``np.random.seed(seed)`` then ``2*np.random.random((rows, columns)) - 1``.
- In each example below, the line after ``->`` is the answer, to rounding.
"""
import numpy as np  # noqa: F401  (the networks need np.random for their first weights)


def w_sum(a, b):
    """Weighted sum: a[0]*b[0] + a[1]*b[1] + ... (a and b have the same length).

    Example (the book's first game: toes, win rate, fans times the weights):
        w_sum([8.5, 0.65, 1.2], [0.1, 0.2, 0.0])
        -> 0.98
    """
    raise NotImplementedError("your turn")


def ele_mul(number, vector):
    """A new list: every element of ``vector`` multiplied by ``number``.

    Example (the book's weight_deltas = ele_mul(delta, my_input)):
        ele_mul(-0.14, [8.5, 0.65, 1.2])
        -> [-1.19, -0.091, -0.168]
    """
    raise NotImplementedError("your turn")


def vect_mat_mul(vect, matrix):
    """One weighted sum per row of the matrix: output[i] = w_sum(vect, matrix[i]).

    ``matrix`` has one row per output and each row has one weight per input,
    so the answer has len(matrix) numbers. The matrix need not be square.

    Example (the book's three outputs hurt?, win?, sad? for the first game):
        vect_mat_mul([8.5, 0.65, 1.2], [[0.1, 0.1, -0.3], [0.1, 0.2, 0.0], [0.0, 1.3, 0.1]])
        -> [0.555, 0.98, 0.965]
    """
    raise NotImplementedError("your turn")


def outer_prod(vec_a, vec_b):
    """A new matrix (list of rows): output[i][j] = vec_a[i] * vec_b[j].

    Example (the book's own):
        outer_prod([1, 2, 3], [2, 4, 6])
        -> [[2, 4, 6], [4, 8, 12], [6, 12, 18]]
    """
    raise NotImplementedError("your turn")


def gd_step(weights, input, goal_pred, alpha):
    """One step of gradient descent for one output and several inputs; new weights.

    pred = w_sum(input, weights); delta = pred - goal_pred;
    weight_deltas = ele_mul(delta, input); then each weight moves
    alpha * weight_delta downhill. Return the new weights as a new list.

    Example (the book's first game, learning once, alpha 0.01):
        gd_step([0.1, 0.2, -0.1], [8.5, 0.65, 1.2], 1.0, 0.01)
        -> [0.1119, 0.20091, -0.09832]
    """
    raise NotImplementedError("your turn")


def train_2_layer(X, y, iterations, seed):
    """The blog's 2-layer network ("11 lines", part 1); returns synapse_0.

    X: the examples, a list of rows (one input per column);
    y: the targets, a list of rows with one number each, e.g. [[0], [0], [1], [1]].
    np.random.seed(seed), synapse_0 = 2*np.random.random((len(X[0]), 1)) - 1, then
    ``iterations`` times: layer_1 = sigmoid(X . synapse_0), layer_1_error = y - layer_1,
    layer_1_delta = layer_1_error * layer_1 * (1 - layer_1), synapse_0 += X.T . layer_1_delta.
    Return synapse_0 as a matrix: len(X[0]) rows of one number.

    Examples (with 0 iterations, the answer is the starting weights):
        train_2_layer([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], [[0], [0], [1], [1]], 0, 1)
        -> [[-0.16595599], [0.44064899], [-0.99977125]]
        train_2_layer([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], [[0], [0], [1], [1]], 10000, 1)
        -> [[9.67299303], [-0.2078435], [-4.62963669]]
    """
    raise NotImplementedError("your turn")


def train_3_layer(X, y, hidden, iterations, seed):
    """The blog's 3-layer network with backpropagation (part 2); returns [synapse_0, synapse_1].

    np.random.seed(seed), then synapse_0 = 2*np.random.random((len(X[0]), hidden)) - 1
    and synapse_1 = 2*np.random.random((hidden, 1)) - 1, in that order. Each iteration:
    forward (layer_1 = sigmoid(X . synapse_0), layer_2 = sigmoid(layer_1 . synapse_1)),
    layer_2_delta from y - layer_2, layer_1_delta from layer_2_delta . synapse_1.T
    (the old synapse_1), then both updates: synapse_1 += layer_1.T . layer_2_delta,
    synapse_0 += X.T . layer_1_delta.

    Example (the blog's run; shown to 8 decimals):
        train_3_layer([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], [[0], [1], [1], [0]], 4, 0, 1)
        -> [[[-0.16595599, 0.44064899, -0.99977125, -0.39533485], [-0.70648822, -0.81532281, -0.62747958, -0.30887855], [-0.20646505, 0.07763347, -0.16161097, 0.370439]], [[-0.5910955], [0.75623487], [-0.94522481], [0.34093502]]]
    """
    raise NotImplementedError("your turn")
