"""The blog's network, right, but with NumPy's random numbers patched to 0.5 everywhere."""
import numpy as np
# --- hostile ---
_RandomState = np.random.RandomState


class Halves(_RandomState):
    def random_sample(self, size=None):
        return np.full(size, 0.5)


np.random.RandomState = Halves
np.random.random = lambda size=None: np.full(size, 0.5)
np.random.random_sample = np.random.random
# --- end ---


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def train_2_layer(X, y, iterations, seed):
    X, y = np.array(X), np.array(y)
    np.random.seed(seed)
    synapse_0 = 2 * np.random.random((X.shape[1], 1)) - 1
    for _ in range(iterations):
        layer_1 = sigmoid(np.dot(X, synapse_0))
        synapse_0 += np.dot(X.T, (y - layer_1) * (layer_1 * (1 - layer_1)))
    return synapse_0
