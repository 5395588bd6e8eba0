"""Every operation of grokking.framework, on every backend, against NumPy and against finite differences.

For each operation hypothesis picks the shapes (1-row and 1-column matrices
included) and the numbers. Two checks:

- the forward numbers and the gradients ``backward`` sends to each input, for a
  random upstream gradient, against the same formulas written in NumPy here
  (the referee), to 1e-12;
- the gradients against slopes measured by nudging every number
  (``check_gradients``, built on ``grokking.gradient_check``).

Then whole models (Linear+Tanh+Sigmoid+MSE, Embedding+CrossEntropy, an RNNCell
over 5 steps, an LSTMCell over 3 steps) are checked by finite differences the
same way, every parameter of them; and random graphs, where hypothesis picks
which tensor each step uses (the same one twice, diamonds, one weight everywhere):
their gradients against measured slopes, and every tensor's ``.grad`` its own.
"""
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from grokking.framework import (CrossEntropyLoss, Embedding, Linear, LSTMCell, MSELoss, RNNCell,
                                Sequential, Sigmoid, Tanh, Tensor, check_gradients)
from grokking.framework.autograd import in_order

TOLERANCE = 1e-12        # backend against the NumPy referee
FD_TOLERANCE = 1e-5      # autograd against measured slopes (eps = 1e-6)


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _sum_back(a, g, dim):
    if a.ndim == 1:
        return np.full(a.shape, g[0])
    return np.ones_like(a) * (g[None, :] if dim == 0 else g[:, None])


@dataclass(frozen=True)
class Op:
    """One operation: how to call it on Tensors, and its forward and backward in NumPy."""
    name: str
    shapes: object          # (rows, columns) -> the shapes of the inputs
    run: object             # (tensors, extra) -> Tensor
    forward: object         # (arrays, extra) -> array
    backward: object        # (arrays, extra, upstream gradient) -> one gradient per input
    away_from_zero: bool = False   # relu: finite differences are wrong at the kink


def _matrix(r, c):
    return [(r, c)]


OPS = [
    Op("add", lambda r, c: [(r, c), (r, c)], lambda t, x: t[0] + t[1],
       lambda a, x: a[0] + a[1], lambda a, x, g: [g, g]),
    Op("sub", lambda r, c: [(r, c), (r, c)], lambda t, x: t[0] - t[1],
       lambda a, x: a[0] - a[1], lambda a, x, g: [g, -g]),
    Op("neg", _matrix, lambda t, x: -t[0], lambda a, x: -a[0], lambda a, x, g: [-g]),
    Op("mul", lambda r, c: [(r, c), (r, c)], lambda t, x: t[0] * t[1],
       lambda a, x: a[0] * a[1], lambda a, x, g: [g * a[1], g * a[0]]),
    Op("add_vectors", lambda r, c: [(c,), (c,)], lambda t, x: t[0] + t[1],
       lambda a, x: a[0] + a[1], lambda a, x, g: [g, g]),
    Op("mul_vectors", lambda r, c: [(c,), (c,)], lambda t, x: t[0] * t[1],
       lambda a, x: a[0] * a[1], lambda a, x, g: [g * a[1], g * a[0]]),
    Op("sum_0", _matrix, lambda t, x: t[0].sum(0), lambda a, x: a[0].sum(0),
       lambda a, x, g: [_sum_back(a[0], g, 0)]),
    Op("sum_1", _matrix, lambda t, x: t[0].sum(1), lambda a, x: a[0].sum(1),
       lambda a, x, g: [_sum_back(a[0], g, 1)]),
    Op("sum_0_vector", lambda r, c: [(c,)], lambda t, x: t[0].sum(0),
       lambda a, x: np.array([a[0].sum()]), lambda a, x, g: [_sum_back(a[0], g, 0)]),
    Op("expand_0", lambda r, c: [(c,)], lambda t, x: t[0].expand(0, x["copies"]),
       lambda a, x: np.tile(a[0], (x["copies"], 1)), lambda a, x, g: [g.sum(0)]),
    Op("expand_1", lambda r, c: [(c,)], lambda t, x: t[0].expand(1, x["copies"]),
       lambda a, x: np.tile(a[0][:, None], (1, x["copies"])), lambda a, x, g: [g.sum(1)]),
    Op("transpose", _matrix, lambda t, x: t[0].transpose(), lambda a, x: a[0].T,
       lambda a, x, g: [g.T]),
    Op("mm", lambda r, c: [(r, c), (c, r + 1)], lambda t, x: t[0].mm(t[1]),
       lambda a, x: a[0] @ a[1], lambda a, x, g: [g @ a[1].T, a[0].T @ g]),
    Op("sigmoid", _matrix, lambda t, x: t[0].sigmoid(), lambda a, x: _sigmoid(a[0]),
       lambda a, x, g: [g * _sigmoid(a[0]) * (1 - _sigmoid(a[0]))]),
    Op("tanh", _matrix, lambda t, x: t[0].tanh(), lambda a, x: np.tanh(a[0]),
       lambda a, x, g: [g * (1 - np.tanh(a[0]) ** 2)]),
    Op("relu", _matrix, lambda t, x: t[0].relu(), lambda a, x: np.maximum(a[0], 0),
       lambda a, x, g: [g * (a[0] > 0)], away_from_zero=True),
    Op("neg_vector", lambda r, c: [(c,)], lambda t, x: -t[0], lambda a, x: -a[0],
       lambda a, x, g: [-g]),
    Op("sigmoid_vector", lambda r, c: [(c,)], lambda t, x: t[0].sigmoid(),
       lambda a, x: _sigmoid(a[0]), lambda a, x, g: [g * _sigmoid(a[0]) * (1 - _sigmoid(a[0]))]),
    Op("tanh_vector", lambda r, c: [(c,)], lambda t, x: t[0].tanh(), lambda a, x: np.tanh(a[0]),
       lambda a, x, g: [g * (1 - np.tanh(a[0]) ** 2)]),
    Op("relu_vector", lambda r, c: [(c,)], lambda t, x: t[0].relu(),
       lambda a, x: np.maximum(a[0], 0), lambda a, x, g: [g * (a[0] > 0)], away_from_zero=True),
    Op("index_select_vector", lambda r, c: [(r,)], lambda t, x: t[0].index_select(x["rows"]),
       lambda a, x: a[0][x["rows"]], lambda a, x, g: [_add_at(a[0], x["rows"], g)]),
    Op("index_select", _matrix, lambda t, x: t[0].index_select(x["rows"]),
       lambda a, x: a[0][x["rows"]], lambda a, x, g: [_add_at(a[0], x["rows"], g)]),
    Op("cross_entropy", _matrix, lambda t, x: t[0].cross_entropy(x["targets"]),
       lambda a, x: np.array([-np.log(_softmax(a[0])[np.arange(len(a[0])), x["targets"]]).mean()]),
       lambda a, x, g: [(_softmax(a[0]) - np.eye(a[0].shape[1])[x["targets"]]) * g[0] / len(a[0])]),
]


def _add_at(a, rows, g):
    out = np.zeros_like(a)
    np.add.at(out, rows, g)
    return out


SHAPES = {  # how many rows and columns the matrices get
    "any": (st.integers(1, 4), st.integers(1, 4)),
    "1-row": (st.just(1), st.integers(1, 4)),
    "1-column": (st.integers(1, 4), st.just(1)),
}


@st.composite
def cases(draw, op, shape="any"):
    """(arrays, extra, upstream gradient) for ``op``, shapes from 1x1 to 4x4."""
    rows, columns = draw(SHAPES[shape][0]), draw(SHAPES[shape][1])
    number = st.floats(-3, 3, allow_nan=False, allow_infinity=False)
    if op.away_from_zero:
        number = number.filter(lambda v: abs(v) > 1e-3)
    arrays = [np.array(draw(st.lists(number, min_size=int(np.prod(s)), max_size=int(np.prod(s)))),
                       dtype=np.float64).reshape(s) for s in op.shapes(rows, columns)]
    extra = {"copies": draw(st.integers(1, 4)),
             "rows": draw(st.lists(st.integers(0, rows - 1), min_size=1, max_size=5)),
             "targets": draw(st.lists(st.integers(0, columns - 1), min_size=rows, max_size=rows))}
    out_shape = op.forward(arrays, extra).shape
    upstream = np.array(draw(st.lists(number, min_size=int(np.prod(out_shape)),
                                      max_size=int(np.prod(out_shape))))).reshape(out_shape)
    return arrays, extra, upstream


def _tensors(arrays, backend_name):
    # lists on purpose: the tensor puts them in its backend's form
    return [Tensor(a.tolist(), autograd=True, backend=backend_name) for a in arrays]


def _scalar(t):
    return t.sum(1).sum(0) if len(t.shape) == 2 else t.sum(0)


# every operation with every kind of shape (a vector-only operation gets no "1-row" case: it
# has one number per column, and "1-column" already gives it a 1-number vector)
OP_SHAPES = [pytest.param(op, shape, id=f"{op.name}-{shape}") for op in OPS for shape in SHAPES
             if not (shape == "1-row" and all(len(s) == 1 for s in op.shapes(2, 3)))]


@pytest.mark.parametrize("op, shape", OP_SHAPES)
def test_each_operation_against_numpy(op, backend_name, shape):
    """Forward numbers and backward gradients of each operation, against the NumPy referee."""
    @settings(max_examples=10 if shape == "any" else 4, deadline=None)
    @given(cases(op, shape))
    def check(case):
        arrays, extra, upstream = case
        tensors = _tensors(arrays, backend_name)
        out = op.run(tensors, extra)
        np.testing.assert_allclose(np.array(out.tolist()), op.forward(arrays, extra),
                                   rtol=TOLERANCE, atol=TOLERANCE)
        out.backward(Tensor(upstream.tolist(), backend=backend_name))
        for tensor, expected in zip(tensors, op.backward(arrays, extra, upstream)):
            np.testing.assert_allclose(np.array(tensor.grad.tolist()), expected,
                                       rtol=TOLERANCE, atol=TOLERANCE)
    check()


@pytest.mark.parametrize("op, shape", OP_SHAPES)
def test_each_operation_by_finite_differences(op, backend_name, shape):
    """Each operation's gradient against slopes measured by nudging every number."""
    @settings(max_examples=(6 if backend_name == "pure" else 8) if shape == "any" else 3,
              deadline=None)
    @given(cases(op, shape))
    def check(case):
        arrays, extra, upstream = case
        tensors = _tensors(arrays, backend_name)
        weights = Tensor(upstream.tolist(), backend=backend_name)  # makes the loss one number
        # eps = 1e-4: a loss up to ~2,000 then carries ~2e-9 of rounding noise in each slope
        # (under floor * FD_TOLERANCE = 1e-8), while the error of central differences stays
        # ~1e-8 relative (none at all for add, mul, mm: they are at most quadratic)
        if op.name == "cross_entropy":
            checks = check_gradients(lambda: op.run(tensors, extra), tensors, eps=1e-4, floor=1e-3)
        else:
            checks = check_gradients(lambda: _scalar(op.run(tensors, extra) * weights), tensors,
                                     eps=1e-4, floor=1e-3)
        for check_ in checks:
            assert check_.max_relative_difference < FD_TOLERANCE, check_
    check()


# -- whole models ---------------------------------------------------------------------------

def _models(backend_name):
    """(name, parameters, loss_of) for each model, built on ``backend_name``."""
    rng = np.random.RandomState(3)
    be = backend_name

    data = Tensor(rng.rand(4, 2), backend=be)
    target = Tensor(rng.rand(4, 1), backend=be)
    mlp = Sequential([Linear(2, 3, rng=rng, backend=be), Tanh(), Linear(3, 1, rng=rng, backend=be),
                      Sigmoid()])
    yield "Linear+Tanh+Sigmoid+MSE", mlp.get_parameters(), \
        lambda: MSELoss().forward(mlp.forward(data), target)

    words, classes = [1, 2, 1, 0], [0, 1, 0, 3]
    embedded = Sequential([Embedding(3, 3, rng=rng, backend=be), Tanh(),
                           Linear(3, 4, rng=rng, backend=be)])
    yield "Embedding+CrossEntropy", embedded.get_parameters(), \
        lambda: CrossEntropyLoss().forward(embedded.forward(words), classes)

    story = rng.randint(0, 6, size=(3, 6))       # 3 sentences of 6 words, 6 words known
    embed = Embedding(6, 4, rng=rng, backend=be)
    cell = RNNCell(4, 5, 6, rng=rng, backend=be)

    def rnn_loss():
        hidden = cell.init_hidden(batch_size=3)
        for t in range(5):
            output, hidden = cell.forward(embed.forward(story[:, t].tolist()), hidden)
        return CrossEntropyLoss().forward(output, story[:, 5].tolist())
    yield "RNNCell over 5 steps", cell.get_parameters() + embed.get_parameters(), rnn_loss

    lstm_embed = Embedding(6, 3, rng=rng, backend=be)
    lstm = LSTMCell(3, 4, 6, rng=rng, backend=be)

    def lstm_loss():
        hidden = lstm.init_hidden(batch_size=3)
        total = None
        for t in range(3):
            output, hidden = lstm.forward(lstm_embed.forward(story[:, t].tolist()), hidden)
            loss = CrossEntropyLoss().forward(output, story[:, t + 1].tolist())
            total = loss if total is None else total + loss
        return total
    yield "LSTMCell over 3 steps", lstm.get_parameters() + lstm_embed.get_parameters(), lstm_loss


@pytest.mark.parametrize("model", range(4), ids=["mlp", "embedding", "rnn", "lstm"])
def test_whole_models_by_finite_differences(model, backend_name):
    """Every parameter of each model: autograd's gradient against measured slopes."""
    name, parameters, loss_of = list(_models(backend_name))[model]
    # floor: the loss (about 5) measured with eps = 1e-6 carries ~5e-10 of rounding noise in
    # every slope, so slopes under 1e-4 are compared as absolute numbers (to 1e-9)
    checks = check_gradients(loss_of, parameters, floor=1e-4)
    assert len(checks) == len(parameters)
    worst = max(c.max_relative_difference for c in checks)
    assert worst < FD_TOLERANCE, (name, worst)
    assert all(parameter.grad is not None for parameter in parameters)


# -- any graph ----------------------------------------------------------------------------------

STEPS = {  # how a random graph grows: each step takes two tensors from the pool (maybe the same one)
    "add": lambda x, y, w: (x + y).tanh(),
    "sub": lambda x, y, w: (x - y).sigmoid(),
    "mul": lambda x, y, w: (x * y).tanh(),
    "neg": lambda x, y, w: -x,
    "mm": lambda x, y, w: x.mm(w).tanh(),
    "transpose twice": lambda x, y, w: x.transpose().transpose().sigmoid() + y,
    "sum and expand": lambda x, y, w: x.sum(0).expand(0, x.shape[0]) * y,
}


@st.composite
def graphs(draw):
    """Leaves (2 matrices and a square weight) and up to 8 steps, each on tensors already made."""
    rows, columns = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    number = st.floats(-1, 1, allow_nan=False).filter(lambda v: abs(v) > 1e-3)
    leaves = [np.array(draw(st.lists(number, min_size=n * m, max_size=n * m))).reshape(n, m)
              for n, m in ((rows, columns), (rows, columns), (columns, columns))]
    steps = []
    for made in range(draw(st.integers(1, 8))):
        pool = 2 + made  # the two leaves and what the steps made so far
        steps.append((draw(st.sampled_from(sorted(STEPS))), draw(st.integers(0, pool - 1)),
                      draw(st.integers(0, pool - 1))))
    return leaves, steps


@settings(max_examples=15, deadline=None)
@given(graphs())
def test_any_graph_by_finite_differences(backend_name, graph):
    """Random graphs: tensors used twice (a + a), diamonds, a weight used at many steps."""
    arrays, steps = graph
    leaves = _tensors(arrays, backend_name)

    def loss_of():
        pool = leaves[:2]
        for name, i, j in steps:
            pool.append(STEPS[name](pool[i], pool[j], leaves[2]))
        total = pool[-1]
        for tensor in pool[2:-1]:  # every step counts, so every path carries a gradient
            total = total + tensor
        return total.sum(1).sum(0)

    for check in check_gradients(loss_of, leaves, eps=1e-5, floor=1e-3):
        assert check.max_relative_difference < FD_TOLERANCE, (steps, check)


def _bump_first_number(data):
    """Add 1 to the first number of ``data``, in place (a list of rows, a list, or an array)."""
    if isinstance(data, np.ndarray):
        data.flat[0] += 1.0
    elif isinstance(data[0], list):
        data[0][0] += 1.0
    else:
        data[0] += 1.0


@settings(max_examples=15, deadline=None)
@given(graphs())
def test_any_graph_gives_every_tensor_a_gradient_of_its_own(backend_name, graph):
    """After backward, editing one tensor's ``.grad.data`` in place changes no other ``.grad``
    ("add" and "sub" pass their gradient on as it is: each creator must get a copy)."""
    arrays, steps = graph
    leaves = _tensors(arrays, backend_name)
    pool = leaves[:2]
    for name, i, j in steps:
        pool.append(STEPS[name](pool[i], pool[j], leaves[2]))
    loss = pool[-1] + pool[-1]
    for tensor in pool[2:-1]:
        loss = loss + tensor
    loss = loss.sum(1).sum(0)
    loss.backward()
    tensors = [t for t in in_order(loss) if t.grad is not None]
    for edited in tensors:
        before = [t.grad.tolist() for t in tensors]
        _bump_first_number(edited.grad.data)
        for tensor, numbers in zip(tensors, before):
            if tensor is not edited:
                assert tensor.grad.tolist() == numbers, (steps, tensor.creation_op)
