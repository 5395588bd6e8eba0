"""The deep learning framework of the book's chapter 13, on the package's own kernels (being written)."""
