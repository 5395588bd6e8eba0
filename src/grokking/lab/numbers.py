"""The numbers each lab replays, computed with the package's kernels when the page is written.

One function per lab. Each returns a ``Lab``: its title, the chapter it comes from,
the source of its numbers, and ``data``, plain lists and dicts that go into the page
as JSON. The page's JavaScript only draws them (lab 1 also recomputes with its own
twin of ``w_sum`` and ``ele_mul`` when a slider leaves the precomputed runs).

The code of the chapters is used as it is: chapter 2's ``gradient_descent``,
chapter 7's error surface, sweep and ``closer_look``, chapter 11's digits recipes (on the
data of chapters 9-11), trained by ``grokking.networks.digits.train_digits``.
"""
from dataclasses import dataclass, field

import numpy as np

import grokking
from grokking.chapters import ch02_gradient_descent as ch02
from grokking.chapters import ch07_tuning_gradient_descent as ch07
from grokking.chapters import ch11_digits_best_network as ch11
from grokking.lessons.digits import digits_data
from grokking.networks.digits import train_digits
from grokking.networks.playground import Playground
from grokking.networks.train import initial_weights

from .playground import data_set


@dataclass(frozen=True)
class Size:
    """How much each lab computes: ``FULL`` for learners, ``QUICK`` for a fast look and the tests."""
    sweep_iterations: int = 60000    # lab 3: iterations per alpha (chapter 7's 60,000)
    sweep_record_every: int = 500
    surface_steps: int = 300         # lab 2: gradient descent steps from each start
    digits_epochs: int = 20          # lab 4: chapter 11's 20 epochs (its best network 30)
    digits_examples: object = None   # lab 4: all 1,797 digits


FULL = Size()
QUICK = Size(sweep_iterations=3000, sweep_record_every=100, surface_steps=100, digits_epochs=3,
             digits_examples=400)


@dataclass
class Lab:
    """One page: what it is called, where it comes from, what it replays."""
    slug: str        # the file name (slug.html) and the name of its script (slug.js)
    title: str
    chapter: str     # "Chapter 2 (book chapter 4)"
    source: str      # where the numbers come from, in words
    data: dict = field(default_factory=dict)


# -- lab 1: one weight, one input ------------------------------------------------------------

# Chapter 2's runs, each (name, weight, input, goal_pred, alpha): the page offers them as presets.
ONE_WEIGHT_RUNS = [
    ("book: learns (input 0.5)", 0.5, 0.5, 0.8, 1.0),
    ("book: diverges (input 2)", 0.5, 2.0, 0.8, 1.0),
    ("book: alpha 0.1 fixes it", 0.5, 2.0, 0.8, 0.1),
    ("slow: alpha 0.01", 0.0, 0.5, 0.8, 0.01),
]
ONE_WEIGHT_ITERATIONS = 20


def one_weight(k):
    """Lab 1: chapter 2's ``gradient_descent`` for each preset, every step kept."""
    runs = []
    for name, weight, input, goal_pred, alpha in ONE_WEIGHT_RUNS:
        steps = ch02.gradient_descent(k, weight, input, goal_pred, alpha, ONE_WEIGHT_ITERATIONS)
        runs.append({"name": name, "weight": weight, "input": input, "goal": goal_pred,
                     "alpha": alpha, "steps": [list(step) for step in steps]})
    return Lab("one_weight", "One weight, one input", "Chapter 2 of ours (book chapter 4)",
               "chapter 2's gradient_descent (pred = w_sum([input], [weight]); "
               "weight -= alpha * delta * input), run on the " + k.name + " backend when this "
               "page was written; a slider away from the presets is computed in your browser "
               "by a JavaScript twin of w_sum and ele_mul (kernels/pure.py)",
               {"runs": runs, "iterations": ONE_WEIGHT_ITERATIONS, "fields": list(ch02.Step._fields)})


# -- lab 2: the error surface of the 2-weight network -----------------------------------------

SURFACE_VALUES = [v / 4 for v in range(-40, 41)]     # -10 .. 10 in steps of 0.25
SURFACE_STARTS = [float(v) for v in range(-8, 9, 2)]  # a 9 x 9 grid of starting points
SURFACE_ALPHAS = [0.1, 1, 10, 100]                    # from chapter 7's sweep


def recorded_steps(steps):
    """The steps a path keeps: every one of the first 60, then every 5th (the page stays small)."""
    return [t for t in range(steps + 1) if t < 60 or t % 5 == 0 or t == steps]


def shown(x):
    """A number for drawing: 6 significant digits (the page shows at most 5)."""
    return float(f"{x:.6g}")


def descent_path(k, start, alpha, steps):
    """Chapter 7's 2-weight network from ``start``, each update times ``alpha``.

    ``[[first weight, second weight, error], ...]`` at ``recorded_steps(steps)``; the
    error (mean |layer_1 - y|) is the one of those weights, before they are updated.
    """
    keep = set(recorded_steps(steps))
    synapse_0 = [[start[0]], [start[1]]]
    path = []
    for t in range(steps + 1):
        layer_1 = k.sigmoid(k.mat_mul(ch07.X_TWO, synapse_0))
        layer_1_error = k.vec_sub(layer_1, ch07.Y_TWO)
        if t in keep:
            path.append([shown(synapse_0[0][0]), shown(synapse_0[1][0]),
                         shown(ch07.mean_abs(k, layer_1_error))])
        if t == steps:
            break
        layer_1_delta = k.vec_mul(layer_1_error, k.sigmoid2deriv(layer_1))
        synapse_0_derivative = k.mat_mul(k.transpose(ch07.X_TWO), layer_1_delta)
        synapse_0 = k.vec_sub(synapse_0, k.ele_mul(alpha, synapse_0_derivative))
    return path


def surface(k, size=FULL):
    """Lab 2: chapter 7's error surface, and a descent path per start and alpha."""
    seeded = initial_weights(2, 0, 1, 1)[0]
    starts = [[first, second] for second in SURFACE_STARTS for first in SURFACE_STARTS]
    starts.append([seeded[0][0], seeded[1][0]])   # the chapter's own start (seed 1)
    paths = {str(alpha): [descent_path(k, start, alpha, size.surface_steps) for start in starts]
             for alpha in SURFACE_ALPHAS}
    errors = [[shown(e) for e in row] for row in ch07.error_surface(k, SURFACE_VALUES)]
    return Lab("surface", "The error surface", "Chapter 7 of ours (source 003)",
               "chapter 7's 2-weight network (X = [[0,1],[0,1],[1,0],[1,0]], y = [0,0,1,1]): "
               "its error (surface_error) at every pair of weights, and gradient descent from "
               f"each of {len(starts)} starts, {size.surface_steps} steps, computed on the "
               f"{k.name} backend when this page was written (kept to 6 digits for drawing)",
               {"values": SURFACE_VALUES, "errors": errors, "starts": starts,
                "alphas": SURFACE_ALPHAS, "paths": paths,
                "steps": recorded_steps(size.surface_steps)})


# -- lab 3: the alpha sweep, 4 and 32 hidden nodes --------------------------------------------

SWEEP_HIDDEN = [4, 32]


def sweep(k, size=FULL):
    """Lab 3: chapter 7's ``closer_look`` for every alpha of its sweep, with 4 and 32 hidden nodes."""
    runs = []
    for hidden in SWEEP_HIDDEN:
        for alpha in ch07.ALPHAS:
            look = ch07.closer_look(k, alpha, hidden=hidden, iterations=size.sweep_iterations,
                                    record_every=size.sweep_record_every)
            runs.append({"hidden": hidden, "alpha": alpha, "errors": look.errors,
                         "synapse_0_direction_count": look.synapse_0_direction_count,
                         "synapse_1_direction_count": look.synapse_1_direction_count,
                         "changes": ch07.direction_changes(look)})
    return Lab("sweep", "The alpha sweep and the hidden layer's size", "Chapter 7 of ours "
               "(sources 001 and 003)",
               "chapter 7's closer_look: the 3-layer network of 001 (X = [[0,0,1],[0,1,1],[1,0,1],"
               f"[1,1,1]], y = [0,1,1,0], seed 1), {size.sweep_iterations:,} iterations per alpha, "
               f"the error every {size.sweep_record_every}, and how often each weight's update "
               f"changed direction, computed on the {k.name} backend when this page was written",
               {"runs": runs, "record_every": size.sweep_record_every,
                "iterations": size.sweep_iterations, "alphas": ch07.ALPHAS, "hidden": SWEEP_HIDDEN})


# -- lab 4: digits ------------------------------------------------------------------------------

def digit_recipes(epochs):
    """Chapter 11's plain network and three of its ideas: ``[(name, Recipe), ...]``."""
    ideas = dict(ch11.idea_recipes(epochs))
    return [("plain (ch 11)", ch11.PLAIN.but(epochs=epochs))] + [
        (f"{name} (ch 11)", ideas[name])
        for name in ("momentum 0.9", "sigmoid hidden", "best: all together")]


def digits(k, size=FULL):
    """Lab 4: training curves per recipe; the best network's view of every test digit."""
    train, test = digits_data(size.digits_examples)
    curves, best = [], None
    for name, recipe in digit_recipes(size.digits_epochs):
        history = train_digits(recipe, train, test, k)
        curves.append({"name": name, "train": history.train, "test": history.test})
        best = history   # the last recipe is the best network
    images, labels = test
    layer_0 = np.asarray(images, dtype=float)
    layer_1, layer_2 = best.network.forward(layer_0 if best.network.arrays else layer_0.tolist())
    shown = [{"pixels": [round(16 * p) for p in image], "label": int(label),   # 0..16, as scanned
              "hidden": [float(h) for h in hidden], "scores": [float(s) for s in scores],
              "guess": max(range(len(scores)), key=lambda d: scores[d])}
             for image, label, hidden, scores in zip(images, labels, _rows(layer_1), _rows(layer_2))]
    return Lab("digits", "Digits", "Chapters 9-11 of ours (book chapters 8 and 9)",
               f"grokking.networks.digits.train_digits on {len(train[1])} training digits, tested on "
               f"{len(labels)} it never saw (split 80/20, seed 0), {size.digits_epochs} epochs "
               "(the best network half as many again); the recipes are chapter 11's; computed on "
               f"the {k.name} backend when this page was written",
               {"curves": curves, "best": curves[-1]["name"], "digits": shown,
                "epochs": size.digits_epochs})


def _rows(matrix):
    return matrix.tolist() if hasattr(matrix, "tolist") else matrix


# -- lab 5: the playground ---------------------------------------------------------------------

# The network the playground opens with (the page's controls start here).
PLAYGROUND_DEFAULTS = {"data": "circles", "noise": 0.05, "split": 50, "layers": 2, "nodes": 4,
                       "activation": "tanh", "alpha": 1, "batch": 10, "seed": 1}
PLAYGROUND_CHECK_STEPS = 20


def playground(k):
    """Lab 5: the playground trains in the browser; Python computes the first steps, for its check."""
    d = PLAYGROUND_DEFAULTS
    data = data_set(d["data"], d["noise"], d["split"], d["seed"])
    net = Playground.start([3] + [d["nodes"]] * d["layers"] + [1], d["activation"], d["seed"])
    for _ in range(PLAYGROUND_CHECK_STEPS):
        net.step(k, data.train_rows, data.train_targets, d["alpha"], d["batch"])
    weights = [_rows(w) for w in net.weights]
    return Lab("playground", "The playground", "Chapters 6 and 7 of ours (book chapter 6)",
               "your browser, training live with kernels.js (the JavaScript twin of kernels/pure.py) "
               "from the weights numpy.random.RandomState(seed) draws; the default network's first "
               f"{PLAYGROUND_CHECK_STEPS} steps were also computed on the {k.name} backend when this "
               "page was written, and the page checks its own against them",
               {"defaults": d, "check": {"steps": PLAYGROUND_CHECK_STEPS, "backend": k.name,
                                         "weights": weights}})


def all_labs(backend=None, size=FULL, on_run=None):
    """The five labs, in order, computed on ``backend`` (default: the active one).

    on_run(text): called before each long piece of work (for progress).
    """
    k = grokking.backend(backend)
    say = on_run or (lambda text: None)
    say("lab 1: one weight")
    labs = [one_weight(k)]
    say("lab 2: the error surface")
    labs.append(surface(k, size))
    say(f"lab 3: the alpha sweep, {2 * len(ch07.ALPHAS)} trainings of {size.sweep_iterations:,} iterations")
    labs.append(sweep(k, size))
    say(f"lab 4: digits, {len(digit_recipes(1))} recipes")
    labs.append(digits(k, size))
    say("lab 5: the playground")
    labs.append(playground(k))
    return labs
