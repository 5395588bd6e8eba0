"""Chapter 10 (overfitting, early stopping, L2, dropout): a short run, and its table."""
import re

from grokking.chapters import ch10_digits_overfitting as ch10
from transcript import printed


def test_a_short_run_prints_the_comparison_with_the_plain_network():
    text = printed(ch10.main, [], epochs=3, examples=200)
    for words in ("1. Overfitting", "2. Early stopping", "3. L2 keeps the weights small",
                  "4. Dropout", "Accuracy table", "Helped here:", "Backend:"):
        assert words in text
    table = text[text.index("Accuracy table"):].splitlines()[3:8]
    assert [line.split("  ")[0] for line in table] == [
        "plain", "early stopping (patience 20)", "L2 0.001", "L2 0.01", "dropout 0.5"]
    plain_test = float(re.findall(r"(\d+\.\d)%", table[0])[1])
    for line in table[1:]:
        test = float(re.findall(r"(\d+\.\d)%", line)[1])
        change = float(re.search(r"([+-]\d+\.\d) points", line).group(1))
        assert abs(test - plain_test - change) < 0.11      # the "vs plain" column is the difference


def test_l2_makes_the_weights_smaller():
    import grokking
    from grokking.digits_lesson import digits_data
    from grokking.network import train_digits

    k = grokking.backend("numpy")
    train, test = digits_data(300)
    small, _ = ch10.small_sets(train, 300)
    plain = train_digits(ch10.PLAIN.but(epochs=5), small, test, k)
    decayed = train_digits(ch10.PLAIN.but(epochs=5, l2=0.1), small, test, k)
    assert ch10.mean_abs_weight(k, decayed) < 0.9 * ch10.mean_abs_weight(k, plain)
