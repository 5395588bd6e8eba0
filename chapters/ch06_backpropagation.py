"""Backpropagation: a hidden layer learns what one layer cannot

Sources: "A Neural Network in 11 lines of Python" (001, part 2: the 3-layer
network on the XOR-like table, seed 1, 60,000 iterations) and chapter 6 of
"Grokking Deep Learning" (the streetlights: learning one example, then all of
them, then the first deep network with relu).

Chapter 4's network could not learn y = [0, 1, 1, 0]. Here a hidden layer of 4
combines the inputs first, and the output's error is sent back across the
weights to tell each hidden node how much it contributed: backpropagation.

    python chapters/ch06_backpropagation.py [--backend pure|cython|numpy] [--trace] [--plot DIR]
"""
# %%
import importlib.util
import sys
from types import SimpleNamespace

if importlib.util.find_spec("grokking") is None:  # a checkout without `pip install .`
    print("grokking is not installed: run `python3 -m venv .venv && .venv/bin/pip install .`"
          " in the project folder, then run the chapter with .venv/bin/python", file=sys.stderr)
    raise SystemExit(2)
from grokking import train
from grokking.lessons.lesson import Options, show, start
from grokking.lessons.one_layer import agreement
from grokking.lessons.sources import X, y_XOR
from grokking.networks.rows import add_up
from grokking.networks.train import initial_weights

# What --trace and --plot DIR do in this chapter (`python -m grokking chapters` lists it).
OPTIONS = Options(trace="every value of the first iteration, "
                        "of the XOR network and of the deep network",
                  plot="the error per iteration of the chapter's three networks")

ITERATIONS = 60000
RECORD_EVERY = 1000      # kept for the picture; printed every 10,000 as 001 does
PRINT_EVERY = 10000

# Book chapter 6: which lights are on, and did the people walk (1) or stop (0)?
streetlights = [[1, 0, 1],
                [0, 1, 1],
                [0, 0, 1],
                [1, 1, 1],
                [0, 1, 1],
                [1, 0, 1]]
walk_vs_stop = [0, 1, 0, 1, 1, 0]
STREETLIGHT_WEIGHTS = [0.5, 0.48, -0.7]
STREETLIGHT_ALPHA = 0.1

# The first deep network: the first four rows, new targets.
DEEP_TARGETS = [[1], [1], [0], [0]]
DEEP_ALPHA = 0.2
DEEP_HIDDEN = 4
DEEP_ITERATIONS = 60


# %% [markdown]
# ## Part 1: the 3-layer network of 001
#
# One iteration (001 lines 28-50), every value kept:
#
#     l1 = nonlin(np.dot(l0, syn0))             # forward: input -> hidden
#     l2 = nonlin(np.dot(l1, syn1))             #          hidden -> output
#     l2_error = y - l2
#     l2_delta = l2_error * nonlin(l2, deriv=True)
#     l1_error = l2_delta.dot(syn1.T)           # backpropagate: the new line
#     l1_delta = l1_error * nonlin(l1, deriv=True)
#     syn1 += l1.T.dot(l2_delta)
#     syn0 += l0.T.dot(l1_delta)

# %%
def sigmoid_layer(k, inputs, weights):
    """Each row of ``inputs`` through the weights, then the sigmoid."""
    return [k.sigmoid(row) for row in k.mat_mul(inputs, weights)]


def slope_times(k, errors, outputs, slope):
    """``errors * slope(outputs)``, row by row: an error weighted by how unsure the node was."""
    return [k.vec_mul(e, slope(o)) for e, o in zip(errors, outputs)]


def add_to(k, weights, update, alpha=1.0):
    """``weights + alpha * update``, a new matrix."""
    return [k.vec_add(w, k.ele_mul(alpha, u)) for w, u in zip(weights, update)]


def three_layer_iteration(k, X, y, syn0, syn1):
    """One pass of 001's 3-layer loop with the kernels ``k``; returns every value it made."""
    l0 = X
    l1 = sigmoid_layer(k, l0, syn0)
    l2 = sigmoid_layer(k, l1, syn1)
    l2_error = [k.vec_sub(t, o) for t, o in zip(y, l2)]
    l2_delta = slope_times(k, l2_error, l2, k.sigmoid2deriv)
    l1_error = k.mat_mul(l2_delta, k.transpose(syn1))
    l1_delta = slope_times(k, l1_error, l1, k.sigmoid2deriv)
    syn1_update = k.mat_mul(k.transpose(l1), l2_delta)
    syn0_update = k.mat_mul(k.transpose(l0), l1_delta)
    return SimpleNamespace(l1=l1, l2=l2, l2_error=l2_error, l2_delta=l2_delta,
                           l1_error=l1_error, l1_delta=l1_delta,
                           syn1_update=syn1_update, syn0_update=syn0_update,
                           syn1=add_to(k, syn1, syn1_update), syn0=add_to(k, syn0, syn0_update),
                           mean_abs_error=k.mean_abs_error([e[0] for e in l2_error],
                                                           [0.0] * len(y)))


def print_matrices(heading, labelled):
    """The heading, then each ``(label, matrix)`` pair: the label, and the matrix under it."""
    print(heading)
    for label, matrix in labelled:
        print(label + ":")
        print(show(matrix))


def trace_three_layer(k, syn0, syn1):
    """--trace: every value of 001's iteration 0, from l1 to the updated weights."""
    step = three_layer_iteration(k, X, y_XOR, syn0, syn1)
    print_matrices("\n--trace: iteration 0, every value", (
        ("l1 = sigmoid(X . syn0)  (one row per example, one column per hidden node)", step.l1),
        ("l2 = sigmoid(l1 . syn1)", step.l2),
        ("l2_error = y - l2", step.l2_error),
        ("l2_delta = l2_error * l2 * (1 - l2)", step.l2_delta),
        ("l1_error = l2_delta . syn1.T  (the error sent back across syn1)", step.l1_error),
        ("l1_delta = l1_error * l1 * (1 - l1)", step.l1_delta),
        ("syn1 update = l1.T . l2_delta", step.syn1_update),
        ("syn0 update = l0.T . l1_delta", step.syn0_update),
        ("syn1 after iteration 0", step.syn1),
        ("syn0 after iteration 0", step.syn0)))
    print(f"Error at iteration 0: mean |l2_error| = {step.mean_abs_error!r}")
    return step


def three_layer_network(lesson):
    """001 part 2: the starting weights, 60,000 iterations, what the hidden layer learned."""
    print("Part 1. 001's 3-layer network on the pattern chapter 4 could not learn:")
    for row, target in zip(X, y_XOR):
        print(f"  {' '.join(str(v) for v in row)}  ->  {target[0]}")
    syn0, syn1 = initial_weights(3, 4, 1, seed=1)
    print("np.random.seed(1); syn0 = 2*np.random.random((3,4)) - 1;"
          " syn1 = 2*np.random.random((4,1)) - 1")
    print("syn0:")
    print(show(syn0))
    print("syn1:")
    print(show(syn1))
    if lesson.trace:
        trace_three_layer(lesson.k, syn0, syn1)
    print(f"\n{ITERATIONS:,} iterations; every {PRINT_EVERY:,} 001 prints"
          " \"Error:\" + str(np.mean(np.abs(l2_error))):")
    result = train(X, y_XOR, hidden=4, iterations=ITERATIONS, seed=1, backend=lesson.backend,
                   record_every=RECORD_EVERY,
                   on_record=lesson.progress_every("3-layer network", 5000))
    lesson.done_progress()
    for error in result.errors[::PRINT_EVERY // RECORD_EVERY]:
        print("Error:" + str(error))
    print("Output After Training:")
    print(show(result.output))
    print("The error falls from 0.5 (guessing) to under 0.004. What the hidden layer learned,"
          " l1 = sigmoid(X . syn0)\nafter training (one row per example, one column per hidden"
          " node):")
    print(show(sigmoid_layer(lesson.k, X, result.weights[0])))
    print("syn1 after training:")
    print(show(result.weights[1]))
    print("Each hidden node is a new column made from all the inputs at once. Node 3 is on only"
          " for [0, 0, 1],\nnode 4 is off only for [1, 1, 1]: facts about both first inputs"
          " together, which no input column\nholds. syn1 weighs those columns as chapter 4's"
          " network weighed its first column. The new line is\nl1_error = l2_delta . syn1.T:"
          " how much each hidden node contributed to the error, found by sending\nl2_delta"
          " back across the weights it came through. That is backpropagation.")
    return result


# %% [markdown]
# ## Part 2: the streetlights (book chapter 6)
#
# No sigmoid: a prediction is a weighted sum, the error is squared, and the
# weights move by ``alpha * input * delta``.

# %%
def streetlight_step(k, weights, light, goal, alpha):
    """One example: predict, measure, update. Returns (error, prediction, new weights)."""
    prediction = k.w_sum(light, weights)
    error = (goal - prediction) ** 2
    delta = prediction - goal
    weights = k.vec_sub(weights, k.ele_mul(alpha, k.ele_mul(delta, light)))
    return error, prediction, weights


def learn_one_light(k, weights, light, goal, alpha=STREETLIGHT_ALPHA, iterations=20):
    """The book's first loop: the same example again and again.

    Returns ``([(error, prediction)] per iteration, the weights)``.
    """
    history = []
    for _ in range(iterations):
        error, prediction, weights = streetlight_step(k, weights, light, goal, alpha)
        history.append((error, prediction))
    return history, weights


def learn_all_lights(k, weights, lights, goals, alpha=STREETLIGHT_ALPHA, iterations=40):
    """The book's second loop: every example once per iteration, updating after each.

    Returns [(predictions, summed squared error)] per iteration, and the weights.
    """
    history = []
    for _ in range(iterations):
        error_for_all_lights, predictions = 0.0, []
        for light, goal in zip(lights, goals):
            error, prediction, weights = streetlight_step(k, weights, light, goal, alpha)
            error_for_all_lights += error
            predictions.append(prediction)
        history.append((predictions, error_for_all_lights))
    return history, weights


def streetlights_lesson(lesson):
    """Book chapter 6: one streetlight 20 times, then all six 40 times, printed as the book does."""
    print("\nPart 2. The streetlights (book chapter 6): three lights, walk (1) or stop (0).")
    for light, goal in zip(streetlights, walk_vs_stop):
        print(f"  {light}  ->  {'walk' if goal else 'stop'}")
    print(f"weights = {STREETLIGHT_WEIGHTS}, alpha = {STREETLIGHT_ALPHA}; prediction ="
          " input . weights, error = (goal - prediction)**2,"
          "\nweights -= alpha * input * (prediction - goal)")
    print("\nFirst one example, [1, 0, 1] -> stop, 20 times:")
    one, _ = learn_one_light(lesson.k, STREETLIGHT_WEIGHTS, streetlights[0], walk_vs_stop[0])
    for error, prediction in one:
        print("Error:" + str(error) + " Prediction:" + str(prediction))
    print("\nThen all six, one at a time, 40 times (starting again from the same weights):")
    every, weights = learn_all_lights(lesson.k, STREETLIGHT_WEIGHTS, streetlights, walk_vs_stop)
    for predictions, error_for_all_lights in every:
        for prediction in predictions:
            print("Prediction:" + str(prediction))
        print("Error:" + str(error_for_all_lights) + "\n")
    print("weights after 40 iterations:", [round(w, 8) for w in weights])
    print("The middle light carries the answer: its weight grew towards 1 while the others"
          " shrank.\nThis pattern has a light that correlates with walking; the next one"
          " does not.")
    return one, every


# %% [markdown]
# ## Part 3: the first deep network (book chapter 6)
#
#     layer_1 = relu(layer_0 . weights_0_1)
#     layer_2 = layer_1 . weights_1_2
#     layer_2_delta = y - layer_2
#     layer_1_delta = layer_2_delta . weights_1_2.T * relu2deriv(layer_1)
#     weights_1_2 += alpha * layer_1.T . layer_2_delta
#     weights_0_1 += alpha * layer_0.T . layer_1_delta
#
# To watch such a network learn, try the lab's playground (`python -m grokking lab`, lab 5): it
# trains these steps live in a browser, on the streetlights, the XOR table or points in the plane,
# with 0 to 3 hidden layers, and its "copy as Python" script gets the same weights from grokking.

# %%
def deep_step(k, layer_0, target, weights_0_1, weights_1_2, alpha=DEEP_ALPHA):
    """One example through the book's relu network and back; every value kept.

    ``layer_0`` is one example as a 1-row matrix (the book's ``X[i:i+1]``).
    """
    layer_1 = [k.relu(row) for row in k.mat_mul(layer_0, weights_0_1)]
    layer_2 = k.mat_mul(layer_1, weights_1_2)
    error = add_up((o - t) ** 2 for o, t in zip(layer_2[0], target))
    layer_2_delta = [k.vec_sub(target, layer_2[0])]
    layer_1_delta = slope_times(k, k.mat_mul(layer_2_delta, k.transpose(weights_1_2)),
                                layer_1, k.relu2deriv)
    update_1_2 = k.outer_prod(layer_1[0], layer_2_delta[0])
    update_0_1 = k.outer_prod(layer_0[0], layer_1_delta[0])
    return SimpleNamespace(layer_0=layer_0, layer_1=layer_1, layer_2=layer_2, error=error,
                           layer_2_delta=layer_2_delta, layer_1_delta=layer_1_delta,
                           update_1_2=update_1_2, update_0_1=update_0_1,
                           weights_1_2=add_to(k, weights_1_2, update_1_2, alpha),
                           weights_0_1=add_to(k, weights_0_1, update_0_1, alpha))


def deep_starting_weights(seed=1, hidden=DEEP_HIDDEN):
    """``np.random.seed(1)``; weights_0_1 (3 x hidden) is drawn before weights_1_2 (hidden x 1).

    The same draws as part 1's syn0 and syn1, so ``grokking.train.initial_weights`` makes them.
    """
    weights_0_1, weights_1_2 = initial_weights(3, hidden, 1, seed)
    return weights_0_1, weights_1_2


def deep_network(k, X, y, alpha=DEEP_ALPHA, iterations=DEEP_ITERATIONS, hidden=DEEP_HIDDEN):
    """The book's training loop: the summed squared error of each iteration, and the weights."""
    weights_0_1, weights_1_2 = deep_starting_weights(1, hidden)
    errors = []
    for _ in range(iterations):
        layer_2_error = 0.0
        for i in range(len(X)):
            step = deep_step(k, X[i:i + 1], y[i], weights_0_1, weights_1_2, alpha)
            layer_2_error += step.error
            weights_0_1, weights_1_2 = step.weights_0_1, step.weights_1_2
        errors.append(layer_2_error)
    return errors, (weights_0_1, weights_1_2)


def trace_deep_step(k):
    """--trace: every value of the deep network's first example in iteration 0."""
    weights_0_1, weights_1_2 = deep_starting_weights()
    step = deep_step(k, streetlights[0:1], DEEP_TARGETS[0], weights_0_1, weights_1_2)
    print_matrices("\n--trace: iteration 0, the first example, every value", (
        ("weights_0_1", weights_0_1), ("weights_1_2", weights_1_2),
        ("layer_0", step.layer_0),
        ("layer_1 = relu(layer_0 . weights_0_1)", step.layer_1),
        ("layer_2 = layer_1 . weights_1_2", step.layer_2),
        ("layer_2_delta = y - layer_2", step.layer_2_delta),
        ("layer_1_delta = layer_2_delta . weights_1_2.T * relu2deriv(layer_1)",
         step.layer_1_delta),
        ("layer_1.T . layer_2_delta", step.update_1_2),
        ("layer_0.T . layer_1_delta", step.update_0_1),
        ("weights_1_2 after", step.weights_1_2),
        ("weights_0_1 after", step.weights_0_1)))
    print(f"squared error of this example: {step.error!r}")


def deep_lesson(lesson):
    """Book chapter 6's first deep network: errors at iterations 9, 19, ..., 59."""
    X4 = streetlights[:4]
    print("\nPart 3. The first deep network (book chapter 6). The first four streetlights,"
          " new answers:")
    for light, target in zip(X4, DEEP_TARGETS):
        print(f"  {light}  ->  {target[0]}")
    counts = ", ".join(f"light {c + 1}: {n} of 4"
                       for c, n in enumerate(agreement(X4, DEEP_TARGETS)))
    print(f"No single light correlates with these (each agrees with the answer half the time:"
          f" {counts}).")
    print("np.random.seed(1); a hidden layer of 4 with relu(x) = (x > 0) * x; alpha = 0.2;"
          f" the weights change after\nevery example; {DEEP_ITERATIONS} iterations.")
    if lesson.trace:
        trace_deep_step(lesson.k)
    errors, weights = deep_network(lesson.k, X4, DEEP_TARGETS)
    for iteration, error in enumerate(errors):
        if iteration % 10 == 9:
            print("Error:" + str(error))
    print("relu switches a hidden node off (0) for some examples and on for others. That"
          " on/off is what lets\nthe hidden layer make the combinations the output needs;"
          " without it two layers of weighted sums\nwould be one weighted sum in disguise,"
          " and as stuck as chapter 4's network.")
    return errors, weights


def draw_errors(three_layer, every_light, deep_errors):
    """The picture: error per iteration of the three networks of this chapter."""
    def draw(plt):
        figure, (left, middle, right) = plt.subplots(1, 3, figsize=(13, 4))
        left.plot([j * RECORD_EVERY for j in range(len(three_layer.errors))], three_layer.errors)
        left.set(title="001's 3-layer network", xlabel="iteration",
                 ylabel="error, mean |l2_error| (log scale)", yscale="log")
        middle.plot([e for _, e in every_light])
        middle.set(title="streetlights, one layer", xlabel="iteration (all six lights once)",
                   ylabel="squared error, summed over the lights (log scale)", yscale="log")
        right.plot(deep_errors)
        right.set(title="first deep network (relu)", xlabel="iteration (all six lights once)",
                  ylabel="squared error, summed over the lights (log scale)", yscale="log")
        figure.suptitle("Backpropagation: the error falls, iteration by iteration")
        figure.tight_layout()
    return draw


def main(argv=None):
    lesson = start(__doc__, argv, OPTIONS)
    three_layer = three_layer_network(lesson)
    _, every_light = streetlights_lesson(lesson)
    deep_errors, _ = deep_lesson(lesson)
    lesson.plot("ch06_error_per_iteration.png", draw_errors(three_layer, every_light, deep_errors))
    lesson.finish()


# %%
if __name__ == "__main__":
    main()
