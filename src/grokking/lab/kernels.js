// The twin of src/grokking/kernels/pure.py: the two kernels this page computes with when a
// slider leaves the runs Python computed. Same loops, same order of operations, so the same
// numbers (the tests compare them with Python's to 1e-12).

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

// Multiply every element of vector by one number.
function ele_mul(number, vector) {
  const output = new Array(vector.length).fill(0.0);
  for (let i = 0; i < vector.length; i++) {
    output[i] = number * vector[i];
  }
  return output;
}
