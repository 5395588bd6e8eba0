"""Loss functions as layers: how far the prediction is from the target, as one number."""
from .layers import Layer


class MSELoss(Layer):
    """Squared error, added up over the rows: ``((pred - target) * (pred - target)).sum(0)``.

    For one output per row it is a one-number tensor, as in the book.
    """

    def forward(self, pred, target):
        difference = pred - target
        return (difference * difference).sum(0)


class CrossEntropyLoss(Layer):
    """``input.cross_entropy(target)``: the mean of ``-log(softmax(scores)[right class])``.

    Its gradient is the exact one of that mean; the book's is ``rows`` times
    larger, so ``SGD(alpha=book_alpha * rows)`` follows the book's numbers.
    """

    def forward(self, input, target):
        return input.cross_entropy(target)
