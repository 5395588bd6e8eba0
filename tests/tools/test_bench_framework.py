"""The bench's framework section: grokking.framework against the book's framework in NumPy.

The referee (``grokking.tools.book_numpy``) is the book's Tensor, written apart from the
framework it judges; the two agreeing to 1e-9 after training steps checks both. No speed is
asserted here: the PASS/MISS targets live in the bench.
"""
import numpy as np
import pytest

import grokking
from grokking.tools import bench_framework as bf
from grokking.tools import book_numpy as book

BACKENDS = ["pure", "cython", "numpy"] if grokking.compiled_available() else ["pure", "numpy"]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", ["rnn", "lstm"])
def test_losses_and_weights_agree_with_the_books_framework(name, backend):
    loss_gap, weight_gap = bf.agreement(bf.model(name, 16), grokking.backend(backend), steps=3)
    assert loss_gap < 1e-9 and weight_gap < 1e-9


@pytest.mark.parametrize("name", ["rnn", "lstm"])
def test_they_agree_at_hidden_128_on_the_array_backends(name):
    loss_gap, weight_gap = bf.agreement(bf.model(name, 128), grokking.backend("numpy"), steps=2)
    assert loss_gap < 1e-9 and weight_gap < 1e-9


def test_training_moves_the_weights_and_the_loss():
    """The agreement is not that of two models standing still."""
    ours = bf.Ours(bf.model("lstm", 16), grokking.backend("numpy"))
    before = [w.copy() for w in ours.weights()]
    losses = [ours.step() for _ in range(3)]
    assert len(set(losses)) == 3 and losses[0] == pytest.approx(16 * np.log(24), rel=0.01)   # w_ho starts small: 1/24 each
    assert all(np.abs(a - b).max() > 1e-6 for a, b in zip(before, ours.weights()))


def test_the_referee_waits_for_every_child_before_sending_its_gradient_on():
    # b is used twice by c; a reaches c through b only: the book's first backward gave b 1, not 2
    a = book.Tensor(np.array([1.0, 2.0]), autograd=True)
    b = a + a
    c = b * b
    c.backward(book.Tensor(np.ones(2)))
    assert b.grad.data.tolist() == [4.0, 8.0] and a.grad.data.tolist() == [8.0, 16.0]
    with pytest.raises(Exception, match="more than once"):
        b.backward(book.Tensor(np.ones(2)), c)


def test_the_section_has_a_row_per_model_and_size_and_says_how_far_from_the_book(monkeypatch):
    monkeypatch.setitem(bf.MODES, "tiny", (0.0, 1, (16, 32), 1))
    backends = {name: grokking.backend(name) for name in BACKENDS}
    lines = []
    rows = bf.bench_framework("tiny", backends, lines.append)
    assert [(r["model"], r["hidden"]) for r in rows] == [("rnn", 16), ("rnn", 32), ("lstm", 16),
                                                         ("lstm", 32)]
    for row in rows:
        assert set(row["seconds"]) >= {"numpy", "book"} and all(s > 0 for s in row["seconds"].values())
        assert ("pure" in row["seconds"]) == (row["hidden"] == 16)     # pure at hidden 16 only
        assert row["vs_book"]["numpy"] == pytest.approx(row["seconds"]["numpy"] / row["seconds"]["book"])
    assert len(lines) == 4 and lines[0].split()[:2] == ["rnn", "16"]
    assert len(bf.header().split()) >= 10


def test_framework_targets_pass_only_within_their_limit():
    row = {"model": "lstm", "hidden": 128, "vs_book": {"cython": 1.2, "numpy": 0.9},
           "loss_gap": {"cython": 1e-16}, "weight_gap": {"cython": 3e-10}}
    found = {what: (measured, limit) for what, measured, limit in bf.targets([row])}
    assert found["lstm hidden 128: cython / book's NumPy framework"] == (1.2, 1.0)       # a MISS
    assert found["lstm hidden 512: cython / book's NumPy framework"] == (None, 1.25)
    assert found["framework: largest gap to the book's numbers / 1e-09"] == (pytest.approx(0.3), 1.0)


@pytest.mark.parametrize("name", ["rnn", "lstm"])
def test_the_pytorch_column_trains_the_same_model(name):
    pytest.importorskip("torch")
    ours = bf.Ours(bf.model(name, 16), grokking.backend("numpy"))
    torch_model = bf.Torch(ours)
    for _ in range(3):
        assert torch_model.step() == pytest.approx(ours.step(), rel=1e-9)
    for a, b in zip(ours.weights(), torch_model.weights()):
        assert np.allclose(a, b, rtol=0, atol=1e-9)
