"""Generalizing gradient descent: many weights at once

Source 004 (notes on "Grokking Deep Learning", chapter 5): the same learning
rule for a network with several inputs, several outputs, or both:

1. several inputs: one delta, one weight_delta per input (``ele_mul``);
2. several steps of learning (the three iterations 004 printed);
3. freezing one weight (book chapter 5): the others still learn;
4. several outputs: one delta per output;
5. several inputs and outputs (``vect_mat_mul``, ``outer_prod``), the update
   004 printed, the corrected update, and a gradient check that proves which
   one is the gradient.

    python chapters/ch03_generalizing_gradient_descent.py --backend pure|cython|numpy

The source's code lost its minus signs when it was turned into text
(``delta = pred  true``); the arithmetic of its printed numbers says what they
were, and this chapter prints them with their signs.
"""
# %% [markdown]
# ## The data: game 0 of the season
# Inputs: toes 8.5, win/loss record 0.65, fans 1.2 (millions). The team won.

# %%
import importlib.util
import sys

if importlib.util.find_spec("grokking") is None:  # a checkout without `pip install .`
    print("grokking is not installed: run `python3 -m venv .venv && .venv/bin/pip install .`"
          " in the project folder, then run the chapter with .venv/bin/python", file=sys.stderr)
    raise SystemExit(2)
from grokking.networks.gradcheck import gradient_check
from grokking.lessons.lesson import Options, start

# What --trace and --plot DIR do in this chapter (`python -m grokking chapters` lists it).
OPTIONS = Options(no_trace="every step of its learning is printed already",
                  no_plot="each part learns for one to three steps, all printed")

toes = [8.5, 9.5, 9.9, 9.0]
wlrec = [0.65, 0.8, 0.8, 0.9]
nfans = [1.2, 1.3, 0.5, 1.0]
win_or_lose_binary = [1, 1, 0, 1]
hurt = [0.1, 0.0, 0.0, 0.1]
win = [1, 1, 0, 1]
sad = [0.1, 0.0, 0.1, 0.2]

my_input = [toes[0], wlrec[0], nfans[0]]


def update(k, weights, alpha, weight_deltas):
    """``weights[i] -= alpha * weight_deltas[i]``, as new lists (vector or matrix)."""
    if weights and isinstance(weights[0], list):
        return [k.vec_sub(weights[i], k.ele_mul(alpha, weight_deltas[i]))
                for i in range(len(weights))]
    return k.vec_sub(weights, k.ele_mul(alpha, weight_deltas))


# %% [markdown]
# ## 1-3. Several inputs, one output
# `pred = w_sum(input, weights)`, `delta = pred - true` (one number), and each
# weight's share of the blame is `delta * input[i]`: `ele_mul(delta, input)`.
# A weight whose input is 0 did nothing and gets no change (stopping); a
# negative input flips the change (negative reversal); a large input makes it
# large (scaling).

# %%
def learn_several_inputs(k, weights=(0.1, 0.2, -0.1), alpha=0.01, iterations=3, frozen=None):
    """Learn the multi-input network on game 0; one record per iteration (before its update).

    frozen: the index of a weight whose weight_delta is set to 0 (it never changes).
    Each record is a dict: pred, error, delta, weights, weight_deltas.
    """
    weights = list(weights)
    true = win_or_lose_binary[0]
    history = []
    for iteration in range(iterations):
        pred = k.w_sum(my_input, weights)
        error = (pred - true) ** 2
        delta = pred - true
        weight_deltas = k.ele_mul(delta, my_input)
        if frozen is not None:
            weight_deltas[frozen] = 0
        history.append(dict(pred=pred, error=error, delta=delta, weights=weights,
                            weight_deltas=weight_deltas))
        weights = update(k, weights, alpha, weight_deltas)
    history[-1]["next_weights"] = weights
    return history


# %% [markdown]
# ## 4. One input, several outputs
# `pred = ele_mul(input, weights)`; one delta per output; each weight's change
# is its output's delta times the one input.

# %%
def learn_several_outputs(k, weights=(0.3, 0.2, 0.9), alpha=0.1):
    """One step for the one-input, three-output network: ``(pred, delta, weight_deltas, weights)``."""
    input = wlrec[0]
    true = [hurt[0], win[0], sad[0]]
    pred = k.ele_mul(input, list(weights))
    delta = k.vec_sub(pred, true)
    weight_deltas = k.ele_mul(input, delta)
    return pred, delta, weight_deltas, update(k, list(weights), alpha, weight_deltas)


# %% [markdown]
# ## 5. Several inputs and several outputs
# `pred = vect_mat_mul(input, weights)`: `weights[i]` is the row of output i,
# so `pred[i] = w_sum(input, weights[i])`. Weight `weights[i][j]` joins input j
# to output i; its blame is `delta[i] * input[j]`, which is
# `outer_prod(delta, input)[i][j]`. The source used `outer_prod(input, delta)`:
# the transpose. Its printed numbers come from that; the gradient check below
# shows which one is the slope of the error.

# %%
#          toes  %win  #fans
WEIGHTS = [[0.1, 0.1, -0.3],   # hurt?
           [0.1, 0.2, 0.0],    # win?
           [0.0, 1.3, 0.1]]    # sad?
TRUE = [hurt[0], win[0], sad[0]]


def predict_several(k, weights=WEIGHTS):
    """``(pred, delta)`` of the three-input, three-output network on game 0."""
    pred = k.vect_mat_mul(my_input, weights)
    return pred, k.vec_sub(pred, TRUE)


def total_error(k, weights):
    """The error summed over the outputs: ``sum((pred[i] - true[i])**2)``."""
    pred, delta = predict_several(k, weights)
    return k.w_sum(delta, delta)


def learn_several_in_out(k, alpha=0.1, corrected=False):
    """One step from ``WEIGHTS``: ``(weight_deltas, new_weights)``.

    corrected=False is what 004 ran: ``outer_prod(my_input, delta)``;
    corrected=True uses ``outer_prod(delta, my_input)``, laid out as the weights are.
    """
    pred, delta = predict_several(k)
    if corrected:
        weight_deltas = k.outer_prod(delta, my_input)
    else:
        weight_deltas = k.outer_prod(my_input, delta)
    return weight_deltas, update(k, WEIGHTS, alpha, weight_deltas)


def check_gradients(k):
    """``(source, corrected)``: gradient checks of both weight_deltas against the total error.

    The slope of ``(pred[i] - true[i])**2`` along ``weights[i][j]`` is
    ``2 * delta[i] * input[j]``: the book's weight_delta without the 2 (it is
    folded into alpha), so we check ``2 * weight_deltas``.
    """
    def loss(weights):
        return total_error(k, weights)

    results = []
    for corrected in (False, True):
        weight_deltas, _ = learn_several_in_out(k, corrected=corrected)
        gradient = [k.ele_mul(2.0, row) for row in weight_deltas]
        results.append(gradient_check(loss, WEIGHTS, gradient))
    return tuple(results)


# %% [markdown]
# ## The lesson, printed step by step

# %%
def show_matrix(rows):
    """Print a list of rows the way Python prints it, one row per line."""
    for i, row in enumerate(rows):
        print(("[" if i == 0 else " ") + str(list(row)) + ("]" if i == len(rows) - 1 else ","))


def part_several_inputs(k):
    print("1. Several inputs: weights = [0.1, 0.2, -0.1], input = [toes, wlrec, nfans] of game 0")
    first = learn_several_inputs(k, iterations=1)[0]
    print("   pred = w_sum(my_input, weights); delta = pred - true; error = delta ** 2")
    print(f"Prediction: {first['pred']:.2f}")
    print(f"Error: {first['error']:.2f}")
    print(f"Delta: {first['delta']:.2f}")
    print("   weight_deltas = ele_mul(delta, my_input)   (8.5 * -0.14 = -1.19, ...)")
    print(["%.2f" % item for item in first["weight_deltas"]])
    print("   alpha = 0.01; weights[i] -= alpha * weight_deltas[i]")
    print("Weights:" + str(first["next_weights"]))
    print("Weight Deltas:" + str(first["weight_deltas"]))
    print("   The source lost its minus signs in extraction. Its lines, and what its numbers say:")
    print("     weights = [0.1, 0.2, .1]        ->  weights = [0.1, 0.2, -0.1]  (else pred = 1.1)")
    print("     delta = pred  true              ->  delta = pred - true  (Delta: -0.14, printed 0.14)")
    print("     weights[i] = alpha * weight_deltas[i]  ->  weights[i] -= alpha * weight_deltas[i]")
    print("     Weights:[0.1119, 0.20091, 0.09832]     ->  the last one is -0.09832")
    print("     error[i] = (pred[i]  true[i] ** 2)    ->  error[i] = (pred[i] - true[i]) ** 2")


def part_several_steps(k):
    print("\n2. Several steps of learning (alpha 0.01, the three iterations of 004)")
    for iteration, step in enumerate(learn_several_inputs(k, iterations=3)):
        print(f"Iteration: {iteration + 1}")
        print(f"Pred: {step['pred']}")
        print(f"Error: {step['error']}")
        print(f"Weights: {step['weights']}")
        print(f"Weight Deltas: {step['weight_deltas']}")
        print()
    print("   The network gets more accurate each step. (004 printed the error of iteration 3")
    print("   as 8.802712522307997e05: the minus of e-05 was lost too.)")


def part_freezing(k):
    print("\n3. Freezing one weight (book chapter 5): weight_deltas[0] = 0, alpha 0.3")
    history = learn_several_inputs(k, alpha=0.3, iterations=3, frozen=0)
    for iteration, step in enumerate(history):
        print("Iteration:" + str(iteration + 1))
        print("Pred:" + str(step["pred"]))
        print("Error:" + str(step["error"]))
        print("Delta:" + str(step["delta"]))
        print("Weights:" + str(step["weights"]))
        print("Weight_Deltas:")
        print(str(step["weight_deltas"]))
        print()
    print("   weights[0] (toes) never moved, yet the error fell: the other weights found the")
    print("   bottom of the error curve without it. All weights share one delta, one error.")


def part_several_outputs(k):
    print("\n4. Several outputs: input = wlrec[0] = 0.65, weights = [0.3, 0.2, 0.9], alpha 0.1")
    print("   true = [hurt, win, sad] = [0.1, 1, 0.1]; delta = pred - true; "
          "weight_deltas = ele_mul(input, delta)")
    pred, delta, weight_deltas, weights = learn_several_outputs(k)
    print("   pred  = " + str(pred))
    print("   delta = " + str(delta))
    print("Weights:" + str(weights))
    print("Weight Deltas:" + str(weight_deltas))


def part_several_in_out(k):
    print("\n5. Several inputs and outputs: pred = vect_mat_mul(my_input, weights)")
    pred, delta = predict_several(k)
    print("   pred = " + str(pred))
    print("my_input")
    print(my_input)
    print("delta")
    print(delta)
    print("   What 004 ran: weight_deltas = outer_prod(my_input, delta), alpha 0.1,")
    print("   weights[i][j] -= alpha * weight_deltas[i][j]:")
    _, source_weights = learn_several_in_out(k)
    print("weights")
    show_matrix(source_weights)
    print("   But weights[i] is the row of OUTPUT i (vect_mat_mul reads it so), and")
    print("   weight_deltas[i][j] = input[i] * delta[j] pairs output j's delta with row i:")
    print("   the transpose. weights[0][1] (hurt <- wlrec) got toes * delta[win] instead of")
    print("   delta[hurt] * wlrec. Only the diagonal happens to be right.")
    print("   Corrected: weight_deltas = outer_prod(delta, my_input):")
    _, fixed_weights = learn_several_in_out(k, corrected=True)
    print("weights")
    show_matrix(fixed_weights)

    print("\n   Proof: a gradient check. Nudge each weight by 1e-6 up and down, measure how the")
    print("   total error sum((pred - true)**2) changes, and compare with 2 * weight_deltas")
    print("   (the slope of the squared error; the book folds the 2 into alpha).")
    source, corrected = check_gradients(k)
    print("   weight   measured slope   2*004's   2*corrected")
    for i in range(3):
        for j in range(3):
            print(f"   [{i}][{j}]   {corrected.numeric[i][j]:12.6f}  {source.analytic[i][j]:10.6f}"
                  f"  {corrected.analytic[i][j]:10.6f}")
    print(f"   max relative difference, 004's update:   {source.max_relative_difference:.6f}"
          f"  -> {'right' if source.passed() else 'WRONG'}")
    print("   max relative difference, corrected:      "
          + ("below 1e-8" if corrected.max_relative_difference < 1e-8
             else f"{corrected.max_relative_difference:.3e}")
          + f"  -> {'right' if corrected.passed() else 'WRONG'}")

    print("\n   What one step does to the total error (it starts at "
          f"{total_error(k, WEIGHTS):.6f}):")
    after = {}
    for alpha in (0.1, 0.01):
        _, after_source = learn_several_in_out(k, alpha=alpha)
        _, after_fixed = learn_several_in_out(k, alpha=alpha, corrected=True)
        after[alpha] = total_error(k, after_source), total_error(k, after_fixed)
        print(f"   alpha {alpha:<4}: 004's update -> {after[alpha][0]:.6f},"
              f"  corrected -> {after[alpha][1]:.6f}")
    print("   With alpha 0.1 both overshoot (toes 8.5 is a large input: chapter 2's divergence).")
    print("   With alpha 0.01, the alpha 004 set first, the corrected step leaves "
          f"{after[0.01][0] / after[0.01][1]:.1f} times less error.")


def main(argv=None):
    lesson = start(__doc__, argv, OPTIONS)
    k = lesson.k
    print("Generalizing gradient descent: the same rule, for many weights at once.\n")
    part_several_inputs(k)
    part_several_steps(k)
    part_freezing(k)
    part_several_outputs(k)
    part_several_in_out(k)
    lesson.finish()


if __name__ == "__main__":
    main()
