"""What every chapter shares: its command line, its closing line, progress and pictures.

A chapter starts with ``lesson = start(__doc__)`` and ends with ``lesson.finish()``:

    python chapters/ch04_one_layer_network.py --backend cython --trace --plot plots/

- ``--backend pure|cython|numpy`` picks the kernels (default: as ``grokking.backend``);
- ``--trace`` prints every intermediate value where the chapter supports it;
- ``--plot DIR`` writes the chapter's pictures as PNG files (needs matplotlib).

Everything a learner should read goes to standard output; progress of long runs
goes to standard error, so a transcript of the lesson stays the same each run.
"""
import argparse
import sys
import time
from pathlib import Path

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

    def progress(self, text):
        """Show how a long run is going, on one line of standard error."""
        sys.stderr.write(f"\r  ... {text}\033[K")
        sys.stderr.flush()

    def done_progress(self):
        """Clear the progress line once the long run is over."""
        sys.stderr.write("\r\033[K")
        sys.stderr.flush()

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


def start(description, argv=None):
    """Parse the chapter's command line and return its ``Lesson``.

    description: the chapter's docstring (its first line is the title).
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
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    return Lesson(choose_backend(args.backend), args.trace, args.plot)
