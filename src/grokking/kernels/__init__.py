"""The kernels, three times over: the same functions, names and errors in each.

- ``pure``: plain Python loops over lists, the teaching text;
- ``compiled``: the Cython twin of ``pure``, built by ``pip install .``;
- ``reference``: NumPy, the referee every test compares against.

Pick one with ``grokking.backend(name)`` rather than importing these directly.
"""

KERNELS = (
    "w_sum", "ele_mul", "vect_mat_mul", "outer_prod",
    "vec_add", "vec_sub", "vec_mul", "mat_mul", "transpose",
    "sigmoid", "sigmoid2deriv", "relu", "relu2deriv", "tanh", "tanh2deriv",
    "mean_abs_error",
)
