"""Arguments that change *during* a call: a gc callback, a finalizer, a learner's
``__float__``, another thread. Every kernel, every backend; and on cython the
compiled digits epoch (``networks/digits_epoch.pyx``, see "the compiled digits epoch" below).

Why this class of bug exists
----------------------------
Compiled code reads a Python list through *borrowed references*:
``PyList_GET_ITEM(a, i)`` is the address of item i, with no reference of its own
and no check that i is still inside the list. That is safe only while no Python
code runs. But Python code runs in more places than the calls you can see:

- every allocation of a container (a list, a tuple, an object) may start a
  garbage collection, and a collection runs the ``gc.callbacks`` and the
  ``__del__`` of objects caught in unreachable reference cycles: any code at all;
- ``float(x)`` of a float subclass, or of any ``numbers.Real``, runs its
  ``__float__``;
- while Python bytecode runs (the pure backend, ``inputs``), another thread may
  take the GIL every ``sys.getswitchinterval()`` seconds.

If that code clears, shrinks or rewrites an argument after the kernel checked
it, the list's item array may be gone, a row may be shorter, an item may be a
str: reading through the old address crashes (SIGSEGV), or gives whatever lies
in memory there (a garbage number, or an answer still holding the ``None`` it
was filled with). The cure is to read each argument once, into memory the kernel
owns, before anything can run Python code.

A case
------
One kernel, its arguments at sizes 1, 3 and 64 (rows and columns), as lists or
(on cython and numpy) as NumPy arrays; the element-wise kernels (``ele_mul``'s
vector, ``vec_add``, ``sigmoid``, ...) get vectors, and then matrices in their
place (n x n; a sample of those cases, see ``Case.runs``). One argument, the
*target*, is changed once, by one *mutation* (lists: clear, shrink, append, grow
past the list's allocation, a str or None where a float was, a shorter row, a
row that is None or a str, a row cleared or grown, rows reversed; arrays: an
item set, a new shape, flattened, rows reversed), done by one *trigger*:

- ``gc``: a ``gc.callbacks`` entry; with ``gc.set_threshold(1, 1, 1)`` (see
  ``_pad``) every container the call makes starts a collection, and the entry
  changes the target at the n-th one: n = 0 to 7, the middle and the last of a
  quiet call's collections;
- ``del``: the ``__del__`` of an object in a reference cycle, which only a
  collection frees: a chain of n such objects, each made by the previous one's
  ``__del__``, changes the target at about the n-th collection (n = 1, 3, 6,
  the middle, the last);
- ``float``: a float subclass (as the first item of an argument, or as the
  number) or another ``numbers.Real`` (as the last item) whose ``__float__``
  changes the target, the same argument or another;
- ``thread``: another thread, woken as the call starts, changes the target
  after 0 or 300 idle loops, with ``sys.setswitchinterval(5e-6)``; it gives up
  when the call has returned. It can only meet code that lets go of the GIL:
  Python code (``inputs``, pure), not a compiled loop.

Not cases: resizing an array (NumPy refuses while anyone else holds it, and the
caller does), and arrays changed by another thread. NumPy itself reads arrays
without the GIL (``np.dot`` hands them to the BLAS), so that is a data race no
backend can answer for: a new ``.shape`` set then crashed NumPy's own ``dot``
here ("DGEMM parameter number 10 had an illegal value", then ``malloc`` abort).

Where a collection runs depends on the Python, and the triggers fire at that Python's
collections (``_pad`` below; ``middle`` and ``last`` are counted on the Python that runs
the cases). CPython 3.11 collects at the allocation itself: inside any C code that makes a
container, a compiled kernel's too. From 3.12 on, the allocation only asks for a
collection, which runs at the next bytecode boundary of Python code (or in
``PyErr_CheckSignals``): so ``gc`` and ``del`` meet the Python code a call runs (the
``inputs`` and ``arrays`` checks, NumPy's Python functions, the digits epoch's set-up, the
pure backend), between any two of its bytecodes, and never a compiled loop; ``float`` still
reaches into the compiled code. The compiled kernels read lists of floats, and float64
arrays in C order, with no Python code at all: there, from 3.12 on, only ``float`` can
change an argument during the call (``test_mutation`` does not ask ``gc`` and ``del`` to
fire on its matrices there). Measured on the cython backend's 25,686 cases, the change
came during the call in 4,079 of the kernels' 8,640 ``gc`` cases on 3.11 and in 1,198 on
3.13 (the digits epoch: 2,682 and 2,772 of 3,060). The same-error rule holds at both: on
3.13 a collection between ``inputs``' look at an array's ``ndim`` and its ``tolist()``
showed that a check and the read it guards must look at the same shape (``inputs._own_shape``).

What is accepted (``judge``)
----------------------------
The cases run in a child process (``run_backend``), so a crash is a result; the
verdict is made in the parent. A call passes when, with ``before`` the arguments
copied just before the call and ``after`` just after it:

- it returns the answer for ``before`` (the arguments as they were read), or the
  answer for ``after`` (the change came before they were read). The answers are
  pure's for cython on lists, to the bit (the twin promises identical bits);
  otherwise the other side of the pure/NumPy pair, to 1e-12: pure for the numpy
  backend, NumPy for pure and for cython on arrays. All numbers are positive,
  so no sum cancels;
- or it raises exactly what pure raises for ``after``: the same type (TypeError
  or ValueError), the same message, naming the kernel;
- and ``after`` is ``before`` with the mutation done (if it was), nothing else;
  no warning is printed.

Anything else is a failure: ``crash`` (a signal; ``crash reading answer`` if
the call returned and looking at its answer crashed), ``hang``, ``None in
answer``, ``garbage`` (a non-float, the wrong shape, or numbers that are neither
answer), ``wrong error``, ``changed argument``, ``warned``.

``python -m tests.fuzz.mutation --judge --backend cython [--python PY]`` runs
every case and prints the verdicts per kernel and trigger (``--python`` runs the
cases with another build, e.g. an old one, to see what it did).
"""
import argparse
import base64
import collections
import dataclasses
import gc
import hashlib
import itertools
import marshal
import numbers
import pickle
import queue
import random
import re
import reprlib
import signal
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

import numpy as np

from grokking.kernels import KERNELS

ROOT = Path(__file__).resolve().parents[2]
SIZES = (1, 3, 64)
TRIGGERS = ("gc", "del", "float", "thread")
FIRE_AT = {                        # gc, del: change the target at the n-th collection
    "gc": (0, 1, 2, 3, 4, 5, 6, 7, "middle", "last"),
    "del": (1, 3, 6, "middle", "last"),   # the same windows as gc: a few are enough
}
SPINS = (0, 300)                   # thread: loops before it changes the target
SWITCH_INTERVAL = 5e-6             # thread: how soon a waiting thread asks for the GIL
SIGNATURES = {   # what each position takes: "n" a number, "v" a vector, "m" a matrix; the
                 # element-wise kernels take a matrix wherever they take a vector
    "w_sum": ("vv",), "ele_mul": ("nv", "nm"), "vect_mat_mul": ("vm",), "outer_prod": ("vv",),
    "vec_add": ("vv", "mm"), "vec_sub": ("vv", "mm"), "vec_mul": ("vv", "mm"),
    "mat_mul": ("mm",), "transpose": ("m",),
    "sigmoid": ("v", "m"), "sigmoid2deriv": ("v", "m"), "relu": ("v", "m"),
    "relu2deriv": ("v", "m"), "tanh": ("v", "m"), "tanh2deriv": ("v", "m"),
    "mean_abs_error": ("vv",),
    # the compiled digits epoch (cython only): images, labels, weights_0_1, weights_1_2,
    # bias_1, bias_2, order, dropout_masks (see "the compiled digits epoch" below)
    "digits_epoch": ("mvmmmmvm",),
}
FAMILIES = (     # kernels that read their arguments through the same code, on every backend
    ("vec_add", "vec_sub", "vec_mul"),
    ("sigmoid", "sigmoid2deriv", "relu", "relu2deriv", "tanh", "tanh2deriv"),
)
BIG_SAMPLED = 3  # of the element-wise kernels' 64 x 64 matrix cases, one in 3 is run
ERRORS = ("TypeError", "ValueError")
LINE_TIMEOUT = 30.0                # seconds without a word from the child: it hangs


# -- the mutations: each changes one argument in one step ------------------------
#
# One step (one C-level operation) so that another thread never sees half of it:
# a case's ``after`` is then exactly ``before`` with the mutation done.

def _mid(x):
    return len(x) // 2


VECTOR_MUTATIONS = {
    "clear": lambda v: v.clear(),
    "shrink": lambda v: v.__delitem__(slice(_mid(v), None)),
    "append": lambda v: v.append(1.25),
    "grow": lambda v: v.extend([1.25] * 100),           # past the list's allocation
    "str item": lambda v: v.__setitem__(_mid(v), "1.5"),
    "None item": lambda v: v.__setitem__(-1, None),
}
MATRIX_MUTATIONS = {
    "clear": lambda m: m.clear(),
    "shrink": lambda m: m.__delitem__(slice(_mid(m), None)),
    "append row": lambda m: m.append(list(m[0])),
    "shorter row": lambda m: m.__setitem__(_mid(m), m[_mid(m)][:-1]),
    "None row": lambda m: m.__setitem__(_mid(m), None),
    "str row": lambda m: m.__setitem__(_mid(m), "row"),
    "str item": lambda m: m[_mid(m)].__setitem__(_mid(m[0]), "1.5"),
    "rows reversed": lambda m: m.__setitem__(slice(None), m[::-1]),
    "row cleared": lambda m: m[_mid(m)].clear(),
    "row grown": lambda m: m[_mid(m)].extend([1.25] * 100),
}


def _set_shape(a, shape):
    with warnings.catch_warnings():    # NumPy 2.5 deprecates it; a learner's code may still
        warnings.simplefilter("ignore", DeprecationWarning)
        a.shape = shape


ARRAY_MUTATIONS = {
    "set item": lambda a: a.flat.__setitem__(a.size // 2, 7.25),
    "new shape": lambda a: _set_shape(a, (1, a.size) if a.ndim == 1 else a.shape[::-1]),
    "flattened": lambda a: _set_shape(a, (a.size,) if a.ndim == 2 else (a.size, 1)),
    "rows reversed": lambda a: a.__setitem__(slice(None), a[::-1].copy()),
}


def mutations(kind, form, trigger):
    """The mutation names for an argument of ``kind`` ("v" or "m") in ``form``."""
    if form == "array":
        if trigger == "thread":
            return []
        return [n for n in ARRAY_MUTATIONS if kind == "m" or n != "rows reversed"]
    return list(VECTOR_MUTATIONS if kind == "v" else MATRIX_MUTATIONS)


def mutate(args, case):
    """Do the case's mutation to its target in ``args``."""
    x = args[case.target]
    if isinstance(x, np.ndarray):
        table = ARRAY_MUTATIONS
    else:
        table = VECTOR_MUTATIONS if case.kinds[case.target] == "v" else MATRIX_MUTATIONS
    table[case.mutation](x)


# -- the cases --------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Case:
    func: str
    shapes: tuple        # per position: () for a number, (n,) for a vector, (rows, columns)
    forms: tuple         # per position: "number", "list" or "array"
    target: int          # the position of the argument that changes
    mutation: str
    trigger: str
    detail: object       # gc, del: the collection; thread: spins; float: (source, "first"/"last")

    def describe(self):
        shapes = ", ".join(f"{form} {'x'.join(map(str, shape))}".strip()
                           for shape, form in zip(self.shapes, self.forms))
        return (f"{self.func}({shapes}): {self.trigger} {self.detail} -> {self.mutation} "
                f"of argument {self.target}")

    @property
    def kinds(self):
        """Per position: "n" a number, "v" a vector, "m" a matrix (as in ``SIGNATURES``)."""
        return "".join("nvm"[len(shape)] for shape in self.shapes)

    @property
    def matrix_for_vector(self):
        """True when an element-wise kernel gets matrices where it takes vectors too."""
        return self.kinds != SIGNATURES[self.func][0]

    def runs(self):
        """True when the case is run. All are, but the element-wise kernels' matrix cases
        (to keep the time down): each of those (its shapes, forms, target, mutation, trigger
        and moment) is run for one kernel of its family (``FAMILIES``), and at 64 x 64 only
        one in ``BIG_SAMPLED`` is; a hash of the case picks, the same in every process."""
        if not self.matrix_for_vector:
            return True
        family = next((f for f in FAMILIES if self.func in f), (self.func,))
        case = repr((family, self.shapes, self.forms, self.target, self.mutation, self.trigger,
                     self.detail))
        turn = int(hashlib.sha256(case.encode()).hexdigest(), 16)
        if (64, 64) in self.shapes and turn // len(family) % BIG_SAMPLED:
            return False
        return family[turn % len(family)] == self.func

    def arguments(self):
        """Fresh arguments: the same numbers for every case of this kernel and shape."""
        key = (self.func, self.shapes, self.forms)
        if self.func == DIGITS_EPOCH and key not in _NUMBERS:
            _NUMBERS[key] = _digits_arguments(self)
        if key not in _NUMBERS:
            rng = random.Random(f"{self.func} {self.shapes}")
            made = []
            for shape, form in zip(self.shapes, self.forms):
                if form == "number":
                    made.append(rng.uniform(0.5, 2.0))
                    continue
                rows = [rng.uniform(0.5, 2.0) for _ in range(shape[-1])] if len(shape) == 1 else [
                    [rng.uniform(0.5, 2.0) for _ in range(shape[1])] for _ in range(shape[0])]
                made.append(np.array(rows) if form == "array" else rows)
            _NUMBERS[key] = made
        return [_copy(x) for x in _NUMBERS[key]]


_NUMBERS = {}   # (func, shapes, forms) -> the arguments' numbers, drawn once


def _copy(x):
    if isinstance(x, np.ndarray):
        return x.copy()
    if type(x) is list:
        return [list(row) for row in x] if x and type(x[0]) is list else list(x)
    return x


def _shapes(func, kinds, n):
    if func == "mat_mul" and n == 64:
        return [((64, 3), (3, 64)), ((3, 64), (64, 3))]
    return [tuple(() if k == "n" else (n,) if k == "v" else (n, n) for k in kinds)]


def _forms(kinds, form):
    """Per position: "number" where a number goes, else ``form`` ("list" or "array")."""
    return tuple("number" if k == "n" else form for k in kinds)


def _details(trigger, kinds):
    if trigger in FIRE_AT:
        return FIRE_AT[trigger]
    if trigger == "thread":
        return SPINS
    # float: a float subclass as the number, or as the first item of an argument, or a
    # numbers.Real as its last item; any argument, the target too
    return [(p, where) for p, k in enumerate(kinds)
            for where in (("first",) if k == "n" else ("first", "last"))]


def cases(backend, funcs=None, limit=None):
    """Every case for one backend (arrays only where a backend answers arrays); only
    those of the kernels ``funcs``, and only the first ``limit`` of each, if given."""
    all_forms = ("list", "array") if backend in ("cython", "numpy") else ("list",)
    found = []
    for func in KERNELS:
        if funcs and func not in funcs:
            continue
        found += _kernel_cases(func, all_forms)[:limit]
    if (backend == "cython" and not funcs) or (funcs and DIGITS_EPOCH in funcs):
        found += _digits_cases()[:limit]
    return found


def _kernel_cases(func, all_forms):
    """One kernel's cases, always in the same order: the child and the parent count on it."""
    found = []
    for kinds, n, form, trigger in itertools.product(SIGNATURES[func], SIZES, all_forms,
                                                     TRIGGERS):
        for shapes, target, detail in itertools.product(_shapes(func, kinds, n),
                                                        range(len(kinds)),
                                                        _details(trigger, kinds)):
            if kinds[target] == "n":
                continue
            forms = list(_forms(kinds, form))
            if trigger == "float" and form == "array":
                source = detail[0]
                if source == target:      # the learner's number is in a list, not an array
                    continue
                forms[source] = "number" if kinds[source] == "n" else "list"
            made = (Case(func, shapes, tuple(forms), target, mutation, trigger, detail)
                    for mutation in mutations(kinds[target], forms[target], trigger))
            found += [case for case in made if case.runs()]
    return found


# -- the compiled digits epoch (networks/digits_epoch.pyx) --------------------------------
#
# Its entry points, called one after another as ``CompiledEpochs`` calls them:
# ``Examples(images, labels)``, ``DigitNetwork(recipe, weights_0_1, weights_1_2,
# bias_1, bias_2)``, ``train_epoch(examples, order, dropout_masks)``, ``accuracy(examples)``.
# Its eight arguments are the targets (lists, or arrays); the triggers fire anywhere in
# the four calls. The answer is what learned and the accuracy, as lists; the referee is
# pure's ``network.DigitNetwork`` on the same numbers (the compiled epoch promises its
# bits). Pure's network is the teaching text and checks nothing itself, so the clear
# error wanted is the one the compiled steps give, called quietly on the arguments after.

DIGITS_EPOCH = "digits_epoch"
DIGITS_STEPS = {DIGITS_EPOCH: ("Examples", "DigitNetwork", "train_epoch", "accuracy")}
DIGITS_KINDS = SIGNATURES[DIGITS_EPOCH][0]
DIGITS_ORDER = 6            # the position of ``order``: whole numbers, never a learner's float
DIGITS_PIXELS, DIGITS_HIDDEN = 6, 3
DIGITS_RECIPE = dict(hidden=DIGITS_HIDDEN, alpha=0.1, batch_size=2, bias=True, dropout=0.5)


def _digits_shapes(rows):
    return ((rows, DIGITS_PIXELS), (rows,), (DIGITS_PIXELS, DIGITS_HIDDEN), (DIGITS_HIDDEN, 10),
            (1, DIGITS_HIDDEN), (1, 10), (rows,), (rows, DIGITS_HIDDEN))


def _digits_arguments(case):
    """Images with some pixels 0, labels 0-9 (floats), small weights, a shuffled order, masks."""
    rng = np.random.RandomState(len(case.shapes[1]) and case.shapes[1][0])
    rows = case.shapes[1][0]
    images = rng.uniform(0.5, 2.0, (rows, DIGITS_PIXELS)) * (rng.random_sample((rows, DIGITS_PIXELS)) < 0.6)
    made = [images, rng.randint(0, 10, rows).astype(float),
            rng.uniform(-0.5, 0.5, (DIGITS_PIXELS, DIGITS_HIDDEN)), rng.uniform(-0.5, 0.5, (DIGITS_HIDDEN, 10)),
            rng.uniform(-0.1, 0.1, (1, DIGITS_HIDDEN)), rng.uniform(-0.1, 0.1, (1, 10)),
            rng.permutation(rows), (rng.random_sample((rows, DIGITS_HIDDEN)) < 0.5) * 2.0]
    return [x if form == "array" else x.tolist() for x, form in zip(made, case.forms)]


def _digits_cases():
    """Trigger by trigger (gc first), then size by size, lists then arrays."""
    found = []
    for trigger, rows, form in itertools.product(TRIGGERS, SIZES, ("list", "array")):
        shapes = _digits_shapes(rows)
        details = [(p, where) for p, where in _details(trigger, DIGITS_KINDS)
                   if p != DIGITS_ORDER] if trigger == "float" else _details(trigger, DIGITS_KINDS)
        for target, detail in itertools.product(range(len(DIGITS_KINDS)), details):
            forms = [form] * len(DIGITS_KINDS)
            if trigger == "float" and form == "array":
                if detail[0] == target:   # the learner's number is in a list, not an array
                    continue
                forms[detail[0]] = "list"
            found += [Case(DIGITS_EPOCH, shapes, tuple(forms), target, mutation, trigger, detail)
                      for mutation in mutations(DIGITS_KINDS[target], forms[target], trigger)]
    return found


def digits_epoch(images, labels, weights_0_1, weights_1_2, bias_1, bias_2, order, dropout_masks):
    """The compiled epoch's four steps, as ``CompiledEpochs`` takes them; what learned and
    the accuracy, as rows of floats."""
    from grokking.networks import digits_epoch as digits
    from grokking.networks.digits import Recipe
    examples = digits.Examples(images, labels)
    network = digits.DigitNetwork(Recipe(**DIGITS_RECIPE), weights_0_1, weights_1_2, bias_1, bias_2)
    network.train_epoch(examples, order, dropout_masks)
    accuracy = network.accuracy(examples)
    return [row for p in network.parameters() for row in p.tolist()] + [[accuracy]]


def pure_digits_epoch(images, labels, weights_0_1, weights_1_2, bias_1, bias_2, order,
                      dropout_masks):
    """The referee: the compiled steps' own checks (their clear errors), then the same epoch
    by pure's ``network.DigitNetwork``, its masks the ones given."""
    digits_epoch(images, labels, weights_0_1, weights_1_2, bias_1, bias_2, order, dropout_masks)
    import grokking
    from grokking.networks.digits import DigitNetwork, Recipe

    from grokking.networks.rows import one_hot
    as_lists = [np.asarray(x).tolist() for x in (images, labels, weights_0_1, weights_1_2, bias_1,
                                                 bias_2, order, dropout_masks)]
    images, labels, weights_0_1, weights_1_2, bias_1, bias_2, order, dropout_masks = as_lists
    network = DigitNetwork(grokking.backend("pure"), Recipe(**DIGITS_RECIPE), n_inputs=len(weights_0_1))
    network.weights_0_1, network.weights_1_2 = weights_0_1, weights_1_2
    network.bias_1, network.bias_2 = bias_1, bias_2
    masks = iter(dropout_masks)
    network.dropout_mask = lambda rows: [next(masks) for _ in range(rows)]
    network.train_epoch(images, one_hot(labels, False), order)
    accuracy = network.accuracy(images, labels)
    return [row for p in network.parameters() for row in p] + [[accuracy]]


def _check_digits_form(answer):
    from .oracle import Mismatch
    rows = DIGITS_PIXELS + DIGITS_HIDDEN + 2
    widths = [DIGITS_HIDDEN] * DIGITS_PIXELS + [10] * DIGITS_HIDDEN + [DIGITS_HIDDEN, 10, 1]
    if not (type(answer) is list and len(answer) == rows + 1
            and all(_only(row, float) and len(row) == w for row, w in zip(answer, widths))):
        raise Mismatch(f"{DIGITS_EPOCH}: wanted {rows + 1} rows of floats, got {_short(answer)}")


def function(kernels, func, referee=False):
    """What a case calls: the kernel ``func`` of ``kernels``, or the digits epoch (compiled;
    for the referee, pure's)."""
    if func == DIGITS_EPOCH and not referee:   # (a stand-in backend may bring its own)
        return getattr(kernels, func, digits_epoch)
    if func == DIGITS_EPOCH:
        return pure_digits_epoch
    return getattr(kernels, func)


# -- the triggers --------------------------------------------------------------

class Trigger:
    """Does the case's mutation once, while armed; remembers whether and how."""

    def __init__(self, args, case):
        self.args, self.case = args, case
        self.armed = self.fired = False
        self.failed, self.padding = None, []
        self.calm = None   # gc, del: puts the usual collection threshold back

    def fire(self):
        if self.armed and not self.fired:
            self.fired = True
            try:
                mutate(self.args, self.case)
            except Exception as error:  # a gc callback or __del__ would only print it
                self.failed = f"{type(error).__name__}: {error}"
            if self.calm:   # done: the rest of the call need not start a collection per
                self.calm()  # container (the fuzz's cost; nothing is changed after this)


class _Bomb:
    """An object in a reference cycle: only a collection can free it, and run its ``__del__``."""
    __slots__ = ("trigger", "countdown", "me")

    def __init__(self, trigger, countdown):
        self.trigger, self.countdown, self.me = trigger, countdown, self

    def __del__(self):
        if not self.trigger.armed:
            return
        if self.countdown:
            _Bomb(self.trigger, self.countdown - 1)   # a new cycle, for the next collection
            _pad(self.trigger)
        else:
            self.trigger.fire()


class Sly(float):
    """A float subclass: ``float(x)`` runs its ``__float__``, which changes the target."""

    def __float__(self):
        self.trigger.fire()
        return float.__float__(self)


class Figure:
    """A ``numbers.Real`` that is not a float, with a ``__float__`` that changes the target."""

    def __init__(self, value, trigger):
        self.value, self.trigger = value, trigger

    def __float__(self):
        self.trigger.fire()
        return self.value

    def __repr__(self):
        return f"Figure({self.value!r})"


numbers.Real.register(Figure)


def _place(args, case, trigger):
    """Put the learner's number into its source argument (float trigger)."""
    source, where = case.detail
    if case.forms[source] == "number":
        args[source] = Sly(args[source])
        args[source].trigger = trigger
        return
    row = args[source]
    if row and isinstance(row[0], list):
        row = row[0] if where == "first" else row[-1]
    i = 0 if where == "first" else len(row) - 1
    if where == "first":
        row[i] = Sly(row[i])
        row[i].trigger = trigger
    else:
        row[i] = Figure(row[i], trigger)


# CPython collects the youngest generation when a container is made while more than
# ``threshold`` were made (less those freed) since the last collection: 3.11 at once,
# 3.12 and later at the next bytecode boundary (see the module docstring).
# With a threshold of 1, and a few empty lists kept alive after every collection
# (``_pad``: the kernel may free a container or two between two it makes), every
# container the call makes anew starts a collection: the n-th collection comes
# at about the n-th one. (A list or tuple reused from CPython's free lists is not
# made anew: ``gc.collect()`` empties those lists before each call, and ``_pad``
# takes back up to four that were freed since.)

def _pad(trigger):
    for _ in range(4):   # one by one: a list freed here would be reused, not made anew
        trigger.padding.append([])


def _with_collections(call, trigger, arm):
    thresholds = gc.get_threshold()
    gc.collect()
    gc.freeze()   # what lives on (imports, caches): the collections in the call skip it
    try:
        arm()                       # no collection yet: the threshold is still the usual
        trigger.calm = lambda: gc.set_threshold(*thresholds)
        gc.set_threshold(1, 1, 1)
        trigger.armed = True
        return call()
    finally:
        trigger.armed = False
        gc.set_threshold(*thresholds)


def _run_gc(call, trigger, fire_at):
    count = [0]

    def callback(phase, info):
        if not trigger.armed:
            return
        if phase == "start":
            if count[0] == fire_at:
                trigger.fire()
            count[0] += 1
        else:
            _pad(trigger)

    gc.callbacks.append(callback)
    try:
        return _with_collections(call, trigger, lambda: _pad(trigger))
    finally:
        gc.callbacks.remove(callback)
        trigger.collections = count[0]


def _run_del(call, trigger, fire_at):
    def arm():
        _pad(trigger)
        _Bomb(trigger, fire_at)
    return _with_collections(call, trigger, arm)


_COLLECTIONS = {}   # (func, shapes, forms) -> collections in a call with no change


def _collection(case, kernels, args):
    """The case's collection number: ``"middle"`` and ``"last"`` are counted in a quiet
    call first (which also fills the caches a first call fills, so the count holds)."""
    if isinstance(case.detail, int):
        return case.detail
    key = (case.func, case.shapes, case.forms)
    if key not in _COLLECTIONS:
        quiet = Trigger(None, case)
        try:
            _run_gc(lambda: function(kernels, case.func)(*map(plain, args)), quiet, -1)
        except Exception:
            pass
        _COLLECTIONS[key] = quiet.collections
    total = _COLLECTIONS[key]
    return max(total // 2 if case.detail == "middle" else total - 1, 0)


def _run_float(call, trigger, detail):
    trigger.armed = True
    try:
        return call()
    finally:
        trigger.armed = False


class _Meddler:
    """Another thread, kept for all the thread cases: woken as a call starts, it spins, then
    changes the target (``fire``), unless the call has ended by then."""

    def __init__(self):
        self.go, self.lock = threading.Semaphore(0), threading.Lock()
        self.trigger, self.spins = None, 0
        threading.Thread(target=self._meddle, daemon=True).start()

    def _meddle(self):
        while True:
            self.go.acquire()      # sleeps (without the GIL) until a call starts
            for _ in range(self.spins):
                if self.trigger is None:
                    break
            with self.lock:
                if self.trigger is not None:
                    self.trigger.fire()

    def run(self, call, trigger, spins):
        with self.lock:
            self.trigger, self.spins = trigger, spins
            trigger.armed = True
        interval = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL)
        self.go.release()
        try:
            return call()
        finally:
            with self.lock:     # after this, the thread cannot touch the arguments
                trigger.armed, self.trigger = False, None
            sys.setswitchinterval(interval)


_meddler = None


def _run_thread(call, trigger, spins):
    global _meddler
    if _meddler is None:
        _meddler = _Meddler()
    return _meddler.run(call, trigger, spins)


RUNNERS = {"gc": _run_gc, "del": _run_del, "float": _run_float, "thread": _run_thread}


# -- one case, in the child ---------------------------------------------------------

@dataclasses.dataclass
class Strange:
    """Stands in, in a reported answer, for an object that is neither a float nor a list."""
    type_name: str


def plain(x):
    """A copy of ``x`` with plain floats for the learner's numbers; runs none of their code."""
    if isinstance(x, float):
        return float.__float__(x)
    if isinstance(x, Figure):
        return x.value
    if _only(x, float):             # a row of plain floats, copied at C speed
        return list(x)
    if type(x) is list:
        return [plain(v) for v in x]
    if isinstance(x, np.ndarray):
        return x.copy()
    return x


def _reported(answer):
    """The answer as it can be sent: floats, lists, arrays, None; anything else as ``Strange``."""
    if _only(answer, float) or (_only(answer, list) and all(_only(row, float) for row in answer)):
        return answer               # the usual answer, checked at C speed
    return _odd_ones_marked(answer)


def _only(x, kind):
    return type(x) is list and set(map(type, x)) <= {kind}


def _odd_ones_marked(answer, depth=0):
    kind = type(answer)
    if kind is float or answer is None:
        return answer
    if kind is list and depth < 2:
        return [_odd_ones_marked(v, depth + 1) for v in answer]
    if kind is np.ndarray:
        return answer.copy()
    return Strange(kind.__name__)


class _Brief(reprlib.Repr):
    """``reprlib``'s short text; an array as its shape and first numbers (NumPy's repr
    formats every number of a small array: slow, for a text read only on a failure)."""

    def repr_ndarray(self, x, level):
        return f"array of shape {x.shape}: {self.repr1(x.ravel()[:4].tolist(), level)}..."


def run_case(case, kernels, on_return=None):
    """Call the case's kernel under its trigger; a record for the ``Judge``.

    ``on_return`` is called as soon as the call returns, before its answer is read.
    """
    args = case.arguments()
    trigger = Trigger(args, case)
    if case.trigger == "float":
        _place(args, case, trigger)
    before = digest(args)
    kernel = function(kernels, case.func)
    detail = _collection(case, kernels, args) if case.trigger in ("gc", "del") else case.detail
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.filterwarnings("ignore", module=re.escape(__name__))  # the mutation's own
        try:
            got = ("ok", RUNNERS[case.trigger](lambda: kernel(*args), trigger, detail))
        except Exception as error:
            got = ("error", type(error).__name__, str(error))
    if on_return:
        on_return()
    if got[0] == "ok":
        got = ("ok", _reported(got[1]))
    after = digest(args)
    # The text is read only when the arguments are not as the judge expects them, and they
    # are then not as they came either (unchanged arguments are what the judge expects
    # when nothing fired, and a change that fired changed them): made only then.
    return {"outcome": got, "before": before, "after": after,
            "after_text": _Brief().repr(args) if after != before else "",
            "fired": trigger.fired, "failed": trigger.failed,
            "warnings": [f"{w.category.__name__}: {w.message}" for w in caught]}


def _kernels(spec):
    """A backend by name, or ``module:attribute`` for a stand-in (the tests' broken ones)."""
    if ":" in spec:
        module, attribute = spec.split(":")
        return getattr(__import__(module, fromlist=[attribute]), attribute)
    import grokking
    return grokking.backend(spec)


def child(backend, start, funcs, limit):
    """Run the cases from ``start`` on, saying ``case i`` before each and its record after."""
    kernels = _kernels(backend)
    todo = cases(backend, funcs, limit)
    print(f"from {getattr(kernels, '__file__', backend)}", flush=True)
    gc.collect()
    gc.freeze()   # what was made so far: the collections during the calls need not walk it
    for i in range(start, len(todo)):
        print(f"case {i}", flush=True)
        record = run_case(todo[i], kernels, lambda: print("called", flush=True))
        print("record " + base64.b64encode(pickle.dumps(record)).decode(), flush=True)
    print("all done", flush=True)
    return 0


# -- running the child, in the parent --------------------------------------------------

def _lines(process, timeout):
    """The child's output lines as they come; ``None`` once it was silent for ``timeout`` s
    (for its first line, which comes after its imports, at least ``LINE_TIMEOUT`` s: a
    child started on a busy machine is slow, not hung)."""
    said = queue.Queue()

    def listen():
        for line in process.stdout:
            said.put(line.decode(errors="replace").rstrip("\n"))
        said.put(EOFError)

    threading.Thread(target=listen, daemon=True).start()
    wait = max(timeout, LINE_TIMEOUT)
    while True:
        try:
            line = said.get(timeout=wait)
        except queue.Empty:
            yield None
            return
        if line is EOFError:
            return
        wait = timeout
        yield line


def run_backend(backend, on_record, python=None, funcs=None, limit=None,
                line_timeout=LINE_TIMEOUT):
    """Every case of ``backend`` in child processes; ``on_record(i, record)`` as each ends.

    A record is the child's (see ``run_case``), as the text it sent, or ``{"died":
    how}`` when the child crashed or hung in that case; the next child then goes
    on from the case after. Returns where the kernels were imported from.
    """
    todo = cases(backend, funcs, limit)
    start, where = 0, ""
    while start < len(todo):
        argv = [python or sys.executable, "-m", "tests.fuzz.mutation", "--backend", backend,
                "--start", str(start)] + (["--funcs", ",".join(funcs)] if funcs else []) \
            + (["--limit", str(limit)] if limit else [])
        with tempfile.TemporaryFile() as errors:
            process = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=errors)
            current, called, finished, hung = None, False, False, False
            for line in _lines(process, line_timeout):
                if line is None:
                    hung = True
                    process.kill()
                    break
                if line.startswith("from "):
                    where = line[5:]
                elif line.startswith("case "):
                    current, called = int(line[5:]), False
                elif line == "called":
                    called = True
                elif line.startswith("record "):
                    on_record(current, line[7:])
                    current = None
                elif line == "all done":
                    finished = True
            returncode = process.wait()
            errors.seek(0)
            stderr = errors.read().decode(errors="replace")
        if finished and returncode == 0:
            break
        if current is None:
            raise RuntimeError(f"the mutation child failed outside any case (exit {returncode}):"
                               f"\n{stderr[-3000:]}")
        if hung:
            how = "hang"
        elif returncode < 0:
            how = ("crash reading answer" if called else "crash") + \
                f" ({signal.Signals(-returncode).name})"
        else:
            how = f"crash (exit status {returncode}): {stderr[-500:]}"
        on_record(current, {"died": how})
        start = current + 1
    return where


# -- the verdict ---------------------------------------------------------------------

class _Answers:
    """The quiet answers (or errors) of one backend, cached."""

    def __init__(self, kernels):
        self.kernels, self.known = kernels, {}

    def __call__(self, func, state, key):
        if key not in self.known:
            try:
                self.known[key] = ("ok", function(self.kernels, func, referee=True)(*plain(state)))
            except Exception as error:
                self.known[key] = ("error", type(error).__name__, str(error))
        return self.known[key]


class Judge:
    """Says what one record means, for one backend (see the module docstring)."""

    def __init__(self, backend):
        import grokking
        self.backend, self.known = backend, {}
        self.pure = _Answers(grokking.backend("pure"))
        self.numpy = _Answers(grokking.backend("numpy"))

    def forget(self):
        """Drop the arguments and answers kept so far."""
        self.known.clear()
        self.pure.known.clear()
        self.numpy.known.clear()

    def _referee(self, case):
        """The quiet answers to compare with, and whether to the bit."""
        if case.func == DIGITS_EPOCH:     # pure's bits, for lists and arrays alike
            return self.pure, True
        if self.backend == "cython" and "array" not in case.forms:
            return self.pure, True
        return (self.pure if self.backend == "numpy" else self.numpy), False

    def _states(self, case, fired):
        """The arguments before the call, and after it as the mutation (if done) left them."""
        key = (case.func, case.shapes, case.forms, case.target, case.mutation, fired)
        if key not in self.known:
            before = case.arguments()
            after = plain(before)
            if fired:
                mutate(after, case)
            self.known[key] = (before, after, digest(before), digest(after))
        return key, self.known[key]

    def __call__(self, case, record):
        from . import oracle
        if "died" in record:
            return record["died"].split(" (")[0], record["died"]
        if record["failed"]:
            raise RuntimeError(f"the mutation itself failed ({record['failed']}): {case}")
        if record["warnings"]:
            return "warned", "; ".join(record["warnings"])
        key, (before, after, before_digest, after_digest) = self._states(case, record["fired"])
        if record["before"] != before_digest:
            raise RuntimeError(f"the judge rebuilt other arguments than the child had: {case}")
        if record["after"] != after_digest:
            return "changed argument", f"arguments after the call: {record['after_text']}"
        got = record["outcome"]
        if got[0] == "error":
            wanted = self.pure(case.func, after, key)
            if (got[1] in ERRORS and got[2].split(":")[0] in DIGITS_STEPS.get(case.func, (case.func,))
                    and wanted[0] == "error" and got[1:] == wanted[1:]):
                return "fine", ""
            return "wrong error", f"{got[1]}: {got[2]}; pure on the arguments after: {wanted}"
        answer = got[1]
        if _holds_none(answer):
            return "None in answer", _short(answer)
        try:
            if case.func == DIGITS_EPOCH:
                _check_digits_form(answer)
            else:
                oracle.check_form(case.func, self.backend, after, answer)
        except oracle.Mismatch as wrong:
            return "garbage", str(wrong)[:300]
        referee, exact = self._referee(case)
        for state, state_key in [(before, key[:3]), (after, key)][:1 + record["fired"]]:
            wanted = referee(case.func, state, state_key)
            if wanted[0] == "ok" and _same(case.func, answer, wanted[1], exact):
                return "fine", ""
        return "garbage", f"answered {_short(answer)}; for the arguments before: " \
            f"{_short(referee(case.func, before, key[:3]))}"


def digest(args):
    """Everything about the arguments' state, in a few bytes: lists by their marshal bytes
    (floats to the bit, a str as a str), arrays by their type, shape and bytes."""
    made = hashlib.sha256()
    for x in args:
        if isinstance(x, np.ndarray):
            made.update(f"{x.dtype.str} {x.shape}".encode() + x.tobytes())
        else:
            try:
                made.update(marshal.dumps(x, 2))   # version 2: no back-references
            except ValueError:                     # the learner's numbers: not plain floats
                made.update(marshal.dumps(plain(x), 2))
        made.update(b"|")
    return made.hexdigest()


def _holds_none(x):
    if type(x) is not list or _only(x, float):
        return x is None
    return any(_holds_none(v) for v in x)


def _same(func, got, wanted, exact):
    from . import oracle
    if exact:
        try:   # plain floats in lists: their marshal bytes (version 2) hold every bit
            return marshal.dumps(got, 2) == marshal.dumps(wanted, 2)
        except ValueError:          # anything else (a float subclass, an array)
            return oracle.snapshot(got) == oracle.snapshot(wanted)
    try:
        oracle.check_values(func, "", got, wanted)
    except Exception:  # a Mismatch, or numbers NumPy cannot even put in one array
        return False
    return True


def _short(x):
    text = repr(x)
    return text if len(text) < 200 else text[:197] + "..."


def verdicts(backend, python=None, funcs=None, limit=None, line_timeout=LINE_TIMEOUT):
    """``(case, fired, verdict, detail)`` for every case; and where the kernels came from.

    Many cases leave the same record (the change came before the kernel read
    anything, or never came): each kind of record is judged once.
    """
    todo = cases(backend, funcs, limit)
    judge, known, results = Judge(backend), {}, []

    def on_record(i, raw):
        case = todo[i]
        if results and results[-1][0].func != case.func:
            judge.forget()          # a new kernel: the answers kept for the last one go
            known.clear()
        if isinstance(raw, dict):
            results.append((case, True, *judge(case, raw)))
            return
        key = (case.func, case.shapes, case.forms, case.target, case.mutation,
               hashlib.sha256(raw.encode()).digest())
        if key not in known:
            record = pickle.loads(base64.b64decode(raw))
            known[key] = (record["fired"], *judge(case, record))
        results.append((case, *known[key]))

    where = run_backend(backend, on_record, python, funcs, limit, line_timeout)
    if len(results) != len(todo):
        raise RuntimeError(f"{len(todo)} cases, but {len(results)} records")
    return results, where


def table(results):
    """Verdict counts per kernel and trigger, as text; and how often the change came in a call."""
    counts = collections.defaultdict(collections.Counter)
    for case, fired, verdict, _ in results:
        kernel = case.func + (" (matrix)" if case.matrix_for_vector else "")
        counts[(kernel, case.trigger)][verdict] += 1
        counts[(kernel, case.trigger)]["changed in call"] += fired
    kinds = ["fine", "crash", "crash reading answer", "hang", "None in answer", "garbage",
             "wrong error", "changed argument", "warned"]
    lines = [f"{'kernel':22s} {'trigger':7s} {'cases':>5s} {'fired':>5s}  " + "  ".join(
        k for k in kinds)]
    for (kernel, trigger), c in counts.items():
        total = sum(c[k] for k in kinds)
        lines.append(f"{kernel:22s} {trigger:7s} {total:5d} {c['changed in call']:5d}  "
                     + "  ".join(f"{c[k]:{len(k)}d}" for k in kinds))
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz.mutation", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", default="cython")
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--funcs", default="", help="comma-separated kernels (default: all)")
    parser.add_argument("--limit", type=int, default=None, help="the first LIMIT cases of each")
    parser.add_argument("--judge", action="store_true",
                        help="run every case in children and print the verdicts")
    parser.add_argument("--python", default=None, help="with --judge: the children's Python")
    parser.add_argument("--failures", type=int, default=20, help="with --judge: list this many")
    args = parser.parse_args(argv)
    funcs = [f for f in args.funcs.split(",") if f] or None
    if not args.judge:
        return child(args.backend, args.start, funcs, args.limit)
    started = time.time()
    results, where = verdicts(args.backend, args.python, funcs, args.limit)
    print(f"{args.backend} from {where}: {len(results)} cases in {time.time() - started:.1f} s")
    print(table(results))
    failed = [r for r in results if r[2] != "fine"]
    for case, _, verdict, detail in failed[:args.failures]:
        print(f"  {verdict}: {case.describe()}: {detail}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
