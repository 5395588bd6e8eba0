"""``python -m grokking check FILE``: grade a learner's rebuild, one program in one folder.

- ``command``: the command line;
- ``verdict``: what was found for one exercise (``Verdict``, its ``Outcome``), as report lines and JSON;
- ``exercise``: what an exercise is (cases, referee, misconceptions);
- ``sheets/``: one module per sheet of ``exercises/`` (rebuild, batches, convolution, framework);
- ``grading``: runs the cases, compares, shrinks a wrong case, finds the misconception;
- ``worker``: the separate process that loads the learner's file and only answers calls;
- ``answers``: how answers cross between the two processes, and how they are compared.

May import everything below it: kernels, datasets, networks, framework, lessons.
Nothing imports the checker but ``grokking.__main__``.
"""
