"""Six wrong functions: each answers 0 (or the weights unchanged), whatever it is given."""


def w_sum(a, b):
    return 0.0


def ele_mul(number, vector):
    return [0.0 for _ in vector]


def vect_mat_mul(vect, matrix):
    return [0.0 for _ in matrix]


def outer_prod(vec_a, vec_b):
    return [[0.0 for _ in vec_b] for _ in vec_a]


def gd_step(weights, input, goal_pred, alpha):
    return list(weights)


def train_2_layer(X, y, iterations, seed):
    return [[0.0] for _ in X[0]]
