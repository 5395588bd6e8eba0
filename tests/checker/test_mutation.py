"""No false pass: every one-edit mutant of a right solution fails the check, or is shown harmless.

For each sheet, ``mutants.mutants`` makes every one-edit change of a right
solution (tests/checker/solutions/good*.py; for the framework, the stubs with
``Tensor.backward`` written, ``solved.framework()``), and the checker's own ``grade``
grades each one in this process (``mutants.Grader``). A mutant that passes
must be in ``EQUIVALENT`` below, with the argument that it gives the same
answers as the right solution on every input; a mutant in the list that
fails is an argument gone stale, and fails the test too.
"""
from pathlib import Path

import pytest

from grokking.checker import sheets

from . import mutants
from .solved import framework

SOLUTIONS = Path(__file__).parent / "solutions"
SHEETS = {   # sheet: (right solution, the functions the learner writes)
    "rebuild": ((SOLUTIONS / "good.py").read_text(),
                ["w_sum", "ele_mul", "vect_mat_mul", "outer_prod", "gd_step", "train_2_layer",
                 "train_3_layer"]),
    "batches": ((SOLUTIONS / "good_batches.py").read_text(), ["relu", "relu2deriv", "train_batches"]),
    "convolution": ((SOLUTIONS / "good_convolution.py").read_text(), ["get_image_section", "image_patches"]),
    "framework": (framework(), ["Tensor.backward"]),
}

# Mutants that pass, each with why it computes the same answers as the right solution on every input.
# Keys are Mutant.key: "function:line: edit", the line of the right solution's file.
EQUIVALENT = {
    "rebuild": {
        "ele_mul:13: 0.0 -> 1.0": "output = [1.0] * len(vector): every item is written over in the loop.",
        "vect_mat_mul:20: 0.0 -> 1.0": "output = [1.0] * len(matrix): every item is written over.",
        "outer_prod:27: 0.0 -> 1.0": "output starts as rows of 1.0: every item is written over.",
        "vect_mat_mul:22: arguments 1 and 2 swapped":
            "w_sum(matrix[i], vect): each row is as long as vect, and a * b == b * a in floating "
            "point, added in the same order: the same bits.",
        "gd_step:35: arguments 1 and 2 swapped":
            "w_sum(weights, input): the same length, the same products in the same order.",
    },
    "batches": {
        "relu:8: Gt -> GtE": "value if value >= 0 else 0.0: at 0 it gives the value, 0 (or -0.0, "
                             "which equals 0.0): the same numbers.",
        "train_batches:22: arguments 1 and 2 swapped":
            "np.maximum(0, x) is np.maximum(x, 0): the same element by element, NaN included.",
    },
    "convolution": {},
    "framework": {
        "Tensor.backward:46: statement dropped: if not self.autograd:":
            "a tensor without autograd is never a creator of another (Tensor._made makes a graph "
            "only when every creator has autograd), so backward never reaches one from a graph, "
            "and the sheet's functions call it only on tensors of a graph.",
        "Tensor.backward:59: statement dropped: return": "the same edit: `if not self.autograd: pass`.",
    },
}


def mutation_run(sheet):
    """(the mutants, those the checker passes) for one sheet."""
    source, functions = SHEETS[sheet]
    grader = mutants.Grader(sheets.SHEETS[sheet])
    assert grader.passes(source), f"the right {sheet} solution does not pass"
    made = mutants.mutants(source, functions)
    passed = [m for m in made if grader.passes(m.source, changed=m.function)]
    return made, passed


@pytest.mark.parametrize("sheet", SHEETS)
def test_every_mutant_that_computes_something_else_fails(sheet):
    made, passed = mutation_run(sheet)
    assert len(made) > 20
    unexplained = [m.key for m in passed if m.key not in EQUIVALENT[sheet]]
    assert not unexplained, f"{len(unexplained)} of {len(made)} mutants pass:\n" + "\n".join(unexplained)
    stale = set(EQUIVALENT[sheet]) - {m.key for m in passed}
    assert not stale, f"these are no longer mutants that pass: {stale}"


WAIT = ("        if grad_origin is not None and not self.all_children_grads_accounted_for():\n"
        "            return\n")
BACKWARD_VARIANTS = {   # the two wrong backward passes of issue 21, which the old checker passed
    "sends its running total on every call": framework((WAIT, "")),
    "sends each incoming gradient on, without waiting": framework(
        (WAIT, ""), ("            self.grad += grad\n", "            self.grad.data += grad.data\n"),
        ("        c = self.creators\n", "        c = self.creators\n        self.grad = grad\n")),
}


@pytest.mark.parametrize("variant", BACKWARD_VARIANTS)
def test_a_backward_that_does_not_wait_for_every_child_fails(variant):
    grader = mutants.Grader(sheets.SHEETS["framework"])
    verdicts = grader.verdicts(BACKWARD_VARIANTS[variant])
    assert "failed" in verdicts.values(), verdicts


def test_a_tensor_used_twice_in_the_middle_gets_the_sum_of_its_gradients():
    from grokking.checker.sheets import framework
    assert framework.reused_backward([[1.0, 2.0]], [[3.0, 4.0]], [[1.0, 1.0]]) == [[[6.0, 8.0]],
                                                                                [[2.0, 4.0]]]


def test_a_backward_that_sends_each_gradient_on_as_it_comes_fails_on_the_middle_tensors_gradient():
    """Every backward rule is linear in its gradient, so sending each part on at once (a new tensor
    for the sum, no waiting) gives the leaves the right sums; but d.grad is then only the last part."""
    source = framework((WAIT, ""), ("        c = self.creators\n",
                                    "        c = self.creators\n        self.grad = grad\n"))
    verdicts = mutants.Grader(sheets.SHEETS["framework"]).verdicts(source)
    assert verdicts["diamond_backward"] == "failed", verdicts
