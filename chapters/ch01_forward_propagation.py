"""Forward propagation: how a network makes a prediction

Book chapter 3 ("Introduction to neural prediction"). A neural network is a
few numbers (the weights) and a rule for combining them with the input. Here
the rule is always a weighted sum, done by the kernels of "Grokking Deep
Learning": ``w_sum``, ``ele_mul`` and ``vect_mat_mul``.

    python chapters/ch01_forward_propagation.py --backend pure|cython|numpy

Every prediction goes through the chosen backend's kernels, so each backend
prints the same numbers (up to the last digit of rounding).
"""
# %% [markdown]
# ## The data: the first four games of a season
# `toes` is the average number of toes per player, `wlrec` the fraction of
# games won so far, `nfans` the number of fans (in millions). We predict from
# game 0: toes 8.5, wlrec 0.65, nfans 1.2.

# %%
import importlib.util
import sys

if importlib.util.find_spec("grokking") is None:  # a checkout without `pip install .`
    print("grokking is not installed: run `python3 -m venv .venv && .venv/bin/pip install .`"
          " in the project folder, then run the chapter with .venv/bin/python", file=sys.stderr)
    raise SystemExit(2)
from grokking.lessons.lesson import Options, start

# What --trace and --plot DIR do in this chapter (`python -m grokking chapters` lists it).
OPTIONS = Options(no_trace="every number it computes is printed already",
                  no_plot="it makes single predictions, with no training to draw")

toes = [8.5, 9.5, 9.9, 9.0]
wlrec = [0.65, 0.8, 0.8, 0.9]
nfans = [1.2, 1.3, 0.5, 1.0]


# %% [markdown]
# ## 1. One input, one weight
# The smallest network there is: multiply the input by the weight.
# A one-weight network is a weighted sum of one input, so it is `w_sum([input], [weight])`.

# %%
def one_input(k, weight=0.1, input=toes[0]):
    """``prediction = input * weight`` (written as a weighted sum of one input)."""
    return k.w_sum([input], [weight])


# %% [markdown]
# ## 2. Several inputs: the weighted sum
# Each input has its own weight; multiply each pair and add it all up.

# %%
def several_inputs(k, weights=(0.1, 0.2, 0.0)):
    """``w_sum(input, weights)`` for game 0's toes, win/loss record and fans."""
    input = [toes[0], wlrec[0], nfans[0]]
    return k.w_sum(input, list(weights))


# %% [markdown]
# ## 3. Several outputs: one input, one weight per output
# One input (the win/loss record) predicts three things: hurt, win, sad.

# %%
def several_outputs(k, weights=(0.3, 0.2, 0.9)):
    """``ele_mul(input, weights)``: the one input times each output's weight."""
    return k.ele_mul(wlrec[0], list(weights))


# %% [markdown]
# ## 4. Several inputs and several outputs
# Each output has a row of weights, one per input: one weighted sum per row.

# %%
#          toes  %win  #fans
WEIGHTS = [[0.1, 0.1, -0.3],   # hurt?
           [0.1, 0.2, 0.0],    # win?
           [0.0, 1.3, 0.1]]    # sad?


def several_inputs_and_outputs(k, weights=WEIGHTS):
    """``vect_mat_mul(input, weights)``: ``output[i] = w_sum(input, weights[i])``."""
    input = [toes[0], wlrec[0], nfans[0]]
    return k.vect_mat_mul(input, weights)


# %% [markdown]
# ## 5. Predicting on predictions: a hidden layer
# The first layer's predictions (the "hidden" layer) are the input of a second layer.

# %%
INPUT_TO_HIDDEN = [[0.1, 0.2, -0.1],   # hid[0]
                   [-0.1, 0.1, 0.9],   # hid[1]
                   [0.1, 0.4, 0.1]]    # hid[2]
HIDDEN_TO_PREDICTION = [[0.3, 1.1, -0.3],  # hurt?
                        [0.1, 0.2, 0.0],   # win?
                        [0.0, 1.3, 0.1]]   # sad?


def predicting_on_predictions(k, ih_wgt=INPUT_TO_HIDDEN, hp_wgt=HIDDEN_TO_PREDICTION):
    """``(hid, pred)``: the hidden layer, then the prediction made from it."""
    input = [toes[0], wlrec[0], nfans[0]]
    hid = k.vect_mat_mul(input, ih_wgt)
    pred = k.vect_mat_mul(hid, hp_wgt)
    return hid, pred


# %% [markdown]
# ## The lesson, printed step by step

# %%
def main(argv=None):
    lesson = start(__doc__, argv, OPTIONS)
    k = lesson.k

    print("Forward propagation: a network turns an input into a prediction.")
    print(f"Data, game 0: toes {toes[0]}, wlrec {wlrec[0]}, nfans {nfans[0]}")

    print("\n1. One input, one weight: prediction = input * weight")
    print("   weight = 0.1, input = toes[0] = 8.5")
    print(one_input(k))
    print("   (8.5 * 0.1 is not exactly 0.85 in binary floating point: the last digit is rounding.)")

    print("\n2. Several inputs: pred = w_sum(input, weights), weights = [0.1, 0.2, 0.0]")
    print("   8.5*0.1 + 0.65*0.2 + 1.2*0.0")
    print(several_inputs(k))

    print("\n3. Several outputs: pred = ele_mul(input, weights), input = wlrec[0] = 0.65,")
    print("   weights = [0.3, 0.2, 0.9] for (hurt, win, sad)")
    print(several_outputs(k))

    print("\n4. Several inputs and outputs: pred = vect_mat_mul(input, weights)")
    print("   one row of weights per output: hurt [0.1, 0.1, -0.3], win [0.1, 0.2, 0.0], "
          "sad [0.0, 1.3, 0.1]")
    print("   pred[i] = w_sum(input, weights[i])")
    print(several_inputs_and_outputs(k))

    print("\n5. Predicting on predictions: input -> hidden layer -> prediction")
    hid, pred = predicting_on_predictions(k)
    print("   hid = vect_mat_mul(input, ih_wgt)")
    print(hid)
    print("   pred = vect_mat_mul(hid, hp_wgt)")
    print(pred)
    print("   The hidden numbers are predictions too: the second layer treats them as its input.")

    lesson.finish()


if __name__ == "__main__":
    main()
