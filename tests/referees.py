"""Two referees written in NumPy the way the sources write them: 001's code (chapters 4-6)
and the book's chapter 8 digits network (``grokking.networks.digits`` and chapters 9-11)."""
import numpy as np


# -- the referee of chapters 4-6: 001's NumPy code, as written there ----------------

def nonlin(x, deriv=False):
    """001's sigmoid, as written there."""
    if deriv:
        return x * (1 - x)
    return 1 / (1 + np.exp(-x))


def source_001(X, y, iterations, seed=1):
    """001's 2-layer code, line for line; returns (syn0, l1 of the last iteration)."""
    np.random.seed(seed)
    syn0 = 2 * np.random.random((3, 1)) - 1
    for _ in range(iterations):
        l0 = X
        l1 = nonlin(np.dot(l0, syn0))
        l1_error = y - l1
        l1_delta = l1_error * nonlin(l1, True)
        syn0 += np.dot(l0.T, l1_delta)
    return syn0, l1


# -- the referee of the digits network: the book's chapter 8 code, in NumPy --------

def _softmax(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


ACTIVATIONS = {   # the book's chapter 9 activations and their slopes, from the output
    "relu": (lambda x: (x > 0) * x, lambda output: (output > 0) * 1.0),
    "sigmoid": (lambda x: 1 / (1 + np.exp(-x)), lambda output: output * (1 - output)),
    "tanh": (np.tanh, lambda output: 1 - output ** 2),
}


def book_digits(recipe, train, test, validation=None):
    """The book's digits network (chapter 8, with chapter 9's activations and softmax),
    written in NumPy with ``np.dot``, following ``recipe`` (a ``grokking.networks.digits.Recipe``).

    Its random numbers are drawn as ``DigitNetwork`` draws them, from one
    ``RandomState(recipe.seed)``: the weights, then each epoch's order, then each
    batch's dropout mask. Returns ``(train accuracies, test accuracies, validation
    accuracies, best epoch or None, [weights_0_1, weights_1_2, bias_1, bias_2])``.
    The book's two slips (``book_relu2deriv``, ``book_batch_loop``) are not here.
    """
    assert not recipe.book_relu2deriv and not recipe.book_batch_loop
    rng = np.random.RandomState(recipe.seed)
    images, labels = np.array(train[0], dtype=float), np.array(train[1])
    weights_0_1 = recipe.weight_scale * (2 * rng.random_sample((images.shape[1], recipe.hidden)) - 1)
    weights_1_2 = recipe.weight_scale * (2 * rng.random_sample((recipe.hidden, 10)) - 1)
    bias_1, bias_2 = np.zeros(recipe.hidden), np.zeros(10)
    activation, activation2deriv = ACTIVATIONS[recipe.activation]
    steps = [0, 0, 0, 0]                                   # momentum's last steps

    def forward(layer_0, dropout_mask=1.0):
        layer_1 = activation(np.dot(layer_0, weights_0_1) + bias_1) * dropout_mask
        layer_2 = np.dot(layer_1, weights_1_2) + bias_2       # the biases stay 0 without bias units
        return layer_1, _softmax(layer_2) if recipe.output == "softmax" else layer_2

    def accuracy(data):
        guesses = np.argmax(forward(np.array(data[0], dtype=float))[1], axis=1)
        return float(np.mean(guesses == np.array(data[1])))

    accuracies = ([], [], [])                              # train, test, validation
    best, best_epoch, kept, since_best = -1.0, None, None, 0
    batch_size = recipe.batch_size or len(labels)
    for epoch in range(1, recipe.epochs + 1):
        order = rng.permutation(len(labels)) if recipe.shuffle else np.arange(len(labels))
        for start in range(0, len(labels), batch_size):
            rows = order[start:start + batch_size]
            layer_0, goal = images[rows], np.eye(10)[labels[rows]]   # one-hot targets
            dropout_mask = 1.0
            if recipe.dropout:
                keep = 1 - recipe.dropout
                dropout_mask = (rng.random_sample((len(rows), recipe.hidden)) < keep) / keep
            layer_1, layer_2 = forward(layer_0, dropout_mask)
            layer_2_delta = (layer_2 - goal) / len(rows)
            layer_1_delta = layer_2_delta.dot(weights_1_2.T) * activation2deriv(layer_1) * dropout_mask
            slopes = [layer_0.T.dot(layer_1_delta) + recipe.l2 * weights_0_1,
                      layer_1.T.dot(layer_2_delta) + recipe.l2 * weights_1_2,
                      layer_1_delta.sum(axis=0), layer_2_delta.sum(axis=0)]
            steps = [recipe.momentum * step + slope for step, slope in zip(steps, slopes)]
            weights_0_1 = weights_0_1 - recipe.alpha * steps[0]
            weights_1_2 = weights_1_2 - recipe.alpha * steps[1]
            if recipe.bias:
                bias_1, bias_2 = bias_1 - recipe.alpha * steps[2], bias_2 - recipe.alpha * steps[3]
        for record, data in zip(accuracies, (train, test, validation)):
            if data is not None:
                record.append(accuracy(data))
        if recipe.patience is not None:
            if accuracies[2][-1] > best:
                best, best_epoch, since_best = accuracies[2][-1], epoch, 0
                kept = [weights_0_1, weights_1_2, bias_1, bias_2]
            else:
                since_best += 1
                if since_best >= recipe.patience:
                    break
    parameters = kept or [weights_0_1, weights_1_2, bias_1, bias_2]
    return (*accuracies, best_epoch, parameters)


# -- the referee of the playground's network (grokking.networks.playground), a batch at a time --

def playground_initial_weights(sizes, seed):
    """The sources' draw: ``2*random((rows, cols)) - 1`` per matrix, from ``RandomState(seed)``."""
    random = np.random.RandomState(seed)
    return [2 * random.random_sample((rows, cols)) - 1 for rows, cols in zip(sizes, sizes[1:])]


def _rule(name):
    """(activation, its slope from its output) in NumPy."""
    return {"sigmoid": (lambda x: 1 / (1 + np.exp(-x)), lambda o: o * (1 - o)),
            "tanh": (np.tanh, lambda o: 1 - o ** 2),
            "relu": (lambda x: (x > 0) * x, lambda o: (o > 0) * 1.0)}[name]


def playground_step(weights, X, y, activation, alpha, batch_size, step):
    """Step ``step`` (from 0) of the playground's network, the whole batch as one matrix."""
    batches = -(-len(X) // batch_size)
    start = (step % batches) * batch_size
    layer, target = X[start:start + batch_size], y[start:start + batch_size]
    act, slope = _rule(activation)
    layers = [layer]
    for l, w in enumerate(weights):
        layers.append((_rule("sigmoid")[0] if l == len(weights) - 1 else act)(layers[-1].dot(w)))
    delta = (layers[-1] - target) * layers[-1] * (1 - layers[-1])
    gradients = [None] * len(weights)
    for l in range(len(weights) - 1, -1, -1):
        gradients[l] = layers[l].T.dot(delta)
        if l > 0:
            delta = delta.dot(weights[l].T) * slope(layers[l])
    return [w - alpha / len(layer) * g for w, g in zip(weights, gradients)]
