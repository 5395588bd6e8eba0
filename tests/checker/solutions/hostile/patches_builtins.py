"""Six wrong functions, and builtins patched so that every difference looks like nothing."""
import builtins
# --- hostile ---
builtins.abs = lambda x: 0.0
# --- end ---
from wrong_six import *  # noqa: F401,F403  (the six wrong functions)
