"""Every exercise ``python -m grokking check`` knows, sheet by sheet, and where each sheet's stubs are."""
from .. import exercise as check_exercises
from . import convolution as check_convolution, framework as check_framework

EXERCISES = check_exercises.EXERCISES + check_convolution.EXERCISES + check_framework.EXERCISES
BY_NAME = {exercise.name: exercise for exercise in EXERCISES}
SHEETS = {}
for _exercise in EXERCISES:
    SHEETS.setdefault(_exercise.sheet, []).append(_exercise)
STUB_FILES = dict(check_exercises.STUB_FILES, **{check_convolution.SHEET: check_convolution.STUB,
                                                 check_framework.SHEET: check_framework.STUB})


def load_referees():
    """Let every referee answer its first case, before any learner's code runs.

    That imports all they use (grokking.train, .network, .framework, .convolution,
    the numpy kernels) into the checker's process first: a learner's file that
    rewrites those files on disk while it loads cannot change a referee afterwards.
    """
    for exercise in EXERCISES:
        exercise.referee(*exercise.cases()[0].args)
