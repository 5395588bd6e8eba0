"""The book's chapter 13-14 framework, written in NumPy as the book prints it: the bench's referee.

This is the ``Tensor`` a learner types in from the book (``Chapter14 - Intro to
LSTMs - Learn to Write Like Shakespeare.ipynb``): NumPy arrays, a ``children``
count on every tensor, and a recursive ``backward`` in which each tensor waits
until all its children have sent their gradient before it sends its own on.
``grokking.framework`` is timed against it (``python -m grokking bench``) and
checked against it (the same losses and weights after a few steps).

Two changes, so that its numbers are the exact gradient and can be compared:

- the book's ``mm`` rule calls ``c0.backward(new)`` without saying where the
  gradient came from, so a tensor used by several ``mm`` (an LSTM's hidden
  state feeds four) sends its gradient on before all of them have arrived;
  here ``mm`` passes ``self``, as every other rule does, and every tensor waits;
- the random ``id`` of each tensor is drawn as the book draws it, but from a
  generator of its own, not from ``np.random`` (whose draws give the weights);
- the RNN of chapter 13 reads 5 words and is scored on the last output only:
  a tensor that waits for all its children would wait forever for the unused
  outputs of the first 4 words (the book's not-waiting ``mm`` hid that), so
  ``RNNCell.forward(..., scored=False)`` computes such an output off the graph:
  the same arithmetic, no child.

Its cross-entropy sends back ``softmax - target`` (the gradient of the *sum*
over the rows), as the book's; ``grokking.framework``'s is that of the mean, so
the same steps take ``alpha * rows`` there.
"""
import numpy as np

_ids = np.random.RandomState(0)   # the tensors' ids: the book's np.random.randint, kept apart


class Tensor:
    def __init__(self, data, autograd=False, creators=None, creation_op=None):
        self.data = np.array(data)
        self.autograd = autograd
        self.grad = None
        self.id = _ids.randint(0, 1000000000)
        self.creators = creators
        self.creation_op = creation_op
        self.children = {}
        if creators is not None:
            for c in creators:
                c.children[self.id] = c.children.get(self.id, 0) + 1

    def all_children_grads_accounted_for(self):
        return all(count == 0 for count in self.children.values())

    def backward(self, grad=None, grad_origin=None):
        if not self.autograd:
            return
        if grad is None:
            grad = Tensor(np.ones_like(self.data))
        if grad_origin is not None:
            if self.children[grad_origin.id] == 0:
                raise Exception("cannot backprop more than once")
            self.children[grad_origin.id] -= 1
        self.grad = grad if self.grad is None else self.grad + grad
        if self.creators is None or not (self.all_children_grads_accounted_for()
                                         or grad_origin is None):
            return
        op, c = self.creation_op, self.creators
        if op == "add":
            c[0].backward(self.grad, self)
            c[1].backward(self.grad, self)
        elif op == "sub":
            c[0].backward(Tensor(self.grad.data), self)
            c[1].backward(Tensor(self.grad.__neg__().data), self)
        elif op == "mul":
            c[0].backward(self.grad * c[1], self)
            c[1].backward(self.grad * c[0], self)
        elif op == "mm":
            c[0].backward(self.grad.mm(c[1].transpose()), self)
            c[1].backward(self.grad.transpose().mm(c[0]).transpose(), self)
        elif op == "transpose":
            c[0].backward(self.grad.transpose(), self)
        elif op.startswith("sum"):
            dim = int(op.split("_")[1])
            c[0].backward(self.grad.expand(dim, c[0].data.shape[dim]), self)
        elif op.startswith("expand"):
            c[0].backward(self.grad.sum(int(op.split("_")[1])), self)
        elif op == "neg":
            c[0].backward(self.grad.__neg__(), self)
        elif op == "sigmoid":
            ones = Tensor(np.ones_like(self.grad.data))
            c[0].backward(self.grad * (self * (ones - self)), self)
        elif op == "tanh":
            ones = Tensor(np.ones_like(self.grad.data))
            c[0].backward(self.grad * (ones - (self * self)), self)
        elif op == "index_select":
            new_grad = np.zeros_like(c[0].data)
            indices_ = self.index_select_indices.data.flatten()
            grad_ = self.grad.data.reshape(len(indices_), -1)
            for i in range(len(indices_)):
                new_grad[indices_[i]] += grad_[i]
            c[0].backward(Tensor(new_grad), self)
        elif op == "cross_entropy":
            c[0].backward(Tensor(self.softmax_output - self.target_dist), self)

    def _made(self, data, creators, op):
        if all(c.autograd for c in creators):
            return Tensor(data, autograd=True, creators=creators, creation_op=op)
        return Tensor(data)

    def __add__(self, other):
        return self._made(self.data + other.data, [self, other], "add")

    def __neg__(self):
        return self._made(self.data * -1, [self], "neg")

    def __sub__(self, other):
        return self._made(self.data - other.data, [self, other], "sub")

    def __mul__(self, other):
        return self._made(self.data * other.data, [self, other], "mul")

    def sum(self, dim):
        return self._made(self.data.sum(dim), [self], "sum_" + str(dim))

    def expand(self, dim, copies):
        trans_cmd = list(range(0, len(self.data.shape)))
        trans_cmd.insert(dim, len(self.data.shape))
        new_data = self.data.repeat(copies).reshape(list(self.data.shape) + [copies]) \
            .transpose(trans_cmd)
        return self._made(new_data, [self], "expand_" + str(dim))

    def transpose(self):
        return self._made(self.data.transpose(), [self], "transpose")

    def mm(self, x):
        return self._made(self.data.dot(x.data), [self, x], "mm")

    def sigmoid(self):
        return self._made(1 / (1 + np.exp(-self.data)), [self], "sigmoid")

    def tanh(self):
        return self._made(np.tanh(self.data), [self], "tanh")

    def index_select(self, indices):
        new = self._made(self.data[indices.data], [self], "index_select")
        new.index_select_indices = indices
        return new

    def cross_entropy(self, target_indices):
        temp = np.exp(self.data)
        softmax_output = temp / np.sum(temp, axis=len(self.data.shape) - 1, keepdims=True)
        t = target_indices.data.flatten()
        p = softmax_output.reshape(len(t), -1)
        target_dist = np.eye(p.shape[1])[t]
        loss = -(np.log(p) * target_dist).sum(1).mean()
        out = self._made(loss, [self], "cross_entropy")
        out.softmax_output = softmax_output
        out.target_dist = target_dist
        return out


class SGD:
    def __init__(self, parameters, alpha=0.1):
        self.parameters = parameters
        self.alpha = alpha

    def step(self, zero=True):
        for p in self.parameters:
            p.data -= p.grad.data * self.alpha
            if zero:
                p.grad.data *= 0


class Linear:
    """``input.mm(weight) + bias.expand(0, rows)``; the weights are given (copied), not drawn."""

    def __init__(self, weight, bias=None):
        self.weight = Tensor(np.array(weight, dtype=float), autograd=True)
        self.use_bias = bias is not None
        self.parameters = [self.weight]
        if self.use_bias:
            self.bias = Tensor(np.array(bias, dtype=float), autograd=True)
            self.parameters.append(self.bias)

    def forward(self, input):
        if self.use_bias:
            return input.mm(self.weight) + self.bias.expand(0, len(input.data))
        return input.mm(self.weight)


class Embedding:
    def __init__(self, weight):
        self.weight = Tensor(np.array(weight, dtype=float), autograd=True)
        self.parameters = [self.weight]

    def forward(self, input):
        return self.weight.index_select(input)


class RNNCell:
    """The book's RNNCell (sigmoid), from the weights of three ``Linear`` layers."""

    def __init__(self, w_ih, w_hh, w_ho):
        self.w_ih, self.w_hh, self.w_ho = w_ih, w_hh, w_ho
        self.parameters = w_ih.parameters + w_hh.parameters + w_ho.parameters

    def forward(self, input, hidden, scored=True):
        from_prev_hidden = self.w_hh.forward(hidden)
        combined = self.w_ih.forward(input) + from_prev_hidden
        new_hidden = combined.sigmoid()
        shown = new_hidden if scored else Tensor(new_hidden.data)
        return self.w_ho.forward(shown), new_hidden


class LSTMCell:
    """The book's LSTMCell, from its nine ``Linear`` layers (xf, xi, xo, xc, hf, hi, ho, hc, w_ho)."""

    def __init__(self, xf, xi, xo, xc, hf, hi, ho, hc, w_ho):
        self.xf, self.xi, self.xo, self.xc = xf, xi, xo, xc
        self.hf, self.hi, self.ho, self.hc = hf, hi, ho, hc
        self.w_ho = w_ho
        self.parameters = [p for layer in (xf, xi, xo, xc, hf, hi, ho, hc, w_ho)
                           for p in layer.parameters]

    def forward(self, input, hidden):
        prev_hidden, prev_cell = hidden
        f = (self.xf.forward(input) + self.hf.forward(prev_hidden)).sigmoid()
        i = (self.xi.forward(input) + self.hi.forward(prev_hidden)).sigmoid()
        o = (self.xo.forward(input) + self.ho.forward(prev_hidden)).sigmoid()
        g = (self.xc.forward(input) + self.hc.forward(prev_hidden)).tanh()
        c = (f * prev_cell) + (i * g)
        h = o * c.tanh()
        return self.w_ho.forward(h), (h, c)


def linear_like(layer):
    """The referee's copy of a ``grokking.framework`` ``Linear`` (its weights as they are now)."""
    return Linear(layer.weight.tolist(), layer.bias.tolist() if layer.use_bias else None)


def lstm_like(cell):
    """The referee's copy of a ``grokking.framework`` ``LSTMCell``."""
    return LSTMCell(*(linear_like(getattr(cell, name)) for name in
                      ("xf", "xi", "xo", "xc", "hf", "hi", "ho", "hc", "w_ho")))


def rnn_like(cell):
    """The referee's copy of a ``grokking.framework`` ``RNNCell`` (sigmoid)."""
    return RNNCell(linear_like(cell.w_ih), linear_like(cell.w_hh), linear_like(cell.w_ho))


def embedding_like(embed):
    return Embedding(embed.weight.tolist())
