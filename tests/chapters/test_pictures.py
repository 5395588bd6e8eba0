"""The pictures (``--plot DIR``), read as matplotlib figures: what a reader would misread.

No pixel comparisons. Each chapter runs (short where it can), its figures are kept as they
were saved, and their parts are inspected: the labels, the scales, the axis limits, where
the legend sits and which lines lie on top of each other. Two of these checks are the
issue-16 faults: chapter 10's bar chart began near 78 % (a 0.3-point gap looked large),
and chapter 7's alpha sweep had its legend over the curves and the 0.001 and 1000 lines
drawn alike on top of each other.
"""
import math
from pathlib import Path
from types import SimpleNamespace

import pytest

from marks import FAST   # the pictures do not depend on the backend; the fast one keeps runs short

matplotlib = pytest.importorskip("matplotlib")   # the "plot" extra
matplotlib.use("Agg")
matplotlib.rcParams["figure.max_open_warning"] = 0   # keep_figures keeps them open on purpose
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import grokking.chapters.ch02_gradient_descent as ch02  # noqa: E402
import grokking.chapters.ch04_one_layer_network as ch04  # noqa: E402
import grokking.chapters.ch05_annotated_iteration as ch05  # noqa: E402
import grokking.chapters.ch06_backpropagation as ch06  # noqa: E402
import grokking.chapters.ch07_tuning_gradient_descent as ch07  # noqa: E402
import grokking.chapters.ch08_why_is_it_faster as ch08  # noqa: E402
import grokking.chapters.ch09_digits_network as ch09  # noqa: E402
import grokking.chapters.ch10_digits_overfitting as ch10  # noqa: E402
import grokking.chapters.ch11_digits_best_network as ch11  # noqa: E402
import grokking.chapters.ch17_federated_learning as ch17  # noqa: E402
from grokking.tools import bench  # noqa: E402
from grokking.lessons.digits import draw_bars  # noqa: E402

SHORT_DIGITS = ["--epochs", "2", "--examples", "300"]
# Each chapter that draws, how to run it briefly, and the pictures it must write.
CHAPTERS = {
    "ch02": (ch02.main, [], {}, ["ch02_gradient_descent.png", "ch02_problem1_slopes_too_big.png",
                                 "ch02_problem2_local_minima.png",
                                 "ch02_problem3_slopes_too_small.png"]),
    "ch04": (ch04.main, [], {}, ["ch04_error_per_iteration.png"]),
    "ch05": (ch05.main, [], {}, ["ch05_sigmoid_iteration0.png"]),
    "ch06": (ch06.main, [], {}, ["ch06_error_per_iteration.png"]),
    "ch07": (ch07.main, [], {"iterations": 3000}, ["ch07_error_surface.png",
                                                   "ch07_alpha_sweep.png"]),
    "ch08": (ch08.main, [], {"iterations": 300}, ["ch08_ladder.png"]),
    "ch09": (ch09.main, SHORT_DIGITS, {}, ["ch09_plain_and_bias.png", "ch09_batch_sizes.png",
                                           "ch09_accuracy_table.png"]),
    "ch10": (ch10.main, SHORT_DIGITS, {}, ["ch10_overfitting.png", "ch10_accuracy_table.png"]),
    "ch11": (ch11.main, SHORT_DIGITS, {}, ["ch11_momentum.png", "ch11_activations.png",
                                           "ch11_accuracy_table.png"]),
    "ch17": (ch17.main, SHORT_DIGITS, {}, ["ch17_leak.png", "ch17_rounds.png"]),
}


@pytest.fixture
def keep_figures(monkeypatch):
    """Every figure saved from now on, by file name, left open to be inspected."""
    saved = {}
    save, close = Figure.savefig, plt.close

    def savefig(figure, path, *args, **kwargs):
        saved[Path(path).name] = figure
        return save(figure, path, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", savefig)
    monkeypatch.setattr(plt, "close", lambda *args, **kwargs: None)
    yield saved
    for figure in saved.values():   # those a chapter run keeps in _drawn are closed at the end
        close(figure)


_drawn = {}


def pictures(chapter, keep_figures, tmp_path):
    """Run a chapter with --plot; its figures by file name (each chapter runs once per session)."""
    if chapter not in _drawn:
        main, argv, kwargs, _ = CHAPTERS[chapter]
        main(["--backend", FAST, "--plot", str(tmp_path), *argv], **kwargs)
        _drawn[chapter] = dict(keep_figures)
        keep_figures.clear()
    return _drawn[chapter]


@pytest.fixture(scope="module", autouse=True)
def _forget_figures():
    yield
    for figures in _drawn.values():
        for figure in figures.values():
            plt.close(figure)
    _drawn.clear()


# -- what a reader would misread, for any figure ------------------------------------

def data_axes(figure):
    """The axes that show data (not colour bars)."""
    return [axis for axis in figure.axes if axis.get_label() != "<colorbar>"]


def is_category_axis(labels):
    """Tick labels that are names (a bar chart's rows), not numbers."""
    texts = [label.get_text() for label in labels if label.get_text()]
    return bool(texts) and not all(text.replace("−", "-").replace(".", "").replace("%", "")
                                   .replace(",", "").lstrip("-").isdigit() for text in texts)


def misreadings(figure):
    """What a reader could take wrongly from the figure, as sentences (empty: nothing)."""
    found = []
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    suptitle = figure._suptitle.get_text() if figure._suptitle else ""
    for axis in data_axes(figure):
        name = axis.get_title() or suptitle or "an untitled panel"
        if not (axis.get_title() or suptitle):
            found.append("a panel without a title")
        for which, label, scale, ticks in (
                ("x", axis.get_xlabel(), axis.get_xscale(), axis.get_xticklabels()),
                ("y", axis.get_ylabel(), axis.get_yscale(), axis.get_yticklabels())):
            if not label and which == "y":   # panels side by side may share one label
                label = " ".join(other.get_ylabel() for other in
                                 axis.get_shared_y_axes().get_siblings(axis))
            if not label.strip() and not is_category_axis(ticks):
                found.append(f"{name}: the {which} axis has no label")
            if scale == "log" and "log" not in label:
                found.append(f"{name}: the {which} axis is logarithmic and its label does not say so")
        bars = [patch for patch in axis.patches if patch.get_width() > 0 and patch.get_height() > 0]
        if bars and is_category_axis(axis.get_yticklabels()) and axis.get_xscale() == "linear":
            if axis.get_xlim()[0] != 0:
                found.append(f"{name}: the bars start at {axis.get_xlim()[0]:g}, not at 0")
        legend = axis.get_legend()
        if legend is not None:
            box = legend.get_window_extent(renderer)
            for line in axis.get_lines():
                points = axis.transData.transform(line.get_xydata())
                if any(box.contains(x, y) for x, y in points):
                    found.append(f"{name}: the legend covers the line {line.get_label()!r}")
    return found


def test_a_misleading_figure_is_caught():
    """The check itself: a bar chart from 78 %, a log axis unnamed, a legend over a line."""
    figure = plt.figure()
    try:
        left, right = figure.subplots(1, 2)
        left.barh(["plain", "L2"], [90.8, 91.1])
        left.set_xlim(78, 100)
        left.set(title="bars", xlabel="test accuracy (%)")
        steps = [j / 10 for j in range(91)]   # a straight line on the log scale, through the middle
        right.plot(steps, [10 ** (x / 3) for x in steps], label="alpha 0.001")
        right.set(yscale="log", title="sweep", xlabel="iteration", ylabel="error")
        right.legend(loc="center")
        found = misreadings(figure)
    finally:
        plt.close(figure)
    assert found == ["bars: the bars start at 78, not at 0",
                     "sweep: the y axis is logarithmic and its label does not say so",
                     "sweep: the legend covers the line 'alpha 0.001'"]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_picture_says_what_it_shows(chapter, keep_figures, tmp_path):
    figures = pictures(chapter, keep_figures, tmp_path)
    assert sorted(figures) == sorted(CHAPTERS[chapter][3])
    for filename, figure in figures.items():
        assert misreadings(figure) == [], filename


# -- chapter 10's bar chart (issue 16) -----------------------------------------------

def test_bars_start_at_zero_even_when_the_accuracies_are_close():
    """90.8 % against 91.1 %: from 0 the bars look as alike as they are."""
    rows = [(name, SimpleNamespace(final_test=value))
            for name, value in [("plain", 0.908), ("L2 0.001", 0.911), ("dropout 0.5", 0.883)]]
    figure = plt.figure()
    try:
        draw_bars(rows, "Test accuracy")(plt)
        axis = figure.axes[0]
        assert axis.get_xlim() == (0, 100)
        assert [patch.get_x() for patch in axis.patches] == [0, 0, 0]
        labels = [text.get_text() for text in axis.texts]
        assert labels == ["88.3%  -2.5 points", "91.1%  +0.3 points", "90.8%"]   # bottom up
        assert misreadings(figure) == []
    finally:
        plt.close(figure)


@pytest.mark.parametrize("chapter", ["ch09", "ch10", "ch11"])
def test_the_accuracy_bars_start_at_zero(chapter, keep_figures, tmp_path):
    axis = pictures(chapter, keep_figures, tmp_path)[f"{chapter}_accuracy_table.png"].axes[0]
    assert axis.get_xlim()[0] == 0
    assert all(patch.get_x() == 0 for patch in axis.patches)


# -- chapter 7's alpha sweep (issue 16) ----------------------------------------------

def together(a, b, factor=1.2):
    """How many of two curves' points lie within ``factor`` of each other."""
    return sum(1 for u, v in zip(a, b) if max(u, v) <= factor * min(u, v))


def test_the_sweep_legend_is_outside_every_panel(keep_figures, tmp_path):
    figure = pictures("ch07", keep_figures, tmp_path)["ch07_alpha_sweep.png"]
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    legends = [axis.get_legend() for axis in figure.axes if axis.get_legend()] + figure.legends
    assert len(legends) == 1
    box = legends[0].get_window_extent(renderer)
    for axis in figure.axes:
        assert not box.overlaps(axis.get_window_extent(renderer)), axis.get_title()
    assert [text.get_text() for text in legends[0].get_texts()] == [
        f"alpha {alpha}" for alpha in ch07.ALPHAS]


def test_sweep_curves_that_lie_together_are_drawn_differently(keep_figures, tmp_path):
    figure = pictures("ch07", keep_figures, tmp_path)["ch07_alpha_sweep.png"]
    for axis in figure.axes:
        lines = {line.get_label(): line for line in axis.get_lines()}
        # 0.001 (too slow to move) and 1000 (saturated) both stay at about 0.5
        slow, huge = lines["alpha 0.001"], lines["alpha 1000"]
        assert together(slow.get_ydata(), huge.get_ydata()) == len(slow.get_ydata())
        for a in lines.values():
            for b in lines.values():
                if a is not b and together(a.get_ydata(), b.get_ydata()) > len(a.get_ydata()) / 2:
                    assert a.get_linestyle() != b.get_linestyle(), (a.get_label(), b.get_label())


def test_sweep_curves_that_end_together_share_one_label(keep_figures, tmp_path):
    figure = pictures("ch07", keep_figures, tmp_path)["ch07_alpha_sweep.png"]
    for axis in figure.axes:
        labels = [text.get_text() for text in axis.texts]
        shared = [label for label in labels if "0.001" in label]
        assert len(shared) == 1 and "1000" in shared[0], labels
        named = [alpha for label in labels for alpha in label.removeprefix("alpha ").split(", ")]
        assert sorted(named, key=float) == [str(alpha) for alpha in ch07.ALPHAS]


# -- the bench's picture -------------------------------------------------------------

def test_the_bench_picture(tmp_path, keep_figures, monkeypatch, capsys):
    monkeypatch.setitem(bench.MODES, "tiny", (0.0001, 1, 20, 1))
    assert bench.main(["--tiny", "--plot", str(tmp_path / "ladder.png")]) == 0
    figure = keep_figures["ladder.png"]
    assert misreadings(figure) == []
    left = figure.axes[0]
    colours = {}
    for line in left.get_lines():        # "pure, lists" and "pure, arrays": one colour a backend
        colours.setdefault(line.get_label().split(",")[0], set()).add(line.get_color())
    assert colours and all(len(found) == 1 for found in colours.values()), colours
    assert len(set().union(*colours.values())) == len(colours)
    measured = sorted({x for line in left.get_lines() for x in line.get_xdata()})
    assert [tick for tick in left.get_xticks() if measured[0] <= tick <= measured[-1]] == measured
    assert not math.isnan(sum(measured))
