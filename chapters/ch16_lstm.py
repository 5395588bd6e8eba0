"""LSTMs: why gradients vanish or explode through time, and a cell that learns to write

The book's chapter 14 ("Learning to write like Shakespeare"):

1. its "Exploding Gradients Examples" notebook, number for number: a 2-unit
   network runs 10 steps through the same weights ``[[1, 4], [4, 1]]``, as an
   RNN runs through time, and the gradient is sent back through the 10 steps:
   with sigmoid the activations saturate near 0.993, where the slope is
   0.0069, and the gradient shrinks about 30-fold a step (it vanishes); with
   relu the activations grow 5-fold a step, the slope is 1, and the gradient
   grows 5-fold a step (it explodes);
2. the framework's ``LSTMCell`` learning to write bAbI's stories one character
   at a time (the book writes Shakespeare, which cannot ship here), its loss
   falling, and a sample of what it writes before and after;
3. gradient clipping: the same network with a step size 6 times larger, with
   and without clipping;
4. how chaotic such a run is: a one-bit nudge to one weight, measured.

    python chapters/ch16_lstm.py --backend pure|cython|numpy [--trace] [--plot DIR] [--short]

The whole run takes about 5 s on cython, 8 s on numpy and 75 s on pure
(processor time, measured on a busy machine; progress on standard error); ``--short`` (or ``GROKKING_SHORT=1``) trains 30
windows and 8 instead of 200 and 100, and leaves out part 4.
"""
# %%
import importlib.util
import sys

if importlib.util.find_spec("grokking") is None:  # a checkout without `pip install .`
    print("grokking is not installed: run `python3 -m venv .venv && .venv/bin/pip install .`"
          " in the project folder, then run the chapter with .venv/bin/python", file=sys.stderr)
    raise SystemExit(2)

import math
from dataclasses import dataclass

import numpy as np

from grokking.framework import SGD, CrossEntropyLoss, Embedding, LSTMCell, Tensor
from grokking.lessons.lesson import Options
from grokking.networks.rows import add_up
from grokking.networks.text import Vocabulary
from grokking.lessons.text import babi_sentences, start_text

# What --trace and --plot DIR do in this chapter (`python -m grokking chapters` lists it).
OPTIONS = Options(trace="the first sigmoid step's sums and the first gradient step, as arithmetic; "
                        "the LSTM's gates at its first character",
                  plot="the size of the gradient at each step back, sigmoid and relu (log scale), "
                       "and the LSTM's loss per window, with and without clipping")

WEIGHTS = [[1.0, 4.0], [4.0, 1.0]]
START = [1.0, 0.01]
STEPS = 10


# %% [markdown]
# ## 1. Vanishing and exploding gradients
# The book's notebook, with the kernels:
#
#     activation = sigmoid(np.array([1, 0.01]))
#     for iter in range(10):
#         activation = sigmoid(activation.dot(weights))
#     gradient = np.ones_like(activation)
#     for activation in reversed(activations):
#         gradient = (activation * (1 - activation) * gradient)
#         gradient = gradient.dot(weights.transpose())
#
# ``activation.dot(weights)`` is ``vect_mat_mul(activation, transpose(weights))``
# (``vect_mat_mul`` takes a weighted sum with each *row*), and
# ``gradient.dot(weights.transpose())`` is ``vect_mat_mul(gradient, weights)``.

# %%
@dataclass
class Chain:
    """Ten steps forward through the same weights, and the gradient sent back through them."""
    activations: list
    gradients: list


def through_time(k, activation, nonlinearity):
    """``STEPS`` steps of ``activation = sigmoid(activation . weights)`` ("sigmoid") or relu,
    then the gradient back: times the slope at each activation (``sigmoid2deriv``:
    a * (1 - a); ``relu2deriv``: 1 where a > 0), then through the weights."""
    function, slope = {"sigmoid": (k.sigmoid, k.sigmoid2deriv), "relu": (k.relu, k.relu2deriv)}[nonlinearity]
    activations = []
    for _ in range(STEPS):
        activation = function(k.vect_mat_mul(activation, k.transpose(WEIGHTS)))
        activations.append(activation)
    gradients = []
    gradient = [1.0] * len(activation)
    for activation in reversed(activations):
        gradient = k.vect_mat_mul(k.vec_mul(slope(activation), gradient), WEIGHTS)
        gradients.append(gradient)
    return Chain(activations, gradients)


def as_numpy_prints(vector):
    """A vector printed as the book's ``print(activation)`` prints a NumPy array."""
    return str(np.array(vector, dtype=float))


def trace_first_steps(k, start_activation, chain):
    a = [float(v) for v in start_activation]
    sums = k.vect_mat_mul(a, k.transpose(WEIGHTS))
    print(f"  trace: start = sigmoid([1, 0.01]) = [{a[0]:.8f}, {a[1]:.8f}]")
    print(f"  trace: step 1 sums: {a[0]:.8f}*1 + {a[1]:.8f}*4 = {sums[0]:.8f};"
          f" {a[0]:.8f}*4 + {a[1]:.8f}*1 = {sums[1]:.8f}")
    print(f"  trace: step 1 = sigmoid of those = {as_numpy_prints(chain.activations[0])}")
    last = [float(v) for v in chain.activations[-1]]
    slope = [v * (1 - v) for v in last]
    print(f"  trace: back through step 10: slope = a * (1 - a) = [{slope[0]:.8f}, {slope[1]:.8f}];"
          f" times the weights: {slope[0]:.8f}*1 + {slope[1]:.8f}*4 = {float(chain.gradients[0][0]):.8f}")


def show_chain(name, chain):
    print(f"{name} activations")
    for activation in chain.activations:
        print(as_numpy_prints(activation))
    print(f"\n{name} gradients")
    for gradient in chain.gradients:
        print(as_numpy_prints(gradient))


def gradient_sizes(chain):
    return [math.sqrt(add_up(float(v) ** 2 for v in g)) for g in chain.gradients]


def vanishing_and_exploding(lesson):
    k = lesson.k
    start_activation = k.sigmoid(START)
    sigmoid = through_time(k, start_activation, "sigmoid")
    if lesson.trace:
        trace_first_steps(k, start_activation, sigmoid)
    show_chain("Sigmoid", sigmoid)
    saturated = float(sigmoid.activations[-1][0])
    slope = saturated * (1 - saturated)
    shrink = float(sigmoid.gradients[1][0]) / float(sigmoid.gradients[0][0])
    print(f"The activations settle at {saturated:.8f}, where the sigmoid's slope is"
          f" {saturated:.8f} * {1 - saturated:.8f} = {slope:.8f};\nthe weights multiply by 1 + 4 = 5,"
          f" so each step back multiplies the gradient by about {5 * slope:.4f}\n(measured from the"
          f" first two: {shrink:.4f}). After 10 steps it is {float(sigmoid.gradients[-1][0]):.1e}:"
          " it has vanished. The two entries part\nfrom the 5th step back on, where the gradient"
          " reaches the first activations, which still differ.")

    # The book's loop ``for activation in reversed(activations)`` leaves ``activation``
    # at the *first* activation of the loop; its relu cell starts from there.
    first_run = through_time(k, sigmoid.activations[0], "relu")
    book_run = through_time(k, first_run.activations[0], "relu")
    print("\nRelu, from where the sigmoid's gradient loop leaves `activation` (its first activation,"
          f" {as_numpy_prints(sigmoid.activations[0])}):")
    print("  first activation", as_numpy_prints(first_run.activations[0]), "... tenth",
          as_numpy_prints(first_run.activations[-1]))
    print("The book's printed relu numbers are this cell run a second time (its execution count"
          " is 160, the\nsigmoid cell's 158): the second run starts where the first run's gradient"
          " loop left `activation`,\nat its first activation. That run, number for number:\n")
    show_chain("Relu", book_run)
    growth = float(book_run.gradients[1][0]) / float(book_run.gradients[0][0])
    print("Every activation is positive, so relu's slope is 1 everywhere and each step back"
          f" multiplies the\ngradient by the weights, 1 + 4 = {growth:g}: after 10 steps it is"
          f" {float(book_run.gradients[-1][0]):,.0f} = 5^10: it has exploded.")
    return sigmoid, book_run


def draw_gradients(sigmoid, relu):
    def draw(plt):
        steps = list(range(1, STEPS + 1))
        plt.plot(steps, gradient_sizes(sigmoid), "o-", label="sigmoid: vanishes")
        plt.plot(steps, gradient_sizes(relu), "s-", label="relu: explodes")
        plt.yscale("log")
        plt.xlabel("steps back through time")
        plt.ylabel("size of the gradient, sqrt(g1^2 + g2^2) (log scale)")
        plt.title("The same weights, 10 steps back: vanishing and exploding gradients")
        plt.legend()
    return draw


# %% [markdown]
# ## 2. An LSTM learns to write bAbI, one character at a time
# The book trains ``grokking.framework``'s ``LSTMCell`` on Shakespeare (which
# cannot ship here) with embedding and hidden 512, 16 streams of text side by
# side, 25 characters per step back through time, alpha 0.05. Here it reads
# the 2,000 statements of bAbI task 1 as one text (lower case, ". " between
# them: 60,030 characters, 24 different ones), and the sizes are small enough
# for plain Python: embedding 8, hidden 16, 8 streams, 16 characters per step
# back. (512 x 512 weights take hours on lists; these take seconds compiled
# and a few minutes on pure.) The rest is the book's: its batching, its
# ``w_ho`` set to zero at the start, the hidden state carried from one window
# to the next (as a new Tensor, so that backpropagation stops there), the loss
# summed over the window, and ``argmax`` to pick each next character.
#
# Our cross-entropy's gradient is that of the *mean* over the 8 streams; the
# book's is 16 times larger (the sum over its 16), so its alpha 0.05 is our
# 0.8. We take alpha 0.5.

# %%
EMBED, HIDDEN, STREAMS, BPTT = 8, 16, 8, 16
ALPHA, BATCHES, SHORT_BATCHES = 0.5, 200, 30
LSTM_SEED = 0
PRIME, SAMPLE_LENGTH = "mary", 70


@dataclass
class Characters:
    """The text, its characters (sorted) and the book's batches of character indices."""
    text: str
    vocab: Vocabulary
    input_batches: list      # [window][time step] -> STREAMS character indices
    target_batches: list     # the character after each of those


def character_data():
    text = ". ".join(" ".join(words) for words in babi_sentences(1, "train")) + "."
    vocab = Vocabulary.of([text])
    indices = np.array(vocab.encode(text))
    # the book's batching: STREAMS columns of text side by side, cut into windows of BPTT steps
    n_batches = len(indices) // STREAMS
    batched = indices[:n_batches * STREAMS].reshape(STREAMS, n_batches).transpose()
    inputs, targets = batched[0:-1], batched[1:]
    n_bptt = (n_batches - 1) // BPTT
    return Characters(text, vocab, inputs[:n_bptt * BPTT].reshape(n_bptt, BPTT, STREAMS).tolist(),
                      targets[:n_bptt * BPTT].reshape(n_bptt, BPTT, STREAMS).tolist())


@dataclass
class Writer:
    """An embedding and an LSTM cell, and what they learned."""
    embed: Embedding
    model: LSTMCell
    losses: list             # mean loss per character of each window
    gradient_norms: list     # the gradient's size at each window, before any clipping


def new_writer(k, vocab):
    rng = np.random.RandomState(LSTM_SEED)
    embed = Embedding(vocab_size=len(vocab), dim=EMBED, rng=rng, backend=k)
    model = LSTMCell(n_inputs=EMBED, n_hidden=HIDDEN, n_output=len(vocab), rng=rng, backend=k)
    model.w_ho.weight.data = k.ele_mul(0.0, model.w_ho.weight.data)     # the book: *= 0
    return Writer(embed, model, [], [])


def gradient_norm(k, parameters):
    """The size of the whole gradient: the square root of the sum of every number squared."""
    total = 0.0
    for p in parameters:
        grad = p.grad.data
        for row in (grad if len(p.shape) == 2 else [grad]):
            total += k.w_sum(row, row)
    return math.sqrt(total)


def clip_gradients(k, parameters, norm, max_norm):
    """Gradient clipping: if the gradient is longer than ``max_norm``, shrink all of it to that length
    (its direction stays the same)."""
    if norm > max_norm:
        for p in parameters:
            p.grad.data = k.ele_mul(max_norm / norm, p.grad.data)


def train_writer(lesson, chars, name, alpha, batches, max_norm=None, nudge=False):
    """The book's training loop over the first ``batches`` windows; ``max_norm``: clip at that size;
    ``nudge``: first move one weight (the embedding's first number) up by one unit in its last place."""
    k = lesson.k
    writer = new_writer(k, chars.vocab)
    if nudge:
        weight = writer.embed.weight.data
        weight[0][0] = math.nextafter(float(weight[0][0]), math.inf)
    parameters = writer.model.get_parameters() + writer.embed.get_parameters()
    optim = SGD(parameters=parameters, alpha=alpha)
    criterion = CrossEntropyLoss()
    hidden = writer.model.init_hidden(batch_size=STREAMS)
    for batch_i in range(batches):
        hidden = (Tensor(hidden[0].data, autograd=True, backend=k),
                  Tensor(hidden[1].data, autograd=True, backend=k))
        loss = None
        for t in range(BPTT):
            rnn_input = writer.embed.forward(chars.input_batches[batch_i][t])
            output, hidden = writer.model.forward(input=rnn_input, hidden=hidden)
            batch_loss = criterion.forward(output, chars.target_batches[batch_i][t])
            loss = batch_loss if loss is None else loss + batch_loss
        loss.backward()
        norm = gradient_norm(k, parameters)
        if max_norm is not None:
            clip_gradients(k, parameters, norm, max_norm)
        optim.step()
        writer.losses.append(float(loss.tolist()[0]) / BPTT)
        writer.gradient_norms.append(norm)
        lesson.progress(f"{name}: window {batch_i + 1} of {batches}, loss {writer.losses[-1]:.4f}")
    lesson.done_progress()
    return writer


def generate(k, writer, vocab, prime=PRIME, n=SAMPLE_LENGTH):
    """Read ``prime``, then write ``n`` characters, each the likeliest next one (the book's argmax)."""
    hidden = writer.model.init_hidden(batch_size=1)
    text = prime
    for char in prime:
        output, hidden = writer.model.forward(input=writer.embed.forward([vocab.index[char]]), hidden=hidden)
    for _ in range(n):
        m = int(np.argmax(np.asarray(output.data, dtype=float)[0]))
        text += vocab.words[m]
        output, hidden = writer.model.forward(input=writer.embed.forward([m]), hidden=hidden)
    return text


def trace_first_character(k, chars):
    """--trace: the LSTM's gates, cell and hidden state at the first character of stream 0."""
    writer = new_writer(k, chars.vocab)
    cell = writer.model
    prev_hidden, prev_cell = cell.init_hidden(batch_size=1)
    char = chars.input_batches[0][0][0]
    x = writer.embed.forward([char])
    gates = {"f (forget)": (cell.xf.forward(x) + cell.hf.forward(prev_hidden)).sigmoid(),
             "i (input)": (cell.xi.forward(x) + cell.hi.forward(prev_hidden)).sigmoid(),
             "o (output)": (cell.xo.forward(x) + cell.ho.forward(prev_hidden)).sigmoid(),
             "g (candidate)": (cell.xc.forward(x) + cell.hc.forward(prev_hidden)).tanh()}
    print(f"  trace: the first character {chars.vocab.words[char]!r}, stream 0; h and c start as"
          " [1, 0, 0, ...]; first 4 of 16 numbers:")
    for name, gate in gates.items():
        print(f"  trace:   {name:14s} {[round(float(v), 8) for v in gate.tolist()[0][:4]]}")
    c = (gates["f (forget)"] * prev_cell) + (gates["i (input)"] * gates["g (candidate)"])
    h = gates["o (output)"] * c.tanh()
    print(f"  trace:   c = f * c + i * g  {[round(float(v), 8) for v in c.tolist()[0][:4]]}")
    print(f"  trace:   h = o * tanh(c)    {[round(float(v), 8) for v in h.tolist()[0][:4]]}")
    largest = max(abs(float(v)) for v in cell.w_ho.forward(h).tolist()[0])
    print(f"  trace:   output = h . w_ho: its largest number is {largest:g} (w_ho starts at 0), so every"
          f" character gets 1/{len(chars.vocab)}")


def show_losses(writer, every):
    for batch_i in range(0, len(writer.losses), every):
        loss = writer.losses[batch_i]
        print(f"  window {batch_i + 1:4d}  loss {loss:.6f}  (perplexity {math.exp(loss):.4f})")


# %% [markdown]
# ## 3. Gradient clipping
# An LSTM's cell keeps gradients from vanishing, but nothing stops them from
# growing: a large step can throw the weights where the gradient is larger
# still. Clipping caps the size of each step: when the whole gradient (every
# number of every weight, as one long vector) is longer than 1, it is scaled
# down to length 1, in the same direction. The same network, the same windows,
# alpha 3 instead of 0.5, with and without clipping.

# %%
CLIP_ALPHA, CLIP_NORM, CLIP_BATCHES, SHORT_CLIP_BATCHES = 3.0, 1.0, 100, 8


def clipping_or_not(lesson, chars, batches):
    without = train_writer(lesson, chars, "alpha 3 without clipping", CLIP_ALPHA, batches)
    clipped = train_writer(lesson, chars, "alpha 3, clipped", CLIP_ALPHA, batches, max_norm=CLIP_NORM)
    every = max(1, batches // 10)
    print(f"  {'':12s}  {'without clipping':>22s}  {'clipped at ' + format(CLIP_NORM, 'g'):>22s}")
    print(f"  {'':12s}  {'loss':>10s} {'gradient':>11s}  {'loss':>10s} {'gradient':>11s}")
    for batch_i in sorted(set(range(0, batches, every)) | {batches - 1}):
        print(f"  window {batch_i + 1:4d}  {without.losses[batch_i]:10.4f} {without.gradient_norms[batch_i]:11.4f}"
              f"  {clipped.losses[batch_i]:10.4f} {clipped.gradient_norms[batch_i]:11.4f}")
    for name, run in (("without clipping", without), ("clipped", clipped)):
        worst = max(range(batches), key=lambda i: run.losses[i])
        print(f"  {name}: the highest loss is {run.losses[worst]:.4f} (window {worst + 1}), the largest"
              f" gradient {max(run.gradient_norms):.4f}")
    return without, clipped


def chaos(lesson, chars, clipped, batches):
    """``(nudge, [(window, relative gap between the losses of the clipped run and its nudged twin)])``."""
    nudged = train_writer(lesson, chars, "alpha 3, clipped, nudged", CLIP_ALPHA, batches,
                          max_norm=CLIP_NORM, nudge=True)
    weight = float(new_writer(lesson.k, chars.vocab).embed.weight.data[0][0])
    return math.nextafter(weight, math.inf) - weight, [
        (batch_i + 1, abs(a - b) / abs(a)) for batch_i, (a, b)
        in enumerate(zip(clipped.losses, nudged.losses)) if batch_i % 10 == 9]


def draw_losses(writer, without, clipped):
    def draw(plt):
        plt.plot(range(1, len(writer.losses) + 1), writer.losses, label=f"alpha {ALPHA:g}")
        plt.plot(range(1, len(without.losses) + 1), without.losses, label=f"alpha {CLIP_ALPHA:g}, not clipped")
        plt.plot(range(1, len(clipped.losses) + 1), clipped.losses,
                 label=f"alpha {CLIP_ALPHA:g}, clipped at {CLIP_NORM:g}")
        plt.axhline(math.log(24), color="grey", linestyle=":", label="guessing among 24 characters")
        plt.xlabel("window of 16 characters x 8 streams")
        plt.ylabel("loss per character (cross-entropy)")
        plt.title("The LSTM writing bAbI: loss per window")
        plt.legend()
    return draw


# %%
def main(argv=None):
    lesson, short = start_text(__doc__, argv, OPTIONS)
    print("1. Vanishing and exploding gradients: weights [[1, 4], [4, 1]], 10 steps\n")
    sigmoid, relu = vanishing_and_exploding(lesson)
    lesson.plot("ch16_vanishing_and_exploding.png", draw_gradients(sigmoid, relu))

    chars = character_data()
    batches = SHORT_BATCHES if short else BATCHES
    print(f"\n2. An LSTM writes bAbI: {len(chars.text):,} characters of task 1, {len(chars.vocab)} different"
          f" ones: {''.join(chars.vocab.words)!r}")
    print(f"  embedding {EMBED}, hidden {HIDDEN}, {STREAMS} streams, {BPTT} characters back, alpha {ALPHA:g},"
          f" the first {batches} of {len(chars.input_batches)} windows")
    print(f"  Before training: {generate(lesson.k, new_writer(lesson.k, chars.vocab), chars.vocab)!r}")
    if lesson.trace:
        trace_first_character(lesson.k, chars)
    writer = train_writer(lesson, chars, "the LSTM", ALPHA, batches)
    show_losses(writer, max(1, batches // 10))
    print(f"  window {batches:4d}  loss {writer.losses[-1]:.6f}  (perplexity {math.exp(writer.losses[-1]):.4f});"
          f" guessing among {len(chars.vocab)} characters: {math.log(len(chars.vocab)):.6f}")
    print(f"  After training:  {generate(lesson.k, writer, chars.vocab)!r}")

    clip_batches = SHORT_CLIP_BATCHES if short else CLIP_BATCHES
    print(f"\n3. Gradient clipping: alpha {CLIP_ALPHA:g}, {clip_batches} windows, with and without")
    without, clipped = clipping_or_not(lesson, chars, clip_batches)
    print(f"  Without clipping: {generate(lesson.k, without, chars.vocab)!r}")
    print(f"  Clipped:          {generate(lesson.k, clipped, chars.vocab)!r}")
    if short:
        print("\n4. (How chaotic these runs are is shown in the whole run, not the short one.)")
    else:
        nudge, gaps = chaos(lesson, chars, clipped, clip_batches)
        print(f"\n4. A chaotic run: the clipped run again, with one weight moved by one unit in its last"
              f" digit ({nudge:.0e}).\n  The two runs' losses differ by (relative):")
        for window, gap in gaps:
            print(f"  window {window:4d}: {gap:.0e}")
        print("  A difference in the last bit grows with every window. The backends round differently"
              " in the\n  last bit (NumPy's BLAS adds in its own order; the framework's softmax and log"
              " are NumPy's on\n  arrays, Python's on lists), so from about window 40 on, each backend"
              " prints its own numbers\n  here and in part 3; the short run and parts 1 and 2 agree"
              " to 1e-9.")
    lesson.plot("ch16_lstm_loss.png", draw_losses(writer, without, clipped))
    lesson.finish()


# %%
if __name__ == "__main__":
    main()
