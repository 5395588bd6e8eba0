"""Hostile input for every public function, on every backend.

``values`` makes the arguments (numbers, vectors, matrices, and everything a
learner might pass by mistake), ``oracle`` says what each backend must do with
them, and ``run`` drives the cases: ``python -m tests.fuzz.run --cases 10000``.
The pytest files here run a bounded number of cases in a *subprocess*, so that a
crash of the compiled extension shows up as a failed test, not a dead test run.
"""
