"""What the chapters that read (14, 15, 16) share: their short run and their bAbI sentences.

Each chapter trains on bAbI stories (``grokking.datasets.load_babi``). A whole run
takes seconds on the cython and numpy backends and a few minutes on pure; a short
run (for a quick look, for the tests and for the notebooks) uses fewer sentences
and fewer steps:

    --short        the chapter's short run

A notebook has no command line: there ``GROKKING_SHORT=1`` gives the same (set it
before starting Jupyter). The option on the command line wins.
"""
import os

import numpy as np

from ..datasets import load_babi
from .lesson import begin, command_line, parser
from ..networks.text import words_of

ENVIRONMENT = "GROKKING_SHORT"


def start_text(doc, argv=None, options=None, more=None):
    """``(lesson, short)``: the shared options, plus --short.

    options: the chapter's ``Options`` (what --trace and --plot do in it), as for ``start``.
    more: a function that adds the chapter's own options to the parser; their values are
    then in ``lesson.args``.
    """
    chapter = parser(doc, options)
    chapter.add_argument("--short", action="store_true",
                         help=f"a short run: fewer sentences and steps (default: {ENVIRONMENT}=1)")
    if more is not None:
        more(chapter)
    args = chapter.parse_args(command_line() if argv is None else argv)
    short = args.short
    if not short and os.environ.get(ENVIRONMENT, ""):
        value = os.environ[ENVIRONMENT]
        if value not in ("0", "1"):
            raise SystemExit(f"{ENVIRONMENT} must be 0 or 1, got {value!r}")
        short = value == "1"
    lesson = begin(args, options)
    lesson.args = args
    return lesson, short


def babi_sentences(task, split="train"):
    """Every statement of bAbI ``task`` (``split`` "train" or "test"), in file order, as a list of
    words (``words_of``): the questions left out."""
    return [words_of(sentence.text) for story in load_babi(task=task, split=split)
            for sentence in story.sentences]


def babi_questions(task, split="train"):
    """Every question of bAbI ``task`` as ``(question, supporting, answer)``: the question's words,
    the words of each sentence that answers it (a list of lists), and the answer as written."""
    found = []
    for story in load_babi(task=task, split=split):
        by_number = {sentence.number: words_of(sentence.text) for sentence in story.sentences}
        for question in story.questions:
            found.append((words_of(question.text), [by_number[n] for n in question.supporting],
                          question.answer))
    return found


def backend_form(k, numbers):
    """``numbers`` (a vector or a matrix) as the backend reads it fastest: lists of floats for
    pure, a float64 NumPy array for cython and numpy (which would check a list number by number
    at every call)."""
    if k.name == "pure":
        return np.asarray(numbers, dtype=float).tolist()
    return np.array(numbers, dtype=float)


def rows(matrix, indices):
    """The rows of ``matrix`` at ``indices``, in order: a list of rows, or an array for an array."""
    if isinstance(matrix, np.ndarray):
        return matrix[np.asarray(indices, dtype=np.intp)]
    return [matrix[i] for i in indices]
