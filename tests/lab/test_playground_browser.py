"""The playground (lab 5) in headless Chromium: its numbers are the package's, and every control works.

- The page's MT19937 gives NumPy's ``RandomState(seed).random_sample()``, bit for bit.
- Its data sets are ``grokking.lab.playground.data_set``'s (``cos`` and ``sin`` may differ in the
  last bit between the browser and C: the difference is counted and printed).
- kernels.js against the NumPy referee (1e-12) and against pure.py (the same bits, counted).
- The "copy as Python" script, run here, ends with the page's weights (to 1e-12; the largest
  difference is printed).
- Every control, by mouse and by keyboard, changes what is drawn; steps per second are printed.

The browser, the fixtures and the screenshots are test_lab_browser.py's (the generic tests there
also open this page: no console error, nothing fetched, sliders, the size of the screen).
"""
import json
import math
import re
import subprocess
import sys
import time

import numpy as np
import pytest

import grokking
from grokking.kernels import pure
from grokking.lab.playground import PLANES, data_set
from lab.test_lab import written_lab  # noqa: F401  (the fixture: the quick lab, written once)
from lab.test_lab_browser import SCREENSHOTS, browser, drawn, errors, open_lab  # noqa: F401


def report(capsys, text):
    """Print a measurement where pytest shows it, and keep it beside the screenshots."""
    with capsys.disabled():
        print(f"\n[playground] {text}")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with open(SCREENSHOTS / "playground-measured.txt", "a", encoding="utf-8") as log:
        log.write(text + "\n")


def test_the_pages_random_sample_is_numpys_bit_for_bit(open_lab):
    browser = open_lab("playground")
    for seed in (0, 1, 42, 123456789, 2**32 - 1):
        got = browser.execute_script(
            "const r = new RandomState(arguments[0]);"
            " return Array.from({length: 2000}, () => r.random_sample());", seed)
        want = np.random.RandomState(seed).random_sample(2000).tolist()
        assert got == want, seed


def test_the_pages_data_sets_are_pythons(open_lab, capsys):
    browser = open_lab("playground")
    equal = total = 0
    largest = 0.0
    for name in PLANES + ("xor table", "streetlights"):
        for noise, split, seed in ((0.0, 50, 1), (0.35, 70, 7)):
            got = browser.execute_script("return dataSet(...arguments)", name, noise, split, seed)
            want = data_set(name, noise, split, seed)
            assert got["nTrain"] == want.n_train and len(got["rows"]) == len(want.rows)
            assert [t[0] for t in got["targets"]] == [t[0] for t in want.targets], name
            for a, b in zip(np.ravel(got["rows"]), np.ravel(want.rows)):
                total += 1
                equal += a == b
                largest = max(largest, abs(a - b))
    report(capsys, f"data sets: {equal} of {total} coordinates the same bits in the browser and in "
                   f"Python; largest difference {largest:.3g}")
    assert largest <= 1e-15


def test_kernels_js_match_the_referee_and_pures_bits(open_lab, capsys):
    browser = open_lab("playground")
    ref = grokking.backend("numpy")
    rng = np.random.RandomState(25)
    cases = []
    for _ in range(100):
        n, m = int(rng.randint(1, 9)), int(rng.randint(1, 9))
        cases.append([(rng.randn(n) * 3).tolist(), (rng.randn(n) * 3).tolist(),
                      (rng.randn(m, n) * 3).tolist(), float(rng.randn())])
    got = browser.execute_script("""return arguments[0].map(([a, b, M, x]) => ({
        vect_mat_mul: vect_mat_mul(a, M), outer_prod: outer_prod(a, b), vec_add: vec_add(a, b),
        vec_sub: vec_sub(a, b), vec_mul: vec_mul(a, b), transpose: transpose(M), ele_mul: ele_mul(x, M),
        sigmoid: sigmoid(M), sigmoid2deriv: sigmoid2deriv(a), relu: relu(M), relu2deriv: relu2deriv(a),
        tanh: tanh(M), tanh2deriv: tanh2deriv(a), mean_abs_error: mean_abs_error(a, b)}));""", cases)
    same = count = 0
    for (a, b, M, x), js in zip(cases, got):
        args = {"vect_mat_mul": (a, M), "outer_prod": (a, b), "vec_add": (a, b), "vec_sub": (a, b),
                "vec_mul": (a, b), "transpose": (M,), "ele_mul": (x, M), "sigmoid": (M,),
                "sigmoid2deriv": (a,), "relu": (M,), "relu2deriv": (a,), "tanh": (M,),
                "tanh2deriv": (a,), "mean_abs_error": (a, b)}
        for name, arguments in args.items():
            want = np.asarray(getattr(ref, name)(*arguments), dtype=float)
            assert np.allclose(js[name], want, rtol=1e-12, atol=1e-12), name
            bits = np.ravel(js[name]) == np.ravel(getattr(pure, name)(*arguments))
            same += int(bits.sum())
            count += bits.size
    report(capsys, f"kernels.js: {same} of {count} numbers the same bits as pure.py (all within 1e-12 "
                   "of NumPy; Math.exp and Math.tanh may differ from C's in the last bit)")
    message = browser.execute_script("try { vec_add([1, 2], [3]); } catch (e) { return e.message; }")
    assert message == "vec_add: a has 2 numbers but b has 1; they must be the same length"


def choose(browser, settings):
    """Set the page's controls as a learner would leave them (each change starts again)."""
    browser.execute_script("""
        const s = arguments[0];
        for (const id of ["data", "activation"]) {
          const select = document.getElementById(id);
          select.value = s[id];
          select.dispatchEvent(new Event("change"));
        }
        for (const name of ["noise", "split", "layers", "nodes", "alpha", "batch"]) {
          sliders[name].set(s[name]);
        }
        const seed = document.getElementById("seed");
        seed.value = s.seed;
        seed.dispatchEvent(new Event("input"));""", settings)


SCRIPT_CASES = [  # what the learner chose, and how many steps the page takes
    ({}, 300),   # the default network
    ({"data": "spirals", "noise": 0.1, "split": 70, "layers": 3, "nodes": 8, "activation": "relu",
      "alpha": 0.3, "batch": 1, "seed": 4}, 400),
    ({"data": "xor table", "layers": 1, "nodes": 4, "activation": "sigmoid", "alpha": 10, "batch": 4}, 500),
    ({"data": "streetlights", "layers": 0, "alpha": 0.3, "batch": 2, "seed": 0}, 200),
    ({"data": "two blobs", "noise": 0.5, "split": 20, "layers": 2, "nodes": 3, "activation": "sigmoid",
      "alpha": 3, "batch": 100, "seed": 2**32 - 1}, 250),
]


@pytest.mark.parametrize("chosen, steps", SCRIPT_CASES, ids=["default", "spirals-relu", "xor-table",
                                                             "streetlights", "blobs-noisy"])
def test_the_copy_as_python_script_ends_with_the_pages_weights(open_lab, chosen, steps, tmp_path, capsys):
    browser = open_lab("playground")
    settings = dict(browser.execute_script("return LAB.defaults"), **chosen)
    choose(browser, settings)
    for _ in range(3):   # three steps by the button, the rest at once
        browser.find_element("id", "step").click()
    page = json.loads(browser.execute_script(
        f"advance({steps - 3}); drawAll(true); return JSON.stringify(net.weights);"))
    script = browser.find_element("id", "python").get_attribute("textContent")
    assert f"for step in range({steps}):" in script and f'data_set("{settings["data"]}"' in script
    (tmp_path / "playground.py").write_text(script, encoding="utf-8")
    run = subprocess.run([sys.executable, "playground.py"], cwd=tmp_path, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    printed = dict(line.split(": ", 1) for line in run.stdout.splitlines())
    python = json.loads(printed["weights"])
    assert int(printed["steps"]) == steps
    differences = [abs(a - b) for w, v in zip(page, python) for a, b in zip(np.ravel(w), np.ravel(v))]
    assert len(differences) == sum(np.size(w) for w in python) and len(python) == settings["layers"] + 1
    same = sum(d == 0 for d in differences)
    report(capsys, f"copy as Python, {settings['data']}, {settings['activation']}, "
                   f"{settings['layers']}x{settings['nodes']}, {steps} steps: {same} of {len(differences)} "
                   f"weights the same bits; largest difference {max(differences):.3g}")
    assert max(differences) <= 1e-12
    status = browser.find_element("id", "status").text   # the page's train error is Python's too
    shown = float(re.search(r"train error (\S+)", status).group(1))
    assert math.isclose(shown, float(printed["train error"]), rel_tol=1e-5)
    assert errors(browser) == []


def test_the_page_checks_itself_against_pythons_first_steps(open_lab):
    browser = open_lab("playground")
    largest = browser.execute_script("return agreement()")
    assert largest <= 1e-12
    assert "largest difference of a weight" in browser.find_element("id", "agreement").text


def test_every_control_by_mouse_and_by_keyboard_changes_what_is_drawn(open_lab):
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select
    browser = open_lab("playground")
    find = lambda id: browser.find_element("id", id)  # noqa: E731

    def changes(action, what):
        before = drawn(browser)
        action()
        assert drawn(browser) != before, f"{what} changed nothing"

    # The selectors, by mouse (choosing an option) and by keyboard (an arrow key on the closed box).
    for value in ("spirals", "xor table", "streetlights", "two blobs"):
        changes(lambda: Select(find("data")).select_by_value(value), f"data {value} (mouse)")
        assert find("predictions").is_displayed() == (value in ("xor table", "streetlights"))
        assert find("plane").is_displayed() != find("predictions").is_displayed()
    changes(lambda: find("data").send_keys(Keys.ARROW_DOWN), "data (keyboard)")
    assert find("data").get_attribute("value") == "circles"
    for value in ("sigmoid", "relu"):
        changes(lambda: Select(find("activation")).select_by_value(value), f"activation {value} (mouse)")
    changes(lambda: find("activation").send_keys(Keys.ARROW_UP), "activation (keyboard)")
    assert find("activation").get_attribute("value") == "sigmoid"
    # The seed, typed and by arrow keys; a seed NumPy refuses changes nothing and is marked.
    changes(lambda: find("seed").send_keys(Keys.ARROW_UP), "seed (keyboard)")
    assert browser.execute_script("return settings.seed") == 2
    seed_box = find("seed")
    changes(lambda: (seed_box.clear(), seed_box.send_keys("77")), "seed (typed)")
    before = drawn(browser)
    browser.execute_script("arguments[0].value = '4294967296';"   # 2**32: past NumPy's last seed
                           " arguments[0].dispatchEvent(new Event('input'))", seed_box)
    assert drawn(browser) == before and browser.execute_script("return settings.seed") == 77
    assert browser.execute_script("return document.getElementById('seed').validity.valid") is False
    # The sliders by mouse (a click on the track's left end); the keyboard is tested for every lab.
    from selenium.webdriver.common.action_chains import ActionChains
    for name in ("noise", "split", "nodes", "layers", "alpha", "batch"):
        track = find(name)
        changes(lambda: ActionChains(browser).move_to_element_with_offset(
            track, -track.size["width"] // 2 + 2, 0).click().perform(), f"{name} (mouse)")
        assert track.get_attribute("value") == "0", name
    # The buttons, by mouse and by keyboard (Enter and Space on the focused button).
    for id, key in (("step", None), ("step", Keys.ENTER), ("reset", None), ("step", Keys.SPACE),
                    ("reset", Keys.ENTER)):
        if key:
            changes(lambda: find(id).send_keys(key), f"{id} (keyboard)")
        else:
            changes(lambda: find(id).click(), f"{id} (mouse)")
    before = drawn(browser)
    find("play").send_keys(Keys.SPACE)
    time.sleep(0.5)
    assert find("play").get_attribute("aria-pressed") == "true" and find("play").text == "pause"
    find("play").click()
    assert find("play").get_attribute("aria-pressed") == "false" and drawn(browser) != before
    find("copy").click()
    # The clipboard answers later (a promise): its note may come a moment after the click.
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(browser, 10).until(lambda _: find("copied").text)
    assert re.match(r"(copied|selected below)", find("copied").text), find("copied").text
    assert errors(browser) == []


def test_steps_per_second_of_the_default_network(open_lab, capsys):
    """Measured, printed, never asserted against a time (the machine is shared)."""
    browser = open_lab("playground")
    browser.find_element("id", "reset").click()
    start = time.perf_counter()
    browser.find_element("id", "play").click()
    time.sleep(4)
    steps = browser.execute_script("return net.steps")
    seconds = time.perf_counter() - start
    browser.find_element("id", "play").click()
    frames = browser.execute_script("return history.steps.length - 1")
    alone = browser.execute_script("""
        document.getElementById("reset").click();
        const t = performance.now();
        advance(2000);
        return 2000 / ((performance.now() - t) / 1000);""")
    report(capsys, f"playing the default network: {steps / seconds:.0f} steps a second, drawn "
                   f"{frames / seconds:.0f} times a second; training alone {alone:.0f} steps a second")
    assert steps > 0 and frames > 0
    assert errors(browser) == []


def test_math_exp_and_tanh_against_cs_counted(open_lab, capsys):
    """What the issue warned of: the browser's Math.exp and Math.tanh against C's (Python's math)."""
    browser = open_lab("playground")
    # 20,000 numbers: each crosses WebDriver's JSON twice (100,000 took 9 s of processor time)
    values = np.random.RandomState(6).uniform(-40, 40, 20000).tolist()
    got = browser.execute_script("return [arguments[0].map(Math.exp), arguments[0].map(Math.tanh)]", values)
    exp_same = sum(a == math.exp(v) for a, v in zip(got[0], values))
    tanh_same = sum(a == math.tanh(v) for a, v in zip(got[1], values))
    assert all(math.isclose(a, math.exp(v), rel_tol=1e-15) for a, v in zip(got[0], values))
    assert all(math.isclose(a, math.tanh(v), rel_tol=1e-15) for a, v in zip(got[1], values))
    report(capsys, f"Math.exp: {exp_same} of {len(values)} the same bits as C's exp (glibc); "
                   f"Math.tanh: {tanh_same} of {len(values)} the same bits as C's tanh (x in -40 .. 40)")


def test_the_step_panel_shows_the_step_that_step_takes(open_lab):
    """The panel's numbers are the next step's: its last vec_sub calls give the weights after it."""
    browser = open_lab("playground")
    for _ in range(2):
        panel = browser.execute_script("""
            const groups = traceNextStep();
            const update = groups[groups.length - 1];
            return {what: groups.map(g => g.text),
                    updated: update.calls.filter(c => c.name === "vec_sub").map(c => c.out)};""")
        browser.find_element("id", "step").click()
        weights = browser.execute_script("return net.weights")
        assert panel["updated"] == weights
        assert panel["what"][0].startswith(f"step {browser.execute_script('return net.steps')}: batch")
        assert "layer_1 = tanh(vect_mat_mul(layer_0, weights_0_1.T))" in panel["what"]
    text = browser.find_element("id", "step-panel").text
    assert "outer_prod(" in text and "vect_mat_mul(" in text and "ele_mul(0.1, " in text   # alpha 1 / 10 rows
    assert "the other 9 rows of the batch" in text
