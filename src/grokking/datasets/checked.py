"""A data file shipped inside the package, read back: gunzipped and checked against its SHA-256.

The digits and the bAbI tasks are both kept this way, and both say the same three
things when a file is not right: it cannot be read, it is not gzip, or it is not
the file this package was made with.
"""
import gzip
import hashlib
from pathlib import Path


def read_checked_gzip(path, sha256, error, who, what, remake):
    """The uncompressed text (ASCII) of the gzip file at ``path``, whose SHA-256 must be ``sha256``.

    error: the exception class to raise (e.g. ``DigitsFileError``); who: the function the
    learner called ("load_digits"); what: the data's name ("digits"); remake: the tool that
    writes the file again ("tools/make_digits.py"). Each message names the file and the fix.
    """
    fix = f"reinstall grokking, or run {remake}"
    try:
        raw = Path(path).read_bytes()
    except OSError as reason:
        raise error(f"{who}: cannot read the {what} file {path} ({reason}); {fix}") from None
    try:
        text = gzip.decompress(raw)
    except (OSError, EOFError, ValueError) as reason:  # gzip.BadGzipFile is an OSError
        raise error(f"{who}: the {what} file {path} is corrupt: it is not a valid gzip file "
                    f"({reason}); {fix}") from None
    found = hashlib.sha256(text).hexdigest()
    if found != sha256:
        raise error(f"{who}: the {what} file {path} is corrupt or changed: its SHA-256 is "
                    f"{found}, expected {sha256}; {fix}")
    return text.decode("ascii")
