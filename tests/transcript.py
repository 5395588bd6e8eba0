"""Compare a chapter's printed lines with its golden transcript, numbers within a tolerance.

Text must match exactly; every number is compared as a float (relative 1e-9,
absolute 1e-12), because NumPy's ``exp`` and C's differ in the last bit. Lines
that depend on the run (``Backend: ... s`` and pictures written) are skipped.
``assert_chapter_prints_golden`` runs a chapter and compares; ``printed`` catches
what a function prints where ``capsys`` cannot.

To (re)write a golden file after a deliberate change to a chapter, run it on the
NumPy backend and save its output:
    GROKKING_BACKEND=numpy python chapters/chNN_x.py > tests/golden/chNN_x.txt
"""
import contextlib
import io
import math
import re
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"
NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|[-+]?(?:inf|nan)\b")
SKIP = ("Backend:", "(picture written to")


def compared_lines(text):
    """The lines of ``text`` that are compared: all but the run-dependent ones, right-stripped."""
    return [line.rstrip() for line in text.splitlines() if not line.startswith(SKIP)]


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


def assert_chapter_prints_golden(chapter, backend_name, capsys, trace=False):
    """Run ``chapter.main`` on one backend (with --trace if asked) and return what it printed.

    Fails unless that matches the chapter's golden transcript (``<module>_trace.txt``
    for the trace) and the closing line names the backend.
    """
    chapter.main(["--backend", backend_name] + (["--trace"] if trace else []))
    out = capsys.readouterr().out
    name = chapter.__name__.rpartition(".")[2] + ("_trace" if trace else "")
    assert_same_transcript(out, golden(name))
    last = out.splitlines()[-1]
    assert last.startswith(f"Backend: {backend_name} | "), last
    return out
