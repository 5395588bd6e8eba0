"""The one-layer network of "11 lines" part 1, one step at a time (chapters 4 and 5).

Three inputs, one output, three weights: lines 28-39 of 001's 2-layer code.
Chapter 4 walks through its first iteration and trains it; chapter 5 prints
every value of the same first iteration from 002's seed. Both use what is here:

- ``starting_weights``: 001's ``2*np.random.random((3,1)) - 1`` after ``np.random.seed``;
- ``one_iteration``: one pass of the loop with a backend's kernels, every value kept;
- ``trace_*``: each of those values written out as the arithmetic that made it (``--trace``);
- ``train_one_layer``: the 10,000 iterations after it (``grokking.train(..., hidden=0)``);
- ``agreement``: why a single weighted sum learns one pattern and not another.
"""
from types import SimpleNamespace

from ..networks.train import initial_weights, train

ITERATIONS = 10000
RECORD_EVERY = 100   # how often the error is kept for the picture


def starting_weights(seed=1, rows=3):
    """Step 1 of 000, line 23 of 001: ``np.random.seed(seed); 2*np.random.random((3,1)) - 1``.

    The same numbers, drawn by ``grokking.train.initial_weights`` (NumPy's global
    random state is left alone).
    """
    return initial_weights(rows, 0, 1, seed)[0]


def one_iteration(k, X, y, weights):
    """One pass of 001's loop with the kernels ``k``; returns every value it made.

    Nothing is changed in place: ``new_weights`` is what ``syn0 += ...`` leaves.

        l0 = X
        l1 = nonlin(np.dot(l0, syn0))            # guess
        l1_error = y - l1                        # how much did we miss?
        l1_delta = l1_error * nonlin(l1, True)   # ... times the slope of the sigmoid
        syn0 += np.dot(l0.T, l1_delta)           # update
    """
    layer_0 = X
    dot_product = k.mat_mul(layer_0, weights)
    layer_1 = [k.sigmoid(row) for row in dot_product]
    layer_1_error = [k.vec_sub(target, guess) for target, guess in zip(y, layer_1)]
    slope = [k.sigmoid2deriv(row) for row in layer_1]
    layer_1_delta = [k.vec_mul(error, s) for error, s in zip(layer_1_error, slope)]
    update = k.mat_mul(k.transpose(layer_0), layer_1_delta)
    new_weights = [k.vec_add(w, u) for w, u in zip(weights, update)]
    return SimpleNamespace(layer_0=layer_0, weights=weights, dot_product=dot_product,
                           layer_1=layer_1, layer_1_error=layer_1_error, slope=slope,
                           layer_1_delta=layer_1_delta, update=update, new_weights=new_weights)


def agreement(X, y):
    """For each input column: in how many examples it equals the target (out of len(X))."""
    return [sum(1 for row, target in zip(X, y) if row[c] == target[0]) for c in range(len(X[0]))]


def train_one_layer(lesson, X, y, label, seed=1):
    """001's 10,000 iterations on the lesson's backend (``hidden=0``: no hidden layer).

    seed: where the starting weights come from (001 uses 1; chapter 5, after 002, uses 123).
    """
    result = train(X, y, hidden=0, iterations=ITERATIONS, seed=seed, backend=lesson.backend,
                   record_every=RECORD_EVERY, on_record=lesson.progress_every(label))
    lesson.done_progress()
    return result


# With --trace, each number of the first iteration is written out as arithmetic.

def trace_dot_products(step):
    """Each example's weighted sum, term by term."""
    for i, (row, dot) in enumerate(zip(step.layer_0, step.dot_product), 1):
        terms = " + ".join(f"{x:g}*({w[0]:.8f})" for x, w in zip(row, step.weights))
        print(f"  example {i}: {terms} = {dot[0]:.8f}")


def trace_sigmoids(step):
    """Each guess through the sigmoid, with the power of e it used."""
    for i, (dot, out) in enumerate(zip(step.dot_product, step.layer_1), 1):
        print(f"  example {i}: 1 / (1 + e^({-dot[0]:.8f})) = {out[0]:.8f}")


def trace_deltas(step, y):
    """For each example: the error, the sigmoid's slope, and their product (the delta)."""
    for i, (t, out, err, s, d) in enumerate(zip(y, step.layer_1, step.layer_1_error,
                                                step.slope, step.layer_1_delta), 1):
        print(f"  example {i}: error {t[0]:g} - {out[0]:.8f} = {err[0]: .8f};"
              f"  slope {out[0]:.8f}*(1 - {out[0]:.8f}) = {s[0]:.8f};"
              f"  delta {err[0]: .8f}*{s[0]:.8f} = {d[0]: .8f}")


def trace_update(step):
    """For each weight: the sum of input * delta over the examples, and the new weight."""
    deltas = [d[0] for d in step.layer_1_delta]
    for c, (u, w, new) in enumerate(zip(step.update, step.weights, step.new_weights)):
        terms = " + ".join(f"{row[c]:g}*({d:.8f})" for row, d in zip(step.layer_0, deltas))
        print(f"  weight {c + 1}: {terms} = {u[0]: .8f};"
              f"  {w[0]: .8f} + {u[0]: .8f} = {new[0]: .8f}")
