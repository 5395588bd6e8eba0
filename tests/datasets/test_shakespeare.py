"""Tiny Shakespeare: shipped inside the package, checked on every load, with its attribution."""
import gzip
import hashlib
import importlib.resources

import pytest

from grokking.datasets import ShakespeareFileError, load_shakespeare
from grokking.datasets.shakespeare import SHA256

DATASETS = importlib.resources.files("grokking.datasets")


def test_the_text_ships_compressed_inside_the_package_and_matches_its_checksum():
    packed = (DATASETS / "shakespeare.txt.gz").read_bytes()
    assert len(packed) < 500_000
    assert hashlib.sha256(gzip.decompress(packed)).hexdigest() == SHA256


def test_it_is_the_plays_as_char_rnn_has_them():
    text = load_shakespeare()
    assert len(text) == 1_115_394 and text.count("\n") == 40_000
    assert text.startswith("First Citizen:\nBefore we proceed any further, hear me speak.\n")
    assert len(set(text)) == 65 and text.isascii()


def test_its_attribution_and_licence_ship_with_it():
    line = "Tiny Shakespeare, from karpathy/char-rnn (MIT); text in the public domain"
    licence = (DATASETS / "LICENSE-shakespeare.txt").read_text(encoding="utf-8")
    assert line in licence and "Permission is hereby granted, free of charge" in licence
    assert line in (DATASETS / "README.md").read_text(encoding="utf-8")


def test_a_changed_file_is_refused_with_the_fix(tmp_path):
    changed = tmp_path / "shakespeare.txt.gz"
    changed.write_bytes(gzip.compress(load_shakespeare().replace("Citizen", "Citizens", 1).encode()))
    with pytest.raises(ShakespeareFileError, match="corrupt or changed.*reinstall grokking"):
        load_shakespeare(changed)
    changed.write_bytes(b"not gzip")
    with pytest.raises(ShakespeareFileError, match="not a valid gzip file"):
        load_shakespeare(changed)
    with pytest.raises(ShakespeareFileError, match="cannot read"):
        load_shakespeare(tmp_path / "missing.gz")
