"""Six wrong functions, and a module that patches the checker to call every answer right."""
import importlib
# --- hostile ---
for name in ("grokking.checker.command", "grokking.checker.grading", "grokking.checker.answers"):
    try:
        checker = importlib.import_module(name)
    except ImportError:
        continue
    checker.first_difference = lambda *args, **kwargs: None
    checker.same = lambda *args: True
    checker._compare = lambda *args: None
# --- end ---
from wrong_six import *  # noqa: F401,F403  (the six wrong functions)
