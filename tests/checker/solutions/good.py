"""A correct rebuild, used by the tests: plain loops for the kernels, the blog's NumPy for the networks."""
import numpy as np


def w_sum(a, b):
    output = 0.0
    for i in range(len(a)):
        output += a[i] * b[i]
    return output


def ele_mul(number, vector):
    output = [0.0] * len(vector)
    for i in range(len(vector)):
        output[i] = number * vector[i]
    return output


def vect_mat_mul(vect, matrix):
    output = [0.0] * len(matrix)
    for i in range(len(matrix)):
        output[i] = w_sum(vect, matrix[i])
    return output


def outer_prod(vec_a, vec_b):
    output = [[0.0] * len(vec_b) for _ in vec_a]
    for i in range(len(vec_a)):
        for j in range(len(vec_b)):
            output[i][j] = vec_a[i] * vec_b[j]
    return output


def gd_step(weights, input, goal_pred, alpha):
    pred = w_sum(input, weights)
    delta = pred - goal_pred
    weight_deltas = ele_mul(delta, input)
    return [weights[i] - alpha * weight_deltas[i] for i in range(len(weights))]


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def train_2_layer(X, y, iterations, seed):
    X, y = np.array(X), np.array(y)
    np.random.seed(seed)
    synapse_0 = 2 * np.random.random((X.shape[1], 1)) - 1
    for _ in range(iterations):
        layer_1 = sigmoid(np.dot(X, synapse_0))
        layer_1_delta = (y - layer_1) * (layer_1 * (1 - layer_1))
        synapse_0 += np.dot(X.T, layer_1_delta)
    return synapse_0


def train_3_layer(X, y, hidden, iterations, seed):
    X, y = np.array(X), np.array(y)
    np.random.seed(seed)
    synapse_0 = 2 * np.random.random((X.shape[1], hidden)) - 1
    synapse_1 = 2 * np.random.random((hidden, 1)) - 1
    for _ in range(iterations):
        layer_1 = sigmoid(np.dot(X, synapse_0))
        layer_2 = sigmoid(np.dot(layer_1, synapse_1))
        layer_2_delta = (y - layer_2) * (layer_2 * (1 - layer_2))
        layer_1_delta = layer_2_delta.dot(synapse_1.T) * (layer_1 * (1 - layer_1))
        synapse_1 += layer_1.T.dot(layer_2_delta)
        synapse_0 += X.T.dot(layer_1_delta)
    return [synapse_0, synapse_1]
