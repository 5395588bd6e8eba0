"""grokking: how a neural network learns, in plain loops, compiled loops and NumPy.

    >>> import grokking
    >>> k = grokking.backend("pure")
    >>> round(k.w_sum([8.5, 0.65, 1.2], [0.1, 0.2, 0.0]), 10)
    0.98

See ``grokking.backend`` for choosing between "pure", "cython" and "numpy",
``grokking.train`` for training the blog's network, and ``grokking.networks.loops`` for
its training loops, one per backend (the bench and chapter 8 time them).
"""
from .networks import loops
from .kernels.backend import NAMES as BACKENDS, backend, compiled_available
from .networks.train import Training, train
from .networks.gradcheck import GradientCheck, gradient_check

__version__ = "0.1.0"
__all__ = ["backend", "compiled_available", "train", "Training", "gradient_check", "GradientCheck",
           "BACKENDS", "__version__"]
