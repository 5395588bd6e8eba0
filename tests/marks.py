"""What the tests share about the backends: ``needs_compiled`` for tests of the compiled code
itself, and ``FAST``, the backend for tests whose subject does not depend on one."""
import os

import pytest

import grokking

REQUIRE_CYTHON = os.environ.get("GROKKING_REQUIRE_CYTHON", "") not in ("", "0")

# The compiled code is tested when it is built, or when it is required (a missing build then fails).
COMPILED_TESTED = grokking.compiled_available() or REQUIRE_CYTHON

# For tests of the compiled code itself: skipped when it is not built, unless it is required.
needs_compiled = pytest.mark.skipif(not COMPILED_TESTED, reason="compiled backend not built")

# The fastest backend there is: for what does not depend on the backend (pictures, options).
FAST = "cython" if grokking.compiled_available() else "numpy"
