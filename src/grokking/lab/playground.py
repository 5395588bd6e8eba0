"""The playground's data sets, made in Python exactly as the page makes them in JavaScript.

Two tables from the sources and four sets of points in the plane a learner can see::

    from grokking.lab.playground import data_set
    data = data_set("circles", noise=0.1, train_percent=50, seed=1)
    data.train_rows[0]      # [x, y, 1.0]: a point, and the constant input that acts as a bias
    data.train_targets[0]   # [0.0] or [1.0]

Each point is drawn from ``np.random.RandomState(seed)`` with ``random_sample()``, one number at a
time, by the formulas below; ``lab/playground.js`` draws the same numbers (its own MT19937) with
the same formulas. ``sqrt`` is exact in both languages; ``cos`` and ``sin`` may differ in the last
bit between a browser and C (the browser tests count how often they do). The noise moves each
coordinate by ``noise * (2u - 1)``, always drawn (so the noise slider moves the same points), and
the first ``train_percent`` of the points are for training, the rest for testing.
"""
import math
from dataclasses import dataclass

import numpy as np

from grokking.chapters.ch06_backpropagation import streetlights, walk_vs_stop
from grokking.lessons.sources import X, y_XOR

POINTS = 200
TABLES = {"xor table": (X, y_XOR), "streetlights": (streetlights, [[v] for v in walk_vs_stop])}
PLANES = ("two blobs", "circles", "xor quadrants", "spirals")
NAMES = tuple(TABLES) + PLANES


@dataclass
class DataSet:
    """Rows of inputs and their targets (one list of one number each); the first ``n_train`` train."""
    name: str
    rows: list
    targets: list
    n_train: int

    @property
    def train_rows(self):
        return self.rows[:self.n_train]

    @property
    def train_targets(self):
        return self.targets[:self.n_train]

    @property
    def test_rows(self):
        return self.rows[self.n_train:]

    @property
    def test_targets(self):
        return self.targets[self.n_train:]


def point(name, i, u):
    """Point ``i`` of a plane set: ``(x, y, label)``, drawing its numbers with ``u()``."""
    if name == "two blobs":
        label = i % 2
        r = 0.4 * math.sqrt(u())
        a = 2 * math.pi * u()
        centre = 0.45 if label else -0.45
        return centre + r * math.cos(a), centre + r * math.sin(a), label
    if name == "circles":
        label = i % 2   # 1 inside, 0 on the ring around it
        r = 0.45 * u() if label else 0.65 + 0.35 * u()
        a = 2 * math.pi * u()
        return r * math.cos(a), r * math.sin(a), label
    if name == "xor quadrants":
        x = 0.9 * (2 * u() - 1)
        y = 0.9 * (2 * u() - 1)
        x = x + 0.1 if x >= 0 else x - 0.1   # a gap along the axes
        y = y + 0.1 if y >= 0 else y - 0.1
        return x, y, 1 if x * y > 0 else 0
    if name == "spirals":
        label = i % 2
        t = u()
        r = 0.1 + 0.85 * t
        a = 3 * math.pi * t + label * math.pi
        return r * math.cos(a), r * math.sin(a), label
    raise ValueError(f"data_set: name must be one of {', '.join(map(repr, NAMES))}, got {name!r}")


def data_set(name, noise=0.0, train_percent=50, seed=1, points=POINTS):
    """The data set ``name``; the tables are the sources' own (all for training, no noise)."""
    if name in TABLES:
        rows, targets = TABLES[name]
        return DataSet(name, [[float(v) for v in row] for row in rows],
                       [[float(v) for v in target] for target in targets], len(rows))
    if not 0 <= train_percent <= 100:
        raise ValueError(f"data_set: train_percent must be 0 to 100, got {train_percent}")
    random = np.random.RandomState(seed)

    def u():
        return float(random.random_sample())

    rows, targets = [], []
    for i in range(points):
        x, y, label = point(name, i, u)
        x = x + noise * (2 * u() - 1)
        y = y + noise * (2 * u() - 1)
        rows.append([x, y, 1.0])
        targets.append([float(label)])
    return DataSet(name, rows, targets, points * train_percent // 100)


__all__ = ["data_set", "DataSet", "NAMES", "PLANES", "TABLES", "POINTS"]
