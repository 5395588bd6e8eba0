"""Rebuild the book's chapter 10 cutting of an image into patches (im2col), from memory.

A convolutional layer slides a small kernel over the image. To do that with one
matrix product, the book first cuts the image into every kernel-sized section,
each one a row of pixels (``get_image_section``); the table of all of them is
called im2col. Write both, then ask the checker how you did:

    python -m grokking check exercises/convolution.py

The referee is ``grokking.networks.convolution`` (chapter 12). When your answers match a
known mistake (the book's own range stops one position early), the report names
it. To start over another day: ``cp exercises/convolution.py mine_convolution.py``.

In each example below, the line after ``->`` is the answer.
"""


def get_image_section(image, row_from, row_to, col_from, col_to):
    """The pixels of rows row_from..row_to-1 and columns col_from..col_to-1, row after row, as one list.

    image: a list of rows of numbers. row_to and col_to are one PAST the last, as in a slice.

    Example:
        get_image_section([[1, 2, 3], [4, 5, 6], [7, 8, 9]], 1, 3, 0, 2)
        -> [4.0, 5.0, 7.0, 8.0]
    """
    raise NotImplementedError("your turn")


def image_patches(image, kernel_rows, kernel_cols):
    """im2col: every kernel_rows x kernel_cols section of image, one row each.

    Left to right along the top, then the next row of positions down, and so on:
    a 3x3 kernel fits 8 - 3 + 1 = 6 times down and across an 8x8 image, 36 rows.

    Example:
        image_patches([[1, 2, 3], [4, 5, 6], [7, 8, 9]], 2, 2)
        -> [[1.0, 2.0, 4.0, 5.0], [2.0, 3.0, 5.0, 6.0], [4.0, 5.0, 7.0, 8.0], [5.0, 6.0, 8.0, 9.0]]
    """
    raise NotImplementedError("your turn")
