"""Is this really the gradient? Check it by nudging each weight (a finite-difference check).

The slope of the loss along one weight can be measured without any calculus:
nudge that weight up by a tiny ``eps``, then down by ``eps``, and see how much
the loss changed:

    numeric slope = (loss(weight + eps) - loss(weight - eps)) / (2 * eps)

If a formula for the gradient (the "analytic" gradient, what backpropagation
computes) is right, it agrees with these measured slopes to many digits. If it
is wrong, even for one weight, the check says which weight and by how much.

    >>> loss = lambda w: (2.0 * w[0] + 3.0 * w[1] - 1.0) ** 2
    >>> w = [0.5, 0.5]                       # error = 1.5, d loss/d w = 2 * 1.5 * [2, 3]
    >>> check = gradient_check(loss, w, [6.0, 9.0])
    >>> check.max_relative_difference < 1e-8
    True
    >>> round(gradient_check(loss, w, [9.0, 6.0]).max_relative_difference, 6)  # swapped: wrong
    0.333333
"""
import math
from numbers import Real
from typing import NamedTuple

from ..kernels import inputs

__all__ = ["gradient_check", "GradientCheck"]

FUNC = "gradient_check"


class GradientCheck(NamedTuple):
    """What ``gradient_check`` found; the lists have the shape of the weights.

    max_relative_difference: the worst ``relative_difference`` over all weights.
    numeric: the slopes measured by nudging each weight.
    analytic: the gradient that was checked (as floats).
    relative_difference: ``|analytic - numeric| / max(|analytic|, |numeric|, floor)`` per weight.
    """
    max_relative_difference: float
    numeric: list
    analytic: list
    relative_difference: list

    def passed(self, tolerance=1e-6):
        """True when every weight's relative difference is at most ``tolerance``."""
        return self.max_relative_difference <= tolerance


def _is_matrix(x):
    """A list of rows (or a 2-D array) rather than a list of numbers."""
    if getattr(x, "ndim", None) is not None:
        return x.ndim == 2
    try:
        return len(x) > 0 and hasattr(x[0], "__len__") and not isinstance(x[0], (str, bytes))
    except TypeError:
        return False


def _read(x, name):
    """``(rows, is_matrix)``: ``x`` as fresh lists of floats (a vector is one row)."""
    if _is_matrix(x):
        return inputs.matrix(x, name, FUNC), True
    return [inputs.vector(x, name, FUNC)], False


def _shape(rows, is_matrix):
    if is_matrix:
        return (len(rows), len(rows[0]) if rows else 0)
    return (len(rows[0]),)


def _as_given(rows, is_matrix, like):
    """Fresh weights for ``loss``: an array if the caller gave an array, else lists."""
    if hasattr(like, "ndim") and hasattr(like, "copy"):
        import numpy as np
        return np.array(rows if is_matrix else rows[0], dtype=np.float64)
    return [list(row) for row in rows] if is_matrix else list(rows[0])


def _loss_at(loss, rows, is_matrix, like):
    value = loss(_as_given(rows, is_matrix, like))
    if not isinstance(value, Real) and not (hasattr(value, "ndim") and value.ndim == 0):
        raise TypeError(f"{FUNC}: loss must return one number, got {inputs.describe(value)}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{FUNC}: loss returned {value}; it must be finite at the weights checked")
    return value


def _check_step(eps, floor):
    """``(eps, floor)`` as Python floats, or a clear error."""
    checked = []
    for name, value in (("eps", eps), ("floor", floor)):
        value = inputs.number(value, name, FUNC)
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"{FUNC}: {name} must be a positive number, got {value}")
        checked.append(value)
    return checked


def gradient_check(loss, weights, analytic_grad, eps=1e-6, floor=1e-7):
    """Compare ``analytic_grad`` with the slopes of ``loss`` measured by nudging each weight.

    loss: a function of the weights returning one number (it gets a fresh copy
        each call, in the same form as ``weights``: lists, or a NumPy array).
    weights: the point to check at: a list of numbers or a list of rows (or a
        1-D/2-D array). It is never changed.
    analytic_grad: the gradient to check, the same shape as ``weights``.
    eps: how far each weight is nudged, up and down.
    floor: slopes smaller than this are compared as absolute numbers, so that
        a true zero slope plus rounding noise does not count as a difference.

    Returns a ``GradientCheck``; ``.max_relative_difference`` near 1e-9 or below
    means the gradient is right, near 1 means it is wrong.
    """
    if not callable(loss):
        raise TypeError(f"{FUNC}: loss must be a function of the weights, got {inputs.describe(loss)}")
    eps, floor = _check_step(eps, floor)
    rows, is_matrix = _read(weights, "weights")
    if not rows or not rows[0]:
        raise ValueError(f"{FUNC}: weights is empty; there is nothing to check")
    grad, grad_is_matrix = _read(analytic_grad, "analytic_grad")
    if _shape(grad, grad_is_matrix) != _shape(rows, is_matrix):
        raise ValueError(f"{FUNC}: weights has shape {_shape(rows, is_matrix)} but analytic_grad "
                         f"has shape {_shape(grad, grad_is_matrix)}; they must be the same")
    for i, row in enumerate(rows):
        for j, w in enumerate(row):
            if not math.isfinite(w):
                where = f"[{i}][{j}]" if is_matrix else f"[{j}]"
                raise ValueError(f"{FUNC}: weights{where} is {w}; every weight must be finite")

    numeric = [[0.0] * len(row) for row in rows]
    relative = [[0.0] * len(row) for row in rows]
    for i, row in enumerate(rows):
        for j, w in enumerate(row):
            row[j] = w + eps
            up = _loss_at(loss, rows, is_matrix, weights)
            row[j] = w - eps
            down = _loss_at(loss, rows, is_matrix, weights)
            row[j] = w  # put it back before nudging the next weight
            numeric[i][j] = (up - down) / (2.0 * eps)
            a, n = grad[i][j], numeric[i][j]
            relative[i][j] = abs(a - n) / max(abs(a), abs(n), floor)

    def shaped(table):
        return table if is_matrix else table[0]

    worst = max(max(row) for row in relative)
    return GradientCheck(worst, shaped(numeric), shaped(grad), shaped(relative))
