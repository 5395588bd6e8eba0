"""What every chapter shares: its command line, its closing line, progress and pictures.

A chapter says once what its options do, starts with ``lesson = start(__doc__, argv, OPTIONS)``
and ends with ``lesson.finish()``:

    python chapters/ch04_one_layer_network.py --backend cython --trace --plot plots/

- ``--backend pure|cython|numpy`` picks the kernels (default: as ``grokking.backend``);
- ``--trace`` prints every intermediate value, in the chapters that have something to trace;
- ``--plot DIR`` writes the chapter's pictures as PNG files (needs matplotlib), in
  the chapters that draw.

Which chapters trace and which draw is written in each chapter, in one place:
``OPTIONS = Options(trace="...", no_plot="...")``. ``python -m grokking chapters``
lists it, ``--help`` says it, and an option the chapter has nothing for is
answered with one line saying so (never silently ignored).

Everything a learner should read goes to standard output. Progress of long runs
goes to standard error, and only when standard error is a terminal: there one
line is rewritten in place (``\r`` and ``ESC[K``); in a log, a pipe or a
notebook those codes would be noise, so nothing is written at all.

In a notebook (a Jupyter kernel), ``sys.argv`` holds the kernel's own command
line (``-f kernel-1234.json``), not the chapter's: ``command_line()`` leaves it out.
"""
import argparse
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..kernels.backend import NAMES, BackendVariableError, backend as choose_backend


@dataclass(frozen=True)
class Options:
    """What ``--trace`` and ``--plot DIR`` do in one chapter, said in one place.

    For each of the two options give either what it shows (``trace``, ``plot``: a
    phrase that follows "print" or "draw") or why the chapter has nothing for it
    (``no_trace``, ``no_plot``: a phrase that follows "this chapter has no --trace:").

        OPTIONS = Options(plot="the error per iteration of both networks",
                          no_trace="chapter 6's --trace shows one iteration of this network")
    """
    trace: str = ""
    plot: str = ""
    no_trace: str = ""
    no_plot: str = ""

    def __post_init__(self):
        for option in ("trace", "plot"):
            does, why_not = getattr(self, option), getattr(self, "no_" + option)
            if bool(does) == bool(why_not):
                raise ValueError(f"Options: give either {option} (what --{option} shows) or "
                                 f"no_{option} (why there is nothing), not "
                                 + ("both" if does else "neither"))

    def nothing_for(self, option):
        """The one line said when ``--trace`` or ``--plot`` is given to a chapter without it, or None."""
        why_not = getattr(self, "no_" + option)
        return f"(This chapter has no --{option}: {why_not}.)" if why_not else None


class Lesson:
    """One run of a chapter: its backend, its options, its clock."""

    def __init__(self, kernels, trace=False, plot_dir=None):
        self.k = kernels                 # the kernels: self.k.w_sum(...), ...
        self.backend = kernels.name      # "pure", "cython" or "numpy"
        self.trace = trace
        self.plot_dir = Path(plot_dir) if plot_dir else None
        self._started = time.perf_counter()
        self._warned_no_matplotlib = False
        self._progress_shown = False

    def progress(self, text):
        """Show how a long run is going, on one line of standard error, if it is a terminal."""
        if sys.stderr is not None and sys.stderr.isatty():
            sys.stderr.write(f"\r  ... {text}\033[K")
            sys.stderr.flush()
            self._progress_shown = True

    def progress_every(self, label, every=1000):
        """An ``on_record`` for ``train`` that shows the iteration count every ``every`` iterations."""
        def on_record(iteration, error):
            if iteration % every == 0:
                self.progress(f"{label}: iteration {iteration:,}")
        return on_record

    def done_progress(self):
        """Clear the progress line once the long run is over (if one was shown)."""
        if self._progress_shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
            self._progress_shown = False

    def plot(self, filename, draw):
        """Call ``draw(pyplot)`` and save the picture as DIR/filename, if --plot DIR was given."""
        if self.plot_dir is None:
            return None
        try:
            import matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError:
            if not self._warned_no_matplotlib:
                print("(No pictures: matplotlib is not installed. "
                      "`pip install \"grokking-loops[plot]\"` adds it; going on without them.)")
                self._warned_no_matplotlib = True
            return None
        self.plot_dir.mkdir(parents=True, exist_ok=True)
        plt.figure(figsize=(6.4, 4.8))
        draw(plt)
        path = self.plot_dir / filename
        plt.savefig(path, dpi=100, bbox_inches="tight")
        plt.close("all")
        print(f"(picture written to {path})")
        return path

    def finish(self):
        """The closing line: which backend ran, and how long it took."""
        seconds = time.perf_counter() - self._started
        print(f"Backend: {self.backend} | {seconds:.2f} s")


def show(matrix):
    """A matrix printed the way the sources' NumPy printed it: 8 decimals, a space for the sign.

    Rounding first (and adding 0.0, which turns -0.0 into 0.0) keeps a tiny
    rounding-noise weight from printing as "-0.00000000" on one backend only.
    """
    return np.array2string(np.round(np.array(matrix, dtype=float), 8) + 0.0,
                           formatter={"float_kind": lambda v: f"{v: .8f}"})


def command_line():
    """The chapter's arguments: ``sys.argv[1:]``, or none when they are a Jupyter kernel's.

    A notebook's kernel is started as ``python -m ipykernel_launcher -f kernel-1234.json``
    and keeps that ``sys.argv`` for the whole session. ipykernel's application records
    the arguments it was started with (``IPKernelApp.instance().argv``); when
    ``sys.argv[1:]`` is exactly those, they are the kernel's, not the chapter's. This
    holds whatever launched the kernel (Jupyter, VS Code, nbclient), and
    ``%run chapter.py --backend cython`` in the same kernel still works: ``%run`` sets
    ``sys.argv`` to the script and its own arguments.
    """
    kernelapp = sys.modules.get("ipykernel.kernelapp")
    if (kernelapp is not None and kernelapp.IPKernelApp.initialized()
            and sys.argv[1:] == list(kernelapp.IPKernelApp.instance().argv)):
        return []
    return sys.argv[1:]


def parser(description, options=None, prog=None):
    """The chapter's ``argparse`` parser: --backend, --plot DIR, --trace.

    description: the chapter's docstring (its first line is the title).
    options: the chapter's ``Options`` (what --trace and --plot do in it), if it says.
    """
    title = description.strip().splitlines()[0] if description and description.strip() else None
    chapter = argparse.ArgumentParser(description=title, prog=prog)
    chapter.add_argument("--backend", choices=NAMES, default=None,
                         help="which kernels to use (default: GROKKING_BACKEND, else cython if built)")
    plot, trace = ("the chapter's pictures", "every intermediate value") if options is None else (
        options.plot, options.trace)
    chapter.add_argument("--plot", metavar="DIR", default=None,
                         help=f"draw {plot} into DIR as PNG files (needs matplotlib)" if plot
                         else f"nothing to draw here: {options.no_plot}")
    chapter.add_argument("--trace", action="store_true",
                         help=f"print {trace}" if trace else f"nothing to trace here: {options.no_trace}")
    return chapter


def whole_number(value, option, environment, fewest):
    """An option's whole number: ``value`` when it was given on the command line, else the one
    in the ``environment`` variable (a notebook has no command line), else None.

    Anything else ends the chapter with one line naming the option or the variable:
    ``SystemExit`` when it is not a whole number, or less than ``fewest``.
    """
    given = option
    if value is None and os.environ.get(environment, ""):
        given, text = environment, os.environ[environment]
        try:
            value = int(text)
        except ValueError:
            raise SystemExit(f"{given} must be a whole number, got {text!r}") from None
    if value is not None and value < fewest:
        raise SystemExit(f"{given} must be at least {fewest}, got {value}")
    return value


def begin(args, options=None):
    """The ``Lesson`` of parsed arguments: an option the chapter has nothing for is said, once."""
    trace, plot_dir = args.trace, args.plot
    if options is not None:
        if trace and options.no_trace:
            print(options.nothing_for("trace"))
            trace = False
        if plot_dir and options.no_plot:
            print(options.nothing_for("plot"))
            plot_dir = None
    try:
        k = choose_backend(args.backend)
    except BackendVariableError as error:  # one line, not a traceback through the chapter
        raise SystemExit(f"grokking: {error}") from None
    return Lesson(k, trace, plot_dir)


ITERATIONS_ENVIRONMENT = "GROKKING_ITERATIONS"   # the default of --iterations, for a notebook


def start_with_iterations(description, argv, options, default, trained, whose):
    """``(lesson, iterations)``: as ``start``, plus ``--iterations N``, for the chapters whose
    training a learner may shorten (or lengthen).

    description, argv, options: as for ``start``. N comes from the option, else from
    ``GROKKING_ITERATIONS``, else it is ``default``. trained, whose: what --help says is
    trained, and whose ``default`` it is ("the RNN", "the book's").
    """
    chapter = parser(description, options)
    chapter.add_argument("--iterations", type=int, default=None, metavar="N",
                         help=f"train {trained} for N iterations (default: {ITERATIONS_ENVIRONMENT}, "
                              f"else {whose} {default:,})")
    args = chapter.parse_args(command_line() if argv is None else argv)
    iterations = whole_number(args.iterations, "--iterations", ITERATIONS_ENVIRONMENT, fewest=1)
    return begin(args, options), iterations or default


def start(description, argv=None, options=None):
    """Parse the chapter's command line and return its ``Lesson``.

    description: the chapter's docstring (its first line is the title).
    argv: the arguments (default: ``command_line()``).
    options: the chapter's ``Options``: what --trace and --plot DIR do in it.
    """
    args = parser(description, options).parse_args(command_line() if argv is None else argv)
    return begin(args, options)
