"""Tools for looking inside: ``bench`` (``python -m grokking bench``: the speed of every backend,
side by side) and ``annotate`` (Cython's annotated HTML of the compiled code).

May import everything below it: kernels, datasets, networks, framework, lessons.
Chapter 8 imports the bench to explain it.
"""
