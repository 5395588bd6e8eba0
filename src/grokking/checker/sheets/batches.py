"""The batches sheet of ``python -m grokking check``: the book's chapter 8 network.

``exercises/batches.py`` asks for relu, relu2deriv and train_batches (one pass
in order, one update per batch). The referee is ``grokking.networks.digits``
on the numpy backend (``grokking.backend("numpy")`` for relu and its slope);
each known mistake is a variant of it.

This runs in the checker's own process, never in the learner's.
"""
import random

import numpy as np

from ..exercise import (EMPTY_NOTE, TRAINING_TOLERANCE, Exercise, Misconception, case, numpy_kernels,
                        random_vector)

SHEET = "batches"
STUB = "exercises/batches.py"
REFEREE = "grokking.networks.digits on the numpy backend"


def _relu2deriv_book(output):
    return [1.0 if o >= 0 else 0.0 for o in output]


def batches(images, targets, weights_0_1, weights_1_2, alpha, batch_size,
            delta_per_batch=True, **slips):
    """The book's chapter 8 network, one pass in order, batch by batch: ``grokking.networks.digits`` on NumPy.

    ``slips`` are ``grokking.networks.digits.Recipe``'s ``book_relu2deriv`` and ``book_batch_loop``;
    delta_per_batch False: the output delta is not divided by the batch size.
    """
    from grokking.networks.digits import DigitNetwork, Recipe
    hidden = len(weights_1_2)
    recipe = Recipe(hidden=hidden, alpha=alpha, batch_size=batch_size, shuffle=False, **slips)
    network = DigitNetwork(numpy_kernels(), recipe, n_inputs=len(images[0]))
    network.weights_0_1 = np.array(weights_0_1, dtype=float)
    network.weights_1_2 = np.array(weights_1_2, dtype=float)
    images, targets = np.array(images, dtype=float), np.array(targets, dtype=float)
    for start in range(0, len(images), batch_size):
        rows = slice(start, start + batch_size)
        if not delta_per_batch:   # (layer_2 - targets) without / batch: alpha times the batch
            network.recipe = recipe.but(alpha=alpha * len(images[rows]))
        network.train_batch(images[rows], targets[rows])
    return [network.weights_0_1.tolist(), network.weights_1_2.tolist()]


def _batches(**mistake):
    return lambda *args: batches(*args, **mistake)


def _batch_cases():
    rng = random.Random(10)

    def weights(rows, cols):
        return [[round(rng.uniform(-1, 1), 2) for _ in range(cols)] for _ in range(rows)]

    def one_hot(n, outputs):
        return [[1.0 if j == rng.randrange(outputs) else 0.0 for j in range(outputs)]
                for _ in range(n)]
    cases = [case([[1.0]], [[1.0]], [[0.5]], [[0.5]], 0.1, 1),
             case([[1.0], [-1.0]], [[1.0], [1.0]], [[0.5]], [[0.5]], 0.1, 1),
             case([[1.0], [0.5]], [[1.0], [0.0]], [[0.5]], [[0.5]], 0.1, 2),
             case([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.5, 0.0]], [[1.0], [0.0], [1.0], [0.0]],
                  [[0.5, -0.5], [0.25, 0.75]], [[0.5], [-0.5]], 0.1, 2)]
    # Every batch is full (as the book's 1,000 images in batches of 100 are), so dividing
    # by batch_size and by the rows of the batch agree.
    for inputs, hidden, outputs, n, batch in [(3, 3, 2, 4, 1), (3, 4, 2, 4, 2), (4, 3, 3, 6, 3),
                                              (2, 5, 2, 6, 2), (5, 4, 3, 8, 4)]:
        images = [[round(rng.uniform(0, 1), 2) for _ in range(inputs)] for _ in range(n)]
        cases.append(case(images, one_hot(n, outputs), weights(inputs, hidden),
                          weights(hidden, outputs), rng.choice([0.1, 0.5]), batch))
    return cases


def _relu2deriv_cases():
    rng = random.Random(11)
    cases = [case([], note=EMPTY_NOTE + " The answer is []."),
             case([2.0]), case([0.0]), case([3.0, 0.0, 1.5])]
    cases += [case([max(0.0, v) for v in random_vector(rng, n, 2.0)]) for n in range(1, 7) for _ in range(2)]
    return cases


def _relu_cases():
    rng = random.Random(12)
    cases = [case([], note=EMPTY_NOTE + " The answer is []."), case([2.0]), case([-2.0]),
             case([0.0]), case([1.5, -0.5, 0.0])]
    cases += [case(random_vector(rng, n, 2.0)) for n in range(1, 7) for _ in range(2)]
    return cases


EXERCISES = [
    Exercise("relu", ["x"], "list", "vector", _relu_cases, lambda x: numpy_kernels().relu(x),
             "output[i] = x[i] if x[i] > 0 else 0: negatives become 0, the rest stays.",
             sheet=SHEET),
    Exercise("relu2deriv", ["output"], "list", "vector", _relu2deriv_cases,
             lambda output: numpy_kernels().relu2deriv(output),
             "the slope of relu, read from its output: 1 where the output is above 0, else 0.",
             sheet=SHEET,
             misconceptions=[Misconception(
                 "the book's relu2deriv with >=",
                 "output >= 0 (as the book's chapter 8 code has it) gives slope 1 at 0, where the "
                 "unit is off: use output > 0.", _relu2deriv_book)]),
    Exercise("train_batches", ["images", "targets", "weights_0_1", "weights_1_2", "alpha",
                               "batch_size"], "[weights_0_1, weights_1_2]", "matrices",
             _batch_cases, batches,
             "one pass in order, batch_size images at a time: layer_1 = relu(layer_0 . weights_0_1), "
             "layer_2 = layer_1 . weights_1_2, layer_2_delta = (layer_2 - targets) / batch_size, "
             "layer_1_delta = layer_2_delta . weights_1_2.T * relu2deriv(layer_1), then each "
             "weights -= alpha * layer.T . delta, once per batch.",
             sheet=SHEET, tolerance=TRAINING_TOLERANCE, keywords=True, shrink=False,
             hint_for="sizes",
             misconceptions=[
                 Misconception("the book's relu2deriv with >=",
                               "relu2deriv(layer_1) used output >= 0 (as the book's chapter 8 "
                               "code has it): a unit that is off (output 0) still passed the error "
                               "back; use output > 0.", _batches(book_relu2deriv=True)),
                 Misconception("the delta not divided by the batch size",
                               "layer_2_delta is the AVERAGE over the batch: "
                               "(layer_2 - targets) / batch_size, not the sum.",
                               _batches(delta_per_batch=False)),
                 Misconception("the batch update applied once per example",
                               "the weights moved once per image of the batch (the book's slip: "
                               "the update inside `for k in range(batch_size)`); move them once "
                               "per batch.", _batches(book_batch_loop=True)),
                 Misconception("alpha forgotten",
                               "the step is not scaled by alpha: weights -= alpha * layer.T . delta.",
                               lambda *args: batches(*args[:4], 1.0, args[5]))]),
]
