"""Regenerate ``src/grokking/datasets/digits.csv.gz`` from scikit-learn's copy of the digits.

Run this once, by hand, in a throwaway environment; the package never needs
scikit-learn (nor the network) to load the digits:

    python3 -m venv /tmp/sk && /tmp/sk/bin/pip install scikit-learn
    /tmp/sk/bin/python tools/make_digits.py

What it writes: one line per image, 65 whole numbers separated by commas (the
64 pixels of the 8x8 image, row by row, each 0..16, then the label 0..9), in
scikit-learn's order, gzip-compressed with a fixed timestamp so that the same
data gives the same file. It prints the SHA-256 of the uncompressed text; that
value must equal ``SHA256`` in ``src/grokking/datasets/digits.py``, which checks
it on every load. The data are the test set of the UCI "Optical Recognition of
Handwritten Digits" data set (Alpaydin & Kaynak, 1998), CC BY 4.0: see
``src/grokking/datasets/README.md``.
"""
import gzip
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "src" / "grokking" / "datasets" / "digits.csv.gz"


def digits_text():
    """The digits as CSV text: 64 pixels then the label, one image per line."""
    from sklearn.datasets import load_digits  # only this script needs scikit-learn

    digits = load_digits()
    lines = []
    for pixels, label in zip(digits.data, digits.target):
        values = [int(p) for p in pixels] + [int(label)]
        if any(v != p for v, p in zip(values, list(pixels) + [label])):
            sys.exit("make_digits: a pixel or label is not a whole number; the source changed")
        lines.append(",".join(str(v) for v in values))
    return "\n".join(lines) + "\n"


def main():
    text = digits_text().encode("ascii")
    TARGET.write_bytes(gzip.compress(text, compresslevel=9, mtime=0))
    images = text.count(b"\n")
    print(f"wrote {TARGET} ({TARGET.stat().st_size} bytes, {images} images)")
    print(f"SHA256 of the uncompressed text: {hashlib.sha256(text).hexdigest()}")


if __name__ == "__main__":
    main()
