"""Chapter 11 (momentum, activations, softmax, the best network): a short run, and the 95% claim."""
import re

import grokking
from grokking.chapters import ch11_digits_best_network as ch11
from grokking.digits_lesson import digits_data
from grokking.network import train_digits
from transcript import printed


def test_a_short_run_prints_every_idea_beside_the_plain_network():
    text = printed(ch11.main, [], epochs=2, examples=150)
    for words in ("1. Momentum", "2. The hidden activation", "3. Softmax", "4. The best network",
                  "Accuracy table", "Backend:"):
        assert words in text
    table = text[text.index("Accuracy table"):].splitlines()[3:9]
    assert [line.split("  ")[0] for line in table] == [
        "plain", "momentum 0.9", "sigmoid hidden", "tanh hidden", "softmax + cross-entropy",
        "best: all together"]
    assert re.search(r"probabilities \[0\.659, 0\.2424, 0\.0986\] \(sum 1\.0000\)", text)


def test_the_best_network_reads_at_least_95_percent_of_the_test_digits():
    """The full recipe on all the data, on a fast backend (cython if built, else numpy)."""
    k = grokking.backend("cython" if grokking.compiled_available() else "numpy")
    train, test = digits_data()
    history = train_digits(ch11.BEST, train, test, k)
    assert history.final_test >= 0.95
