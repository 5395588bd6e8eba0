"""Marks the tests share: ``needs_compiled`` for tests of the compiled code itself."""
import os

import pytest

import grokking

REQUIRE_CYTHON = os.environ.get("GROKKING_REQUIRE_CYTHON", "") not in ("", "0")

# For tests of the compiled code itself: skipped when it is not built, unless it is required.
needs_compiled = pytest.mark.skipif(not grokking.compiled_available() and not REQUIRE_CYTHON,
                                    reason="compiled backend not built")
