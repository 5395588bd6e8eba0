"""Chapter 1, forward propagation: the book's chapter 3 predictions on every backend.

Each prediction is checked against the book's numbers and against the book's
own NumPy code (``np.dot`` and friends) written out here.
"""

import numpy as np
import pytest

from grokking.chapters import ch01_forward_propagation as ch01
from transcript import assert_chapter_prints_golden

GAME_0 = np.array([8.5, 0.65, 1.2])


def test_one_input_one_weight(k):
    assert ch01.one_input(k) == pytest.approx(0.85, abs=1e-12)
    assert ch01.one_input(k, weight=0.2, input=9.5) == pytest.approx(9.5 * 0.2, abs=1e-12)


def test_several_inputs_is_a_weighted_sum(k):
    assert ch01.several_inputs(k) == pytest.approx(0.98, abs=1e-12)
    weights = [0.3, -0.5, 2.0]
    assert ch01.several_inputs(k, weights) == pytest.approx(float(np.dot(GAME_0, weights)), abs=1e-12)


def test_several_outputs_multiplies_one_input(k):
    pred = ch01.several_outputs(k)
    assert pred == pytest.approx([0.195, 0.13, 0.585], abs=1e-12)
    assert pred == pytest.approx((0.65 * np.array([0.3, 0.2, 0.9])).tolist(), abs=1e-12)


def test_several_inputs_and_outputs(k):
    pred = ch01.several_inputs_and_outputs(k)
    assert pred == pytest.approx([0.555, 0.98, 0.965], abs=1e-12)
    assert pred == pytest.approx(np.array(ch01.WEIGHTS).dot(GAME_0).tolist(), abs=1e-12)


def test_predicting_on_predictions(k):
    hid, pred = ch01.predicting_on_predictions(k)
    ih = np.array(ch01.INPUT_TO_HIDDEN)
    hp = np.array(ch01.HIDDEN_TO_PREDICTION)
    assert hid == pytest.approx([0.86, 0.295, 1.23], abs=1e-12)
    assert hid == pytest.approx(ih.dot(GAME_0).tolist(), abs=1e-12)
    assert pred == pytest.approx([0.2135, 0.145, 0.5065], abs=1e-12)   # the book's numbers
    assert pred == pytest.approx(hp.dot(ih.dot(GAME_0)).tolist(), abs=1e-12)


def test_transcript_matches_golden(backend_name, capsys):
    assert_chapter_prints_golden(ch01, backend_name, capsys)
