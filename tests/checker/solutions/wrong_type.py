"""A rebuild that returns the wrong kinds of things (and one NumPy answer, which is fine)."""
import numpy as np


def w_sum(a, b):
    return str(sum(x * y for x, y in zip(a, b)))  # a string, not a number


def ele_mul(number, vector):
    output = [number * v for v in vector]  # forgot to return it: None


def vect_mat_mul(vect, matrix):
    return np.array([np.dot(vect, row) for row in matrix])  # a NumPy array is fine


def outer_prod(vec_a, vec_b):
    return [a * b for a in vec_a for b in vec_b]  # flat, not a list of rows
