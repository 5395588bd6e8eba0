"""The chapters, one lesson per file, in learning order.

Each ``chNN_name.py`` runs on its own (``python chapters/chNN_name.py --backend cython``)
and is installed as ``grokking.chapters.chNN_name`` so that ``python -m grokking run N``
finds it from anywhere. The first line of a chapter's docstring is its title.
"""
import ast
import re
from pathlib import Path

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
