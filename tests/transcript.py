"""Compare a chapter's printed lines with its golden transcript, numbers within a tolerance.

Text must match exactly; every number is compared as a float (relative 1e-9,
absolute 1e-12), because NumPy's ``exp`` and C's differ in the last bit. What
depends on the run is not compared: lines starting with one of ``SKIP``
(``Backend: ...``: which backend ran, and the seconds it took; pictures written,
chapter 11's seconds per network, chapter 17's ``Measured here:`` timings), and
the ``SECONDS`` columns inside other lines (chapter 9's batch table).
``assert_chapter_prints_golden`` runs a chapter and compares;
``assert_pure_prints_what_cython_prints`` compares pure's run with cython's (a smaller run
than the golden one, where pure is slow); ``printed`` catches what a function prints where
``capsys`` cannot.

To (re)write a golden file after a deliberate change to a chapter, run it and
save its output. Chapters 1-6 were written on the NumPy backend (their runs are
not chaotic: every backend agrees to ~1e-14). Chapter 7 (its whole run and its
``--iterations 3000``) and the short runs of chapters 9-11 are written on the cython
backend: its sums add in order (as the pure loops do), so they are the same on every
machine, where NumPy's depend on its BLAS:
    python -m grokking.chapters.ch07_tuning_gradient_descent --backend cython > tests/golden/ch07_tuning_gradient_descent.txt
    python -m grokking.chapters.ch09_digits_network --backend cython --epochs 2 --examples 300 > tests/golden/ch09_digits_network_short.txt
(the options of each short run are in its test: ``SHORT``).
"""
import contextlib
import io
import math
import re
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"
NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|[-+]?(?:inf|nan)\b")
SKIP = ("Backend:", "(picture written to", "Seconds per network:", "Measured here:")
SECONDS = (
    re.compile(r"(?<=%) +\d+\.\d+$"),   # chapter 9's batch table: "...   74.2%   71.7%     0.03"
)


def compared_lines(text):
    """The lines of ``text`` that are compared, right-stripped: all but the run-dependent
    ones, and in those the ``SECONDS`` columns replaced by ``<seconds>``."""
    lines = []
    for line in text.splitlines():
        if line.startswith(SKIP):
            continue
        line = line.rstrip()
        for seconds in SECONDS:
            line = seconds.sub("  <seconds>", line)
        lines.append(line)
    return lines


def _close(a, b, rel, abs_):
    x, y = float(a), float(b)
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    return x == y or math.isclose(x, y, rel_tol=rel, abs_tol=abs_)


def assert_same_transcript(got, golden, rel=1e-9, abs_=1e-12):
    """Fail with the first differing line unless ``got`` matches ``golden``."""
    got_lines, want_lines = compared_lines(got), compared_lines(golden)
    for number, (g, w) in enumerate(zip(got_lines, want_lines), 1):
        g_nums, w_nums = NUMBER.findall(g), NUMBER.findall(w)
        same_text = NUMBER.sub("#", g) == NUMBER.sub("#", w)
        same_numbers = len(g_nums) == len(w_nums) and all(
            _close(a, b, rel, abs_) for a, b in zip(g_nums, w_nums))
        assert same_text and same_numbers, f"line {number} differs:\n got: {g}\nwant: {w}"
    assert len(got_lines) == len(want_lines), (
        f"{len(got_lines)} lines printed, golden transcript has {len(want_lines)}")


def printed(function, *args, **kwargs):
    """What ``function(*args, **kwargs)`` prints (its stderr, the progress, is dropped).

    For a module-scoped fixture, which cannot use ``capsys``.
    """
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        function(*args, **kwargs)
    return out.getvalue()


def golden(name):
    """The golden transcript ``tests/golden/<name>.txt``."""
    return (GOLDEN / f"{name}.txt").read_text(encoding="utf-8")


def assert_chapter_prints_golden(chapter, backend_name, capsys, trace=False, options=(), variant=""):
    """Run ``chapter.main`` on one backend (with --trace if asked) and return what it printed.

    Fails unless that matches the chapter's golden transcript (``<module>_trace.txt``
    for the trace) and the closing line names the backend. ``options`` are more
    command-line options (``("--epochs", "2")``); their run's golden transcript is
    ``<module>_<variant>.txt``.
    """
    out = printed_on(chapter, backend_name, capsys, (["--trace"] if trace else []) + list(options))
    name = chapter.__name__.rpartition(".")[2] + ("_trace" if trace else "") + (
        f"_{variant}" if variant else "")
    assert_same_transcript(out, golden(name))
    return out


def printed_on(chapter, backend_name, capsys, options=()):
    """What ``chapter.main`` prints on one backend with ``options``; fails unless its closing
    line names that backend."""
    chapter.main(["--backend", backend_name, *options])
    out = capsys.readouterr().out
    last = out.splitlines()[-1]
    assert last.startswith(f"Backend: {backend_name} | "), last
    return out


def assert_pure_prints_what_cython_prints(chapter, capsys, options=(), monkeypatch=None, constants=()):
    """Run ``chapter.main`` on cython, then on pure, with the same options; fail unless pure
    prints cython's lesson (every number within the tolerance above) and each closing line
    names its backend. ``constants``: ``{name: value}`` set in the chapter's module first
    (with ``monkeypatch``), for a run smaller than its options give.

    For the chapters whose short run takes pure many seconds: cython's short run is
    compared with the golden transcript, and pure is compared with cython on a smaller
    run, through the same code (the lists of pure and compiled kernels give identical
    bits; the tolerance covers the chapters that hand cython NumPy arrays).
    """
    for name, value in dict(constants).items():
        monkeypatch.setattr(chapter, name, value)
    cython = printed_on(chapter, "cython", capsys, options)
    assert_same_transcript(printed_on(chapter, "pure", capsys, options), cython)
