"""The command line and the conventions every chapter shares."""
import subprocess
import sys

import pytest

from grokking.chapters import HERE, index

CHAPTERS = index()


def grokking(*args):
    """``python -m grokking ARGS`` in a new process: its return code and printed text."""
    return subprocess.run([sys.executable, "-m", "grokking", *args], capture_output=True, text=True)


def test_chapters_are_listed_in_order_with_a_title():
    out = grokking("chapters")
    assert out.returncode == 0
    lines = out.stdout.splitlines()
    assert len(lines) == len(CHAPTERS) >= 1
    numbers = [number for number, _, _ in CHAPTERS]
    assert numbers == sorted(set(numbers)), "chapter numbers must be unique and in order"
    for line, (number, _, title) in zip(lines, CHAPTERS):
        assert line.split(None, 1) == [str(number), title]


@pytest.mark.parametrize("module", [c[1] for c in CHAPTERS])
def test_each_chapter_is_a_cell_script_with_the_shared_options(module):
    text = (HERE / f"{module}.py").read_text(encoding="utf-8")
    assert text.count("# %%") >= 2, "chapters are `# %%`-cell scripts (they open as notebooks)"
    assert "lesson.finish()" in text
    out = subprocess.run([sys.executable, str(HERE / f"{module}.py"), "--help"],
                         capture_output=True, text=True)
    assert out.returncode == 0
    for option in ("--backend", "--plot", "--trace"):
        assert option in out.stdout


def test_run_an_unknown_chapter_says_how_to_list_them():
    out = grokking("run", "99")
    assert out.returncode == 2
    assert "no chapter '99'" in out.stdout and "python -m grokking chapters" in out.stdout


def test_no_command_prints_the_usage():
    out = grokking()
    assert out.returncode == 0 and "chapters" in out.stdout and "run N" in out.stdout
    assert grokking("frobnicate").returncode == 2


def test_run_passes_the_backend_to_the_chapter():
    number, module, title = CHAPTERS[0]
    out = grokking("run", str(number), "--backend", "numpy")
    assert out.returncode == 0, out.stderr
    assert f"Chapter {number}: {title}" in out.stdout
    assert "Backend: numpy |" in out.stdout


def test_plot_without_matplotlib_says_so_and_goes_on(tmp_path):
    """A chapter asked for pictures on a machine without matplotlib explains, then finishes."""
    code = ("import sys, runpy\n"
            "sys.modules['matplotlib'] = None\n"        # as if it were not installed
            f"sys.argv = ['ch02', '--backend', 'numpy', '--plot', {str(tmp_path)!r}]\n"
            "runpy.run_module('grokking.chapters.ch02_gradient_descent', run_name='__main__')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("No pictures: matplotlib is not installed") == 1
    assert "Backend: numpy |" in out.stdout
    assert not list(tmp_path.iterdir())
