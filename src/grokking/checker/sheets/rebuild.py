"""The rebuild sheet of ``python -m grokking check``: the "11 lines" posts and the book's chapter 5.

``exercises/rebuild.py`` asks for w_sum, ele_mul, vect_mat_mul, outer_prod and
gd_step (the book's chapter 5 kernels; the referee is ``grokking.backend("numpy")``)
and the two networks of the blog posts, train_2_layer and train_3_layer (the
referee is ``grokking.train(..., backend="numpy")``); each known mistake is a
variant of the referee.

This runs in the checker's own process, never in the learner's.
"""
import random

import numpy as np

from ..exercise import (EMPTY_NOTE, TRAINING_TOLERANCE, Exercise, Misconception, case, numpy_kernels,
                        random_matrix, random_vector)

SHEET = "rebuild"
STUB = "exercises/rebuild.py"
REFEREE = 'NumPy: grokking.backend("numpy") and grokking.train(..., backend="numpy")'

# ---------------------------------------------------------------------------
# Small inputs, easy to follow by hand, then random ones
# ---------------------------------------------------------------------------

BLOG_X = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]]
BLOG_Y_PART_1 = [[0], [0], [1], [1]]   # "11 lines" part 1: the first column decides
BLOG_Y_PART_2 = [[0], [1], [1], [0]]   # part 2: XOR of the first two columns
NOT_SQUARE = ("the matrix need not be square: one answer per ROW of the matrix "
              "(len(matrix) of them), each row as long as vect.")
SEED_NOTE = ("with 0 iterations the answer is just the starting weights, drawn after "
             "np.random.seed(seed), one matrix after the other, input side first.")


def _counting(n, start=1.0):
    """[start, start+1, ...]: small, different numbers, easy to follow by hand."""
    return [start + i for i in range(n)]


def _w_sum_cases():
    rng = random.Random(1)
    cases = [case([], [], note=EMPTY_NOTE + " The sum of nothing is 0.")]
    cases += [case(_counting(n), _counting(n, n + 1.0)) for n in (1, 2, 3)]
    cases.append(case([8.5, 0.65, 1.2], [0.1, 0.2, 0.0]))       # the book's first game
    cases += [case(random_vector(rng, n), random_vector(rng, n)) for n in range(1, 9) for _ in range(3)]
    return cases


def _ele_mul_cases():
    rng = random.Random(2)
    cases = [case(2.0, [], note=EMPTY_NOTE + " The answer is [].")]
    cases += [case(2.0, _counting(n, 3.0)) for n in (1, 2, 3, 4)]
    cases.append(case(-0.14, [8.5, 0.65, 1.2]))                  # the book's weight_deltas
    cases += [case(round(rng.uniform(-3, 3), 2), random_vector(rng, n))
              for n in range(1, 9) for _ in range(3)]
    return cases


def _vect_mat_mul_cases():
    # A matrix with no rows at all, [], is not asked for: NumPy cannot tell it from an
    # empty vector, so np.array(matrix).dot(vect) rightly gives 0.0 there, not [].
    rng = random.Random(3)
    cases = [case([], [[]], note=EMPTY_NOTE + " One row with no weights: its weighted sum is 0.")]
    for rows, cols in [(1, 1), (1, 2), (2, 1), (2, 2), (2, 3), (3, 2)]:
        matrix = [_counting(cols, 1.0 + cols * r) for r in range(rows)]
        cases.append(case(_counting(cols, 2.0), matrix, note=NOT_SQUARE if rows != cols else None))
    cases.append(case([8.5, 0.65, 1.2], [[0.1, 0.1, -0.3], [0.1, 0.2, 0.0], [0.0, 1.3, 0.1]]))
    for rows in range(1, 5):
        for cols in range(1, 6):
            cases.append(case(random_vector(rng, cols), random_matrix(rng, rows, cols)))
    return cases


def _outer_prod_cases():
    rng = random.Random(4)
    sizes = [(0, 0), (0, 2), (1, 1), (1, 2), (2, 1), (2, 2), (2, 3), (3, 2)]
    cases = [case(_counting(a, 1.0), _counting(b, 1.0 + a),
                  note=EMPTY_NOTE + " No rows: the answer is []." if a == 0 else None)
             for a, b in sizes]
    cases.append(case([1, 2, 3], [2, 4, 6]))                     # the book's example
    cases += [case(random_vector(rng, a), random_vector(rng, b)) for a in range(1, 5) for b in range(1, 6)]
    return cases


def _gd_step_cases():
    rng = random.Random(5)
    cases = [case([0.5], [1.0], 1.0, 0.1), case([0.5], [2.0], 1.0, 0.1),
             case([0.5, -0.5], [1.0, 2.0], 1.0, 0.1),
             case([0.1, 0.2, -0.1], [8.5, 0.65, 1.2], 1.0, 0.01)]  # the book's first step
    for n in range(1, 6):
        for _ in range(3):
            cases.append(case(random_vector(rng, n, 1.0), random_vector(rng, n, 2.0),
                              round(rng.uniform(-1, 1), 2), rng.choice([0.01, 0.1, 1.0])))
    return cases


def _random_dataset(seed, rows, cols):
    rng = random.Random(seed)
    X = [[rng.choice([0, 1]) for _ in range(cols)] for _ in range(rows)]
    y = [[rng.choice([0, 1])] for _ in range(rows)]
    return X, y


def _two_layer_cases():
    X, y = _random_dataset(6, 5, 3)
    X4, y4 = _random_dataset(8, 6, 4)
    return [case([[1]], [[1]], 0, 1, note=SEED_NOTE),
            case(BLOG_X, BLOG_Y_PART_1, 0, 1, note=SEED_NOTE),
            case([[1]], [[1]], 1, 1),
            case(BLOG_X, BLOG_Y_PART_1, 1, 1),
            case(BLOG_X, BLOG_Y_PART_1, 2, 1),
            case(X, y, 10, 5),
            case(X4, y4, 10, 2),
            case(BLOG_X, BLOG_Y_PART_1, 10000, 1, note="this is the blog's run (part 1).")]


def _three_layer_cases():
    X, y = _random_dataset(7, 5, 3)
    X2, y2 = _random_dataset(9, 4, 2)
    return [case([[1]], [[1]], 1, 0, 1, note=SEED_NOTE),
            case(BLOG_X, BLOG_Y_PART_2, 4, 0, 1, note=SEED_NOTE),
            case([[1]], [[1]], 1, 1, 1),
            case(BLOG_X, BLOG_Y_PART_2, 4, 1, 1),
            case(BLOG_X, BLOG_Y_PART_2, 4, 2, 1),
            case(X, y, 3, 10, 5),
            case(X2, y2, 2, 10, 3),
            case(BLOG_X, BLOG_Y_PART_2, 4, 60000, 1, note="this is the blog's run (part 2).")]


# ---------------------------------------------------------------------------
# Referees, and the variants that make the known mistakes
# ---------------------------------------------------------------------------

def _book_ele_mul(number, vector):
    """The book's ele_mul: its output starts as [0, 0, 0]."""
    output = [0.0, 0.0, 0.0]
    for i in range(len(vector)):
        output[i] = numpy_kernels().ele_mul(number, [vector[i]])[0]
    return output


def _book_vect_mat_mul(vect, matrix):
    """The book's vect_mat_mul: one output per item of vect (right for a square matrix only)."""
    return numpy_kernels().vect_mat_mul(vect, [matrix[i] for i in range(len(vect))])


def _gd_step_referee(weights, input, goal_pred, alpha):
    k = numpy_kernels()
    delta = k.w_sum(input, weights) - goal_pred
    return k.vec_sub(weights, k.ele_mul(alpha * delta, input))


def _network_weights(X, y, hidden, iterations, seed):
    import grokking
    run = grokking.train(X, y, hidden=hidden, alpha=1.0, iterations=iterations, seed=seed,
                         backend="numpy")
    return run.weights


def blog_network(X, y, hidden, iterations, seed, slope_from="output", sign=1, inputs=None,
                 fixed_hidden=None, order="input first", shape="inputs x hidden",
                 backprop="old weights", update_0="its own delta"):
    """The blog's network with one mistake switched on (the defaults make none).

    The variants of the two training exercises; with the defaults it is the
    referee's ``grokking.train(..., backend="numpy")``, to rounding (a test says so).
    slope_from "input": the sigmoid's slope x*(1-x) of the weighted sum, not of the output
    ("input at layer 1", "input at layer 2": in that layer only);
    sign -1: the weights step the wrong way (sign "-1 at synapse_0", "-1 at synapse_1": that
    one only); inputs, fixed_hidden: hard-coded sizes;
    order "hidden first": synapse_1 drawn before synapse_0; shape "hidden x inputs":
    synapse_0 drawn the other way round and transposed; backprop "new weights":
    layer_1's error taken through the already-updated synapse_1; slope_from "layer 2 in
    layer 1": layer_1's delta times layer 2's slope; update_0 "layer 2's delta":
    synapse_0 += X.T . layer_2_delta (NumPy spreads the one column over every hidden unit).
    """
    X, y = np.array(X, dtype=float), np.array(y, dtype=float)
    rng = np.random.RandomState(seed)
    n_inputs = X.shape[1] if inputs is None else inputs
    hidden = hidden if fixed_hidden is None or not hidden else fixed_hidden
    if not hidden:
        synapses = [2 * rng.random_sample((n_inputs, 1)) - 1]
    else:
        draws = {}
        for which in (["synapse_1", "synapse_0"] if order == "hidden first"
                      else ["synapse_0", "synapse_1"]):
            if which == "synapse_1":
                draws[which] = 2 * rng.random_sample((hidden, 1)) - 1
            elif shape == "hidden x inputs":
                draws[which] = (2 * rng.random_sample((hidden, n_inputs)) - 1).T.copy()
            else:
                draws[which] = 2 * rng.random_sample((n_inputs, hidden)) - 1
        synapses = [draws["synapse_0"], draws["synapse_1"]]

    def slope(weighted_sum, output, layer):
        wrong = slope_from == "input" or slope_from == f"input at layer {layer}"
        source = weighted_sum if wrong else output
        if layer == 1 and slope_from == "layer 2 in layer 1":
            source = layers[-1]
        return source * (1 - source)

    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(iterations):
            sums, layers = [], [X]
            for synapse in synapses:
                sums.append(np.dot(layers[-1], synapse))
                layers.append(1 / (1 + np.exp(-sums[-1])))
            delta = top_delta = (y - layers[-1]) * slope(sums[-1], layers[-1], len(synapses))
            for i in reversed(range(len(synapses))):
                if i and backprop == "old weights":
                    below_error = delta.dot(synapses[i].T)
                if i == 0 and hidden and update_0 == "layer 2's delta":
                    delta = top_delta
                step = -1 if sign == -1 or sign == f"-1 at synapse_{i}" else 1
                synapses[i] += step * layers[i].T.dot(delta)
                if i and backprop == "new weights":
                    below_error = delta.dot(synapses[i].T)
                if i:
                    delta = below_error * slope(sums[i - 1], layers[i], i)
    return [s.tolist() for s in synapses]


def _two_layer(**mistake):
    return lambda X, y, iterations, seed: blog_network(X, y, 0, iterations, seed, **mistake)[0]


def _three_layer(**mistake):
    return lambda X, y, hidden, iterations, seed: blog_network(X, y, hidden, iterations, seed,
                                                               **mistake)


SLOPE_FROM_INPUT = ("the sigmoid's slope was taken from its input (the weighted sum, x*(1-x) of "
                    "X . synapse); the blog's nonlin(x, deriv=True) expects the sigmoid's OUTPUT, "
                    "layer * (1 - layer).")
WRONG_SIGN_TRAINING = ("the weights step the wrong way: with error = y - layer, the update "
                       "is synapse += layer_below.T . delta (plus, not minus).")
HARD_CODED = ("synapse_0 has 3 rows whatever X is, as the blog's (3, ...) has: give it one row "
              "per input column, len(X[0]) of them.")


def _training_mistakes(build):
    return [
        Misconception("the sigmoid slope from the input", SLOPE_FROM_INPUT,
                      build(slope_from="input")),
        Misconception("the gradient step with the wrong sign", WRONG_SIGN_TRAINING, build(sign=-1)),
        Misconception("a hard-coded input size", HARD_CODED, build(inputs=3)),
    ]


HARD_CODED_BOTH = ("the weights are (3, 4) and (4, 1) whatever X and hidden are, as in the blog: "
                   "synapse_0 needs len(X[0]) rows and hidden columns, synapse_1 hidden rows.")



# ---------------------------------------------------------------------------
# The exercises
# ---------------------------------------------------------------------------

EXERCISES = [
    Exercise("w_sum", ["a", "b"], "number", "number", _w_sum_cases,
             lambda a, b: numpy_kernels().w_sum(a, b),
             "multiply a[i] * b[i] for EVERY i and add them all up, starting from 0."),
    Exercise("ele_mul", ["number", "vector"], "list", "vector", _ele_mul_cases,
             lambda number, vector: numpy_kernels().ele_mul(number, vector),
             "output[i] = number * vector[i], and the output is as long as the vector.",
             misconceptions=[Misconception(
                 "a fixed-size output [0, 0, 0]",
                 "the output started as [0, 0, 0] (as in the book), which only fits 3 numbers: "
                 "start from one 0 per item of the vector.", _book_ele_mul)]),
    Exercise("vect_mat_mul", ["vect", "matrix"], "list", "vector", _vect_mat_mul_cases,
             lambda vect, matrix: numpy_kernels().vect_mat_mul(vect, matrix),
             "output[i] = w_sum(vect, matrix[i]): one weighted sum per row of the matrix.",
             misconceptions=[Misconception(
                 "one output per input",
                 "the loop ran over len(vect), as the book's does, which only works for a square "
                 "matrix: there is one output per ROW of the matrix, len(matrix) of them.",
                 _book_vect_mat_mul), Misconception(
                 "weights read as columns",
                 "output[i] was taken from column i of the matrix (vect[j] * matrix[j][i]); here "
                 "each ROW holds one output's weights: output[i] = w_sum(vect, matrix[i]).",
                 lambda vect, matrix: numpy_kernels().vect_mat_mul(
                     vect, numpy_kernels().transpose(matrix)))]),
    Exercise("outer_prod", ["vec_a", "vec_b"], "list of lists", "matrix", _outer_prod_cases,
             lambda vec_a, vec_b: numpy_kernels().outer_prod(vec_a, vec_b),
             "output[i][j] = vec_a[i] * vec_b[j]: the row follows vec_a, the column follows vec_b.",
             misconceptions=[Misconception(
                 "outer_prod transposed",
                 "the rows follow vec_b and the columns vec_a (output[i][j] = vec_a[j] * vec_b[i]): "
                 "the matrix is turned around; one row per item of vec_a.",
                 lambda vec_a, vec_b: numpy_kernels().outer_prod(vec_b, vec_a))]),
    Exercise("gd_step", ["weights", "input", "goal_pred", "alpha"], "new weights (list)", "vector",
             _gd_step_cases, _gd_step_referee,
             "pred = w_sum(input, weights); delta = pred - goal_pred; "
             "new weights[i] = weights[i] - alpha * delta * input[i].",
             keywords=True,
             misconceptions=[
                 Misconception("the gradient step with the wrong sign",
                               "the weights moved uphill: with delta = pred - goal_pred each "
                               "weight goes DOWN by alpha * delta * input[i].",
                               lambda w, i, g, alpha: _gd_step_referee(w, i, g, -alpha)),
                 Misconception("alpha forgotten",
                               "the step is not scaled by alpha: each weight moves by "
                               "alpha * delta * input[i], not delta * input[i].",
                               lambda w, i, g, alpha: _gd_step_referee(w, i, g, 1.0))]),
    Exercise("train_2_layer", ["X", "y", "iterations", "seed"], "synapse_0 (matrix)", "matrix",
             _two_layer_cases, lambda X, y, iterations, seed: _network_weights(
                 X, y, 0, iterations, seed)[0],
             "the blog's part 1: seed NumPy with seed, draw synapse_0 with one row per input "
             "column (len(X[0])) and one column; each iteration layer_1 = sigmoid(X . synapse_0), "
             "layer_1_delta = (y - layer_1) * layer_1 * (1 - layer_1), synapse_0 += X.T . layer_1_delta.",
             tolerance=TRAINING_TOLERANCE, keywords=True, shrink=False, hint_for="sizes",
             work="iterations",
             misconceptions=_training_mistakes(_two_layer)),
    Exercise("train_3_layer", ["X", "y", "hidden", "iterations", "seed"],
             "[synapse_0, synapse_1]", "matrices", _three_layer_cases,
             lambda X, y, hidden, iterations, seed: _network_weights(X, y, hidden, iterations, seed),
             "the blog's part 2: after one np.random.seed(seed) draw synapse_0 (inputs x hidden), "
             "THEN synapse_1 (hidden x 1); layer_1_delta comes from layer_2_delta . synapse_1.T with "
             "the old synapse_1; both updates use the deltas of the same forward pass.",
             tolerance=TRAINING_TOLERANCE, keywords=True, shrink=False, hint_for="sizes",
             work="iterations",
             misconceptions=_training_mistakes(_three_layer) + [
                 Misconception(f"layer {n}'s sigmoid slope from its weighted sum",
                               f"layer {n}'s slope was taken from its weighted sum (x*(1-x) of the "
                               f"sum that went into layer_{n}); the other layer's is right. Take it "
                               f"from the layer's output: layer_{n} * (1 - layer_{n}).",
                               _three_layer(slope_from=f"input at layer {n}")) for n in (1, 2)] + [
                 Misconception(f"synapse_{n} stepped the wrong way",
                               f"synapse_{n} moved uphill (-=, the other synapse's step is right): "
                               f"with error = y - layer, synapse_{n} += layer_{n}.T . "
                               f"layer_{n + 1}_delta, plus.", _three_layer(sign=f"-1 at synapse_{n}"))
                 for n in (0, 1)] + [
                 Misconception("layer 1's delta with layer 2's slope",
                               "layer_1_delta took layer_2's slope, layer_2 * (1 - layer_2); each "
                               "layer's delta takes its OWN slope: "
                               "layer_1_delta = layer_1_error * layer_1 * (1 - layer_1).",
                               _three_layer(slope_from="layer 2 in layer 1")),
                 Misconception("synapse_0 updated with layer 2's delta",
                               "synapse_0 moved by X.T . layer_2_delta (NumPy spread its one column "
                               "over every hidden unit); synapse_0 moves by X.T . layer_1_delta, "
                               "the delta of the layer it feeds.",
                               _three_layer(update_0="layer 2's delta")),
                 Misconception("a hard-coded input size", HARD_CODED_BOTH,
                               _three_layer(inputs=3, fixed_hidden=4)),
                 Misconception("weights drawn in another order",
                               "synapse_1 was drawn before synapse_0: after np.random.seed(seed) "
                               "draw synapse_0 (the input side) first, then synapse_1.",
                               _three_layer(order="hidden first")),
                 Misconception("weights drawn in another shape",
                               "synapse_0 was drawn as (hidden, inputs) and turned around: draw it "
                               "as (inputs, hidden), rows first, so each number lands where the "
                               "blog's does.",
                               _three_layer(shape="hidden x inputs")),
                 Misconception("backprop through the already-updated weights",
                               "layer_1's error went back through synapse_1 AFTER its update: take "
                               "layer_2_delta . synapse_1.T first, then update both synapses.",
                               _three_layer(backprop="new weights"))]),
]
