"""Copy the bAbI tasks into ``src/grokking/datasets/babi/``, gzip-compressed, and print their checksums.

Run this once, by hand, from the repository (the package never needs it):

    python tools/make_babi.py [SOURCE_DIR]

SOURCE_DIR holds ``en/qa1_single-supporting-fact_train.txt`` ... (the 20 English
tasks of bAbI v1.1, train and test, as the book's repository redistributes them;
default ``../shared/data/babi-tasks-v1.1``) with its ``SHA256SUMS`` and ``LICENSE``.
Each file is checked against SHA256SUMS, written unchanged but gzip-compressed
with a fixed timestamp (the same data gives the same file), and its SHA-256 is
printed as a line of ``SHA256`` in ``src/grokking/datasets/babi.py``, which
checks it on every load. ``src/grokking/datasets/LICENSE-babi.txt`` holds the source's
``LICENSE`` (CC BY 3.0) under a header naming the files: keep it with them.
"""
import gzip
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT / "src" / "grokking" / "datasets"
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "babi-tasks-v1.1"


def main(source):
    sums = {}
    for line in (source / "SHA256SUMS").read_text(encoding="ascii").splitlines():
        digest, name = line.split()
        sums[name] = digest
    target = DATASETS / "babi"
    target.mkdir(exist_ok=True)
    total = 0
    for name in sorted(sums, key=lambda n: (int(n[2:n.index("_")]), n)):
        text = (source / "en" / name).read_bytes()
        digest = hashlib.sha256(text).hexdigest()
        if digest != sums[name]:
            sys.exit(f"make_babi: {name} does not match SHA256SUMS ({digest} != {sums[name]})")
        packed = target / (name + ".gz")
        packed.write_bytes(gzip.compress(text, compresslevel=9, mtime=0))
        total += packed.stat().st_size
        print(f'    "{name}": "{digest}",')
    print(f"wrote {len(sums)} files to {target} ({total:,} bytes compressed)", file=sys.stderr)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE)
