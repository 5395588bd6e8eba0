"""The right framework sheet the tests start from: exercises/framework.py with Tensor.backward written.

``framework()`` is that file as text; ``framework((old, new), ...)`` the same with
lines of the backward changed, as a learner's mistake has them.
"""
from pathlib import Path

FRAMEWORK_STUB = Path(__file__).parents[2] / "exercises" / "framework.py"
STUB_BACKWARD = '''        "sigmoid", "tanh", "cross_entropy".
        """
        raise NotImplementedError("your turn")
'''
FRAMEWORK_BACKWARD = '''        if not self.autograd:
            return
        if grad is None:
            grad = Tensor(np.ones_like(self.data))
        if grad_origin is not None:
            self.children[grad_origin.id] -= 1
        if self.grad is None:
            self.grad = grad
        else:
            self.grad += grad
        if self.creators is None:
            return
        if grad_origin is not None and not self.all_children_grads_accounted_for():
            return
        c = self.creators
        op = self.creation_op
        if op == "add":
            c[0].backward(self.grad, self)
            c[1].backward(self.grad, self)
        elif op == "mul":
            c[0].backward(self.grad * c[1], self)
            c[1].backward(self.grad * c[0], self)
        elif op.startswith("sum"):
            dim = int(op.split("_")[1])
            c[0].backward(self.grad.expand(dim, c[0].data.shape[dim]), self)
        elif op.startswith("expand"):
            dim = int(op.split("_")[1])
            c[0].backward(self.grad.sum(dim), self)
        elif op == "transpose":
            c[0].backward(self.grad.transpose(), self)
        elif op == "mm":
            c[0].backward(self.grad.mm(Tensor(c[1].data.T)), self)
            c[1].backward(self.grad.transpose().mm(c[0]).transpose(), self)
        elif op == "sigmoid":
            c[0].backward(Tensor(self.grad.data * self.data * (1 - self.data)), self)
        elif op == "tanh":
            c[0].backward(Tensor(self.grad.data * (1 - self.data * self.data)), self)
        elif op == "cross_entropy":
            rows = len(self.target_dist)
            c[0].backward(Tensor(self.grad.data * (self.softmax_output - self.target_dist) / rows), self)
'''


def framework(*changes):
    """exercises/framework.py with a backward filled in; changes: (a line as written, as the learner has it)."""
    body = FRAMEWORK_BACKWARD
    for old, new in changes:
        assert old in body, old
        body = body.replace(old, new)
    stub = FRAMEWORK_STUB.read_text()
    assert STUB_BACKWARD in stub
    return stub.replace(STUB_BACKWARD, STUB_BACKWARD.replace(
        '        raise NotImplementedError("your turn")\n', body))
