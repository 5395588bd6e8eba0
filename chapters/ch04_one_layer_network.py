"""The one-layer network: guess, compare, nudge, repeat

Sources: "Gradient Descent in Simple NN" (000: steps 1 to 6, then "a simple and
broken NN") and "A Neural Network in 11 lines of Python" (001, part 1: the
2-layer network, 10,000 iterations, seed 1).

Three inputs, one output, three weights. The first iteration is walked through
with the kernels of the chosen backend, one step at a time; the 10,000
iterations after it are ``grokking.train(X, y, hidden=0, iterations=10000)``.
Then the same network meets a pattern it cannot learn.

    python chapters/ch04_one_layer_network.py [--backend pure|cython|numpy] [--trace] [--plot DIR]
"""
# %%
import importlib.util
import sys

if importlib.util.find_spec("grokking") is None:  # a checkout without `pip install .`
    print("grokking is not installed: run `python3 -m venv .venv && .venv/bin/pip install .`"
          " in the project folder, then run the chapter with .venv/bin/python", file=sys.stderr)
    raise SystemExit(2)

import numpy as np

from grokking.lessons.lesson import Options, show, start
from grokking.lessons.one_layer import (ITERATIONS, RECORD_EVERY, agreement, one_iteration,
                                starting_weights, train_one_layer, trace_deltas,
                                trace_dot_products, trace_sigmoids, trace_update)
from grokking.lessons.sources import X, y, y_XOR

# What --trace and --plot DIR do in this chapter (`python -m grokking chapters` lists it).
OPTIONS = Options(trace="each number of the first iteration, written out as arithmetic",
                  plot="the error per iteration of the learnable and the broken pattern")

# 001's *table* (and 000's text) list the same four examples as X in another order.
X_TABLE_ORDER = [[0, 0, 1],
                 [1, 1, 1],
                 [1, 0, 1],
                 [0, 1, 1]]


# %% [markdown]
# One iteration, every value kept. These are lines 28-39 of 001's 2-layer code:
#
#     l0 = X
#     l1 = nonlin(np.dot(l0, syn0))        # guess
#     l1_error = y - l1                    # how much did we miss?
#     l1_delta = l1_error * nonlin(l1, True)   # ... times the slope of the sigmoid
#     syn0 += np.dot(l0.T, l1_delta)       # update
#
# ``grokking.lessons.one_layer.one_iteration`` writes them with the kernels of the chosen
# backend (chapter 5 prints the same iteration from another seed), and with
# --trace its ``trace_*`` functions write out each number as arithmetic.

# %%
def walk_through_first_iteration(lesson, weights):
    """Steps 2 to 5 of 000, printed; with --trace each number is written out as arithmetic."""
    k = lesson.k
    step = one_iteration(k, X, y, weights)
    print("\nStep 2: guess. Each example's inputs times the weights, added up:"
          " l1 = np.dot(X, syn0) before the sigmoid.")
    print("X (001's code) =", X)
    if lesson.trace:
        trace_dot_products(step)
    print("dot products:")
    print(show(step.dot_product))
    print("000 prints [[-0.99977125], [-0.72507825], [-1.16572724], [-0.55912226]] (with one"
          " bracket too many):\nthe same four numbers with the 2nd and 4th swapped. 000 multiplies"
          " the examples in the order of\n001's *table*, X =", X_TABLE_ORDER, "(its bullet list"
          " says so, and its labels 0, 1, 1, 0 follow it);")
    print("001's code puts [0, 1, 1] second and [1, 1, 1] fourth. With 000's order:")
    print(show(k.mat_mul(X_TABLE_ORDER, weights)))
    print("(000's next sentence, \"these guesses - -2.5, 2.74, 2.95, and -2.73\", does not come"
          " from these\nweights. The network's table-order dot products come closest to them"
          " after about 200 updates;\nwhere 000 took them from, we could not tell.)")

    print("\nStep 3: squash each guess into (0, 1) with the sigmoid 1 / (1 + e^-x):")
    if lesson.trace:
        trace_sigmoids(step)
    print(show(step.layer_1))

    print("\nStep 4 (000: \"apply gradient descent\"): how much did we miss, and how sure"
          " were we?")
    print("  l1_error = y - l1; slope = l1 * (1 - l1); l1_delta = l1_error * slope")
    if lesson.trace:
        trace_deltas(step, y)
    print("l1_error:")
    print(show(step.layer_1_error))
    print("slope of the sigmoid at each guess (at most 0.25, small where the guess is"
          " confident):")
    print(show(step.slope))
    print("l1_delta (the error, scaled down where the guess was confident):")
    print(show(step.layer_1_delta))

    print("\nStep 5: update. Each weight moves by the sum over the examples of"
          " input * delta: syn0 += np.dot(X.T, l1_delta)")
    if lesson.trace:
        trace_update(step)
    print("update:")
    print(show(step.update))
    print("weights after one iteration:")
    print(show(step.new_weights))
    ups = ["up" if u[0] > 0 else "down" for u in step.update]
    print(f"000 says the first weight should go up, the second down, the third up. In this first"
          f" step they go\n{ups[0]}, {ups[1]} and {ups[2]}. The second weight is pushed down by"
          f" example 2 ([0, 1, 1], target 0, delta\n{step.layer_1_delta[1][0]:.8f}) and up by"
          f" example 4 ([1, 1, 1], target 1, delta {step.layer_1_delta[3][0]:.8f}); for now"
          " example 4 wins.\nIt comes down later, once the first weight does the work.")
    return step


def learnable_pattern(lesson):
    """001 part 1: the first column is the answer. One iteration by hand, then 10,000."""
    print("The pattern: the output is the first input.")
    print("Step 1: random weights. np.random.seed(1); syn0 = 2*np.random.random((3,1)) - 1")
    weights = starting_weights(1)
    print(show(weights))
    print("(000: -0.17, 0.44 and -0.99. The right answer is a big first weight and small other"
          " two.)")
    print("000 says the guess \"leverages np.random.randn\"; the code uses np.random.random"
          " (uniform in [0, 1),\ntimes 2, minus 1), and only that gives these numbers;"
          " randn would have given\nnp.random.seed(1); np.random.randn(3) =",
          show(np.random.RandomState(1).randn(3)))
    walk_through_first_iteration(lesson, weights)

    print(f"\nStep 6: repeat. {ITERATIONS:,} iterations of the same five lines"
          f" (grokking.train(X, y, hidden=0, iterations={ITERATIONS})).")
    result = train_one_layer(lesson, X, y, "the pattern it can learn")
    print("Output After Training:")
    print(show(result.output))
    print("weights after training:")
    print(show(result.weights[0]))
    print("A big positive first weight, a big negative third weight (the third input is"
          " always 1, so it acts\nas a bias), and a small second weight: the first column"
          " decides.")
    return result


def broken_pattern(lesson):
    """000's broken network: the targets of 001 part 2, which no single column predicts."""
    print("\nA simple and broken network (000): the same network, the same seed, the same"
          f" {ITERATIONS:,} iterations,\nbut the targets of 001 part 2: y = [0, 1, 1, 0]"
          " (1 when exactly one of the first two inputs is 1).")
    result = train_one_layer(lesson, X, y_XOR, "the pattern it cannot learn")
    print("Output After Training:")
    print(show(result.output))
    print("weights after training:")
    print(show(result.weights[0]))
    largest = max(abs(w[0]) for w in result.weights[0])
    print(f"Every guess is 0.5 and every weight is 0 (the largest is {largest:.1e}: rounding"
          " noise): the network\ngave up.")
    print("Why: count, for each input column, in how many of the 4 examples it equals the"
          " target.")
    for name, targets in (("y = [0, 0, 1, 1]", y), ("y = [0, 1, 1, 0]", y_XOR)):
        counts = ", ".join(f"column {c + 1}: {n} of 4" for c, n in enumerate(agreement(X, targets)))
        print(f"  {name}: {counts}")
    print("With the first targets, column 1 agrees every time, so every example pushes its"
          " weight the same way.\nWith the second, every column agrees half the time: each"
          " weight is pushed up by two examples and\ndown by the other two. A single weighted"
          " sum cannot say \"one or the other but not both\"; the pushes\ncancel where all"
          " the weights are 0, the sigmoid of 0 is 0.5, and there the network stays.\nIt needs"
          " a layer in between that combines the columns first: that is chapter 6.")
    return result


def draw_errors(learnable, broken):
    """The picture: mean error per iteration, both trainings, on a log scale."""
    def draw(plt):
        steps = [j * RECORD_EVERY for j in range(len(learnable.errors))]
        plt.plot(steps, learnable.errors, label="y = [0, 0, 1, 1] (learns)")
        plt.plot(steps, broken.errors, label="y = [0, 1, 1, 0] (stuck at 0.5)")
        plt.xlabel("iteration")
        plt.ylabel("error, mean |y - l1| (log scale)")
        plt.yscale("log")
        plt.title("The one-layer network: error per iteration")
        plt.legend()
    return draw


def main(argv=None):
    lesson = start(__doc__, argv, OPTIONS)
    learnable = learnable_pattern(lesson)
    broken = broken_pattern(lesson)
    lesson.plot("ch04_error_per_iteration.png", draw_errors(learnable, broken))
    lesson.finish()


# %%
if __name__ == "__main__":
    main()
