"""Chapter 16 (LSTMs): the book's exploding-gradients notebook number for number on every backend,
and the chapter against its golden transcript.

Golden transcripts, written on the cython backend:
    python -m grokking.chapters.ch16_lstm --backend cython > tests/golden/ch16_lstm.txt
    python -m grokking.chapters.ch16_lstm --backend cython --trace > tests/golden/ch16_lstm_trace.txt
"""
import numpy as np
import pytest

from grokking.chapters import ch16_lstm as ch16
from grokking.lesson import start
from transcript import assert_chapter_prints_golden

# What the book's "Chapter14 - Exploding Gradients Examples" notebook printed (its outputs, as stored).
BOOK_SIGMOID_ACTIVATIONS = """\
[0.93940638 0.96852968]
[0.9919462  0.99121735]
[0.99301385 0.99302901]
[0.9930713  0.99307098]
[0.99307285 0.99307285]
[0.99307291 0.99307291]
[0.99307291 0.99307291]
[0.99307291 0.99307291]
[0.99307291 0.99307291]
[0.99307291 0.99307291]""".splitlines()
BOOK_SIGMOID_GRADIENTS = """\
[0.03439552 0.03439552]
[0.00118305 0.00118305]
[4.06916726e-05 4.06916726e-05]
[1.39961115e-06 1.39961115e-06]
[4.81403643e-08 4.81403637e-08]
[1.65582672e-09 1.65582765e-09]
[5.69682675e-11 5.69667160e-11]
[1.97259346e-12 1.97517920e-12]
[8.45387597e-14 8.02306381e-14]
[1.45938177e-14 2.16938983e-14]""".splitlines()
BOOK_RELU_ACTIVATIONS = """\
[23.71814585 23.98025559]
[119.63916823 118.852839  ]
[595.05052421 597.40951192]
[2984.68857188 2977.61160877]
[14895.13500696 14916.36589628]
[74560.59859209 74496.90592414]
[372548.22228863 372739.30029248]
[1863505.42345854 1862932.18944699]
[9315234.18124649 9316953.88328115]
[46583049.71437107 46577890.60826711]""".splitlines()
BOOK_RELU_GRADIENTS = [f"[{5.0 ** n:.0f}. {5.0 ** n:.0f}.]" for n in range(1, 11)]


def book_cells():
    """The notebook's two cells, the relu cell run twice (as its execution counts say)."""
    sigmoid = lambda x: 1 / (1 + np.exp(-x))  # noqa: E731
    relu = lambda x: (x > 0).astype(float) * x  # noqa: E731
    weights = np.array([[1, 4], [4, 1]])
    activation = sigmoid(np.array([1, 0.01]))
    activations = []
    for _ in range(10):
        activation = sigmoid(activation.dot(weights))
        activations.append(activation)
    sigmoid_activations, sigmoid_gradients = list(activations), []
    gradient = np.ones_like(activation)
    for activation in reversed(activations):
        gradient = (activation * (1 - activation) * gradient)
        gradient = gradient.dot(weights.transpose())
        sigmoid_gradients.append(gradient)
    for _ in range(2):
        activations, relu_gradients = [], []
        for _ in range(10):
            activation = relu(activation.dot(weights))
            activations.append(activation)
        gradient = np.ones_like(activation)
        for activation in reversed(activations):
            gradient = ((activation > 0) * gradient).dot(weights.transpose())
            relu_gradients.append(gradient)
    return sigmoid_activations, sigmoid_gradients, activations, relu_gradients


def test_the_exploding_gradients_notebook_number_for_number(backend_name, capsys):
    lesson = start(ch16.__doc__, ["--backend", backend_name])
    sigmoid, relu = ch16.vanishing_and_exploding(lesson)
    printed = [ch16.as_numpy_prints(v) for v in
               sigmoid.activations + sigmoid.gradients + relu.activations + relu.gradients]
    assert printed == (BOOK_SIGMOID_ACTIVATIONS + BOOK_SIGMOID_GRADIENTS + BOOK_RELU_ACTIVATIONS
                       + BOOK_RELU_GRADIENTS)
    out = capsys.readouterr().out
    assert all(line in out.splitlines() for line in printed)
    for ours, book in zip((sigmoid.activations, sigmoid.gradients, relu.activations, relu.gradients),
                          book_cells()):
        assert np.allclose(np.array(ours, dtype=float), np.array(book), rtol=1e-12, atol=0)


@pytest.mark.parametrize("trace", [False, True], ids=["default", "trace"])
def test_chapter_prints_its_golden_transcript(backend_name, capsys, trace):
    assert_chapter_prints_golden(ch16, backend_name, capsys, trace)


def test_plot_draws_the_gradient_sizes(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    ch16.main(["--backend", "numpy", "--plot", str(tmp_path)])
    assert (tmp_path / "ch16_vanishing_and_exploding.png").stat().st_size > 1000
