"""The command line: ``python -m grokking <command>``.

    chapters          list the chapters in learning order
    run N [options]   run chapter N (or "all"); options go to the chapter (--backend, --trace, --plot)
    bench             measure the kernels and training on each backend (see grokking.bench)
    annotate          write Cython's annotated HTML of the compiled kernels
    check FILE        grade a learner's exercise file against the NumPy referee
    backend           say which backend is active and whether the compiled one is built
"""
import importlib
import runpy
import sys


def _chapters():
    from grokking.chapters import index
    return index()


def list_chapters(argv):
    for number, _, title in _chapters():
        print(f"{number:2d}  {title}")
    return 0


def run(argv):
    if not argv:
        print("usage: python -m grokking run N|all [--backend pure|cython|numpy] [--trace] [--plot DIR]")
        return 2
    which, options = argv[0], argv[1:]
    chapters = _chapters()
    if which != "all":
        chapters = [c for c in chapters if str(c[0]) == which.lstrip("0") or c[1] == which]
        if not chapters:
            print(f"run: no chapter {which!r}; `python -m grokking chapters` lists them")
            return 2
    for number, module, title in chapters:
        print(f"\n{'=' * 78}\nChapter {number}: {title}\n{'=' * 78}", flush=True)
        sys.argv = [module] + options
        runpy.run_module(f"grokking.chapters.{module}", run_name="__main__")
    return 0


def show_backend(argv):
    import grokking
    print(f"active backend: {grokking.backend().name}")
    print(f"compiled backend built: {'yes' if grokking.compiled_available() else 'no'}")
    return 0


def _delegate(module):
    def command(argv):
        return importlib.import_module(module).main(argv)
    return command


COMMANDS = {
    "chapters": list_chapters,
    "run": run,
    "backend": show_backend,
    "bench": _delegate("grokking.bench"),
    "annotate": _delegate("grokking.annotate"),
    "check": _delegate("grokking.check"),
}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in COMMANDS:
        print(__doc__)
        return 0 if not argv or argv[0] in ("-h", "--help") else 2
    return COMMANDS[argv[0]](argv[1:]) or 0


if __name__ == "__main__":
    sys.exit(main())
