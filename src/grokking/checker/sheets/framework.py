"""The framework sheet of ``python -m grokking check``: backward, one operation at a time.

``exercises/framework.py`` holds the book's chapter 13 ``Tensor`` with its
forward pass written and its ``backward`` left to the learner, and one small
function per operation that the checker calls: it builds the operation from
the learner's Tensors, runs ``backward`` and returns the gradients. The referee
does the same with ``grokking.framework.Tensor`` on the numpy backend; each
known mistake is the referee's gradient with that mistake made.

This runs in the checker's own process, never in the learner's.
"""
import random

import numpy as np

from ..exercise import Exercise, Misconception, case

SHEET = "framework"
STUB = "exercises/framework.py"
REFEREE = "grokking.framework on the numpy backend"


def _tensor(x, autograd=True):
    from grokking.framework import Tensor
    return Tensor(np.array(x, dtype=float), autograd=autograd, backend="numpy")


def _grads(*tensors):
    return [t.grad.tolist() for t in tensors]


def _two(op):
    """The referee for an operation of two tensors: [a.grad, b.grad] after op(a, b).backward(grad)."""
    def referee(a, b, grad):
        x, y = _tensor(a), _tensor(b)
        op(x, y).backward(_tensor(grad, autograd=False))
        return _grads(x, y)
    return referee


add_backward = _two(lambda a, b: a + b)
mul_backward = _two(lambda a, b: a * b)
mm_backward = _two(lambda a, b: a.mm(b))
used_twice_backward = _two(lambda a, b: a * b + a)


def sum_backward(a, dim, grad):
    x = _tensor(a)
    x.sum(dim).backward(_tensor(grad, autograd=False))
    return x.grad.tolist()


def expand_backward(a, dim, copies, grad):
    x = _tensor(a)
    x.expand(dim, copies).backward(_tensor(grad, autograd=False))
    return x.grad.tolist()


def _one(method):
    def referee(a, grad):
        x = _tensor(a)
        getattr(x, method)().backward(_tensor(grad, autograd=False))
        return x.grad.tolist()
    return referee


sigmoid_backward = _one("sigmoid")
tanh_backward = _one("tanh")


def cross_entropy_backward(scores, targets):
    x = _tensor(scores)
    x.cross_entropy(targets).backward()
    return x.grad.tolist()


def _reused(a, b):
    d = a * b
    return d + d


def _diamond(a, b):
    d = a * b
    return d.sigmoid() * d.tanh() + d


def _chain(a, b):
    y = a.mm(b).sigmoid().transpose().tanh()
    return y.sum(1).expand(1, y.shape[1]) * y + y


reused_backward = _two(_reused)


def diamond_backward(a, b, grad):
    """[a.grad, b.grad, d.grad] for the diamond: d = a * b, then d.sigmoid() * d.tanh() + d."""
    x, y = _tensor(a), _tensor(b)
    d = x * y
    (d.sigmoid() * d.tanh() + d).backward(_tensor(grad, autograd=False))
    return _grads(x, y, d)


chain_backward = _two(_chain)


def mm_cross_entropy_backward(a, b, targets):
    x, y = _tensor(a), _tensor(b)
    x.mm(y).cross_entropy(targets).backward()
    return _grads(x, y)


# ---------------------------------------------------------------------------
# The known mistakes, as variants of those referees (NumPy on the same numbers)
# ---------------------------------------------------------------------------

def _mul_own_value(a, b, grad):
    grad = np.array(grad)
    return [(grad * np.array(a)).tolist(), (grad * np.array(b)).tolist()]


def _mm_transposed(side):
    def variant(a, b, grad):
        a, b, grad = np.array(a, dtype=float), np.array(b, dtype=float), np.array(grad, dtype=float)
        right = [grad.dot(b.T), a.T.dot(grad)]
        wrong = [grad.dot(b), grad.T.dot(a)]        # the transposes left out
        return [(wrong if s in side else right)[s].tolist() for s in (0, 1)]
    return variant


def _sum_wrong_dim(a, dim, grad):
    """grad copied along the other dimension (it fits a's shape when a is square)."""
    return _expand(grad, 1 - dim, np.array(a).shape[dim]).tolist()


def _expand(vector, dim, copies):
    vector = np.array(vector, dtype=float)
    return np.tile(vector, (copies, 1)) if dim == 0 else np.tile(vector[:, None], (1, copies))


def _expand_wrong_dim(a, dim, copies, grad):
    return np.array(grad, dtype=float).sum(axis=1 - dim).tolist()


def _slope_from_input(function):
    def variant(a, grad):
        x = np.array(a, dtype=float)
        return (np.array(grad) * function(x)).tolist()
    return variant


def _not_accumulated(path):
    def variant(a, b, grad):
        grad = np.array(grad, dtype=float)
        through_mul = grad * np.array(b, dtype=float)
        return [(through_mul if path == "first" else grad).tolist(),
                (grad * np.array(a, dtype=float)).tolist()]
    return variant


def _running_total(a, b, grad):
    """d = a * b; e = d + d, with d sending its running total on each call: a gets 3 grad * b."""
    grad = np.array(grad, dtype=float)
    return [(3 * grad * np.array(b, dtype=float)).tolist(), (3 * grad * np.array(a, dtype=float)).tolist()]


def _book_cross_entropy(scores, targets):
    return (np.array(cross_entropy_backward(scores, targets)) * len(scores)).tolist()


# ---------------------------------------------------------------------------
# Cases: small first, then random
# ---------------------------------------------------------------------------

def _matrix(rng, rows, cols):
    return [[round(rng.uniform(-2, 2), 2) for _ in range(cols)] for _ in range(rows)]


def _pairs(seed):
    """(a, b, grad) of one shape, small first; the 2x2 and 3x3 ones are where a transpose hides."""
    rng = random.Random(seed)
    cases = [case([[1.0]], [[2.0]], [[1.0]]), case([[1.0, 2.0]], [[3.0, 4.0]], [[1.0, 1.0]])]
    for rows, cols in [(2, 2), (2, 3), (3, 2), (3, 3)]:
        cases.append(case(_matrix(rng, rows, cols), _matrix(rng, rows, cols), _matrix(rng, rows, cols)))
    return cases


def _mm_cases():
    rng = random.Random(21)
    cases = [case([[2.0]], [[3.0]], [[1.0]]), case([[1.0, 2.0]], [[3.0], [4.0]], [[1.0]])]
    for n, k, m in [(2, 2, 2), (1, 2, 3), (2, 3, 1), (3, 3, 3), (2, 4, 3)]:
        cases.append(case(_matrix(rng, n, k), _matrix(rng, k, m), _matrix(rng, n, m)))
    return cases


def _sum_cases():
    rng = random.Random(22)
    cases = [case([[1.0, 2.0], [3.0, 4.0]], 0, [1.0, 1.0]), case([[1.0, 2.0], [3.0, 4.0]], 1, [1.0, 2.0])]
    for rows, cols in [(2, 3), (3, 2), (3, 3)]:
        for dim in (0, 1):
            cases.append(case(_matrix(rng, rows, cols), dim,
                              _matrix(rng, 1, cols if dim == 0 else rows)[0]))
    return cases


def _expand_cases():
    rng = random.Random(23)
    cases = [case([1.0, 2.0], 0, 2, [[1.0, 1.0], [1.0, 1.0]]),
             case([1.0, 2.0], 1, 2, [[1.0, 2.0], [3.0, 4.0]])]
    for n, copies in [(2, 3), (3, 2), (3, 4)]:
        for dim in (0, 1):
            vector = _matrix(rng, 1, n)[0]
            cases.append(case(vector, dim, copies, _matrix(rng, copies, n) if dim == 0
                              else _matrix(rng, n, copies)))
    return cases


def _chain_cases():
    """(a, b, grad): a is rows x inner, b inner x columns, grad columns x rows (y is turned around)."""
    rng = random.Random(34)
    cases = [case([[1.0]], [[1.0]], [[1.0]]), case([[1.0, 2.0]], [[0.5], [-1.0]], [[1.0]])]
    for rows, inner, columns in [(2, 2, 2), (2, 3, 1), (3, 2, 2), (2, 2, 3)]:
        cases.append(case(_matrix(rng, rows, inner), _matrix(rng, inner, columns),
                          _matrix(rng, columns, rows)))
    return cases


def _activation_cases(seed):
    rng = random.Random(seed)
    cases = [case([[0.0]], [[1.0]]), case([[1.0, -1.0]], [[1.0, 1.0]])]
    cases += [case(_matrix(rng, r, c), _matrix(rng, r, c)) for r, c in [(1, 3), (2, 2), (3, 2)]]
    return cases


def _mm_cross_entropy_cases():
    rng = random.Random(29)
    cases = [case([[1.0, 0.0]], [[1.0, 2.0], [0.0, 1.0]], [0]),
             case([[1.0, 2.0], [0.5, -0.5]], [[0.5, -1.0], [1.0, 0.25]], [1, 0])]
    for rows, inner, classes in [(2, 3, 3), (4, 2, 3), (3, 3, 4)]:
        cases.append(case(_matrix(rng, rows, inner), _matrix(rng, inner, classes),
                          [rng.randrange(classes) for _ in range(rows)]))
    return cases


def _cross_entropy_cases():
    rng = random.Random(24)
    cases = [case([[0.0, 0.0]], [0]), case([[1.0, 2.0], [0.5, -0.5]], [1, 0])]
    for rows, classes in [(2, 3), (4, 3), (3, 4)]:
        cases.append(case(_matrix(rng, rows, classes), [rng.randrange(classes) for _ in range(rows)]))
    return cases


PAIR = "[a.grad, b.grad]"
HOW = "backward: "
EXERCISES = [
    Exercise("add_backward", ["a", "b", "grad"], PAIR, "pair", lambda: _pairs(20), add_backward,
             HOW + "a + b sends the gradient, as it is, to both a and b.", sheet=SHEET),
    Exercise("mul_backward", ["a", "b", "grad"], PAIR, "pair", lambda: _pairs(25), mul_backward,
             HOW + "a * b sends grad * b back to a and grad * a back to b (element by element).",
             sheet=SHEET, misconceptions=[Misconception(
                 "mul backward with its own value",
                 "each side got grad times ITSELF; the gradient of a * b with respect to a is b: "
                 "a gets grad * b, b gets grad * a.", _mul_own_value)]),
    Exercise("mm_backward", ["a", "b", "grad"], PAIR, "pair", _mm_cases, mm_backward,
             HOW + "c = a.mm(b) sends grad.mm(b.transpose()) back to a and "
             "a.transpose().mm(grad) back to b; each has the shape of the tensor it goes to.",
             sheet=SHEET, misconceptions=[
                 Misconception("mm backward transposed",
                               "a got grad.mm(b), without transposing b: it must be "
                               "grad.mm(b.transpose()) (the shape of a).", _mm_transposed((0,))),
                 Misconception("mm backward transposed",
                               "b got grad.transpose().mm(a), b's gradient turned around: it must "
                               "be a.transpose().mm(grad) (the shape of b).", _mm_transposed((1,))),
                 Misconception("mm backward transposed",
                               "both gradients left out their transposes: a gets "
                               "grad.mm(b.transpose()), b gets a.transpose().mm(grad).",
                               _mm_transposed((0, 1)))]),
    Exercise("sum_backward", ["a", "dim", "grad"], "a.grad", "matrix", _sum_cases, sum_backward,
             HOW + "a.sum(dim) sends grad back to every number it added: grad.expand(dim, "
             "a.shape[dim]) (sum(0) added the rows, so every row gets grad).", sheet=SHEET,
             misconceptions=[Misconception(
                 "sum backward along the other dim",
                 "the gradient was copied along the other dimension: sum(dim) goes back as "
                 "grad.expand(dim, a.shape[dim]), the same dim.", _sum_wrong_dim)]),
    Exercise("expand_backward", ["a", "dim", "copies", "grad"], "a.grad", "vector",
             _expand_cases, expand_backward,
             HOW + "a.expand(dim, copies) used each number of a copies times: add their "
             "gradients up, grad.sum(dim).", sheet=SHEET,
             misconceptions=[Misconception(
                 "expand backward summed along the other dim",
                 "the gradient was added up along the other dimension: expand(dim, ...) goes back "
                 "as grad.sum(dim), the same dim.", _expand_wrong_dim)]),
    Exercise("sigmoid_backward", ["a", "grad"], "a.grad", "matrix", lambda: _activation_cases(26),
             sigmoid_backward,
             HOW + "sigmoid sends grad * out * (1 - out) back, out being the sigmoid's output.",
             sheet=SHEET, misconceptions=[Misconception(
                 "the sigmoid slope from the input",
                 "the slope was taken from the sigmoid's input (a * (1 - a)); it must come from "
                 "its output: out * (1 - out), out = a.sigmoid().",
                 _slope_from_input(lambda x: x * (1 - x)))]),
    Exercise("tanh_backward", ["a", "grad"], "a.grad", "matrix", lambda: _activation_cases(27),
             tanh_backward,
             HOW + "tanh sends grad * (1 - out * out) back, out being tanh's output.",
             sheet=SHEET, misconceptions=[
                 Misconception("the tanh slope from the input",
                               "the slope was taken from tanh's input (1 - a * a); it must come "
                               "from its output: 1 - out * out, out = a.tanh().",
                               _slope_from_input(lambda x: 1 - x * x)),
                 Misconception("the tanh slope without the square",
                               "the slope was 1 - out; tanh's slope is 1 - out * out.",
                               _slope_from_input(lambda x: 1 - np.tanh(x)))]),
    Exercise("cross_entropy_backward", ["scores", "targets"], "scores.grad", "matrix",
             _cross_entropy_cases, cross_entropy_backward,
             HOW + "the loss is the MEAN over the rows of -log(softmax(row)[target]), so scores "
             "get (softmax(scores) - target_dist) / rows, target_dist holding one 1 per row.",
             sheet=SHEET, tolerance=1e-9, misconceptions=[Misconception(
                 "the book's cross-entropy gradient, not divided by the rows",
                 "scores got softmax - target_dist, the book's line, which is the gradient of the "
                 "SUM of the losses; the loss here is their mean: divide by the number of rows.",
                 _book_cross_entropy)]),
    Exercise("used_twice_backward", ["a", "b", "grad"], PAIR, "pair", lambda: _pairs(28),
             used_twice_backward,
             HOW + "in a * b + a, a is used twice: its gradient is the SUM of what each use sends "
             "back, grad * b + grad.", sheet=SHEET,
             misconceptions=[
                 Misconception("gradient not accumulated for a tensor used twice",
                               "a kept only what its first use (a * b) sent back; a tensor used "
                               "twice must ADD the gradients of both uses: grad * b + grad.",
                               _not_accumulated("first")),
                 Misconception("gradient not accumulated for a tensor used twice",
                               "a kept only what its last use (+ a) sent back, the first was "
                               "overwritten; a tensor used twice must ADD the gradients of both "
                               "uses: grad * b + grad.", _not_accumulated("last"))]),
    Exercise("reused_backward", ["a", "b", "grad"], PAIR, "pair", lambda: _pairs(32), reused_backward,
             HOW + "in d = a * b; e = d + d, d (not a leaf) is used twice: d must wait for BOTH "
             "gradients and send their sum, 2 * grad, on to a and b, once.", sheet=SHEET,
             misconceptions=[Misconception(
                 "a tensor in the middle sends its running total on every call",
                 "d passed its gradient on each time one arrived, the running total included, so "
                 "a got grad * b + 2 * grad * b; wait until every child has sent its gradient "
                 "(all_children_grads_accounted_for), then send the sum once.", _running_total)]),
    Exercise("diamond_backward", ["a", "b", "grad"], "[a.grad, b.grad, d.grad]", "triple",
             lambda: _pairs(33), diamond_backward,
             HOW + "in d = a * b; d.sigmoid() * d.tanh() + d, three paths leave d and meet again: "
             "d.grad is the SUM of what all three send, and d sends that sum back once.",
             sheet=SHEET),
    Exercise("chain_backward", ["a", "b", "grad"], PAIR, "pair", _chain_cases, chain_backward,
             HOW + "every operation in one graph: y = a.mm(b).sigmoid().transpose().tanh(), then "
             "y.sum(1).expand(1, columns) * y + y; each backward as in its own exercise, and y, used "
             "three times, waits for all three.", sheet=SHEET),
    Exercise("mm_cross_entropy_backward", ["a", "b", "targets"], PAIR, "pair",
             _mm_cross_entropy_cases, mm_cross_entropy_backward,
             HOW + "a.mm(b).cross_entropy(targets): the scores' gradient (softmax - target_dist) / "
             "rows goes back through mm: grad.mm(b.transpose()) to a, a.transpose().mm(grad) to b.",
             sheet=SHEET, tolerance=1e-9),
]
