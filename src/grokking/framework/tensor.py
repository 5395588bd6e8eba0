"""The book's ``Tensor``: numbers that remember how they were made.

A tensor holds a vector or a matrix (``.data``). When ``autograd`` is on,
every operation on it makes a new tensor that remembers

- ``creators``: the tensors it was made from, and
- ``creation_op``: how (the book's names: "add", "mm", "sigmoid", ...),

so that ``backward()`` can walk back through everything that was done and
tell each tensor how the final number changes when it changes (``.grad``).
That is all "automatic differentiation" is.

Every operation is done by the kernels of the tensor's backend (``tensor.k``),
the same ``vec_add``, ``mat_mul``, ``sigmoid`` ... as chapters 1-11:

    a + b           vec_add(a, b)
    a - b           vec_sub(a, b)
    -a              ele_mul(-1, a)
    a * b           vec_mul(a, b)                    (element by element)
    a.mm(b)         mat_mul(a, b)                    (a matrix times a matrix)
    a.transpose()   transpose(a)
    a.sum(0)        vect_mat_mul(ones, transpose(a)) (add up the rows)
    a.sum(1)        vect_mat_mul(ones, a)            (add up each row)
    v.expand(0, n)  outer_prod(ones(n), v)           (n copies of v, as rows)
    v.expand(1, n)  outer_prod(v, ones(n))           (n copies of v, as columns)
    a.sigmoid()     sigmoid(a)      a.tanh()  tanh(a)      a.relu()  relu(a)

Picking rows (``index_select``), ``softmax`` and ``cross_entropy`` have no
kernel: ``rows.py`` writes them in plain Python for lists, NumPy for arrays.
How each operation sends its gradient back is in ``autograd.py``.

Unlike the book's tensors, ours have no random ``id``: the graph is the same
every time it is built, and building it draws nothing from ``np.random``.
"""
import numpy as np

from ..kernels import inputs
from . import form, rows
from .autograd import RULES, backward as backward_through, made_by_hand


class Tensor:
    """A vector or a matrix of numbers, and (with ``autograd=True``) how it was made.

    data: a list of numbers (a vector), a list of rows (a matrix), or a 1-D or
        2-D NumPy array. It is copied into the backend's form: lists of floats
        on "pure", a float64 array on "cython" and "numpy".
    autograd: True to track the operations done with this tensor, so that
        ``backward`` can compute its gradient.
    creators, creation_op: which tensors made this one and how (the
        operations fill these in; a tensor you make yourself has None).
    backend: None (``grokking.backend()``: ``GROKKING_BACKEND`` or the usual
        default), "pure", "cython", "numpy", or a kernels module.

    >>> a = Tensor([1, 2, 3], autograd=True, backend="pure")
    >>> b = a + a
    >>> b.creation_op, b.data
    ('add', [2.0, 4.0, 6.0])
    >>> b.backward()
    >>> a.grad.data          # a was used twice: each use sends back a 1
    [2.0, 2.0, 2.0]
    """

    # how many times ``SGD.step`` has changed ``data``: each result remembers its creators'
    # versions (``creator_versions``), and ``backward`` refuses a graph whose tensors changed since
    version = 0

    def __init__(self, data, autograd=False, creators=None, creation_op=None, backend=None):
        if isinstance(data, Tensor):
            raise TypeError("Tensor: data must be numbers (a list, a list of rows or an array), "
                            "got a Tensor; use tensor.data to copy its numbers")
        self.k = form.kernels(backend)
        self.data = form.read(data, self.k)
        self.autograd = bool(autograd)
        self.creators = None
        if creators is not None:
            self.creators = tuple(creators)
            for creator in self.creators:
                self._same_backend(creator, "Tensor")
            if creation_op not in RULES:
                raise ValueError(f"Tensor: creation_op must be one of {', '.join(RULES)} "
                                 f"(how the creators made it), got {creation_op!r}")
            made_by_hand(creation_op, len(self.creators))
            self.creator_versions = tuple([c.version for c in self.creators])
        self.creation_op = creation_op
        self.grad = None

    @classmethod
    def made_by(cls, data, k, creators=None, creation_op=None):
        """A tensor around numbers a kernel has just made (already in ``k``'s form; not copied).

        It tracks gradients when any of its creators does; only then does it
        keep its creators (a tensor without autograd remembers nothing).
        """
        tensor = cls.__new__(cls)
        tensor.k = k
        tensor.data = data
        tensor.grad = None
        tensor.autograd = bool(creators) and any(c.autograd for c in creators)
        tensor.creators = tuple(creators) if tensor.autograd else None
        tensor.creation_op = creation_op if tensor.autograd else None
        if tensor.autograd:
            tensor.creator_versions = tuple([c.version for c in creators])
        return tensor

    # -- what it holds --------------------------------------------------------------------

    @property
    def shape(self):
        """``(n,)`` for a vector of n numbers, ``(rows, columns)`` for a matrix."""
        return tuple(form.shape_of(self.data))

    def tolist(self):
        """The numbers as plain Python lists (a copy)."""
        return form.as_lists(self.data)

    def zero_grad(self):
        """Forget the gradient (``backward`` adds into ``.grad``; this starts again from nothing)."""
        self.grad = None

    def __str__(self):
        # printed as the book prints its NumPy tensors, on every backend: [0.58128304]
        return str(np.asarray(self.data))

    def __repr__(self):
        made = f", creation_op={self.creation_op!r}" if self.creation_op else ""
        return (f"Tensor({self.tolist()}, autograd={self.autograd}{made}, "
                f"backend={self.k.name!r})")

    # -- checks shared by the operations ---------------------------------------------------

    def _same_backend(self, other, op):
        if not isinstance(other, Tensor):
            raise TypeError(f"{op}: the other operand must be a Tensor, got {inputs.describe(other)}")
        if other.k.name != self.k.name:
            raise ValueError(f"{op}: the tensors live on different backends ({self.k.name} and "
                             f"{other.k.name}); make them all with the same backend=")

    def _same_shape(self, other, op):
        self._same_backend(other, op)
        if self.shape != other.shape:
            raise ValueError(f"{op}: a has shape {form.in_words(self.shape)} but b has shape "
                             f"{form.in_words(other.shape)}; they must be the same shape")

    def _matrix(self, op):
        if len(self.shape) != 2:
            raise ValueError(f"{op}: needs a matrix, got shape {form.in_words(self.shape)} "
                             f"(make a vector a 1-row matrix with Tensor([vector]))")

    def _ones(self, n):
        return form.filled((n,), 1.0, self.k)

    # -- the operations --------------------------------------------------------------------

    def __add__(self, other):
        self._same_shape(other, "add (a + b)")
        return Tensor.made_by(self.k.vec_add(self.data, other.data), self.k, (self, other), "add")

    def __sub__(self, other):
        self._same_shape(other, "sub (a - b)")
        return Tensor.made_by(self.k.vec_sub(self.data, other.data), self.k, (self, other), "sub")

    def __neg__(self):
        return Tensor.made_by(self.k.ele_mul(-1.0, self.data), self.k, (self,), "neg")

    def __mul__(self, other):
        self._same_shape(other, "mul (a * b)")
        return Tensor.made_by(self.k.vec_mul(self.data, other.data), self.k, (self, other), "mul")

    def sum(self, dim):
        """Add up along ``dim``: 0 adds the rows together (one number per column), 1 adds up
        each row (one number per row). A vector's ``sum(0)`` is a one-number vector."""
        op = f"sum_{dim}"
        if isinstance(dim, bool) or dim not in (0, 1) or dim >= len(self.shape):
            raise ValueError(f"sum: dim must be 0{' or 1' if len(self.shape) == 2 else ''} for a "
                             f"tensor of shape {form.in_words(self.shape)}, got {dim!r}")
        k = self.k
        if len(self.shape) == 1:
            total = k.w_sum(self.data, self._ones(self.shape[0]))
            return Tensor.made_by(form.filled((1,), total, k), k, (self,), op)
        rows, columns = self.shape
        if dim == 0:
            data = k.vect_mat_mul(self._ones(rows), k.transpose(self.data))
        else:
            data = k.vect_mat_mul(self._ones(columns), self.data)
        return Tensor.made_by(data, k, (self,), op)

    def expand(self, dim, copies):
        """Copy a vector ``copies`` times: as the rows of a matrix (dim 0) or its columns (dim 1).

        Only vectors: a matrix would become 3-D, and the kernels work on vectors
        and matrices (the book's 3-D demo runs on NumPy arrays).
        """
        if isinstance(dim, bool) or dim not in (0, 1):
            raise ValueError(f"expand: dim must be 0 (copies as rows) or 1 (copies as columns), "
                             f"got {dim!r}")
        if isinstance(copies, bool) or not isinstance(copies, (int, np.integer)) or copies < 1:
            raise ValueError(f"expand: copies must be a whole number of at least 1, "
                             f"got {inputs.describe(copies)}")
        if len(self.shape) != 1:
            raise ValueError(f"expand: needs a vector, got shape {form.in_words(self.shape)}: "
                             f"expanding a matrix makes a 3-D tensor, and the kernels work on "
                             f"vectors and matrices")
        ones = self._ones(int(copies))
        if dim == 0:
            data = self.k.outer_prod(ones, self.data)
        else:
            data = self.k.outer_prod(self.data, ones)
        return Tensor.made_by(data, self.k, (self,), f"expand_{dim}")

    def transpose(self):
        """Rows become columns."""
        self._matrix("transpose")
        return Tensor.made_by(self.k.transpose(self.data), self.k, (self,), "transpose")

    def mm(self, other):
        """Matrix times matrix: ``(n, k).mm((k, m))`` is ``(n, m)``, with ``mat_mul``."""
        op = "mm (a.mm(b))"
        self._same_backend(other, op)
        if len(self.shape) != 2 or len(other.shape) != 2 or self.shape[1] != other.shape[0]:
            raise ValueError(f"{op}: a has shape {form.in_words(self.shape)} but b has shape "
                             f"{form.in_words(other.shape)}; both must be matrices and a's "
                             f"columns must match b's rows")
        return Tensor.made_by(self.k.mat_mul(self.data, other.data), self.k, (self, other), "mm")

    def sigmoid(self):
        """``1 / (1 + e^-x)`` of every number, with the ``sigmoid`` kernel."""
        return Tensor.made_by(self.k.sigmoid(self.data), self.k, (self,), "sigmoid")

    def tanh(self):
        """``tanh(x)`` of every number, with the ``tanh`` kernel."""
        return Tensor.made_by(self.k.tanh(self.data), self.k, (self,), "tanh")

    def relu(self):
        """``x`` where positive, else 0, with the ``relu`` kernel."""
        return Tensor.made_by(self.k.relu(self.data), self.k, (self,), "relu")

    def index_select(self, indices):
        """The rows at ``indices`` (of a matrix; the numbers, of a vector), in that order.

        indices: a list of whole numbers or a vector Tensor holding them. This is
        how an ``Embedding`` looks up one row per word.
        """
        chosen = whole_numbers(indices, "index_select", "indices", self.shape[0], self.shape)
        new = Tensor.made_by(rows.take(self.data, chosen), self.k, (self,), "index_select")
        new.index_select_indices = chosen
        return new

    def softmax(self):
        """Each row as probabilities (no gradient goes back through it, as in the book)."""
        return Tensor.made_by(rows.softmax(self.data), self.k, (self,), "softmax")

    def cross_entropy(self, target_indices):
        """The mean over the rows of ``-log(softmax(row)[target])``, as a one-number tensor.

        self: a matrix of scores, one row per example; target_indices: the right
        class of each row (a list of whole numbers or a vector Tensor).

        Its gradient is exact: ``(softmax - target_dist) / rows``. The book sends
        back ``softmax - target_dist``, ``rows`` times more; to take the book's
        steps, use ``alpha * rows`` (the same numbers, bit for bit, when ``rows``
        is a power of 2: 4 rows and alpha 0.1 is alpha 0.4).
        """
        op = "cross_entropy"
        self._matrix(op)
        batch, classes = self.shape
        targets = whole_numbers(target_indices, op, "target_indices", classes, self.shape)
        if len(targets) != batch:
            raise ValueError(f"{op}: the scores have shape {form.in_words(self.shape)} but there "
                             f"are {len(targets)} target indices; there must be one per row")
        softmax_output = rows.softmax(self.data)
        loss = rows.mean_log_loss(self.data, targets)
        out = Tensor.made_by(form.filled((1,), loss, self.k), self.k, (self,), op)
        out.softmax_output = softmax_output
        out.target_dist = rows.one_hot(targets, classes, softmax_output)
        return out

    # -- learning ---------------------------------------------------------------------------

    def backward(self, grad=None):
        """Send gradients back through every operation that made this tensor.

        grad: how the final number changes with this tensor (a Tensor or numbers
            of this tensor's shape); None means ones, as for a loss.

        Each tensor that was used several times gets the sum of what each use
        sends back. Tensors you made (the leaves: weights, inputs) *add* the
        gradient into ``.grad``: call ``backward`` twice through the same graph
        and they hold twice the gradient, until ``zero_grad()`` (or
        ``SGD.step()``) clears them. The tensors in between hold the gradient of
        the latest ``backward``. Every tensor gets a ``.grad`` of its own: no
        two share one.

        Once ``SGD.step()`` has changed a tensor the graph was made from, the
        graph is out of date (its numbers were computed with the old weights),
        and ``backward`` raises ``RuntimeError`` before sending anything: run
        the forward pass again. (Changing ``.data`` yourself is not tracked.)
        """
        backward_through(self, grad)


def whole_numbers(indices, op, name, size, shape):
    """``indices`` checked: each a whole number from 0 to ``size - 1``, or a clear error.

    A list (or a Tensor on "pure") comes back as a list of ints, looked at one
    by one; a NumPy array (or a Tensor on "cython"/"numpy") as an array of
    ints, checked all at once by NumPy. The same mistakes, the same messages.
    """
    if isinstance(indices, Tensor):
        if len(indices.shape) != 1:
            raise ValueError(f"{op}: {name} must be a vector, got shape "
                             f"{form.in_words(indices.shape)}")
        indices = indices.data
    if isinstance(indices, np.ndarray) and indices.dtype.kind in "iuf":
        return _whole_numbers_array(indices, op, name, size, shape)
    values = inputs.vector(indices, name, op) if not isinstance(indices, list) else indices
    if not values:
        raise ValueError(f"{op}: {name} is empty; give at least one")
    if set(map(type, values)) == {int} and 0 <= min(values) and max(values) < size:
        return list(values)   # the usual case (plain ints, in range), checked at once; else one by one
    chosen = []
    for i, value in enumerate(values):
        if isinstance(value, (list, tuple)):
            raise ValueError(f"{op}: {name} must be a vector of whole numbers (1-D), but {name}[{i}] "
                             f"is a list: rows of indices would make a 3-D tensor, and the "
                             f"kernels work on vectors and matrices")
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
                or not float(value).is_integer():
            _not_whole(op, name, i, value)
        value = int(value)
        if not 0 <= value < size:
            _out_of_range(op, name, i, value, size, shape)
        chosen.append(value)
    return chosen


def _whole_numbers_array(values, op, name, size, shape):
    if values.ndim != 1:
        raise ValueError(f"{op}: {name} must be a vector of whole numbers (1-D), got "
                         f"{inputs.describe(values)}: rows of indices would make a 3-D tensor, "
                         f"and the kernels work on vectors and matrices")
    if values.size == 0:
        raise ValueError(f"{op}: {name} is empty; give at least one")
    if values.dtype.kind == "f":
        with np.errstate(invalid="ignore"):
            not_whole = ~np.isfinite(values) | (values != np.floor(values))
        if not_whole.any():
            i = int(np.argmax(not_whole))
            _not_whole(op, name, i, float(values[i]))
    outside = (values < 0) | (values >= size)
    if outside.any():
        i = int(np.argmax(outside))
        _out_of_range(op, name, i, int(values[i]), size, shape)
    return values.astype(np.intp)


def _not_whole(op, name, i, value):
    raise TypeError(f"{op}: {name}[{i}] must be a whole number, got {inputs.describe(value)}")


def _out_of_range(op, name, i, value, size, shape):
    raise IndexError(f"{op}: {name}[{i}] is {value}, out of range for a tensor of shape "
                     f"{form.in_words(shape)}: it must be from 0 to {size - 1}")
