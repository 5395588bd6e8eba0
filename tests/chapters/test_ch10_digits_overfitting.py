"""Chapter 10 (overfitting, early stopping, L2, dropout): a short run on every backend against
its golden transcript (run without --backend: the default backend; pure's smaller, against
cython's), and the golden's numbers against the book's NumPy code."""
import re

import grokking
from referees import book_digits
from grokking.chapters import ch10_digits_overfitting as ch10
from grokking.lessons.digits import digits_data, percent
from grokking.networks.digits import train_digits
from marks import needs_compiled
from transcript import assert_pure_prints_what_cython_prints, assert_same_transcript, golden

SHORT = ("--epochs", "2", "--examples", "300")   # the run of tests/golden/ch10_digits_overfitting_short.txt
SMALLER = ("--epochs", "1", "--examples", "100")   # pure against cython (see conftest's long_run_backend)
GOLDEN = golden("ch10_digits_overfitting_short")


def test_a_short_run_on_the_default_backend_prints_the_golden_transcript(long_run_default_backend,
                                                                         capsys):
    ch10.main(list(SHORT))
    out = capsys.readouterr().out
    assert_same_transcript(out, GOLDEN)
    assert out.splitlines()[-1].startswith(f"Backend: {long_run_default_backend} | ")


@needs_compiled
def test_pure_prints_what_cython_prints(capsys):
    assert_pure_prints_what_cython_prints(ch10, capsys, options=SMALLER)


def test_the_golden_early_stopping_is_the_books():
    """Early stopping's best epoch and its accuracies, as the book's NumPy code computes them."""
    train, test = digits_data(300)
    small, validation = ch10.small_sets(train, 300)
    want_train, want_test, want_validation, best, _ = book_digits(
        ch10.PLAIN.but(epochs=2, patience=20), small, test, validation)
    assert (f"validation accuracy was best at epoch {best} "
            f"({percent(want_validation[best - 1]).strip()})") in GOLDEN
    row = re.search(r"^early stopping \(patience 20\) +(\d+) +(\S+%) +(\S+%)", GOLDEN, re.M)
    assert row.groups() == (str(best), percent(want_train[best - 1]).strip(),
                            percent(want_test[best - 1]).strip())


def test_the_table_compares_each_idea_with_the_plain_network():
    table = GOLDEN[GOLDEN.index("Accuracy table"):].splitlines()[3:8]
    assert [line.split("  ")[0] for line in table] == [
        "plain", "early stopping (patience 20)", "L2 0.001", "L2 0.01", "dropout 0.5"]
    plain_test = float(re.findall(r"(\d+\.\d)%", table[0])[1])
    for line in table[1:]:
        test = float(re.findall(r"(\d+\.\d)%", line)[1])
        change = float(re.search(r"([+-]\d+\.\d) points", line).group(1))
        assert abs(test - plain_test - change) < 0.11      # the "vs plain" column is the difference


def test_l2_makes_the_weights_smaller():
    k = grokking.backend("numpy")
    train, test = digits_data(300)
    small, _ = ch10.small_sets(train, 300)
    plain = train_digits(ch10.PLAIN.but(epochs=5), small, test, k)
    decayed = train_digits(ch10.PLAIN.but(epochs=5, l2=0.1), small, test, k)
    assert ch10.mean_abs_weight(k, decayed) < 0.9 * ch10.mean_abs_weight(k, plain)
