"""Every chapter as a notebook: converted with jupytext, executed by nbclient on a real ipykernel.

The README says each chapter opens as a notebook. Here each chapter is converted
(``jupytext.read``) and every cell is run, in order, on the "python3" kernel of
this very Python (a last cell prints the kernel's ``sys.prefix``, which must be
ours), with ``GROKKING_BACKEND=cython``. What the cells printed must be the
lesson, checked as the chapter's own test checks it: chapters 1-6 against their
golden transcript (numbers within the tolerance of ``transcript.py``), chapter 7
against the golden transcript of its quicker look (``GROKKING_ITERATIONS=3000``), chapters
9-12 and 17 against the golden transcript of their short run (made short in a notebook
by ``GROKKING_EPOCHS`` and ``GROKKING_EXAMPLES``, see ``grokking.lessons.digits``),
chapters 14-16 against theirs too (``GROKKING_SHORT=1``, see ``grokking.lessons.text``),
and chapter 8, which measures this machine and has no transcript, by its section
titles, table headers and closing line. Nothing may be written to standard error: a notebook
is not a terminal, so there is no progress line.

The whole runs of chapters 7 and 14-16 are each chapter's own test, from the command line:
here what is proven is the notebook's way in (its cells, its kernel, its environment
variables), which a short run goes through as a whole one does. The file takes about
half a minute: chapter 8 measures for ~4 s, the others take a second or two, and each
kernel ~1 s to start.
"""
import os
import sys
from pathlib import Path

import jupytext
import nbclient
import nbformat
import pytest

from chapters import test_ch09_digits_network
from chapters import test_ch10_digits_overfitting
from chapters import test_ch11_digits_best_network
from chapters import test_ch12_convolution
from chapters import test_ch17_federated_learning
from marks import needs_compiled
from grokking.chapters import index
from grokking.lessons import text
from grokking.lessons.digits import ENVIRONMENT
from grokking.lessons.lesson import ITERATIONS_ENVIRONMENT
from transcript import assert_same_transcript, golden

CHAPTERS = index()
CHECKOUT = Path(__file__).resolve().parents[2] / "chapters"   # the files a learner opens
KERNEL_CHECK = "import sys; print('kernel sys.prefix:', sys.prefix)"

# The short runs of the digits chapters: the options their golden transcripts were made with.
SHORT = {9: test_ch09_digits_network.SHORT, 10: test_ch10_digits_overfitting.SHORT,
         11: test_ch11_digits_best_network.SHORT, 12: test_ch12_convolution.SHORT,
         17: test_ch17_federated_learning.SHORT}

# The short runs of the chapters that read (--short, in a notebook GROKKING_SHORT=1).
SHORT_TEXT = {14, 15, 16}

# Chapter 7 as a quicker look (--iterations 3000, in a notebook GROKKING_ITERATIONS=3000).
QUICKER = {7: "3000"}

# Chapter 8 has no golden transcript (it measures this machine): lines it must print, in
# this order (spaces collapsed).
MUST_PRINT = {
    8: ["1. Two costs: a fixed cost per call, and a cost per number.",
        "backend n=3 (ns) n=65536 (ns) per call (ns) per number (ns)",
        "2. The same on NumPy arrays (pure must read them as lists each time):",
        "backend n=3 (ns) n=65536 (ns) per call (ns) per number (ns)",
        "3. The ladder: the XOR network, 3,000 iterations of each loop.",
        "loop us per iteration vs NumPy",
        "4. A big matrix product: tiles against BLAS, and threads.",
        "python -m grokking bench"],
}


def environment_for(options):
    """``{"GROKKING_EPOCHS": "2", ...}`` for command-line options ``("--epochs", "2", ...)``."""
    given = dict(zip(options[::2], options[1::2]))
    assert set(given) <= {f"--{name}" for name in ENVIRONMENT}, given
    return {ENVIRONMENT[option[2:]]: value for option, value in given.items()}


def run_as_notebook(module, monkeypatch, environment=()):
    """Execute chapter ``module`` as a notebook; ``(stdout text, stderr text)`` of all its cells.

    environment: more variables for the kernel (the short run of a digits chapter).
    """
    notebook = jupytext.read(CHECKOUT / f"{module}.py")
    notebook.cells.append(nbformat.v4.new_code_cell(KERNEL_CHECK))
    for name, value in {"GROKKING_BACKEND": "cython", **dict(environment)}.items():
        monkeypatch.setenv(name, value)
    # This Python's kernelspec first (a "python3" in ~/.local/share/jupyter could be another Python).
    monkeypatch.setenv("JUPYTER_PATH", os.path.join(sys.prefix, "share", "jupyter"))
    # Every output is in once execute() returns: the kernel is then stopped at once (a
    # "graceful" stop sometimes waited 3 s more for a kernel that had nothing left to do).
    nbclient.NotebookClient(notebook, kernel_name="python3", timeout=300, shutdown_kernel="immediate",
                            resources={"metadata": {"path": str(CHECKOUT)}}).execute()
    streams = {"stdout": [], "stderr": []}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                streams[output.name].append(output.text)
    return "".join(streams["stdout"]), "".join(streams["stderr"])


def in_order(lines, wanted):
    """The entries of ``wanted`` not found in ``lines`` in that order (spaces collapsed)."""
    collapsed = iter(" ".join(line.split()) for line in lines)
    return [line for line in wanted if not any(line == got for got in collapsed)]


@needs_compiled
@pytest.mark.parametrize("number, module", [(n, m) for n, m, _ in CHAPTERS],
                         ids=[m for _, m, _ in CHAPTERS])
def test_chapter_runs_as_a_notebook_and_shows_its_lesson(number, module, monkeypatch):
    environment = environment_for(SHORT.get(number, ()))
    if number in SHORT_TEXT:
        environment[text.ENVIRONMENT] = "1"
    if number in QUICKER:
        environment[ITERATIONS_ENVIRONMENT] = QUICKER[number]
    out, err = run_as_notebook(module, monkeypatch, environment)
    lines = out.rstrip("\n").splitlines()
    kernel = lines.pop()
    assert kernel == f"kernel sys.prefix: {sys.prefix}", "the notebook ran on another Python"
    assert lines[-1].startswith("Backend: cython | "), lines[-1]
    assert "\r" not in out + err and "\x1b" not in out + err, "progress codes in a notebook"
    assert err == "", err
    lesson = "\n".join(lines)
    if number in SHORT or number in SHORT_TEXT:
        assert_same_transcript(lesson, golden(f"{module}_short"))
    elif number in QUICKER:
        assert_same_transcript(lesson, golden(f"{module}_{QUICKER[number]}"))
    elif number in MUST_PRINT:
        assert in_order(lines, MUST_PRINT[number]) == []
    else:
        assert_same_transcript(lesson, golden(module))
