"""Layers: the book's building blocks, each a few tensor operations with its own weights.

A ``Layer`` keeps its weights (``get_parameters()``) and says what it does to
its input (``forward``). ``Sequential`` chains layers; ``Linear`` is the
weighted sum of every chapter so far (``input.mm(weight) + bias``);
``Embedding`` looks up one row per word; ``RNNCell`` and ``LSTMCell`` carry a
hidden state from one word to the next.

The weights are drawn exactly as the book draws them, from NumPy's legacy
generator: ``rng=None`` uses the global ``np.random`` (so ``np.random.seed(0)``
then ``Linear(2, 3)`` draws what the book draws), or pass a
``numpy.random.RandomState``. The draws are the same whatever the backend;
the numbers are then put in the backend's form.

Note for following the book's printed numbers: the book's ``Tensor`` draws a
random id (``np.random.randint(0, 100000)``) every time a tensor is made, and
those draws move ``np.random`` along between the weights. Ours draw nothing;
``book_ids`` (in ``book.py``) makes the same draws where the book made them.
"""
import numpy as np

from .tensor import Tensor

ACTIVATIONS = ("sigmoid", "tanh", "relu")


def _generator(rng):
    return np.random if rng is None else rng


def _sizes(layer, **sizes):
    """Each size a whole number of at least 1, or a clear error naming the layer and the size."""
    for name, value in sizes.items():
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{layer}: {name} must be a whole number of at least 1, "
                             f"got {value!r}")


class Layer:
    """Something with weights (``parameters``) that turns an input into an output (``forward``)."""

    def __init__(self):
        self.parameters = []

    def get_parameters(self):
        """The tensors this layer learns (the optimizer changes these)."""
        return self.parameters

    def forward(self, input):
        raise NotImplementedError(f"{type(self).__name__}.forward is not written")

    def zero_grad(self):
        """Forget the gradients of every parameter."""
        for parameter in self.get_parameters():
            parameter.zero_grad()


class Linear(Layer):
    """``input.mm(weight) + bias``: one weighted sum per output, for every row of the input.

    weight: ``n_inputs`` rows of ``n_outputs``, drawn as the book draws them:
    ``rng.randn(n_inputs, n_outputs) * np.sqrt(2.0 / n_inputs)``; bias: zeros.
    """

    def __init__(self, n_inputs, n_outputs, bias=True, rng=None, backend=None):
        super().__init__()
        _sizes("Linear", n_inputs=n_inputs, n_outputs=n_outputs)
        W = _generator(rng).randn(n_inputs, n_outputs) * np.sqrt(2.0 / n_inputs)
        self.weight = Tensor(W, autograd=True, backend=backend)
        self.use_bias = bool(bias)
        self.parameters.append(self.weight)
        if self.use_bias:
            self.bias = Tensor(np.zeros(n_outputs), autograd=True, backend=self.weight.k)
            self.parameters.append(self.bias)

    def forward(self, input):
        output = input.mm(self.weight)
        if self.use_bias:  # the same bias for every row of the batch
            output = output + self.bias.expand(0, input.shape[0])
        return output


class Sequential(Layer):
    """Layers one after the other: the output of each is the input of the next."""

    def __init__(self, layers=None):
        super().__init__()
        self.layers = list(layers) if layers is not None else []

    def add(self, layer):
        self.layers.append(layer)

    def forward(self, input):
        for layer in self.layers:
            input = layer.forward(input)
        return input

    def get_parameters(self):
        parameters = []
        for layer in self.layers:
            parameters += layer.get_parameters()
        return parameters


class Tanh(Layer):
    """``input.tanh()``: no weights."""

    def forward(self, input):
        return input.tanh()


class Sigmoid(Layer):
    """``input.sigmoid()``: no weights."""

    def forward(self, input):
        return input.sigmoid()


class Relu(Layer):
    """``input.relu()``: no weights."""

    def forward(self, input):
        return input.relu()


class Embedding(Layer):
    """One row of weights per word: ``forward(indices)`` picks the rows of those words.

    weight: ``(rng.rand(vocab_size, dim) - 0.5) / dim``, the book's (word2vec's) start.
    Picking a row is what multiplying a one-hot vector by the weights does,
    without the multiplications by zero.
    """

    def __init__(self, vocab_size, dim, rng=None, backend=None):
        super().__init__()
        _sizes("Embedding", vocab_size=vocab_size, dim=dim)
        self.vocab_size = vocab_size
        self.dim = dim
        weight = (_generator(rng).rand(vocab_size, dim) - 0.5) / dim
        self.weight = Tensor(weight, autograd=True, backend=backend)
        self.parameters.append(self.weight)

    def forward(self, input):
        return self.weight.index_select(input)


def _activation(name):
    if name not in ACTIVATIONS:
        raise ValueError(f"RNNCell: activation must be one of {', '.join(ACTIVATIONS)}, "
                         f"got {name!r}")
    return {"sigmoid": Sigmoid, "tanh": Tanh, "relu": Relu}[name]()


class RNNCell(Layer):
    """One step of a recurrent network: the new hidden state mixes the input and the last one.

        new_hidden = activation(w_ih(input) + w_hh(hidden))
        output = w_ho(new_hidden)

    The same three ``Linear`` layers serve every step, so their weights are
    shared across time: ``backward`` adds up what every step sends them.
    """

    def __init__(self, n_inputs, n_hidden, n_output, activation="sigmoid", rng=None,
                 backend=None):
        super().__init__()
        _sizes("RNNCell", n_inputs=n_inputs, n_hidden=n_hidden, n_output=n_output)
        self.n_inputs, self.n_hidden, self.n_output = n_inputs, n_hidden, n_output
        self.activation = _activation(activation)
        self.w_ih = Linear(n_inputs, n_hidden, rng=rng, backend=backend)
        self.w_hh = Linear(n_hidden, n_hidden, rng=rng, backend=backend)
        self.w_ho = Linear(n_hidden, n_output, rng=rng, backend=backend)
        self.k = self.w_ih.weight.k
        for layer in (self.w_ih, self.w_hh, self.w_ho):
            self.parameters += layer.get_parameters()

    def forward(self, input, hidden):
        from_prev_hidden = self.w_hh.forward(hidden)
        combined = self.w_ih.forward(input) + from_prev_hidden
        new_hidden = self.activation.forward(combined)
        output = self.w_ho.forward(new_hidden)
        return output, new_hidden

    def init_hidden(self, batch_size=1):
        """The hidden state before the first word: zeros, one row per example."""
        _sizes("RNNCell.init_hidden", batch_size=batch_size)
        return Tensor(np.zeros((batch_size, self.n_hidden)), autograd=True, backend=self.k)


class LSTMCell(Layer):
    """One step of a long short-term memory: gates decide what the cell forgets, takes in, shows.

        f = sigmoid(xf(input) + hf(h))      forget gate
        i = sigmoid(xi(input) + hi(h))      input gate
        o = sigmoid(xo(input) + ho(h))      output gate
        g = tanh(xc(input) + hc(h))         the candidate
        c = f * c + i * g                   the new cell
        h = o * tanh(c)                     the new hidden state
        output = w_ho(h)

    As the book: the ``h*`` layers and ``w_ho`` have no bias, and ``w_ho``'s
    weights start 10 times smaller (scaled by 0.1).
    """

    def __init__(self, n_inputs, n_hidden, n_output, rng=None, backend=None):
        super().__init__()
        _sizes("LSTMCell", n_inputs=n_inputs, n_hidden=n_hidden, n_output=n_output)
        self.n_inputs, self.n_hidden, self.n_output = n_inputs, n_hidden, n_output
        self.xf = Linear(n_inputs, n_hidden, rng=rng, backend=backend)
        self.xi = Linear(n_inputs, n_hidden, rng=rng, backend=backend)
        self.xo = Linear(n_inputs, n_hidden, rng=rng, backend=backend)
        self.xc = Linear(n_inputs, n_hidden, rng=rng, backend=backend)
        self.hf = Linear(n_hidden, n_hidden, bias=False, rng=rng, backend=backend)
        self.hi = Linear(n_hidden, n_hidden, bias=False, rng=rng, backend=backend)
        self.ho = Linear(n_hidden, n_hidden, bias=False, rng=rng, backend=backend)
        self.hc = Linear(n_hidden, n_hidden, bias=False, rng=rng, backend=backend)
        self.w_ho = Linear(n_hidden, n_output, bias=False, rng=rng, backend=backend)
        self.k = self.xf.weight.k
        self.w_ho.weight.data = self.k.ele_mul(0.1, self.w_ho.weight.data)
        for layer in (self.xf, self.xi, self.xo, self.xc, self.hf, self.hi, self.ho, self.hc,
                      self.w_ho):
            self.parameters += layer.get_parameters()

    def forward(self, input, hidden):
        prev_hidden, prev_cell = hidden
        f = (self.xf.forward(input) + self.hf.forward(prev_hidden)).sigmoid()
        i = (self.xi.forward(input) + self.hi.forward(prev_hidden)).sigmoid()
        o = (self.xo.forward(input) + self.ho.forward(prev_hidden)).sigmoid()
        g = (self.xc.forward(input) + self.hc.forward(prev_hidden)).tanh()
        c = (f * prev_cell) + (i * g)
        h = o * c.tanh()
        output = self.w_ho.forward(h)
        return output, (h, c)

    def init_hidden(self, batch_size=1):
        """``(h, c)`` before the first word: zeros with a 1 in the first column, as the book."""
        _sizes("LSTMCell.init_hidden", batch_size=batch_size)
        start = np.zeros((batch_size, self.n_hidden))
        start[:, 0] += 1
        return (Tensor(start, autograd=True, backend=self.k),
                Tensor(start, autograd=True, backend=self.k))
