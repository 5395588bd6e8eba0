"""The playground's network: up to three hidden layers, trained one batch at a time with the kernels.

The lab's fifth page (``python -m grokking lab``) trains this network live in a browser with
``lab/kernels.js``, the JavaScript twin of ``kernels/pure.py``; ``lab/playground.js`` is the twin
of this file, call for call, so its "copy as Python" script gets the page's numbers back::

    import grokking
    from grokking.networks.playground import Playground
    k = grokking.backend("pure")
    net = Playground.start([3, 4, 1], activation="tanh", seed=1)   # 3 inputs, 4 hidden, 1 output
    net.step(k, rows, targets, alpha=0.3, batch_size=4)             # one step: the next batch

It is the book's chapter 6 network grown: no biases (a constant input of 1 plays that part, as
the third column of "11 lines" does), hidden layers of ``activation``, one sigmoid output node,
and the error of "11 lines" (``layer_2 - y``, times the sigmoid's slope). One step, as written::

    for each row of the batch, in order:
        layer_1 = tanh(vect_mat_mul(layer_0, weights_0_1.T))         # forward, layer by layer
        layer_2 = sigmoid(vect_mat_mul(layer_1, weights_1_2.T))
        layer_2_delta = vec_mul(vec_sub(layer_2, target), sigmoid2deriv(layer_2))
        sum_1_2 = vec_add(sum_1_2, outer_prod(layer_1, layer_2_delta))   # weight_delta
        layer_1_delta = vec_mul(vect_mat_mul(layer_2_delta, weights_1_2), tanh2deriv(layer_1))
        sum_0_1 = vec_add(sum_0_1, outer_prod(layer_0, layer_1_delta))
    weights_1_2 = vec_sub(weights_1_2, ele_mul(alpha / rows in the batch, sum_1_2))
    weights_0_1 = vec_sub(weights_0_1, ele_mul(alpha / rows in the batch, sum_0_1))

``weights_0_1[i][j]`` is the weight from node i of layer 0 to node j of layer 1 (the sources'
``syn0``), drawn as the sources draw theirs: ``2*RandomState(seed).random_sample((rows, cols)) - 1``
for each matrix, input side first. The batches go through the rows in order: step t uses batch
``t % ceil(len(rows) / batch_size)``, the last batch of each pass holding what is left.
"""
from dataclasses import dataclass
from numbers import Integral

import numpy as np

ACTIVATIONS = ("sigmoid", "tanh", "relu")   # each with its kernel and its "2deriv" kernel


@dataclass
class Playground:
    """A network of ``sizes`` nodes per layer (inputs first, one output last), and its steps."""

    weights: list                # one matrix per pair of layers, input side first
    activation: str = "tanh"     # of the hidden layers; the output node is a sigmoid
    steps: int = 0               # how many steps it has taken (which batch comes next)

    @classmethod
    def start(cls, sizes, activation="tanh", seed=1):
        """Fresh weights from ``np.random.RandomState(seed)``, as the sources draw them."""
        sizes = [int(n) for n in sizes]
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"Playground: sizes must be 2 or more layers of 1 or more nodes, got {sizes}")
        if activation not in ACTIVATIONS:
            raise ValueError(f"Playground: activation must be one of {', '.join(ACTIVATIONS)}, "
                             f"got {activation!r}")
        random = np.random.RandomState(seed)
        weights = [(2 * random.random_sample((rows, cols)) - 1).tolist()
                   for rows, cols in zip(sizes, sizes[1:])]
        return cls(weights, activation, 0)

    def forward(self, k, layer_0, transposed=None):
        """Every layer's output for one row of inputs: ``[layer_0, layer_1, ..., output]``.

        transposed: ``[k.transpose(w) for w in self.weights]``, when the caller has it already.
        """
        transposed = transposed or [k.transpose(w) for w in self.weights]
        layers = [layer_0]
        for l, weights_t in enumerate(transposed):
            rule = "sigmoid" if l == len(transposed) - 1 else self.activation
            layers.append(getattr(k, rule)(k.vect_mat_mul(layers[l], weights_t)))
        return layers

    def step(self, k, rows, targets, alpha, batch_size):
        """One step of gradient descent on the next batch of ``rows`` (``targets``: one list each)."""
        if isinstance(batch_size, bool) or not isinstance(batch_size, Integral) or batch_size < 1:
            raise ValueError("Playground.step: batch_size must be a whole number of 1 or more, "
                             f"got {batch_size!r}")
        if not len(rows) or len(rows) != len(targets):
            raise ValueError(f"Playground.step: rows and targets must be as many and not none, got "
                             f"{len(rows)} rows and {len(targets)} targets")
        batches = -(-len(rows) // batch_size)
        start = (self.steps % batches) * batch_size
        batch = range(start, min(start + batch_size, len(rows)))
        transposed = [k.transpose(w) for w in self.weights]
        sums = [[[0.0] * len(w[0]) for _ in w] for w in self.weights]
        slope = getattr(k, self.activation + "2deriv")
        for i in batch:
            layers = self.forward(k, rows[i], transposed)
            delta = k.vec_mul(k.vec_sub(layers[-1], targets[i]), k.sigmoid2deriv(layers[-1]))
            for l in range(len(self.weights) - 1, -1, -1):
                sums[l] = k.vec_add(sums[l], k.outer_prod(layers[l], delta))
                if l > 0:
                    delta = k.vec_mul(k.vect_mat_mul(delta, self.weights[l]), slope(layers[l]))
        self.weights = [k.vec_sub(w, k.ele_mul(alpha / len(batch), s))
                        for w, s in zip(self.weights, sums)]
        self.steps += 1

    def error(self, k, rows, targets):
        """The mean of ``|output - target|`` over ``rows`` (NaN for no rows)."""
        transposed = [k.transpose(w) for w in self.weights]
        outputs = [self.forward(k, row, transposed)[-1][0] for row in rows]
        return k.mean_abs_error(outputs, [target[0] for target in targets])


__all__ = ["Playground", "ACTIVATIONS"]
