"""A rebuild with one subtle bug: outer_prod uses vec_b[i] where it means vec_b[j].

It is right whenever vec_b's numbers are all equal (and vec_b is at least as
long as vec_a: otherwise vec_b[i] is an IndexError), or vec_a and vec_b have one
number each, so only some inputs show it. The other functions are not written.
"""


def outer_prod(vec_a, vec_b):
    output = [[0.0] * len(vec_b) for _ in vec_a]
    for i in range(len(vec_a)):
        for j in range(len(vec_b)):
            output[i][j] = vec_a[i] * vec_b[i]  # the bug: should be vec_b[j]
    return output
