"""The convolution sheet of ``python -m grokking check``: cutting an image into patches (im2col).

``exercises/convolution.py`` asks for the book's chapter 10 ``get_image_section``
and for ``image_patches``, every ``kernel_rows x kernel_cols`` section of an
image, one row each (the table the book calls im2col). The referee is
``grokking.networks.convolution`` (chapter 12); each known mistake is a variant of it.

This runs in the checker's own process, never in the learner's.
"""
import random

from ..exercise import Exercise, Misconception, case

SHEET = "convolution"
STUB = "exercises/convolution.py"
REFEREE = "grokking.networks.convolution"


def get_image_section(image, row_from, row_to, col_from, col_to):
    from grokking.networks import convolution
    return convolution.get_image_section(image, row_from, row_to, col_from, col_to)


def image_patches(image, kernel_rows, kernel_cols):
    from grokking.networks import convolution
    return convolution.image_patches(image, kernel_rows, kernel_cols)


def _by_columns(image, row_from, row_to, col_from, col_to):
    return [float(image[r][c]) for c in range(col_from, col_to) for r in range(row_from, row_to)]


def _row_to_included(image, row_from, row_to, col_from, col_to):
    return [float(image[r][c]) for r in range(row_from, row_to + 1) for c in range(col_from, col_to + 1)]


def _one_position_short(image, kernel_rows, kernel_cols):
    rows, cols = len(image), len(image[0])
    return [get_image_section(image, r, r + kernel_rows, c, c + kernel_cols)
            for r in range(rows - kernel_rows) for c in range(cols - kernel_cols)]


def _positions_by_columns(image, kernel_rows, kernel_cols):
    rows, cols = len(image), len(image[0])
    return [get_image_section(image, r, r + kernel_rows, c, c + kernel_cols)
            for c in range(cols - kernel_cols + 1) for r in range(rows - kernel_rows + 1)]


def _image(rows, cols):
    """1, 2, 3, ... row after row: every pixel says where it is (so no shrinking to zeros)."""
    return [[float(r * cols + c + 1) for c in range(cols)] for r in range(rows)]


def _section_cases():
    rng = random.Random(30)
    cases = [case([[1.0]], 0, 1, 0, 1), case(_image(2, 2), 0, 2, 0, 1), case(_image(2, 2), 0, 1, 0, 2),
             case(_image(3, 3), 1, 3, 0, 2), case(_image(3, 4), 0, 2, 1, 3)]
    for rows, cols in [(4, 4), (5, 3), (8, 8)]:
        image = [[round(rng.uniform(0, 16)) * 1.0 for _ in range(cols)] for _ in range(rows)]
        for _ in range(2):
            row_from, col_from = rng.randrange(rows), rng.randrange(cols)
            cases.append(case(image, row_from, rng.randint(row_from + 1, rows),
                              col_from, rng.randint(col_from + 1, cols)))
    return cases


def _patches_cases():
    rng = random.Random(31)
    cases = [case(_image(2, 2), 1, 1), case(_image(2, 2), 2, 2), case(_image(1, 3), 1, 2),
             case(_image(3, 1), 2, 1), case(_image(3, 3), 2, 2),
             case(_image(3, 4), 2, 2), case(_image(4, 3), 3, 2)]
    image = [[round(rng.uniform(0, 16)) * 1.0 for _ in range(8)] for _ in range(8)]
    cases += [case(image, 3, 3), case(image, 2, 4)]
    return cases


EXERCISES = [
    Exercise("get_image_section", ["image", "row_from", "row_to", "col_from", "col_to"], "list",
             "vector", _section_cases, get_image_section,
             "the pixels image[r][c] for r from row_from up to (not including) row_to, and for "
             "each r, c from col_from up to col_to: row after row, as one flat list.",
             sheet=SHEET, shrink=False, misconceptions=[
                 Misconception("the section read column by column",
                               "the pixels came column after column; read them row after row "
                               "(the book's reshape of layer[:, row_from:row_to, col_from:col_to]).",
                               _by_columns),
                 Misconception("row_to and col_to included",
                               "the section went one row and one column too far: row_to and col_to "
                               "are one PAST the last, as in a slice.", _row_to_included)]),
    Exercise("image_patches", ["image", "kernel_rows", "kernel_cols"], "list of rows", "matrix",
             _patches_cases, image_patches,
             "one get_image_section per position of the kernel: r from 0 to len(image) - kernel_rows "
             "INCLUDED, and for each r every c likewise, left to right, then top to bottom.",
             sheet=SHEET, shrink=False, misconceptions=[
                 Misconception("one position short (the book's range)",
                               "the last row and column of positions are missing, as with the book's "
                               "range(28 - kernel_rows): a kernel fits len(image) - kernel_rows + 1 "
                               "times down.", _one_position_short),
                 Misconception("positions top to bottom first",
                               "the patches came column of positions by column; go left to right "
                               "along each row of positions, then down.", _positions_by_columns)]),
]
