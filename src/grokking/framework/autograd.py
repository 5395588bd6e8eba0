"""``backward``: how each operation sends its gradient back, and the walk through the graph.

The book's ``backward`` calls itself on each creator, and counts children so
that a tensor used twice waits for both gradients. That recursion stops at
Python's recursion limit (about 1,000 operations deep: an RNN over a long
story), and the children are counted by random ids (``np.random.randint``),
drawn from the same generator as the weights.

Here the walk is a plain loop, in two steps:

1. list every tensor the result was made from, each after all the tensors it
   was made from ("topological order"), with an explicit stack instead of
   recursion: a graph 10,000 operations deep is no problem;
2. go through that list from the result back to the leaves. When a tensor's
   turn comes, every tensor made from it has already sent its share, so its
   gradient is complete (the sum of all the shares): the child counting of
   the book, done by the order of the walk.

Each rule below gets the tensor ``node`` (its creators, its numbers) and the
gradient ``grad`` that reached it, and gives one gradient per creator: the
chain rule, written with the same kernels as the forward pass. (A creator
without autograd gets nothing: its share is thrown away, or not computed.)
"""
from ..kernels import KERNELS, inputs
from . import form, rows


def _ones(k, n):
    return form.filled((n,), 1.0, k)


def _add(node, grad, k):
    # d(a + b)/da = 1 and d(a + b)/db = 1: both get the gradient as it is
    return grad, grad


def _sub(node, grad, k):
    return grad, k.ele_mul(-1.0, grad)


def _neg(node, grad, k):
    return (k.ele_mul(-1.0, grad),)


def _mul(node, grad, k):
    a, b = node.creators
    # d(a * b)/da = b, d(a * b)/db = a, element by element
    return k.vec_mul(grad, b.data), k.vec_mul(grad, a.data)


def _sum_0(node, grad, k):
    (a,) = node.creators
    if len(a.shape) == 1:  # a vector added up into one number: every element gets it
        return (k.ele_mul(grad[0], _ones(k, a.shape[0])),)
    # each column's total came from every row: the gradient is copied to every row
    return (k.outer_prod(_ones(k, a.shape[0]), grad),)


def _sum_1(node, grad, k):
    (a,) = node.creators
    # each row's total came from every column: copied to every column
    return (k.outer_prod(grad, _ones(k, a.shape[1])),)


def _expand_0(node, grad, k):
    # the vector was copied into every row: add the gradients of all the rows
    return (k.vect_mat_mul(_ones(k, form.shape_of(grad)[0]), k.transpose(grad)),)


def _expand_1(node, grad, k):
    # the vector was copied into every column: add up each row's gradients
    return (k.vect_mat_mul(_ones(k, form.shape_of(grad)[1]), grad),)


def _transpose(node, grad, k):
    return (k.transpose(grad),)


def _mm(node, grad, k):
    a, b = node.creators
    # layer_1_delta = layer_2_delta . weights.T ; weight_delta = layer_1.T . layer_2_delta
    # (a matrix product costs the most: skipped for a creator that wants no gradient, such as
    # the input data of a Linear layer; a weight used at every time step is transposed once)
    return (k.mat_mul(grad, k.transpose_once(b.data)) if a.autograd else None,
            k.mat_mul(k.transpose_once(a.data), grad) if b.autograd else None)


def _sigmoid(node, grad, k):
    return (k.vec_mul(grad, k.sigmoid2deriv(node.data)),)


def _tanh(node, grad, k):
    return (k.vec_mul(grad, k.tanh2deriv(node.data)),)


def _relu(node, grad, k):
    return (k.vec_mul(grad, k.relu2deriv(node.data)),)


def _index_select(node, grad, k):
    (a,) = node.creators
    # each row picked goes back to where it came from; a row picked twice gets both
    zeros = form.filled(a.shape, 0.0, k)
    return (rows.add_at(a.shape, node.index_select_indices, grad, zeros),)


def _softmax(node, grad, k):
    raise ValueError("backward: no gradient goes back through softmax (as in the book); "
                     "train with cross_entropy, which does the softmax itself")


def _cross_entropy(node, grad, k):
    # the gradient of the mean of -log(softmax) is (softmax - target) / rows. The book sends
    # back (softmax - target) without the "/ rows" (the gradient of the *sum*): with our exact
    # gradient, alpha * rows takes the book's steps (bit for bit when rows is a power of 2).
    batch = form.shape_of(node.softmax_output)[0]
    return (k.ele_mul(grad[0] / batch, k.vec_sub(node.softmax_output, node.target_dist)),)


RULES = {
    "add": _add, "sub": _sub, "neg": _neg, "mul": _mul,
    "sum_0": _sum_0, "sum_1": _sum_1, "expand_0": _expand_0, "expand_1": _expand_1,
    "transpose": _transpose, "mm": _mm,
    "sigmoid": _sigmoid, "tanh": _tanh, "relu": _relu,
    "index_select": _index_select, "softmax": _softmax, "cross_entropy": _cross_entropy,
}
TWO_CREATORS = ("add", "sub", "mul", "mm")  # every other operation has one creator
KEEPS_MORE = {"index_select": "the indices it picked", "cross_entropy": "the softmax and the targets"}


def made_by_hand(creation_op, creators):
    """Refuse a hand-made ``Tensor(data, creators=..., creation_op=...)`` its ``backward`` cannot use:
    the wrong number of creators for ``creation_op``, or an operation that keeps more than its
    creators (which only the operation itself can fill in)."""
    wanted = 2 if creation_op in TWO_CREATORS else 1
    if creators != wanted:
        raise ValueError(f"Tensor: creation_op {creation_op!r} is made from {wanted} tensor"
                         f"{'s' if wanted == 2 else ''}, but creators has {creators}")
    if creation_op in KEEPS_MORE:
        raise ValueError(f"Tensor: creation_op {creation_op!r} keeps {KEEPS_MORE[creation_op]} "
                         f"for backward, which a tensor made by hand does not have; make it with "
                         f"tensor.{creation_op}(...)")


def in_order(result):
    """Every tensor with autograd that ``result`` was made from (``result`` too), each one
    listed after all the tensors it was made from. A loop with a stack, no recursion."""
    order, seen = [], set()
    stack = [(result, False)]
    while stack:
        tensor, creators_done = stack.pop()
        if creators_done:
            order.append(tensor)
            continue
        if id(tensor) in seen:
            continue
        seen.add(id(tensor))
        stack.append((tensor, True))  # comes back here once its creators are listed
        for creator in tensor.creators or ():
            if creator.autograd and id(creator) not in seen:
                stack.append((creator, False))
    return order


def _start(tensor, grad):
    """The gradient to start from, as numbers in ``tensor``'s form (ones when None)."""
    if grad is None:
        return form.filled(tensor.shape, 1.0, tensor.k)
    if hasattr(grad, "k") and hasattr(grad, "data"):  # a Tensor
        if grad.k.name != tensor.k.name:
            raise ValueError(f"backward: grad lives on the {grad.k.name} backend but the tensor "
                             f"on {tensor.k.name}; make them with the same backend=")
        data = form.copy(grad.data)
    else:
        data = form.read(grad, tensor.k, "backward")
    if tuple(form.shape_of(data)) != tensor.shape:
        raise ValueError(f"backward: the tensor has shape {form.in_words(tensor.shape)} but grad "
                         f"has shape {form.in_words(form.shape_of(data))}; they must be the same")
    return data


class OneWalk:
    """The kernels ``k`` for one backward walk, with ``transpose_once``: a tensor's numbers
    transposed once, however many times the walk asks.

    An RNN or an LSTM uses each weight matrix at every time step, and the ``mm`` rule needs
    its transpose at each: 16 steps back, 16 copies of the same 512 x 512 matrix. Nothing
    changes a tensor's numbers during the walk, so the first copy serves them all; the next
    walk starts again (``SGD.step`` or the learner may have changed them in between).
    """

    def __init__(self, k):
        for name in KERNELS:
            setattr(self, name, getattr(k, name))
        self.name = k.name
        self.transposed = {}   # id(numbers) -> (numbers, their transpose); kept for the walk

    def transpose_once(self, data):
        found = self.transposed.get(id(data))
        if found is None:
            found = self.transposed[id(data)] = (data, self.transpose(data))
        return found[1]


def backward(result, grad=None):
    """Fill in ``.grad`` of every tensor ``result`` was made from (see ``Tensor.backward``)."""
    if not getattr(result, "autograd", False):
        raise ValueError(f"backward: this tensor (shape {form.in_words(result.shape)}) was made "
                         f"without autograd, so nothing was recorded to send gradients back "
                         f"through; make the tensors you learn with autograd=True")
    k = OneWalk(result.k)
    grads = {id(result): _start(result, grad)}
    order = in_order(result)
    _unchanged_since_made(order)
    for tensor in reversed(order):
        g = grads.pop(id(tensor))
        _keep(tensor, g)
        if tensor.creators is None:
            continue
        rule = RULES.get(tensor.creation_op)
        if rule is None:
            raise ValueError(f"backward: no rule for creation_op {tensor.creation_op!r}; "
                             f"the operations are {', '.join(RULES)}")
        for creator, share in zip(tensor.creators, rule(tensor, g, k)):
            if not creator.autograd:  # a share for it, if any, goes nowhere
                continue
            earlier = grads.get(id(creator))
            if earlier is None and share is g:  # "add" passes its gradient on: a copy, never shared
                share = form.copy(g)
            grads[id(creator)] = share if earlier is None else k.vec_add(earlier, share)


def _unchanged_since_made(order):
    """A RuntimeError, before any ``.grad`` is touched, if ``SGD.step`` changed a tensor of the
    graph after a result was made from it (the graph's numbers are then out of date)."""
    for tensor in order:
        if tensor.creators is None:
            continue
        for creator, version in zip(tensor.creators, tensor.creator_versions):
            if creator.version != version:
                raise RuntimeError(
                    f"backward: the graph is out of date: SGD.step changed a tensor of shape "
                    f"{form.in_words(creator.shape)} after the graph was made from it, so the graph's "
                    f"numbers come from the old weights and its gradients would fit neither the old "
                    f"nor the new ones; run the forward pass again (predict, compare), then backward")


def _keep(tensor, grad):
    """Set ``tensor.grad``: leaves add into what they hold; the others hold this gradient."""
    made = type(tensor).made_by
    if tensor.creators is None and tensor.grad is not None:
        if tuple(tensor.grad.shape) != tensor.shape:
            raise ValueError(f"backward: {inputs.describe(tensor.grad.data)} in .grad does not "
                             f"have the tensor's shape {tensor.shape}; zero_grad() it first")
        tensor.grad = made(tensor.k.vec_add(tensor.grad.data, grad), tensor.k)
    elif tensor.creators is None:  # a copy: the gradient may be shared with other tensors
        tensor.grad = made(form.copy(grad), tensor.k)
    else:
        tensor.grad = made(grad, tensor.k)
