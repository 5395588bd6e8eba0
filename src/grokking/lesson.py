"""What every chapter shares: its command line, its closing line, progress and pictures.

A chapter starts with ``lesson = start(__doc__)`` and ends with ``lesson.finish()``:

    python chapters/ch04_one_layer_network.py --backend cython --trace --plot plots/

- ``--backend pure|cython|numpy`` picks the kernels (default: as ``grokking.backend``);
- ``--trace`` prints every intermediate value where the chapter supports it;
- ``--plot DIR`` writes the chapter's pictures as PNG files (needs matplotlib).

Everything a learner should read goes to standard output. Progress of long runs
goes to standard error, and only when standard error is a terminal: there one
line is rewritten in place (``\r`` and ``ESC[K``); in a log, a pipe or a
notebook those codes would be noise, so nothing is written at all.

In a notebook (a Jupyter kernel), ``sys.argv`` holds the kernel's own command
line (``-f kernel-1234.json``), not the chapter's: ``command_line()`` leaves it out.
"""
import argparse
import sys
import time
from pathlib import Path

import numpy as np

from .backend import NAMES, backend as choose_backend


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
                      "`pip install \"grokking[plot]\"` adds it; going on without them.)")
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


def start(description, argv=None):
    """Parse the chapter's command line and return its ``Lesson``.

    description: the chapter's docstring (its first line is the title).
    argv: the arguments (default: ``command_line()``).
    """
    title = description.strip().splitlines()[0] if description and description.strip() else None
    parser = argparse.ArgumentParser(description=title)
    parser.add_argument("--backend", choices=NAMES, default=None,
                        help="which kernels to use (default: GROKKING_BACKEND, else cython if built)")
    parser.add_argument("--plot", metavar="DIR", default=None,
                        help="write the chapter's pictures (PNG) into DIR; needs matplotlib")
    parser.add_argument("--trace", action="store_true",
                        help="print every intermediate value of the first iteration "
                             "(in the chapters that train a network)")
    args = parser.parse_args(command_line() if argv is None else argv)
    return Lesson(choose_backend(args.backend), args.trace, args.plot)
