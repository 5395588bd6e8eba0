"""A right convolution sheet (the book's chapter 10 im2col), used by the tests: plain loops."""


def get_image_section(image, row_from, row_to, col_from, col_to):
    section = []
    for r in range(row_from, row_to):
        for c in range(col_from, col_to):
            section.append(image[r][c])
    return section


def image_patches(image, kernel_rows, kernel_cols):
    patches = []
    for r in range(len(image) - kernel_rows + 1):
        for c in range(len(image[0]) - kernel_cols + 1):
            patches.append(get_image_section(image, r, r + kernel_rows, c, c + kernel_cols))
    return patches
