"""The checker names known mistakes: each one, made the way a learner makes it, is named.

Every misconception in the exercises' tables is a runnable variant of the
referee. Here each is met by a wrong solution written as a learner would write
it (loops, the blog's ``nonlin``, the book's chapter 8 code), not by a copy of
the variant, and the report must name exactly that mistake.
"""
import json
import textwrap
from pathlib import Path

import numpy as np
import pytest

from grokking.checker import command as check, sheets as check_sheets
from grokking.checker.sheets import rebuild as check_rebuild
from grokking.checker.answers import READERS, first_difference

from .solved import FRAMEWORK_STUB, framework

BLOG_HEAD = """\
import numpy as np

def nonlin(x, deriv=False):
    if deriv:
        return x * (1 - x)
    return 1 / (1 + np.exp(-x))
"""

TWO_LAYER = BLOG_HEAD + """
def train_2_layer(X, y, iterations, seed):
    X = np.array(X)
    y = np.array(y)
    np.random.seed(seed)
    syn0 = 2 * np.random.random({shape}) - 1
    for iter in range(iterations):
        l0 = X
        l1 = nonlin(np.dot(l0, syn0))
        l1_error = y - l1
        l1_delta = l1_error * nonlin({slope_of}, True)
        syn0 {step} np.dot(l0.T, l1_delta)
    return syn0
"""

THREE_LAYER = BLOG_HEAD + """
def train_3_layer(X, y, hidden, iterations, seed):
    X = np.array(X)
    y = np.array(y)
    np.random.seed(seed)
    {draws}
    for j in range(iterations):
        l0 = X
        l1 = nonlin(np.dot(l0, syn0))
        l2 = nonlin(np.dot(l1, syn1))
        l2_error = y - l2
        l2_delta = l2_error * nonlin(l2, deriv=True)
        {backward}
    return [syn0, syn1]
"""
DRAWS = "syn0 = 2*np.random.random((X.shape[1], hidden)) - 1\n    syn1 = 2*np.random.random((hidden, 1)) - 1"
BACKWARD = """l1_error = l2_delta.dot(syn1.T)
        l1_delta = l1_error * nonlin(l1, deriv=True)
        syn1 += l1.T.dot(l2_delta)
        syn0 += l0.T.dot(l1_delta)"""

BATCHES = """\
import numpy as np

def relu2deriv(output):
    return {relu2deriv}

def train_batches(images, targets, weights_0_1, weights_1_2, alpha, batch_size):
    images, labels = np.array(images), np.array(targets)
    weights_0_1, weights_1_2 = np.array(weights_0_1), np.array(weights_1_2)
    for i in range(int(np.ceil(len(images) / batch_size))):
        batch_start, batch_end = i * batch_size, (i + 1) * batch_size
        layer_0 = images[batch_start:batch_end]
        layer_1 = np.maximum(np.dot(layer_0, weights_0_1), 0)
        layer_2 = np.dot(layer_1, weights_1_2)
        {update}
    return [weights_0_1, weights_1_2]
"""
UPDATE = """layer_2_delta = (labels[batch_start:batch_end] - layer_2) / {divide}
        layer_1_delta = layer_2_delta.dot(weights_1_2.T) * relu2deriv(layer_1)
        weights_1_2 += {alpha}layer_1.T.dot(layer_2_delta)
        weights_0_1 += {alpha}layer_0.T.dot(layer_1_delta)"""
RIGHT_RELU2DERIV = "output > 0"


def batches(relu2deriv=RIGHT_RELU2DERIV, divide="batch_size", alpha="alpha * ", loop=False):
    update = UPDATE.format(divide=divide, alpha=alpha)
    if loop:   # the book's slip: the update inside `for k in range(batch_size)`
        update = "for k in range(batch_size):\n            " + update.replace("\n", "\n    ")
    return BATCHES.format(relu2deriv=relu2deriv, update=update)


MISTAKES = {   # id: (exercise, the mistake it must be named as, the learner's file)
    "outer_prod rows from vec_b": ("outer_prod", "outer_prod transposed", """\
        def outer_prod(vec_a, vec_b):
            out = []
            for b in vec_b:
                row = []
                for a in vec_a:
                    row.append(a * b)
                out.append(row)
            return out
        """),
    "ele_mul as the book writes it": ("ele_mul", "a fixed-size output [0, 0, 0]", """\
        def ele_mul(number, vector):
            output = [0, 0, 0]
            for i in range(len(vector)):
                output[i] = number * vector[i]
            return output
        """),
    "vect_mat_mul as the book writes it": ("vect_mat_mul", "one output per input", """\
        def w_sum(a, b):
            output = 0
            for i in range(len(a)):
                output += a[i] * b[i]
            return output

        def vect_mat_mul(vect, matrix):
            output = [0] * len(vect)
            for i in range(len(vect)):
                output[i] = w_sum(vect, matrix[i])
            return output
        """),
    "vect_mat_mul over columns": ("vect_mat_mul", "weights read as columns", """\
        def vect_mat_mul(vect, matrix):
            output = []
            for i in range(len(matrix[0])):
                total = 0
                for j in range(len(vect)):
                    total += vect[j] * matrix[j][i]
                output.append(total)
            return output
        """),
    "gd_step delta = goal - pred": ("gd_step", "the gradient step with the wrong sign", """\
        def gd_step(weights, input, goal_pred, alpha):
            pred = sum(w * x for w, x in zip(weights, input))
            delta = goal_pred - pred
            return [w - alpha * delta * x for w, x in zip(weights, input)]
        """),
    "gd_step without alpha": ("gd_step", "alpha forgotten", """\
        def gd_step(weights, input, goal_pred, alpha):
            pred = 0
            for i in range(len(input)):
                pred += input[i] * weights[i]
            delta = pred - goal_pred
            new_weights = []
            for i in range(len(weights)):
                new_weights.append(weights[i] - delta * input[i])
            return new_weights
        """),
    "2 layers, nonlin of the weighted sum": ("train_2_layer", "the sigmoid slope from the input",
                                             TWO_LAYER.format(shape="(X.shape[1], 1)", step="+=",
                                                              slope_of="np.dot(l0, syn0)")),
    "2 layers, syn0 -=": ("train_2_layer", "the gradient step with the wrong sign",
                          TWO_LAYER.format(shape="(X.shape[1], 1)", step="-=", slope_of="l1")),
    "2 layers, the blog's (3, 1)": ("train_2_layer", "a hard-coded input size",
                                    TWO_LAYER.format(shape="(3, 1)", step="+=", slope_of="l1")),
    "3 layers, nonlin of the weighted sums": (
        "train_3_layer", "the sigmoid slope from the input", THREE_LAYER.format(
            draws=DRAWS, backward=BACKWARD).replace("nonlin(l2, deriv=True)",
                                                    "nonlin(np.dot(l1, syn1), deriv=True)")
        .replace("nonlin(l1, deriv=True)", "nonlin(np.dot(l0, syn0), deriv=True)")),
    "3 layers, layer 1's slope from its sum": (
        "train_3_layer", "layer 1's sigmoid slope from its weighted sum", THREE_LAYER.format(
            draws=DRAWS, backward=BACKWARD).replace("nonlin(l1, deriv=True)",
                                                    "nonlin(np.dot(l0, syn0), deriv=True)")),
    "3 layers, layer 2's slope from its sum": (
        "train_3_layer", "layer 2's sigmoid slope from its weighted sum", THREE_LAYER.format(
            draws=DRAWS, backward=BACKWARD).replace("nonlin(l2, deriv=True)",
                                                    "nonlin(np.dot(l1, syn1), deriv=True)")),
    "3 layers, layer 2's slope in layer 1": (
        "train_3_layer", "layer 1's delta with layer 2's slope", THREE_LAYER.format(
            draws=DRAWS, backward=BACKWARD).replace("l1_error * nonlin(l1, deriv=True)",
                                                    "l1_error * nonlin(l2, deriv=True)")),
    "3 layers, layer 2's delta into syn0": (
        "train_3_layer", "synapse_0 updated with layer 2's delta", THREE_LAYER.format(
            draws=DRAWS, backward=BACKWARD).replace("syn0 += l0.T.dot(l1_delta)",
                                                    "syn0 += l0.T.dot(l2_delta)")),
    "3 layers, syn0 -=": ("train_3_layer", "synapse_0 stepped the wrong way", THREE_LAYER.format(
        draws=DRAWS, backward=BACKWARD.replace("syn0 +=", "syn0 -="))),
    "3 layers, syn1 -=": ("train_3_layer", "synapse_1 stepped the wrong way", THREE_LAYER.format(
        draws=DRAWS, backward=BACKWARD.replace("syn1 +=", "syn1 -="))),
    "3 layers, -= both": ("train_3_layer", "the gradient step with the wrong sign",
                          THREE_LAYER.format(draws=DRAWS, backward=BACKWARD.replace("+=", "-="))),
    "3 layers, X.shape[1] but the blog's 4 hidden": (
        "train_3_layer", "a hard-coded input size", THREE_LAYER.format(
            draws="syn0 = 2*np.random.random((3, 4)) - 1\n    syn1 = 2*np.random.random((4, 1)) - 1",
            backward=BACKWARD)),
    "3 layers, syn1 drawn first": ("train_3_layer", "weights drawn in another order", THREE_LAYER.format(
        draws="syn1 = 2*np.random.random((hidden, 1)) - 1\n    "
              "syn0 = 2*np.random.random((X.shape[1], hidden)) - 1", backward=BACKWARD)),
    "3 layers, syn0 drawn (hidden, inputs)": ("train_3_layer", "weights drawn in another shape",
                                              THREE_LAYER.format(draws=DRAWS.replace(
                                                  "2*np.random.random((X.shape[1], hidden)) - 1",
                                                  "(2*np.random.random((hidden, X.shape[1])) - 1).T"),
                                                  backward=BACKWARD)),
    "3 layers, syn1 updated before backprop": ("train_3_layer",
                                               "backprop through the already-updated weights",
                                               THREE_LAYER.format(draws=DRAWS, backward="""\
syn1 += l1.T.dot(l2_delta)
        l1_error = l2_delta.dot(syn1.T)
        l1_delta = l1_error * nonlin(l1, deriv=True)
        syn0 += l0.T.dot(l1_delta)""")),
    "relu2deriv as ints of >=": ("relu2deriv", "the book's relu2deriv with >=", """\
        def relu2deriv(output):
            return [int(x >= 0) for x in output]
        """),
    "batches with the book's relu2deriv": ("train_batches", "the book's relu2deriv with >=",
                                           batches(relu2deriv="output >= 0")),
    "batches, the delta summed": ("train_batches", "the delta not divided by the batch size",
                                  batches(divide="1")),
    "batches, the book's update loop": ("train_batches", "the batch update applied once per example",
                                        batches(loop=True)),
    "batches without alpha": ("train_batches", "alpha forgotten", batches(alpha="")),
}


def diagnosis(capsys, tmp_path, exercise, source):
    path = tmp_path / "mine.py"
    path.write_text(textwrap.dedent(source))
    status = check.main([str(path), "--only", exercise, "--json"])
    record = json.loads(capsys.readouterr().out)["exercises"][0]
    assert status == 1 and record["status"] == "failed", record
    return [found["name"] for found in record["diagnosis"]], record


@pytest.mark.parametrize("key", MISTAKES)
def test_a_learners_mistake_is_named(key, capsys, tmp_path):
    exercise, mistake, source = MISTAKES[key]
    names, record = diagnosis(capsys, tmp_path, exercise, source)
    assert names == [mistake], record
    assert record["hint"] is None     # the named mistake takes the place of the general hint


def test_the_right_versions_of_those_files_pass(capsys, tmp_path):
    sources = {"train_2_layer": TWO_LAYER.format(shape="(X.shape[1], 1)", step="+=", slope_of="l1"),
               "train_batches": batches()}
    for exercise, source in sources.items():
        (tmp_path / "right.py").write_text(source)
        assert check.main([str(tmp_path / "right.py"), "--only", exercise]) == 0
        assert "1 of 1 passed" in capsys.readouterr().out


def test_the_three_layer_file_without_a_mistake_is_right_on_the_short_runs():
    """(In this process, without the 60,000-iteration case: good.py passes that one in test_check.)"""
    namespace = {}
    exec(THREE_LAYER.format(draws=DRAWS, backward=BACKWARD), namespace)
    exercise = check_sheets.BY_NAME["train_3_layer"]
    for case in exercise.cases():
        if exercise.weight(case.args) <= 1.0:
            mine = READERS["matrices"](namespace["train_3_layer"](*case.args))
            right = READERS["matrices"](exercise.referee(*case.args))
            assert first_difference(right, mine, exercise.tolerance) is None, case.args


def test_every_mistake_in_the_tables_has_a_learner_who_makes_it():
    tabled = {(e.name, m.name) for e in check_sheets.EXERCISES for m in e.misconceptions}
    met = {(exercise, mistake) for exercise, mistake, _ in
           list(MISTAKES.values()) + list(FRAMEWORK_MISTAKES.values())
           + list(CONVOLUTION_MISTAKES.values())}
    assert tabled == met


def test_a_mistake_that_is_none_of_the_known_ones_is_not_named(capsys, tmp_path):
    names, record = diagnosis(capsys, tmp_path, "gd_step", """\
        def gd_step(weights, input, goal_pred, alpha):
            pred = sum(w * x for w, x in zip(weights, input))
            return [w - alpha * (pred - goal_pred) * x * 2 for w, x in zip(weights, input)]
        """)
    assert names == []
    assert record["hint"].startswith("pred = w_sum(input, weights)")


@pytest.mark.parametrize("exercise", [e for e in check_sheets.EXERCISES if e.misconceptions],
                         ids=lambda e: e.name)
def test_each_variant_differs_from_the_referee_somewhere(exercise):
    """A variant that always agrees with the referee could never be told apart, nor be named."""
    cases = [c for c in exercise.cases() if exercise.weight(c.args) <= 1.0]
    read = READERS[exercise.answer]
    for mistake in exercise.misconceptions:
        differs = False
        for case in cases:
            right = read(exercise.referee(*case.args))
            try:
                wrong = read(mistake.variant(*case.args))
            except Exception:        # e.g. a hard-coded size on another size: it raises
                differs = True
                continue
            differs = differs or first_difference(right, wrong, exercise.tolerance) is not None
        assert differs, mistake.name


def test_the_blog_network_without_a_mistake_is_the_referee():
    for exercise in (check_sheets.BY_NAME["train_2_layer"], check_sheets.BY_NAME["train_3_layer"]):
        for case in exercise.cases():
            if exercise.weight(case.args) > 1.0:
                continue
            X, y, *rest = case.args
            hidden = rest[0] if exercise.name == "train_3_layer" else 0
            iterations, seed = rest[-2:]
            mine = check_rebuild.blog_network(X, y, hidden, iterations, seed)
            right = exercise.referee(*case.args)
            right = right if hidden else [right]
            assert first_difference([np.asarray(m).tolist() for m in right], mine, 1e-9) is None


# -- the framework sheet: the learner fills in Tensor.backward of exercises/framework.py -------

FRAMEWORK_MISTAKES = {
    "mul times itself": ("mul_backward", "mul backward with its own value", framework(
        ("self.grad * c[1], self)", "self.grad * c[0], self)"),
        ("self.grad * c[0], self)\n        elif", "self.grad * c[1], self)\n        elif"))),
    "mm: grad.mm(b)": ("mm_backward", "mm backward transposed", framework(
        ("self.grad.mm(Tensor(c[1].data.T))", "self.grad.mm(c[1])"))),
    "mm: without the last transpose": ("mm_backward", "mm backward transposed", framework(
        ("self.grad.transpose().mm(c[0]).transpose()", "self.grad.transpose().mm(c[0])"))),
    "sum: expanded the other way": ("sum_backward", "sum backward along the other dim", framework(
        ("self.grad.expand(dim, ", "self.grad.expand(1 - dim, "))),
    "expand: summed the other way": ("expand_backward", "expand backward summed along the other dim",
                                     framework(("self.grad.sum(dim)", "self.grad.sum(1 - dim)"))),
    "sigmoid: the input's slope": ("sigmoid_backward", "the sigmoid slope from the input", framework(
        ("self.grad.data * self.data * (1 - self.data)",
         "self.grad.data * c[0].data * (1 - c[0].data)"))),
    "tanh: the input's slope": ("tanh_backward", "the tanh slope from the input", framework(
        ("(1 - self.data * self.data)", "(1 - c[0].data ** 2)"))),
    "tanh: 1 - out": ("tanh_backward", "the tanh slope without the square", framework(
        ("(1 - self.data * self.data)", "(1 - self.data)"))),
    "cross entropy as the book": ("cross_entropy_backward",
                                  "the book's cross-entropy gradient, not divided by the rows",
                                  framework(("Tensor(self.grad.data * (self.softmax_output - "
                                             "self.target_dist) / rows)",
                                             "Tensor(self.softmax_output - self.target_dist)"))),
    "used twice: the last gradient wins": (
        "used_twice_backward", "gradient not accumulated for a tensor used twice", framework(
            ("        if self.grad is None:\n            self.grad = grad\n        else:\n"
             "            self.grad += grad\n", "        self.grad = grad\n"),
            ("        if grad_origin is not None and not self.all_children_grads_accounted_for():\n"
             "            return\n", ""))),
    "used twice: the first gradient stays": (
        "used_twice_backward", "gradient not accumulated for a tensor used twice", framework(
            ("        else:\n            self.grad += grad\n", ""),
            ("        if grad_origin is not None and not self.all_children_grads_accounted_for():\n"
             "            return\n", ""))),
    "a tensor in the middle sends its running total": (
        "reused_backward", "a tensor in the middle sends its running total on every call", framework(
            ("        if grad_origin is not None and not self.all_children_grads_accounted_for():\n"
             "            return\n", ""))),
}


@pytest.mark.parametrize("key", FRAMEWORK_MISTAKES)
def test_a_framework_mistake_is_named(key, capsys, tmp_path):
    exercise, mistake, source = FRAMEWORK_MISTAKES[key]
    names, record = diagnosis(capsys, tmp_path, exercise, source)
    assert mistake in names and set(names) == {mistake}, record


def test_the_framework_filled_in_passes_and_the_stub_is_not_done(capsys, tmp_path):
    (tmp_path / "right.py").write_text(framework())
    assert check.main([str(tmp_path / "right.py")]) == 0, capsys.readouterr().out
    assert "13 of 13 passed" in capsys.readouterr().out
    assert check.main([str(FRAMEWORK_STUB)]) == 1
    out = capsys.readouterr().out
    assert out.count("[todo]") == 13 and "0 of 13 passed" in out


# -- the convolution sheet: get_image_section and image_patches (im2col) ----------------------

GOOD_CONVOLUTION = (Path(__file__).parent / "solutions" / "good_convolution.py").read_text()
SECTION, IMAGE_PATCHES = ("\n\ndef " + part for part in GOOD_CONVOLUTION.split("\n\ndef ")[1:])

CONVOLUTION_MISTAKES = {
    "section column by column": ("get_image_section", "the section read column by column", """
def get_image_section(image, row_from, row_to, col_from, col_to):
    return [image[r][c] for c in range(col_from, col_to) for r in range(row_from, row_to)]
"""),
    "section up to row_to included": ("get_image_section", "row_to and col_to included", """
def get_image_section(image, row_from, row_to, col_from, col_to):
    section = []
    for r in range(row_from, row_to + 1):
        for c in range(col_from, col_to + 1):
            section.append(image[r][c])
    return section
"""),
    "patches with the book's range": ("image_patches", "one position short (the book's range)",
                                      SECTION + IMAGE_PATCHES.replace(" + 1):", "):")),
    "patches column by column": ("image_patches", "positions top to bottom first", SECTION + """
def image_patches(image, kernel_rows, kernel_cols):
    patches = []
    for c in range(len(image[0]) - kernel_cols + 1):
        for r in range(len(image) - kernel_rows + 1):
            patches.append(get_image_section(image, r, r + kernel_rows, c, c + kernel_cols))
    return patches
"""),
}


@pytest.mark.parametrize("key", CONVOLUTION_MISTAKES)
def test_a_convolution_mistake_is_named(key, capsys, tmp_path):
    exercise, mistake, source = CONVOLUTION_MISTAKES[key]
    names, record = diagnosis(capsys, tmp_path, exercise, source)
    assert names == [mistake], record


def test_the_convolution_sheet_right_passes_and_its_stubs_are_not_done(capsys, tmp_path):
    (tmp_path / "right.py").write_text(SECTION + IMAGE_PATCHES)
    assert check.main([str(tmp_path / "right.py")]) == 0, capsys.readouterr().out
    assert "2 of 2 passed" in capsys.readouterr().out
    stubs = Path(__file__).parents[2] / "exercises" / "convolution.py"
    assert check.main([str(stubs)]) == 1
    assert capsys.readouterr().out.count("[todo]") == 2
