"""The chapters, one lesson per file, in learning order.

Each ``chNN_name.py`` runs on its own (``python chapters/chNN_name.py --backend cython``)
and is installed as ``grokking.chapters.chNN_name`` so that ``python -m grokking run N``
finds it from anywhere. The first line of a chapter's docstring is its title, and
its ``OPTIONS = Options(...)`` says what --trace and --plot DIR do in it. Both are
read from the file's text, without running it.
"""
import ast
import re
from pathlib import Path

from grokking.lessons.lesson import Options

HERE = Path(__file__).parent
_NAME = re.compile(r"^ch(\d\d)_\w+\.py$")


def index():
    """``[(number, module_name, title), ...]`` for every chapter, in order."""
    found = []
    for path in sorted(HERE.glob("ch*.py")):
        match = _NAME.match(path.name)
        if match:
            doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
            title = doc.strip().splitlines()[0] if doc.strip() else path.stem
            found.append((int(match.group(1)), path.stem, title))
    return found


def options(module):
    """The ``Options`` chapter ``module`` declares (``OPTIONS = Options(...)``): what
    --trace and --plot DIR do in it. Read from its text, so the chapter does not run."""
    path = HERE / f"{module}.py"
    for statement in ast.parse(path.read_text(encoding="utf-8")).body:
        if (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                and getattr(statement.targets[0], "id", None) == "OPTIONS"
                and isinstance(statement.value, ast.Call)
                and getattr(statement.value.func, "id", None) == "Options"):
            return Options(**{keyword.arg: ast.literal_eval(keyword.value)
                              for keyword in statement.value.keywords})
    raise LookupError(f"{path.name} does not say what --trace and --plot do: "
                      "it needs OPTIONS = Options(...) (see grokking.lessons.lesson.Options)")
