"""grokking.framework: the tensor, autograd on any graph, clear errors, the book's numbers.

Every test runs on every backend. Numbers are compared with NumPy written here
(the referee) or with what the book prints, never a backend with itself.
(Each operation's gradient, by hypothesis and finite differences, is in
test_framework_gradients.py.)
"""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from marks import needs_compiled

import grokking
import grokking.kernels
from grokking.framework import (SGD, CrossEntropyLoss, Embedding, Layer, Linear, LSTMCell, MSELoss,
                                Relu, RNNCell, Sequential, Sigmoid, Tanh, Tensor, book_ids,
                                check_gradients)

STEP_TOLERANCE = 1e-12


def _array(tensor):
    return np.array(tensor.tolist())


# -- the tensor -------------------------------------------------------------------------------

def test_data_is_in_the_backends_form_and_copied(backend_name):
    numbers = [[1, 2], [3, 4]]
    t = Tensor(numbers, backend=backend_name)
    numbers[0][0] = 99
    assert t.shape == (2, 2) and t.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    if backend_name == "pure":
        assert type(t.data) is list and type(t.data[0][0]) is float
    else:
        assert isinstance(t.data, np.ndarray) and t.data.dtype == np.float64
    assert t.k is grokking.backend(backend_name)
    v = Tensor(np.arange(3), backend=backend_name)
    assert v.shape == (3,) and v.tolist() == [0.0, 1.0, 2.0]
    assert str(Tensor([0.58128304], backend=backend_name)) == "[0.58128304]"  # as the book prints


def test_default_backend_follows_grokking_backend(backend_name, monkeypatch):
    monkeypatch.setenv("GROKKING_BACKEND", backend_name)
    assert Tensor([1.0]).k.name == backend_name
    assert Linear(2, 1).weight.k.name == backend_name


def test_results_remember_creators_and_creation_op(backend_name):
    a = Tensor([[1.0, 2.0]], autograd=True, backend=backend_name)
    b = Tensor([[3.0], [4.0]], autograd=True, backend=backend_name)
    c = a.mm(b)
    assert c.creators == (a, b) and c.creation_op == "mm" and c.autograd
    assert c.tolist() == [[11.0]]
    plain = Tensor([[1.0, 2.0]], backend=backend_name).mm(Tensor([[3.0], [4.0]], backend=backend_name))
    assert plain.creators is None and plain.creation_op is None and not plain.autograd
    names = {"add": a + a, "sub": a - a, "neg": -a, "mul": a * a, "sum_0": a.sum(0),
             "sum_1": a.sum(1), "expand_0": a.sum(0).expand(0, 2), "expand_1": a.sum(0).expand(1, 2),
             "transpose": a.transpose(), "sigmoid": a.sigmoid(), "tanh": a.tanh(), "relu": a.relu(),
             "index_select": a.index_select([0, 0]), "softmax": a.softmax(),
             "cross_entropy": a.cross_entropy([1])}
    for name, tensor in names.items():
        assert tensor.creation_op == name


class CountingKernels:
    """A backend's kernels, each call written down (to see which kernels an operation uses)."""

    def __init__(self, k):
        self.name, self.calls = k.name, []
        for kernel in grokking.kernels.KERNELS:
            setattr(self, kernel, self._counted(getattr(k, kernel), kernel))

    def _counted(self, function, kernel):
        def counted(*args):
            self.calls.append(kernel)
            return function(*args)
        return counted


# operation -> (the kernels of its forward pass, the kernels of its backward pass)
KERNELS_USED = {
    "a + b": ({"vec_add"}, set()),
    "a - b": ({"vec_sub"}, {"ele_mul"}),
    "-a": ({"ele_mul"}, {"ele_mul"}),
    "a * b": ({"vec_mul"}, {"vec_mul"}),
    "a.sum(0)": ({"vect_mat_mul", "transpose"}, {"outer_prod"}),
    "a.sum(1)": ({"vect_mat_mul"}, {"outer_prod"}),
    "v.sum(0)": ({"w_sum"}, {"ele_mul"}),
    "v.expand(0, 3)": ({"outer_prod"}, {"vect_mat_mul", "transpose"}),
    "v.expand(1, 3)": ({"outer_prod"}, {"vect_mat_mul"}),
    "a.transpose()": ({"transpose"}, {"transpose"}),
    "a.mm(b.transpose())": ({"mat_mul", "transpose"}, {"mat_mul", "transpose"}),
    "a.sigmoid()": ({"sigmoid"}, {"vec_mul", "sigmoid2deriv"}),
    "a.tanh()": ({"tanh"}, {"vec_mul", "tanh2deriv"}),
    "a.relu()": ({"relu"}, {"vec_mul", "relu2deriv"}),
    # no kernel picks rows or takes a logarithm: rows.py does, in Python or NumPy
    "a.index_select([1, 1, 0])": (set(), set()),
    "a.cross_entropy([0, 1])": (set(), {"ele_mul", "vec_sub"}),
}


@pytest.mark.parametrize("expression", KERNELS_USED)
def test_every_operation_is_done_by_the_kernels(backend_name, expression):
    k = CountingKernels(grokking.backend(backend_name))
    a = Tensor([[1.0, -2.0], [3.0, 0.5]], autograd=True, backend=k)
    b = Tensor([[0.5, 1.0], [-1.0, 2.0]], autograd=True, backend=k)
    v = Tensor([1.0, -2.0], autograd=True, backend=k)
    result = eval(expression)
    forward, k.calls = set(k.calls), []
    result.backward()
    backward = set(k.calls) - {"vec_add"}  # vec_add: adding up shares, and the leaves' .grad
    assert (forward, backward) == KERNELS_USED[expression]


def test_book_sum_and_expand_examples(backend_name):
    x = Tensor([[1, 2, 3], [4, 5, 6]], backend=backend_name)
    assert x.sum(0).tolist() == [5.0, 7.0, 9.0]
    assert x.sum(1).tolist() == [6.0, 15.0]
    v = Tensor([1, 2, 3], backend=backend_name)
    assert v.expand(0, 2).tolist() == [[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]]
    assert v.expand(1, 2).tolist() == [[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]]
    assert v.sum(0).tolist() == [6.0]


def test_cross_entropy_of_large_scores_stays_finite(backend_name):
    scores = Tensor([[1000.0, 0.0], [0.0, -1000.0]], autograd=True, backend=backend_name)
    loss = scores.cross_entropy([1, 1])          # -log(softmax) of each target: 1000 and 1000
    assert math.isclose(loss.tolist()[0], 1000.0, rel_tol=1e-15)
    loss.backward()
    np.testing.assert_allclose(_array(scores.grad), [[0.5, -0.5], [0.5, -0.5]], rtol=1e-15)


def test_softmax_rows_against_numpy_and_no_backward(backend_name):
    scores = np.array([[1.0, 2.0, 3.0], [-1.0, 0.0, 800.0]])
    t = Tensor(scores, autograd=True, backend=backend_name)
    s = t.softmax()
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    np.testing.assert_allclose(_array(s), e / e.sum(axis=1, keepdims=True), rtol=1e-12, atol=1e-15)
    with pytest.raises(ValueError, match="softmax"):
        s.sum(0).backward()


# -- autograd on any graph -------------------------------------------------------------------

def test_book_part_2_to_5(backend_name):
    def tensor(numbers):
        return Tensor(numbers, autograd=True, backend=backend_name)
    a, b, c, d = (tensor([1, 2, 3, 4, 5]), tensor([2, 2, 2, 2, 2]), tensor([5, 4, 3, 2, 1]),
                  tensor([-1, -2, -3, -4, -5]))
    ((a + b) + (c + d)).backward(Tensor([1, 1, 1, 1, 1], backend=backend_name))
    assert a.grad.tolist() == [1.0] * 5
    a, b, c = tensor([1, 2, 3, 4, 5]), tensor([2, 2, 2, 2, 2]), tensor([5, 4, 3, 2, 1])
    ((a + b) + (b + c)).backward()                 # the book's first version gets b.grad wrong
    assert b.grad.tolist() == [2.0] * 5
    a, b, c = tensor([1, 2, 3, 4, 5]), tensor([2, 2, 2, 2, 2]), tensor([5, 4, 3, 2, 1])
    ((a + (-b)) + ((-b) + c)).backward()
    assert b.grad.tolist() == [-2.0] * 5


def test_a_tensor_used_twice_and_diamonds(backend_name):
    a = Tensor([1.0, -2.0, 3.0], autograd=True, backend=backend_name)
    (a + a).backward()
    assert a.grad.tolist() == [2.0, 2.0, 2.0]
    a.zero_grad()
    (a * a).backward()                              # d(a^2)/da = 2a
    assert a.grad.tolist() == [2.0, -4.0, 6.0]
    x = Tensor([0.5, -1.5], autograd=True, backend=backend_name)
    top = x.tanh()
    left, right = top * top, top.sigmoid()
    (left + right - top).sum(0).backward()         # a diamond: x -> top -> (left, right, top)
    t = np.tanh([0.5, -1.5])
    s = 1 / (1 + np.exp(-t))
    np.testing.assert_allclose(_array(x.grad), (2 * t + s * (1 - s) - 1) * (1 - t * t),
                               rtol=1e-12, atol=1e-15)


def test_a_weight_shared_across_steps_gets_every_steps_gradient(backend_name):
    rng = np.random.RandomState(5)
    w0, h0, xs = rng.randn(3, 3) * 0.5, rng.randn(2, 3), [rng.randn(2, 3) for _ in range(4)]
    w = Tensor(w0, autograd=True, backend=backend_name)
    h = Tensor(h0, autograd=True, backend=backend_name)
    for x in xs:
        h = (h.mm(w) + Tensor(x, backend=backend_name)).tanh()
    h.sum(1).sum(0).backward()
    # NumPy: the same four steps forward, then back through them by hand
    hs = [h0]
    for x in xs:
        hs.append(np.tanh(hs[-1] @ w0 + x))
    grad_h, grad_w = np.ones((2, 3)), np.zeros((3, 3))
    for step in range(4, 0, -1):
        delta = grad_h * (1 - hs[step] ** 2)
        grad_w += hs[step - 1].T @ delta
        grad_h = delta @ w0.T
    np.testing.assert_allclose(_array(w.grad), grad_w, rtol=1e-12, atol=1e-12)


def test_a_graph_10000_operations_deep_has_no_recursion_error(backend_name):
    x = Tensor([1.0, 2.0], autograd=True, backend=backend_name)
    y = x
    for _ in range(10_000):
        y = y + x
    y.backward()
    assert x.grad.tolist() == [10_001.0, 10_001.0]
    z = Tensor([[0.1]], autograd=True, backend=backend_name)
    chain = z
    for _ in range(10_000):
        chain = chain.tanh()
    chain.backward()                               # deep through a nonlinearity too
    assert 0 < chain.tolist()[0][0] < 0.1 and 0 < z.grad.tolist()[0][0] < 1


def test_backward_twice_accumulates_until_zeroed(backend_name):
    w = Tensor([[2.0, -1.0]], autograd=True, backend=backend_name)
    loss = (w * w).sum(1)
    loss.backward()
    loss.backward()                                # documented: leaves add up the gradients
    assert w.grad.tolist() == [[8.0, -4.0]]
    w.zero_grad()
    assert w.grad is None
    loss.backward(Tensor([0.5], backend=backend_name))
    assert w.grad.tolist() == [[2.0, -1.0]]


def _two_layer(backend_name):
    """A 2-layer network's weights, its input and its target (the book's part 7 shapes)."""
    rng = np.random.RandomState(3)
    w = [Tensor(rng.rand(2, 3), autograd=True, backend=backend_name),
         Tensor(rng.rand(3, 1), autograd=True, backend=backend_name)]
    data = Tensor([[0, 0], [0, 1], [1, 0], [1, 1]], autograd=True, backend=backend_name)
    target = Tensor([[0], [1], [0], [1]], autograd=True, backend=backend_name)
    return w, data, target


def _squared_error(w, data, target):
    pred = data.mm(w[0]).mm(w[1])
    return ((pred - target) * (pred - target)).sum(0)


def _numpy_gradients(w, data, target):
    """The referee: d(sum((data.w0.w1 - target)^2))/dw0 and /dw1, written in NumPy."""
    x, w0, w1, y = (np.array(t.tolist()) for t in (data, *w, target))
    hidden = x @ w0
    delta = 2 * (hidden @ w1 - y)
    return [x.T @ (delta @ w1.T), hidden.T @ delta]


@pytest.mark.parametrize("zero", [True, False])
def test_backward_after_sgd_step_is_refused_and_touches_nothing(backend_name, zero):
    """SGD.step changes the weights a graph was made from: backward through that old graph would
    mix old numbers with new weights, so it raises (as PyTorch's version counter does)."""
    w, data, target = _two_layer(backend_name)
    loss = _squared_error(w, data, target)
    loss.backward()
    SGD(w, alpha=0.1).step(zero=zero)
    grads = [None if p.grad is None else p.grad.tolist() for p in w]
    _error(RuntimeError, loss.backward, "backward", "out of date", "SGD.step", "(2, 3)",
           "forward pass again")
    assert [None if p.grad is None else p.grad.tolist() for p in w] == grads  # nothing was sent
    pred = data.mm(w[0]).mm(w[1])                  # half the graph made before the next step ...
    _squared_error(w, data, target).backward()
    SGD(w, alpha=0.1).step()
    late = ((pred - target) * (pred - target)).sum(0)   # ... half after it: still out of date
    _error(RuntimeError, late.backward, "out of date")
    for p in w:
        p.zero_grad()
    fresh = _squared_error(w, data, target)       # the forward pass again: the right gradients
    fresh.backward()
    for p, expected in zip(w, _numpy_gradients(w, data, target)):
        assert np.allclose(_array(p.grad), expected, rtol=0, atol=STEP_TOLERANCE)


def test_no_two_tensors_share_a_gradient(backend_name):
    """``add`` and ``sub`` pass their gradient on unchanged: each tensor still gets its own copy."""
    a = Tensor([[1.0, 2.0]], autograd=True, backend=backend_name)
    b = Tensor([[3.0, 4.0]], autograd=True, backend=backend_name)
    p, q = a * b, a.tanh()
    r = p + q
    (r - p).sum(1).backward()
    tensors = [a, b, p, q, r]
    for edited in tensors:
        before = [t.grad.tolist() for t in tensors]
        if isinstance(edited.grad.data, np.ndarray):
            edited.grad.data[0, 0] += 10.0
        else:
            edited.grad.data[0][0] += 10.0
        assert [t.grad.tolist() for t in tensors if t is not edited] == \
            [g for t, g in zip(tensors, before) if t is not edited]


def test_a_hand_made_tensor_needs_its_operations_creators(backend_name):
    """The book makes tensors by hand with creators and creation_op: a wrong count is refused when
    the tensor is made (not at backward), and so is an operation that keeps more than creators."""
    be = backend_name
    a = Tensor([1.0, 2.0], autograd=True, backend=be)
    b = Tensor([3.0, 4.0], autograd=True, backend=be)
    _error(ValueError, lambda: Tensor([4.0, 6.0], autograd=True, creators=[a], creation_op="add",
                                      backend=be), "Tensor", "'add'", "2 tensors", "creators has 1")
    _error(ValueError, lambda: Tensor([4.0, 6.0], creators=[a, b, a], creation_op="mm", backend=be),
           "'mm'", "2 tensors", "creators has 3")
    _error(ValueError, lambda: Tensor([4.0, 6.0], creators=[a, b], creation_op="sigmoid", backend=be),
           "'sigmoid'", "1 tensor", "creators has 2")
    _error(ValueError, lambda: Tensor([4.0], creators=[], creation_op="neg", backend=be),
           "'neg'", "1 tensor", "creators has 0")
    _error(ValueError, lambda: Tensor([1.0], creators=[a], creation_op="index_select", backend=be),
           "'index_select'", "the indices", "tensor.index_select(")
    _error(ValueError, lambda: Tensor([1.0], creators=[a], creation_op="cross_entropy", backend=be),
           "'cross_entropy'", "tensor.cross_entropy(")
    c = Tensor([4.0, 6.0], autograd=True, creators=[a, b], creation_op="add", backend=be)  # the book's way
    c.backward()
    assert a.grad.tolist() == b.grad.tolist() == [1.0, 1.0]


def test_building_and_training_draw_nothing_from_numpy_random(backend_name):
    np.random.seed(7)
    model = Sequential([Linear(2, 3), Tanh(), Linear(3, 1)])
    state = np.random.get_state()[1].copy(), np.random.get_state()[2]
    data = Tensor([[0, 1], [1, 0]], autograd=True, backend=model.layers[0].weight.k)
    loss = MSELoss().forward(model.forward(data), Tensor([[1], [0]], backend=data.k))
    loss.backward()
    SGD(model.get_parameters()).step()
    after = np.random.get_state()
    assert (after[1] == state[0]).all() and after[2] == state[1]
    assert not hasattr(loss, "id") and not hasattr(data, "children")


def test_gradients_do_not_flow_into_tensors_without_autograd(backend_name):
    w = Tensor([[1.0], [2.0]], autograd=True, backend=backend_name)
    x = Tensor([[3.0, 4.0]], backend=backend_name)
    x.mm(w).backward()
    assert x.grad is None and w.grad.tolist() == [[3.0], [4.0]]


# -- clear errors, on every backend ------------------------------------------------------------

def _error(kind, action, *words):
    with pytest.raises(kind) as caught:
        action()
    for word in words:
        assert word in str(caught.value), (word, str(caught.value))


def test_errors_name_the_operation_and_both_shapes(backend_name):
    be = backend_name
    a = Tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], autograd=True, backend=be)
    b = Tensor([[1.0, 2.0, 3.0]], autograd=True, backend=be)
    v = Tensor([1.0, 2.0], backend=be)
    _error(ValueError, lambda: a.mm(b), "mm", "(3, 2)", "(1, 3)")
    _error(ValueError, lambda: a.mm(v), "mm", "(3, 2)", "(2,)")
    _error(ValueError, lambda: a + b, "add", "(3, 2)", "(1, 3)")
    _error(ValueError, lambda: a - v, "sub", "(3, 2)", "(2,)")
    _error(ValueError, lambda: a * b, "mul", "(3, 2)", "(1, 3)")
    _error(IndexError, lambda: a.index_select([0, 3]), "index_select", "3", "(3, 2)", "0 to 2")
    _error(IndexError, lambda: a.index_select([-1]), "index_select", "-1", "(3, 2)")
    _error(TypeError, lambda: a.index_select([0.5]), "index_select", "whole number")
    # indices in a Tensor (lists on pure, an array on cython and numpy) or a NumPy array
    _error(IndexError, lambda: a.index_select(Tensor([2, 3], backend=be)), "indices[1] is 3",
           "(3, 2)", "0 to 2")
    _error(IndexError, lambda: a.index_select(np.array([0, -2])), "indices[1] is -2", "(3, 2)")
    _error(TypeError, lambda: a.index_select(Tensor([1, 0.5], backend=be)), "indices[1]",
           "whole number")
    _error(TypeError, lambda: a.index_select(np.array([np.nan])), "indices[0]", "whole number")
    _error(ValueError, lambda: a.index_select(np.array([[0, 1]])), "index_select", "1-D")
    _error(ValueError, lambda: a.index_select(np.array([], dtype=int)), "index_select", "empty")
    _error(IndexError, lambda: a.cross_entropy(Tensor([0, 1, 2], backend=be)),
           "target_indices[2] is 2", "0 to 1")
    assert a.index_select(np.array([2, 0, 2])).tolist() == [[5.0, 6.0], [1.0, 2.0], [5.0, 6.0]]
    _error(ValueError, lambda: v.backward(), "backward", "autograd", "(2,)")
    _error(ValueError, lambda: a.backward(Tensor([1.0], backend=be)), "backward", "(3, 2)", "(1,)")
    _error(ValueError, lambda: a.sum(2), "sum", "(3, 2)")
    _error(ValueError, lambda: v.sum(1), "sum", "(2,)")
    _error(ValueError, lambda: a.expand(0, 2), "expand", "(3, 2)", "3-D")
    _error(ValueError, lambda: v.expand(0, 0), "expand", "copies")
    _error(ValueError, lambda: v.transpose(), "transpose", "(2,)")
    _error(ValueError, lambda: a.cross_entropy([0, 1]), "cross_entropy", "(3, 2)", "2 target")
    _error(IndexError, lambda: a.cross_entropy([0, 1, 2]), "cross_entropy", "2", "0 to 1")
    _error(TypeError, lambda: a + 1.0, "add", "Tensor")
    _error(TypeError, lambda: Tensor(["one"], backend=be), "Tensor", "number", "'one'")
    _error(TypeError, lambda: Tensor([[1.0], ["x"]], backend=be), "Tensor", "number")
    _error(TypeError, lambda: Tensor(None, backend=be), "Tensor", "None")
    _error(TypeError, lambda: Tensor(np.zeros((2, 2, 2)), backend=be), "Tensor", "3-D")
    _error(ValueError, lambda: Tensor([[1.0, 2.0], [3.0]], backend=be), "Tensor", "2", "1")
    _error(ValueError, lambda: Tensor([], backend=be), "Tensor", "no numbers")
    _error(TypeError, lambda: Tensor(a, backend=be), "Tensor", "tensor.data")
    _error(ValueError, lambda: Tensor([1.0], backend="fortran"), "pure", "numpy")
    _error(TypeError, lambda: Tensor([1.0], backend=np), "Tensor: backend", "kernels module")
    _error(ValueError, lambda: a.index_select([[0, 1], [1, 2]]), "index_select", "1-D", "3-D")
    _error(ValueError, lambda: Tensor([1.0], creators=[v], creation_op="magic", backend=be),
           "creation_op", "'magic'")


@settings(max_examples=20, deadline=None)
@given(st.tuples(*[st.integers(1, 5)] * 4))
def test_shape_errors_name_both_shapes_for_any_shapes(backend_name, sizes):
    r1, c1, r2, c2 = sizes
    a = Tensor(np.ones((r1, c1)), autograd=True, backend=backend_name)
    b = Tensor(np.ones((r2, c2)), autograd=True, backend=backend_name)
    if c1 != r2:
        _error(ValueError, lambda: a.mm(b), "mm", str((r1, c1)), str((r2, c2)))
    else:
        assert a.mm(b).shape == (r1, c2)
    if (r1, c1) != (r2, c2):
        for action, name in ((lambda: a + b, "add"), (lambda: a - b, "sub"), (lambda: a * b, "mul")):
            _error(ValueError, action, name, str((r1, c1)), str((r2, c2)))


@pytest.mark.parametrize("first, second", [
    pytest.param(first, second, marks=[needs_compiled] if "cython" in (first, second) else [],
                 id=f"{first}-{second}")
    for first in grokking.BACKENDS for second in grokking.BACKENDS if first != second])
def test_mixing_backends_is_a_clear_error(first, second):
    a = Tensor([[1.0]], autograd=True, backend=first)
    b = Tensor([[1.0]], autograd=True, backend=second)
    for action in (lambda: a + b, lambda: a.mm(b), lambda: a * b, lambda: a - b):
        _error(ValueError, action, "different backends", first, second)
    _error(ValueError, lambda: (a * a).backward(b), "backward", first, second)


def test_errors_leave_the_arguments_unchanged(backend_name):
    numbers = [[1.0, 2.0], [3.0, 4.0]]
    a = Tensor(numbers, autograd=True, backend=backend_name)
    indices = [0, 9]
    with pytest.raises(IndexError):
        a.index_select(indices)
    assert indices == [0, 9] and a.tolist() == numbers and a.grad is None


# -- layers, losses, SGD --------------------------------------------------------------------------

def test_layers_draw_what_the_book_draws(backend_name):
    np.random.seed(0)
    linear = Linear(2, 3, backend=backend_name)
    np.random.seed(0)
    np.testing.assert_array_equal(_array(linear.weight), np.random.randn(2, 3) * np.sqrt(2.0 / 2))
    assert linear.bias.tolist() == [0.0, 0.0, 0.0] and linear.get_parameters() == [linear.weight,
                                                                                   linear.bias]
    embed = Embedding(5, 3, rng=np.random.RandomState(4), backend=backend_name)
    np.testing.assert_array_equal(_array(embed.weight),
                                  (np.random.RandomState(4).rand(5, 3) - 0.5) / 3)
    assert len(Linear(3, 2, bias=False, backend=backend_name).get_parameters()) == 1
    rnn = RNNCell(4, 5, 6, rng=np.random.RandomState(1), backend=backend_name)
    rng = np.random.RandomState(1)
    for layer, shape in ((rnn.w_ih, (4, 5)), (rnn.w_hh, (5, 5)), (rnn.w_ho, (5, 6))):
        np.testing.assert_array_equal(_array(layer.weight), rng.randn(*shape) * np.sqrt(2.0 / shape[0]))
    assert len(rnn.get_parameters()) == 6 and rnn.init_hidden(3).shape == (3, 5)
    lstm = LSTMCell(3, 4, 5, rng=np.random.RandomState(2), backend=backend_name)
    rng = np.random.RandomState(2)     # drawn in order: xf xi xo xc, hf hi ho hc, w_ho
    draws = [rng.randn(3, 4) for _ in range(4)] + [rng.randn(4, 4) for _ in range(4)]
    np.testing.assert_array_equal(_array(lstm.xf.weight), draws[0] * np.sqrt(2.0 / 3))
    np.testing.assert_array_equal(_array(lstm.hc.weight), draws[7] * np.sqrt(2.0 / 4))
    np.testing.assert_allclose(_array(lstm.w_ho.weight), rng.randn(4, 5) * np.sqrt(2.0 / 4) * 0.1,
                               rtol=1e-15)
    assert len(lstm.get_parameters()) == 13
    h, c = lstm.init_hidden(2)
    assert h.tolist() == c.tolist() == [[1.0, 0.0, 0.0, 0.0]] * 2


def test_sequential_add_and_the_nonlinearity_layers(backend_name):
    model = Sequential()
    model.add(Relu())
    model.add(Sigmoid())
    model.add(Tanh())
    assert model.get_parameters() == []
    x = Tensor([[-1.0, 2.0]], backend=backend_name)
    np.testing.assert_allclose(_array(model.forward(x)),
                               np.tanh(1 / (1 + np.exp(-np.maximum([[-1.0, 2.0]], 0)))), rtol=1e-12)
    with pytest.raises(NotImplementedError):
        Layer().forward(x)
    with pytest.raises(ValueError, match="activation"):
        RNNCell(2, 2, 2, activation="softplus")
    for make, words in ((lambda: Linear(0, 3), "Linear: n_inputs"),
                        (lambda: Linear(2, "3"), "Linear: n_outputs"),
                        (lambda: Embedding(5, 2.5), "Embedding: dim"),
                        (lambda: RNNCell(2, True, 2), "RNNCell: n_hidden"),
                        (lambda: LSTMCell(2, 2, -1), "LSTMCell: n_output"),
                        (lambda: RNNCell(2, 2, 2).init_hidden(0), "init_hidden: batch_size")):
        with pytest.raises(ValueError, match=words):
            make()


def test_sgd_steps_and_zeroes(backend_name):
    w = Tensor([[1.0, -2.0]], autograd=True, backend=backend_name)
    untouched = Tensor([5.0], autograd=True, backend=backend_name)
    optim = SGD([w, untouched], alpha=0.25)
    (w * w).sum(1).backward()
    optim.step(zero=False)
    assert w.tolist() == [[0.5, -1.0]] and w.grad.tolist() == [[2.0, -4.0]]
    optim.zero()
    assert w.grad is None and untouched.tolist() == [5.0]
    (w * w).sum(1).backward()
    optim.step()
    assert w.tolist() == [[0.25, -0.5]] and w.grad is None
    with pytest.raises(TypeError, match="alpha"):
        SGD([w], alpha="fast")


def test_check_gradients_finds_a_wrong_gradient(backend_name):
    w = Tensor([[0.3, -0.7]], autograd=True, backend=backend_name)
    checks = check_gradients(lambda: (w.tanh() * w).sum(1), [w])
    assert checks[0].passed(1e-6) and w.tolist() == [[0.3, -0.7]]
    # a loss that ignores autograd (a constant plus w, but its backward sees only the constant)
    plain = Tensor([[1.0, 1.0]], backend=backend_name)
    wrong = check_gradients(lambda: (w + Tensor(w.tolist(), backend=backend_name) * plain).sum(1), [w])
    assert wrong[0].max_relative_difference > 0.4
    with pytest.raises(ValueError, match="autograd"):
        check_gradients(lambda: plain.sum(1), [plain])
    with pytest.raises(ValueError, match="one number"):
        check_gradients(lambda: w.sum(0), [w])
    made = w.tanh()
    with pytest.raises(ValueError, match="made by an operation"):
        check_gradients(lambda: made.sum(1), [made])


# -- the book's numbers, on every backend ------------------------------------------------------------

XOR_DATA = [[0, 0], [0, 1], [1, 0], [1, 1]]
XOR_TARGET = [[0], [1], [0], [1]]


def _losses(model, criterion, optim, data, target, steps=10):
    out = []
    for _ in range(steps):
        loss = criterion.forward(model.forward(data), target)
        loss.backward(Tensor([1.0], backend=loss.k))
        optim.step()
        out.append(loss.tolist()[0])
    return out


def _close_to_printed(losses, printed):
    # "to the digits shown": within half a unit of the last digit the book prints
    for loss, text in zip(losses, printed):
        digits = len(text.split(".")[1])
        assert abs(loss - float(text)) <= 0.5 * 10 ** -digits, (loss, text)


def test_book_autograd_network_and_sgd(backend_name):
    be = backend_name
    np.random.seed(0)
    data = Tensor(XOR_DATA, autograd=True, backend=be)
    target = Tensor(XOR_TARGET, autograd=True, backend=be)
    book_ids(2)                                  # the ids the book's data and target drew
    w = [Tensor(np.random.rand(2, 3), autograd=True, backend=be)]
    book_ids(1)
    w.append(Tensor(np.random.rand(3, 1), autograd=True, backend=be))
    optim = SGD(parameters=w, alpha=0.1)
    losses = []
    for _ in range(10):
        pred = data.mm(w[0]).mm(w[1])
        loss = ((pred - target) * (pred - target)).sum(0)
        loss.backward(Tensor([1.0], backend=be))
        optim.step()
        losses.append(loss.tolist()[0])
    _close_to_printed(losses, ["0.58128304", "0.48988149", "0.41375111", "0.34489412", "0.28210124",
                               "0.2254484", "0.17538853", "0.1324231", "0.09682769", "0.06849361"])


BOOK_XOR_RUNS = {
    # name: (layers between the two Linear layers and after them, alpha, the losses the book prints)
    "Sequential + MSELoss": ((), (), 0.05,
                             ["2.33428272", "0.06743796", "0.0521849", "0.04079507", "0.03184365",
                              "0.02479336", "0.01925443", "0.01491699", "0.01153118", "0.00889602"]),
    "Tanh and Sigmoid layers": ((Tanh,), (Sigmoid,), 1,
                                ["1.06372865", "0.75148144", "0.57384259", "0.39574294", "0.2482279",
                                 "0.15515294", "0.10423398", "0.07571169", "0.05837623",
                                 "0.04700013"]),
}


@pytest.mark.parametrize("run", BOOK_XOR_RUNS)
def test_book_two_layer_networks(backend_name, run):
    between, after, alpha, printed = BOOK_XOR_RUNS[run]
    be = backend_name
    np.random.seed(0)
    data = Tensor(XOR_DATA, autograd=True, backend=be)
    target = Tensor(XOR_TARGET, autograd=True, backend=be)
    book_ids(2)
    first = Linear(2, 3, backend=be)
    book_ids(2)                                  # the ids of the first layer's weight and bias
    model = Sequential([first, *[layer() for layer in between], Linear(3, 1, backend=be),
                        *[layer() for layer in after]])
    losses = _losses(model, MSELoss(), SGD(model.get_parameters(), alpha=alpha), data, target)
    _close_to_printed(losses, printed)


def test_book_embedding_layer(backend_name):
    be = backend_name
    np.random.seed(0)
    data = Tensor([1, 2, 1, 2], autograd=True, backend=be)
    target = Tensor(XOR_TARGET, autograd=True, backend=be)
    book_ids(2)
    embed = Embedding(5, 3, backend=be)
    book_ids(1)                                  # the id of the embedding's weight
    model = Sequential([embed, Tanh(), Linear(3, 1, backend=be), Sigmoid()])
    losses = _losses(model, MSELoss(), SGD(model.get_parameters(), alpha=0.5), data, target)
    _close_to_printed(losses[:3] + losses[-2:],
                      ["0.98874126", "0.6658868", "0.45639889", "0.08731868", "0.07387834"])


def test_book_cross_entropy_layer(backend_name):
    """The book's backward sends (softmax - target) for a loss that is the *mean* over 4 rows:
    4 times the gradient. Ours is exact, so alpha 4 * 0.1 takes the book's steps, bit for bit."""
    be = backend_name
    np.random.seed(0)
    data = Tensor([1, 2, 1, 2], autograd=True, backend=be)
    target = Tensor([0, 1, 0, 1], autograd=True, backend=be)
    book_ids(2)
    embed = Embedding(3, 3, backend=be)
    book_ids(1)
    model = Sequential([embed, Tanh(), Linear(3, 4, backend=be)])
    assert 4 * 0.1 == 0.4
    losses = _losses(model, CrossEntropyLoss(), SGD(model.get_parameters(), alpha=4 * 0.1), data,
                     target)
    printed = [1.3885032434928422, 0.9558181509266037, 0.6823083585795604, 0.5095259967493119,
               0.39574491472895856, 0.31752527285348264, 0.2617222861964216, 0.22061283923954234,
               0.18946427334830068, 0.16527389263866668]
    np.testing.assert_allclose(losses, printed, rtol=1e-13)


# -- the same training run on every backend, step by step, against NumPy --------------------------------

def _numpy_rnn_steps(params, story, alpha, steps):
    """The RNN of the tests below in NumPy: embed, 5 steps of sigmoid(x W_ih + h W_hh), w_ho, cross-entropy."""
    embed, w_ih, b_ih, w_hh, b_hh, w_ho, b_ho = [p.copy() for p in params]
    batch = len(story)
    history = []
    for _ in range(steps):
        hs, xs = [np.zeros((batch, w_hh.shape[0]))], []
        for t in range(5):
            xs.append(embed[story[:, t]])
            hs.append(1 / (1 + np.exp(-(xs[-1] @ w_ih + b_ih + hs[-1] @ w_hh + b_hh))))
        scores = hs[-1] @ w_ho + b_ho
        e = np.exp(scores - scores.max(axis=1, keepdims=True))
        p = e / e.sum(axis=1, keepdims=True)
        loss = -np.log(p[np.arange(batch), story[:, 5]]).mean()
        d_scores = (p - np.eye(p.shape[1])[story[:, 5]]) / batch
        g = {"w_ho": hs[-1].T @ d_scores, "b_ho": d_scores.sum(0)}
        g.update(w_ih=0, b_ih=0, w_hh=0, b_hh=0, embed=np.zeros_like(embed))
        d_h = d_scores @ w_ho.T
        for t in range(5, 0, -1):
            d_z = d_h * hs[t] * (1 - hs[t])
            g["w_ih"] = g["w_ih"] + xs[t - 1].T @ d_z
            g["b_ih"] = g["b_ih"] + d_z.sum(0)
            g["w_hh"] = g["w_hh"] + hs[t - 1].T @ d_z
            g["b_hh"] = g["b_hh"] + d_z.sum(0)
            np.add.at(g["embed"], story[:, t - 1], d_z @ w_ih.T)
            d_h = d_z @ w_hh.T
        embed, w_ih, b_ih, w_hh, b_hh, w_ho, b_ho = [
            p - alpha * g[name] for p, name in zip(
                (embed, w_ih, b_ih, w_hh, b_hh, w_ho, b_ho),
                ("embed", "w_ih", "b_ih", "w_hh", "b_hh", "w_ho", "b_ho"))]
        history.append((loss, [embed, w_ih, b_ih, w_hh, b_hh, w_ho, b_ho]))
    return history


def test_an_rnn_trains_as_numpy_does_step_by_step(backend_name):
    rng = np.random.RandomState(11)
    story = rng.randint(0, 7, size=(6, 6))
    embed = Embedding(7, 4, rng=rng, backend=backend_name)
    cell = RNNCell(4, 5, 7, rng=rng, backend=backend_name)
    parameters = embed.get_parameters() + cell.get_parameters()
    start = [_array(p) for p in parameters]
    steps = 3 if backend_name == "pure" else 8
    expected = _numpy_rnn_steps(start, story, 0.5, steps)
    optim = SGD(parameters, alpha=0.5)
    for step in range(steps):
        hidden = cell.init_hidden(batch_size=6)
        for t in range(5):
            output, hidden = cell.forward(embed.forward(story[:, t].tolist()), hidden)
        loss = CrossEntropyLoss().forward(output, story[:, 5].tolist())
        loss.backward()
        optim.step()
        want_loss, want_parameters = expected[step]
        assert math.isclose(loss.tolist()[0], want_loss, rel_tol=STEP_TOLERANCE)
        for p, want in zip(parameters, want_parameters):
            np.testing.assert_allclose(_array(p), want, rtol=STEP_TOLERANCE, atol=STEP_TOLERANCE)
