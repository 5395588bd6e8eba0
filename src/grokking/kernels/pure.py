"""The kernels of "Grokking Deep Learning", as plain loops over plain lists.

This file is the teaching text: read it aloud. Each function first hands its
arguments to ``inputs`` (which turns them into fresh lists of floats, or raises
a clear error), then does the arithmetic with a loop you could do by hand.

Vectors are lists of numbers; a matrix is a list of rows. The element-wise
kernels (``ele_mul``, ``vec_add``, ``vec_sub``, ``vec_mul`` and the activations)
take a matrix too: they do each row as a vector, and give back a list of rows.
Every function returns new lists and never changes what it was given.

The imports are named with a leading underscore (``_inputs``, ``_math``): they
are not kernels, so tab completion leaves them out (``dir()`` lists them).
"""
import math as _math

from . import KERNELS as _KERNELS, inputs as _inputs

__all__ = ("name", *_KERNELS, "scalar_sigmoid")

name = "pure"


def w_sum(a, b):
    """Weighted sum: multiply ``a`` and ``b`` element by element, add it all up."""
    a = _inputs.vector(a, "a", "w_sum")
    b = _inputs.vector(b, "b", "w_sum")
    _inputs.same_length(a, b, "a", "b", "w_sum")
    output = 0.0
    for i in range(len(a)):
        output += a[i] * b[i]
    return output


def ele_mul(number, vector):
    """Multiply every element of ``vector`` (or of a matrix) by one ``number``."""
    number = _inputs.number(number, "number", "ele_mul")
    vector = _inputs.vector_or_matrix(vector, "vector", "ele_mul")
    if _inputs.is_matrix(vector):  # a list of rows: each row is a vector
        return [ele_mul(number, row) for row in vector]
    output = [0.0] * len(vector)
    for i in range(len(vector)):
        output[i] = number * vector[i]
    return output


def vect_mat_mul(vect, matrix):
    """One weighted sum per row of the matrix: ``output[i] = w_sum(vect, matrix[i])``."""
    vect = _inputs.vector(vect, "vect", "vect_mat_mul")
    matrix = _inputs.matrix(matrix, "matrix", "vect_mat_mul")
    if matrix:
        _inputs.same_length(vect, matrix[0], "vect", "matrix[0]", "vect_mat_mul")
    output = [0.0] * len(matrix)
    for i in range(len(matrix)):
        output[i] = w_sum(vect, matrix[i])
    return output


def outer_prod(vec_a, vec_b):
    """Every pair multiplied: ``output[i][j] = vec_a[i] * vec_b[j]``."""
    vec_a = _inputs.vector(vec_a, "vec_a", "outer_prod")
    vec_b = _inputs.vector(vec_b, "vec_b", "outer_prod")
    output = [[0.0] * len(vec_b) for _ in vec_a]
    for i in range(len(vec_a)):
        for j in range(len(vec_b)):
            output[i][j] = vec_a[i] * vec_b[j]
    return output


def vec_add(a, b):
    """Element-wise sum ``a + b`` of two vectors (or two matrices) of the same shape."""
    a, b = _inputs.vectors_or_matrices(a, b, "a", "b", "vec_add")
    if _inputs.is_matrix(a):  # two lists of rows: row by row
        return [vec_add(a[i], b[i]) for i in range(len(a))]
    return [a[i] + b[i] for i in range(len(a))]


def vec_sub(a, b):
    """Element-wise difference ``a - b`` of two vectors (or two matrices) of the same shape."""
    a, b = _inputs.vectors_or_matrices(a, b, "a", "b", "vec_sub")
    if _inputs.is_matrix(a):  # two lists of rows: row by row
        return [vec_sub(a[i], b[i]) for i in range(len(a))]
    return [a[i] - b[i] for i in range(len(a))]


def vec_mul(a, b):
    """Element-wise product ``a * b`` of two vectors (or two matrices) of the same shape."""
    a, b = _inputs.vectors_or_matrices(a, b, "a", "b", "vec_mul")
    if _inputs.is_matrix(a):  # two lists of rows: row by row
        return [vec_mul(a[i], b[i]) for i in range(len(a))]
    return [a[i] * b[i] for i in range(len(a))]


def mat_mul(a, b):
    """Matrix product: ``output[i][j]`` is the weighted sum of row i of a and column j of b.

    ``a`` is n rows of k numbers, ``b`` is k rows of m numbers; the answer is
    n rows of m numbers. This is how a whole batch goes through a layer.
    """
    a = _inputs.matrix(a, "a", "mat_mul")
    b = _inputs.matrix(b, "b", "mat_mul")
    if a:
        _inputs.same_length(a[0], b, "a[0]", "b (its rows)", "mat_mul")
    columns = len(b[0]) if b else 0
    output = [[0.0] * columns for _ in a]
    for i in range(len(a)):
        for j in range(columns):
            for k in range(len(b)):
                output[i][j] += a[i][k] * b[k][j]
    return output


def transpose(matrix):
    """Rows become columns: ``output[j][i] = matrix[i][j]``."""
    matrix = _inputs.matrix(matrix, "matrix", "transpose")
    columns = len(matrix[0]) if matrix else 0
    return [[row[j] for row in matrix] for j in range(columns)]


def _each(rule, x, arg, func):
    """Apply ``rule`` to a number, or to every element of a vector (or of a matrix)."""
    if not hasattr(x, "__len__"):
        return rule(_inputs.number(x, arg, func))
    x = _inputs.vector_or_matrix(x, arg, func)
    if _inputs.is_matrix(x):  # a list of rows: each row is a vector
        return [_each(rule, row, arg, func) for row in x]
    return [rule(v) for v in x]


def scalar_sigmoid(x):
    """The sigmoid of one number (``sigmoid`` takes a number, a vector or a matrix)."""
    try:
        return 1.0 / (1.0 + _math.exp(-x))
    except OverflowError:  # e^-x is past the largest float, so the answer is 0
        return 0.0


def sigmoid(x):
    """The S-curve ``1 / (1 + e^-x)``: any number squashed into (0, 1)."""
    return _each(scalar_sigmoid, x, "x", "sigmoid")


def sigmoid2deriv(output):
    """Slope of the sigmoid, from its *output*: ``output * (1 - output)``."""
    return _each(lambda o: o * (1.0 - o), output, "output", "sigmoid2deriv")


def relu(x):
    """``x`` where it is positive, else 0."""
    # "0.0 where v is not positive": -0.0 becomes 0.0 (as NumPy's maximum(v, 0.0) gives),
    # and NaN, which is neither positive nor not, comes back as it went in
    return _each(lambda v: 0.0 if v <= 0.0 else v, x, "x", "relu")


def relu2deriv(output):
    """Slope of relu, from its output: 1 where the output is positive, else 0."""
    return _each(lambda o: 1.0 if o > 0.0 else 0.0, output, "output", "relu2deriv")


def tanh(x):
    """The hyperbolic tangent: any number squashed into (-1, 1)."""
    return _each(_math.tanh, x, "x", "tanh")


def tanh2deriv(output):
    """Slope of tanh, from its output: ``1 - output**2``."""
    return _each(lambda o: 1.0 - o * o, output, "output", "tanh2deriv")


def mean_abs_error(output, target):
    """How far off, on average: the mean of ``|output[i] - target[i]|``."""
    output = _inputs.vector(output, "output", "mean_abs_error")
    target = _inputs.vector(target, "target", "mean_abs_error")
    _inputs.same_length(output, target, "output", "target", "mean_abs_error")
    _inputs.some_numbers(len(output), "output", "target", "mean_abs_error")
    total = 0.0
    for i in range(len(output)):
        total += abs(output[i] - target[i])
    return total / len(output)
