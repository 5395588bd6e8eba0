"""Six wrong functions, and a module that rewrites the worker's messages to say "passed"."""
import importlib
# --- hostile ---
for name in ("grokking.checker.worker", "grokking.checker.command"):
    try:
        worker = importlib.import_module(name)
    except ImportError:
        continue
    if hasattr(worker, "send"):
        worker.send = lambda conn, message: conn.send_bytes(
            b'{"number": %d, "status": "passed", "verdict": "passed"}' % message.get("number", 0))
    if hasattr(worker, "_grade"):
        worker._grade = lambda *args: {"status": "passed", "cases": 1}
    import os
    os.write(1, b"[ ok ] w_sum          passed (29 cases)\n")
# --- end ---
from wrong_six import *  # noqa: F401,F403  (the six wrong functions)
