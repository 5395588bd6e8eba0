"""Chapter 9 (the digits network, bias, batch sizes, the book's slips): a short run on every
backend against its golden transcript (pure's smaller, against cython's), and the golden's numbers against the book's NumPy code."""
import re

import pytest

from referees import book_digits
from grokking.chapters import ch09_digits_network as ch09
from grokking.lessons.digits import digits_data
from marks import needs_compiled
from transcript import (
    assert_chapter_prints_golden, assert_pure_prints_what_cython_prints, compared_lines, golden,
    GOLDEN as GOLDEN_FOLDER)

SHORT = ("--epochs", "2", "--examples", "300")   # the run of tests/golden/ch09_digits_network_short.txt
SMALLER = ("--epochs", "1", "--examples", "100")   # pure against cython (see conftest's long_run_backend)
GOLDEN = golden("ch09_digits_network_short")


def test_a_short_run_prints_the_golden_transcript(long_run_backend, capsys):
    assert_chapter_prints_golden(ch09, long_run_backend, capsys, options=SHORT, variant="short")


@needs_compiled
def test_pure_prints_what_cython_prints(capsys):
    assert_pure_prints_what_cython_prints(ch09, capsys, options=SMALLER)


def test_only_the_seconds_column_of_the_batch_table_is_left_out():
    masked = [line for line in compared_lines(GOLDEN) if "<seconds>" in line]
    assert [line.split("  ")[0] for line in masked] == [
        "stochastic (1 image)", "mini-batch (32 images)", "full batch (all images)"]
    assert all(re.search(r"\d  +\d+\.\d%  +\d+\.\d%  +<seconds>$", line) for line in masked)
    for other in GOLDEN_FOLDER.glob("*.txt"):      # no other transcript loses a number to it
        if other.stem != "ch09_digits_network_short":
            assert "<seconds>" not in "\n".join(compared_lines(other.read_text(encoding="utf-8")))


def test_the_golden_plain_network_is_the_books():
    """The plain network's accuracy per epoch, as the book's NumPy code computes it."""
    train, test = digits_data(300)
    want_train, want_test, *_ = book_digits(ch09.PLAIN.but(epochs=2), train, test)
    printed = re.findall(r"^  epoch +(\d+)  train accuracy (\S+)  test accuracy (\S+)$",
                         GOLDEN.split("2. The plain network")[1].split("3. Bias units")[0], re.M)
    assert printed == [(str(epoch), f"{a:.4f}", f"{b:.4f}")
                       for epoch, (a, b) in enumerate(zip(want_train, want_test), 1)]
    assert f"reads {100 * want_test[-1]:.1f}% of digits it has never seen" in GOLDEN


def test_every_section_and_the_accuracy_table_are_there():
    for words in ("1. The data", "2. The plain network", "3. Bias units", "4. Full batch vs mini-batch",
                  "5. Two slips", "Accuracy table"):
        assert words in GOLDEN
    table = GOLDEN[GOLDEN.index("Accuracy table"):].splitlines()
    assert [line.split("  ")[0] for line in table[3:9]] == [
        "plain", "bias units", "mini-batch (32)", "full batch", "book relu2deriv (slip)",
        "book batch loop (slip)"]


def test_the_slips_are_measured_not_asserted():
    moved = re.search(r"book  \(output >= 0\): (\d+\.\d+)", GOLDEN).group(1)
    still = re.search(r"fixed \(output >  0\): (\d+\.\d+)", GOLDEN).group(1)
    assert float(moved) > 0 and float(still) == 0
    ratio = re.search(r"by (\d+\.\d+) times as much with the book's loop", GOLDEN).group(1)
    assert float(ratio) == pytest.approx(32.0, rel=1e-9)


def test_the_ascii_digit_has_8_rows_of_8_pixels():
    picture = ch09.ascii_digit([i / 63 for i in range(64)])
    assert [len(row) for row in picture.splitlines()] == [16] * 8
    assert picture[0] == " " and picture.rstrip()[-1] == "@"


def test_extra_options_are_parsed_and_checked(capsys):
    from grokking.lessons.digits import start_digits
    lesson, epochs, examples = start_digits(ch09.__doc__, ["--backend", "numpy", "--epochs", "3",
                                                            "--examples", "50"])
    assert (lesson.backend, epochs, examples) == ("numpy", 3, 50)
    with pytest.raises(SystemExit, match="--examples must be at least 10"):
        start_digits(ch09.__doc__, ["--examples", "5"])
