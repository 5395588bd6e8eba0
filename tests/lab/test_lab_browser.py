"""Every lab in a real browser: headless Chromium (Debian's) driven by selenium, pages opened
from file://, as a learner opens them.

What is checked: no console errors and nothing fetched; every slider moves with the keyboard
and changes what is drawn (read back from the canvases' pixels and the page's text); every
button, checkbox and selector changes it too, the way the lab says; on a phone's screen too, each
plot and the controls that move it fit in one screen; the JavaScript twin of
``w_sum`` and ``ele_mul`` (kernels.js) and lab 1's descent match Python's to 1e-12; no page
scrolls sideways at 1280x800 or at a phone's 390x844. A screenshot of each lab at both sizes
is saved in build/lab-screenshots/ (``SLUG-SIZE.png`` the screen, ``SLUG-SIZE-whole.png`` the
whole page): look at them after changing a page.

The browser: Debian's ``chromium`` and ``chromium-driver``, where they are installed. The tests
never install anything: without them every test here is skipped with one line that says how to
install them (``.ci/run`` installs them, and fails when these tests skip there).
"""
import base64
import hashlib
import json
import math
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from grokking.chapters import ch02_gradient_descent as ch02
from grokking.kernels import pure
from lab.test_lab import SLUGS, written_lab  # noqa: F401  (the fixture: the quick lab, written once)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "lab-screenshots"
SIZES = {"1280x800": (1280, 800, False), "390x844": (390, 844, True)}
PACKAGES = ["chromium", "chromium-driver"]
HOW = "install Debian's chromium and chromium-driver (as root: apt-get install -y chromium chromium-driver)"
SKIPPED = "no headless Chromium for the lab's browser tests"   # .ci/run fails on this line


def browser_paths():
    return (shutil.which("chromium") or shutil.which("chromium-browser"), shutil.which("chromedriver"))


@pytest.fixture(scope="session")   # one Chromium per worker, for both browser files: each
def browser():                      # test opens its own page (open_lab), so nothing carries over
    webdriver = pytest.importorskip("selenium.webdriver", reason=f"selenium is not installed "
                                    f"(pip install \".[test]\"); and to run the browser tests, {HOW}")
    chromium, driver = browser_paths()
    if not (chromium and driver):
        pytest.skip(f"{SKIPPED}: {HOW}")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,800", "--hide-scrollbars"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    from selenium.webdriver.chrome.service import Service
    session = webdriver.Chrome(service=Service(driver), options=options)
    yield session
    session.quit()


def set_size(browser, name):
    width, height, mobile = SIZES[name]
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})


@pytest.fixture
def open_lab(browser, written_lab):  # noqa: F811
    """Open a lab page at 1280x800 and return the browser; its console is read and emptied first."""
    def open_page(slug, size="1280x800"):
        set_size(browser, size)
        browser.get((written_lab[0] / f"{slug}.html").as_uri())
        browser.get_log("browser")   # empty it: each test reads only its own page's messages
        browser.execute_script("window.scrollTo(0, 0)")
        return browser
    return open_page


def drawn(browser):
    """What the page shows, as one fingerprint: every canvas's pixels and all the text."""
    shown = browser.execute_script(
        "return JSON.stringify([[...document.querySelectorAll('canvas')].map(c => c.toDataURL()),"
        " document.querySelector('main').innerText]);")
    return hashlib.sha256(shown.encode()).hexdigest()


def errors(browser):
    return [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


@pytest.mark.parametrize("slug", ["index"] + SLUGS)
def test_the_page_opens_from_file_with_no_console_error_and_fetches_nothing(open_lab, slug):
    browser = open_lab(slug)
    browser.refresh()   # load once more, watching the console from the start
    assert browser.execute_script("return document.readyState") == "complete"
    assert errors(browser) == []
    fetched = browser.execute_script(
        "return performance.getEntriesByType('resource').map(r => r.name)")
    assert fetched == []
    if slug != "index":
        assert browser.execute_script("return document.querySelectorAll('canvas').length") >= 1


@pytest.mark.parametrize("slug", SLUGS)
def test_every_slider_moves_with_the_keyboard_and_changes_what_is_drawn(open_lab, slug):
    from selenium.webdriver.common.keys import Keys
    browser = open_lab(slug)
    sliders = browser.find_elements("css selector", "input[type=range]")
    assert len(sliders) >= (1 if slug != "sweep" and slug != "digits" else 0)
    for slider in sliders:
        before, value = drawn(browser), slider.get_attribute("value")
        at_end = value == slider.get_attribute("max")
        slider.send_keys(Keys.ARROW_LEFT if at_end else Keys.ARROW_RIGHT)
        assert slider.get_attribute("value") != value, slider.get_attribute("id")
        assert drawn(browser) != before, f"moving {slider.get_attribute('id')} changed nothing"
    assert errors(browser) == []


def click_and_check(browser, element, what):
    before = drawn(browser)
    element.click()
    assert drawn(browser) != before, f"{what} changed nothing"


def test_lab_1_presets_show_learning_and_divergence(open_lab):
    from selenium.webdriver.common.keys import Keys
    browser = open_lab("one_weight")
    buttons = browser.find_elements("css selector", "#presets button")
    assert len(buttons) == 4
    for button in reversed(buttons):   # the first is the one shown at the start
        click_and_check(browser, button, button.text)
        assert button.get_attribute("aria-pressed") == "true"
        assert "computed by Python" in browser.find_element("id", "computed-by").text
        verdict = browser.find_element("id", "verdict").text
        assert verdict.startswith("Diverging" if "diverges" in button.text else "Converging"), verdict
    browser.find_element("id", "goal").send_keys(Keys.ARROW_RIGHT)
    assert "computed in your browser" in browser.find_element("id", "computed-by").text
    assert errors(browser) == []


def test_lab_1_javascript_kernels_match_python(open_lab):
    """kernels.js against kernels/pure.py, and lab 1's descent against chapter 2's, to 1e-12."""
    browser = open_lab("one_weight")
    rng = np.random.RandomState(15)
    cases = []
    for _ in range(200):
        n = int(rng.randint(0, 40))
        scale = 10.0 ** rng.uniform(-6, 6, size=2)
        cases.append(((rng.randn(n) * scale[0]).tolist(), (rng.randn(n) * scale[1]).tolist(),
                      float(rng.randn() * scale[0])))
    got = browser.execute_script(
        "return arguments[0].map(([a, b, number]) => [w_sum(a, b), ele_mul(number, b)]);", cases)
    for (a, b, number), (js_sum, js_mul) in zip(cases, got):
        want = pure.w_sum(a, b)
        assert math.isclose(js_sum, want, rel_tol=1e-12, abs_tol=1e-12), (a, b)
        assert len(js_mul) == len(b)
        assert all(math.isclose(x, y, rel_tol=1e-12, abs_tol=1e-12)
                   for x, y in zip(js_mul, pure.ele_mul(number, b)))
    message = browser.execute_script("try { w_sum([1, 2], [3]); } catch (e) { return e.message; }")
    assert message == "w_sum: a and b must have the same length, got 2 and 1"

    settings = [(run[1], run[2], run[3], run[4]) for run in __import__(
        "grokking.lab.numbers", fromlist=["x"]).ONE_WEIGHT_RUNS]
    for _ in range(100):   # settings the sliders can reach, diverging ones included
        settings.append((round(rng.uniform(-2, 2), 2), round(rng.uniform(-2.5, 2.5), 1),
                         round(rng.uniform(-1, 2), 2), float(rng.choice([0.001, 0.1, 0.5, 1, 2]))))
    got = browser.execute_script(
        "return arguments[0].map(([w, i, g, a]) => gradientDescent(w, i, g, a, 20));", settings)
    k = pure
    for (weight, input, goal, alpha), steps in zip(settings, got):
        want = ch02.gradient_descent(k, weight, input, goal, alpha, 20)
        for js_step, step in zip(steps, want):
            assert all(math.isclose(x, y, rel_tol=1e-12, abs_tol=1e-12) for x, y in zip(js_step, step)), \
                (weight, input, goal, alpha, js_step, step)
    assert errors(browser) == []


def test_lab_2_a_click_on_the_surface_starts_the_ball_there(open_lab):
    browser = open_lab("surface")
    canvas = browser.find_element("id", "surface")
    # Click where the weights are (6, -6): the plot's own mapping says which pixel that is.
    x, y = browser.execute_script("return [plot.tx(6), plot.ty(-6)]")
    width, height = canvas.size["width"], canvas.size["height"]
    from selenium.webdriver.common.action_chains import ActionChains
    before = drawn(browser)
    ActionChains(browser).move_to_element_with_offset(canvas, x - width / 2, y - height / 2).click().perform()
    assert drawn(browser) != before
    assert browser.execute_script("return path()[0].slice(0, 2)") == [6, -6]
    click_and_check(browser, browser.find_element("id", "seeded"), "chapter 7's start")
    start = browser.execute_script("return path()[0].slice(0, 2)")
    assert math.isclose(start[0], -0.165956, rel_tol=1e-5) and math.isclose(start[1], 0.440649, rel_tol=1e-5)
    from selenium.webdriver.support.ui import Select
    for alpha in ("0.1", "100"):
        before = drawn(browser)
        Select(browser.find_element("id", "alpha")).select_by_value(alpha)
        assert drawn(browser) != before, f"alpha {alpha} changed nothing"
    click_and_check(browser, browser.find_element("id", "play"), "play")
    assert errors(browser) == []


def test_lab_3_toggles_and_selectors_change_the_curves_and_counts(open_lab):
    from selenium.webdriver.support.ui import Select
    browser = open_lab("sweep")
    boxes = browser.find_elements("css selector", "#toggles input")
    assert len(boxes) == 7
    for box in boxes:
        click_and_check(browser, box, "a curve's toggle")
    for select, value in (("hidden", "32"), ("alpha", "1")):
        before = drawn(browser)
        Select(browser.find_element("id", select)).select_by_value(value)
        assert drawn(browser) != before, f"{select} {value} changed nothing"
    cells = browser.find_elements("css selector", "#counts table:first-of-type td")
    assert len(cells) == 3 * 32   # synapse_0 of 32 hidden nodes: one cell per weight
    assert errors(browser) == []


def test_lab_4_a_click_on_a_digit_shows_its_pixels_hidden_nodes_and_scores(open_lab):
    browser = open_lab("digits")
    data = json.loads(browser.execute_script("return JSON.stringify(LAB.digits)"))
    wrong = [n for n, d in enumerate(data) if d["guess"] != d["label"]]
    assert wrong, "the quick lab's best network gets every test digit right: nothing to show"
    button = browser.find_element("css selector", f"#grid button[data-n='{wrong[0]}']")
    assert "wrong" in button.get_attribute("class")
    click_and_check(browser, button, "a wrong digit")
    text = browser.find_element("id", "detail-text").text
    d = data[wrong[0]]
    assert f"a {d['label']}." in text and f"guesses {d['guess']}" in text, text
    for box in browser.find_elements("css selector", "#toggles input"):
        click_and_check(browser, box, "a recipe's toggle")
    click_and_check(browser, browser.find_element("id", "only-wrong"), "only the wrong ones")
    assert len(browser.find_elements("css selector", "#grid button")) == len(wrong)
    assert errors(browser) == []


# Each lab's plot and the controls that move it (CSS selectors): on a phone too, the plot and
# each of them fit in one screen together, so a learner sees the plot move as they slide.
MOVES = {"one_weight": ("parabola", "input[type=range], #presets button"),
         "surface": ("surface", "input[type=range], #alpha, #seeded, #play"),
         "sweep": ("curves-4", "#toggles input"),
         "digits": ("curves", "#toggles input")}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("slug", sorted(MOVES))
def test_the_controls_sit_within_one_screen_of_the_plot_they_move(open_lab, slug, size):
    browser = open_lab(slug, size)
    plot, controls = MOVES[slug]
    (top, bottom), boxes = browser.execute_script("""
        const box = e => { const r = e.getBoundingClientRect();
                            return [r.top + scrollY, r.bottom + scrollY]; };
        return [box(document.getElementById(arguments[0])),
                [...document.querySelectorAll(arguments[1])].map(box)];""", plot, controls)
    assert boxes, controls
    height = SIZES[size][1]
    for control_top, control_bottom in boxes:
        assert max(bottom, control_bottom) - min(top, control_top) <= height, (plot, top, control_top)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("slug", ["index"] + SLUGS)
def test_the_page_fits_the_screen_and_a_screenshot_is_saved(open_lab, slug, size):
    browser = open_lab(slug, size)
    width = SIZES[size][0]
    assert browser.execute_script("return document.documentElement.scrollWidth") <= width
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{slug}-{size}.png"   # what fits on the screen
    assert browser.save_screenshot(str(path)) and path.stat().st_size > 10000
    # ... and the whole page, scrolled through (the tables and the digits below the fold)
    page = browser.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    whole = browser.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": page["width"], "height": page["height"], "scale": 1}})
    (SCREENSHOTS / f"{slug}-{size}-whole.png").write_bytes(base64.b64decode(whole["data"]))
