"""The deep learning framework of the book's chapter 13, on the package's own kernels.

    >>> from grokking.framework import Tensor
    >>> x = Tensor([[1.0, 2.0]], autograd=True, backend="pure")
    >>> w = Tensor([[0.5], [-0.25]], autograd=True, backend="pure")
    >>> loss = x.mm(w).sum(0)          # 1 * 0.5 + 2 * -0.25 = 0
    >>> loss.backward()
    >>> w.grad.data                    # how the loss moves with each weight: x
    [[1.0], [2.0]]

A ``Tensor`` remembers which tensors made it (``creators``) and how
(``creation_op``); ``backward()`` walks that record back and fills in every
``.grad``. Every operation is one of the kernels of chapters 1-11 (pure
Python lists, the Cython twin or NumPy: ``backend=``), so the framework is
nothing but the loops you already know, remembered and replayed backwards.

- ``tensor.py``: the Tensor and its operations (the forward pass);
- ``autograd.py``: how each operation sends its gradient back, and ``backward``;
- ``form.py`` / ``rows.py``: numbers in each backend's form; what has no kernel;
- ``layers.py``: Layer, Linear, Sequential, Tanh, Sigmoid, Relu, Embedding,
  RNNCell, LSTMCell; ``losses.py``: MSELoss, CrossEntropyLoss; ``optim.py``: SGD;
- ``gradients.py``: ``check_gradients``, autograd checked by finite differences;
- ``book.py``: ``book_ids``, the random draws of the book's tensors, to follow
  its printed numbers.
"""
from .book import book_ids
from .gradients import check_gradients
from .layers import Embedding, Layer, Linear, LSTMCell, Relu, RNNCell, Sequential, Sigmoid, Tanh
from .losses import CrossEntropyLoss, MSELoss
from .optim import SGD
from .tensor import Tensor

__all__ = ["Tensor", "Layer", "Linear", "Sequential", "Tanh", "Sigmoid", "Relu", "Embedding",
           "RNNCell", "LSTMCell", "MSELoss", "CrossEntropyLoss", "SGD", "check_gradients",
           "book_ids"]
