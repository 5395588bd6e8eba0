"""Every exercise ``python -m grokking check`` knows, sheet by sheet, and where each sheet's stubs are.

One module per stub file of ``exercises/``, in the book's order: ``rebuild``
(chapter 5 and the "11 lines" posts), ``batches`` (chapter 8), ``convolution``
(chapter 10), ``framework`` (chapter 13). Each has ``SHEET``, ``STUB``,
``REFEREE`` (what its answers are checked against, in words) and ``EXERCISES``.
"""
from . import batches, convolution, framework, rebuild

MODULES = [rebuild, batches, convolution, framework]
EXERCISES = [exercise for module in MODULES for exercise in module.EXERCISES]
BY_NAME = {exercise.name: exercise for exercise in EXERCISES}
SHEETS = {module.SHEET: module.EXERCISES for module in MODULES}
STUB_FILES = {module.SHEET: module.STUB for module in MODULES}
REFEREES = {module.SHEET: module.REFEREE for module in MODULES}


def load_referees():
    """Let every referee answer its first case, before any learner's code runs.

    That imports all they use (grokking.train, .networks, .framework, the numpy
    kernels) into the checker's process first: a learner's file that rewrites
    those files on disk while it loads cannot change a referee afterwards.
    """
    for exercise in EXERCISES:
        exercise.referee(*exercise.cases()[0].args)
