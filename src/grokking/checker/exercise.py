"""What ``python -m grokking check`` grades: the exercises, their cases, their referee, their known mistakes.

An ``Exercise`` is one function the learner writes. Its ``cases`` go from small
to big; its ``referee`` gives the right answer (NumPy: ``grokking.backend("numpy")``,
``grokking.train(..., backend="numpy")``, ``grokking.networks.digits``); its
``misconceptions`` are the known wrong versions, each a runnable variant of the
referee with a name and one sentence. When the learner's answers match a
variant (and not the referee), the report names the mistake.

Exercises come in sheets, one per stub file in ``exercises/``: ``rebuild``
(``exercises/rebuild.py``, the two "11 lines" posts and the book's chapter 5)
and ``batches`` (``exercises/batches.py``, the book's chapter 8 network) here,
``convolution`` in ``check_convolution``, ``framework`` in ``check_framework``;
``check_sheets`` gathers them all.

Everything here runs in the checker's own process, never in the learner's.
"""
import random
from dataclasses import dataclass, field

import numpy as np

KERNEL_TOLERANCE = 1e-12
TRAINING_TOLERANCE = 1e-9
ITERATIONS_PER_TIMEOUT = 5000  # a training call gets one timeout per this many iterations


@dataclass(frozen=True)
class Misconception:
    """A known wrong version of an exercise: a variant of the referee, its name, one sentence."""
    name: str
    explanation: str
    variant: object        # same arguments as the referee -> the wrong answer


@dataclass(frozen=True)
class Case:
    """The arguments of one call, and a note about this input (shown only for failures about inputs)."""
    args: tuple
    note: str = None


def case(*args, note=None):
    return Case(args, note)


@dataclass
class Exercise:
    """One function the learner writes: its signature, its cases, its referee, its known mistakes."""
    name: str
    params: list               # parameter names, for showing a call
    returns: str               # what it returns, in words
    answer: str                # "number", "vector", "matrix" or "matrices"
    cases: object              # () -> list of Case, smallest first
    referee: object            # args -> the right answer
    hint: str
    sheet: str = "rebuild"
    tolerance: float = KERNEL_TOLERANCE
    keywords: bool = False     # show calls as name(param=value, ...)
    shrink: bool = True        # simplify a failing input number by number
    misconceptions: list = field(default_factory=list)
    work: str = None           # the parameter that says how long a call may take (iterations)

    @property
    def signature(self):
        return f"{self.name}({', '.join(self.params)}) -> {self.returns}"

    def call_text(self, args):
        from .answers import show
        if self.keywords:
            shown = [f"{p}={show(a)}" for p, a in zip(self.params, args)]
        else:
            shown = [show(a) for a in args]
        return f"{self.name}({', '.join(shown)})"

    def weight(self, args):
        """How many timeouts one call may take: one, or one per 5,000 training iterations."""
        if self.work is None:
            return 1.0
        return max(1.0, args[self.params.index(self.work)] / ITERATIONS_PER_TIMEOUT)


# ---------------------------------------------------------------------------
# Small inputs, easy to follow by hand, then random ones
# ---------------------------------------------------------------------------

BLOG_X = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]]
BLOG_Y_PART_1 = [[0], [0], [1], [1]]   # "11 lines" part 1: the first column decides
BLOG_Y_PART_2 = [[0], [1], [1], [0]]   # part 2: XOR of the first two columns
EMPTY_NOTE = "an empty input is allowed: there is nothing to add or multiply."
NOT_SQUARE = ("the matrix need not be square: one answer per ROW of the matrix "
              "(len(matrix) of them), each row as long as vect.")
SEED_NOTE = ("with 0 iterations the answer is just the starting weights, drawn after "
             "np.random.seed(seed), one matrix after the other, input side first.")


def _k():
    import grokking
    return grokking.backend("numpy")


def _vector(rng, n, scale=10.0):
    return [round(rng.uniform(-scale, scale), 3) for _ in range(n)]


def _matrix(rng, rows, cols, scale=10.0):
    return [_vector(rng, cols, scale) for _ in range(rows)]


def _counting(n, start=1.0):
    """[start, start+1, ...]: small, different numbers, easy to follow by hand."""
    return [start + i for i in range(n)]


def _w_sum_cases():
    rng = random.Random(1)
    cases = [case([], [], note=EMPTY_NOTE + " The sum of nothing is 0.")]
    cases += [case(_counting(n), _counting(n, n + 1.0)) for n in (1, 2, 3)]
    cases.append(case([8.5, 0.65, 1.2], [0.1, 0.2, 0.0]))       # the book's first game
    cases += [case(_vector(rng, n), _vector(rng, n)) for n in range(1, 9) for _ in range(3)]
    return cases


def _ele_mul_cases():
    rng = random.Random(2)
    cases = [case(2.0, [], note=EMPTY_NOTE + " The answer is [].")]
    cases += [case(2.0, _counting(n, 3.0)) for n in (1, 2, 3, 4)]
    cases.append(case(-0.14, [8.5, 0.65, 1.2]))                  # the book's weight_deltas
    cases += [case(round(rng.uniform(-3, 3), 2), _vector(rng, n))
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
            cases.append(case(_vector(rng, cols), _matrix(rng, rows, cols)))
    return cases


def _outer_prod_cases():
    rng = random.Random(4)
    sizes = [(0, 0), (0, 2), (1, 1), (1, 2), (2, 1), (2, 2), (2, 3), (3, 2)]
    cases = [case(_counting(a, 1.0), _counting(b, 1.0 + a),
                  note=EMPTY_NOTE + " No rows: the answer is []." if a == 0 else None)
             for a, b in sizes]
    cases.append(case([1, 2, 3], [2, 4, 6]))                     # the book's example
    cases += [case(_vector(rng, a), _vector(rng, b)) for a in range(1, 5) for b in range(1, 6)]
    return cases


def _gd_step_cases():
    rng = random.Random(5)
    cases = [case([0.5], [1.0], 1.0, 0.1), case([0.5], [2.0], 1.0, 0.1),
             case([0.5, -0.5], [1.0, 2.0], 1.0, 0.1),
             case([0.1, 0.2, -0.1], [8.5, 0.65, 1.2], 1.0, 0.01)]  # the book's first step
    for n in range(1, 6):
        for _ in range(3):
            cases.append(case(_vector(rng, n, 1.0), _vector(rng, n, 2.0),
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
        output[i] = _k().ele_mul(number, [vector[i]])[0]
    return output


def _book_vect_mat_mul(vect, matrix):
    """The book's vect_mat_mul: one output per item of vect (right for a square matrix only)."""
    return _k().vect_mat_mul(vect, [matrix[i] for i in range(len(vect))])


def _gd_step_referee(weights, input, goal_pred, alpha):
    k = _k()
    delta = k.w_sum(input, weights) - goal_pred
    return k.vec_sub(weights, k.ele_mul(alpha * delta, input))


def _network_weights(X, y, hidden, iterations, seed):
    import grokking
    run = grokking.train(X, y, hidden=hidden, alpha=1.0, iterations=iterations, seed=seed,
                         backend="numpy")
    return run.weights


def blog_network(X, y, hidden, iterations, seed, slope_from="output", sign=1, inputs=None,
                 fixed_hidden=None, order="input first", shape="inputs x hidden",
                 backprop="old weights"):
    """The blog's network with one mistake switched on (the defaults make none).

    The variants of the two training exercises; with the defaults it is the
    referee's ``grokking.train(..., backend="numpy")``, to rounding (a test says so).
    slope_from "input": the sigmoid's slope x*(1-x) of the weighted sum, not of the output;
    sign -1: the weights step the wrong way; inputs, fixed_hidden: hard-coded sizes;
    order "hidden first": synapse_1 drawn before synapse_0; shape "hidden x inputs":
    synapse_0 drawn the other way round and transposed; backprop "new weights":
    layer_1's error taken through the already-updated synapse_1.
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

    def slope(weighted_sum, output):
        source = weighted_sum if slope_from == "input" else output
        return source * (1 - source)

    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(iterations):
            sums, layers = [], [X]
            for synapse in synapses:
                sums.append(np.dot(layers[-1], synapse))
                layers.append(1 / (1 + np.exp(-sums[-1])))
            delta = (y - layers[-1]) * slope(sums[-1], layers[-1])
            for i in reversed(range(len(synapses))):
                if i and backprop == "old weights":
                    below_error = delta.dot(synapses[i].T)
                synapses[i] += sign * layers[i].T.dot(delta)
                if i and backprop == "new weights":
                    below_error = delta.dot(synapses[i].T)
                if i:
                    delta = below_error * slope(sums[i - 1], layers[i])
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


def _relu2deriv_book(output):
    return [1.0 if o >= 0 else 0.0 for o in output]


def batches(images, targets, weights_0_1, weights_1_2, alpha, batch_size,
            delta_per_batch=True, **slips):
    """The book's chapter 8 network, one pass in order, batch by batch: ``grokking.networks.digits`` on NumPy.

    ``slips`` are ``grokking.networks.digits.Recipe``'s ``book_relu2deriv`` and ``book_batch_loop``;
    delta_per_batch False: the output delta is not divided by the batch size.
    """
    from grokking.networks.digits import DigitNetwork, Recipe
    hidden = len(weights_1_2)
    recipe = Recipe(hidden=hidden, alpha=alpha, batch_size=batch_size, shuffle=False, **slips)
    network = DigitNetwork(_k(), recipe, n_inputs=len(images[0]))
    network.weights_0_1 = np.array(weights_0_1, dtype=float)
    network.weights_1_2 = np.array(weights_1_2, dtype=float)
    images, targets = np.array(images, dtype=float), np.array(targets, dtype=float)
    for start in range(0, len(images), batch_size):
        rows = slice(start, start + batch_size)
        if not delta_per_batch:   # (layer_2 - targets) without / batch: alpha times the batch
            network.recipe = recipe.but(alpha=alpha * len(images[rows]))
        network.train_batch(images[rows], targets[rows])
    return [network.weights_0_1.tolist(), network.weights_1_2.tolist()]


def _batches(**mistake):
    return lambda *args: batches(*args, **mistake)


def _batch_cases():
    rng = random.Random(10)

    def weights(rows, cols):
        return [[round(rng.uniform(-1, 1), 2) for _ in range(cols)] for _ in range(rows)]

    def one_hot(n, outputs):
        return [[1.0 if j == rng.randrange(outputs) else 0.0 for j in range(outputs)]
                for _ in range(n)]
    cases = [case([[1.0]], [[1.0]], [[0.5]], [[0.5]], 0.1, 1),
             case([[1.0], [-1.0]], [[1.0], [1.0]], [[0.5]], [[0.5]], 0.1, 1),
             case([[1.0], [0.5]], [[1.0], [0.0]], [[0.5]], [[0.5]], 0.1, 2),
             case([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.5, 0.0]], [[1.0], [0.0], [1.0], [0.0]],
                  [[0.5, -0.5], [0.25, 0.75]], [[0.5], [-0.5]], 0.1, 2)]
    # Every batch is full (as the book's 1,000 images in batches of 100 are), so dividing
    # by batch_size and by the rows of the batch agree.
    for inputs, hidden, outputs, n, batch in [(3, 3, 2, 4, 1), (3, 4, 2, 4, 2), (4, 3, 3, 6, 3),
                                              (2, 5, 2, 6, 2), (5, 4, 3, 8, 4)]:
        images = [[round(rng.uniform(0, 1), 2) for _ in range(inputs)] for _ in range(n)]
        cases.append(case(images, one_hot(n, outputs), weights(inputs, hidden),
                          weights(hidden, outputs), rng.choice([0.1, 0.5]), batch))
    return cases


def _relu2deriv_cases():
    rng = random.Random(11)
    cases = [case([], note=EMPTY_NOTE + " The answer is []."),
             case([2.0]), case([0.0]), case([3.0, 0.0, 1.5])]
    cases += [case([max(0.0, v) for v in _vector(rng, n, 2.0)]) for n in range(1, 7) for _ in range(2)]
    return cases


def _relu_cases():
    rng = random.Random(12)
    cases = [case([], note=EMPTY_NOTE + " The answer is []."), case([2.0]), case([-2.0]),
             case([0.0]), case([1.5, -0.5, 0.0])]
    cases += [case(_vector(rng, n, 2.0)) for n in range(1, 7) for _ in range(2)]
    return cases


# ---------------------------------------------------------------------------
# The exercises
# ---------------------------------------------------------------------------

EXERCISES = [
    Exercise("w_sum", ["a", "b"], "number", "number", _w_sum_cases,
             lambda a, b: _k().w_sum(a, b),
             "multiply a[i] * b[i] for EVERY i and add them all up, starting from 0."),
    Exercise("ele_mul", ["number", "vector"], "list", "vector", _ele_mul_cases,
             lambda number, vector: _k().ele_mul(number, vector),
             "output[i] = number * vector[i], and the output is as long as the vector.",
             misconceptions=[Misconception(
                 "a fixed-size output [0, 0, 0]",
                 "the output started as [0, 0, 0] (as in the book), which only fits 3 numbers: "
                 "start from one 0 per item of the vector.", _book_ele_mul)]),
    Exercise("vect_mat_mul", ["vect", "matrix"], "list", "vector", _vect_mat_mul_cases,
             lambda vect, matrix: _k().vect_mat_mul(vect, matrix),
             "output[i] = w_sum(vect, matrix[i]): one weighted sum per row of the matrix.",
             misconceptions=[Misconception(
                 "one output per input",
                 "the loop ran over len(vect), as the book's does, which only works for a square "
                 "matrix: there is one output per ROW of the matrix, len(matrix) of them.",
                 _book_vect_mat_mul), Misconception(
                 "weights read as columns",
                 "output[i] was taken from column i of the matrix (vect[j] * matrix[j][i]); here "
                 "each ROW holds one output's weights: output[i] = w_sum(vect, matrix[i]).",
                 lambda vect, matrix: _k().vect_mat_mul(vect, _k().transpose(matrix)))]),
    Exercise("outer_prod", ["vec_a", "vec_b"], "list of lists", "matrix", _outer_prod_cases,
             lambda vec_a, vec_b: _k().outer_prod(vec_a, vec_b),
             "output[i][j] = vec_a[i] * vec_b[j]: the row follows vec_a, the column follows vec_b.",
             misconceptions=[Misconception(
                 "outer_prod transposed",
                 "the rows follow vec_b and the columns vec_a (output[i][j] = vec_a[j] * vec_b[i]): "
                 "the matrix is turned around; one row per item of vec_a.",
                 lambda vec_a, vec_b: _k().outer_prod(vec_b, vec_a))]),
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
             tolerance=TRAINING_TOLERANCE, keywords=True, shrink=False, work="iterations",
             misconceptions=_training_mistakes(_two_layer)),
    Exercise("train_3_layer", ["X", "y", "hidden", "iterations", "seed"],
             "[synapse_0, synapse_1]", "matrices", _three_layer_cases,
             lambda X, y, hidden, iterations, seed: _network_weights(X, y, hidden, iterations, seed),
             "the blog's part 2: after one np.random.seed(seed) draw synapse_0 (inputs x hidden), "
             "THEN synapse_1 (hidden x 1); layer_1_delta comes from layer_2_delta . synapse_1.T with "
             "the old synapse_1; both updates use the deltas of the same forward pass.",
             tolerance=TRAINING_TOLERANCE, keywords=True, shrink=False, work="iterations",
             misconceptions=_training_mistakes(_three_layer) + [
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
    Exercise("relu", ["x"], "list", "vector", _relu_cases, lambda x: _k().relu(x),
             "output[i] = x[i] if x[i] > 0 else 0: negatives become 0, the rest stays.",
             sheet="batches"),
    Exercise("relu2deriv", ["output"], "list", "vector", _relu2deriv_cases,
             lambda output: _k().relu2deriv(output),
             "the slope of relu, read from its output: 1 where the output is above 0, else 0.",
             sheet="batches",
             misconceptions=[Misconception(
                 "the book's relu2deriv with >=",
                 "output >= 0 (as the book's chapter 8 code has it) gives slope 1 at 0, where the "
                 "unit is off: use output > 0.", _relu2deriv_book)]),
    Exercise("train_batches", ["images", "targets", "weights_0_1", "weights_1_2", "alpha",
                               "batch_size"], "[weights_0_1, weights_1_2]", "matrices",
             _batch_cases, batches,
             "one pass in order, batch_size images at a time: layer_1 = relu(layer_0 . weights_0_1), "
             "layer_2 = layer_1 . weights_1_2, layer_2_delta = (layer_2 - targets) / batch_size, "
             "layer_1_delta = layer_2_delta . weights_1_2.T * relu2deriv(layer_1), then each "
             "weights -= alpha * layer.T . delta, once per batch.",
             sheet="batches", tolerance=TRAINING_TOLERANCE, keywords=True, shrink=False,
             misconceptions=[
                 Misconception("the book's relu2deriv with >=",
                               "relu2deriv(layer_1) used output >= 0 (as the book's chapter 8 "
                               "code has it): a unit that is off (output 0) still passed the error "
                               "back; use output > 0.", _batches(book_relu2deriv=True)),
                 Misconception("the delta not divided by the batch size",
                               "layer_2_delta is the AVERAGE over the batch: "
                               "(layer_2 - targets) / batch_size, not the sum.",
                               _batches(delta_per_batch=False)),
                 Misconception("the batch update applied once per example",
                               "the weights moved once per image of the batch (the book's slip: "
                               "the update inside `for k in range(batch_size)`); move them once "
                               "per batch.", _batches(book_batch_loop=True)),
                 Misconception("alpha forgotten",
                               "the step is not scaled by alpha: weights -= alpha * layer.T . delta.",
                               lambda *args: batches(*args[:4], 1.0, args[5]))]),
]
STUB_FILES = {"rebuild": "exercises/rebuild.py", "batches": "exercises/batches.py"}
