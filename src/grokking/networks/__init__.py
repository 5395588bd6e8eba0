"""The networks the chapters train, each written with the kernels of a chosen backend.

- ``rows``: batch helpers that are not kernels (argmax, softmax, one-hot, reshaping);
- ``loops``, ``train``: the "11 lines" network, its training loops and ``grokking.train``;
  ``training.pyx`` is the whole loop compiled, the twin of ``loops.train_python``;
- ``digits``: the book's chapter 8 network on the 8x8 digits (``Recipe``, ``DigitNetwork``,
  ``train_digits``); ``digits_epoch.pyx`` is its epoch compiled, the twin of ``DigitNetwork``;
- ``convolution``, ``federated``, ``paillier``, ``text``: chapters 12, 17 and 14-16's pieces;
- ``gradcheck``: the finite-difference check of any gradient.

May import: ``grokking.kernels`` and ``grokking.datasets``. Nothing above (framework,
lessons, checker, lab, tools, chapters).
"""
