"""Momentum, relu vs sigmoid vs tanh, softmax with cross-entropy: the best digits network

Beyond the sources: more of the book's ideas (its chapters 8 and 9), each
measured on the 8x8 handwritten digits against the same plain network, all
1,438 training images, 20 epochs:

1. momentum: each step keeps 90% of the last one, so the weights keep rolling
   in a steady direction and do not zig-zag;
2. the hidden layer's activation: relu, sigmoid or tanh;
3. softmax with cross-entropy: the 10 outputs become probabilities, and the
   error says how surprised the network was by the right answer;
4. all the good ideas together: the best network of these chapters.

    python chapters/ch11_digits_best_network.py --backend pure|cython|numpy --plot DIR [--epochs N] [--examples N]

The pure backend trains 7 networks in plain Python: a couple of minutes
(progress on standard error); ``--backend cython`` takes seconds.
"""
# %%
import importlib.util
import sys

if importlib.util.find_spec("grokking") is None:  # a checkout without `pip install .`
    print("grokking is not installed: run `python3 -m venv .venv && .venv/bin/pip install .`"
          " in the project folder, then run the chapter with .venv/bin/python", file=sys.stderr)
    raise SystemExit(2)
from grokking.lessons.digits import (accuracy_table, digits_data, draw_bars, draw_curves, percent,
                                    run, start_digits)
from grokking.lessons.lesson import Options
from grokking.networks.digits import Recipe

from grokking.networks.rows import add_up, softmax_rows

# What --trace and --plot DIR do in this chapter (`python -m grokking chapters` lists it).
OPTIONS = Options(plot="test accuracy per epoch (momentum, activations) and the accuracy table",
                  no_trace="chapter 9's --trace shows one forward pass of the plain network")

EPOCHS = 20

# %% [markdown]
# ## The plain network of this chapter
# Chapter 9's mini-batch network: 64 -> 32 relu -> 10, linear output with
# squared error, batches of 32, alpha 0.1, weights ``0.1 * (2*random - 1)``
# from seed 1. Every idea below changes one thing about it.

# %%
PLAIN = Recipe(hidden=32, alpha=0.1, epochs=EPOCHS, batch_size=32)

# %% [markdown]
# ## 1. Momentum
# ``velocity = 0.9 * velocity + slope``, then ``weights -= alpha * velocity``.
# Where the slopes agree from step to step, the steps grow (up to 10 times);
# where they flip back and forth, they cancel.

# %% [markdown]
# ## 2. Relu, sigmoid, tanh
# The hidden layer needs a bend, or two layers are no better than one. relu
# (``max(x, 0)``) lets big signals through; sigmoid squashes into (0, 1) and
# its slope is at most 0.25, so it learns slower at the same alpha; tanh
# squashes into (-1, 1), slope up to 1. Each uses its own ``2deriv`` kernel.

# %% [markdown]
# ## 3. Softmax with cross-entropy
# ``softmax`` turns the 10 scores into probabilities that add up to 1
# (``e^score / sum(e^scores)``); the error is ``-log(probability of the right
# digit)``. Its slope is simply ``probabilities - target``: the same
# ``layer_2_delta`` line as before, with better numbers in it.

# %%
def show_softmax():
    """One row of scores, and what softmax makes of it (a helper, not a kernel)."""
    scores = [[2.0, 1.0, 0.1]]
    probabilities = softmax_rows(scores)[0]
    print("   scores", scores[0], "-> probabilities", [round(p, 4) for p in probabilities],
          f"(sum {add_up(probabilities):.4f})")


def idea_recipes(epochs):
    plain = PLAIN.but(epochs=epochs)
    return [("momentum 0.9", plain.but(momentum=0.9)),
            ("sigmoid hidden", plain.but(activation="sigmoid")),
            ("tanh hidden", plain.but(activation="tanh")),
            ("softmax + cross-entropy", plain.but(output="softmax")),
            ("best: all together", BEST.but(epochs=round(epochs * 1.5)))]


# %% [markdown]
# ## 4. The best network
# 64 hidden relu units with bias units, softmax with cross-entropy, batches of
# 16, alpha 0.1, momentum 0.9, and 30 epochs (half as many again). No L2 or
# dropout: with all 1,438 images this network does not overfit much (chapter 10).

# %%
BEST = Recipe(hidden=64, bias=True, output="softmax", batch_size=16, alpha=0.1,
              momentum=0.9, epochs=30)


# %%
def main(argv=None, epochs=None, examples=None):
    lesson, cli_epochs, cli_examples = start_digits(__doc__, argv, OPTIONS)
    epochs = epochs or cli_epochs or EPOCHS
    examples = examples or cli_examples
    train, test = digits_data(examples)
    print(f"Training on {len(train[1])} images, testing on {len(test[1])}; the plain network: "
          f"64 -> 32 relu -> 10, batches of 32, alpha 0.1, {epochs} epochs.")
    plain, plain_seconds = run(lesson, "plain", PLAIN.but(epochs=epochs), train, test)
    rows = [("plain", plain)]
    seconds = {"plain": plain_seconds}
    for name, recipe in idea_recipes(epochs):
        history, seconds[name] = run(lesson, name, recipe, train, test)
        rows.append((name, history))
    found = dict(rows)
    every = max(1, epochs // 5)

    print("\n1. Momentum: test accuracy at epochs", list(range(every, epochs + 1, every)))
    for name in ("plain", "momentum 0.9"):
        print(f"   {name:14s}", " ".join(percent(found[name].test[e - 1]) for e in range(every, epochs + 1, every)))

    print("\n2. The hidden activation (same alpha 0.1):")
    for name in ("plain", "sigmoid hidden", "tanh hidden"):
        label = "relu hidden" if name == "plain" else name
        print(f"   {label:15s} train {percent(found[name].final_train)}  test {percent(found[name].final_test)}")

    print("\n3. Softmax:")
    show_softmax()
    print(f"   with cross-entropy: test {percent(found['softmax + cross-entropy'].final_test).strip()}"
          f" (squared error: {percent(plain.final_test).strip()})")

    best = found["best: all together"]
    print(f"\n4. The best network, {len(best.test)} epochs: train {percent(best.final_train).strip()}, "
          f"test {percent(best.final_test).strip()} ({best.final_test:.4f})")

    print(f"\nAccuracy table ({len(train[1])} training images; test = {len(test[1])} digits never trained on):")
    print(accuracy_table(rows))
    print("\nSeconds per network:", ", ".join(f"{name} {s:.2f}" for name, s in seconds.items()))

    lesson.plot("ch11_momentum.png", draw_curves(
        [("plain: test", plain.test, "b-"), ("momentum 0.9: test", found["momentum 0.9"].test, "g-")],
        "Momentum: test accuracy per epoch"))
    lesson.plot("ch11_activations.png", draw_curves(
        [("relu: test", plain.test, "b-"), ("sigmoid: test", found["sigmoid hidden"].test, "r-"),
         ("tanh: test", found["tanh hidden"].test, "g-"),
         ("softmax + cross-entropy: test", found["softmax + cross-entropy"].test, "m--")],
        "Activations and softmax: test accuracy per epoch"))
    lesson.plot("ch11_accuracy_table.png", draw_bars(rows, "Test accuracy, chapter 11"))
    lesson.finish()


if __name__ == "__main__":
    main()
