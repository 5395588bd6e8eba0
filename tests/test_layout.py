"""The folders of ``src/grokking`` are layers: each imports only from the layers below it.

Read from the source files themselves (``ast`` for ``.py``, the import lines of ``.pyx``),
so an import hidden inside a function counts too. Bottom to top:

    kernels -> datasets -> networks -> (the package's public face) -> framework -> lessons
            -> tools -> chapters -> checker, lab -> __main__

A layer may import its own folder and anything below; an import that points up (a kernel
that needs a network, a network that needs a lesson) fails here with the file and line.
The chapters and the exercises, which learners read, import only public names.
"""
import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "grokking"
LAYERS = {  # the first part of the module name below grokking -> its height
    "kernels": 0, "datasets": 1, "networks": 2,
    "": 3,            # grokking/__init__.py: backend, train, loops, gradient_check
    "framework": 4, "lessons": 5, "tools": 6, "chapters": 7, "checker": 8, "lab": 8,
    "__main__": 9,
}
PYX_IMPORT = re.compile(r"^\s*(?:from\s+(\S+)\s+(?:c?import)\s+(.+)|c?import\s+(\S+))")


def module_name(path):
    """``src/grokking/networks/digits.py`` -> ``grokking.networks.digits`` (chapters: grokking.chapters.x)."""
    if path.is_relative_to(ROOT / "chapters"):
        return "grokking.chapters." + path.stem
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module):
    parts = module.split(".")
    return LAYERS[parts[1] if len(parts) > 1 else ""]


def absolute(module, level, here, is_package):
    """Where ``from <level dots><module> import ...`` in ``here`` points."""
    if level == 0:
        return module
    base = here.split(".") if is_package else here.split(".")[:-1]
    base = base[:len(base) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def imports(path, here=None):
    """(line, imported module, names) of every grokking import in one file."""
    here = here or module_name(path)
    is_package = path.name == "__init__.py"
    found = []
    if path.suffix == ".pyx":
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = PYX_IMPORT.match(line)
            if match and (match.group(1) or "").startswith("."):
                dots = len(match.group(1)) - len(match.group(1).lstrip("."))
                target = absolute(match.group(1).lstrip("."), dots, here, is_package)
                found.append((number, target, [n.split()[0] for n in match.group(2).split(",")]))
            elif match and (match.group(1) or match.group(3) or "").startswith("grokking"):
                found.append((number, match.group(1) or match.group(3), []))
        return found
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            target = absolute(node.module or "", node.level, here, is_package)
            found.append((node.lineno, target, [alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, []) for alias in node.names]
    return [(line, target, names) for line, target, names in found
            if target == "grokking" or target.startswith("grokking.")]


def sources():
    files = sorted(PACKAGE.rglob("*.py")) + sorted(PACKAGE.rglob("*.pyx"))
    return files + sorted((ROOT / "chapters").glob("*.py"))


def test_every_folder_is_a_known_layer():
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders <= set(LAYERS), f"a folder with no place among the layers: {folders - set(LAYERS)}"


def upward_imports(path, here):
    upward = []
    for line, target, names in imports(path, here):
        # ``from grokking import x`` or ``from . import x``: the module x, else a name of the package
        targets = [f"{target}.{name}" for name in names
                   if (PACKAGE / Path(*target.split(".")[1:]) / name).exists()
                   or (PACKAGE / Path(*target.split(".")[1:]) / f"{name}.py").exists()] or [target]
        for module in targets:
            if layer(module) > layer(here):
                upward.append(f"line {line}: {here} imports {module}")
    return upward


@pytest.mark.parametrize("path", sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_down(path):
    upward = upward_imports(path, module_name(path))
    assert not upward, "imports that point up a layer:\n" + "\n".join(upward)


@pytest.mark.parametrize("line", ["from ..networks.digits import Recipe",
                                  "    from grokking.lessons import lesson",
                                  "import grokking.lab.page",
                                  "from .. import networks"])
@pytest.mark.parametrize("suffix", [".py", ".pyx"])
def test_the_check_sees_an_upward_import(tmp_path, line, suffix):
    """The check itself: a kernel that imports from a layer above is caught, in .py and .pyx,
    at the top of the file or inside a function; an import from its own layer is not."""
    fake = tmp_path / f"fake{suffix}"
    body = line if not line.startswith(" ") else "def f():\n" + line
    fake.write_text("from . import inputs\n" + body + "\n", encoding="utf-8")
    found = upward_imports(fake, "grokking.kernels.fake")
    assert len(found) == 1 and " grokking.kernels.fake imports grokking." in found[0], found


@pytest.mark.parametrize("path", sorted((ROOT / "chapters").glob("*.py"))
                         + sorted((ROOT / "exercises").glob("*.py")),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_chapters_and_exercises_use_only_public_names(path):
    private = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("grokking"):
            parts = node.module.split(".") + [alias.name for alias in node.names]
            private += [f"line {node.lineno}: from {node.module} import {alias.name}"
                        for alias in node.names if alias.name.startswith("_")]
            private += [f"line {node.lineno}: {node.module}" for part in parts[:-len(node.names)]
                        if part.startswith("_") and part != "__main__"]
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_") \
                and not node.attr.startswith("__"):
            root = node.value
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and root.id == "grokking":
                private.append(f"line {node.lineno}: grokking...{node.attr}")
    assert not private, "private names of grokking used:\n" + "\n".join(private)
