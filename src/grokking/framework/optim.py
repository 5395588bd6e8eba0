"""Stochastic gradient descent: move every weight a little against its gradient."""
from numbers import Real


class SGD:
    """``weight -= alpha * weight.grad`` for every parameter, with the ``ele_mul``/``vec_sub`` kernels.

    parameters: the tensors to learn (``model.get_parameters()``);
    alpha: the step size (the book's learning rate).
    """

    def __init__(self, parameters, alpha=0.1):
        if isinstance(alpha, bool) or not isinstance(alpha, Real):
            raise TypeError(f"SGD: alpha must be a number, got {alpha!r}")
        self.parameters = list(parameters)
        self.alpha = alpha

    def zero(self):
        """Forget every gradient (``backward`` adds into ``.grad``)."""
        for p in self.parameters:
            p.zero_grad()

    def step(self, zero=True):
        """One step down the slope; then (``zero=True``) forget the gradients, as the book does.

        A parameter without a gradient (it took no part in the loss) stays as it is.
        """
        for p in self.parameters:
            if p.grad is None:
                continue
            p.data = p.k.vec_sub(p.data, p.k.ele_mul(self.alpha, p.grad.data))
            p.version += 1  # a graph made from the old numbers is out of date (backward refuses it)
            if zero:
                p.zero_grad()
