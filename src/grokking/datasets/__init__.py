r"""Real data to learn from, shipped inside the package (no network, no extra libraries).

    >>> from grokking.datasets import load_digits, split
    >>> images, labels = load_digits()
    >>> len(images), len(images[0]), labels[0]
    (1797, 64, 0)
    >>> train_images, train_labels, test_images, test_labels = split(images, labels, test_fraction=0.2, seed=0)
    >>> len(train_images), len(test_images)
    (1438, 359)
    >>> from grokking.datasets import load_babi
    >>> stories = load_babi(task=1, split="train")
    >>> stories[0].lines[0], stories[0].questions[0].answer
    ('1 Mary moved to the bathroom.\n', 'bathroom')
    >>> from grokking.datasets import load_shakespeare
    >>> load_shakespeare()[:14]
    'First Citizen:'
"""
from .babi import BabiFileError, babi_lines, load_babi
from .digits import SHA256, DigitsFileError, load_digits
from .shakespeare import ShakespeareFileError, load_shakespeare
from .split import split

__all__ = ["load_digits", "split", "DigitsFileError", "SHA256",
           "load_babi", "babi_lines", "BabiFileError", "load_shakespeare", "ShakespeareFileError"]
