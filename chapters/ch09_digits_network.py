"""Real handwritten digits: a 64-32-10 network, bias units, and how many images per update

Beyond the sources: the book's chapter 8 network ("learning signal and
ignoring noise") on real data, the 1,797 8x8 handwritten digits shipped with
grokking (UCI "Optical Recognition of Handwritten Digits", CC BY 4.0). Built
from the same kernels as every chapter, a whole batch at a time (``mat_mul``):

1. the data: what one digit looks like as 64 numbers, and the 80/20 split;
2. the plain network: 64 pixels -> 32 relu units -> 10 scores, one image per
   update (as in the book), train and test accuracy after every epoch;
3. bias units: one more weight per unit that does not depend on the input;
4. full batch vs mini-batch vs stochastic: the same epochs, very different
   numbers of updates (and times);
5. two slips in the book's chapter 8 code, and what they change.

    python chapters/ch09_digits_network.py --backend pure|cython|numpy --plot DIR [--epochs N] [--examples N]

The pure backend does every multiplication in plain Python: a few minutes
(progress on standard error); ``--backend cython`` takes seconds.
"""
# %%
import importlib.util
import sys

if importlib.util.find_spec("grokking") is None:  # a checkout without `pip install .`
    print("grokking is not installed: run `python3 -m venv .venv && .venv/bin/pip install .`"
          " in the project folder, then run the chapter with .venv/bin/python", file=sys.stderr)
    raise SystemExit(2)

import numpy as np

from grokking.lessons.digits import (accuracy_table, digits_data, draw_bars, draw_curves, percent,
                                    run, start_digits)
from grokking.lessons.lesson import Options
from grokking.networks.digits import DigitNetwork, Recipe, book_relu2deriv

from grokking.networks.rows import add_up, one_hot

# What --trace and --plot DIR do in this chapter (`python -m grokking chapters` lists it).
OPTIONS = Options(trace="the shapes and first numbers of one forward pass of 2 images",
                  plot="accuracy per epoch (plain and bias, and by batch size) "
                       "and the accuracy table")

EPOCHS = 10

# %% [markdown]
# ## 1. The data
# Each image is 8x8 pixels; each pixel counts how many of 16 dots were inked,
# divided by 16 so it lies between 0 and 1. The network never sees a picture,
# only a list of 64 numbers, and the label says which digit it is.


# %%
def ascii_digit(image):
    """One image as 8 lines of text: darker pixels, denser characters."""
    shades = " .:-=+*#%@"
    return "\n".join("".join(shades[min(9, int(p * 9.999))] * 2 for p in image[row * 8:row * 8 + 8])
                     for row in range(8))


def show_data(train, test):
    images, labels = train
    print(f"{len(images) + len(test[1])} images of 64 pixels; {len(images)} to learn from, "
          f"{len(test[1])} kept for testing (split with seed 0).")
    print(f"The first training image, label {labels[0]}:")
    print(ascii_digit(images[0]))
    print("Its first row as numbers:", " ".join(f"{p:.4f}" for p in images[0][:8]))
    counts = [labels.count(d) for d in range(10)]
    print("Training images per digit 0..9:", counts)


# %% [markdown]
# ## 2. The plain network
# The book's chapter 8 network, on digits: 32 hidden relu units, no bias,
# a linear output scored with squared error against a one-hot target (a 1
# at the label's position), alpha 0.01, one image per update, the images in
# a new random order every epoch. Initial weights ``0.1 * (2*random - 1)``
# from NumPy's legacy generator with seed 1.

# %%
PLAIN = Recipe(hidden=32, alpha=0.01, epochs=EPOCHS, batch_size=1)


def print_epochs(history, every=1):
    for epoch in range(every, len(history.train) + 1, every):
        print(f"  epoch {epoch:3d}  train accuracy {history.train[epoch - 1]:.4f}"
              f"  test accuracy {history.test[epoch - 1]:.4f}")


def show_trace(lesson, train):
    """--trace: the shapes (and first numbers) of one forward pass of a batch of 2 images."""
    network = DigitNetwork(lesson.k, PLAIN)
    layer_1, layer_2 = network.forward(_rows(network, train[0][:2]))
    print("  trace: layer_0 is 2 x 64, weights_0_1 64 x 32, layer_1 2 x 32, weights_1_2 32 x 10, layer_2 2 x 10")
    print("  trace: layer_1[0][:5] =", [round(float(v), 6) for v in list(layer_1[0])[:5]])
    print("  trace: layer_2[0]     =", [round(float(v), 6) for v in list(layer_2[0])])
    print("  trace: target[0]      =", one_hot(train[1][:1], False)[0])


# %% [markdown]
# ## 3. Bias units
# ``layer_1 = relu(layer_0 . weights_0_1 + bias_1)``: each unit gets one more
# weight, as if every image had a 65th pixel that is always 1. A unit can then
# switch on (or stay off) even where the image is blank.

# %% [markdown]
# ## 4. Full batch, mini-batch, stochastic
# One epoch shows the network every training image once. *Stochastic* updates
# the weights after each image (1,438 updates an epoch); *mini-batch* averages
# the slope over 32 images (45 updates); *full batch* over all of them (1
# update). Averaging makes each step steadier, so it can be bigger (alpha 0.1
# and 0.5 instead of 0.01); a batch also goes through the kernels as one
# ``mat_mul``, which is where the compiled backend shines.

# %%
def batch_recipes(epochs):
    return [("stochastic (1 image)", PLAIN.but(epochs=epochs)),
            ("mini-batch (32 images)", PLAIN.but(epochs=epochs, batch_size=32, alpha=0.1)),
            ("full batch (all images)", PLAIN.but(epochs=epochs, batch_size=None, alpha=0.5))]


# %% [markdown]
# ## 5. Two slips in the book's chapter 8
# (a) ``relu2deriv = lambda output: output >= 0``. At 0 its slope is 1; and a
# relu's output is never below 0, so it is 1 *everywhere*: a switched-off unit
# still passes error back as if it were on. The kernels' ``relu2deriv`` uses
# ``output > 0``. (b) In the mini-batch loop the weight update is indented
# inside ``for k in range(batch_size)``, so each batch moves the weights
# batch_size times instead of once: as if alpha were batch_size times bigger.

# %%
def dead_unit_change(k, derivative):
    """How much the weights into a switched-off hidden unit move in one update (0 is right)."""
    recipe = PLAIN.but(book_relu2deriv=derivative == "book")
    network = DigitNetwork(k, recipe)
    # one image that switches hidden unit 0 off: the unit's weights are pushed negative
    network.weights_0_1 = _with_column(network.weights_0_1, 0, -0.1)
    layer_0 = _rows(network, [[1.0] * 64])
    before = _column(network.weights_0_1, 0)
    network.train_batch(layer_0, one_hot([3], network.arrays))
    return max(abs(a - b) for a, b in zip(before, _column(network.weights_0_1, 0)))


def batch_loop_ratio(k, batch_size=32):
    """Weight change of one batch with the book's loop, divided by the change with the fixed loop."""
    images, labels = digits_data()[0]
    changes = []
    for book in (False, True):
        network = DigitNetwork(k, PLAIN.but(batch_size=batch_size, alpha=0.001, book_batch_loop=book))
        before = _column(network.weights_1_2, 0)
        network.train_batch(_rows(network, images[:batch_size]),
                            one_hot(labels[:batch_size], network.arrays))
        changes.append(add_up(abs(a - b) for a, b in zip(before, _column(network.weights_1_2, 0))))
    return changes[1] / changes[0]


def _rows(network, matrix):
    """``matrix`` as the network's own kind of matrix (arrays, or lists for pure)."""
    return np.array(matrix, dtype=float) if network.arrays else [list(map(float, r)) for r in matrix]


def _column(matrix, j):
    """Column ``j`` of a matrix, as a list of floats."""
    return [float(row[j]) for row in matrix]


def _with_column(matrix, j, value):
    """A copy of ``matrix`` with every number of column ``j`` set to ``value``."""
    m = np.array(matrix, dtype=float)
    m[:, j] = value
    return m if isinstance(matrix, np.ndarray) else m.tolist()


# %%
def main(argv=None, epochs=None, examples=None):
    lesson, cli_epochs, cli_examples = start_digits(__doc__, argv, OPTIONS)
    epochs = epochs or cli_epochs or EPOCHS
    examples = examples or cli_examples
    train, test = digits_data(examples)

    print("1. The data: the 8x8 handwritten digits")
    show_data(train, test)

    print(f"\n2. The plain network: 64 -> 32 relu -> 10, one image per update, alpha 0.01, {epochs} epochs")
    if lesson.trace:
        show_trace(lesson, train)
    plain, plain_seconds = run(lesson, "plain", PLAIN.but(epochs=epochs), train, test)
    print_epochs(plain)
    print(f"After {epochs} epochs the plain network reads {percent(plain.final_test).strip()} of "
          "digits it has never seen (test).")

    print("\n3. Bias units: the same network with a bias on each hidden and output unit")
    bias, _ = run(lesson, "bias", PLAIN.but(epochs=epochs, bias=True), train, test)
    print_epochs(bias)

    print("\n4. Full batch vs mini-batch vs stochastic, the same number of epochs")
    print(f"{'':26s}  alpha  updates   train    test   seconds")
    batches = []
    for name, recipe in batch_recipes(epochs):
        history, seconds = (plain, plain_seconds) if recipe == PLAIN.but(epochs=epochs) else \
            run(lesson, name, recipe, train, test)
        size = recipe.batch_size or len(train[1])
        updates = epochs * -(-len(train[1]) // size)
        print(f"{name:26s}  {recipe.alpha:5g}  {updates:7d}  {percent(history.final_train)}  "
              f"{percent(history.final_test)}  {seconds:7.2f}")
        batches.append((name, history))
    print("Full batch takes one step an epoch: steady, but few. Stochastic takes many small,")
    print("noisy steps. Mini-batch is in between, and does its work in big matrix products.")

    print("\n5. Two slips in the book's chapter 8 code")
    print("(a) relu2deriv: the change of the weights into a switched-off hidden unit, one update:")
    print(f"    book  (output >= 0): {dead_unit_change(lesson.k, 'book'):.6f}   <- it should not move")
    print(f"    fixed (output >  0): {dead_unit_change(lesson.k, 'fixed'):.6f}")
    print("    book_relu2deriv(0.0) =", book_relu2deriv([0.0])[0], " relu2deriv(0.0) =",
          lesson.k.relu2deriv(0.0))
    slip_a, _ = run(lesson, "book relu2deriv", PLAIN.but(epochs=epochs, book_relu2deriv=True), train, test)
    print(f"    trained with the book's relu2deriv: test {percent(slip_a.final_test).strip()} "
          f"(fixed: {percent(plain.final_test).strip()})")
    print("(b) the batch loop: one batch of 32 moves weights_1_2 by "
          f"{batch_loop_ratio(lesson.k):.2f} times as much with the book's loop as with one update.")
    mini = batches[1][1].recipe
    slip_b, _ = run(lesson, "book batch loop", mini.but(book_batch_loop=True, epochs=max(1, epochs // 5)),
                    train, test)
    print(f"    mini-batch trained {max(1, epochs // 5)} epoch(s) with the book's loop (alpha 0.1, "
          f"so really 3.2): test {percent(slip_b.final_test).strip()}")

    rows = [("plain", plain), ("bias units", bias), ("mini-batch (32)", batches[1][1]),
            ("full batch", batches[2][1]), ("book relu2deriv (slip)", slip_a),
            ("book batch loop (slip)", slip_b)]
    print("\nAccuracy table (test = digits never trained on):")
    print(accuracy_table(rows))

    lesson.plot("ch09_plain_and_bias.png", draw_curves(
        [("plain: train", plain.train, "b-"), ("plain: test", plain.test, "b--"),
         ("bias: train", bias.train, "g-"), ("bias: test", bias.test, "g--")],
        "The digits network: accuracy per epoch"))
    lesson.plot("ch09_batch_sizes.png", draw_curves(
        [(f"{name}: test", history.test, style) for (name, history), style
         in zip(batches, ("b-", "g-", "r-"))], "Test accuracy per epoch, by batch size"))
    lesson.plot("ch09_accuracy_table.png", draw_bars(rows, "Test accuracy, chapter 9"))
    lesson.finish()


if __name__ == "__main__":
    main()
