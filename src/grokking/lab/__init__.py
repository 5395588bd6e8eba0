"""The lab: see gradient descent move, offline, in a browser (and the chapters as notebooks).

``python -m grokking lab [DIR]`` writes one self-contained HTML page per lab:

1. one weight, one input (chapter 2, book chapter 4): the error parabola and the ball;
2. the error surface of chapter 7's 2-weight network, with the path from a start you click;
3. chapter 7's alpha sweep with 4 and 32 hidden nodes, and each weight's direction changes;
4. digits (chapters 9-11): training curves per recipe, and the best network's view of each test digit.
5. the playground (chapters 6 and 7): a network trained live in the browser by kernels.js, with
   the numbers of ``grokking.networks.playground`` on the data of ``playground.data_set``.

- ``numbers``: what each lab replays, computed with the package's kernels;
- ``playground``: the playground's data sets, as its page makes them (public: its scripts import it);
- ``page``: a lab as one HTML file (the ``.html``, ``.css`` and ``.js`` files beside it, and its numbers);
- ``command``: the ``lab`` command; ``notebook``: the ``notebook`` command.
"""
