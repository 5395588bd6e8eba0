"""Write Cython's annotated HTML of the compiled code: see which lines touch Python.

    python -m grokking annotate              # into ./annotated/
    python -m grokking annotate my_folder    # or anywhere else

Open ``annotated/training.html`` (the whole XOR training loop),
``annotated/digits_epoch.html`` (the digits network's epoch) or
``annotated/compiled.html`` (the kernels) in a browser. Each line of the
Cython source is shaded: white lines became plain C; the yellower a line,
the more calls into the Python interpreter it makes (creating objects,
checking types, counting references). Click a line to see the C it became.
In ``training.html`` the iteration functions are white from top to bottom:
that is why the compiled loop is a hundred times faster than a Python loop.

This needs Cython (``pip install cython``) and the ``.pyx`` sources, which
are installed with the package. The Cython directives (``boundscheck=False``,
...) are the ``# cython:`` header at the top of each ``.pyx``, read by Cython
itself, so the colours match the real build.
"""
import argparse
import subprocess
import sys
import tempfile
from importlib import resources
from pathlib import Path

# (package, file): the XOR training loop, the digits epoch, the kernels
SOURCES = (("grokking.networks", "training.pyx"), ("grokking.networks", "digits_epoch.pyx"),
           ("grokking.kernels", "compiled.pyx"))

def header(source):
    """The ``# cython:`` line at the top of a .pyx file: its directives, as the build sees them."""
    first = Path(source).read_text(encoding="utf-8").splitlines()[:1]
    return first[0] if first and first[0].startswith("# cython:") else None


def cython_version():
    """Cython's version, or None when it is not installed."""
    try:
        import Cython
    except ImportError:
        return None
    return Cython.__version__


def annotate(source, out_dir):
    """Run ``cython -a`` on one .pyx file; returns the path of the HTML page."""
    out_dir = Path(out_dir)
    name = Path(source.name).stem
    with tempfile.TemporaryDirectory() as scratch:
        c_file = Path(scratch) / f"{name}.c"
        command = [sys.executable, "-m", "cython", "-a", "-o", str(c_file), str(source)]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"cython failed on {source}:\n{done.stderr}")
        html = out_dir / f"{name}.html"
        html.write_text((Path(scratch) / f"{name}.html").read_text(encoding="utf-8"),
                        encoding="utf-8")
    return html


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m grokking annotate",
                                     description="Write Cython's annotated HTML of the compiled code.")
    parser.add_argument("directory", nargs="?", default="annotated",
                        help="where to write the HTML pages (default: ./annotated/)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    version = cython_version()
    if version is None:
        print("annotate needs Cython, which is not installed: `pip install cython`, then run "
              "`python -m grokking annotate` again.")
        return 1
    missing = [name for package, name in SOURCES
               if not resources.files(package).joinpath(name).is_file()]
    if missing:
        print(f"annotate: the Cython sources {', '.join(missing)} are not installed with this "
              "copy of grokking (they ship as package data); reinstall it with `pip install .`.")
        return 1
    out_dir = Path(args.directory)
    out_dir.mkdir(parents=True, exist_ok=True)
    print(f"Cython {version}; each file's directives are its first line:")
    for package, name in SOURCES:
        with resources.as_file(resources.files(package).joinpath(name)) as source:
            print(f"  {name}: {header(source)}")
            page = annotate(source, out_dir)
        print(f"  wrote {page}")
    print("Open them in a browser: white lines are plain C, yellow lines call into Python "
          "(the yellower, the more). Click a line to see its C.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
