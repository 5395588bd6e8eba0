"""Hostile arguments for the functions above the kernels: train, gradient_check, the data set.

Each ``check_*`` takes a ``Make`` of keyword arguments and raises ``Mismatch``
unless the call answers in the promised form or raises a TypeError/ValueError
(or OverflowError) whose message starts with the function's name and names the
argument; ``train`` must also agree across backends.
"""
import math
import os
import tempfile

import numpy as np
from hypothesis import strategies as st

import grokking

from .oracle import REF, Mismatch, outcome, snapshot, check_errors
from .values import Make, Refused, bad_whole, fresh, matrix, numbers, show, vector

TRAIN_PARAMETERS = ("X", "y", "hidden", "alpha", "iterations", "seed", "record_every",
                    "backend", "on_record")
MODERATE = 1e3   # below this, every backend's training numbers must agree to 1e-9


def _keywords(parts, mutates=False):
    return Make(lambda: {k: fresh(v) for k, v in parts.items()},
                "dict(" + ", ".join(f"{k}={show(v)}" for k, v in parts.items()) + ")", mutates)


@st.composite
def train_args(draw):
    """Small training problems: odd data, odd sizes, odd settings."""
    rows, columns = draw(st.integers(0, 4)), draw(st.integers(0, 3))
    scale = draw(st.sampled_from([1.0, 1.0, 0.0, 1e300, 1e-300]))
    data = st.lists(st.lists(st.floats(-1, 1).map(lambda v: v * scale),
                             min_size=columns, max_size=columns), min_size=rows, max_size=rows)
    X = draw(st.one_of(data.map(lambda t: Make(lambda: [list(r) for r in t], repr(t))),
                       matrix(rows, columns)))
    outputs = draw(st.integers(1, 2))
    y_rows = rows if draw(st.integers(0, 5)) else draw(st.integers(0, 4))
    y = draw(st.one_of(matrix(y_rows, outputs), vector(y_rows)))
    return _keywords({
        "X": X, "y": y,
        "hidden": draw(st.one_of(st.integers(0, 3), st.sampled_from([-1, 2.0, "4", None, True]))),
        "alpha": draw(st.one_of(st.sampled_from([1.0, 0.1, 10.0, 1000.0, 1e300, -1.0, 0, math.nan,
                                                 math.inf]), numbers)),
        "iterations": draw(st.one_of(st.integers(0, 3), st.sampled_from([-1, 1.5, None, "3"]))),
        "seed": draw(st.one_of(st.integers(0, 2**32 - 1),
                               st.sampled_from([-1, 2**32, 1.0, None, "1", True]))),
        "record_every": draw(st.one_of(st.integers(1, 3), st.sampled_from([0, -1, 1.5, None]))),
    })


def _moderate(kwargs):
    """True when the data and alpha are small enough for every backend to agree closely."""
    try:
        X = np.asarray(kwargs["X"], dtype=np.float64)
        y = np.asarray(kwargs["y"], dtype=np.float64)
        alpha = float(kwargs["alpha"])
    except (TypeError, ValueError, OverflowError, Refused):
        return False
    values = np.concatenate([X.ravel(), y.ravel(), [alpha]])
    return bool(np.all(np.abs(values) <= MODERATE)) and abs(alpha) <= 10


def check_train(make, backends):
    """``grokking.train`` gives every backend's answer, or the same clear error on each."""
    outcomes = {}
    for name in [REF] + [n for n in backends if n != REF]:
        kwargs = make()
        before = snapshot([kwargs["X"], kwargs["y"]])
        outcomes[name] = outcome(lambda: grokking.train(backend=name, **kwargs))
        if snapshot([kwargs["X"], kwargs["y"]]) != before:
            raise Mismatch(f"train on {name} changed X or y: {kwargs!r}")
    if outcomes[REF][0] == "error":
        return check_errors("train", outcomes, TRAIN_PARAMETERS)
    close = _moderate(make())
    expected = outcomes[REF][1]
    for name, got in outcomes.items():
        if got[0] != "ok":
            raise Mismatch(f"train: {name} raised {got[1].__name__}: {got[2]}, but {REF} trained")
        result = got[1]
        if len(result.errors) != len(expected.errors) or not all(
                type(e) is float for e in result.errors):
            raise Mismatch(f"train on {name}: errors {result.errors}, {REF}: {expected.errors}")
        for w in result.weights:
            if not all(type(v) is float for row in w for v in row):
                raise Mismatch(f"train on {name}: weights are not lists of floats: {w!r}")
        if close:
            g, e = np.array(result.errors), np.array(expected.errors)
            same = (np.isnan(g) & np.isnan(e)) | (np.abs(g - e) <= 1e-9 * np.maximum(1, np.abs(e)))
            if not np.all(same):
                raise Mismatch(f"train on {name}: errors {result.errors}, {REF}: {expected.errors}")
    return "ok"


# -- gradient_check -------------------------------------------------------------

def _sum_of_squares(w):
    with np.errstate(over="ignore"):
        return float(np.sum(np.square(np.asarray(w, dtype=np.float64))))


def _refuses(w):
    raise Refused("this loss refuses")


LOSSES = [
    _sum_of_squares, _sum_of_squares, lambda w: "not a number", _refuses,
    lambda w: math.nan, lambda w: np.array([1.0, 2.0]), lambda w: np.float64(1.0), 3, None,
]
GRADCHECK_PARAMETERS = ("loss", "weights", "analytic_grad", "eps", "floor")


@st.composite
def gradcheck_args(draw):
    """A loss, weights, a gradient (often the right shape) and odd step sizes."""
    as_matrix = draw(st.booleans())
    rows, columns = draw(st.integers(0, 3)), draw(st.integers(0, 3))
    shape_of = (lambda: matrix(rows, columns)) if as_matrix else (lambda: vector(columns))
    same = draw(st.integers(0, 4))
    return _keywords({
        "loss": draw(st.sampled_from(LOSSES)),
        "weights": draw(shape_of()),
        "analytic_grad": draw(shape_of() if same else st.one_of(matrix(), vector())),
        "eps": draw(st.one_of(st.just(1e-6), numbers)),
        "floor": draw(st.one_of(st.just(1e-7), numbers)),
    })


def _check_api_error(func, got, parameters):
    if got[1] is Refused:
        return
    check_errors(func, {"": got}, parameters)


def _outcome_unchanged(func, kwargs, watched):
    """``outcome`` of ``func(**kwargs)``; a Mismatch if it changed any of the ``watched`` arguments."""
    before = snapshot([kwargs[name] for name in watched])
    got = outcome(lambda: func(**kwargs))
    if snapshot([kwargs[name] for name in watched]) != before:
        raise Mismatch(f"{func.__name__} changed its arguments: {kwargs!r}")
    return got


def check_gradcheck(make):
    """An answer with a float difference, or a clear error; the weights never change."""
    from grokking.networks.gradcheck import gradient_check
    got = _outcome_unchanged(gradient_check, make(), ("weights", "analytic_grad"))
    if got[0] == "error":
        return _check_api_error("gradient_check", got, GRADCHECK_PARAMETERS)
    if type(got[1].max_relative_difference) is not float:
        raise Mismatch(f"gradient_check answered {got[1]!r}")
    return "ok"


# -- the data set -------------------------------------------------------------

SPLIT_PARAMETERS = ("images", "labels", "test_fraction", "seed")


@st.composite
def split_args(draw):
    n = draw(st.integers(0, 8))
    m = n if draw(st.integers(0, 4)) else draw(st.integers(0, 8))
    images = draw(st.one_of(matrix(rows=n), vector(n),
                            st.just(Make(lambda: set(range(5)), "set(range(5))")),
                            st.just(Make(lambda: {i: i for i in range(5)}, "{i: i}")),
                            bad_whole))
    return _keywords({
        "images": images,
        "labels": draw(st.one_of(vector(m), st.just(Make(lambda: list(range(m)), f"range({m})")))),
        "test_fraction": draw(st.one_of(st.just(0.2), st.sampled_from([0, 1, 0.5, -0.1, 2.0]),
                                        numbers)),
        "seed": draw(st.one_of(st.integers(0, 2**32 - 1),
                               st.sampled_from([-1, 2**32, 1.0, None, "1", True, np.int64(3)]))),
    })


def check_split(make):
    """Four parts whose sizes add up, or a clear error; nothing passed in changes."""
    from grokking.datasets import split
    kwargs = make()
    got = _outcome_unchanged(split, kwargs, ("images", "labels"))
    if got[0] == "error":
        return _check_api_error("split", got, SPLIT_PARAMETERS)
    train_x, train_y, test_x, test_y = got[1]
    if len(train_x) + len(test_x) != len(kwargs["images"]) or len(train_y) != len(train_x):
        raise Mismatch(f"split gave parts of sizes {len(train_x)}, {len(train_y)}, "
                       f"{len(test_x)}, {len(test_y)} for {kwargs!r}")
    return "ok"


def _garbage_file():
    handle, path = tempfile.mkstemp(suffix=".csv.gz")
    os.write(handle, b"not gzip at all")
    os.close(handle)
    return path


LOAD_PARAMETERS = ("as_arrays", "path", "file")


def load_args():
    garbage = _garbage_file()
    return st.builds(lambda a, p: _keywords({"as_arrays": a, "path": p}),
                     st.sampled_from([False, True, 0, 1, None, "yes", np.bool_(True)]),
                     st.sampled_from([None, "/nonexistent/digits.csv.gz", garbage, "/tmp", "",
                                      123, b"/nonexistent", 1.5]))


def check_load(make):
    """The digits, or a clear error naming the argument or the file."""
    from grokking.datasets import DigitsFileError, load_digits
    kwargs = make()
    got = outcome(lambda: load_digits(**kwargs))
    if got[0] == "error":
        if got[1] is DigitsFileError:
            got = ("error", ValueError, got[2])  # its own type; the message rules are the same
        return _check_api_error("load_digits", got, LOAD_PARAMETERS)
    if len(got[1].images) != len(got[1].labels):
        raise Mismatch(f"load_digits gave {len(got[1].images)} images, {len(got[1].labels)} labels")
    return "ok"


# -- the compiled training loop, called directly ---------------------------------

@st.composite
def train_loop_args(draw):
    """Matrices of any shape (train checks them; a learner calling the loop may not)."""
    rows, inputs_, outputs = draw(st.integers(0, 3)), draw(st.integers(0, 3)), draw(st.integers(0, 2))
    weights = draw(st.lists(matrix(inputs_ if draw(st.integers(0, 3)) else None, None),
                            min_size=0, max_size=2))
    return _keywords({"X": draw(matrix(rows, inputs_)), "y": draw(matrix(rows, outputs)),
                      "weights": Make(lambda: [fresh(w) for w in weights], show(weights)),
                      "alpha": 1.0, "iterations": draw(st.integers(0, 2)), "record_every": 1,
                      "on_record": None})


def check_train_loop(make):
    """The compiled loop answers, or says clearly what is wrong; it never crashes."""
    from grokking.networks.training import train_loop
    got = outcome(lambda: train_loop(**make()))
    if got[0] == "error":
        return _check_api_error("train_loop", got, ("X", "y", "weights", "weight matrix"))
    new_weights, errors, output = got[1]
    if not all(type(e) is float for e in errors):
        raise Mismatch(f"train_loop answered errors {errors!r}")
    return "ok"


# -- the compiled digits loop, called directly ---------------------------------

DIGITS_STEPS = {   # each step of networks/digits_epoch.pyx: the name its errors start with, its arguments
    "Examples": ("images", "labels"),
    "DigitNetwork": ("recipe", "weights_0_1", "weights_1_2", "bias_1", "bias_2"),
    "train_epoch": ("examples", "order", "dropout_masks"),
    "accuracy": ("examples",),
}


@st.composite
def digits_recipes(draw):
    """A small Recipe with any mix of options, or something that is not a Recipe."""
    from grokking.networks.digits import Recipe
    if not draw(st.integers(0, 9)):
        return draw(st.sampled_from([None, "relu", {"hidden": 2}, 3]))
    return Recipe(hidden=draw(st.integers(1, 3)), alpha=draw(st.sampled_from([0.1, 1.0, 1e300, math.inf])),
                  batch_size=draw(st.sampled_from([1, 2, 5, None])), bias=draw(st.booleans()),
                  activation=draw(st.sampled_from(["relu", "sigmoid", "tanh"])),
                  output=draw(st.sampled_from(["linear", "softmax"])),
                  l2=draw(st.sampled_from([0.0, 0.01])), dropout=draw(st.sampled_from([0.0, 0.5])),
                  momentum=draw(st.sampled_from([0.0, 0.9])), book_relu2deriv=draw(st.booleans()),
                  book_batch_loop=draw(st.booleans()))


@st.composite
def digits_epoch_args(draw):
    """Images, labels, weights, an order and dropout masks of any shape and kind."""
    recipe = draw(digits_recipes())
    rows, pixels, n = draw(st.integers(0, 3)), draw(st.integers(0, 3)), draw(st.integers(0, 4))
    if draw(st.integers(0, 3)):   # mostly data the loop can train on, to reach its inner steps
        rows, pixels = max(rows, 1), max(pixels, 1)
    def hostile():   # a wrong shape or kind now and then, so that the loops are reached too
        return not draw(st.integers(0, 3))
    labels = st.lists(st.integers(0, 9), min_size=rows, max_size=rows).map(
        lambda v: Make(lambda: list(v), repr(v)))
    hidden = getattr(recipe, "hidden", 2) if draw(st.integers(0, 4)) else draw(st.integers(1, 3))
    good_order = st.lists(st.integers(0, max(rows - 1, 0)), min_size=n, max_size=n).map(
        lambda o: Make(lambda: list(o), repr(o)))
    return _keywords({
        "images": draw(matrix(rows, pixels, hostile=hostile())),
        "labels": draw(st.one_of(labels, labels, labels, vector(rows),
                                 st.lists(st.integers(-1, 11), min_size=rows, max_size=rows))),
        "recipe": recipe,
        "weights_0_1": draw(matrix(pixels, hidden, hostile=hostile())),
        "weights_1_2": draw(matrix(hidden, 10, hostile=hostile())),
        "bias_1": draw(matrix(1, hidden, hostile=hostile())),
        "bias_2": draw(matrix(1, 10, hostile=hostile())),
        "order": draw(st.one_of(good_order, good_order, vector(n))),
        "dropout_masks": draw(st.one_of(st.none(), matrix(n, hidden, hostile=hostile()))),
    })


def check_digits_epoch(make):
    """Each step of the compiled digits loop answers or says clearly what is wrong; it never
    crashes and never changes what it was given."""
    from grokking.networks import digits_epoch as digits
    kwargs = make()
    before = snapshot(list(kwargs.values()))
    step = {}

    def call(name, function, *args):
        step["name"] = name
        return function(*args)

    def run():
        examples = call("Examples", digits.Examples, kwargs["images"], kwargs["labels"])
        network = call("DigitNetwork", digits.DigitNetwork, kwargs["recipe"], kwargs["weights_0_1"],
                       kwargs["weights_1_2"], kwargs["bias_1"], kwargs["bias_2"])
        call("train_epoch", network.train_epoch, examples, kwargs["order"], kwargs["dropout_masks"])
        return call("accuracy", network.accuracy, examples), network.parameters()
    got = outcome(run)
    if snapshot(list(kwargs.values())) != before:
        raise Mismatch(f"the digits loop changed its arguments: {kwargs!r}")
    if got[0] == "error":
        return _check_api_error(step["name"], got, DIGITS_STEPS[step["name"]])
    accuracy, parameters = got[1]
    if type(accuracy) is not float or not 0.0 <= accuracy <= 1.0:
        raise Mismatch(f"accuracy answered {accuracy!r}")
    if not all(isinstance(p, np.ndarray) and p.dtype == np.float64 for p in parameters):
        raise Mismatch(f"parameters() answered {parameters!r}")
    return "ok"
