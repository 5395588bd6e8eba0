"""``python -m grokking notebook N|all [DIR]``: a chapter as a Jupyter notebook, with its outputs.

The chapter file is converted with jupytext (its ``# %%`` cells become the notebook's
cells, its ``# %% [markdown]`` cells the text) and every cell is executed with
nbclient on a kernel of this very Python, so the notebook holds our numbers, as the
book's repository holds its own. Written into DIR (default ``notebooks``) as
``chNN_name.ipynb``. Needs the ``notebook`` extra: ``pip install "grokking-loops[notebook]"``
(from a checkout: ``pip install ".[notebook]"``).
"""
import argparse
import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path

NEEDS = ["jupytext", "nbclient", "nbformat", "ipykernel"]
MISSING = ("notebook: needs {missing}: install them with "
           "pip install \".[notebook]\" (from the project folder) or pip install {all}")


def parser():
    p = argparse.ArgumentParser(
        prog="python -m grokking notebook",
        description="Write a chapter as a Jupyter notebook, executed, with its outputs.")
    p.add_argument("chapter", metavar="N", help='the chapter number (or "all")')
    p.add_argument("dir", nargs="?", default="notebooks", metavar="DIR",
                   help="where to write the .ipynb files (default: notebooks)")
    return p


def missing_modules():
    """The modules of the ``notebook`` extra that cannot be imported."""
    return [name for name in NEEDS if importlib.util.find_spec(name) is None]


def chapter_files(which):
    """``[(number, path), ...]`` of chapter ``which`` (a number, or "all"); [] if there is none."""
    from grokking.chapters import HERE, index
    return [(number, HERE / f"{module}.py") for number, module, _ in index()
            if which == "all" or which.lstrip("0") == str(number)]


def execute(path, directory):
    """Convert the chapter at ``path`` and run every cell; the notebook, outputs included."""
    import jupytext
    import nbclient

    notebook = jupytext.read(path)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    # This Python's kernel first: a "python3" kernel elsewhere (~/.local/share/jupyter)
    # could be another Python, without grokking.
    before = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        [os.path.join(sys.prefix, "share", "jupyter")] + ([before] if before else []))
    try:
        # The kernel's own chatter (ipykernel's "running over TCP" warning) is not the lesson:
        # what the chapter prints, standard error included, comes back as the cells' outputs.
        # Every output is in once execute() returns, so the kernel is stopped at once (a
        # "graceful" stop sometimes waits seconds for a kernel with nothing left to do).
        nbclient.NotebookClient(notebook, kernel_name="python3", timeout=None,
                                shutdown_kernel="immediate",
                                resources={"metadata": {"path": str(directory)}}).execute(
            stderr=subprocess.DEVNULL)
    finally:
        if before is None:
            del os.environ["JUPYTER_PATH"]
        else:
            os.environ["JUPYTER_PATH"] = before
    return notebook


def main(argv=None):
    args = parser().parse_args(argv)
    missing = missing_modules()
    if missing:
        print(MISSING.format(missing=", ".join(missing), all=" ".join(NEEDS)), file=sys.stderr)
        return 1
    chapters = chapter_files(args.chapter)
    if not chapters:
        print(f"notebook: no chapter {args.chapter!r}; `python -m grokking chapters` lists them",
              file=sys.stderr)
        return 2
    import nbformat

    directory = Path(args.dir)
    directory.mkdir(parents=True, exist_ok=True)
    for number, path in chapters:
        started = time.perf_counter()
        print(f"chapter {number}: running {path.name} as a notebook ...", file=sys.stderr, flush=True)
        target = directory / f"{path.stem}.ipynb"
        nbformat.write(execute(path, directory), target)
        print(f"{target}  ({time.perf_counter() - started:.1f} s)")
    return 0
