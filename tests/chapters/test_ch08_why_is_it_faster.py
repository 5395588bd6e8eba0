"""Chapter 8: what it says with and without the compiled backend.

It measures this machine, so it has no golden transcript (tests/chapters/test_notebooks.py
checks its section titles and tables, tests/tools/test_bench.py its measurements). Here:
its words must fit the rows it has. Without the compiled backend (a pure install:
GROKKING_PUREPYTHON=1, or no C compiler) it has no Cython rows, so it must not
claim what only they show, must say they are missing and how to get them, and the
fallback notice stays the backend's one line (none when pure was chosen on purpose).
The missing backend is simulated as tests/kernels/test_backend.py does: in a fresh Python
whose compiled extensions do not import.
"""
import re

import pytest

from marks import needs_compiled
from kernels.test_backend import ALL, fresh_python

# Claims that only the Cython rows can back.
COMPILED_CLAIMS = ("NumPy and Cython alike", "compiled loops win")
MISSING = "The compiled backend is not built, so the Cython rows below are missing."
COMPILED_RUNGS = ("pure loop calling the Cython kernels", "compiled training (train backend='cython')",
                  "Python loop calling the Cython kernels", "compiled loop (train_digits, backend 'cython')")
DIGITS_ROWS = re.compile(r"^ *(1|32|all)  (pure loop|Python loop calling|compiled loop|tight NumPy)"
                         r".*\d+\.\d\d +\d+\.\d\d +\d+\.\d\d\d$", re.MULTILINE)
# What the chapter prints is checked here, not its times: a short ladder (300 iterations).
RUN_CHAPTER_8 = ("from grokking.chapters import ch08_why_is_it_faster as ch08\n"
                 "ch08.main([], iterations=300)\n")


def words(text):
    """The text with its line breaks and runs of spaces as single spaces."""
    return " ".join(text.split())


def cost_rows(out):
    """The backends of the rows of sections 1 and 2's tables: a name, then 4 numbers."""
    fields = [line.split() for line in out.splitlines()]
    return [row[0] for row in fields
            if len(row) == 5 and all(re.fullmatch(r"-?[\d,.]+", value) for value in row[1:])]


@pytest.mark.parametrize("choice", ["pure-on-purpose", "unknown"])
def test_without_the_compiled_backend_it_says_the_cython_rows_are_missing_and_how_to_build(choice):
    out, err = fresh_python(RUN_CHAPTER_8, missing=ALL, choice=choice)
    text = words(out)
    for claim in COMPILED_CLAIMS:
        assert claim not in text
    assert text.count(MISSING) == 1
    assert text.count("build it with `pip install .` from the project folder (needs a C compiler") == 1
    rows = cost_rows(out)
    assert rows.count("pure") == rows.count("numpy") == 2 and "cython" not in rows
    for rung in COMPILED_RUNGS:
        assert rung not in out
    assert len(DIGITS_ROWS.findall(out)) == 6                # pure and NumPy at 3 batch sizes
    assert "The compiled loop's rows are missing" in out
    assert out.splitlines()[-1].startswith("Backend: pure | ")
    notice = err.splitlines()
    if choice == "pure-on-purpose":
        assert notice == []                      # pure was chosen: nothing to say
    else:                                        # the backend's one line, once; none from the chapter
        assert len(notice) == 1 and notice[0].startswith(
            "grokking: the compiled backend is not available (it is not built): using pure Python")


@needs_compiled
def test_with_the_compiled_backend_it_shows_the_cython_rows_and_says_what_they_show(capsys):
    from grokking.chapters import ch08_why_is_it_faster as ch08
    ch08.main(["--backend", "cython"], iterations=300)
    out = capsys.readouterr().out
    text = words(out)
    for claim in COMPILED_CLAIMS:
        assert claim in text
    assert "missing" not in text
    for rung in COMPILED_RUNGS:
        assert rung in out
    assert cost_rows(out).count("cython") == 2
    assert len(DIGITS_ROWS.findall(out)) == 12               # four loops at 3 batch sizes
    assert "Where the batch is big, BLAS wins" in text
