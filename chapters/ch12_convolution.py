"""Convolution on the digits: 16 small kernels slid over every 3x3 patch

The book's chapter 10 ("learning edges and corners") on the 8x8 handwritten
digits, built from the same kernels as every chapter (``grokking.networks.convolution``):

1. cutting an image into patches: the book's ``get_image_section``, every 3x3
   square of pixels as one row of 9 numbers (im2col);
2. the convolutional network: the patches times 16 kernels (one ``mat_mul``),
   tanh, then a dense softmax layer; dropout and batches as the book does;
3. side by side, epoch by epoch, with the best dense network of chapter 11,
   on the same split of the digits;
4. what the numbers say: weights, patches per image, and why 3x3 kernels gain
   less on 8x8 digits than on the book's 28x28 ones;
5. a slip in the book's chapter 10 code (its kernels climb the error), measured.

    python chapters/ch12_convolution.py --backend pure|cython|numpy --trace --plot DIR [--epochs N] [--examples N]

The pure backend does every multiplication in plain Python: a few minutes
(progress on standard error); ``--backend cython`` and ``--backend numpy``
take seconds.
"""
# %%
import importlib.util
import sys

if importlib.util.find_spec("grokking") is None:  # a checkout without `pip install .`
    print("grokking is not installed: run `python3 -m venv .venv && .venv/bin/pip install .`"
          " in the project folder, then run the chapter with .venv/bin/python", file=sys.stderr)
    raise SystemExit(2)

import time

from grokking.networks.convolution import (ConvRecipe, as_image, get_image_section,
                                  image_patches, parameter_count, train_conv)
from grokking.lessons.digits import digits_data, draw_curves, percent, run, start_digits
from grokking.lessons.lesson import Options
from grokking.networks.digits import Recipe

# What --trace and --plot DIR do in this chapter (`python -m grokking chapters` lists it).
OPTIONS = Options(trace="one test image's 36 patches and the first kernel's output for each",
                  plot="accuracy per epoch of both networks, the 16 learned 3x3 kernels and "
                       "each one's 6x6 feature map of one test digit")

EPOCHS = 12

# %% [markdown]
# ## 1. Cutting an image into patches
# The book's ``get_image_section(layer, row_from, row_to, col_from, col_to)``
# cuts one square out of an image; ``image_patches`` cuts every 3x3 square, left
# to right and top to bottom. A 3x3 kernel fits at 8 - 3 + 1 = 6 positions down
# and 6 across: 36 patches of 9 pixels. (The book's loop,
# ``for row_start in range(layer_0.shape[1] - kernel_rows)``, stops one position
# early: on 8x8 images it would cut 5 x 5 = 25 of the 36.)


# %%
def show_patches(train):
    image = as_image(train[0][0])
    print(f"The first training image (label {train[1][0]}), 8 rows of 8 pixels:")
    for row in image:
        print("   ", " ".join(f"{p:.2f}" for p in row))
    print("get_image_section(image, 0, 3, 0, 3), the top-left patch:",
          " ".join(f"{p:.2f}" for p in get_image_section(image, 0, 3, 0, 3)))
    print("get_image_section(image, 0, 3, 1, 4), one pixel to the right:",
          " ".join(f"{p:.2f}" for p in get_image_section(image, 0, 3, 1, 4)))
    patches = image_patches(image)
    book_loop = [(r, c) for r in range(8 - 3) for c in range(8 - 3)]
    print(f"image_patches(image): {len(patches)} patches of {len(patches[0])} pixels "
          f"(the book's loop: {len(book_loop)}).")
    print(f"A batch of 16 images is one {16 * len(patches)} x 9 matrix: the book's flattened_input.")


# %% [markdown]
# ## 2. The convolutional network
# The book's chapter 10 network, with sizes for 8x8 digits: 16 kernels of
# 3x3 weights (``kernels`` is 9 x 16, ``0.02*random - 0.01``); the 36 x 16 =
# 576 kernel outputs of an image, through tanh, are its hidden layer; a dense
# softmax layer (``weights_1_2``, 576 x 10, ``0.2*random - 0.1``) reads the
# digit from them. Dropout as the book's: in each training step half the
# hidden values are switched off and the rest doubled.
#
# The book trains 1,000 28x28 MNIST images for 300 epochs, in batches of 128
# with alpha 2, and divides the error by the batch size twice: each update
# moves the weights by 2 / 128 = 0.016 times the batch's average slope. On our
# 1,438 training digits that is 11 small updates an epoch, far too slow for 12
# epochs (57% test accuracy after 12, measured). Here batches of 16 and alpha
# 0.2: 90 updates an epoch, each 0.2 times the average slope (with batches of
# 16, alpha 0.05 to 0.5 all reach a best test accuracy between 96.7% and
# 97.8% in 12 epochs; alpha 1 swings more). Weights from seed 1, 12 epochs.

# %%
CONV = ConvRecipe(alpha=0.2, batch_size=16, epochs=EPOCHS)

# %% [markdown]
# ## 3. Beside the best dense network
# Chapter 11's best: 64 -> 64 relu (with bias units) -> 10 softmax, batches of
# 16, alpha 0.1, momentum 0.9. The same training and test images; test
# accuracy after every epoch.

# %%
DENSE = Recipe(hidden=64, bias=True, output="softmax", batch_size=16, alpha=0.1,
               momentum=0.9, epochs=EPOCHS)


def run_conv(lesson, recipe, train, test):
    """Train the convolutional network with progress on standard error; ``(history, seconds)``."""
    def progress(epoch, history):
        lesson.progress(f"convolutional: epoch {epoch} of {recipe.epochs}, "
                        f"train {history.train[-1]:.3f}, test {history.test[-1]:.3f}")

    started = time.perf_counter()
    history = train_conv(recipe, train, test, lesson.k, on_epoch=progress)
    lesson.done_progress()
    return history, time.perf_counter() - started


def side_by_side(conv, dense):
    print("epoch   convolutional: train    test    dense: train    test")
    for epoch in range(1, len(conv.test) + 1):
        print(f"{epoch:5d}   {percent(conv.train[epoch - 1]):>20}  {percent(conv.test[epoch - 1])}"
              f"  {percent(dense.train[epoch - 1]):>14}  {percent(dense.test[epoch - 1])}")


def best(history):
    """``(best test accuracy, its first epoch)``."""
    top = max(history.test)
    return top, history.test.index(top) + 1


def show_trace(network, test):
    """--trace: the first test image's 36 patches, and the first kernel's output for each
    (vect_mat_mul)."""
    k = network.k
    pixels, label = test[0][0], test[1][0]
    print(f"  trace: test image 0, the first of the {len(test[1])} test digits (a {label}; the network"
          " never trained on it),\n  trace: cut into its 36 patches of 3 x 3 pixels:")
    patches = image_patches(as_image(pixels))
    first_kernel = [float(row[0]) for row in network.kernels]
    print("  trace: the first kernel (trained), 3 x 3:",
          " | ".join(" ".join(f"{w:+.4f}" for w in first_kernel[r * 3:r * 3 + 3]) for r in range(3)))
    outputs = k.vect_mat_mul(first_kernel, patches)    # one weighted sum per patch
    for number, (patch, output) in enumerate(zip(patches, outputs)):
        print(f"  trace: patch {number:2d} (row {number // 6}, col {number % 6}):",
              " ".join(f"{p:.4f}" for p in patch), f"-> kernel 0: {float(output):+.6f}"
              f"  tanh {float(k.tanh([float(output)])[0]):+.6f}")


# %% [markdown]
# ## 4. Why convolution gains little here
# On 28x28 MNIST the book's kernels slide over 676 positions, each patch 9 of
# 784 pixels: an edge detector learned in one place is used everywhere. An 8x8
# digit has 36 positions, and a 3x3 patch already covers 9 of its 64 pixels;
# each pixel is itself the count of ink in a 4x4 block of the original
# drawing, so the edges the kernels would find are already smeared into the
# pixel values.

# %%
def dense_parameters(recipe, inputs=64, classes=10):
    """Weights (and biases) of a dense ``inputs -> hidden -> classes`` network."""
    biases = recipe.hidden + classes if recipe.bias else 0
    return inputs * recipe.hidden + recipe.hidden * classes + biases


def explain(conv, dense, test_size):
    network = conv.network
    conv_best, conv_epoch = best(conv)
    dense_best, dense_epoch = best(dense)
    missing = round((dense_best - conv_best) * test_size)
    print(f"Best test accuracy: convolutional {percent(conv_best).strip()} (epoch {conv_epoch}), "
          f"dense {percent(dense_best).strip()} (epoch {dense_epoch}).")
    if conv_best >= dense_best:
        print("The convolutional network reads at least as many test digits as the best dense one. "
              "In numbers:")
    else:
        print(f"The convolutional network reads {missing} fewer of the {test_size} test digits "
              f"(one digit is {100 / test_size:.2f} points). Why, in numbers:")
    kernel_weights = len(network.kernels) * len(network.kernels[0])
    print(f"  weights: convolutional {parameter_count(network):,} = {kernel_weights} in the kernels"
          f" + {network.hidden_size * 10:,} in weights_1_2; dense {dense_parameters(dense.recipe):,}"
          ".")
    print(f"  patches per image: {network.patches} (6 x 6); on 28x28 MNIST 676 (26 x 26). "
          f"Each kernel learns from {network.patches} places of every image, not 676.")
    print(f"  a patch is {9 / 64:.0%} of an 8x8 digit; on MNIST {9 / 784:.1%}.")
    conv_fit, dense_fit = conv.train[-1], dense.train[-1]
    print(f"  training digits read after the last epoch: convolutional {percent(conv_fit).strip()}, "
          f"dense {percent(dense_fit).strip()}.")
    if conv_fit < dense_fit:
        print("  The convolutional network fits fewer of its own training digits: its only learned")
        print(f"  features are {network.recipe.num_kernels} kernels of 9 weights, with no bias, "
              "through one tanh;")
        print(f"  the dense one has {dense.recipe.hidden} features of 64 weights, a bias for each, "
              "and momentum.")
    first_layer = 64 * dense.recipe.hidden
    print(f"Its first layer has {kernel_weights} weights against the dense one's {first_layer:,} "
          f"({first_layer / kernel_weights:.0f} times fewer),")
    print(f"and its best test accuracy is {100 * (conv_best - dense_best):+.1f} points from the "
          "dense one's: that is what sharing")
    print("9 weights across 36 positions buys on 8x8 digits.")


# %% [markdown]
# ## 5. A slip in the book's chapter 10 code
# The book computes ``layer_2_delta = (labels - layer_2) / ...``: the error the
# other way round, so that ``weights_1_2 += alpha * layer_1.T.dot(layer_2_delta)``
# moves downhill. Its ``k_update`` comes from the same delta, but is
# *subtracted*: ``kernels -= alpha * k_update``. The kernels climb the error
# while ``weights_1_2`` tries to make up for it (the book's printed run swings
# from 45% down to 1% and back up to 88%). ``ConvRecipe(book_kernel_update=True)`` puts the
# slip back.

# %%
def show_book_slip(lesson, conv, train, test):
    """One epoch with the book's kernel update, beside the first epoch of section 2."""
    slip, _ = run_conv(lesson, conv.recipe.but(book_kernel_update=True, epochs=1), train, test)
    print(f"Test accuracy after one epoch: the book's kernel update (uphill) {percent(slip.test[0]).strip()}, "
          f"downhill {percent(conv.test[0]).strip()}.")
    print("Only one epoch: climbing the error is chaotic. The uphill kernels grow, and the last bit")
    print("of each sum (NumPy adds in another order than the loops) soon decides the numbers: after")
    print("two epochs each backend would print others.")
    return slip


# %%
def small_picture(figure, place, values, title, **style):
    """One small picture in a grid of 3 rows x 6 (``place`` counts from 1), without axes."""
    axes = figure.add_subplot(3, 6, place)
    shown = axes.imshow(values, **style)
    axes.set_title(title, fontsize=8)
    axes.set_xticks([])
    axes.set_yticks([])
    return shown


def draw_kernels(network):
    """The picture: each learned kernel as a 3x3 grid of its weights (red +, blue -)."""
    def draw(plt):
        pictures = network.kernel_pictures()
        top = max(abs(w) for picture in pictures for row in picture for w in row)
        figure = plt.gcf()
        figure.set_size_inches(9, 5)
        for j, picture in enumerate(pictures):
            shown = small_picture(figure, j + 1, picture, f"kernel {j}", cmap="RdBu_r",
                                  vmin=-top, vmax=top)
        figure.colorbar(shown, ax=figure.axes, shrink=0.8, label="weight")
        figure.suptitle("The 16 learned 3x3 kernels (one colour scale for all)")
    return draw


def draw_feature_maps(network, pixels, label):
    """The picture: one test digit, and the 6x6 map each kernel makes of it (tanh outputs)."""
    def draw(plt):
        figure = plt.gcf()
        figure.set_size_inches(9, 5)
        small_picture(figure, 1, as_image(pixels), f"test digit ({label})", cmap="gray_r",
                      vmin=0, vmax=1)
        for j, feature_map in enumerate(network.feature_maps(pixels)):
            shown = small_picture(figure, j + 2, feature_map, f"kernel {j}", cmap="RdBu_r",
                                  vmin=-1, vmax=1)
        figure.colorbar(shown, ax=figure.axes, shrink=0.8, label="tanh(patch . kernel)")
        figure.suptitle("What each kernel sees in one digit: its 6x6 feature map")
    return draw


# %%
def main(argv=None, epochs=None, examples=None):
    lesson, cli_epochs, cli_examples = start_digits(__doc__, argv, OPTIONS)
    epochs = epochs or cli_epochs or EPOCHS
    examples = examples or cli_examples
    train, test = digits_data(examples)

    print("1. Cutting an image into patches")
    show_patches(train)

    conv_recipe, dense_recipe = CONV.but(epochs=epochs), DENSE.but(epochs=epochs)
    print(f"\n2. The convolutional network: 36 patches x 16 kernels of 3x3 -> 576 tanh -> 10 softmax,"
          f"\n   batches of {conv_recipe.batch_size}, alpha {conv_recipe.alpha}, dropout (half), "
          f"{epochs} epochs, {len(train[1])} training images")
    conv, conv_seconds = run_conv(lesson, conv_recipe, train, test)
    print(f"After {epochs} epochs it reads {percent(conv.test[-1]).strip()} of the {len(test[1])} "
          "test digits.")
    if lesson.trace:
        show_trace(conv.network, test)

    print(f"\n3. Beside the best dense network (chapter 11: 64 -> 64 relu + bias -> 10 softmax, "
          f"momentum 0.9),\n   the same {len(train[1])} training and {len(test[1])} test digits, "
          "accuracy after each epoch:")
    dense, dense_seconds = run(lesson, "dense", dense_recipe, train, test)
    side_by_side(conv, dense)

    print("\n4. What the numbers say")
    explain(conv, dense, len(test[1]))

    print("\n5. A slip in the book's code: kernels -= alpha * k_update, with k_update from labels - layer_2")
    show_book_slip(lesson, conv, train, test)
    print(f"\nSeconds per network: convolutional {conv_seconds:.2f}, dense {dense_seconds:.2f}")

    lesson.plot("ch12_accuracy.png", draw_curves(
        [("convolutional: train", conv.train, "b-"), ("convolutional: test", conv.test, "b--"),
         ("dense: train", dense.train, "g-"), ("dense: test", dense.test, "g--")],
        "Convolutional vs dense: accuracy per epoch"))
    lesson.plot("ch12_kernels.png", draw_kernels(conv.network))
    lesson.plot("ch12_feature_maps.png", draw_feature_maps(conv.network, test[0][0], test[1][0]))
    lesson.finish()


if __name__ == "__main__":
    main()
