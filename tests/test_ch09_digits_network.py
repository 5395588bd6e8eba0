"""Chapter 9 (the digits network, bias, batch sizes, the book's slips): a short run, and its claims."""
import re

import pytest

from grokking.chapters import ch09_digits_network as ch09
from transcript import printed


@pytest.fixture(scope="module")
def short_run():
    """One epoch on 100 digits, on the default backend (the CI's pure pass runs it on pure)."""
    return printed(ch09.main, [], epochs=1, examples=100)


def test_the_chapter_prints_every_section_and_its_accuracy_table(short_run):
    for words in ("1. The data", "2. The plain network", "3. Bias units", "4. Full batch vs mini-batch",
                  "5. Two slips", "Accuracy table", "Backend:"):
        assert words in short_run
    table = short_run[short_run.index("Accuracy table"):].splitlines()
    names = [line.split("  ")[0] for line in table[3:9]]
    assert names == ["plain", "bias units", "mini-batch (32)", "full batch",
                     "book relu2deriv (slip)", "book batch loop (slip)"]
    for line in table[3:9]:
        train, test = re.findall(r"(\d+\.\d)%", line)[:2]
        assert 0 <= float(train) <= 100 and 0 <= float(test) <= 100


def test_the_slips_are_measured_not_asserted(short_run):
    moved = re.search(r"book  \(output >= 0\): (\d+\.\d+)", short_run).group(1)
    still = re.search(r"fixed \(output >  0\): (\d+\.\d+)", short_run).group(1)
    assert float(moved) > 0 and float(still) == 0
    ratio = re.search(r"by (\d+\.\d+) times as much with the book's loop", short_run).group(1)
    assert float(ratio) == pytest.approx(32.0, rel=1e-9)


def test_the_ascii_digit_has_8_rows_of_8_pixels():
    picture = ch09.ascii_digit([i / 63 for i in range(64)])
    assert [len(row) for row in picture.splitlines()] == [16] * 8
    assert picture[0] == " " and picture.rstrip()[-1] == "@"


def test_extra_options_are_parsed_and_checked(capsys):
    from grokking.digits_lesson import start_digits
    lesson, epochs, examples = start_digits(ch09.__doc__, ["--backend", "numpy", "--epochs", "3",
                                                            "--examples", "50"])
    assert (lesson.backend, epochs, examples) == ("numpy", 3, 50)
    with pytest.raises(SystemExit, match="--examples must be at least 10"):
        start_digits(ch09.__doc__, ["--examples", "5"])
