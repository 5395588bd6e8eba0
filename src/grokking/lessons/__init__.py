"""What the chapters share: their command line, the digits and text helpers, the sources' data.

- ``lesson``: every chapter's options (``--backend``, ``--trace``, ``--plot``), printing and pictures;
- ``digits``, ``text``: the digits chapters' (9-12, 17) and the bAbI chapters' (13-16) set-up;
- ``one_layer``: the one-layer network of chapters 4 and 5, step by step;
- ``sources``: the sources' little data sets (the XOR-like table of "11 lines").

May import: ``grokking.kernels``, ``grokking.datasets``, ``grokking.networks`` and
``grokking.framework``. Nothing above (checker, lab, tools, chapters).
"""
