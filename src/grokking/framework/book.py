"""The random draws of the book's ``Tensor``, for following its printed numbers.

Every tensor the book makes draws an id: ``np.random.randint(0, 100000)``.
Our tensors draw nothing (the graph is the same every run). But those draws
move ``np.random`` along, so after ``np.random.seed(0)`` the book's second
layer gets different weights than ours would. To get the book's numbers,
make the same draws where the book's tensors were made::

    np.random.seed(0)
    data = Tensor([[0, 0], [0, 1], [1, 0], [1, 1]], autograd=True)
    target = Tensor([[0], [1], [0], [1]], autograd=True)
    book_ids(2)                    # the book's data and target drew two ids
    first = Linear(2, 3)
    book_ids(2)                    # ... its weight and bias two more
    second = Linear(3, 1)
"""
import numpy as np


def book_ids(count, rng=None):
    """Draw ``count`` ids as the book's ``Tensor`` did (``randint(0, 100000)``), and return them."""
    generator = np.random if rng is None else rng
    return [int(generator.randint(0, 100000)) for _ in range(count)]
