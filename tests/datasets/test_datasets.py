"""The shipped digits: checked on load, the right shapes and counts, offline; and the split helper."""
import gzip
import hashlib
import importlib.resources
import shutil
import socket

import numpy as np
import pytest

from grokking.datasets import SHA256, DigitsFileError, load_digits, split
from grokking.datasets.digits import DATA_FILE

# Images per digit 0..9 in the UCI test set (as scikit-learn documents it).
LABEL_COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


@pytest.fixture(scope="module")
def digits():
    return load_digits()


def test_the_file_ships_inside_the_package_and_matches_its_checksum():
    shipped = importlib.resources.files("grokking.datasets") / "digits.csv.gz"
    assert shipped.is_file()
    text = gzip.decompress(shipped.read_bytes())
    assert hashlib.sha256(text).hexdigest() == SHA256


def test_shapes_values_and_label_counts(digits):
    images, labels = digits
    assert len(images) == len(labels) == 1797
    assert all(len(image) == 64 for image in images)
    assert all(type(p) is float and 0.0 <= p <= 1.0 for image in images for p in image)
    assert all((p * 16).is_integer() for image in images for p in image)   # counts 0..16, over 16
    assert [labels.count(d) for d in range(10)] == LABEL_COUNTS
    assert all(type(label) is int for label in labels)
    # the first image is a 0 (scikit-learn's digits.images[0]); its first row, over 16
    assert labels[:10] == list(range(10))
    assert [p * 16 for p in images[0][:8]] == [0, 0, 5, 13, 9, 1, 0, 0]


def test_arrays_hold_the_same_numbers(digits):
    images, labels = load_digits(as_arrays=True)
    assert images.shape == (1797, 64) and images.dtype == np.float64
    assert labels.shape == (1797,) and labels.dtype == np.int64
    assert images.tolist() == digits.images and labels.tolist() == digits.labels


def test_loads_without_the_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("load_digits tried to use the network")
    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    assert len(load_digits().labels) == 1797


def test_as_arrays_must_be_true_or_false():
    with pytest.raises(TypeError, match="as_arrays must be True or False"):
        load_digits(as_arrays="yes")


def _copy(tmp_path):
    path = tmp_path / "digits.csv.gz"
    shutil.copyfile(DATA_FILE, path)
    return path


def test_a_damaged_file_is_a_clear_error(tmp_path):
    path = _copy(tmp_path)
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0xFF                       # one byte flipped inside the compressed data
    path.write_bytes(bytes(raw))
    with pytest.raises(DigitsFileError, match="corrupt"):
        load_digits(path=path)


def test_a_file_that_is_not_gzip_is_a_clear_error(tmp_path):
    path = tmp_path / "digits.csv.gz"
    path.write_bytes(b"0,0,5,13\n")
    with pytest.raises(DigitsFileError, match="not a valid gzip file"):
        load_digits(path=path)


def test_changed_data_fails_the_checksum(tmp_path):
    path = _copy(tmp_path)
    text = gzip.decompress(path.read_bytes()).replace(b"\n", b"\n0,", 1)   # a valid gzip, other data
    path.write_bytes(gzip.compress(text))
    with pytest.raises(DigitsFileError, match="SHA-256 is [0-9a-f]{64}, expected " + SHA256):
        load_digits(path=path)


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(DigitsFileError, match="cannot read the digits file"):
        load_digits(path=tmp_path / "nothing.csv.gz")


# -- split -------------------------------------------------------------------------------

def test_split_is_deterministic_disjoint_and_complete(digits):
    images, labels = digits
    first = split(images, labels, test_fraction=0.2, seed=0)
    again = split(images, labels, test_fraction=0.2, seed=0)
    other = split(images, labels, test_fraction=0.2, seed=1)
    assert first == again
    assert first[3] != other[3]
    train_images, train_labels, test_images, test_labels = first
    assert (len(train_images), len(test_images)) == (1438, 359)
    assert len(train_labels) == 1438 and len(test_labels) == 359
    # every example lands on exactly one side, with its own label
    pairs = sorted(map(repr, zip(images, labels)))
    assert sorted(map(repr, zip(train_images + test_images, train_labels + test_labels))) == pairs


def test_split_keeps_arrays_as_arrays_and_does_not_change_its_arguments():
    images, labels = load_digits(as_arrays=True)
    before = images.copy(), labels.copy()
    parts = split(images, labels, test_fraction=0.5, seed=3)
    assert all(isinstance(p, np.ndarray) for p in parts)
    assert np.array_equal(images, before[0]) and np.array_equal(labels, before[1])
    as_lists = split(images.tolist(), labels.tolist(), test_fraction=0.5, seed=3)
    assert [p.tolist() for p in parts] == list(as_lists)


@pytest.mark.parametrize("fraction", [0, 1, -0.1, 1.5, 0.0, 1.0])
def test_split_rejects_a_fraction_outside_0_1(fraction):
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        split([[0.0]] * 10, [0] * 10, test_fraction=fraction)


@pytest.mark.parametrize("fraction", ["0.2", None, True, [0.2]])
def test_split_rejects_a_fraction_that_is_not_a_number(fraction):
    with pytest.raises(TypeError, match="test_fraction must be a number"):
        split([[0.0]] * 10, [0] * 10, test_fraction=fraction)


@pytest.mark.parametrize("seed", [1.5, "1", None, True, np.float64(2.0)])
def test_split_rejects_a_seed_of_the_wrong_type(seed):
    with pytest.raises(TypeError, match="seed must be a whole number"):
        split([[0.0]] * 10, [0] * 10, seed=seed)


def test_split_rejects_a_negative_seed():
    with pytest.raises(ValueError, match="seed must be between 0"):
        split([[0.0]] * 10, [0] * 10, seed=-1)


def test_split_accepts_numpy_integer_seeds():
    assert split([[0.0]] * 10, [0] * 10, seed=np.int64(4)) == split([[0.0]] * 10, [0] * 10, seed=4)


def test_split_rejects_mismatched_lengths_naming_both():
    with pytest.raises(ValueError, match="got 10 images and 9 labels"):
        split([[0.0]] * 10, [0] * 9)


def test_split_needs_an_example_on_each_side():
    with pytest.raises(ValueError, match="both need at least one"):
        split([[0.0]] * 2, [0, 1], test_fraction=0.1)


def test_split_rejects_things_without_a_length():
    with pytest.raises(TypeError, match="images must be a list or an array"):
        split(5, [0])


def test_setup_py_installs_the_data_file_with_the_package():
    """`pip install .` ships digits.csv.gz only if setup.py lists it (checked by reading setup.py)."""
    import ast
    from pathlib import Path

    tree = ast.parse((Path(__file__).resolve().parents[2] / "setup.py").read_text(encoding="utf-8"))
    values = {node.targets[0].id: node.value for node in tree.body
              if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)}
    assert "grokking.datasets" in ast.literal_eval(values["PACKAGES"])
    assert "digits.csv.gz" in ast.literal_eval(values["PACKAGE_DATA"])["grokking.datasets"]
