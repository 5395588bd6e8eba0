"""Chapter 17 (federated learning with encryption): a short run on every backend against its
golden transcript (pure's smaller, against cython's), and the golden's numbers against the book's NumPy network and the
arithmetic of Paillier done here by hand."""
import re

import pytest

from referees import book_digits
from grokking.chapters import ch17_federated_learning as ch17
from grokking.lessons.digits import digits_data
from grokking.networks.federated import split_among_owners
from marks import needs_compiled
from transcript import (
    assert_chapter_prints_golden, assert_pure_prints_what_cython_prints, compared_lines, golden)

SHORT = ("--epochs", "2", "--examples", "200")   # the run of tests/golden/ch17_federated_learning_short.txt
SMALLER = ("--epochs", "1", "--examples", "100")   # pure against cython (see conftest's long_run_backend)
GOLDEN = golden("ch17_federated_learning_short")


def section(number):
    """The lines of golden section ``number`` (up to the next one)."""
    text = GOLDEN.split(f"\n{number}. ", 1)[1] if number > 1 else GOLDEN
    return re.split(r"\n\d\. ", text, maxsplit=1)[0]


def test_a_short_run_prints_the_golden_transcript(long_run_backend, capsys):
    assert_chapter_prints_golden(ch17, long_run_backend, capsys, options=SHORT, variant="short")


@needs_compiled
def test_pure_prints_what_cython_prints(capsys):
    assert_pure_prints_what_cython_prints(ch17, capsys, options=SMALLER)


def test_the_timings_are_the_only_lines_left_out():
    measured = [line for line in GOLDEN.splitlines() if line.startswith("Measured here:")]
    assert len(measured) == 4                              # three key sizes, one secure round
    assert len(compared_lines(GOLDEN)) == len(GOLDEN.splitlines()) - len(measured) - 1   # and Backend:


def test_the_owners_table_is_the_split():
    train, test = digits_data(200)
    owners = split_among_owners(train)
    table = section(1).splitlines()[2:6]
    for line, owner in zip(table, owners):
        assert line.split(None, 2) == [owner.name, str(len(owner.labels)), str(owner.digit_counts())]
    assert table[3].startswith(f"test        {len(test[1])}")


def test_one_model_on_all_images_and_each_owner_alone_are_the_books_network():
    train, test = digits_data(200)
    recipe = ch17.RECIPE.but(epochs=2)
    printed = dict(re.findall(r"^(.+?)  +(\d+\.\d)%$", section(2), re.M))
    everyone = book_digits(recipe, train, test)[1][-1]
    assert printed["one model on all 160 images, 2 epochs"] == f"{100 * everyone:.1f}"
    for owner in split_among_owners(train):
        alone = book_digits(recipe, (owner.images, owner.labels), test)[1][-1]
        assert printed[f"{owner.name} alone, {len(owner.labels)} images, 2 epochs"] == f"{100 * alone:.1f}"


def test_the_conclusion_follows_the_numbers():
    values = [float(v) for v in re.findall(r"  +(\d+\.\d)%$", section(2), re.M)]
    rounds_last, federated, everyone, alone = values[1], values[2], values[3], values[4:]
    assert federated == rounds_last
    words = "better than" if federated > max(alone) else "not better than"
    assert f"{federated:.1f}% of the test digits: {words} every owner alone (best {max(alone):.1f}%)" in GOLDEN
    assert ("below" if everyone > federated else "not below") + " one model on all the images" in GOLDEN


def test_the_leak_moves_exactly_the_inked_pixels():
    owners = split_among_owners(digits_data(200)[0])
    image = owners[0].images[0]
    inked = sum(p > 0 for p in image)
    assert f"The image has {inked} inked pixels of 64; the update moved the weights of {inked} " \
           "pixels, the same ones." in GOLDEN
    low, high = re.search(r"divided by its ink: (\S+) \.\. (\S+)", GOLDEN).groups()
    assert float(low) == pytest.approx(float(high), rel=1e-9)


def test_the_paillier_numbers_add_up():
    p, q, n = (int(re.search(rf"^{name} = (?:p \* q = )?(\d+)", GOLDEN, re.M).group(1))
               for name in ("p", "q", "n"))
    assert p * q == n and n.bit_length() == 128
    x, y = (int(re.search(rf"^{name} = (\d+)$", GOLDEN, re.M).group(1)) for name in ("x", "y"))
    assert "decrypt(x + y) = 8 " in GOLDEN
    lam = (p - 1) * (q - 1) // __import__("math").gcd(p - 1, q - 1)
    decrypt = (lambda c: (pow(c, lam, n * n) - 1) // n * pow(lam, -1, n) % n)   # by hand
    assert (decrypt(x), decrypt(y), decrypt(x * y % (n * n))) == (5, 3, 8)
    assert f"0.1: stored as {round(0.1 * 2 ** 40)}," in GOLDEN
    assert f"-0.1: stored as {n - round(0.1 * 2 ** 40)}," in GOLDEN
    assert "1e20 as 6103515625000000 * 2**14)" in GOLDEN and 6103515625000000 * 2 ** 14 == 1e20
    for words in ("a ciphertext of another key: ValueError", "a number too big for the key: OverflowError",
                  "a product too big for the key: OverflowError: Ciphertext *",
                  "a key too small: ValueError", "two ciphertexts multiplied: TypeError",
                  "do not protect real data with it"):
        assert words in GOLDEN


def test_secure_aggregation_agrees_with_the_plain_average():
    rows = re.findall(r"^ +(\d)  +(\d+\.\d)%  +(\d+\.\d)%  (\S+)$", section(5), re.M)
    assert len(rows) == 1                      # a short run aggregates one round
    plain_rounds = re.findall(r"^ +(\d)  .*  (\d+\.\d)%$", section(2).split("\n\n")[1], re.M)
    for (number, plain, encrypted, difference), (same_number, averaged) in zip(rows, plain_rounds):
        assert number == same_number and plain == encrypted == averaged
        assert 0 < float(difference) <= 4.6e-13
    assert "Test accuracy is the same in every round." in GOLDEN
    plain, encrypted = (re.search(rf"^  {name} +(.+)$", GOLDEN, re.M).group(1).split()
                        for name in ("plain", "encrypted"))
    assert all(0 < abs(float(a) - float(b)) <= 4.6e-13 for a, b in zip(plain, encrypted))
