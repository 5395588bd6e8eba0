"""``python -m grokking lab [DIR] [--open] [--quick] [--backend NAME]``: write the lab's pages.

Computes every lab's numbers with the package's kernels (about half a minute on the
compiled backend, minutes on pure), writes one self-contained HTML file per lab and an
index into DIR (default ``grokking-lab``), and prints their paths.
"""
import argparse
import sys
import time
import webbrowser
from pathlib import Path

from grokking.kernels.backend import NAMES

from .numbers import FULL, QUICK, all_labs
from .page import index_page, lab_page


def parser():
    p = argparse.ArgumentParser(
        prog="python -m grokking lab",
        description="Write the lab: one self-contained HTML page per lab (no network needed), "
                    "with numbers computed by the package's kernels now.")
    p.add_argument("dir", nargs="?", default="grokking-lab", metavar="DIR",
                   help="where to write the pages (default: grokking-lab)")
    p.add_argument("--open", action="store_true", help="open the index in the default browser")
    p.add_argument("--quick", action="store_true",
                   help="fewer iterations and epochs (3,000 per alpha, 3 epochs on 400 digits): "
                        "a few seconds instead of half a minute")
    p.add_argument("--backend", choices=NAMES, default=None,
                   help="the kernels that compute the numbers (default: the active backend)")
    return p


def write_lab(directory, backend=None, quick=False, progress=None):
    """Write every page into ``directory``; the paths written, the index first."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    labs = all_labs(backend, QUICK if quick else FULL, progress)
    paths = [directory / "index.html"]
    paths[0].write_text(index_page(labs), encoding="utf-8")
    for lab in labs:
        path = directory / f"{lab.slug}.html"
        path.write_text(lab_page(lab), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv=None):
    args = parser().parse_args(argv)
    started = time.perf_counter()

    def progress(text):
        print(f"  computing {text} ...", file=sys.stderr, flush=True)

    paths = write_lab(args.dir, args.backend, args.quick, progress)
    print(f"The lab, written in {time.perf_counter() - started:.1f} s (open them in any browser,"
          " no network needed):")
    for path in paths:
        print(f"  {path}")
    if args.open and not _opened(paths[0]):
        print(f"lab --open: found no web browser to open it with here; open {paths[0]} in one yourself",
              file=sys.stderr)
    return 0


def _opened(path):
    """True when a browser was started on ``path`` (``webbrowser.open`` says False when it finds none)."""
    try:
        return webbrowser.open(Path(path).resolve().as_uri())
    except webbrowser.Error:
        return False
