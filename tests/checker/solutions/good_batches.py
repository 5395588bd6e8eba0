"""A right batches sheet (the book's chapter 8 network), used by the tests: plain loops and the book's NumPy."""
import numpy as np


def relu(x):
    output = []
    for value in x:
        output.append(value if value > 0 else 0.0)
    return output


def relu2deriv(output):
    return [1.0 if value > 0 else 0.0 for value in output]


def train_batches(images, targets, weights_0_1, weights_1_2, alpha, batch_size):
    images, targets = np.array(images), np.array(targets)
    weights_0_1, weights_1_2 = np.array(weights_0_1), np.array(weights_1_2)
    for i in range(len(images) // batch_size):
        batch_start, batch_end = i * batch_size, (i + 1) * batch_size
        layer_0 = images[batch_start:batch_end]
        layer_1 = np.maximum(layer_0.dot(weights_0_1), 0)
        layer_2 = layer_1.dot(weights_1_2)
        layer_2_delta = (targets[batch_start:batch_end] - layer_2) / batch_size
        layer_1_delta = layer_2_delta.dot(weights_1_2.T) * (layer_1 > 0)
        weights_1_2 += alpha * layer_1.T.dot(layer_2_delta)
        weights_0_1 += alpha * layer_0.T.dot(layer_1_delta)
    return [weights_0_1, weights_1_2]
