"""A rebuild whose functions raise: the checker must report, not crash."""


def w_sum(a, b):
    total = 0.0
    for i in range(len(a)):
        total += a[i] * b[i]
    return total / len(a)  # an average by mistake: ZeroDivisionError on empty input


def ele_mul(number, vector):
    return vector * number  # a list times a float: TypeError
