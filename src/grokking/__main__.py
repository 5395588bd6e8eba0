"""usage: python -m grokking <command> [arguments]

commands:
  chapters          list the chapters in learning order, and which of them trace and draw
  run N [options]   run chapter N (or "all"); the options go to the chapter:
                    --backend pure|cython|numpy, --trace, --plot DIR
                    (python -m grokking run N --help says what they do in chapter N)
  bench             measure the kernels and training on each backend
  annotate          write Cython's annotated HTML of the compiled kernels
  check FILE        grade a learner's exercise file against its sheet's referee
  backend           say which backend is active and whether the compiled one is built
  lab [DIR]         write the lab: one HTML page per lab, opens offline in any browser (--open)
  notebook N [DIR]  write chapter N (or "all") as a Jupyter notebook with its outputs
  --version         say the version of grokking-loops (the distribution that holds grokking)
"""
import importlib
import os
import runpy
import sys

from grokking.kernels.backend import BackendVariableError

DISTRIBUTION = "grokking-loops"   # the name to `pip install` (`grokking` on the index is another project)


def _chapters():
    from grokking.chapters import index
    return index()


def _options(module):
    from grokking.chapters import options
    return options(module)


def list_chapters(argv):
    print("  N  --trace  --plot  title")
    for number, module, title in _chapters():
        options = _options(module)
        print(f"{number:3d}  {'yes' if options.trace else '-':^7}  {'yes' if options.plot else '-':^6}"
              f"  {title}")
    print("\n--trace prints every intermediate value; --plot DIR writes the pictures (PNG) into DIR.")
    print("python -m grokking run N --help says what they show in chapter N.")
    return 0


RUN_USAGE = "usage: python -m grokking run N|all [--backend pure|cython|numpy] [--trace] [--plot DIR]"
HELP = ("-h", "--help")


def run(argv):
    if not argv or argv[0] in HELP:
        print(RUN_USAGE)
        print("python -m grokking chapters lists the chapters; run N --help says what the options do.")
        return 0 if argv else 2
    which, options = argv[0], argv[1:]
    chapters = _chapters()
    if which != "all":
        chapters = [c for c in chapters if str(c[0]) == which.lstrip("0") or c[1] == which]
        if not chapters:
            print(f"run: no chapter {which!r}; `python -m grokking chapters` lists them")
            return 2
    elif any(option in HELP for option in options):
        from grokking.lessons.lesson import parser
        parser("Run every chapter in order, each with these options.",
               prog="python -m grokking run all").print_help()
        return 0
    for number, module, title in chapters:
        if not any(option in HELP for option in options):   # the help comes first, alone
            print(f"\n{'=' * 78}\nChapter {number}: {title}\n{'=' * 78}", flush=True)
        sys.argv = [f"python -m grokking run {number}"] + options   # the usage line says so
        runpy.run_module(f"grokking.chapters.{module}", run_name="__main__")
    return 0


def show_backend(argv):
    import grokking
    print(f"active backend: {grokking.backend().name}")
    print(f"compiled backend built: {'yes' if grokking.compiled_available() else 'no'}")
    return 0


def show_version(argv):
    import grokking
    print(f"{DISTRIBUTION} {grokking.__version__}")
    return 0


def _delegate(module):
    def command(argv):
        return importlib.import_module(module).main(argv)
    return command


COMMANDS = {
    "chapters": list_chapters,
    "run": run,
    "backend": show_backend,
    "bench": _delegate("grokking.tools.bench"),
    "annotate": _delegate("grokking.tools.annotate"),
    "check": _delegate("grokking.checker.command"),
    "lab": _delegate("grokking.lab.command"),
    "notebook": _delegate("grokking.lab.notebook"),
    "--version": show_version,
}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in COMMANDS:
        print(__doc__.strip())
        return 0 if not argv or argv[0] in HELP else 2
    try:
        return COMMANDS[argv[0]](argv[1:]) or 0
    except BackendVariableError as error:  # a bad GROKKING_BACKEND: one line, not a traceback
        print(f"grokking: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `python -m grokking run all | head`: the reader has seen enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error at exit's flush
        return 1


if __name__ == "__main__":
    sys.exit(main())
