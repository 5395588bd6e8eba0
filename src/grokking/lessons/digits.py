"""What the digits chapters (9, 10, 11) share: their data, their extra options, their tables.

Each chapter trains several ``Recipe``s and prints an accuracy table with the
plain network's row first, so every idea is judged beside it. Two options make
a chapter shorter (for a quick look, or for the tests):

    --epochs N     train every network for N epochs instead of the chapter's number
    --examples N   use only the first N of the 1,797 digits (split 80/20 as usual)

A notebook has no command line: there the environment variables
``GROKKING_EPOCHS`` and ``GROKKING_EXAMPLES`` give the same two numbers (set
them before starting Jupyter; tests/chapters/test_notebooks.py does). They are read only
as the defaults of --epochs and --examples: an option on the command line wins.
"""
import time

from ..datasets import load_digits, split
from .lesson import begin, command_line, parser, whole_number
from ..networks.digits import train_digits

TEST_FRACTION = 0.2     # 359 of the 1,797 digits are kept for testing
SPLIT_SEED = 0
FEWEST = {"epochs": 1, "examples": 10}   # the smallest --epochs N and --examples N accepted
ENVIRONMENT = {"epochs": "GROKKING_EPOCHS", "examples": "GROKKING_EXAMPLES"}   # their defaults


def start_digits(doc, argv=None, options=None):
    """``(lesson, epochs, examples)``: the shared options, plus --epochs and --examples.

    options: the chapter's ``Options`` (what --trace and --plot do in it), as for ``start``.
    """
    chapter = parser(doc, options)
    shorter = chapter.add_argument_group("a shorter run (the digits chapters)")
    shorter.add_argument("--epochs", type=int, default=None, metavar="N",
                         help="train every network for N epochs "
                              "(default: GROKKING_EPOCHS, else the chapter's choice)")
    shorter.add_argument("--examples", type=int, default=None, metavar="N",
                         help="use only the first N digits, e.g. 300 for a quick run "
                              "(default: GROKKING_EXAMPLES, else all 1,797)")
    args = chapter.parse_args(command_line() if argv is None else argv)
    for name, fewest in FEWEST.items():
        setattr(args, name, whole_number(getattr(args, name), f"--{name}", ENVIRONMENT[name], fewest))
    return begin(args, options), args.epochs, args.examples


def digits_data(examples=None):
    """``(train, test)``, each an ``(images, labels)`` pair: the digits split 80/20 with seed 0.

    examples: use only the first ``examples`` digits (for quick runs), else all 1,797.
    """
    images, labels = load_digits()
    if examples is not None:
        images, labels = images[:examples], labels[:examples]
    train_images, train_labels, test_images, test_labels = split(
        images, labels, test_fraction=TEST_FRACTION, seed=SPLIT_SEED)
    return (train_images, train_labels), (test_images, test_labels)


def run(lesson, name, recipe, train, test, validation=None):
    """Train one recipe with progress on standard error; ``(history, seconds)``."""
    def progress(epoch, history):
        lesson.progress(f"{name}: epoch {epoch} of {recipe.epochs}, "
                        f"train {history.train[-1]:.3f}, test {history.test[-1]:.3f}")

    started = time.perf_counter()
    history = train_digits(recipe, train, test, lesson.k, validation=validation, on_epoch=progress)
    lesson.done_progress()
    return history, time.perf_counter() - started


def percent(fraction):
    return f"{100 * fraction:5.1f}%"


def accuracy_table(rows, plain="plain"):
    """The table every digits chapter ends with: each idea beside the plain network.

    rows: ``[(name, history), ...]``; ``plain`` names the row to compare against.
    """
    base = dict(rows)[plain].final_test
    width = max(len(name) for name, _ in rows)
    lines = [f"{'network':<{width}}  epochs   train    test   test vs {plain}",
             f"{'-' * width}  ------  ------  ------  " + "-" * (9 + len(plain))]
    for name, history in rows:
        change = "" if name == plain else f"{100 * (history.final_test - base):+5.1f} points"
        lines.append(f"{name:<{width}}  {history.kept_epoch:>6}  {percent(history.final_train)}  "
                     f"{percent(history.final_test)}   {change}")
    return "\n".join(lines)


def draw_curves(curves, title):
    """A picture: one line per ``(label, accuracy per epoch, style)``, accuracy in percent."""
    def draw(plt):
        from matplotlib.ticker import MaxNLocator, PercentFormatter
        for label, values, style in curves:
            plt.plot(range(1, len(values) + 1), values, style, label=label)
        plt.gca().xaxis.set_major_locator(MaxNLocator(integer=True))   # epochs are whole
        plt.gca().yaxis.set_major_formatter(PercentFormatter(1.0))
        plt.xlabel("epoch")
        plt.ylabel("accuracy (%)")
        plt.title(title)
        plt.grid(alpha=0.3)
        plt.legend(fontsize=8)
    return draw


def draw_bars(rows, title, plain="plain"):
    """A picture: test accuracy of each network, the plain one first (grey).

    The axis starts at 0, so a bar's length is its accuracy: a 0.3-point difference looks
    as small as it is. The difference from the plain network is written beside each bar.
    """
    def draw(plt):
        names = [name for name, _ in rows]
        tests = [100 * history.final_test for _, history in rows]
        base = dict(zip(names, tests)).get(plain)
        colors = ["grey" if name == plain else "tab:blue" for name in names]
        plt.barh(names[::-1], tests[::-1], color=colors[::-1])
        plt.xlim(0, 100)
        for i, (name, value) in enumerate(zip(names[::-1], tests[::-1])):
            change = "" if base is None or name == plain else f"  {value - base:+.1f} points"
            label = f"{value:.1f}%{change}"
            if value > 60:   # inside the bar's end, in white
                plt.text(value - 1, i, label, va="center", ha="right", fontsize=8, color="white")
            else:
                plt.text(value + 1, i, label, va="center", fontsize=8)
        plt.xlabel("test accuracy (%), from 0")
        plt.title(title + (f" (grey: {plain})" if base is not None else ""))
    return draw
