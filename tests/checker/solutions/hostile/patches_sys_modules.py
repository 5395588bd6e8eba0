"""Six wrong functions, and a fake grokking in sys.modules whose "referee" is these functions."""
import sys
import types
from wrong_six import *  # noqa: F401,F403  (the six wrong functions)
from wrong_six import ele_mul, outer_prod, vect_mat_mul, w_sum


# --- hostile ---
mine = types.SimpleNamespace(w_sum=w_sum, ele_mul=ele_mul, vect_mat_mul=vect_mat_mul,
                             outer_prod=outer_prod, vec_sub=lambda a, b: list(a))
fake = types.ModuleType("grokking")
fake.backend = lambda name=None: mine
fake.train = lambda *args, **kwargs: types.SimpleNamespace(weights=[[[0.0]] * 3, [[0.0]]])
for name in [n for n in sys.modules if n == "grokking" or n.startswith("grokking.")]:
    if name != "grokking.checker.worker":
        sys.modules[name] = fake
# --- end ---
