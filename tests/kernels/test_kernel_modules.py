"""What a kernel module shows a learner: the kernels and ``name``, nothing else (issue 16).

Tab completion (``k.`` then Tab) lists the kernels and the backend's ``name``:
the modules' own helpers and imports are underscore names, which ``dir()`` lists
and completion leaves out. ``__all__`` says the same. Pure keeps one public extra,
``scalar_sigmoid`` (one number in, one out), which ``grokking.networks.loops`` uses.
"""
import inspect
import rlcompleter

import pytest

import grokking
from grokking.kernels import KERNELS

EXTRAS = {"pure": {"scalar_sigmoid"}, "cython": set(), "numpy": set()}


def public(names):
    return {n for n in names if not n.startswith("_")}


def test_a_backend_shows_its_kernels_and_name_only(k, backend_name):
    wanted = set(KERNELS) | {"name"} | EXTRAS[backend_name]
    assert public(dir(k)) == wanted
    assert public(vars(k)) == wanted
    assert set(k.__all__) == wanted and len(k.__all__) == len(wanted)
    assert all(callable(getattr(k, n)) for n in wanted - {"name"})
    assert k.name == backend_name


def test_star_import_gives_the_kernels(backend_name):
    module = grokking.backend(backend_name).__name__
    names = {}
    exec(f"from {module} import *", names)
    assert public(names) == set(KERNELS) | {"name"} | EXTRAS[backend_name]


@pytest.mark.parametrize("hidden", ["math", "inputs", "arrays", "np", "functools"])
def test_imports_are_not_shown(k, hidden):
    assert not hasattr(k, hidden)


def test_tab_completion_shows_the_kernels_and_dir_shows_more(k, backend_name):
    """What README says: completion shows the kernels and ``name``; ``dir()`` the helpers too."""
    completer = rlcompleter.Completer({"k": k})
    shown, state = set(), 0
    while (match := completer.complete("k.", state)) is not None:
        shown.add(match[len("k."):].rstrip("("))
        state += 1
    assert shown == set(KERNELS) | {"name"} | EXTRAS[backend_name]
    assert {"_KERNELS", "_inputs"} <= set(dir(k))


def test_each_kernel_takes_pures_arguments_and_says_what_it_does(k):
    """``help(k.w_sum)`` shows the same parameters on every backend (the compiled kernels are
    built-in functions: their signature is written into them, see compiled.pyx's header)."""
    pure = grokking.backend("pure")
    for name in KERNELS:
        kernel = getattr(k, name)
        assert inspect.signature(kernel) == inspect.signature(getattr(pure, name)), name
        assert kernel.__doc__ and not kernel.__doc__.startswith(name), name
