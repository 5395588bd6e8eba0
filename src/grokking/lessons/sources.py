"""The sources' data tables, as their code wrote them, for every chapter that uses them.

001 is "A Neural Network in 11 lines of Python": four examples of three inputs
(the third always 1), and two sets of targets. Part 1's targets copy the first
column; part 2's are 1 when exactly one of the first two columns is 1, a
pattern no single column predicts (chapter 4's one-layer network cannot learn
it, chapter 6's hidden layer can).
"""

# 001's code: the four examples, one row each.
X = [[0, 0, 1],
     [0, 1, 1],
     [1, 0, 1],
     [1, 1, 1]]

# 001 part 1: the answer is the first column.
y = [[0], [0], [1], [1]]

# 001 part 2: the answer is 1 when exactly one of the first two columns is 1.
y_XOR = [[0], [1], [1], [0]]
