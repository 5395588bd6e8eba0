"""Rebuild the book's chapter 8 network from memory: relu, its slope, and batches.

Chapters 9 to 11 train it on the digits (``grokking.networks.digits``); here you write
it yourself, then ask the checker how you did:

    python -m grokking check exercises/batches.py

It grades each function against its referee (``grokking.networks.digits`` on the
numpy backend) and, when your answers match a known mistake (the book's own
chapter 8 code has two), it says which one. To start over another day, copy the
stubs first: ``cp exercises/batches.py mine_batches.py``.

Rules of the game:
- Plain lists in, plain lists out (NumPy arrays as the answer are fine too).
- Return new lists (or arrays); never change the lists you were given.
- In each example below, the line after ``->`` is the answer, to rounding.
"""
import numpy as np  # noqa: F401  (train_batches is easiest with NumPy, as in the book)


def relu(x):
    """A new list: each number of ``x`` if it is above 0, else 0.

    Example:
        relu([1.5, -0.5, 0.0])
        -> [1.5, 0.0, 0.0]
    """
    raise NotImplementedError("your turn")


def relu2deriv(output):
    """The slope of relu, read from relu's OUTPUT: 1 where the output is above 0, else 0.

    Example:
        relu2deriv([3.0, 0.0, 1.5])
        -> [1.0, 0.0, 1.0]
    """
    raise NotImplementedError("your turn")


def train_batches(images, targets, weights_0_1, weights_1_2, alpha, batch_size):
    """One pass over the images, in order, ``batch_size`` at a time; returns [weights_0_1, weights_1_2].

    images: one row per image (one number per input); targets: one row per image
    (one number per output); weights_0_1: inputs x hidden; weights_1_2: hidden x outputs.
    len(images) is a multiple of batch_size. For each batch (layer_0 = its images):
    layer_1 = relu(layer_0 . weights_0_1), layer_2 = layer_1 . weights_1_2,
    layer_2_delta = (targets - layer_2) / batch_size,
    layer_1_delta = layer_2_delta . weights_1_2.T * relu2deriv(layer_1),
    then, once per batch: weights_1_2 += alpha * layer_1.T . layer_2_delta and
    weights_0_1 += alpha * layer_0.T . layer_1_delta.

    Example (two images of one pixel, one batch of two):
        train_batches([[1.0], [0.5]], [[1.0], [0.0]], [[0.5]], [[0.5]], 0.1, 2)
        -> [[[0.5171875]], [[0.5171875]]]
    """
    raise NotImplementedError("your turn")
