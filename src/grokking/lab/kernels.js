// The twin of src/grokking/kernels/pure.py: the kernels the pages compute with in the browser
// (lab 1 when a slider leaves the runs Python computed; the playground for all its training).
// Same names, same loops, same order of operations, so the same numbers: sums are added one by
// one in index order, as pure.py adds them (the tests compare them with Python's to 1e-12).
// Vectors are arrays of numbers; a matrix is an array of rows.

// Weighted sum: multiply a and b element by element, add it all up.
function w_sum(a, b) {
  if (a.length !== b.length) {
    throw new Error(`w_sum: a and b must have the same length, got ${a.length} and ${b.length}`);
  }
  let output = 0.0;
  for (let i = 0; i < a.length; i++) {
    output += a[i] * b[i];
  }
  return output;
}

// Multiply every element of vector (or of a matrix) by one number.
function ele_mul(number, vector) {
  if (isMatrix(vector)) return vector.map(row => ele_mul(number, row));
  const output = new Array(vector.length).fill(0.0);
  for (let i = 0; i < vector.length; i++) {
    output[i] = number * vector[i];
  }
  return output;
}

// A list of rows (a matrix) rather than a vector.
function isMatrix(x) {
  return x.length > 0 && Array.isArray(x[0]);
}

function sameLength(a, b, nameA, nameB, func) {
  if (a.length !== b.length) {
    throw new Error(`${func}: ${nameA} has ${a.length} numbers but ${nameB} has ${b.length}; ` +
                    "they must be the same length");
  }
}

// One weighted sum per row of the matrix: output[i] = w_sum(vect, matrix[i]).
function vect_mat_mul(vect, matrix) {
  if (matrix.length) sameLength(vect, matrix[0], "vect", "matrix[0]", "vect_mat_mul");
  const output = new Array(matrix.length).fill(0.0);
  for (let i = 0; i < matrix.length; i++) {
    output[i] = w_sum(vect, matrix[i]);
  }
  return output;
}

// Every pair multiplied: output[i][j] = vec_a[i] * vec_b[j].
function outer_prod(vec_a, vec_b) {
  const output = [];
  for (let i = 0; i < vec_a.length; i++) {
    const row = new Array(vec_b.length).fill(0.0);
    for (let j = 0; j < vec_b.length; j++) {
      row[j] = vec_a[i] * vec_b[j];
    }
    output.push(row);
  }
  return output;
}

// a + b, a - b, a * b element by element, for two vectors (or two matrices) of the same shape.
function elementWise(a, b, func, rule) {
  sameLength(a, b, "a", "b", func);
  if (isMatrix(a)) return a.map((row, i) => elementWise(row, b[i], func, rule));
  const output = new Array(a.length);
  for (let i = 0; i < a.length; i++) {
    output[i] = rule(a[i], b[i]);
  }
  return output;
}
function vec_add(a, b) { return elementWise(a, b, "vec_add", (x, y) => x + y); }
function vec_sub(a, b) { return elementWise(a, b, "vec_sub", (x, y) => x - y); }
function vec_mul(a, b) { return elementWise(a, b, "vec_mul", (x, y) => x * y); }

// Rows become columns: output[j][i] = matrix[i][j].
function transpose(matrix) {
  const columns = matrix.length ? matrix[0].length : 0;
  const output = [];
  for (let j = 0; j < columns; j++) {
    output.push(matrix.map(row => row[j]));
  }
  return output;
}

// Apply rule to a number, or to every element of a vector (or of a matrix).
function each(rule, x) {
  if (typeof x === "number") return rule(x);
  if (isMatrix(x)) return x.map(row => each(rule, row));
  const output = new Array(x.length);
  for (let i = 0; i < x.length; i++) {
    output[i] = rule(x[i]);
  }
  return output;
}

// The S-curve 1 / (1 + e^-x). (e^-x past the largest float is Infinity, so the answer is 0, as
// pure.py's scalar_sigmoid gives; Math.exp may differ from C's exp in the last bit.)
function scalar_sigmoid(x) { return 1.0 / (1.0 + Math.exp(-x)); }
function sigmoid(x) { return each(scalar_sigmoid, x); }
function sigmoid2deriv(output) { return each(o => o * (1.0 - o), output); }
// x where it is positive, else 0 (-0.0 becomes 0.0, NaN goes through).
function relu(x) { return each(v => (v <= 0.0 ? 0.0 : v), x); }
function relu2deriv(output) { return each(o => (o > 0.0 ? 1.0 : 0.0), output); }
function tanh(x) { return each(Math.tanh, x); }
function tanh2deriv(output) { return each(o => 1.0 - o * o, output); }

// How far off, on average: the mean of |output[i] - target[i]|.
function mean_abs_error(output, target) {
  sameLength(output, target, "output", "target", "mean_abs_error");
  if (!output.length) return NaN;
  let total = 0.0;
  for (let i = 0; i < output.length; i++) {
    total += Math.abs(output[i] - target[i]);
  }
  return total / output.length;
}

// The kernels by name, as grokking.backend("pure") gives them to Python.
const KERNELS = {w_sum, ele_mul, vect_mat_mul, outer_prod, vec_add, vec_sub, vec_mul, transpose,
                 sigmoid, sigmoid2deriv, relu, relu2deriv, tanh, tanh2deriv, mean_abs_error};
