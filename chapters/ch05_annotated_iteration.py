"""The annotated iteration: every value of the first pass, printed

Source: "Holding Your Hand Like a Small Child Through a Neural Network" (002).
It takes the 2-layer network of "11 lines" part 1 (chapter 4's network), seeds
it with 123 instead of 1, and prints everything: the weights, the inputs, the
dot products (worked out by hand with 4-digit numbers), the sigmoid. Our copy of
002 stops there (its page 2 is missing); the rest of the iteration (error,
slope, delta, update) is the same code, lines 32-39 of 001, printed the same way.

Without --trace you get the values as 002 prints them, one vector per step;
with --trace, each of those numbers is also written out as the arithmetic that
made it.

    python chapters/ch05_annotated_iteration.py [--backend pure|cython|numpy] [--trace] [--plot DIR]
"""
# %%
import importlib.util
import re
import sys

if importlib.util.find_spec("grokking") is None:  # a checkout without `pip install .`
    print("grokking is not installed: run `python3 -m venv .venv && .venv/bin/pip install .`"
          " in the project folder, then run the chapter with .venv/bin/python", file=sys.stderr)
    raise SystemExit(2)

import numpy as np

from grokking.lessons.lesson import Options, show, start
from grokking.lessons.one_layer import (ITERATIONS, one_iteration, starting_weights, train_one_layer,
                                trace_deltas, trace_dot_products, trace_sigmoids, trace_update)
from grokking.lessons.sources import X, y
from grokking.networks.rows import add_up

# What --trace and --plot DIR do in this chapter (`python -m grokking chapters` lists it).
OPTIONS = Options(trace="each number of the first iteration, written out as arithmetic",
                  plot="the sigmoid curve with the first iteration's four predictions on it")

SEED = 123


def one_line(matrix):
    """A column of numbers on one line, as 002's page shows them: ``[[ 0.1] [-0.2]]``."""
    return show(matrix).replace("\n", "")


def four_digits(value):
    """A number the way 002 writes it by hand: 4 decimals, no leading zero (``-.5463``)."""
    return re.sub(r"^(-?)0\.", r"\1.", f"{value:.4f}")


def by_hand(k, X, weights):
    """002's hand calculation: the weights cut to 4 decimals, then one weighted sum per example.

    Returns ``(rounded_weights, [(row, sum), ...])``.
    """
    rounded = [round(w[0], 4) for w in weights]
    return rounded, [(row, k.w_sum(row, rounded)) for row in X]


def by_hand_line(row, rounded, total, signs=True):
    """``(0 * .3929) + (0 * -.4277) + (1 * -.5463) = -.5463``; signs=False drops the minus
    signs, as 002's text did."""
    shown = four_digits if signs else (lambda v: four_digits(abs(v)))
    terms = " + ".join(f"({x} * {shown(w)})" for x, w in zip(row, rounded))
    return f"{terms} = {shown(total)}"


# %% [markdown]
# The lesson.

# %%
def show_start(weights):
    """002's table and its starting weights, with the signs its text lost."""
    print("+++  Inputs  Outputs  +++")
    for row, target in zip(X, y):
        print(f"     {','.join(str(v) for v in row)}    {target[0]}")
    print("The first column is the output: its weight should end up large.")
    print(f"\nnp.random.seed({SEED}); weights = 2*np.random.random((3,1)) - 1")
    print("weights:", one_line(weights))
    print("002 printed \"weights: [[ 0.39293837 ] [0.42772133] [0.54629709]]\": the minus signs"
          " of the\nsecond and third weights were lost when the page became text. The dot"
          " products below prove it.")
    mean = add_up(w[0] for w in weights) / len(weights)
    print(f"Their mean is {mean:.8f}, not 0 (002: \"c'est la vie\").")


def show_dot_products(lesson, step):
    """002's hand calculation (4 digits), then the dot products in full."""
    print("\nITERATION #0 inputs:", X)
    print("\nThe dot product of the inputs (4x3) and the weights (3x1) is 4x1. By hand, with"
          " 4 digits, as 002 does it:")
    rounded, sums = by_hand(lesson.k, X, step.weights)
    for row, total in sums:
        print("  " + by_hand_line(row, rounded, total))
    print("002's text lost every minus sign; it reads:")
    for row, total in sums:
        print("  " + by_hand_line(row, rounded, total, signs=False))
    unsigned = " + ".join(four_digits(abs(w)) for w in rounded)
    print(f"({unsigned} would be {four_digits(add_up(abs(w) for w in rounded))}, not"
          f" {four_digits(abs(sums[-1][1]))}: the signs must be there.)")
    if lesson.trace:
        print("The same sums with every digit:")
        trace_dot_products(step)
    print("dot product results:", one_line(step.dot_product))


def show_sigmoid(lesson, step):
    """The first predictions, as probabilities and as 002's percentages."""
    print("\nEach result goes through the sigmoid, 1 / (1 + e^-x), which turns it into a"
          " probability:")
    if lesson.trace:
        trace_sigmoids(step)
    print("probability predictions (sigmoid):", one_line(step.layer_1))
    first = step.dot_product[0][0]
    print(f"The first dot product, {four_digits(first)} (002 wrote .5463), gives"
          f" {step.layer_1[0][0]:.4f}.")
    percents = ", ".join(f"{p[0] * 100:.2f}%" for p in step.layer_1)
    print(f"As chances of a 1: {percents}.")
    print("002 says 36.67%, 27%, 46.17% and 35.86%: the last one cut short, not rounded"
          f" ({step.layer_1[3][0]:.8f}).")
    print("Every dot product is negative, so every prediction is under 50%.")


def show_rest_of_iteration(lesson, step):
    """Error, slope, delta and update: the part of iteration 0 our copy of 002 lacks."""
    print("\nThe rest of iteration #0 (lines 32-39 of 001; 002's page 2 is not in our copy):")
    print("  l1_error = y - l1          how much did we miss?")
    print("  slope    = l1 * (1 - l1)   how steep is the sigmoid there? (shallow = confident)")
    print("  l1_delta = l1_error * slope")
    print("  weights += X.T . l1_delta  (each weight: the sum of input * delta over the examples)")
    if lesson.trace:
        trace_deltas(step, y)
    print("l1_error:", one_line(step.layer_1_error))
    print("slope:", one_line(step.slope))
    print("l1_delta:", one_line(step.layer_1_delta))
    if lesson.trace:
        trace_update(step)
    print("update:", one_line(step.update))
    print("weights after iteration #0:", one_line(step.new_weights))


def show_training(lesson):
    """The same network trained for 10,000 iterations from 002's seed."""
    print(f"\nAnd {ITERATIONS:,} iterations of the same (grokking.train(X, y, hidden=0,"
          f" iterations={ITERATIONS}, seed={SEED})):")
    result = train_one_layer(lesson, X, y, "training", seed=SEED)
    print("Output After Training:", one_line(result.output))
    print("weights after training:", one_line(result.weights[0]))
    print("The first weight is large, as the table promised; the start (seed 123 instead of 1)"
          " hardly matters.")
    return result


def draw_sigmoid(step):
    """The sigmoid curve with iteration 0's four dot products on it."""
    def draw(plt):
        x = np.linspace(-6, 6, 200)
        plt.plot(x, 1 / (1 + np.exp(-x)), label="sigmoid(x)")
        dots = [d[0] for d in step.dot_product]
        plt.scatter(dots, [p[0] for p in step.layer_1], color="red", zorder=3,
                    label="iteration #0: the four examples")
        for i, (dot, prediction, row) in enumerate(zip(dots, step.layer_1, X)):
            right = i % 2 == 0   # two of the dots nearly touch: their labels go opposite ways
            plt.annotate(str(row), (dot, prediction[0]), xytext=(8, -10) if right else (-8, 6),
                         textcoords="offset points", ha="left" if right else "right", fontsize=8)
        plt.axhline(0.5, color="gray", linewidth=0.5)
        plt.xlabel("dot product (input row . weights)")
        plt.ylabel("prediction, sigmoid(dot product)")
        plt.title("002's first predictions, all below 0.5")
        plt.legend()
    return draw


def main(argv=None):
    lesson = start(__doc__, argv, OPTIONS)
    weights = starting_weights(SEED)
    step = one_iteration(lesson.k, X, y, weights)
    show_start(weights)
    show_dot_products(lesson, step)
    show_sigmoid(lesson, step)
    show_rest_of_iteration(lesson, step)
    show_training(lesson)
    lesson.plot("ch05_sigmoid_iteration0.png", draw_sigmoid(step))
    lesson.finish()


# %%
if __name__ == "__main__":
    main()
