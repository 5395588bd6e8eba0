"""The command line and the conventions every chapter shares."""
import io
import subprocess
import sys
import types
from pathlib import Path

import pytest

from grokking import lesson
from grokking.chapters import HERE, index

CHAPTERS = index()
CHECKOUT = Path(__file__).resolve().parents[1] / "chapters"   # the files a learner runs


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


@pytest.mark.parametrize("module", [c[1] for c in CHAPTERS])
def test_a_chapter_without_the_package_says_how_to_install_it(module):
    """A checkout run with a Python that has no grokking: one line, exit code 2, no traceback.

    ``-I -S``: no site-packages at all, so neither grokking nor NumPy can be found.
    """
    out = subprocess.run([sys.executable, "-I", "-S", str(CHECKOUT / f"{module}.py"), "--backend", "cython"],
                         capture_output=True, text=True)
    assert out.returncode == 2, out.stderr
    assert out.stdout == ""
    assert out.stderr.splitlines() == [
        "grokking is not installed: run `python3 -m venv .venv && .venv/bin/pip install .` in the"
        " project folder, then run the chapter with .venv/bin/python"]


def test_chapters_import_the_installed_package_not_the_source_tree():
    """A chapter run from the checkout must use the installed (built) package, not ``src/``."""
    for module in (c[1] for c in CHAPTERS):
        text = (CHECKOUT / f"{module}.py").read_text(encoding="utf-8")
        assert "sys.path.insert" not in text and "grokking.chapters." not in text, module
    code = ("import runpy, sys; sys.argv = ['ch09', '--epochs', '1', '--examples', '10'];"
            f" runpy.run_path({str(CHECKOUT / 'ch09_digits_network.py')!r}, run_name='__main__');"
            " print(sys.modules['grokking'].__file__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-1] == lesson.__file__.replace("lesson.py", "__init__.py")


@pytest.mark.parametrize("number", [4, 6])
def test_output_to_a_pipe_has_no_terminal_codes(number):
    """``python -m grokking run N > log 2>&1``: the log holds the lesson, no \\r or escape codes."""
    out = subprocess.run([sys.executable, "-m", "grokking", "run", str(number), "--backend", "cython"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert out.returncode == 0, out.stdout[-2000:]
    assert b"Backend: cython |" in out.stdout
    assert b"\r" not in out.stdout and b"\x1b" not in out.stdout


class Terminal(io.StringIO):
    """A standard error that says it is a terminal."""

    def isatty(self):
        return True


def test_progress_only_on_a_terminal(monkeypatch):
    one = lesson.Lesson(lesson.choose_backend("pure"))
    on_record = one.progress_every("training", every=1000)
    monkeypatch.setattr(sys, "stderr", io.StringIO())      # a pipe, a file, a notebook
    for iteration in (0, 500, 1000):
        on_record(iteration, 0.5)
    one.done_progress()
    assert sys.stderr.getvalue() == ""
    monkeypatch.setattr(sys, "stderr", Terminal())
    for iteration in (0, 500, 1000):
        on_record(iteration, 0.5)
    one.done_progress()
    one.done_progress()                                      # nothing left to clear: nothing written
    assert sys.stderr.getvalue() == ("\r  ... training: iteration 0\033[K"
                                     "\r  ... training: iteration 1,000\033[K\r\033[K")


def fake_kernel(monkeypatch, kernel_argv):
    """Make ``lesson.command_line`` believe it runs in an ipykernel started with ``kernel_argv``."""
    app = types.SimpleNamespace(argv=list(kernel_argv))
    kernelapp = types.SimpleNamespace(IPKernelApp=types.SimpleNamespace(
        initialized=lambda: True, instance=lambda: app))
    monkeypatch.setitem(sys.modules, "ipykernel.kernelapp", kernelapp)


def test_in_a_jupyter_kernel_the_kernels_arguments_are_not_the_chapters(monkeypatch):
    kernel_argv = ["-f", "/tmp/kernel-1234.json"]
    fake_kernel(monkeypatch, kernel_argv)
    monkeypatch.setattr(sys, "argv", ["ipykernel_launcher.py", *kernel_argv])
    assert lesson.command_line() == []
    assert lesson.start("Title").backend == lesson.choose_backend(None).name
    # %run chapter.py --backend numpy in the same kernel: the script's own arguments count
    monkeypatch.setattr(sys, "argv", ["chapters/ch01_forward_propagation.py", "--backend", "numpy"])
    assert lesson.command_line() == ["--backend", "numpy"]
    assert lesson.start("Title").backend == "numpy"


def test_outside_a_kernel_the_command_line_is_sys_argv(monkeypatch):
    monkeypatch.delitem(sys.modules, "ipykernel.kernelapp", raising=False)
    monkeypatch.setattr(sys, "argv", ["ch01", "--backend", "numpy", "--trace"])
    assert lesson.command_line() == ["--backend", "numpy", "--trace"]


def test_digits_chapters_read_their_length_from_the_environment_only_as_a_default(monkeypatch):
    """GROKKING_EPOCHS / GROKKING_EXAMPLES: how a notebook (no command line) asks for a short run."""
    from grokking.digits_lesson import start_digits
    monkeypatch.setenv("GROKKING_EPOCHS", "2")
    monkeypatch.setenv("GROKKING_EXAMPLES", "300")
    _, epochs, examples = start_digits("Title", ["--backend", "numpy"])
    assert (epochs, examples) == (2, 300)
    _, epochs, examples = start_digits("Title", ["--backend", "numpy", "--epochs", "5"])
    assert (epochs, examples) == (5, 300)                     # the command line wins
    monkeypatch.setenv("GROKKING_EPOCHS", "two")
    with pytest.raises(SystemExit, match="GROKKING_EPOCHS must be a whole number, got 'two'"):
        start_digits("Title", [])
    monkeypatch.setenv("GROKKING_EPOCHS", "0")
    with pytest.raises(SystemExit, match="GROKKING_EPOCHS must be at least 1, got 0"):
        start_digits("Title", [])
    monkeypatch.delenv("GROKKING_EPOCHS")
    monkeypatch.delenv("GROKKING_EXAMPLES")
    assert start_digits("Title", ["--backend", "numpy"])[1:] == (None, None)
