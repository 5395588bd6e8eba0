"""The bench's framework section: ``grokking.framework`` per training step, beside the book's own.

Two models of the chapters, each at hidden 16 (the chapters' size), 128 and 512
(the book's chapter 14 size):

- **rnn**: chapter 13's ``RNNCell`` (sigmoid): an embedding of 16, a batch of
  100 lines, 5 words read, the 6th predicted, on a vocabulary of 82 words;
- **lstm**: chapter 16's ``LSTMCell``: an embedding of 8, 8 streams of text,
  16 characters back, 24 characters, the hidden state carried from one window
  to the next.

One training step is one window: the forward pass, ``backward``, ``SGD.step``.
The referee is the book's framework written in NumPy (``book_numpy``), every
tensor waiting for its children. First the same numbers: both train a few steps
from the same weights on the same characters, and the losses and every weight
must agree within 1e-9. Then the times: the median of several runs, the
implementations taking turns (the machine may be busy; the ratios are what
count). Pure Python runs only at hidden 16 (a 512 x 512 matrix product on lists
takes seconds). PyTorch (CPU, float64, one thread), when it is installed, is an
extra column; it is never needed.
"""
import statistics
import time
from dataclasses import dataclass

import numpy as np

from . import book_numpy as book

HIDDENS = (16, 128, 512)
AGREEMENT = 1e-9

# name: (seconds a measurement should last at least, repeats, hidden sizes, steps checked)
MODES = {"full": (0.3, 7, HIDDENS, 4), "quick": (0.05, 5, HIDDENS, 3), "tiny": (0.0, 1, (16,), 1)}

# (model, hidden, backend): the most a step may take, as a multiple of the book's NumPy framework
LIMITS = {("lstm", 128, "cython"): 1.0, ("lstm", 512, "cython"): 1.25, ("lstm", 512, "numpy"): 1.1,
          ("lstm", 16, "cython"): 1 / 1.2, ("rnn", 16, "cython"): 1 / 1.2}


@dataclass(frozen=True)
class Model:
    """One of the two models at one size, and the characters (or words) it trains on."""
    name: str
    hidden: int
    embed: int
    vocab: int
    streams: int     # rows of each batch
    steps: int       # time steps a window reads
    alpha: float     # the book's step size (its gradient is the sum over the rows)
    inputs: tuple    # [window][time step] -> one index per stream
    targets: tuple   # rnn: [window] -> the word after; lstm: [window][time step] -> the next character

    @property
    def carries_hidden(self):
        return self.name == "lstm"


def model(name, hidden, windows=4, seed=1):
    """The model ``name`` ("rnn" or "lstm") at ``hidden``, with ``windows`` windows of random text."""
    rng = np.random.RandomState(seed)
    if name == "rnn":
        vocab, streams, steps = 82, 100, 5
        data = rng.randint(0, vocab, size=(windows, steps + 1, streams))
        inputs, targets = data[:, :steps], data[:, steps]
        return Model(name, hidden, 16, vocab, streams, steps, 0.05, inputs.tolist(),
                     targets.tolist())
    vocab, streams, steps = 24, 8, 16
    data = rng.randint(0, vocab, size=(windows, steps + 1, streams))
    return Model(name, hidden, 8, vocab, streams, steps, 0.5 / streams, data[:, :steps].tolist(),
                 data[:, 1:].tolist())


# -- the same model in grokking.framework and in the book's framework ---------------------

class Ours:
    """``grokking.framework`` on one backend: the chapters' training loop."""

    def __init__(self, m, backend, seed=0):
        from ..framework import SGD, CrossEntropyLoss, Embedding, LSTMCell, RNNCell, Tensor
        self.m, self.Tensor = m, Tensor
        rng = np.random.RandomState(seed)
        self.embed = Embedding(m.vocab, m.embed, rng=rng, backend=backend)
        cell = LSTMCell if m.carries_hidden else RNNCell
        self.cell = cell(m.embed, m.hidden, m.vocab, rng=rng, backend=backend)
        self.k = self.cell.k
        # our cross-entropy's gradient is the mean over the rows: alpha * rows takes the book's steps
        self.optim = SGD(self.cell.get_parameters() + self.embed.get_parameters(),
                         alpha=m.alpha * m.streams)
        self.criterion = CrossEntropyLoss()
        self.hidden = self.cell.init_hidden(m.streams) if m.carries_hidden else None
        self.window = 0

    def step(self):
        """One window: forward, backward, step. Returns the loss (the sum over the window)."""
        m, window = self.m, self.window % len(self.m.inputs)
        self.window += 1
        if m.carries_hidden:
            hidden = tuple(self.Tensor(h.data, autograd=True, backend=self.k) for h in self.hidden)
        else:
            hidden = self.cell.init_hidden(m.streams)
        loss = None
        for t in range(m.steps):
            output, hidden = self.cell.forward(self.embed.forward(m.inputs[window][t]), hidden)
            if m.carries_hidden:
                step_loss = self.criterion.forward(output, m.targets[window][t])
                loss = step_loss if loss is None else loss + step_loss
        if not m.carries_hidden:
            loss = self.criterion.forward(output, m.targets[window])
        loss.backward()
        self.optim.step()
        self.hidden = hidden
        return float(loss.tolist()[0])

    def weights(self):
        return [np.asarray(p.data, dtype=float) for p in self.optim.parameters]


class Book:
    """The book's framework in NumPy (``book_numpy``), from the same weights as ``ours``."""

    def __init__(self, ours):
        m = self.m = ours.m
        self.embed = book.embedding_like(ours.embed)
        self.cell = (book.lstm_like if m.carries_hidden else book.rnn_like)(ours.cell)
        self.optim = book.SGD(self.cell.parameters + self.embed.parameters, alpha=m.alpha)
        self.hidden = None
        if m.carries_hidden:
            self.hidden = tuple(book.Tensor(np.array(h.tolist()), autograd=True) for h in ours.hidden)
        self.window = 0

    def _start_hidden(self):
        if self.m.carries_hidden:
            return tuple(book.Tensor(h.data, autograd=True) for h in self.hidden)
        return book.Tensor(np.zeros((self.m.streams, self.m.hidden)), autograd=True)

    def step(self):
        m, window = self.m, self.window % len(self.m.inputs)
        self.window += 1
        hidden = self._start_hidden()
        losses = []
        for t in range(m.steps):
            input = book.Tensor(np.array(m.inputs[window][t]), autograd=True)
            if m.carries_hidden:
                output, hidden = self.cell.forward(self.embed.forward(input), hidden)
                batch_loss = output.cross_entropy(book.Tensor(np.array(m.targets[window][t])))
                losses.append(batch_loss if t == 0 else batch_loss + losses[-1])
            else:   # only the last word's output is scored
                output, hidden = self.cell.forward(self.embed.forward(input), hidden,
                                                   scored=t == m.steps - 1)
        if not m.carries_hidden:
            losses.append(output.cross_entropy(book.Tensor(np.array(m.targets[window]))))
        loss = losses[-1]
        loss.backward()
        self.optim.step()
        self.hidden = hidden
        return float(loss.data)

    def weights(self):
        return [p.data for p in self.optim.parameters]


class Torch:
    """The same model in PyTorch (CPU, float64), when it is installed: an extra column."""

    def __init__(self, ours):
        import torch
        self.torch, m = torch, ours.m
        self.m = m
        self.params = [torch.tensor(w, dtype=torch.float64, requires_grad=True)
                       for w in ours.weights()]
        self.hidden = None
        if m.carries_hidden:
            self.hidden = tuple(torch.tensor(np.asarray(h.tolist())) for h in ours.hidden)
        self.alpha = m.alpha * m.streams
        self.window = 0
        torch.set_num_threads(1)   # one core against one core, as NumPy's one BLAS thread

    def _linear(self, x, weight, bias=None):
        return x @ weight if bias is None else x @ weight + bias

    def _cell(self, x, hidden):
        p = self.params
        if not self.m.carries_hidden:   # w_ih (2), w_hh (2), w_ho (2), embedding
            h = (self._linear(x, p[0], p[1]) + self._linear(hidden, p[2], p[3])).sigmoid()
            return self._linear(h, p[4], p[5]), h
        h, c = hidden   # xf, xi, xo, xc (weight and bias each), hf, hi, ho, hc, w_ho, embedding
        f = (self._linear(x, p[0], p[1]) + h @ p[8]).sigmoid()
        i = (self._linear(x, p[2], p[3]) + h @ p[9]).sigmoid()
        o = (self._linear(x, p[4], p[5]) + h @ p[10]).sigmoid()
        g = (self._linear(x, p[6], p[7]) + h @ p[11]).tanh()
        c = f * c + i * g
        h = o * c.tanh()
        return h @ p[12], (h, c)

    def step(self):
        torch, m = self.torch, self.m
        window = self.window % len(m.inputs)
        self.window += 1
        embed = self.params[-1]
        if m.carries_hidden:
            hidden = tuple(h.detach() for h in self.hidden)
        else:
            hidden = torch.zeros((m.streams, m.hidden), dtype=torch.float64)
        loss = 0.0
        for t in range(m.steps):
            output, hidden = self._cell(embed[torch.tensor(m.inputs[window][t])], hidden)
            if m.carries_hidden:
                loss = loss + torch.nn.functional.cross_entropy(
                    output, torch.tensor(m.targets[window][t]))
        if not m.carries_hidden:
            loss = torch.nn.functional.cross_entropy(output, torch.tensor(m.targets[window]))
        loss.backward()
        with torch.no_grad():
            for p in self.params:
                p -= self.alpha * p.grad
                p.grad = None
        self.hidden = hidden
        return float(loss.detach())

    def weights(self):
        return [p.detach().numpy() for p in self.params]


def torch_available():
    try:
        import torch  # noqa: F401  (only to see whether it is there)
    except ImportError:
        return False
    return True


# -- the same numbers ---------------------------------------------------------------------

def agreement(m, backend, steps):
    """The largest difference, over ``steps`` steps, between ``grokking.framework`` on ``backend``
    and the book's framework: in the losses (relative) and in every weight afterwards."""
    ours = Ours(m, backend)
    referee = Book(ours)
    loss_gap = 0.0
    for _ in range(steps):
        a, b = ours.step(), referee.step()
        loss_gap = max(loss_gap, abs(a - b) / max(1.0, abs(b)))
    weight_gap = max(float(np.max(np.abs(a - b))) for a, b in zip(ours.weights(), referee.weights()))
    return loss_gap, weight_gap


# -- the times ----------------------------------------------------------------------------

def time_steps(trainers, min_seconds, repeats):
    """Median seconds per step of each ``{name: trainer}``, taking turns, after one warm-up step."""
    counts = {}
    for name, trainer in trainers.items():
        start = time.perf_counter()
        trainer.step()
        once = time.perf_counter() - start
        counts[name] = max(1, int(min_seconds / max(once, 1e-9)))
    samples = {name: [] for name in trainers}
    for _ in range(repeats):
        for name, trainer in trainers.items():
            start = time.perf_counter()
            for _ in range(counts[name]):
                trainer.step()
            samples[name].append((time.perf_counter() - start) / counts[name])
    return {name: statistics.median(s) for name, s in samples.items()}


BACKENDS = ("pure", "cython", "numpy")


def bench_framework(mode, backends, say):
    """One row per model and size: seconds per step on each backend, the book's and PyTorch's."""
    min_seconds, repeats, hiddens, checked = MODES[mode]
    with_torch = torch_available()
    rows = []
    for name in ("rnn", "lstm"):
        for hidden in hiddens:
            m = model(name, hidden)
            used = [b for b in BACKENDS if b in backends and (b != "pure" or hidden == 16)]
            gaps = {b: agreement(m, backends[b], checked) for b in used}
            trainers = {b: Ours(m, backends[b]) for b in used}
            trainers["book"] = Book(trainers[used[-1]])
            if with_torch:
                trainers["torch"] = Torch(trainers[used[-1]])
            seconds = time_steps(trainers, min_seconds, repeats)
            row = {"model": name, "hidden": hidden, "seconds": seconds,
                   "vs_book": {b: seconds[b] / seconds["book"] for b in seconds if b != "book"},
                   "loss_gap": {b: g[0] for b, g in gaps.items()},
                   "weight_gap": {b: g[1] for b, g in gaps.items()}, "steps_checked": checked}
            rows.append(row)
            say(framework_line(row))
    return rows


def header():
    return (f"{'model':<6}{'hidden':>7}{'pure ms':>10}{'cython ms':>11}{'numpy ms':>10}"
            f"{'book ms':>10}{'torch ms':>10}{'cy/book':>9}{'np/book':>9}  largest gap to the book")


def framework_line(row):
    s, ratio = row["seconds"], row["vs_book"]

    def ms(name):
        return f"{s[name] * 1e3:.2f}" if name in s else "-"

    def times(name):
        return f"{ratio[name]:.2f}x" if name in ratio else "-"
    gap = max(max(row["loss_gap"].values()), max(row["weight_gap"].values()))
    return (f"{row['model']:<6}{row['hidden']:>7}{ms('pure'):>10}{ms('cython'):>11}{ms('numpy'):>10}"
            f"{ms('book'):>10}{ms('torch'):>10}{times('cython'):>9}{times('numpy'):>9}  {gap:.1e}")


def explain(mode):
    min_seconds, repeats, hiddens, checked = MODES[mode]
    return (f"\nFramework: one training step (forward, backward, SGD step) of chapter 13's RNN "
            f"(embedding 16, batch 100,\n5 words) and chapter 16's LSTM (embedding 8, 8 streams, "
            f"16 characters back), against the book's\nframework written in NumPy (every tensor "
            f"waiting for its children); milliseconds per step, median of\n{repeats} runs taking "
            f"turns; pure only at hidden 16; torch (CPU, float64) only when installed. First\n"
            f"the same numbers: losses and weights after {checked} steps within {AGREEMENT:g} "
            f"of the book's framework.")


def targets(rows):
    """``[(what, measured ratio or None, limit)]`` of the framework section, PASS when <= limit;
    and the agreement with the book's framework (gap, limit 1e-9)."""
    found = []
    by = {(r["model"], r["hidden"]): r for r in rows}
    for (name, hidden, backend), limit in LIMITS.items():
        row = by.get((name, hidden), {})
        what = f"{name} hidden {hidden}: {backend} / book's NumPy framework"
        found.append((what, row.get("vs_book", {}).get(backend), limit))
    gaps = [max(max(r["loss_gap"].values()), max(r["weight_gap"].values())) for r in rows]
    found.append((f"framework: largest gap to the book's numbers / {AGREEMENT:g}",
                  max(gaps) / AGREEMENT if gaps else None, 1.0))
    return found
