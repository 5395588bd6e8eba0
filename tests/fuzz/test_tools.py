"""The leak check can tell a leak from no leak (the full run is tools/leakcheck.py)."""
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def leakcheck():
    spec = importlib.util.spec_from_file_location("leakcheck", ROOT / "tools" / "leakcheck.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_leakcheck_sees_a_leak():
    """In a fresh process: memory that earlier tests freed would take the leak without growing."""
    script = ("import importlib.util, sys\n"
              "spec = importlib.util.spec_from_file_location('leakcheck', sys.argv[1])\n"
              "leakcheck = importlib.util.module_from_spec(spec); spec.loader.exec_module(leakcheck)\n"
              "kept = []\n"
              "before, after = leakcheck.check(lambda: kept.append(bytes(200)), (), 50_000)\n"
              "print(after - before)\n")
    done = subprocess.run([sys.executable, "-c", script, str(ROOT / "tools" / "leakcheck.py")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 5 * 2**20   # 50,000 objects of ~230 bytes: over 5 MB


def test_leakcheck_sees_no_leak_in_a_kernel(leakcheck, k):
    before, after = leakcheck.check(k.vec_add, ([1.0] * 8, [2.0] * 8), 20_000)
    assert after - before < 2**20
