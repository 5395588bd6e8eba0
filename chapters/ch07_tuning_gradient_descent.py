"""Tuning gradient descent: the error surface, the step size alpha, the hidden layer's size

"A Neural Network in 13 lines of Python (Part 2 - Gradient Descent)" (also the
second half of "11 lines of Python"). Gradient descent is a ball rolling down
the side of a bucket: it looks at the slope where it stands and steps downhill.
This chapter watches it happen:

1. a network with just 2 weights, and its whole error surface (every pair of
   weights from -10 to 10), with the path gradient descent takes across it;
2. the step size ``alpha``: the 3-layer network trained with alpha from 0.001
   to 1000 (too small crawls, too big jumps about, far too big diverges);
3. a closer look: how often each weight's update changes direction;
4. a bigger hidden layer (32 nodes instead of 4) searches more of the surface.

    python chapters/ch07_tuning_gradient_descent.py --backend pure|cython|numpy --plot DIR [--iterations N]

It trains 3 x 7 networks of 60,000 iterations: about 5 s on the cython backend,
20 s on numpy, 3 minutes in plain Python on the pure one (measured on a busy
machine; progress is shown on standard error, the lesson on standard output).
``--iterations N`` (or ``GROKKING_ITERATIONS`` in a notebook) trains each for N
iterations instead, for a quicker look: the source's numbers need all 60,000.
"""
# %%
import importlib.util
import math
import sys

if importlib.util.find_spec("grokking") is None:  # a checkout without `pip install .`
    print("grokking is not installed: run `python3 -m venv .venv && .venv/bin/pip install .`"
          " in the project folder, then run the chapter with .venv/bin/python", file=sys.stderr)
    raise SystemExit(2)

import numpy as np

import grokking
from grokking.lessons.lesson import Options, start_with_iterations
from grokking.networks.train import initial_weights

# What --trace and --plot DIR do in this chapter (`python -m grokking chapters` lists it).
OPTIONS = Options(plot="the error surface with gradient descent's path, "
                       "and the error per iteration for each alpha",
                  no_trace="it compares whole training runs; "
                           "chapter 6's --trace shows one iteration of the same network")


ITERATIONS = 60000   # the source's, for every network of parts 2-4


# %% [markdown]
# ## Helpers: the mean error, a matrix as numbers to read
# A layer of a batch is a matrix, one row per example. The kernels that work
# number by number (``sigmoid``, ``vec_sub``, ``vec_mul``, ``ele_mul``...) take
# a whole matrix as well as a vector, so each line below is one line of the
# blog's NumPy code.

# %%
def mean_abs(k, matrix):
    """``np.mean(np.abs(matrix))``, written with the kernels."""
    flat = [value for row in matrix for value in row]
    return k.mean_abs_error(flat, [0.0] * len(flat))


def shown(matrix):
    """A matrix printed the way the source's ``print synapse_0`` prints it (NumPy's layout)."""
    return str(np.array(matrix, dtype=float))


# %% [markdown]
# ## 1. A network with 2 weights, and its error surface
# Two inputs, one output, no hidden layer: 2 weights in ``synapse_0`` (2x1).
# The output is 1 exactly when the first input is 1. The error is computed
# by the forward pass (``layer_1``) and ``layer_1_error = layer_1 - y``;
# gradient descent is the next three lines: the slope, then
# ``synapse_0 -= synapse_0_derivative`` (a step downhill, alpha = 1).

# %%
X_TWO = [[0.0, 1.0], [0.0, 1.0], [1.0, 0.0], [1.0, 0.0]]
Y_TWO = [[0.0], [0.0], [1.0], [1.0]]


class TwoWeights:
    """What the 2-weight network leaves behind: its weights, its last output, its path."""

    def __init__(self, synapse_0, layer_1, path):
        self.synapse_0 = synapse_0   # 2x1, as lists
        self.layer_1 = layer_1       # the last forward pass ("Output After Training")
        self.path = path             # (first weight, second weight) before each step, and at the end


def two_weight_network(k, iterations=10000, seed=1):
    """The source's 2-layer network, with every step of the 2 weights kept."""
    layer_0 = X_TWO
    synapse_0 = initial_weights(2, 0, 1, seed)[0]   # 2*np.random.random((2,1)) - 1
    path = [(synapse_0[0][0], synapse_0[1][0])]
    layer_1 = []
    for _ in range(iterations):
        layer_1 = k.sigmoid(k.mat_mul(layer_0, synapse_0))
        layer_1_error = k.vec_sub(layer_1, Y_TWO)
        layer_1_delta = k.vec_mul(layer_1_error, k.sigmoid2deriv(layer_1))
        synapse_0_derivative = k.mat_mul(k.transpose(layer_0), layer_1_delta)
        synapse_0 = k.vec_sub(synapse_0, synapse_0_derivative)
        path.append((synapse_0[0][0], synapse_0[1][0]))
    return TwoWeights(synapse_0, layer_1, path)


def surface_error(k, first, second):
    """The network's error (mean of ``|layer_1 - y|``) with weights (first, second)."""
    layer_1 = k.sigmoid(k.mat_mul(X_TWO, [[float(first)], [float(second)]]))
    return mean_abs(k, k.vec_sub(layer_1, Y_TWO))


def error_surface(k, values):
    """``errors[i][j]``: the error with first weight ``values[j]``, second ``values[i]``."""
    return [[surface_error(k, first, second) for first in values] for second in values]


def lowest_point(values, errors):
    """``(error, first, second)`` at the lowest point of the grid."""
    return min((errors[i][j], values[j], values[i])
               for i in range(len(values)) for j in range(len(values)))


def surface_table(values, errors, every=2):
    """A coarse text table of the surface: rows are the second weight, columns the first."""
    picked = range(0, len(values), every)
    lines = ["second\\first" + "".join(f"{values[j]:7g}" for j in picked)]
    for i in reversed(picked):   # the top of the table is the largest second weight
        lines.append(f"{values[i]:12g}" + "".join(f"{errors[i][j]:7.3f}" for j in picked))
    return "\n".join(lines)


def draw_surface(values, errors, path):
    """The picture: contours of the error over both weights, and the descent path on them."""
    def draw(plt):
        levels = [0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
        shading = plt.contourf(values, values, errors, levels=50, cmap="viridis")
        plt.colorbar(shading, label="error (mean |layer_1 - y|)")
        lines = plt.contour(values, values, errors, levels=levels, colors="white", linewidths=0.6)
        plt.clabel(lines, fontsize=7)
        plt.plot([p[0] for p in path], [p[1] for p in path], "r.-", markersize=2,
                 label=f"gradient descent, {len(path) - 1:,} steps")
        plt.plot(*path[0], "wo", label="start (seed 1)")
        plt.plot(*path[-1], "r*", markersize=12, label="after training")
        plt.xlabel("first weight, synapse_0[0]")
        plt.ylabel("second weight, synapse_0[1]")
        plt.title("Error surface of the 2-weight network")
        plt.legend(loc="upper left", fontsize=8)
    return draw


# %% [markdown]
# ## 2. The step size: alpha
# The 3-layer network of part 1 (3 inputs, 4 hidden nodes, 1 output, seed 1)
# with one change: each weight update is multiplied by ``alpha`` before it is
# applied. ``grokking.train`` is that loop (pure, compiled or NumPy); it is
# trained once per alpha, each time from the same seeded weights.

# %%
X = [[0.0, 0.0, 1.0], [0.0, 1.0, 1.0], [1.0, 0.0, 1.0], [1.0, 1.0, 1.0]]
Y = [[0.0], [1.0], [1.0], [0.0]]
ALPHAS = [0.001, 0.01, 0.1, 1, 10, 100, 1000]


def alpha_sweep(backend, hidden=4, iterations=60000, alphas=ALPHAS, record_every=10000,
                on_record=None):
    """Train the 3-layer network once per alpha; yield ``(alpha, Training)`` as each finishes.

    on_record(alpha, iteration, error) is called at every recorded error (for progress).
    """
    for alpha in alphas:
        def report(j, error, alpha=alpha):
            if on_record is not None:
                on_record(alpha, j, error)
        yield alpha, grokking.train(X, Y, hidden=hidden, alpha=alpha, iterations=iterations,
                                    seed=1, backend=backend, record_every=record_every,
                                    on_record=report)


def errors_every(training, every=10000):
    """``[(iteration, error), ...]`` at the multiples of ``every`` among the recorded errors."""
    step = training.record_every
    return [(n * step, error) for n, error in enumerate(training.errors) if (n * step) % every == 0]


def best_error(sweep, every=10000):
    """``(error, alpha, iteration)``: the lowest error printed during a sweep."""
    return min((error, alpha, j) for alpha, training in sweep
               for j, error in errors_every(training, every))


# %% [markdown]
# ## 3. A closer look: how often does each update change direction?
# Every iteration each weight gets an update (its slope, downhill). If the
# update points the other way from the previous one, the weight stepped OVER
# a low point and has to come back. The source counts, per weight,
# ``np.abs(((update > 0)+0) - ((prev_update > 0)+0))`` from the 2nd
# iteration on. This needs every update, so the loop is written here with the
# kernels (``grokking.train`` only reports the error). The source writes this
# loop with ``layer_2_error = y - layer_2`` and ``synapse += alpha * update``:
# the same steps as ``-=`` with ``layer_2 - y``, but the sign of ``update``
# is the one counted.

# %%
class DirectionCount:
    """The end of one closer look: errors, weights and direction changes per weight."""

    def __init__(self, errors, synapse_0, synapse_1, synapse_0_direction_count,
                 synapse_1_direction_count):
        self.errors = errors                   # every record_every iterations
        self.synapse_0 = synapse_0
        self.synapse_1 = synapse_1
        self.synapse_0_direction_count = synapse_0_direction_count
        self.synapse_1_direction_count = synapse_1_direction_count


def count_changes(count, update, prev_update):
    """Add 1 to ``count`` wherever ``update`` and ``prev_update`` point different ways."""
    for count_row, row, prev_row in zip(count, update, prev_update):
        for i in range(len(row)):
            count_row[i] += abs((row[i] > 0) - (prev_row[i] > 0))


def closer_look(k, alpha, hidden=4, iterations=60000, seed=1, record_every=10000, on_record=None,
                start=None):
    """The source's 3-layer network, counting each weight's update direction changes.

    start: ``[synapse_0, synapse_1]`` to begin from (default: the seeded ones).
    Written with the kernels of ``k``; on the NumPy backend it is the source's
    own NumPy code (``closer_look_numpy``), which is many times faster there
    than calling the NumPy kernels one row at a time.
    """
    if k.name == "numpy":
        return closer_look_numpy(alpha, hidden, iterations, seed, record_every, on_record, start)
    layer_0 = X
    synapse_0, synapse_1 = start or initial_weights(3, hidden, 1, seed)
    synapse_0_direction_count = [[0] * hidden for _ in range(3)]
    synapse_1_direction_count = [[0] for _ in range(hidden)]
    prev_synapse_0_weight_update = prev_synapse_1_weight_update = None
    errors = []
    for j in range(iterations):
        # Feed forward through layers 0, 1, and 2
        layer_1 = k.sigmoid(k.mat_mul(layer_0, synapse_0))
        layer_2 = k.sigmoid(k.mat_mul(layer_1, synapse_1))
        # how much did we miss the target value?
        layer_2_error = k.vec_sub(Y, layer_2)
        if j % record_every == 0:
            errors.append(mean_abs(k, layer_2_error))
            if on_record is not None:
                on_record(j, errors[-1])
        layer_2_delta = k.vec_mul(layer_2_error, k.sigmoid2deriv(layer_2))
        # how much did each l1 value contribute to the l2 error (according to the weights)?
        layer_1_error = k.mat_mul(layer_2_delta, k.transpose(synapse_1))
        layer_1_delta = k.vec_mul(layer_1_error, k.sigmoid2deriv(layer_1))

        synapse_1_weight_update = k.mat_mul(k.transpose(layer_1), layer_2_delta)
        synapse_0_weight_update = k.mat_mul(k.transpose(layer_0), layer_1_delta)
        if j > 0:
            count_changes(synapse_0_direction_count, synapse_0_weight_update,
                          prev_synapse_0_weight_update)
            count_changes(synapse_1_direction_count, synapse_1_weight_update,
                          prev_synapse_1_weight_update)
        synapse_1 = k.vec_add(synapse_1, k.ele_mul(alpha, synapse_1_weight_update))
        synapse_0 = k.vec_add(synapse_0, k.ele_mul(alpha, synapse_0_weight_update))
        prev_synapse_0_weight_update = synapse_0_weight_update
        prev_synapse_1_weight_update = synapse_1_weight_update
    return DirectionCount(errors, synapse_0, synapse_1,
                          synapse_0_direction_count, synapse_1_direction_count)


def direction_changes(look):
    """How many times, over all the weights, an update changed direction."""
    return int(sum(sum(row) for row in look.synapse_0_direction_count + look.synapse_1_direction_count))


def largest_weight(look):
    """The largest weight, by size, at the end of training."""
    return max(abs(w) for row in look.synapse_0 + look.synapse_1 for w in row)


def closer_look_numpy(alpha, hidden=4, iterations=60000, seed=1, record_every=10000,
                      on_record=None, start=None):
    """The same loop in the source's NumPy code, line for line (the referee)."""
    def sigmoid(x):
        return 1 / (1 + np.exp(-x))

    def sigmoid_output_to_derivative(output):
        return output * (1 - output)

    layer_0, y = np.array(X), np.array(Y)
    np.random.seed(seed)
    synapse_0 = 2 * np.random.random((3, hidden)) - 1
    synapse_1 = 2 * np.random.random((hidden, 1)) - 1
    if start is not None:
        synapse_0, synapse_1 = np.array(start[0], dtype=float), np.array(start[1], dtype=float)
    prev_synapse_0_weight_update = np.zeros_like(synapse_0)
    prev_synapse_1_weight_update = np.zeros_like(synapse_1)
    synapse_0_direction_count = np.zeros_like(synapse_0)
    synapse_1_direction_count = np.zeros_like(synapse_1)
    errors = []
    # With a huge alpha, -x passes e's largest float: np.exp gives inf and the
    # sigmoid 0, which is right; NumPy would also warn "overflow", so silence it.
    with np.errstate(over="ignore"):
        for j in range(iterations):
            layer_1 = sigmoid(np.dot(layer_0, synapse_0))
            layer_2 = sigmoid(np.dot(layer_1, synapse_1))
            layer_2_error = y - layer_2
            if j % record_every == 0:
                errors.append(float(np.mean(np.abs(layer_2_error))))
                if on_record is not None:
                    on_record(j, errors[-1])
            layer_2_delta = layer_2_error * sigmoid_output_to_derivative(layer_2)
            layer_1_error = layer_2_delta.dot(synapse_1.T)
            layer_1_delta = layer_1_error * sigmoid_output_to_derivative(layer_1)
            synapse_1_weight_update = layer_1.T.dot(layer_2_delta)
            synapse_0_weight_update = layer_0.T.dot(layer_1_delta)
            if j > 0:
                synapse_0_direction_count += np.abs(
                    ((synapse_0_weight_update > 0) + 0) - ((prev_synapse_0_weight_update > 0) + 0))
                synapse_1_direction_count += np.abs(
                    ((synapse_1_weight_update > 0) + 0) - ((prev_synapse_1_weight_update > 0) + 0))
            synapse_1 += alpha * synapse_1_weight_update
            synapse_0 += alpha * synapse_0_weight_update
            prev_synapse_0_weight_update = synapse_0_weight_update
            prev_synapse_1_weight_update = synapse_1_weight_update
    return DirectionCount(errors, synapse_0.tolist(), synapse_1.tolist(),
                          synapse_0_direction_count.tolist(), synapse_1_direction_count.tolist())


# %% [markdown]
# ## 4. A bigger hidden layer, and a run on a knife edge
# With 32 hidden nodes there are more starting points searching at once.
# One run needs care: 32 nodes with alpha 10 balance for about 350 iterations
# near error 0.5 before they fall; while balanced, a difference in the last
# bit of one number can grow every step. To see it, train twice: from the
# seeded weights, and with one weight moved by one unit in the last place.
# (Not every weight does it: a nudge of synapse_0[0][0] dies out; one of
# synapse_1[0][0] grows to 8% on the compiled loops, 0.02% on NumPy.)

# %%
def knife_edge(k, hidden=32, alpha=10, iterations=1000, record_every=100):
    """``[(iteration, relative gap between the errors of the two runs), ...]``."""
    seeded = initial_weights(3, hidden, 1, 1)
    nudged = [[row[:] for row in synapse] for synapse in seeded]
    nudged[1][0][0] = math.nextafter(nudged[1][0][0], math.inf)   # one ulp: about 1e-16
    runs = [closer_look(k, alpha, hidden, iterations, record_every=record_every, start=start)
            for start in (seeded, nudged)]
    return [(n * record_every, abs(a - b) / abs(a))
            for n, (a, b) in enumerate(zip(runs[0].errors, runs[1].errors))]


# %% [markdown]
# ## The lesson, printed step by step

# %%
SOURCE_BEST = {4: 0.0013, 32: 0.0009}   # "the best error with 32 nodes is 0.0009 whereas
                                        #  the best error with 4 hidden nodes was only 0.0013"


def show_two_weights(lesson):
    k = lesson.k
    print("1. A network with 2 weights, and its error surface")
    print("X = [[0,1],[0,1],[1,0],[1,0]], y = [0,0,1,1]: the output copies the first input.")
    print("Seed 1, synapse_0 is 2x1, 10,000 iterations of:")
    print("  layer_1 = sigmoid(layer_0 . synapse_0); layer_1_error = layer_1 - y")
    print("  layer_1_delta = layer_1_error * sigmoid2deriv(layer_1)")
    print("  synapse_0 -= layer_0.T . layer_1_delta      (x = x - slope)")
    result = two_weight_network(k)
    print("Output After Training:")
    print(shown(result.layer_1))
    first, second = result.path[-1]
    print(f"The 2 weights went from {shown(result.path[0])} to {shown(result.path[-1])}.")

    values = list(range(-10, 11))
    errors = error_surface(k, values)
    print("\nThe error surface: the error (mean of |layer_1 - y|) for every pair of weights")
    print("from -10 to 10 (a grid of 21 x 21 pairs; every second one shown):")
    print(surface_table(values, errors))
    error, at_first, at_second = lowest_point(values, errors)
    print(f"Lowest point of the grid: error {error:.6g} at first weight {at_first}, "
          f"second weight {at_second}.")
    print("The output should be high when the first input is on, so a big first weight")
    print("helps, and low when the second input is on, so a very negative second weight")
    print("helps. This bucket has no bottom: the error keeps falling toward the corner")
    print(f"(10, -10) and beyond. After 10,000 steps gradient descent stands at "
          f"({first:.4f}, {second:.4f}),")
    print(f"error {surface_error(k, first, second):.6g}: still rolling down, more slowly "
          "as the slope flattens.")
    if lesson.plot_dir is not None:
        fine = [v / 4 for v in range(-40, 41)]
        lesson.plot("ch07_error_surface.png", draw_surface(fine, error_surface(k, fine), result.path))


def show_alpha_sweep(lesson, hidden, iterations):
    """Print the sweep as the source does; return ``[(alpha, Training), ...]``."""
    def progress(alpha, j, error):
        lesson.progress(f"hidden {hidden}, alpha {alpha}: {j:,} of {iterations:,} iterations, "
                        f"error {error:.6f}")

    sweep = []
    for alpha, training in alpha_sweep(lesson.backend, hidden, iterations, record_every=1000,
                                       on_record=progress):
        lesson.done_progress()
        print("\nTraining With Alpha:" + str(alpha))
        for j, error in errors_every(training):
            print("Error after " + str(j) + " iterations:" + str(error))
        sweep.append((alpha, training))
    return sweep


# Each alpha its own colour, and a line style that differs from every alpha it can lie on:
# 0.001 (too slow to move), 0.01 (early on), 100 and 1000 (saturated) all sit near 0.5.
LINE_STYLES = {0.001: "-", 0.01: "--", 0.1: ":", 1: "-.", 10: "-", 100: ":", 1000: "-."}


def end_labels(axis, ends):
    """Write each curve's alpha at its right end; curves that end together share one label.

    ``ends``: ``[(alpha, last error), ...]``. Several alphas stall at 0.5 (0.001 too slow,
    100 and 1000 saturated): their lines lie on top of each other, and the shared label
    ("alpha 0.001, 1000") says so, where a legend alone could not.
    """
    groups = []
    for alpha, error in sorted(ends, key=lambda end: end[1]):
        if groups and error < groups[-1][-1][1] * 1.3:   # closer than the height of a label
            groups[-1].append((alpha, error))
        else:
            groups.append([(alpha, error)])
    for group in groups:
        alphas = ", ".join(str(alpha) for alpha in sorted(alpha for alpha, _ in group))
        axis.annotate(f"alpha {alphas}", xy=(1.0, group[0][1]),
                      xycoords=("axes fraction", "data"), xytext=(4, 0),
                      textcoords="offset points", va="center", fontsize=7)


def draw_sweep(sweeps):
    """The picture: error against iterations, one curve per alpha, one panel per hidden size.

    One legend, outside the panels; each alpha has its own colour and line style, and its
    name at the end of its line.
    """
    def draw(plt):
        figure = plt.gcf()
        figure.set_size_inches(6.5 * len(sweeps) + 1.5, 4.5)
        axes = figure.subplots(1, len(sweeps), squeeze=False, sharey=True)
        for axis, (hidden, sweep) in zip(axes[0], sweeps):
            for i, (alpha, training) in enumerate(sweep):
                steps = [n * training.record_every for n in range(len(training.errors))]
                axis.plot(steps, training.errors, LINE_STYLES.get(alpha, "-"),
                          color=f"C{i}", linewidth=1.6, label=f"alpha {alpha}")
            end_labels(axis, [(alpha, training.errors[-1]) for alpha, training in sweep])
            axis.set_yscale("log")
            axis.set_xlabel("iteration")
            axis.set_title(f"{hidden} hidden nodes")
            axis.grid(alpha=0.3)
        axes[0][0].set_ylabel("error, mean |layer_2 - y| (log scale)")
        axes[0][0].set_ylim(top=1.0)   # room above 0.5, where the stalled runs lie
        ticks = [0.001, 0.01, 0.1, 0.5]
        axes[0][0].set_yticks(ticks, [f"{tick:g}" for tick in ticks])
        axes[0][-1].legend(loc="upper left", bbox_to_anchor=(1.22, 1.0), fontsize=8,
                           title="step size")
        figure.suptitle("The alpha sweep: error per iteration for each step size alpha")
        figure.tight_layout()
    return draw


def show_closer_look(lesson, iterations):
    k = lesson.k
    looks = {}
    for alpha in ALPHAS:
        def progress(j, error, alpha=alpha):
            lesson.progress(f"closer look, alpha {alpha}: {j:,} of {iterations:,} iterations, "
                            f"error {error:.6f}")
        look = closer_look(k, alpha, iterations=iterations, record_every=1000, on_record=progress)
        looks[alpha] = look
        lesson.done_progress()
        print("\nTraining With Alpha:" + str(alpha))
        for n, error in enumerate(look.errors):
            if (n * 1000) % 10000 == 0:
                print("Error:" + str(error))
        print("Synapse 0")
        print(shown(look.synapse_0))
        print("Synapse 0 Update Direction Changes")
        print(shown(look.synapse_0_direction_count))
        print("Synapse 1")
        print(shown(look.synapse_1))
        print("Synapse 1 Update Direction Changes")
        print(shown(look.synapse_1_direction_count))
    print("\nIn short, over all 16 weights:")
    for alpha, look in looks.items():
        print(f"  alpha {alpha:<6}: {direction_changes(look):4d} direction changes, "
              f"largest |weight| {largest_weight(look):.2f}")
    print("\n(With alpha 100 and 1000 every step is so big that a difference in the last")
    print("bit of one sum grows with every step: the errors agree on every backend, but")
    print("the weights printed for those two alphas depend on how the backend rounds, so")
    print("NumPy and the pure or compiled loops print different digits there.)")


def show_knife_edge(lesson):
    print("\nThe 32-node run with alpha 10 is on a knife edge. Trained twice for 1,000")
    print("iterations, from the seeded weights and with synapse_1[0][0] moved by one unit")
    print("in its last digit (about 1e-16), the two runs' errors differ by (relative):")
    gaps = knife_edge(lesson.k)
    for j, gap in gaps:
        print(f"  iteration {j:5d}: {gap:.0e}")
    if max(gap for _, gap in gaps) == 0.0:
        print("Here the two runs never part: the nudge, smaller than the last digit of the")
        print("sums it went into, was rounded away (this backend groups its additions its own")
        print("way) before it could grow. On pure and cython the same nudge grows until the")
        print("two runs take different paths down near iteration 350: try --backend cython.")
        print("NumPy (BLAS sums, its own exp) and")
    else:
        print("For ~350 iterations the network balances near error 0.5 while the tiny gap")
        print("grows, then the two runs take different paths down. NumPy (BLAS sums, its own exp) and")
    print("the pure and compiled loops (sums in order, C's exp) round differently in the")
    print("last bit, so the 32-node alpha-10 errors above differ between backends in the")
    print("3rd digit; every backend's still rounds to the source's 0.0009.")


def main(argv=None, iterations=None):
    """The chapter. iterations: as --iterations N (the tests give it here), else the option's."""
    lesson, chosen = start_with_iterations(__doc__, argv, OPTIONS, ITERATIONS, "every network",
                                           "the source's")
    iterations = iterations or chosen
    if iterations != ITERATIONS:
        print(f"(A quicker look: the networks of parts 2-4 train for {iterations:,} iterations, not the"
              f" source's {ITERATIONS:,},\nso their numbers there are not the source's.)\n")
    show_two_weights(lesson)

    print("\n2. The step size alpha: the 3-layer network (4 hidden nodes, seed 1) trained")
    print("with each alpha, every update multiplied by alpha (x = x - alpha * slope):")
    sweep_4 = show_alpha_sweep(lesson, 4, iterations)
    print("\nalpha 0.001 and 0.01 crawl (slopes too small); 0.1 and 1 get there (alpha 1 is")
    print("part 1's network exactly: multiplying by 1 changes nothing); 10 gets furthest;")
    print("100 jumps about and settles nowhere good; 1000 diverges: its weights grow so")
    print("big that every sigmoid is 0 or 1, every slope is 0, and the error is stuck.")
    if iterations > 10000:
        error, alpha = min((errors_every(training)[1][1], alpha) for alpha, training in sweep_4)
        print(f"Best after only 10,000 iterations: alpha {alpha} (error {error:.10f}); "
              "the source says alpha 10.")
    print(f"Alpha 1000 ends at error {sweep_4[-1][1].errors[-1]}; the source: "
          "\"hardlining at 0.5\".")
    print("(The source calls that divergence \"a more extreme version of Problem 3\";")
    print("overshooting is Problem 1, slopes too big. Problem 3 is slopes too small.)")

    print("\n3. A closer look: how many times did each weight's update change direction?")
    show_closer_look(lesson, iterations)
    print("\nAs the source says: with a tiny alpha the updates almost never change direction")
    print("(they never go far enough) and the weights stay small; with a good alpha they")
    print("change direction a lot (stepping over the low point and back); with a huge")
    print("alpha a medium amount, and the weights grow huge.")

    print("\n4. A bigger hidden layer: the same sweep with hiddenSize = 32")
    sweep_32 = show_alpha_sweep(lesson, 32, iterations)
    best = {4: best_error(sweep_4), 32: best_error(sweep_32)}
    print("")
    for hidden in (4, 32):
        error, alpha, j = best[hidden]
        print(f"Best error with {hidden} hidden nodes: {error:.10f} (alpha {alpha}, after {j} "
              f"iterations); the source says {SOURCE_BEST[hidden]}")
    same = all(round(best[h][0], 4) == SOURCE_BEST[h] for h in (4, 32))
    print("Rounded to 4 decimals, as the source rounds them: "
          + ("the same numbers. " if same else "NOT the source's numbers. ")
          + ("32 nodes end lower than 4." if best[32][0] < best[4][0] else
             "32 nodes do NOT end lower than 4 here."))
    print("We do not need more than 3 hidden nodes for this data; more nodes start from")
    print("more places, search more of the surface each step, and get lower sooner.")
    show_knife_edge(lesson)
    lesson.plot("ch07_alpha_sweep.png", draw_sweep([(4, sweep_4), (32, sweep_32)]))
    lesson.finish()


if __name__ == "__main__":
    main()
