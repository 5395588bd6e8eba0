"""The pure paths add floats with a loop, in index order, as the book writes it and as the
compiled twins do: never with the built-in ``sum()``.

From Python 3.12 on, ``sum()`` of floats carries a compensation term (Neumaier's), so it
rounds differently from ``total += x`` in C, and differently on 3.11 and on 3.12: pure's
``softmax_rows`` with ``sum(e)`` gave the compiled epoch's numbers to the bit on 3.11 and
missed them by up to 8e-15 on 3.13. ``math.fsum`` (correctly rounded) and ``math.sumprod``
differ from the loop too. ``grokking.networks.rows.add_up`` is the loop to call.

Read from the source files (``ast``): a call of the builtin ``sum`` is allowed only where what
it adds is plainly whole numbers (``sum(1 for ...)``, ``sum(a == b for ...)``,
``sum(len(s) for ...)``) or where ``ALLOWED`` says why. The JavaScript twin of the kernels
(``lab/kernels.js``) is held to its loops in the same way.
"""
import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "grokking"
# Where pure and compiled (or the JS twin) promise the same numbers, and what prints them.
PURE_PATHS = [PACKAGE / "kernels" / "pure.py", PACKAGE / "kernels" / "inputs.py",
              *sorted((PACKAGE / "networks").glob("*.py")),
              *sorted((PACKAGE / "framework").glob("*.py")),
              *sorted((PACKAGE / "lessons").glob("*.py")),
              *sorted((ROOT / "chapters").glob("*.py"))]
JS_TWIN = PACKAGE / "lab" / "kernels.js"
ORDER_FREE = {"fsum", "sumprod", "fmean", "hypot", "dist"}   # math's and statistics' adders
WHOLE = {"len", "int", "bool", "ord"}                        # calls that give whole numbers
ALLOWED = {
    # whole numbers: counts of direction changes, made by `count[i][j] += 1`
    ("chapters/ch07_tuning_gradient_descent.py",
     "sum((sum(row) for row in look.synapse_0_direction_count + look.synapse_1_direction_count))"),
    ("chapters/ch07_tuning_gradient_descent.py", "sum(row)"),
    # a median of measured seconds a window: a timing, which no backend promises to repeat, let alone
    # to the bit (the median of an odd count adds nothing; of an even count, it halves one sum of two)
    ("chapters/ch16_lstm.py", "statistics.median(run.seconds)"),
}


def _whole(item):
    """True when ``item`` (what a generator yields) is plainly a whole number or a bool."""
    if isinstance(item, ast.Constant):
        return type(item.value) in (int, bool)
    if isinstance(item, (ast.Compare, ast.BoolOp)) or (
            isinstance(item, ast.UnaryOp) and isinstance(item.op, ast.Not)):
        return all(_whole(v) for v in item.values) if isinstance(item, ast.BoolOp) else True
    return isinstance(item, ast.Call) and isinstance(item.func, ast.Name) and item.func.id in WHOLE


def _adds_whole_numbers(call):
    if len(call.args) == 2 and isinstance(call.args[1], (ast.List, ast.Tuple)):
        return True       # sum(lists, []): joins lists, adds no numbers
    what = call.args[0] if call.args else None
    if isinstance(what, (ast.GeneratorExp, ast.ListComp, ast.SetComp)):
        return _whole(what.elt)
    if isinstance(what, (ast.List, ast.Tuple)):
        return all(_whole(v) for v in what.elts)
    return False


def float_sums(source, where):
    """``(where, line, call)`` for every addition of floats whose rounding is not the loop's."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
        builtin_sum = isinstance(f, ast.Name) and f.id == "sum"
        statistics = (isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name)
                      and f.value.id == "statistics")
        text = ast.unparse(node)
        if (builtin_sum and not _adds_whole_numbers(node)) or name in ORDER_FREE or statistics:
            if (where, text) not in ALLOWED:
                found.append((where, node.lineno, text))
    return found


def js_float_sums(source):
    """Adding in the JS twin without its loops: ``reduce``, ``Math.hypot``, ``Math.sumPrecise``."""
    return [(n, line.strip()) for n, line in enumerate(source.splitlines(), 1)
            if re.search(r"\.reduce(Right)?\(|Math\.(hypot|sumPrecise)\(", line)]


def test_the_paths_are_there():
    assert len(PURE_PATHS) > 30 and all(p.is_file() for p in PURE_PATHS) and JS_TWIN.is_file()


@pytest.mark.parametrize("path", PURE_PATHS, ids=lambda p: str(p.relative_to(ROOT)))
def test_pure_paths_add_with_a_loop(path):
    where = path.relative_to(ROOT).as_posix()
    found = float_sums(path.read_text(encoding="utf-8"), where)
    assert not found, "\n".join(f"{w}:{line}: {text}: add with a loop in index order "
                                f"(grokking.networks.rows.add_up), not {text.split('(')[0]}()"
                                for w, line, text in found)


def test_the_js_twin_adds_with_a_loop():
    assert not js_float_sums(JS_TWIN.read_text(encoding="utf-8"))


def test_every_allowed_sum_is_still_there():
    """An entry of ALLOWED whose code went away must go too (it would excuse the next one)."""
    for where, text in ALLOWED:
        calls = {ast.unparse(n) for n in ast.walk(ast.parse((ROOT / where).read_text(encoding="utf-8")))
                 if isinstance(n, ast.Call)}
        assert text in calls, (where, text)


# -- the check can fail ------------------------------------------------------------------

def test_a_planted_sum_is_caught():
    """``softmax_rows`` as it was before Python 3.12 showed the difference, and other plants."""
    rows = (PACKAGE / "networks" / "rows.py").read_text(encoding="utf-8")
    assert not float_sums(rows, "src/grokking/networks/rows.py")
    planted = rows.replace("total = add_up(e)", "total = sum(e)")
    assert planted != rows
    assert [text for _, _, text in float_sums(planted, "rows.py")] == ["sum(e)"]
    caught = ["x = sum(a * b for a, b in zip(u, v))", "x = sum([0.1, 0.2])", "x = sum(row, 0.0)",
              "x = math.fsum(e)", "x = fsum(e)", "x = statistics.mean(e)", "x = math.sumprod(u, v)",
              "x = math.hypot(*g)", "x = sum(y for _, y in train)", "x = sum(abs(a) < b or c for a in e)"]
    for line in caught:
        assert float_sums(line, "x.py"), line
    whole = ["n = sum(1 for g, t in zip(a, b) if g == t)", "n = sum(p == t for p, t in z)",
             "n = sum(len(s) for s in sentences)", "n = sum([1, 2, 3])", "n = sum(rows, [])",
             "x = m.sum(axis=1)", "x = np.sum(m)", "x = add_up(e)"]
    for line in whole:
        assert not float_sums(line, "x.py"), line
    # the allow-list excuses its own line only, where it is
    assert float_sums("n = sum(row)", "chapters/ch06_backpropagation.py")
    assert js_float_sums("const total = values.reduce((a, b) => a + b, 0);")
    assert js_float_sums("return Math.sumPrecise(values);")
    assert not js_float_sums((JS_TWIN.read_text(encoding="utf-8")))
