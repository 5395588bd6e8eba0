"""Recurrence: a network that reads a sentence one word at a time and guesses the next

The book's chapter 12 ("Neural networks that write like Shakespeare: recurrent
layers for variable-length data"), on the bAbI stories it reads itself:

1. matrices that change nothing: sums of word vectors, with the identity
   matrix in between, give the same answer; a learned matrix in its place
   makes word order count;
2. the forward pass of a sentence: word vectors of zeros predict every word
   alike (1/9 each);
3. the recurrent network of the book, written by hand with the kernels: an
   embedding of 10 numbers per word, a 10 x 10 recurrent matrix that starts as
   the identity, a decoder to one score per word, alpha 0.001, 30,000 sentences
   of bAbI task 1; its perplexity falls from about 82 (one guess in 82 words)
   to about 4 (the book's notebook: 82.09 to 4.02);
4. the same network with ``grokking.framework``: the same numbers, with the
   backpropagation done by autograd;
5. the word-by-word table: what it predicts after each word of a sentence.

    python chapters/ch15_recurrence.py --backend pure|cython|numpy [--trace] [--plot DIR] [--short]

The whole run takes about 6 s on cython, 13 s on numpy and 100 s on pure
(processor time, measured on a busy machine; progress on standard error);
``--short`` (or ``GROKKING_SHORT=1``) trains on 1,000 sentences instead of
30,000 (and the framework on 300), for a quick look.
"""
# %%
import importlib.util
import sys

if importlib.util.find_spec("grokking") is None:  # a checkout without `pip install .`
    print("grokking is not installed: run `python3 -m venv .venv && .venv/bin/pip install .`"
          " in the project folder, then run the chapter with .venv/bin/python", file=sys.stderr)
    raise SystemExit(2)

import copy
import math
from dataclasses import dataclass

import numpy as np

from grokking.datasets import babi_lines
from grokking.framework import SGD, Tensor
from grokking.framework.rows import softmax
from grokking.lessons.lesson import Options
from grokking.networks.text import Vocabulary, one_hot
from grokking.lessons.text import backend_form, start_text

# What --trace and --plot DIR do in this chapter (`python -m grokking chapters` lists it).
OPTIONS = Options(trace="the first sentence's forward pass, word by word: hidden state, "
                        "prediction and loss",
                  plot="perplexity per 1,000 sentences, by hand and with the framework")

# The book's numbers (chapter 12, "Let's train it!")
EMBED_SIZE, ALPHA, ITERATIONS, LINES = 10, 0.001, 30_000, 1000
FRAMEWORK_ITERATIONS = 3_000     # the framework repeats the first 3,000 (pure Python is slow)
SHORT_ITERATIONS, SHORT_FRAMEWORK_ITERATIONS = 1_000, 300
SEED = 1


# %% [markdown]
# ## 1. Matrices that change absolutely nothing
# A sentence can be the sum of its word vectors: "this movie rocks" is
# ``this + movie + rocks``. Put the identity matrix in between,
# ``((this . I) + movie) . I + rocks``, and nothing changes. A recurrent
# network starts from exactly that, then *learns* the matrix in between, so
# that "Mary moved" and "moved Mary" no longer sum to the same thing.

# %%
def identity(size):
    return [[1.0 if i == j else 0.0 for j in range(size)] for i in range(size)]


def times(k, vector, matrix):
    """``vector.dot(matrix)`` with the kernels: one weighted sum per *column* of ``matrix``."""
    return k.vect_mat_mul(vector, k.transpose(matrix))


def as_numpy_prints(vector):
    return str(np.array(vector, dtype=float))


def matrices_that_change_nothing(k):
    eye = identity(3)
    for name, vector in (("a", [1, 2, 3]), ("b", [0.1, 0.2, 0.3]), ("c", [-1, -0.5, 0]),
                         ("d", [0, 0, 0])):
        print(f"  {name} . identity = {as_numpy_prints(times(k, vector, eye))}")
    this, movie, rocks = [2.0, 4.0, 6.0], [10.0, 10.0, 10.0], [1.0, 1.0, 1.0]
    print("  this + movie + rocks                         =",
          as_numpy_prints(k.vec_add(k.vec_add(this, movie), rocks)))
    print("  ((this . identity) + movie) . identity + rocks =",
          as_numpy_prints(k.vec_add(times(k, k.vec_add(times(k, this, eye), movie), eye), rocks)))


# %% [markdown]
# ## 2. Forward propagation of a sentence
# The book's sports example: nine words, each a vector of zeros, and a random
# ``sent2output`` matrix. "red socks defeat" goes in one word at a time; all
# the vectors are zero, so every score is 0 and softmax gives each of the 9
# words the same 1/9.

# %%
def forward_with_zero_vectors(k):
    words = ["yankees", "bears", "braves", "red", "socks", "lose", "defeat", "beat", "tie"]
    word_vects = {word: [0.0, 0.0, 0.0] for word in words}
    sent2output = np.random.RandomState(SEED).rand(3, len(words)).tolist()
    eye = identity(3)
    layer_0 = word_vects["red"]
    layer_1 = k.vec_add(times(k, layer_0, eye), word_vects["socks"])
    layer_2 = k.vec_add(times(k, layer_1, eye), word_vects["defeat"])
    pred = softmax([float(v) for v in times(k, layer_2, sent2output)])
    print("  pred =", as_numpy_prints(pred))


# %% [markdown]
# ## 3. The recurrent network, by hand
# The data is the book's: the first 1,000 lines of bAbI task 1, lower case,
# split at spaces, the line number dropped. A question line keeps its answer
# and the number of the sentence that answers it as one "word"
# (``"\tbathroom\t1"``): 82 different words. The vocabulary is sorted (the
# book's comes from a ``set``, so its numbers change from run to run).
#
# Like the book, the network trains on ``tokens[i][1:]``: the line number is
# already gone, so this drops each sentence's first word too (the name), and the
# network learns "moved to the bathroom." and "is mary? \tbathroom\t1". Its
# perplexity numbers are for those sentences, and so are ours.
#
# Where we depart from the book: its backpropagation is one step off. A
# prediction is made from the hidden state *before* its word, but the book adds
# its error to the hidden state *after*, and updates each word's embedding with
# the hidden delta of two steps earlier; and its ``start -= ...`` changes the
# array that ``layers[0]['hidden']`` holds before the decoder and recurrent
# updates read it. Here every delta goes where it belongs, computed from the
# weights as they were; part 4 checks that by letting autograd do it.
#
# With ``h[0] = start`` and ``h[t] = h[t-1] . recurrent + embed[word t]``:
# word t is predicted as ``softmax(h[t-1] . decoder)``, and the loss is
# ``-log`` of the probability given to the right word.

# %%
def the_books_tokens():
    """The book's reading of task 1: ``raw[0:1000]``, lower case, split at " ", line number dropped."""
    return [line.lower().replace("\n", "").split(" ")[1:] for line in babi_lines(1, "train")[:LINES]]


@dataclass
class Weights:
    """The recurrent network's weights (the book's names)."""
    embed: list          # one row of EMBED_SIZE numbers per word
    recurrent: list      # EMBED_SIZE x EMBED_SIZE, starts as the identity
    start: list          # the hidden state before the first word
    decoder: list        # EMBED_SIZE x len(vocab): hidden state -> one score per word


def initial_weights(k, vocab_size):
    rng = np.random.RandomState(SEED)
    embed = (rng.rand(vocab_size, EMBED_SIZE) - 0.5) * 0.1
    decoder = (rng.rand(EMBED_SIZE, vocab_size) - 0.5) * 0.1
    return Weights(backend_form(k, embed), backend_form(k, identity(EMBED_SIZE)),
                   backend_form(k, [0.0] * EMBED_SIZE), backend_form(k, decoder))


def row(vector):
    """A vector as a matrix of one row, for ``mat_mul``: ``vector.dot(matrix)`` is
    ``mat_mul(row(vector), matrix)[0]``."""
    return [vector] if isinstance(vector, list) else vector[np.newaxis, :]


def predict(k, weights, sent):
    """The forward pass: ``(layers, loss)``; ``layers[t]`` holds ``hidden`` (h[t]) and, from t = 1,
    ``pred``, the probabilities of each word being word t, made from h[t-1]."""
    layers = [{"hidden": weights.start}]
    loss = 0.0
    for target_i in range(len(sent)):
        layer = {}
        layer["pred"] = softmax(k.mat_mul(row(layers[-1]["hidden"]), weights.decoder)[0])
        loss += -math.log(layer["pred"][sent[target_i]])
        layer["hidden"] = k.vec_add(k.mat_mul(row(layers[-1]["hidden"]), weights.recurrent)[0],
                                    weights.embed[sent[target_i]])
        layers.append(layer)
    return layers, loss


def train_step(k, weights, sent, vocab_size):
    """One sentence: forward, back through time, update. Returns the sentence's loss."""
    layers, loss = predict(k, weights, sent)
    layers[-1]["hidden_delta"] = backend_form(k, [0.0] * EMBED_SIZE)   # the last hidden state predicts nothing
    for layer_idx in reversed(range(1, len(layers))):
        layer = layers[layer_idx]
        layer["output_delta"] = k.vec_sub(layer["pred"], backend_form(k, one_hot(sent[layer_idx - 1], vocab_size)))
        # the prediction came from the hidden state before: its delta goes there,
        # together with what comes back through the recurrent matrix
        layers[layer_idx - 1]["hidden_delta"] = k.vec_add(
            k.vect_mat_mul(layer["output_delta"], weights.decoder),
            k.vect_mat_mul(layer["hidden_delta"], weights.recurrent))
    step = ALPHA / float(len(sent))
    weights.start = k.vec_sub(weights.start, k.ele_mul(step, layers[0]["hidden_delta"]))
    for layer_idx, layer in enumerate(layers[1:]):
        before = layers[layer_idx]["hidden"]
        weights.decoder = k.vec_sub(weights.decoder, k.ele_mul(step, k.outer_prod(before, layer["output_delta"])))
        embed_idx = sent[layer_idx]
        weights.embed[embed_idx] = k.vec_sub(weights.embed[embed_idx], k.ele_mul(step, layer["hidden_delta"]))
        weights.recurrent = k.vec_sub(weights.recurrent,
                                      k.ele_mul(step, k.outer_prod(before, layer["hidden_delta"])))
    return loss


def perplexity(loss, sent):
    return math.exp(loss / len(sent))


def train_by_hand(lesson, vocab, sentences, iterations, every, keep_at=None):
    """The book's loop: sentence ``iter % len``, perplexity of that sentence every ``every``.

    Returns ``(weights, curve, kept)``: ``kept`` is a copy of the weights after ``keep_at`` sentences."""
    k = lesson.k
    weights = initial_weights(k, len(vocab))
    if lesson.trace:
        trace_first_sentence(k, vocab, weights, sentences[0])
    curve, kept = [], None
    for iteration in range(iterations):
        if iteration == keep_at:
            kept = copy.deepcopy(weights)
        sent = sentences[iteration % len(sentences)]
        loss = train_step(k, weights, sent, len(vocab))
        if iteration % every == 0:
            curve.append((iteration, perplexity(loss, sent)))
            print(f"  iteration {iteration:6,}  Perplexity: {curve[-1][1]:.6f}")
            lesson.progress(f"by hand: sentence {iteration:,} of {iterations:,}")
    lesson.done_progress()
    return weights, curve, kept


def trace_first_sentence(k, vocab, weights, sent):
    layers, loss = predict(k, weights, sent)
    print("  trace: the first sentence:", vocab.decode(sent))
    for t, layer in enumerate(layers[1:], 1):
        word = vocab.words[sent[t - 1]]
        print(f"  trace: word {t} {word!r}: predicted from h[{t - 1}] with probability"
              f" {layer['pred'][sent[t - 1]]:.8f} (-log: {-math.log(layer['pred'][sent[t - 1]]):.8f});"
              f" h[{t}][:3] = {[round(float(v), 8) for v in layer['hidden'][:3]]}")
    print(f"  trace: loss {loss:.8f} over {len(sent)} words: perplexity e^(loss / {len(sent)}) ="
          f" {perplexity(loss, sent):.6f}")


# %% [markdown]
# ## 4. The same network with the framework
# The same weights (as Tensors), the same sentences, the same alpha: the forward
# pass is written once, and ``loss.backward()`` finds every delta of part 3.
# Cross-entropy does the softmax and the ``-log``. The perplexities must be
# the ones of part 3.

# %%
def train_with_framework(lesson, vocab, sentences, iterations, every):
    k = lesson.k
    start = initial_weights(k, len(vocab))
    embed = Tensor(start.embed, autograd=True, backend=k)
    recurrent = Tensor(start.recurrent, autograd=True, backend=k)
    decoder = Tensor(start.decoder, autograd=True, backend=k)
    start_hidden = Tensor(row(start.start), autograd=True, backend=k)
    optimizer = SGD([embed, recurrent, decoder, start_hidden], alpha=ALPHA)
    curve = []
    for iteration in range(iterations):
        sent = sentences[iteration % len(sentences)]
        hidden, loss = start_hidden, None
        for word in sent:
            step_loss = hidden.mm(decoder).cross_entropy([word])
            loss = step_loss if loss is None else loss + step_loss
            hidden = hidden.mm(recurrent) + embed.index_select([word])
        loss.backward()
        optimizer.alpha = ALPHA / float(len(sent))
        optimizer.step()
        if iteration % every == 0:
            curve.append((iteration, perplexity(float(loss.tolist()[0]), sent)))
            lesson.progress(f"framework: sentence {iteration:,} of {iterations:,}")
    lesson.done_progress()
    weights = Weights(embed.tolist(), recurrent.tolist(), start_hidden.tolist()[0], decoder.tolist())
    return weights, curve


def largest_difference(a, b):
    return max(float(np.max(np.abs(np.array(x, dtype=float) - np.array(y, dtype=float))))
               for x, y in ((a.embed, b.embed), (a.recurrent, b.recurrent), (a.start, b.start),
                            (a.decoder, b.decoder)))


# %% [markdown]
# ## 5. Word by word
# The book's table: after each word of a sentence, the word the network thinks
# comes next. The sentence is read as the network was trained: without its
# first word. (The book's loop prints the prediction made *before* each word
# beside it, one row off; here each prediction is the one made after reading
# "Prev Input".)

# %%
def word_by_word(k, vocab, weights, tokens, sent_index=4):
    sentence = tokens[sent_index][1:]
    layers, _ = predict(k, weights, vocab.encode(sentence))
    print(" ", tokens[sent_index], "read as", sentence)
    for i, each_layer in enumerate(layers[2:]):
        input, true = sentence[i], sentence[i + 1]
        pred = vocab.words[int(np.argmax(each_layer["pred"]))]
        print("  Prev Input:" + input + (" " * (12 - len(input))) + "True:" + true
              + (" " * (15 - len(true))) + "Pred:" + pred)


def draw_perplexity(hand, framework):
    def draw(plt):
        plt.plot([i for i, _ in hand], [p for _, p in hand], "o-", label="by hand (kernels)")
        plt.plot([i for i, _ in framework], [p for _, p in framework], "x", markersize=10,
                 label="with the framework (autograd)")
        plt.yscale("log")
        plt.xlabel("sentences trained on")
        plt.ylabel("perplexity of that sentence (log scale)")
        plt.title("The recurrent network on bAbI task 1: perplexity falls")
        plt.legend()
    return draw


# %%
def main(argv=None):
    lesson, short = start_text(__doc__, argv, OPTIONS)
    k = lesson.k
    iterations = SHORT_ITERATIONS if short else ITERATIONS
    framework_iterations = SHORT_FRAMEWORK_ITERATIONS if short else FRAMEWORK_ITERATIONS
    every = iterations // 30

    print("1. Matrices that change absolutely nothing")
    matrices_that_change_nothing(k)
    print("\n2. Forward propagation with word vectors of zeros: 'red socks defeat'")
    forward_with_zero_vectors(k)

    tokens = the_books_tokens()
    vocab = Vocabulary.of(tokens)
    sentences = [vocab.encode(t[1:]) for t in tokens]       # the book's [1:]
    print(f"\n3. The recurrent network by hand: the first {LINES:,} lines of bAbI task 1,"
          f" {len(vocab)} different words")
    print("  e.g.", tokens[0][1:], tokens[2][1:])
    print(f"  embedding {EMBED_SIZE}, alpha {ALPHA}, {iterations:,} sentences; perplexity of the"
          f" sentence every {every:,}")
    hand, hand_curve, kept = train_by_hand(lesson, vocab, sentences, iterations, every,
                                           keep_at=framework_iterations)
    print(f"  Perplexity from {hand_curve[0][1]:.2f} to {hand_curve[-1][1]:.2f}"
          " (the book's notebook prints 82.09 to 4.02,\n  as the book's text does; an earlier version"
          " of the notebook said \"Should be\" 82.04 to 3.88:\n  each run with its own vocabulary"
          " order and the book's backpropagation).")

    print(f"\n4. The same network with the framework: the first {framework_iterations:,} sentences")
    framework, framework_curve = train_with_framework(lesson, vocab, sentences, framework_iterations, every)
    for (iteration, by_autograd), (_, by_hand) in zip(framework_curve, hand_curve):
        print(f"  iteration {iteration:6,}  Perplexity by hand {by_hand:.6f}  with autograd {by_autograd:.6f}")
    difference = largest_difference(kept, framework)
    print(f"  Largest difference between the weights after {framework_iterations:,} sentences:"
          + (" below 1e-12 (rounding: the sums are added in another order)" if difference < 1e-12
             else f" {difference:.1e}"))

    print("\n5. Word by word, after training by hand:")
    word_by_word(k, vocab, hand, tokens)

    lesson.plot("ch15_perplexity.png", draw_perplexity(hand_curve, framework_curve))
    lesson.finish()


# %%
if __name__ == "__main__":
    main()
