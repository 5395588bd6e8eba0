"""The command line and the conventions every chapter shares."""
import importlib
import io
import subprocess
import sys
import types
from pathlib import Path

import pytest

from grokking.lessons import lesson
from grokking.chapters import HERE, index, options

from marks import FAST   # what --trace and --plot do does not depend on the backend

CHAPTERS = index()
CHECKOUT = Path(__file__).resolve().parents[2] / "chapters"   # the files a learner runs


def grokking(*args):
    """``python -m grokking ARGS`` in a new process: its return code and printed text."""
    return subprocess.run([sys.executable, "-m", "grokking", *args], capture_output=True, text=True)


def test_chapters_are_listed_in_order_with_a_title_and_what_they_trace_and_draw():
    out = grokking("chapters")
    assert out.returncode == 0
    header, *lines = out.stdout.split("\n\n")[0].splitlines()
    assert header.split() == ["N", "--trace", "--plot", "title"]
    assert len(lines) == len(CHAPTERS) >= 1
    numbers = [number for number, _, _ in CHAPTERS]
    assert numbers == sorted(set(numbers)), "chapter numbers must be unique and in order"
    for line, (number, module, title) in zip(lines, CHAPTERS):
        declared = options(module)
        assert line.split(None, 3) == [str(number), "yes" if declared.trace else "-",
                                       "yes" if declared.plot else "-", title]
    assert "python -m grokking run N --help" in out.stdout


def test_version_is_the_installed_distributions_and_written_in_one_place():
    """`--version` says grokking.__version__, which is what the installed metadata says too:
    pyproject.toml reads it from there (dynamic) instead of holding a second copy."""
    import grokking as package
    from importlib.metadata import version

    out = grokking("--version")
    assert out.returncode == 0 and out.stderr == ""
    assert out.stdout == f"grokking-loops {package.__version__}\n"
    assert version("grokking-loops") == package.__version__
    pyproject = (CHECKOUT.parent / "pyproject.toml").read_text(encoding="utf-8")
    project = pyproject.split("\n[project]\n")[1].split("\n[")[0]   # the [project] table
    assert 'dynamic = ["version"]' in project and "\nversion =" not in project
    assert '\n[tool.setuptools.dynamic]\nversion = { attr = "grokking.__version__" }' in pyproject


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
    declared, text = options(module), " ".join(out.stdout.split())   # argparse wraps lines
    assert (f"print {declared.trace}" if declared.trace
            else f"nothing to trace here: {declared.no_trace}") in text
    assert (f"draw {declared.plot} into DIR" if declared.plot
            else f"nothing to draw here: {declared.no_plot}") in text


def test_run_an_unknown_chapter_says_how_to_list_them():
    out = grokking("run", "99")
    assert out.returncode == 2
    assert "no chapter '99'" in out.stdout and "python -m grokking chapters" in out.stdout


def test_an_unknown_command_prints_the_usage():
    out = grokking("frobnicate")
    assert out.returncode == 2 and out.stdout.startswith("usage: python -m grokking")


@pytest.mark.parametrize("module", [c[1] for c in CHAPTERS])
def test_each_chapter_says_what_trace_and_plot_do_in_one_place(module):
    """``OPTIONS`` as ``python -m grokking chapters`` reads it (from the text) is the one the
    chapter runs with, and the chapter's code uses --trace / --plot exactly when it says so."""
    declared = options(module)
    chapter = importlib.import_module(f"grokking.chapters.{module}")
    assert chapter.OPTIONS == declared
    text = (HERE / f"{module}.py").read_text(encoding="utf-8")
    assert ("lesson.trace" in text) == bool(declared.trace), "uses --trace iff it says it traces"
    assert ("lesson.plot(" in text) == bool(declared.plot), "draws iff it says it draws"
    assert text.count("__doc__, argv, OPTIONS") == 1, "the lesson starts knowing them"   # (, more=...)


def test_options_say_either_what_an_option_does_or_why_not():
    assert lesson.Options(trace="every value", no_plot="nothing to draw").nothing_for("plot") == (
        "(This chapter has no --plot: nothing to draw.)")
    with pytest.raises(ValueError, match="either trace .* or no_trace .*, not neither"):
        lesson.Options(plot="a picture")
    with pytest.raises(ValueError, match="either plot .* or no_plot .*, not both"):
        lesson.Options(trace="every value", plot="a picture", no_plot="none")


# Short runs where a chapter takes them: (command-line options, keyword arguments of main).
SHORT = {7: ((), {"iterations": 1000}), 8: ((), {"iterations": 300}),
         9: (("--epochs", "1", "--examples", "100"), {}),
         10: (("--epochs", "1", "--examples", "100"), {}),
         11: (("--epochs", "1", "--examples", "100"), {}),
         12: (("--epochs", "1", "--examples", "100"), {}),
         13: (("--iterations", "5"), {}),
         14: (("--short",), {}), 15: (("--short",), {}), 16: (("--short",), {}),
         17: (("--epochs", "1", "--examples", "100"), {})}


def run_chapter(number, module, capsys, *options):
    """The printed lines of chapter ``module``'s ``main`` on the fast backend (short where it can)."""
    argv, keywords = SHORT.get(number, ((), {}))
    chapter = importlib.import_module(f"grokking.chapters.{module}")
    chapter.main(["--backend", FAST, *argv, *options], **keywords)
    return capsys.readouterr().out.splitlines()


@pytest.mark.parametrize("number, module", [c[:2] for c in CHAPTERS])
def test_trace_and_plot_do_what_they_say_or_say_in_one_line_that_they_do_nothing(
        number, module, capsys, tmp_path):
    declared = options(module)
    lines = run_chapter(number, module, capsys, "--trace", "--plot", str(tmp_path))
    notices = [line for line in lines if line.startswith("(This chapter has no --")]
    expected = [declared.nothing_for(option) for option in ("trace", "plot")
                if declared.nothing_for(option)]
    assert notices == expected and lines[:len(expected)] == expected   # once each, first
    pictures = sorted(path.name for path in tmp_path.iterdir())
    if declared.plot:
        written = [line for line in lines if line.startswith("(picture written to")]
        assert pictures and all(name.endswith(".png") for name in pictures)
        assert len(written) == len(pictures)
    else:
        assert pictures == []
    if declared.trace:   # the trace prints lines that a run without it does not
        plain = run_chapter(number, module, capsys)
        assert {line for line in set(lines) - set(plain)
                if not line.startswith(("(picture written to", "Backend:"))}


def test_an_option_a_chapter_has_nothing_for_is_said_through_the_command_line_too(tmp_path):
    number, module, _ = CHAPTERS[0]
    declared = options(module)
    assert not declared.trace and not declared.plot, "chapter 1 neither traces nor draws"
    out = grokking("run", str(number), "--backend", "numpy", "--trace", "--plot", str(tmp_path))
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("(This chapter has no --") == 2
    assert declared.nothing_for("trace") in out.stdout and declared.nothing_for("plot") in out.stdout
    assert not list(tmp_path.iterdir())


def test_help_is_plain_text_and_starts_with_the_usage():
    for argv in ((), ("--help",), ("-h",)):
        out = grokking(*argv)
        assert out.returncode == 0
        assert out.stdout.startswith("usage: python -m grokking <command>")
        assert "``" not in out.stdout, "no reStructuredText in what a learner reads"
        for command in ("chapters", "run N", "bench", "annotate", "check FILE", "backend"):
            assert f"\n  {command} " in out.stdout


@pytest.mark.parametrize("number, module", [(4, "ch04_one_layer_network"),
                                            (10, "ch10_digits_overfitting")])
def test_a_chapters_help_comes_first_without_its_banner(number, module):
    out = grokking("run", str(number), "--help")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(f"usage: python -m grokking run {number} [-h]"), out.stdout[:200]
    assert "=" * 10 not in out.stdout and f"Chapter {number}:" not in out.stdout
    assert "``" not in out.stdout
    text = " ".join(out.stdout.split())          # argparse wraps the lines
    declared = options(module)
    assert (declared.trace or declared.no_trace) in text and (declared.plot or declared.no_plot) in text
    assert ("--epochs N" in text) == (number >= 9)


def test_run_all_help_and_run_help_print_help_not_chapters():
    out = grokking("run", "all", "--help")
    assert out.returncode == 0 and out.stdout.startswith("usage: python -m grokking run all")
    assert "Chapter 1:" not in out.stdout
    out = grokking("run", "--help")
    assert out.returncode == 0 and out.stdout.startswith("usage: python -m grokking run N|all")
    assert grokking("run").returncode == 2


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
    assert out.stdout.splitlines()[-1] == str(Path(lesson.__file__).parents[1] / "__init__.py")


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
    from grokking.lessons.digits import start_digits
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


def test_a_reader_that_stops_early_gets_no_traceback():
    """``python -m grokking run all | head``: when the pipe closes, the command stops quietly.
    (``run all`` prints far more than a pipe holds, so it is still writing when the pipe closes.)"""
    run = subprocess.Popen([sys.executable, "-m", "grokking", "run", "all", "--backend", "cython"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    run.stdout.readline()
    run.stdout.close()                      # what `head` does once it has its lines
    errors = run.stderr.read().decode()
    assert run.wait(timeout=60) == 1
    assert "Traceback" not in errors and "BrokenPipeError" not in errors, errors
