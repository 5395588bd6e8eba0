"""``python -m grokking notebook N|all [DIR]``: a chapter as an executed Jupyter notebook.

Chapter 1 is written for real (a kernel starts: ~3 s) and its outputs must be the lesson,
as its golden transcript has it; ``all`` is checked by what it selects (running every
chapter takes minutes, and tests/chapters/test_notebooks.py already runs each one as a notebook).
"""
import subprocess
import sys

import nbformat

from grokking.chapters import index
from grokking.lab.notebook import chapter_files
from transcript import assert_same_transcript, golden


def grokking(*arguments, cwd=None, python_first="pass"):
    """Run ``python -m grokking ARGUMENTS`` (after the Python statements ``python_first``)."""
    code = f"{python_first}; from grokking.__main__ import main; raise SystemExit(main({list(arguments)!r}))"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


def test_chapter_1_becomes_a_notebook_with_its_lesson_as_outputs(tmp_path):
    result = grokking("notebook", "1", str(tmp_path / "notebooks"))
    assert result.returncode == 0, result.stderr
    path = tmp_path / "notebooks" / "ch01_forward_propagation.ipynb"
    assert result.stdout.startswith(f"{path}  (")
    notebook = nbformat.read(path, as_version=4)
    assert notebook.metadata.kernelspec.name == "python3"
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1))   # all ran
    assert any(cell.cell_type == "markdown" for cell in notebook.cells)
    streams = [output for cell in code for output in cell.outputs if output.output_type == "stream"]
    assert [s for s in streams if s.name == "stderr"] == []
    printed = "".join(s.text for s in streams if s.name == "stdout")
    assert printed.rstrip().splitlines()[-1].startswith("Backend: ")
    assert_same_transcript(printed, golden("ch01_forward_propagation"))


def test_all_is_every_chapter_in_order_and_a_number_may_have_a_leading_zero():
    assert [number for number, _ in chapter_files("all")] == [number for number, _, _ in index()]
    assert [path.name for _, path in chapter_files("04")] == ["ch04_one_layer_network.py"]
    assert all(path.exists() for _, path in chapter_files("all"))


def test_without_the_notebook_extra_one_line_says_what_to_install(tmp_path):
    result = grokking("notebook", "1", str(tmp_path / "out"),
                      python_first="import sys; sys.modules['jupytext'] = None")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("notebook: needs jupytext: install them with")
    assert 'pip install ".[notebook]"' in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_chapter_that_is_not_there_is_named(tmp_path):
    result = grokking("notebook", "99", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr == "notebook: no chapter '99'; `python -m grokking chapters` lists them\n"
