"""Gradient descent: learning one weight, and how it breaks

Book chapter 4 ("Introduction to neural learning"), with the "ball in a
bucket" of "A Neural Network in 13 lines of Python (Part 2)" (source 003, also
part 2 of source 001's text). A network learns by changing its weight so that
its error goes down:

1. hot and cold learning: try the weight a little up and a little down;
2. gradient descent: the error's slope says which way and how far to move;
3. error, delta and weight_delta, one iteration at a time;
4. alpha: when the input is large the steps overshoot and diverge;
5. the three problems of gradient descent (source 003), each with numbers:
   slopes too big, local minima, slopes too small.

    python chapters/ch02_gradient_descent.py --backend pure|cython|numpy [--trace] [--plot DIR]

``--trace`` prints all 1,101 iterations of hot and cold learning; ``--plot DIR``
draws each error curve with the steps taken on it.
"""
# %% [markdown]
# ## The network: one input, one weight
# A one-weight network is a weighted sum of one input: `w_sum([input], [weight])`.
# Every prediction below goes through the chosen backend's kernels.

# %%
import importlib.util
import sys
from typing import NamedTuple

if importlib.util.find_spec("grokking") is None:  # a checkout without `pip install .`
    print("grokking is not installed: run `python3 -m venv .venv && .venv/bin/pip install .`"
          " in the project folder, then run the chapter with .venv/bin/python", file=sys.stderr)
    raise SystemExit(2)

import numpy as np

from grokking.lessons.lesson import Options, start

# What --trace and --plot DIR do in this chapter (`python -m grokking chapters` lists it).
OPTIONS = Options(trace="all 1,101 iterations of hot and cold learning (not only every 100th)",
                  plot="each error curve with the steps gradient descent takes on it")


def neural_network(k, input, weight):
    """``prediction = input * weight``, as the weighted sum of one input."""
    return k.w_sum([input], [weight])


# %% [markdown]
# ## 1. Hot and cold learning
# Toes 8.5, the team won (1). With weight 0.1 the prediction is 0.85. Would a
# weight 0.01 higher or lower make the error smaller? Try both and see.

# %%
def hot_and_cold_once(k, weight=0.1, lr=0.01, input=8.5, true=1.0):
    """``(error, error_up, error_down)`` at ``weight``, ``weight + lr`` and ``weight - lr``."""
    def error_at(w):
        return (neural_network(k, input, w) - true) ** 2
    return error_at(weight), error_at(weight + lr), error_at(weight - lr)


def hot_and_cold(k, weight=0.5, input=0.5, goal_prediction=0.8, step_amount=0.001,
                 iterations=1101):
    """Hot and cold learning: ``[(error, prediction, weight), ...]``, one per iteration.

    Each iteration predicts three times (now, a step up, a step down) and moves
    the weight to whichever step had the smaller error. The step never changes size.
    """
    history = []
    for iteration in range(iterations):
        prediction = neural_network(k, input, weight)
        error = (prediction - goal_prediction) ** 2
        history.append((error, prediction, weight))
        up_error = (goal_prediction - neural_network(k, input, weight + step_amount)) ** 2
        down_error = (goal_prediction - neural_network(k, input, weight - step_amount)) ** 2
        if down_error < up_error:
            weight = weight - step_amount
        if down_error > up_error:
            weight = weight + step_amount
    return history


# %% [markdown]
# ## 2-4. Gradient descent: the slope gives direction and amount
# `delta = pred - goal_pred` is how much too high the prediction was;
# `weight_delta = delta * input` is how much (and which way) the weight is to
# blame; the weight moves by `alpha * weight_delta`. The error is
# `(input * weight - goal)**2`, and its slope along the weight is
# `2 * delta * input`: weight_delta is that slope (the 2 folded into alpha).

# %%
class Step(NamedTuple):
    """One iteration: the weight it started from and what it computed."""
    weight: float
    pred: float
    error: float
    delta: float
    weight_delta: float


def gradient_descent(k, weight, input, goal_pred, alpha=1.0, iterations=20):
    """Learn one weight; returns one ``Step`` per iteration (before each update)."""
    steps = []
    for iteration in range(iterations):
        pred = neural_network(k, input, weight)
        error = (pred - goal_pred) ** 2
        delta = pred - goal_pred
        weight_delta = delta * input
        steps.append(Step(weight, pred, error, delta, weight_delta))
        weight = weight - alpha * weight_delta
    return steps


def steps_to_learn(k, weight, input, goal_pred, alpha, error_below=1e-6, limit=100000):
    """How many iterations until the error is below ``error_below`` (None if not within ``limit``)."""
    for iteration in range(limit):
        pred = neural_network(k, input, weight)
        if (pred - goal_pred) ** 2 < error_below:
            return iteration
        weight = weight - alpha * (pred - goal_pred) * input
    return None


# %% [markdown]
# ## 5. Problem 2 needs a bucket with a funny shape
# Every error curve above is a parabola: one bottom. To see a local minimum we
# need a curve with two. This one is made up (no network behind it):
# `error(w) = w**4 - 4*w**2 + w + 5.5`. A polynomial is a weighted sum of the
# powers of w, so the kernels compute it (and its slope) with `w_sum`.

# %%
BUMPY = [1.0, -4.0, 1.0, 5.5]           # error(w) = 1*w**4 - 4*w**2 + 1*w + 5.5
BUMPY_SLOPE = [4.0, -8.0, 1.0]          # slope(w) = 4*w**3 - 8*w + 1


def bumpy_error(k, w):
    """The two-bottomed error curve at weight ``w``."""
    return k.w_sum([w ** 4, w ** 2, w, 1.0], BUMPY)


def bumpy_slope(k, w):
    """Its slope (derivative) at weight ``w``."""
    return k.w_sum([w ** 3, w, 1.0], BUMPY_SLOPE)


def roll_ball(k, start, alpha=0.05, iterations=20):
    """Gradient descent on the bumpy curve: the weights visited, start included."""
    path = [start]
    w = start
    for iteration in range(iterations):
        w = w - alpha * bumpy_slope(k, w)
        path.append(w)
    return path


def random_starts(count=5, seed=1):
    """Starting weights in [-2, 2) from NumPy's seeded generator (the project's convention)."""
    np.random.seed(seed)
    return (2 * (2 * np.random.random(count) - 1)).tolist()


# %% [markdown]
# ## Pictures (with --plot DIR)

# %%
def draw_curve(error_at, runs, title, xlim, ylim=None):
    """A function ``draw(plt)``: the error curve, and each run's steps as dots on it."""
    def draw(plt):
        xs = np.linspace(xlim[0], xlim[1], 400)
        plt.plot(xs, [error_at(x) for x in xs], color="black", label="error(weight)")
        for label, weights in runs:
            shown = [w for w in weights if xlim[0] <= w <= xlim[1]]
            line, = plt.plot(shown, [error_at(w) for w in shown], "o-", markersize=4, alpha=0.8,
                             label=label)
            plt.plot(shown[0], error_at(shown[0]), "o", markersize=10, fillstyle="none",
                     color=line.get_color())   # a ring where the run starts
        plt.plot([], [], "o", color="grey", markersize=10, fillstyle="none", label="start")
        if ylim:
            plt.ylim(*ylim)
        plt.xlabel("weight")
        plt.ylabel("error")
        plt.title(title)
        plt.legend()
    return draw


# %% [markdown]
# ## The lesson, printed step by step

# %%
def show_run(steps, detail=False):
    """Print a run the way the book prints it."""
    for s in steps:
        if detail:
            print("-----")
            print("Weight:" + str(s.weight))
        print("Error:" + str(s.error) + " Prediction:" + str(s.pred))
        if detail:
            print("Delta:" + str(s.delta) + " Weight Delta:" + str(s.weight_delta))


def part_hot_and_cold(lesson):
    k = lesson.k
    print("1. Hot and cold learning")
    print("   toes 8.5, the team won (true = 1), weight 0.1, lr (step) 0.01")
    error, error_up, error_down = hot_and_cold_once(k)
    print("   error now   (weight 0.1): " + str(error))
    print("   error up    (weight 0.11): " + str(error_up))
    print("   error down  (weight 0.09): " + str(error_down))
    print("   A step up makes the error smaller (\"hotter\"), so the weight moves up by 0.01.")

    print("\n   Now repeat it: weight 0.5, input 0.5, goal_prediction 0.8, step_amount 0.001,")
    print("   1,101 iterations (every 100th shown; --trace shows all of them):")
    history = hot_and_cold(k)
    for iteration, (error, prediction, weight) in enumerate(history):
        if lesson.trace or iteration % 100 == 0 or iteration >= len(history) - 3:
            print(f"   {iteration:4d} Error:" + str(error) + " Prediction:" + str(prediction))
    print("   It gets there, but slowly (1,100 fixed steps of 0.001 from weight 0.5 to 1.6)")
    print("   and it costs three predictions per step. With a step that does not divide the")
    print("   distance it would hop back and forth around the goal forever.")


def part_gradient_descent(lesson):
    k = lesson.k
    print("\n2. Gradient descent: direction_and_amount = (pred - goal_pred) * input")
    print("   weight 0.5, goal_pred 0.8, input 0.5; weight = weight - direction_and_amount")
    steps = gradient_descent(k, weight=0.5, input=0.5, goal_pred=0.8, iterations=20)
    show_run(steps)
    print("   One prediction per step, and the steps shrink as the error shrinks.")
    lesson.plot("ch02_gradient_descent.png", draw_curve(
        lambda w: (0.5 * w - 0.8) ** 2, [("20 steps from weight 0.5", [s.weight for s in steps])],
        "Gradient descent on error = (0.5 * weight - 0.8)^2", (0.0, 3.0)))

    print("\n3. One iteration at a time: error, delta, weight_delta")
    print("   delta = pred - goal_pred (how much too high); weight_delta = delta * input")
    print("   weight 0.0, goal_pred 0.8, input 0.5:")
    show_run(gradient_descent(k, weight=0.0, input=0.5, goal_pred=0.8, iterations=4), detail=True)
    print("   the same with input 1.1:")
    show_run(gradient_descent(k, weight=0.0, input=1.1, goal_pred=0.8, iterations=4), detail=True)
    print("   Multiplying delta by the input scales the step (a big input moves the weight more),")
    print("   reverses it for a negative input, and stops it for input 0 (that weight did nothing).")


def part_alpha(lesson):
    k = lesson.k
    print("\n4. Breaking gradient descent: weight 0.5, goal_pred 0.8, input 2")
    broken = gradient_descent(k, weight=0.5, input=2.0, goal_pred=0.8, iterations=20)
    show_run(broken)
    print("   Divergence: each step overshoots, farther every time. One step multiplies delta by")
    print(f"   (1 - alpha * input**2) = 1 - 1 * 2**2 = {1 - 2.0 ** 2:g}: it flips sign and triples.")
    print("\n   Fixed with alpha = 0.1: weight = weight - alpha * weight_delta")
    fixed = gradient_descent(k, weight=0.5, input=2.0, goal_pred=0.8, alpha=0.1, iterations=20)
    show_run(fixed)
    print(f"   Now each step multiplies delta by 1 - 0.1 * 2**2 = {1 - 0.1 * 2.0 ** 2:g}: it shrinks.")
    return broken, fixed


def part_problems(lesson, broken, fixed):
    k = lesson.k
    print("\n5. The three problems of gradient descent (\"a ball in a bucket\", source 003)")
    print("   The ball is the weight, the bucket is the error curve; the ball only knows the slope")
    print("   where it stands: x = x - alpha * slope.")

    def bucket(w):
        return (2.0 * w - 0.8) ** 2

    print("\n   Problem 1: slopes too big. On error = (2 * weight - 0.8)**2 (part 4's curve),")
    print("   alpha 1 from weight 0.5: the weights visited and the error there:")
    for s in broken[:6]:
        print(f"     weight {s.weight:12.4f}   error {s.error:16.4f}")
    print("   Each overshoot lands on a steeper side, so the next one overshoots more.")
    print(f"   Solution 1: make the slopes smaller: alpha 0.1 reaches weight {fixed[-1].weight:.6f},"
          f" error {fixed[-1].error:.3e}")
    lesson.plot("ch02_problem1_slopes_too_big.png", draw_curve(
        bucket, [("alpha 1 (diverges)", [s.weight for s in broken[:5]]),
                 ("alpha 0.1", [s.weight for s in fixed])],
        "Problem 1: slopes too big", (-2.5, 3.5)))

    print("\n   Problem 2: local minima. A made-up bucket with two bottoms:")
    print("   error(w) = w**4 - 4*w**2 + w + 5.5, slope(w) = 4*w**3 - 8*w + 1")
    low, high = roll_ball(k, -2.0, iterations=200)[-1], roll_ball(k, 2.0, iterations=200)[-1]
    print("   its two bottoms (found by rolling a ball 200 steps from -2 and from 2):")
    print(f"   weight {low:.4f} (error {bumpy_error(k, low):.4f}, the lowest) "
          f"and weight {high:.4f} (error {bumpy_error(k, high):.4f})")
    right = roll_ball(k, 2.0)
    print("   a ball from weight 2.0, alpha 0.05, 20 steps:")
    for i in (0, 1, 2, 3, 5, 10, 20):
        print(f"     step {i:2d}: weight {right[i]: .6f}  slope {bumpy_slope(k, right[i]):+.6f}"
              f"  error {bumpy_error(k, right[i]):.6f}")
    print("   The slope is 0, so it stops: stuck in the higher bottom, though a lower one exists.")
    print("   Solution 2: several random starting states (np.random.seed(1)); each ball")
    print("   rolls into the bottom of its own region, and we keep the best:")
    balls = [roll_ball(k, s) for s in random_starts()]
    for path in balls:
        print(f"     start {path[0]: .6f} -> weight {path[-1]: .6f}, error {bumpy_error(k, path[-1]):.6f}")
    best = min(balls, key=lambda path: bumpy_error(k, path[-1]))
    print(f"   best: weight {best[-1]:.6f}, error {bumpy_error(k, best[-1]):.6f}. A wide hidden layer")
    print("   does this inside one network: each hidden node starts somewhere else.")
    lesson.plot("ch02_problem2_local_minima.png", draw_curve(
        lambda w: bumpy_error(k, w),
        [("from 2.0", right)] + [(f"from {p[0]:.2f}", p) for p in balls],
        "Problem 2: local minima", (-2.2, 2.2)))

    print("\n   Problem 3: slopes too small. Back to weight 0.0, input 0.5, goal_pred 0.8:")
    slow = gradient_descent(k, weight=0.0, input=0.5, goal_pred=0.8, alpha=0.01, iterations=20)
    normal = gradient_descent(k, weight=0.0, input=0.5, goal_pred=0.8, alpha=1.0, iterations=20)
    print(f"   after 20 steps, alpha 1:    weight {normal[-1].weight:.6f}, error {normal[-1].error:.3e}")
    print(f"   after 20 steps, alpha 0.01: weight {slow[-1].weight:.6f}, error {slow[-1].error:.6f}")
    for alpha in (1.0, 0.1, 0.01):
        n = steps_to_learn(k, 0.0, 0.5, 0.8, alpha)
        print(f"   iterations until error < 1e-6 with alpha {alpha}: {n}")
    print("   The ball barely moves. It gets there in the end, ~100 times slower; on a bumpy curve")
    print("   it would also settle into the first little rut it meets.")
    print("   Solution 3: increase alpha (sometimes even above 1).")
    lesson.plot("ch02_problem3_slopes_too_small.png", draw_curve(
        lambda w: (0.5 * w - 0.8) ** 2,
        [("alpha 1", [s.weight for s in normal]), ("alpha 0.01", [s.weight for s in slow])],
        "Problem 3: slopes too small (20 steps each)", (-0.2, 3.0)))


def main(argv=None):
    lesson = start(__doc__, argv, OPTIONS)
    print("Gradient descent: a network learns by moving its weight downhill on its error.\n")
    part_hot_and_cold(lesson)
    part_gradient_descent(lesson)
    broken, fixed = part_alpha(lesson)
    part_problems(lesson, broken, fixed)
    lesson.finish()


if __name__ == "__main__":
    main()
