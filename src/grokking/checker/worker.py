"""The worker process of ``python -m grokking check``: it runs the learner's code, and only that.

It loads the learner's file, then answers calls: a function name and its
arguments come in; out goes what happened, as JSON bytes (never a pickle):
the answer or the exception, what the call printed, and the arguments as they
were afterwards. It knows nothing of the right answers: the referee, the
comparison, the shrinking and the hints all live in the checker's process
(``grokking.checker.grading``), so whatever the learner's module patches here
(NumPy, grokking, builtins, ``sys.modules``) can change only its own answers.
"""
import contextlib
import io
import json
import os
import sys
import traceback

from .answers import encode

PRINTED_LINES = 5     # the last lines a call printed are kept


def serve(conn, path, names):
    """Load the learner's file, report which of ``names`` it has, then answer calls until told to stop."""
    quiet = os.open(os.devnull, os.O_WRONLY)   # nothing the learner writes reaches the report
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
    send(conn, {"ready": True})      # our own imports are done: the learner's time starts now
    module, problem = load(path)
    send(conn, {"loaded": problem, "found": found(module, names) if module else {}})
    while True:
        request = conn.recv()
        if request is None:
            return
        number, name, args = request
        send(conn, dict(answer(module, name, args, path), number=number))


def send(conn, message):
    conn.send_bytes(json.dumps(message).encode())


def load(path):
    """The learner's file as a module, or ``(None, what went wrong)``."""
    import importlib.util
    sys.path.insert(0, os.path.dirname(path))  # so the learner may import a helper file
    spec = importlib.util.spec_from_file_location("learner_solution", path)
    module = importlib.util.module_from_spec(spec)
    with captured():
        try:
            spec.loader.exec_module(module)
        except BaseException as error:  # anything at all, even sys.exit()
            return None, f"loading it raised {explain(error, path)}"
    return module, None


def found(module, names):
    """For each name: "ok", "missing", or why it cannot be called."""
    result = {}
    for name in names:
        if not hasattr(module, name):
            result[name] = "missing"
        elif not callable(getattr(module, name)):
            result[name] = f"{name} is {describe(getattr(module, name))}, not a function"
        else:
            result[name] = "ok"
    return result


def describe(x):
    tree = encode(x)
    return f"{tree.get('type', tree['t'])} {json.dumps(tree.get('v', tree.get('text')))[:40]}"


def answer(module, name, args, path):
    """Call the learner's function once; what it gave back, printed and left of its arguments."""
    reply = {}
    with captured() as printed:
        try:
            reply["answer"] = encode(getattr(module, name)(*args))
        except BaseException as error:
            frames = traceback.extract_tb(error.__traceback__)
            reply["raised"] = {
                "type": type(error).__name__,
                "exception": isinstance(error, Exception),   # not SystemExit, KeyboardInterrupt
                "todo": isinstance(error, NotImplementedError),
                "text": explain(error, path),
                "from": frames[-1].name if frames else None,
                "message": str(error)[:200]}
    if "answer" in reply:
        reply["dtypes"] = narrow_dtypes(reply["answer"])
    reply["printed"] = printed.getvalue().splitlines()[-PRINTED_LINES:]
    reply["after"] = [encode(a) for a in args]
    return reply


def narrow_dtypes(tree):
    """The float dtypes other than float64 in an encoded answer (float32, float16): tiny differences."""
    found = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("kind") == "f" and node.get("dtype") != "float64":
                found.add(node["dtype"])
            if node.get("t") in ("list", "tuple"):
                stack.extend(node["v"])
    return sorted(found)


@contextlib.contextmanager
def captured():
    """Keep the learner's prints out of the checker's report (the last lines are kept)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        yield out


def explain(error, path):
    """``TypeError: message (line 12: return a * b)``, the line being the learner's."""
    text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if os.path.abspath(f.filename) == path]
    if frames:
        text += f" (line {frames[-1].lineno}: {(frames[-1].line or '').strip()})"
    return text[:600]
