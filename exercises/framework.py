"""Rebuild the framework's backward from memory: the book's chapter 13 Tensor learns to learn.

The Tensor below (NumPy inside, as in the book) already does the forward pass
and remembers, for each tensor it makes, its ``creators`` and its
``creation_op``. What is left is ``backward``: send the gradient back through
every operation, to every tensor that made this one. Write it, then ask the
checker how you did:

    python -m grokking check exercises/framework.py

The functions at the bottom (already written: leave them as they are) are
what the checker calls: each builds one operation from your Tensors, runs
your ``backward`` and returns the gradients. The referee is
``grokking.framework`` (chapter 13) on the numpy backend. When your gradients
match a known mistake (a transpose left out, a gradient that is not added up),
the report names it. To start over another day, copy the stubs first:
``cp exercises/framework.py mine_framework.py``.

In each example below, the line after ``->`` is the answer, to rounding.
"""
import itertools

import numpy as np

_ids = itertools.count()   # the book draws random ids; counting is enough and never repeats


class Tensor:
    """Numbers that remember how they were made (the book's chapter 13 Tensor)."""

    def __init__(self, data, autograd=False, creators=None, creation_op=None):
        self.data = np.array(data, dtype=float)
        self.autograd = autograd
        self.creators = creators
        self.creation_op = creation_op
        self.grad = None
        self.id = next(_ids)
        self.children = {}           # id of each tensor made from this one -> gradients still to come
        if creators is not None:
            for creator in creators:
                creator.children[self.id] = creator.children.get(self.id, 0) + 1

    def all_children_grads_accounted_for(self):
        return all(count == 0 for count in self.children.values())

    def backward(self, grad=None, grad_origin=None):
        """Send ``grad`` back to the tensors that made this one, and on to the leaves.

        grad: a Tensor of this tensor's shape, or None for ones (a loss starts it).
        grad_origin: the tensor it comes from (None when you call it yourself).

        Add ``grad`` into ``self.grad`` (a tensor used twice gets the SUM of both
        gradients: the book waits until every child has sent its own, with
        ``self.children`` and ``all_children_grads_accounted_for``), then send
        the right gradient to each creator, by ``self.creation_op``: "add",
        "mul", "sum_0"/"sum_1", "expand_0"/"expand_1", "transpose", "mm",
        "sigmoid", "tanh", "cross_entropy".
        """
        raise NotImplementedError("your turn")

    # -- the forward pass (written for you) ---------------------------------------------

    def _made(self, data, creators, creation_op):
        if all(c.autograd for c in creators):   # as in the book: a gradient (no autograd) makes no graph
            return Tensor(data, autograd=True, creators=creators, creation_op=creation_op)
        return Tensor(data)

    def __add__(self, other):
        return self._made(self.data + other.data, [self, other], "add")

    def __mul__(self, other):
        return self._made(self.data * other.data, [self, other], "mul")

    def sum(self, dim):
        return self._made(self.data.sum(dim), [self], "sum_" + str(dim))

    def expand(self, dim, copies):
        trans_cmd = list(range(0, len(self.data.shape)))
        trans_cmd.insert(dim, len(self.data.shape))
        new_data = self.data.repeat(copies).reshape(list(self.data.shape) + [copies]).transpose(trans_cmd)
        return self._made(new_data, [self], "expand_" + str(dim))

    def transpose(self):
        return self._made(self.data.transpose(), [self], "transpose")

    def mm(self, x):
        return self._made(self.data.dot(x.data), [self, x], "mm")

    def sigmoid(self):
        return self._made(1 / (1 + np.exp(-self.data)), [self], "sigmoid")

    def tanh(self):
        return self._made(np.tanh(self.data), [self], "tanh")

    def cross_entropy(self, target_indices):
        """The MEAN over the rows of -log(softmax(row)[target]): one number."""
        temp = np.exp(self.data)
        softmax_output = temp / np.sum(temp, axis=len(self.data.shape) - 1, keepdims=True)
        t = target_indices.data.flatten().astype(int)
        p = softmax_output.reshape(len(t), -1)
        target_dist = np.eye(p.shape[1])[t]
        loss = -(np.log(p) * target_dist).sum(1).mean()
        out = self._made(loss, [self], "cross_entropy")
        out.softmax_output = softmax_output
        out.target_dist = target_dist
        return out

    def __repr__(self):
        return str(self.data.__repr__())


# -- what the checker calls (written for you: leave them as they are) -----------------------

def _leaves(*arrays):
    return [Tensor(x, autograd=True) for x in arrays]


def _gradient(tensor, op):
    if tensor.grad is None:
        raise NotImplementedError(f"no gradient reached it: is the backward of {op} written?")
    return tensor.grad.data


def add_backward(a, b, grad):
    """[a.grad, b.grad] after (a + b).backward(grad).

    Example:
        add_backward([[1.0, 2.0]], [[3.0, 4.0]], [[1.0, 0.5]])
        -> [[[1.0, 0.5]], [[1.0, 0.5]]]
    """
    a, b = _leaves(a, b)
    (a + b).backward(Tensor(grad))
    return [_gradient(a, "add"), _gradient(b, "add")]


def mul_backward(a, b, grad):
    """[a.grad, b.grad] after (a * b).backward(grad).

    Example:
        mul_backward([[1.0, 2.0]], [[3.0, 4.0]], [[1.0, 0.5]])
        -> [[[3.0, 2.0]], [[1.0, 1.0]]]
    """
    a, b = _leaves(a, b)
    (a * b).backward(Tensor(grad))
    return [_gradient(a, "mul"), _gradient(b, "mul")]


def mm_backward(a, b, grad):
    """[a.grad, b.grad] after a.mm(b).backward(grad).

    Example:
        mm_backward([[1.0, 2.0]], [[3.0], [4.0]], [[1.0]])
        -> [[[3.0, 4.0]], [[1.0], [2.0]]]
    """
    a, b = _leaves(a, b)
    a.mm(b).backward(Tensor(grad))
    return [_gradient(a, "mm"), _gradient(b, "mm")]


def sum_backward(a, dim, grad):
    """a.grad after a.sum(dim).backward(grad).

    Example (sum(0) adds the rows up: every row gets the gradient):
        sum_backward([[1.0, 2.0], [3.0, 4.0]], 0, [1.0, 2.0])
        -> [[1.0, 2.0], [1.0, 2.0]]
    """
    (a,) = _leaves(a)
    a.sum(dim).backward(Tensor(grad))
    return _gradient(a, "sum")


def expand_backward(a, dim, copies, grad):
    """a.grad after a.expand(dim, copies).backward(grad).

    Example (expand(0, 2) made two rows of a: their gradients add up):
        expand_backward([1.0, 2.0], 0, 2, [[1.0, 2.0], [3.0, 4.0]])
        -> [4.0, 6.0]
    """
    (a,) = _leaves(a)
    a.expand(dim, copies).backward(Tensor(grad))
    return _gradient(a, "expand")


def sigmoid_backward(a, grad):
    """a.grad after a.sigmoid().backward(grad).

    Example:
        sigmoid_backward([[0.0]], [[1.0]])
        -> [[0.25]]
    """
    (a,) = _leaves(a)
    a.sigmoid().backward(Tensor(grad))
    return _gradient(a, "sigmoid")


def tanh_backward(a, grad):
    """a.grad after a.tanh().backward(grad).

    Example:
        tanh_backward([[0.0]], [[2.0]])
        -> [[2.0]]
    """
    (a,) = _leaves(a)
    a.tanh().backward(Tensor(grad))
    return _gradient(a, "tanh")


def cross_entropy_backward(scores, targets):
    """scores.grad after scores.cross_entropy(targets).backward() (the loss is the mean over rows).

    Example (one row, two classes scored the same: softmax is [0.5, 0.5]):
        cross_entropy_backward([[0.0, 0.0]], [0])
        -> [[-0.5, 0.5]]
    """
    (scores,) = _leaves(scores)
    scores.cross_entropy(Tensor(targets)).backward()
    return _gradient(scores, "cross_entropy")


def used_twice_backward(a, b, grad):
    """[a.grad, b.grad] after (a * b + a).backward(grad): a is used twice.

    Example:
        used_twice_backward([[1.0, 2.0]], [[3.0, 4.0]], [[1.0, 1.0]])
        -> [[[4.0, 5.0]], [[1.0, 2.0]]]
    """
    a, b = _leaves(a, b)
    (a * b + a).backward(Tensor(grad))
    return [_gradient(a, "add and mul"), _gradient(b, "mul")]


def reused_backward(a, b, grad):
    """[a.grad, b.grad] after e.backward(grad), where d = a * b and e = d + d: d is used twice.

    Example:
        reused_backward([[1.0, 2.0]], [[3.0, 4.0]], [[1.0, 1.0]])
        -> [[[6.0, 8.0]], [[2.0, 4.0]]]
    """
    a, b = _leaves(a, b)
    d = a * b
    (d + d).backward(Tensor(grad))
    return [_gradient(a, "mul and add"), _gradient(b, "mul and add")]


def diamond_backward(a, b, grad):
    """[a.grad, b.grad, d.grad] after (d.sigmoid() * d.tanh() + d).backward(grad), where d = a * b.

    d is not a leaf: its gradient is the sum of what its three uses send back.

    Example (d = 0: sigmoid 0.5, tanh 0, and their slopes 0.25 and 1):
        diamond_backward([[0.0]], [[2.0]], [[1.0]])
        -> [[[3.0]], [[0.0]], [[1.5]]]
    """
    a, b = _leaves(a, b)
    d = a * b
    (d.sigmoid() * d.tanh() + d).backward(Tensor(grad))
    return [_gradient(a, "the diamond"), _gradient(b, "the diamond"), _gradient(d, "the diamond")]


def chain_backward(a, b, grad):
    """[a.grad, b.grad] after every operation in one graph (y is used three times).

    y = a.mm(b).sigmoid().transpose().tanh(), then
    (y.sum(1).expand(1, columns) * y + y).backward(grad); grad has y's shape.

    Example:
        chain_backward([[0.0]], [[1.0]], [[1.0]])
        -> [[[0.37832742858737867]], [[0.0]]]
    """
    a, b = _leaves(a, b)
    y = a.mm(b).sigmoid().transpose().tanh()
    (y.sum(1).expand(1, y.data.shape[1]) * y + y).backward(Tensor(grad))
    return [_gradient(a, "the chain"), _gradient(b, "the chain")]


def mm_cross_entropy_backward(a, b, targets):
    """[a.grad, b.grad] after a.mm(b).cross_entropy(targets).backward().

    Example (the scores are [[1.0, 1.0]], so softmax is [0.5, 0.5]):
        mm_cross_entropy_backward([[1.0, 0.0]], [[1.0, 1.0], [2.0, 0.0]], [0])
        -> [[[0.0, -1.0]], [[-0.5, 0.5], [0.0, 0.0]]]
    """
    a, b = _leaves(a, b)
    a.mm(b).cross_entropy(Tensor(targets)).backward()
    return [_gradient(a, "mm and cross_entropy"), _gradient(b, "mm and cross_entropy")]
