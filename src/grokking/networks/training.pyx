# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
# (Here, above the loops they govern: train_loop checks every shape before the C loops run.)
"""The whole training loop in C: the blog's network with no Python object touched per iteration.

``train.py`` checks the arguments and draws the initial weights; this file only
runs the loop. It copies every matrix once into plain C arrays, then each
iteration is one call of ``_iteration`` -- a ``nogil`` function, so Cython
itself proves it touches no Python object. Python is touched again only at a
record point (every ``record_every`` iterations), to keep the error and call
``on_record``, and every 65,536 iterations, to let Ctrl-C stop the run.

The arithmetic is the pure backend's, in the same order (see
``grokking.networks.loops.pure`` and ``loops.with_kernels``): each weighted sum starts at
0.0 and adds its products left to right, ``sigmoid(x) = 1 / (1 + exp(-x))``
with the same C ``exp`` that Python's ``math.exp`` uses, and the build never
fuses a multiply and an add into one instruction (``-ffp-contract=off`` in
``setup.py``). That is why this loop and the pure loop end at the same
numbers, and why both agree with NumPy to rounding.

Why it is fast: a Python loop pays for every ``+`` and ``*`` (look up the
type, box the float, count references); NumPy pays a microsecond or so per
call, and the blog's loop makes about 25 of them per iteration, on arrays of
4 to 16 numbers. Here one iteration is about 200 multiplications and twenty
``exp``: a fifth of a microsecond (chapter 8 measures it).
"""
from cpython.exc cimport PyErr_CheckSignals
from libc.math cimport exp, fabs
from libc.stdlib cimport calloc, malloc, free

from ..kernels import inputs


cdef struct Network:
    Py_ssize_t n_layers      # number of weight matrices
    Py_ssize_t rows          # examples in the batch
    Py_ssize_t *size         # size[l]: nodes in layer l (layer 0 is the input)
    double **layer           # layer[l]: rows x size[l]; layer[0] is X
    double **synapse         # synapse[l]: size[l] x size[l+1]
    double *target           # y: rows x size[n_layers]
    double *delta            # rows x (largest layer)
    double *below_error      # rows x (largest layer)
    double alpha


cdef void _forward(Network *net) noexcept nogil:
    """layer_{l+1} = sigmoid(layer_l . synapse_l), one layer after the other."""
    cdef Py_ssize_t l, i, j, k, inner, columns
    cdef double total
    cdef double *a
    cdef double *w
    cdef double *out
    for l in range(net.n_layers):
        a, w, out = net.layer[l], net.synapse[l], net.layer[l + 1]
        inner, columns = net.size[l], net.size[l + 1]
        for i in range(net.rows):
            for j in range(columns):
                total = 0.0  # a weighted sum, products added left to right as in pure
                for k in range(inner):
                    total += a[i * inner + k] * w[k * columns + j]
                out[i * columns + j] = total
        # then the sigmoid of every sum: a loop of its own, so that the sums above
        # need not save and restore their registers around each call of exp
        for i in range(net.rows * columns):
            out[i] = 1.0 / (1.0 + exp(-out[i]))


cdef double _output_delta(Network *net) noexcept nogil:
    """delta = (y - output) * output * (1 - output); returns the mean |y - output|."""
    cdef Py_ssize_t i, n = net.rows * net.size[net.n_layers]
    cdef double *output = net.layer[net.n_layers]
    cdef double error, total = 0.0
    for i in range(n):
        error = net.target[i] - output[i]
        total += fabs(error - 0.0)  # as mean_abs_error(error, zeros) does
        net.delta[i] = error * (output[i] * (1.0 - output[i]))
    return total / n


cdef void _backward(Network *net) noexcept nogil:
    """Backpropagate, then update each synapse: synapse_l += alpha * layer_l.T . delta."""
    cdef Py_ssize_t l, r, c, k, rows = net.rows, inner, columns
    cdef double total
    cdef double *w
    cdef double *layer
    cdef double *delta = net.delta
    cdef double *below = net.below_error
    for l in reversed(range(net.n_layers)):
        w, layer = net.synapse[l], net.layer[l]
        inner, columns = net.size[l], net.size[l + 1]
        if l:  # layer_l_error = delta . synapse_l.T, with the weights before the update
            for r in range(rows):
                for c in range(inner):
                    total = 0.0
                    for k in range(columns):
                        total += delta[r * columns + k] * w[c * columns + k]
                    below[r * inner + c] = total
        for r in range(inner):  # synapse_l += alpha * (layer_l.T . delta)
            for c in range(columns):
                total = 0.0
                for k in range(rows):
                    total += layer[k * inner + r] * delta[k * columns + c]
                w[r * columns + c] = w[r * columns + c] + net.alpha * total
        if l:  # layer_l_delta = layer_l_error * sigmoid2deriv(layer_l)
            for r in range(rows * inner):
                delta[r] = below[r] * (layer[r] * (1.0 - layer[r]))


cdef double _iteration(Network *net) noexcept nogil:
    """One full-batch step; returns the mean absolute error before the update."""
    _forward(net)
    cdef double error = _output_delta(net)
    _backward(net)
    return error


cdef double *_alloc(Py_ssize_t n) except NULL:
    """A fresh C array of ``n`` doubles, set to 0.0."""
    cdef double *out = <double *>calloc(max(n, 1), sizeof(double))
    if out == NULL:
        raise MemoryError()
    return out


cdef double *_copy_in(list matrix, Py_ssize_t rows, Py_ssize_t columns) except NULL:
    """A fresh C array holding ``matrix`` (a checked list of lists of floats)."""
    cdef double *out = _alloc(rows * columns)
    cdef Py_ssize_t i, j
    for i in range(rows):
        row = matrix[i]
        for j in range(columns):
            out[i * columns + j] = <double>row[j]
    return out


cdef list _copy_out(double *a, Py_ssize_t rows, Py_ssize_t columns):
    return [[a[i * columns + j] for j in range(columns)] for i in range(rows)]


def _rectangle(m, name):
    """``m`` as a checked list of equally long lists of floats, with a row and a column at least."""
    m = inputs.matrix(m, name, "train_loop")
    if not m or not m[0]:
        raise ValueError(f"train_loop: {name} must have at least one row and one column")
    return m


def train_loop(X, y, weights, double alpha, long iterations, long record_every, on_record):
    """Run ``iterations`` full-batch steps; returns ``(weights, errors, output)`` as lists.

    X, y, weights: matrices as ``train`` makes them (weights[l] is size[l] rows
    by size[l+1] columns); checked again here, since the C loops trust the
    shapes. They are not changed.
    """
    cdef Network net
    cdef Py_ssize_t l, n_layers = len(weights), widest
    cdef long j
    cdef double error
    if n_layers < 1 or record_every < 1 or iterations < 0:
        raise ValueError("train_loop: needs at least one weight matrix, "
                         "record_every >= 1 and iterations >= 0")
    # Shapes first: everything below reads these lists without bounds checks.
    X, y = _rectangle(X, "X"), _rectangle(y, "y")
    weights = [_rectangle(w, f"weights[{i}]") for i, w in enumerate(weights)]
    sizes = [len(X[0])] + [len(w[0]) for w in weights]
    for l in range(n_layers):
        if len(weights[l]) != sizes[l]:
            raise ValueError(f"train_loop: weights[{l}] has {len(weights[l])} rows "
                             f"but the layer below has {sizes[l]} nodes")
    if len(y) != len(X) or len(y[0]) != sizes[n_layers]:
        raise ValueError("train_loop: y must have one row per row of X and one column "
                         "per output node")
    net.n_layers, net.rows, net.alpha = n_layers, len(X), alpha
    widest = max(sizes)
    net.size = <Py_ssize_t *>malloc((n_layers + 1) * sizeof(Py_ssize_t))
    net.layer = <double **>malloc((n_layers + 1) * sizeof(double *))
    net.synapse = <double **>malloc(n_layers * sizeof(double *))
    net.target = net.delta = net.below_error = NULL
    if net.size == NULL or net.layer == NULL or net.synapse == NULL:
        free(net.size); free(net.layer); free(net.synapse)
        raise MemoryError()
    for l in range(n_layers + 1):
        net.size[l] = sizes[l]
        net.layer[l] = NULL
        if l < n_layers:
            net.synapse[l] = NULL
    errors = []
    try:
        net.layer[0] = _copy_in(X, net.rows, sizes[0])
        for l in range(1, n_layers + 1):
            net.layer[l] = _alloc(net.rows * sizes[l])
        for l in range(n_layers):
            net.synapse[l] = _copy_in(weights[l], sizes[l], sizes[l + 1])
        net.target = _copy_in(y, net.rows, sizes[n_layers])
        net.delta = _alloc(net.rows * widest)
        net.below_error = _alloc(net.rows * widest)

        for j in range(iterations):
            error = _iteration(&net)
            if j % record_every == 0:  # Python is touched here and at the Ctrl-C check
                errors.append(error)
                if on_record is not None:
                    on_record(j, error)
            if j % 65536 == 65535:     # let Ctrl-C stop a very long run
                PyErr_CheckSignals()

        new_weights = [_copy_out(net.synapse[l], sizes[l], sizes[l + 1])
                       for l in range(n_layers)]
        output = _copy_out(net.layer[n_layers], net.rows, sizes[n_layers]) if iterations else []
    finally:
        for l in range(n_layers + 1):
            free(net.layer[l])
            if l < n_layers:
                free(net.synapse[l])
        free(net.target); free(net.delta); free(net.below_error)
        free(net.size); free(net.layer); free(net.synapse)
    return new_weights, errors, output
