"""A rebuild whose w_sum never ends (the index never moves); ele_mul is right.

The checker must stop w_sum after its time limit and still grade ele_mul.
"""


def w_sum(a, b):
    output = 0.0
    i = 0
    while i < len(a):
        output += a[i] * b[i]  # forgot: i += 1
    return output


def ele_mul(number, vector):
    return [number * v for v in vector]
