"""Write src/grokking/datasets/shakespeare.txt.gz from a copy of Tiny Shakespeare (char-rnn's input.txt).

    python tools/make_shakespeare.py PATH/TO/tinyshakespeare/input.txt

The file is compressed as it is (no timestamp in the gzip header, so the output is the same
every time) after its SHA-256 is checked against the one grokking.datasets.shakespeare expects.
"""
import gzip
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from grokking.datasets.shakespeare import PATH, SHA256  # noqa: E402


def main(source):
    raw = Path(source).read_bytes()
    found = hashlib.sha256(raw).hexdigest()
    if found != SHA256:
        raise SystemExit(f"{source}: SHA-256 {found}, expected {SHA256} (char-rnn's input.txt)")
    PATH.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    print(f"wrote {PATH} ({PATH.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main(*sys.argv[1:])
