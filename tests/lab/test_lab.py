"""The lab's pages, without a browser: written by the command, self-contained, and holding the
chapters' numbers (each checked against a referee written here, not against the lab's own code).

The browser half (every lab opened in headless Chromium) is tests/lab/test_lab_browser.py; it uses
the ``written_lab`` fixture below, so the quick lab is written once per session.
"""
import json
import math
import re
import subprocess
import sys
import webbrowser

import numpy as np
import pytest

import grokking
from grokking.chapters import ch07_tuning_gradient_descent as ch07
from grokking.lab import command, numbers
from grokking.lab.playground import data_set
from referees import playground_initial_weights, playground_step
from grokking.lab.page import as_json

SLUGS = ["one_weight", "surface", "sweep", "digits", "playground"]
DATA = re.compile(r'<script type="application/json" id="lab-data">(.*?)</script>', re.DOTALL)


@pytest.fixture(scope="session")
def written_lab(tmp_path_factory):
    """``(directory, printed lines)``: ``python -m grokking lab DIR --quick``, run once."""
    directory = tmp_path_factory.mktemp("lab")
    result = subprocess.run([sys.executable, "-m", "grokking", "lab", str(directory), "--quick"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return directory, result.stdout.splitlines()


def lab_data(directory, slug):
    return json.loads(DATA.search((directory / f"{slug}.html").read_text(encoding="utf-8")).group(1))


def close(a, b, rel=1e-12):
    return math.isclose(a, b, rel_tol=rel, abs_tol=rel)


def test_the_command_writes_one_page_per_lab_and_prints_the_paths(written_lab):
    directory, lines = written_lab
    printed = [line.strip() for line in lines[1:]]
    assert printed == [str(directory / f"{name}.html") for name in ["index"] + SLUGS]
    index = (directory / "index.html").read_text(encoding="utf-8")
    assert [f'href="{slug}.html"' in index for slug in SLUGS] == [True] * len(SLUGS)


@pytest.mark.parametrize("slug", SLUGS)
def test_each_page_is_self_contained_and_names_its_chapter_and_source(written_lab, slug):
    page = (written_lab[0] / f"{slug}.html").read_text(encoding="utf-8")
    # Nothing to fetch: no file or address to load, no request made by a script.
    assert re.findall(r"<(?:script|img|link|iframe)[^>]*\b(?:src|href)=", page) == []
    assert re.findall(r"https?://|fetch\(|XMLHttpRequest|import\(|@import|url\(", page) == []
    links = re.findall(r'href="([^"]*)"', page)
    assert links == ["index.html"], links                      # the way back to the index only
    assert re.search(r"<strong>Chapters? \d", page)              # it names its chapter
    assert "Where the numbers come from:" in page and "backend when this page was written" in page
    assert "{{" not in page                                      # every part of the template filled


def test_lab_1_holds_chapter_2s_runs(written_lab):
    """Each step: pred = input * weight, delta = pred - goal, weight -= alpha * delta * input."""
    data = lab_data(written_lab[0], "one_weight")
    assert [run["name"] for run in data["runs"]] == [run[0] for run in numbers.ONE_WEIGHT_RUNS]
    for run in data["runs"]:
        weight = run["weight"]
        for step in run["steps"]:
            pred = run["input"] * weight
            expected = [weight, pred, (pred - run["goal"]) ** 2, pred - run["goal"],
                        (pred - run["goal"]) * run["input"]]
            assert all(close(a, b) for a, b in zip(step, expected)), (run["name"], step, expected)
            weight = weight - run["alpha"] * expected[4]
    diverges = data["runs"][1]["steps"]
    assert abs(diverges[-1][3]) > 1e6 * abs(diverges[0][3])       # the book's divergence, shown


def test_lab_2_holds_chapter_7s_surface_and_descent(written_lab):
    data = lab_data(written_lab[0], "surface")
    values = np.array(data["values"])
    X, y = np.array(ch07.X_TWO), np.array(ch07.Y_TWO)

    def error(first, second):   # the NumPy referee: mean |sigmoid(X . w) - y|
        return float(np.mean(np.abs(1 / (1 + np.exp(-X.dot([[first], [second]]))) - y)))

    for i in range(0, len(values), 8):
        for j in range(0, len(values), 8):
            assert close(data["errors"][i][j], error(values[j], values[i]), rel=1e-5)
    # From the chapter's own start with alpha 1: chapter 7's two_weight_network, step by step.
    seeded = data["paths"]["1"][-1]
    chapter = ch07.two_weight_network(grokking.backend("numpy"), iterations=data["steps"][-1])
    assert len(seeded) == len(data["steps"])
    for (first, second, err), t in zip(seeded, data["steps"]):
        want_first, want_second = chapter.path[t]
        assert close(first, want_first, 1e-5) and close(second, want_second, 1e-5)
        assert close(err, error(want_first, want_second), 1e-5)
    for path, start in zip(data["paths"]["10"], data["starts"]):   # every path begins at its start
        assert close(path[0][0], start[0], 1e-5) and close(path[0][1], start[1], 1e-5)


def test_lab_3_holds_chapter_7s_sweep(written_lab):
    """The errors are grokking.train's (the compiled loop); the counts the source's NumPy code's."""
    data = lab_data(written_lab[0], "sweep")
    assert [(r["hidden"], r["alpha"]) for r in data["runs"]] == [
        (hidden, alpha) for hidden in (4, 32) for alpha in ch07.ALPHAS]
    for run in data["runs"]:
        if run["hidden"] != 4:   # 32 nodes with alpha 10 balance on a knife edge (chapter 7)
            continue
        trained = grokking.train(ch07.X, ch07.Y, hidden=4, alpha=run["alpha"],
                                 iterations=data["iterations"], record_every=data["record_every"])
        assert all(close(a, b, 1e-9) for a, b in zip(run["errors"], trained.errors))
        look = ch07.closer_look_numpy(run["alpha"], 4, data["iterations"],
                                      record_every=data["record_every"])
        assert run["synapse_0_direction_count"] == look.synapse_0_direction_count
        assert run["synapse_1_direction_count"] == look.synapse_1_direction_count
        assert run["changes"] == sum(map(sum, run["synapse_0_direction_count"]
                                         + run["synapse_1_direction_count"]))


def test_lab_4_holds_the_best_networks_view_of_each_test_digit(written_lab):
    data = lab_data(written_lab[0], "digits")
    assert [c["name"] for c in data["curves"]] == [name for name, _ in numbers.digit_recipes(1)]
    digits = data["digits"]
    assert len(digits) == 80   # the quick lab: 400 digits, 20% kept for testing
    for d in digits:
        assert len(d["pixels"]) == 64 and all(0 <= p <= 16 for p in d["pixels"])
        assert len(d["scores"]) == 10 and d["guess"] == int(np.argmax(d["scores"]))
        assert len(d["hidden"]) == 64 and min(d["hidden"]) >= 0   # 64 relu units
        assert close(sum(d["scores"]), 1.0, 1e-9)                 # softmax
    right = sum(d["guess"] == d["label"] for d in digits) / len(digits)
    assert close(right, data["curves"][-1]["test"][-1])          # the curve's last test accuracy


def test_lab_5_holds_the_default_networks_first_steps_as_numpy_computes_them(written_lab):
    """The page's own check: Python's first steps, against a NumPy referee of the same step."""
    data = lab_data(written_lab[0], "playground")
    d = data["defaults"]
    points = data_set(d["data"], d["noise"], d["split"], d["seed"])
    X, y = np.array(points.train_rows), np.array(points.train_targets)
    weights = playground_initial_weights([3] + [d["nodes"]] * d["layers"] + [1], d["seed"])
    for step in range(data["check"]["steps"]):
        weights = playground_step(weights, X, y, d["activation"], d["alpha"], d["batch"], step)
    for got, want in zip(data["check"]["weights"], weights):
        assert np.allclose(got, want, rtol=1e-12, atol=1e-12)


def test_the_numbers_go_into_the_page_as_json_that_cannot_end_the_script():
    text = as_json({"a": [1.5, math.inf, -math.inf, math.nan], "b": "</script><b>"})
    assert json.loads(text) == {"a": [1.5, None, None, None], "b": "</script><b>"}
    assert "</" not in text


def test_python_m_grokking_lists_the_lab_and_notebook_commands():
    result = subprocess.run([sys.executable, "-m", "grokking", "--help"], capture_output=True,
                            text=True, timeout=60)
    assert re.search(r"^  lab \[DIR\] ", result.stdout, re.MULTILINE)
    assert re.search(r"^  notebook N \[DIR\] ", result.stdout, re.MULTILINE)
    result = subprocess.run([sys.executable, "-m", "grokking", "lab", "--help"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "--open" in result.stdout and "--quick" in result.stdout


@pytest.mark.parametrize("found", [True, False, webbrowser.Error], ids=["a browser", "none", "error"])
def test_open_says_in_one_line_when_it_finds_no_browser(found, tmp_path, monkeypatch, capsys):
    index = tmp_path / "index.html"
    monkeypatch.setattr(command, "write_lab", lambda *args, **kwargs: [index])
    asked = []

    def browser_open(url):
        asked.append(url)
        if found is webbrowser.Error:
            raise webbrowser.Error("could not locate runnable browser")
        return found

    monkeypatch.setattr(webbrowser, "open", browser_open)
    assert command.main([str(tmp_path), "--open"]) == 0
    assert asked == [index.resolve().as_uri()]
    said = capsys.readouterr().err.splitlines()
    if found is True:
        assert said == []
    else:
        assert said == [f"lab --open: found no web browser to open it with here; open {index} in one "
                        "yourself"]
