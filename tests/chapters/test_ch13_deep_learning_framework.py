"""Chapter 13: the book's chapter 13 on grokking.framework: its printed numbers on every backend.

The book's numbers below are copied from its notebook ("Chapter13 - Intro to Automatic
Differentiation - Let's Build A Deep Learning Framework.ipynb", iamtrask/Grokking-Deep-Learning),
not from the chapter, so that the chapter is checked against them. Numbers the book prints
in full (16 digits) are compared to 1e-14 relative: their last digit depends on the order
in which a backend adds (on pure they are the book's exactly, tested too).
"""
import numpy as np
import pytest

from marks import needs_compiled
from grokking.chapters import ch13_deep_learning_framework as ch13
from transcript import assert_chapter_prints_golden

SHORT = ("--iterations", "5")    # the short run of the golden transcripts (every backend)

BOOK_BY_HAND = [5.066439994622395, 0.4959907791902342, 0.4180671892167177, 0.35298133007809646,
                0.2972549636567377, 0.2492326038163328, 0.20785392075862477, 0.17231260916265176,
                0.14193744536652986, 0.11613979792168384]
BOOK_AUTOGRAD = [0.58128304, 0.48988149, 0.41375111, 0.34489412, 0.28210124, 0.2254484,
                 0.17538853, 0.1324231, 0.09682769, 0.06849361]      # parts 7 and 8
BOOK_SEQUENTIAL = [2.33428272, 0.06743796, 0.0521849, 0.04079507, 0.03184365, 0.02479336,
                   0.01925443, 0.01491699, 0.01153118, 0.00889602]   # parts 10 and 11
BOOK_NONLINEAR = [1.06372865, 0.75148144, 0.57384259, 0.39574294, 0.2482279, 0.15515294,
                  0.10423398, 0.07571169, 0.05837623, 0.04700013]    # part 12
BOOK_EMBEDDING = [0.98874126, 0.6658868, 0.45639889, 0.31608168, 0.2260925, 0.16877423,
                  0.13120515, 0.10555487, 0.08731868, 0.07387834]    # part 15
BOOK_CROSS_ENTROPY = [1.3885032434928422, 0.9558181509266037, 0.6823083585795604,
                      0.5095259967493119, 0.39574491472895856, 0.31752527285348264,
                      0.2617222861964216, 0.22061283923954234, 0.18946427334830068,
                      0.16527389263866668]                            # part 16
BOOK_INDEX_SELECT_GRAD = [[0] * 5, [1] * 5, [2] * 5, [2] * 5, [1] * 5]   # part 14
BOOK_EXPAND_3D = [[[1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3]],
                  [[4, 4, 4, 4], [5, 5, 5, 5], [6, 6, 6, 6]]]


def as_printed(losses, decimals=8):
    """The book prints its one-number tensors with NumPy's 8 decimals."""
    return [round(loss, decimals) for loss in losses]


def assert_full_digits(ours, book):
    assert np.allclose(ours, book, rtol=1e-14, atol=0), (ours, book)


# -- parts 1-6 -------------------------------------------------------------------------------

def test_autograd_and_the_tensor_used_twice(k, capsys):
    x_grad, a_grad = ch13.autograd_adds(k)
    assert x_grad == a_grad == [1.0] * 5                           # the book: [1 1 1 1 1]
    book_first, ours, negated = ch13.used_twice(k)
    assert book_first == [1.0] * 5                                  # the book's bug: False x 5
    assert ours == [2.0] * 5 and negated == [-2.0] * 5              # after its fix: True x 5
    out = capsys.readouterr().out
    assert "[False False False False False]" in out and "[ True  True  True  True  True]" in out


def test_sum_expand_and_the_3d_expand_on_numpy(k, capsys):
    sum_0, sum_1, three_d = ch13.sum_and_expand(k)
    assert sum_0 == [5.0, 7.0, 9.0] and sum_1 == [6.0, 15.0]     # the book: [5 7 9], [ 6 15]
    assert three_d.tolist() == BOOK_EXPAND_3D


def test_every_operation_gradient_agrees_with_finite_differences(k, capsys):
    worst = ch13.every_gradient_checked(k)
    assert len(worst) == 5 and all(difference < 1e-6 for difference in worst.values()), worst
    assert "largest relative difference below 1e-6: True" in capsys.readouterr().out


# -- parts 7-16: the book's printed losses -----------------------------------------------------

def test_part_7_by_hand_prints_the_books_numbers(k):
    ours = ch13.two_layer_by_hand(k)
    assert_full_digits(ours, BOOK_BY_HAND)
    if k.name == "pure":   # adding one number after the other, as the book's NumPy did: all digits
        assert ours == BOOK_BY_HAND


def test_part_7_and_8_autograd_and_sgd_print_the_books_numbers(k):
    autograd = [loss.tolist()[0] for loss in ch13.two_layer_autograd(k)]
    sgd = [loss.tolist()[0] for loss in ch13.two_layer_autograd(k, with_sgd=True)]
    assert as_printed(autograd) == as_printed(sgd) == BOOK_AUTOGRAD
    # the book's two lists differ only by its id draws and the 2 of d(diff^2): with both, bit for bit
    assert ch13.two_layer_by_hand(k, book_draws=True, times_two=True) == autograd
    assert as_printed(ch13.two_layer_by_hand(k, times_two=True)) != BOOK_AUTOGRAD
    assert as_printed(ch13.two_layer_by_hand(k, book_draws=True)) != BOOK_AUTOGRAD


def test_parts_10_to_12_layers_print_the_books_numbers(k, capsys):
    sequential, nonlinear = ch13.layers(k)
    assert as_printed(sequential) == BOOK_SEQUENTIAL
    assert as_printed(nonlinear) == BOOK_NONLINEAR
    assert "NOT THE SAME" not in capsys.readouterr().out


def test_parts_14_and_15_index_select_and_embedding(k, capsys):
    assert ch13.index_select_gradient(k) == BOOK_INDEX_SELECT_GRAD
    assert as_printed(ch13.embedding_network(k)) == BOOK_EMBEDDING


def test_part_16_cross_entropy_with_alpha_times_rows_takes_the_books_steps(k, capsys):
    assert_full_digits(ch13.cross_entropy_network(k), BOOK_CROSS_ENTROPY)


def test_part_16_as_the_book_writes_it_in_numpy():
    """The referee of part 16: the book's gradient (softmax - target, alpha 0.1), in NumPy."""
    np.random.seed(0)
    for _ in range(2):
        np.random.randint(0, 100000)                  # the book's data and target ids
    embedding = (np.random.rand(3, 3) - 0.5) / 3
    np.random.randint(0, 100000)
    weight = np.random.randn(3, 4) * np.sqrt(2.0 / 3)
    bias = np.zeros(4)
    words, targets = np.array([1, 2, 1, 2]), np.array([0, 1, 0, 1])
    losses = []
    for _ in range(10):
        hidden = np.tanh(embedding[words])
        scores = hidden.dot(weight) + bias
        softmax = np.exp(scores) / np.exp(scores).sum(1, keepdims=True)
        target_dist = np.eye(4)[targets]
        losses.append(-(np.log(softmax) * target_dist).sum(1).mean())
        grad = softmax - target_dist
        grad_hidden = grad.dot(weight.T) * (1 - hidden * hidden)
        weight -= 0.1 * hidden.T.dot(grad)
        bias -= 0.1 * grad.sum(0)
        np.add.at(embedding, words, -0.1 * grad_hidden)
    assert_full_digits(losses, BOOK_CROSS_ENTROPY)


# -- part 17: the RNN on bAbI --------------------------------------------------------------------

def test_babi_words_are_the_books_tokens_with_a_sorted_vocabulary():
    vocab, data = ch13.babi_words()
    assert vocab == sorted(vocab) and len(vocab) == 83 and vocab[0] == "\tbathroom\t1"
    assert len(data) == 1000 and all(len(line) == 6 for line in data)
    assert [vocab[i] for i in data[0]] == ["-", "mary", "moved", "to", "the", "bathroom."]
    assert [vocab[i] for i in data[2]] == ["-", "-", "where", "is", "mary?", "\tbathroom\t1"]


def book_rnn_in_numpy(data, vocab_size, iterations, batch_size=100, alpha=0.05):
    """The referee of part 17: the book's RNN and its backward, written out in NumPy with the
    book's gradient (softmax - target, the sum over the batch) and its alpha 0.05.

    The chapter draws its weights after np.random.seed(0): Embedding, then RNNCell's three Linear.
    """
    np.random.seed(0)
    embedding = (np.random.rand(vocab_size, 16) - 0.5) / 16
    weights = [np.random.randn(16, n) * np.sqrt(2.0 / 16) for n in (16, 16, vocab_size)]
    w_ih, w_hh, w_ho = weights
    b_ih, b_hh, b_ho = np.zeros(16), np.zeros(16), np.zeros(vocab_size)
    data = np.array(data[:batch_size])
    losses = []
    for _ in range(iterations):
        hiddens, inputs = [np.zeros((batch_size, 16))], []
        for t in range(5):
            inputs.append(embedding[data[:, t]])
            combined = (inputs[-1].dot(w_ih) + b_ih) + (hiddens[-1].dot(w_hh) + b_hh)
            hiddens.append(1 / (1 + np.exp(-combined)))
        scores = hiddens[-1].dot(w_ho) + b_ho
        softmax = np.exp(scores) / np.exp(scores).sum(1, keepdims=True)
        target_dist = np.eye(vocab_size)[data[:, 5]]
        losses.append(-(np.log(softmax) * target_dist).sum(1).mean())
        grad = softmax - target_dist
        grads = {"w_ho": hiddens[-1].T.dot(grad), "b_ho": grad.sum(0), "w_ih": 0, "b_ih": 0,
                 "w_hh": 0, "b_hh": 0, "embedding": np.zeros_like(embedding)}
        grad_hidden = grad.dot(w_ho.T)
        for t in reversed(range(5)):
            grad_combined = grad_hidden * hiddens[t + 1] * (1 - hiddens[t + 1])
            grads["w_ih"] = grads["w_ih"] + inputs[t].T.dot(grad_combined)
            grads["b_ih"] = grads["b_ih"] + grad_combined.sum(0)
            grads["w_hh"] = grads["w_hh"] + hiddens[t].T.dot(grad_combined)
            grads["b_hh"] = grads["b_hh"] + grad_combined.sum(0)
            np.add.at(grads["embedding"], data[:, t], grad_combined.dot(w_ih.T))
            grad_hidden = grad_combined.dot(w_hh.T)
        w_ih -= alpha * grads["w_ih"]
        b_ih -= alpha * grads["b_ih"]
        w_hh -= alpha * grads["w_hh"]
        b_hh -= alpha * grads["b_hh"]
        w_ho -= alpha * grads["w_ho"]
        b_ho -= alpha * grads["b_ho"]
        embedding -= alpha * grads["embedding"]
    return losses, w_ho, embedding


def test_the_rnn_trains_as_the_books_rnn_written_in_numpy(backend_name, capsys):
    vocab, data = ch13.babi_words()
    lesson = ch13.start_chapter(ch13.__doc__, ["--backend", backend_name], ch13.OPTIONS)[0]
    losses, _, embed, model = ch13.babi_rnn(lesson, 3)
    want_losses, want_w_ho, want_embedding = book_rnn_in_numpy(data, len(vocab), 3)
    assert np.allclose(losses, want_losses, rtol=1e-12, atol=0)
    assert np.allclose(model.w_ho.weight.tolist(), want_w_ho, rtol=1e-9, atol=1e-12)
    assert np.allclose(embed.weight.tolist(), want_embedding, rtol=1e-9, atol=1e-12)


@pytest.fixture(scope="module")
def full_runs():
    """The whole chapter (1,000 RNN iterations) on cython and numpy: what each printed."""
    import grokking
    from transcript import printed
    names = ["numpy"] + (["cython"] if grokking.compiled_available() else [])
    return {name: printed(ch13.main, ["--backend", name]) for name in names}


def _rnn_lines(out):
    return [line for line in out.splitlines() if line.startswith(("Loss:", "Pred:"))]


@needs_compiled
def test_the_full_run_on_cython_prints_its_golden_transcript(full_runs, capsys):
    from transcript import assert_same_transcript, golden
    assert_same_transcript(full_runs["cython"], golden("ch13_deep_learning_framework"))


@needs_compiled
def test_the_full_rnn_agrees_across_backends_until_chaos_and_ends_as_the_book(full_runs):
    cython, numpy = (_rnn_lines(full_runs[name]) for name in ("cython", "numpy"))
    loss = [[float(line.split()[1]) for line in lines[:5]] for lines in (cython, numpy)]
    correct = [[float(line.split()[-1]) for line in lines[:5]] for lines in (cython, numpy)]
    assert np.allclose(loss[0][:2], loss[1][:2], rtol=1e-12, atol=0)   # iterations 0 and 200
    assert correct[0][-1] == correct[1][-1] == 0.37                     # the book's 37%
    assert cython[-1] == numpy[-1] == "Pred: office."                  # the book's prediction
    assert loss[0][-1] < loss[0][0] / 3


# -- the transcript, the options ----------------------------------------------------------------

@pytest.mark.parametrize("trace", [False, True], ids=["default", "trace"])
def test_the_short_run_prints_its_golden_transcript(backend_name, capsys, trace):
    out = assert_chapter_prints_golden(ch13, backend_name, capsys, trace, options=SHORT,
                                       variant="short")
    assert out.count("NOT THE SAME") == 0
    assert ("t3 = mm(data, linear1.weight), shape (4, 3)" in out) == trace
    # which backend's RNN numbers these are: a "Backend:" line, which the transcripts skip
    assert f"Backend: {backend_name}. These RNN numbers are the {backend_name} backend's:" in out


def test_plot_writes_the_losses_and_the_graph(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    ch13.main(["--backend", "numpy", "--iterations", "2", "--plot", str(tmp_path)])
    for name in ("ch13_losses.png", "ch13_graph_of_one_step.png"):
        assert (tmp_path / name).stat().st_size > 1000


def test_the_graph_layout_puts_every_creator_left_of_what_it_made(capsys):
    nodes, names = ch13.graph_of_one_step(ch13.Tensor([0.0]).k)
    place = ch13.graph_layout(nodes)
    assert len(set(place.values())) == len(nodes) == 17     # 6 leaves, 11 operations
    assert all(place[id(c)][0] < place[id(n)][0] for n in nodes for c in n.creators or ())
    assert names[id(nodes[-1])] == "loss" and nodes[-1].creation_op == "sum_0"


@pytest.mark.parametrize("argv, environment, message", [
    (["--iterations", "0"], None, "--iterations must be at least 1, got 0"),
    ([], "many", "GROKKING_ITERATIONS must be a whole number, got 'many'"),
    ([], "-3", "GROKKING_ITERATIONS must be at least 1, got -3"),
])
def test_iterations_must_be_a_whole_number_of_at_least_1(argv, environment, message, monkeypatch):
    if environment is not None:
        monkeypatch.setenv("GROKKING_ITERATIONS", environment)
    with pytest.raises(SystemExit, match=message):
        ch13.start_chapter(ch13.__doc__, ["--backend", "numpy", *argv], ch13.OPTIONS)


def test_iterations_from_the_environment_and_the_option_wins(monkeypatch):
    def iterations(*argv):
        return ch13.start_chapter(ch13.__doc__, ["--backend", "numpy", *argv], ch13.OPTIONS)[1]
    monkeypatch.setenv("GROKKING_ITERATIONS", "7")
    assert iterations() == 7 and iterations("--iterations", "3") == 3
    monkeypatch.delenv("GROKKING_ITERATIONS")
    assert iterations() == 1000
