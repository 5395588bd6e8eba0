"""Check autograd's gradients by nudging every number (finite differences).

``check_gradients(loss_of, tensors)`` asks autograd for the gradient of
``loss_of()`` with respect to each tensor, then measures the same slopes
without any calculus, with the package's ``gradient_check``: nudge one number
up by ``eps``, down by ``eps``, and see how the loss moved. When autograd is
right the two agree to about 1e-9 or better.

    >>> from grokking.framework import Tensor
    >>> w = Tensor([[0.5, -0.2], [0.1, 0.3]], autograd=True, backend="pure")
    >>> x = Tensor([[1.0, 2.0]], backend="pure")
    >>> checks = check_gradients(lambda: x.mm(w).tanh().sum(1).sum(0), [w])
    >>> checks[0].max_relative_difference < 1e-7
    True
"""
from numbers import Real

from ..networks.gradcheck import gradient_check
from . import form

FUNC = "check_gradients"


def _number(loss):
    """The one number a loss holds (a one-number Tensor, or a plain number)."""
    if isinstance(loss, Real):
        return float(loss)
    shape = getattr(loss, "shape", None)
    if shape != (1,):
        raise ValueError(f"{FUNC}: loss_of() must give one number (a tensor of shape (1,)), "
                         f"got shape {shape}")
    return float(loss.tolist()[0])


def check_gradients(loss_of, tensors, eps=1e-6, floor=1e-7):
    """Compare autograd's gradient of ``loss_of()`` with measured slopes, tensor by tensor.

    loss_of: a function of no arguments that builds the graph afresh from
        ``tensors`` and returns the loss (a one-number tensor);
    tensors: the tensors (with ``autograd=True``) to check the gradient of;
    eps: how far each number is nudged;
    floor: slopes smaller than this are compared as absolute numbers (a
        measured slope carries rounding noise of about ``1e-16 * loss / eps``:
        a large graph with tiny gradients wants a larger floor).

    Returns one ``GradientCheck`` per tensor, in order (``.max_relative_difference``,
    ``.numeric``, ``.analytic``, ``.passed(tolerance)``). Every tensor's
    ``data`` is as it was afterwards; its ``.grad`` holds autograd's gradient.
    """
    if not callable(loss_of):
        raise TypeError(f"{FUNC}: loss_of must be a function that builds the loss, got {loss_of!r}")
    tensors = list(tensors)
    for i, tensor in enumerate(tensors):
        if not getattr(tensor, "autograd", False):
            raise ValueError(f"{FUNC}: tensors[{i}] has no autograd, so it has no gradient to check")
        if tensor.creators is not None:
            raise ValueError(f"{FUNC}: tensors[{i}] was made by an operation ({tensor.creation_op!r}): "
                             f"loss_of makes it afresh, so nudging it changes nothing; check the "
                             f"tensors it is made from")
    for tensor in tensors:
        tensor.zero_grad()
    loss = loss_of()
    _number(loss)
    loss.backward()
    checks = []
    for tensor in tensors:
        analytic = (tensor.grad.data if tensor.grad is not None
                    else form.filled(tensor.shape, 0.0, tensor.k))
        original = tensor.data

        def loss_at(numbers, tensor=tensor):
            tensor.data = numbers
            return _number(loss_of())

        try:
            checks.append(gradient_check(loss_at, original, analytic, eps=eps, floor=floor))
        finally:
            tensor.data = original
    return checks
