"""LSTMs: why gradients vanish or explode through time, and a cell that keeps them in check

The book's chapter 14 ("Learning to write like Shakespeare"), first part: its
"Exploding Gradients Examples" notebook, number for number. A 2-unit network
runs 10 steps through the same weights ``[[1, 4], [4, 1]]``, as an RNN runs
through time; then the gradient is sent back through the 10 steps:

1. with sigmoid: the activations saturate near 0.993, where the sigmoid's slope
   is 0.0069, and the gradient shrinks about 30-fold at every step: it vanishes;
2. with relu: the activations grow 5-fold a step, the slope is 1, and the
   gradient grows 5-fold a step: it explodes.

    python chapters/ch16_lstm.py --backend pure|cython|numpy [--trace] [--plot DIR] [--short]

(``--short`` is for the LSTM's training, still to come; this part takes milliseconds.)
"""
# %%
import importlib.util
import sys

if importlib.util.find_spec("grokking") is None:  # a checkout without `pip install .`
    print("grokking is not installed: run `python3 -m venv .venv && .venv/bin/pip install .`"
          " in the project folder, then run the chapter with .venv/bin/python", file=sys.stderr)
    raise SystemExit(2)

import math
from dataclasses import dataclass

import numpy as np

from grokking.lesson import Options
from grokking.text_lesson import start_text

# What --trace and --plot DIR do in this chapter (`python -m grokking chapters` lists it).
OPTIONS = Options(trace="each of the first sigmoid step's sums and the first gradient step, as arithmetic",
                  plot="the size of the gradient at each step back, sigmoid and relu (log scale)")

WEIGHTS = [[1.0, 4.0], [4.0, 1.0]]
START = [1.0, 0.01]
STEPS = 10


# %% [markdown]
# ## 1. Vanishing and exploding gradients
# The book's notebook, with the kernels:
#
#     activation = sigmoid(np.array([1, 0.01]))
#     for iter in range(10):
#         activation = sigmoid(activation.dot(weights))
#     gradient = np.ones_like(activation)
#     for activation in reversed(activations):
#         gradient = (activation * (1 - activation) * gradient)
#         gradient = gradient.dot(weights.transpose())
#
# ``activation.dot(weights)`` is ``vect_mat_mul(activation, transpose(weights))``
# (``vect_mat_mul`` takes a weighted sum with each *row*), and
# ``gradient.dot(weights.transpose())`` is ``vect_mat_mul(gradient, weights)``.

# %%
@dataclass
class Chain:
    """Ten steps forward through the same weights, and the gradient sent back through them."""
    activations: list
    gradients: list


def through_time(k, activation, nonlinearity):
    """``STEPS`` steps of ``activation = sigmoid(activation . weights)`` ("sigmoid") or relu,
    then the gradient back: times the slope at each activation (``sigmoid2deriv``:
    a * (1 - a); ``relu2deriv``: 1 where a > 0), then through the weights."""
    function, slope = {"sigmoid": (k.sigmoid, k.sigmoid2deriv), "relu": (k.relu, k.relu2deriv)}[nonlinearity]
    activations = []
    for _ in range(STEPS):
        activation = function(k.vect_mat_mul(activation, k.transpose(WEIGHTS)))
        activations.append(activation)
    gradients = []
    gradient = [1.0] * len(activation)
    for activation in reversed(activations):
        gradient = k.vect_mat_mul(k.vec_mul(slope(activation), gradient), WEIGHTS)
        gradients.append(gradient)
    return Chain(activations, gradients)


def as_numpy_prints(vector):
    """A vector printed as the book's ``print(activation)`` prints a NumPy array."""
    return str(np.array(vector, dtype=float))


def trace_first_steps(k, start_activation, chain):
    a = [float(v) for v in start_activation]
    sums = k.vect_mat_mul(a, k.transpose(WEIGHTS))
    print(f"  trace: start = sigmoid([1, 0.01]) = [{a[0]:.8f}, {a[1]:.8f}]")
    print(f"  trace: step 1 sums: {a[0]:.8f}*1 + {a[1]:.8f}*4 = {sums[0]:.8f};"
          f" {a[0]:.8f}*4 + {a[1]:.8f}*1 = {sums[1]:.8f}")
    print(f"  trace: step 1 = sigmoid of those = {as_numpy_prints(chain.activations[0])}")
    last = [float(v) for v in chain.activations[-1]]
    slope = [v * (1 - v) for v in last]
    print(f"  trace: back through step 10: slope = a * (1 - a) = [{slope[0]:.8f}, {slope[1]:.8f}];"
          f" times the weights: {slope[0]:.8f}*1 + {slope[1]:.8f}*4 = {float(chain.gradients[0][0]):.8f}")


def show_chain(name, chain):
    print(f"{name} activations")
    for activation in chain.activations:
        print(as_numpy_prints(activation))
    print(f"\n{name} gradients")
    for gradient in chain.gradients:
        print(as_numpy_prints(gradient))


def gradient_sizes(chain):
    return [math.sqrt(sum(float(v) ** 2 for v in g)) for g in chain.gradients]


def vanishing_and_exploding(lesson):
    k = lesson.k
    start_activation = k.sigmoid(START)
    sigmoid = through_time(k, start_activation, "sigmoid")
    if lesson.trace:
        trace_first_steps(k, start_activation, sigmoid)
    show_chain("Sigmoid", sigmoid)
    saturated = float(sigmoid.activations[-1][0])
    slope = saturated * (1 - saturated)
    shrink = float(sigmoid.gradients[1][0]) / float(sigmoid.gradients[0][0])
    print(f"The activations settle at {saturated:.8f}, where the sigmoid's slope is"
          f" {saturated:.8f} * {1 - saturated:.8f} = {slope:.8f};\nthe weights multiply by 1 + 4 = 5,"
          f" so each step back multiplies the gradient by about {5 * slope:.4f}\n(measured from the"
          f" first two: {shrink:.4f}). After 10 steps it is {float(sigmoid.gradients[-1][0]):.1e}:"
          " it has vanished. The two entries part\nfrom the 5th step back on, where the gradient"
          " reaches the first activations, which still differ.")

    # The book's loop ``for activation in reversed(activations)`` leaves ``activation``
    # at the *first* activation of the loop; its relu cell starts from there.
    first_run = through_time(k, sigmoid.activations[0], "relu")
    book_run = through_time(k, first_run.activations[0], "relu")
    print("\nRelu, from where the sigmoid's gradient loop leaves `activation` (its first activation,"
          f" {as_numpy_prints(sigmoid.activations[0])}):")
    print("  first activation", as_numpy_prints(first_run.activations[0]), "... tenth",
          as_numpy_prints(first_run.activations[-1]))
    print("The book's printed relu numbers are this cell run a second time (its execution count"
          " is 160, the\nsigmoid cell's 158): the second run starts where the first run's gradient"
          " loop left `activation`,\nat its first activation. That run, number for number:\n")
    show_chain("Relu", book_run)
    growth = float(book_run.gradients[1][0]) / float(book_run.gradients[0][0])
    print("Every activation is positive, so relu's slope is 1 everywhere and each step back"
          f" multiplies the\ngradient by the weights, 1 + 4 = {growth:g}: after 10 steps it is"
          f" {float(book_run.gradients[-1][0]):,.0f} = 5^10: it has exploded.")
    return sigmoid, book_run


def draw_gradients(sigmoid, relu):
    def draw(plt):
        steps = list(range(1, STEPS + 1))
        plt.plot(steps, gradient_sizes(sigmoid), "o-", label="sigmoid: vanishes")
        plt.plot(steps, gradient_sizes(relu), "s-", label="relu: explodes")
        plt.yscale("log")
        plt.xlabel("steps back through time")
        plt.ylabel("size of the gradient, sqrt(g1^2 + g2^2) (log scale)")
        plt.title("The same weights, 10 steps back: vanishing and exploding gradients")
        plt.legend()
    return draw


# %%
def main(argv=None):
    lesson, short = start_text(__doc__, argv, OPTIONS)
    print("1. Vanishing and exploding gradients: weights [[1, 4], [4, 1]], 10 steps\n")
    sigmoid, relu = vanishing_and_exploding(lesson)
    lesson.plot("ch16_vanishing_and_exploding.png", draw_gradients(sigmoid, relu))
    lesson.finish()


# %%
if __name__ == "__main__":
    main()
