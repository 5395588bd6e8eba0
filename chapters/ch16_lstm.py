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
4. how chaotic such a run is: a one-bit nudge to one weight, measured;
5. the book's own LSTM at its own size (embedding and hidden 512, 32 streams,
   16 characters back, alpha 0.05 shrinking by 0.99 a pass, clipped at 1) on Tiny
   Shakespeare, the loss and a sample as it goes, and what the book's 400 passes take.

    python chapters/ch16_lstm.py --backend pure|cython|numpy [--trace] [--plot DIR] [--short] [--windows N]

Parts 1-4 take about 5 s on cython, 8 s on numpy and 75 s on pure
(processor time, measured on a busy machine; progress on standard error); ``--short`` (or ``GROKKING_SHORT=1``) trains 30
windows and 8 instead of 200 and 100, and leaves out parts 4 and 5. Part 5 trains as many
windows as fit in two minutes (on pure at sizes 32, not 512), or ``--windows N``; ``--windows 0``
leaves it out.
"""
# %%
import importlib.util
import sys

if importlib.util.find_spec("grokking") is None:  # a checkout without `pip install .`
    print("grokking is not installed: run `python3 -m venv .venv && .venv/bin/pip install .`"
          " in the project folder, then run the chapter with .venv/bin/python", file=sys.stderr)
    raise SystemExit(2)

import math
import os
import statistics
import time
from dataclasses import dataclass

import numpy as np

from grokking.datasets import load_shakespeare
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


def book_batches(text, vocab, streams, bptt):
    """The book's batching: ``streams`` columns of text side by side, cut into windows of
    ``bptt`` steps; the targets are the same columns one character on."""
    indices = np.array(vocab.encode(text))
    n_batches = len(indices) // streams
    batched = indices[:n_batches * streams].reshape(streams, n_batches).transpose()
    inputs, targets = batched[0:-1], batched[1:]
    n_bptt = (n_batches - 1) // bptt
    return Characters(text, vocab, inputs[:n_bptt * bptt].reshape(n_bptt, bptt, streams).tolist(),
                      targets[:n_bptt * bptt].reshape(n_bptt, bptt, streams).tolist())


def character_data():
    text = ". ".join(" ".join(words) for words in babi_sentences(1, "train")) + "."
    return book_batches(text, Vocabulary.of([text]), STREAMS, BPTT)


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


# %% [markdown]
# ## 5. The book's own LSTM: learning to write like Shakespeare
# The book's chapter 14 at its own size: embedding 512, hidden 512, 32 streams of text
# side by side, 16 characters back, alpha 0.05 shrinking by 0.99 after every pass
# through the text, the sample written from ``T`` by ``argmax``, 70 characters. The
# text is Tiny Shakespeare (``grokking.datasets.load_shakespeare()``: the plays, from
# karpathy/char-rnn; the book's own file is text generated by a network). Its
# training loop, as the book's notebook writes it: the hidden state carried from one
# window to the next, the loss summed over the window, and the book's "Loss", the
# perplexity of the pass so far: ``exp(total_loss / windows)``.
#
# Our cross-entropy's gradient is that of the mean over the 32 streams, the book's
# of their sum: its alpha 0.05 is our 0.05 * 32 = 1.6, the same steps bit for bit.
#
# One change: each step is clipped at 1, as in part 3 (our gradient is the mean over
# the streams: the book's sum would be clipped at 32). With the exact gradient the
# book's alpha explodes at once (measured on this text: the loss per character goes
# 4.17, 4.17, 4.00, then 39.5 at window 4, and never comes back). The book's own
# framework does not explode because its gradient is not exact: its ``mm`` rule sends
# a tensor's gradient on before all the tensors made from it have sent theirs, so an
# LSTM's hidden state passes back only one of its five shares, and most of the
# gradient through time is lost (``grokking.framework`` waits for every share; so does
# the bench's copy of the book's framework). Clipped, the exact gradient trains as the
# book's run does: its "Loss" from 65 to about 35 in 30 windows (the book's: 62 to 37).
#
# One pass is 2,178 windows, and the book trains 400 passes: 871,200 windows. The
# chapter trains a few and says what the rest would take here. On pure Python a
# 512 x 512 window takes about an hour: there the sizes are 32, and the chapter says so.

# %%
PLAY_SIZE, PURE_PLAY_SIZE, PLAY_STREAMS, PLAY_BPTT = 512, 32, 32, 16
PLAY_ALPHA, PLAY_DECAY, BOOK_PASSES, PLAY_SEED = 0.05, 0.99, 400, 0
PLAY_SECONDS = 120          # the default run: as many windows as fit in two minutes
PLAY_PRIME, PLAY_SAMPLE = "T", 70


def play_data(streams=PLAY_STREAMS, bptt=PLAY_BPTT):
    text = load_shakespeare()
    return book_batches(text, Vocabulary.of([text]), streams, bptt)


def new_player(k, vocab, size):
    """The book's ``embed`` and ``model`` at ``size``: ``np.random.seed(0)``, then the embedding,
    then the LSTM, then ``model.w_ho.weight.data *= 0``."""
    rng = np.random.RandomState(PLAY_SEED)
    embed = Embedding(vocab_size=len(vocab), dim=size, rng=rng, backend=k)
    model = LSTMCell(n_inputs=size, n_hidden=size, n_output=len(vocab), rng=rng, backend=k)
    model.w_ho.weight.data = k.ele_mul(0.0, model.w_ho.weight.data)
    return Writer(embed, model, [], [])


@dataclass
class Playing:
    """A run of the book's loop: its writer, optimizer, where it is, and how long a window took."""
    writer: Writer
    optim: SGD
    streams: int
    hidden: tuple = None
    window: int = 0          # windows trained so far, over every pass
    total_loss: float = 0.0  # the book's total_loss: the sum over this pass of loss / bptt
    seconds: list = None


def start_playing(k, play, size):
    writer = new_player(k, play.vocab, size)
    streams = len(play.input_batches[0][0])
    optim = SGD(parameters=writer.model.get_parameters() + writer.embed.get_parameters(),
                alpha=PLAY_ALPHA * streams)
    return Playing(writer, optim, streams, seconds=[])


def play_window(k, play, run):
    """One window of the book's ``train()``; returns the book's "Loss" (perplexity of the pass so far)."""
    per_pass = len(play.input_batches)
    batch_i = run.window % per_pass
    if batch_i == 0:                 # a new pass: the book's init_hidden, total_loss = 0
        run.hidden = run.writer.model.init_hidden(batch_size=run.streams)
        run.total_loss = 0.0
    started = time.perf_counter()
    hidden = (Tensor(run.hidden[0].data, autograd=True, backend=k),
              Tensor(run.hidden[1].data, autograd=True, backend=k))
    loss = None
    for t in range(len(play.input_batches[batch_i])):
        rnn_input = run.writer.embed.forward(play.input_batches[batch_i][t])
        output, hidden = run.writer.model.forward(input=rnn_input, hidden=hidden)
        batch_loss = CrossEntropyLoss().forward(output, play.target_batches[batch_i][t])
        loss = batch_loss if loss is None else loss + batch_loss
    loss.backward()
    norm = gradient_norm(k, run.optim.parameters)
    clip_gradients(k, run.optim.parameters, norm, CLIP_NORM)    # part 3: the book's step, clipped
    run.optim.step()
    run.seconds.append(time.perf_counter() - started)
    run.writer.gradient_norms.append(norm)
    run.hidden = hidden
    run.window += 1
    run.writer.losses.append(float(loss.tolist()[0]) / len(play.input_batches[batch_i]))
    run.total_loss += run.writer.losses[-1]
    if batch_i == per_pass - 1:      # the end of a pass: optim.alpha *= 0.99
        run.optim.alpha *= PLAY_DECAY
    return math.exp(run.total_loss / (batch_i + 1))


def play_sample(k, run, vocab):
    """The book's ``generate_sample(n=70, init_char='T')``: the 70 characters after the T, each
    new line shown as a space (as the book's log does)."""
    text = generate(k, run.writer, vocab, prime=PLAY_PRIME, n=PLAY_SAMPLE)[len(PLAY_PRIME):]
    return text.replace("\n", " ")


def shakespeare(lesson, windows):
    """Part 5: ``windows`` windows of the book's LSTM on Tiny Shakespeare (None: two minutes' worth)."""
    k = lesson.k
    size = PURE_PLAY_SIZE if k.name == "pure" else PLAY_SIZE
    play = play_data()
    per_pass = len(play.input_batches)
    print(f"\n5. The book's LSTM writes Shakespeare: {len(play.text):,} characters of Tiny Shakespeare,"
          f" {len(play.vocab)} different ones")
    print(f"  embedding {size}, hidden {size}, {PLAY_STREAMS} streams, {PLAY_BPTT} characters back,"
          f" alpha {PLAY_ALPHA:g} (ours {PLAY_ALPHA * PLAY_STREAMS:g}) x {PLAY_DECAY:g} a pass,"
          f" clipped at {CLIP_NORM:g}; one pass is {per_pass:,} windows")
    if size != PLAY_SIZE:
        print(f"  (On pure Python the sizes are {size}, not the book's {PLAY_SIZE}: a {PLAY_SIZE} x"
              f" {PLAY_SIZE} window would take about an hour, {(PLAY_SIZE // size) ** 2} times the"
              f" multiplications. --backend cython runs the book's sizes.)")
    run = start_playing(k, play, size)
    print(f"  Before training: {play_sample(k, run, play.vocab)!r}")
    planned = "windows for two minutes" if windows is None else f"{windows:,} windows"
    print(f"  Training {planned} (the book's \"Loss\": the perplexity of the pass so far):")
    began = time.perf_counter()
    shown = set()
    while (run.window < windows) if windows is not None else (
            run.window < 2 or time.perf_counter() - began < PLAY_SECONDS):
        book_loss = play_window(k, run=run, play=play)
        lesson.progress(f"Shakespeare: window {run.window:,}, loss {book_loss:.4f}, "
                        f"{run.seconds[-1]:.2f} s a window")
        if run.window == 1 or run.window % 10 == 0:
            lesson.done_progress()
            print(f"  window {run.window:5,d}  Loss {book_loss:.4f}  (this window {run.writer.losses[-1]:.4f}"
                  f" per character, gradient {run.writer.gradient_norms[-1]:.2f})")
            shown.add(run.window)
        if run.window % 50 == 0:
            print(f"  window {run.window:5,d}  sample: {play_sample(k, run, play.vocab)!r}")
    lesson.done_progress()
    if run.window not in shown:
        print(f"  window {run.window:5,d}  Loss {book_loss:.4f}  (this window {run.writer.losses[-1]:.4f}"
              f" per character, gradient {run.writer.gradient_norms[-1]:.2f})")
    print(f"  After {run.window:,} windows: {play_sample(k, run, play.vocab)!r}")
    return run, per_pass


def say_how_long(k, run, per_pass):
    per_window = statistics.median(run.seconds)
    book = per_window * per_pass * BOOK_PASSES
    size = run.writer.model.n_hidden
    print(f"Measured here: {per_window:.3f} s a window on {k.name} (median of {len(run.seconds)}, sizes"
          f" {size}); one pass {per_window * per_pass / 3600:.2f} h; the book's {BOOK_PASSES} passes"
          f" {book / 3600:,.0f} h ({book / 86400:,.1f} days)")


# %%
WINDOWS_ENVIRONMENT = "GROKKING_WINDOWS"


def add_windows(chapter):
    chapter.add_argument("--windows", type=int, metavar="N", default=None,
                         help="part 5, the book's LSTM on Shakespeare: train N windows of 16 characters"
                              f" x 32 streams (default: as many as fit in {PLAY_SECONDS} s, or none in"
                              f" the short run; 0 leaves it out; in a notebook: {WINDOWS_ENVIRONMENT})")


def windows_wanted(args):
    """--windows, else ``GROKKING_WINDOWS`` (a notebook has no command line), else None."""
    windows = args.windows
    if windows is None and os.environ.get(WINDOWS_ENVIRONMENT, ""):
        value = os.environ[WINDOWS_ENVIRONMENT]
        if not value.isdigit():
            raise SystemExit(f"{WINDOWS_ENVIRONMENT} must be a whole number of 0 or more, got {value!r}")
        windows = int(value)
    if windows is not None and windows < 0:
        raise SystemExit(f"--windows must be 0 or more, got {windows}")
    return windows


def main(argv=None):
    lesson, short = start_text(__doc__, argv, OPTIONS, more=add_windows)
    windows = windows_wanted(lesson.args)
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
    if windows == 0:
        print("\n5. (The book's LSTM on Shakespeare is left out: --windows 0.)")
    elif short and windows is None:
        print("\n5. (The book's LSTM on Shakespeare runs in the whole run, or here with --windows N.)")
    else:
        run, per_pass = shakespeare(lesson, windows)
        say_how_long(lesson.k, run, per_pass)
    lesson.finish()


# %%
if __name__ == "__main__":
    main()
