"""Federated learning: train one model on data that never leaves its owners.

The book's chapter 15, on the 8x8 digits. Three owners (the book's Bob, Alice
and Sue) each hold some of the training images, unevenly: each has mostly a few
digits. The test images stay with the model's owner. Each round:

1. the model is sent to every owner, who trains a copy on their own images only;
2. the owners send their trained copies back, and the copies are averaged;
3. the averaged model is tested, and becomes the next round's model.

Nobody's images move; only weights do. But weights tell tales: an update made
from one image moves exactly the weights of the pixels that were inked, by
amounts in proportion to the ink (``pixels_moved``: "the leak"). So the owners
encrypt their models with Paillier (``grokking.networks.paillier``), the encrypted
models are added without being decrypted, and only the sum is decrypted and
divided by the number of owners ("secure aggregation").

Built on ``grokking.networks.digits``: every copy is a ``DigitNetwork`` trained epoch by
epoch as ``train_digits`` trains one (its ``train_epoch`` with the backend's
kernels; on the cython backend the compiled twin of that loop).
"""
import copy
import time
from dataclasses import dataclass, field

import numpy as np

from .digits import DigitNetwork, Recipe, epochs_for
from .rows import each

OWNERS = ("Bob", "Alice", "Sue")
MAIN_DIGITS = {"Bob": (0, 1, 2, 3), "Alice": (4, 5, 6), "Sue": (7, 8, 9)}
MAIN_SHARE = 8       # of every 10 images of a digit, 8 go to its main owner, 1 to each other owner
PARAMETER_NAMES = ("weights_0_1", "weights_1_2", "bias_1", "bias_2")   # DigitNetwork's, in order


# %% The owners -----------------------------------------------------------------------

@dataclass
class Owner:
    """One data owner: a name, and the training images only they hold."""
    name: str
    images: list
    labels: list
    main_digits: tuple = ()

    def digit_counts(self):
        """How many images of each digit 0..9 this owner holds."""
        return [self.labels.count(digit) for digit in range(10)]


def split_among_owners(train, main_digits=None):
    """The training ``(images, labels)`` dealt out to the owners, unevenly and the same every time.

    Each digit has a main owner (``MAIN_DIGITS``: Bob 0-3, Alice 4-6, Sue 7-9).
    The images of a digit are dealt in their order: of every 10, the first 8 go
    to the main owner and the next two to the two other owners, one each. So each
    owner has mostly their own digits, a few of the others, and Bob (four digits)
    has more images than Alice and Sue.
    """
    main_digits = MAIN_DIGITS if main_digits is None else main_digits
    names = list(main_digits)
    main_of = {digit: name for name, digits in main_digits.items() for digit in digits}
    if sorted(main_of) != list(range(10)):
        raise ValueError(f"split_among_owners: every digit 0..9 needs one main owner, got {main_digits}")
    owners = {name: Owner(name, [], [], tuple(main_digits[name])) for name in names}
    seen = [0] * 10
    for image, label in zip(*train):
        place = seen[label] % 10
        seen[label] += 1
        main = names.index(main_of[label])
        others = [name for i, name in enumerate(names) if i != main]
        name = names[main] if place < MAIN_SHARE else others[(place - MAIN_SHARE) % len(others)]
        owners[name].images.append(image)
        owners[name].labels.append(label)
    return [owners[name] for name in names]


# %% A model's parameters, and an owner's turn -------------------------------------------

def parameters_of(network):
    """The network's weights (and biases), in ``PARAMETER_NAMES`` order: what an owner sends back."""
    return network.parameters()


def with_parameters(k, recipe, parameters):
    """A fresh ``DigitNetwork`` (for ``recipe``, on kernels ``k``) holding copies of ``parameters``.

    Its random generator starts from ``recipe.seed``, exactly as a new network's does.
    """
    network = DigitNetwork(k, recipe)
    for name, values in zip(PARAMETER_NAMES, parameters):
        setattr(network, name, copy.deepcopy(values))
    return network


def train_copy(k, recipe, parameters, images, labels):
    """An owner's turn: a copy of the model trained on ``images`` only, for ``recipe.epochs``
    epochs, in ``recipe.batch_size`` batches, in a new random order each epoch.

    The same epochs as ``train_digits`` (the same random numbers; on the cython backend
    in compiled code, ``CompiledEpochs``), started from given ``parameters``: with the
    network's own starting weights it gives the same network.
    """
    network = with_parameters(k, recipe, parameters)
    n = len(labels)
    epochs = epochs_for(network, (images, labels))
    for _ in range(recipe.epochs):
        epochs.train_epoch(network.rng.permutation(n).tolist() if recipe.shuffle else list(range(n)))
    return network


def average(k, models):
    """The plain average of several models' parameters, with the kernels:
    ``vec_add`` adds them up, ``ele_mul`` multiplies the sum by ``1 / count``."""
    total = [copy.deepcopy(p) for p in models[0]]
    for model in models[1:]:
        total = [each(k.vec_add, t, p) for t, p in zip(total, model)]
    return [each(lambda v: k.ele_mul(1.0 / len(models), v), t) for t in total]


# %% The leak -------------------------------------------------------------------------

def pixels_moved(k, recipe, parameters, image, label):
    """What one image's update gives away: for each of the 64 pixels, how far its row of
    ``weights_0_1`` moved (the length of the change), after one update on this image alone.

    The change of row ``i`` is ``alpha * pixel_i * layer_1_delta``: zero where the pixel
    is blank, and otherwise the same vector scaled by the pixel's ink. So the lengths are
    the image itself, times one number.
    """
    before = with_parameters(k, recipe, parameters)
    after = train_copy(k, recipe.but(epochs=1, batch_size=1), parameters, [image], [label])
    return [float(np.linalg.norm(np.asarray(new, dtype=float) - np.asarray(old, dtype=float)))
            for new, old in zip(after.weights_0_1, before.weights_0_1)]


# %% Secure aggregation ---------------------------------------------------------------

@dataclass
class EncryptedModel:
    """A model's parameters, every number encrypted: one list of ``Ciphertext`` per parameter,
    row after row, and each parameter's ``(rows, columns)`` to put it back in shape."""
    shapes: list
    numbers: list

    def __add__(self, other):
        """Two encrypted models added number by number, without decrypting anything."""
        if self.shapes != other.shapes:
            raise ValueError(f"EncryptedModel +: the shapes differ: {self.shapes} and {other.shapes}")
        return EncryptedModel(self.shapes, [[a + b for a, b in zip(mine, theirs)]
                                            for mine, theirs in zip(self.numbers, other.numbers)])


def encrypt_model(public_key, parameters):
    """Every weight of ``parameters`` encrypted with ``public_key`` (floats, fixed point)."""
    shapes, numbers = [], []
    for matrix in parameters:
        rows = np.asarray(matrix, dtype=np.float64)
        shapes.append(rows.shape)
        numbers.append([public_key.encrypt(float(x)) for x in rows.reshape(-1)])
    return EncryptedModel(shapes, numbers)


def decrypt_average(private_key, encrypted_sum, count, like_arrays):
    """Decrypt the sum of ``count`` encrypted models and divide it by ``count``: the average."""
    parameters = []
    for shape, numbers in zip(encrypted_sum.shapes, encrypted_sum.numbers):
        values = np.array([private_key.decrypt(c) for c in numbers], dtype=np.float64) / count
        matrix = values.reshape(shape)
        parameters.append(matrix if like_arrays else matrix.tolist())
    return parameters


def largest_difference(a, b):
    """The largest ``|x - y|`` between two models' corresponding numbers."""
    return max(float(np.max(np.abs(np.asarray(x, dtype=float) - np.asarray(y, dtype=float))))
               for x, y in zip(a, b))


# %% Rounds ---------------------------------------------------------------------------

@dataclass
class SecureAverage:
    """The average of the owners' models computed under encryption, and what each step took."""
    parameters: list
    seconds_encrypting: float        # all owners, all weights
    seconds_adding: float
    seconds_decrypting: float


def secure_average(keypair, copies, like_arrays):
    """Secure aggregation: each owner encrypts their model (``copies``: one list of
    parameters per owner) with the public key; the encrypted models are added
    without decrypting; only the sum is decrypted, then divided by the number of owners.

    keypair: ``(public_key, private_key)``; like_arrays: give arrays (else lists).
    """
    public_key, private_key = keypair
    started = time.perf_counter()
    encrypted = [encrypt_model(public_key, c) for c in copies]
    encrypted_at = time.perf_counter()
    total = encrypted[0]
    for other in encrypted[1:]:
        total = total + other
    added_at = time.perf_counter()
    parameters = decrypt_average(private_key, total, len(copies), like_arrays)
    return SecureAverage(parameters, encrypted_at - started, added_at - encrypted_at,
                         time.perf_counter() - added_at)


# %% Rounds ---------------------------------------------------------------------------

@dataclass
class Round:
    """One round: each owner's trained copy and the averaged model, tested. With encryption,
    ``average`` is the securely aggregated one, ``plain_average`` the plain one beside it."""
    number: int
    owner_test: dict                    # owner's name -> test accuracy of their trained copy
    test: float                         # test accuracy of the model the round ends with
    copies: list = field(default=None, repr=False)     # the owners' trained parameters
    average: list = field(default=None, repr=False)    # the model the round ends with
    plain_test: float = None            # with encryption: test accuracy of the plain average
    plain_average: list = field(default=None, repr=False)
    secure: SecureAverage = field(default=None, repr=False)

    @property
    def difference(self):
        """With encryption: the largest |plain - encrypted| of a weight."""
        return largest_difference(self.plain_average, self.average)


@dataclass
class FederatedRun:
    """Every round, and the model the last one ended with."""
    recipe: Recipe
    rounds: list = field(default_factory=list)

    @property
    def tests(self):
        return [r.test for r in self.rounds]

    @property
    def parameters(self):
        return self.rounds[-1].average


def accuracy(k, recipe, parameters, data):
    """Test accuracy (0..1) of a model's ``parameters`` on ``(images, labels)``."""
    return with_parameters(k, recipe, parameters).accuracy(*data)


def federated_rounds(k, recipe, owners, test, rounds, keypair=None, on_round=None):
    """Train by federated averaging for ``rounds`` rounds; a ``FederatedRun``.

    recipe: each owner's training in one round (``recipe.epochs`` epochs on their images);
            the model starts from ``recipe``'s initial weights (``recipe.seed``).
    keypair: ``(public_key, private_key)`` for secure aggregation (``secure_average``);
             each round then goes on with that average (the plain one is kept beside it).
    on_round(round): called after each round (for printing as it goes).
    """
    if not isinstance(recipe, Recipe):
        raise TypeError(f"federated_rounds: recipe must be a Recipe, got {type(recipe).__name__}")
    if isinstance(rounds, bool) or not isinstance(rounds, int) or rounds < 1:
        raise ValueError(f"federated_rounds: rounds must be a whole number of at least 1, got {rounds!r}")
    if not owners or any(not o.labels for o in owners):
        raise ValueError("federated_rounds: every owner needs at least one image, got "
                         f"{[len(o.labels) for o in owners]} images")
    parameters = parameters_of(DigitNetwork(k, recipe))
    run = FederatedRun(recipe)
    for number in range(1, rounds + 1):
        round_recipe = recipe.but(seed=recipe.seed + number - 1)   # a new order of images each round
        copies = [parameters_of(train_copy(k, round_recipe, parameters, o.images, o.labels))
                  for o in owners]
        owner_test = {o.name: accuracy(k, recipe, c, test) for o, c in zip(owners, copies)}
        plain = average(k, copies)
        result = Round(number, owner_test, accuracy(k, recipe, plain, test), copies, plain)
        if keypair is not None:
            result.secure = secure_average(keypair, copies, k.name != "pure")
            result.plain_test, result.plain_average = result.test, plain
            result.average = result.secure.parameters
            result.test = accuracy(k, recipe, result.average, test)
        parameters = result.average
        run.rounds.append(result)
        if on_round is not None:
            on_round(result)
    return run
