"""Chapter 11 (momentum, activations, softmax, the best network): a short run on every backend
against its golden transcript (pure's smaller, against cython's), the golden's best network against the book's NumPy code, and
the 95% claim."""
import re

import grokking
from referees import book_digits
from marks import needs_compiled
from grokking.chapters import ch11_digits_best_network as ch11
from grokking.lessons.digits import digits_data, percent
from grokking.networks.digits import train_digits
from transcript import assert_chapter_prints_golden, assert_pure_prints_what_cython_prints, golden

SHORT = ("--epochs", "2", "--examples", "300")   # the run of tests/golden/ch11_digits_best_network_short.txt
SMALLER = ("--epochs", "1", "--examples", "100")   # pure against cython (see conftest's long_run_backend)
GOLDEN = golden("ch11_digits_best_network_short")


def test_a_short_run_prints_the_golden_transcript(long_run_backend, capsys):
    assert_chapter_prints_golden(ch11, long_run_backend, capsys, options=SHORT, variant="short")


@needs_compiled
def test_pure_prints_what_cython_prints(capsys):
    assert_pure_prints_what_cython_prints(ch11, capsys, options=SMALLER)


def test_the_golden_best_network_is_the_books():
    """All the ideas together (bias, softmax, momentum, batches of 16), 3 epochs on 240 images."""
    train, test = digits_data(300)
    want_train, want_test, *_ = book_digits(ch11.BEST.but(epochs=3), train, test)
    assert (f"4. The best network, 3 epochs: train {percent(want_train[-1]).strip()}, "
            f"test {percent(want_test[-1]).strip()} ({want_test[-1]:.4f})") in GOLDEN


def test_every_idea_is_beside_the_plain_network():
    table = GOLDEN[GOLDEN.index("Accuracy table"):].splitlines()[3:9]
    assert [line.split("  ")[0] for line in table] == [
        "plain", "momentum 0.9", "sigmoid hidden", "tanh hidden", "softmax + cross-entropy",
        "best: all together"]
    assert re.search(r"probabilities \[0\.659, 0\.2424, 0\.0986\] \(sum 1\.0000\)", GOLDEN)


@needs_compiled
def test_the_best_network_reads_at_least_95_percent_of_the_test_digits():
    """The full recipe on all the data: the book's NumPy code and the compiled backend."""
    train, test = digits_data()
    _, want_test, *_ = book_digits(ch11.BEST, train, test)
    history = train_digits(ch11.BEST, train, test, grokking.backend("cython"))
    assert history.test == want_test
    assert history.final_test >= 0.95
