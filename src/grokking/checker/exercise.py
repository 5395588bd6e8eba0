"""What an exercise of ``python -m grokking check`` is: cases, a referee, known mistakes.

An ``Exercise`` is one function the learner writes. Its ``cases`` go from small
to big; its ``referee`` gives the right answer; its ``misconceptions`` are the
known wrong versions, each a runnable variant of the referee with a name and
one sentence. When the learner's answers match a variant (and not the
referee), the report names the mistake.

Exercises come in sheets, one module per stub file of ``exercises/`` in
``checker/sheets/`` (rebuild, batches, convolution, framework); ``sheets``
gathers them all. Everything here runs in the checker's own process, never in
the learner's.
"""
from dataclasses import dataclass, field

KERNEL_TOLERANCE = 1e-12
TRAINING_TOLERANCE = 1e-9
ITERATIONS_PER_TIMEOUT = 5000  # a training call gets one timeout per this many iterations


@dataclass(frozen=True)
class Misconception:
    """A known wrong version of an exercise: a variant of the referee, its name, one sentence."""
    name: str
    explanation: str
    variant: object        # same arguments as the referee -> the wrong answer


@dataclass(frozen=True)
class Case:
    """The arguments of one call, and a note about this input (shown only for failures about inputs)."""
    args: tuple
    note: str = None


def case(*args, note=None):
    return Case(args, note)


@dataclass
class Exercise:
    """One function the learner writes: its signature, its cases, its referee, its known mistakes."""
    name: str
    params: list               # parameter names, for showing a call
    returns: str               # what it returns, in words
    answer: str                # "number", "vector", "matrix" or "matrices"
    cases: object              # () -> list of Case, smallest first
    referee: object            # args -> the right answer
    hint: str
    sheet: str = "rebuild"
    tolerance: float = KERNEL_TOLERANCE
    keywords: bool = False     # show calls as name(param=value, ...)
    shrink: bool = True        # simplify a failing input number by number
    misconceptions: list = field(default_factory=list)
    work: str = None           # the parameter that says how long a call may take (iterations)
    hint_for: str = "numbers"  # the hint fits any wrong numbers, or ("sizes") only answers of wrong sizes

    @property
    def signature(self):
        return f"{self.name}({', '.join(self.params)}) -> {self.returns}"

    def call_text(self, args):
        from .answers import show
        if self.keywords:
            shown = [f"{p}={show(a)}" for p, a in zip(self.params, args)]
        else:
            shown = [show(a) for a in args]
        return f"{self.name}({', '.join(shown)})"

    def weight(self, args):
        """How many timeouts one call may take: one, or one per 5,000 training iterations."""
        if self.work is None:
            return 1.0
        return max(1.0, args[self.params.index(self.work)] / ITERATIONS_PER_TIMEOUT)


EMPTY_NOTE = "an empty input is allowed: there is nothing to add or multiply."


def numpy_kernels():
    """The referee's kernels: ``grokking.backend("numpy")``."""
    import grokking
    return grokking.backend("numpy")


def random_vector(rng, n, scale=10.0):
    """n numbers drawn from rng, uniform in [-scale, scale], 3 decimals: easy to read."""
    return [round(rng.uniform(-scale, scale), 3) for _ in range(n)]


def random_matrix(rng, rows, cols, scale=10.0):
    return [random_vector(rng, cols, scale) for _ in range(rows)]
