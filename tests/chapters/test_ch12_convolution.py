"""Chapter 12 (convolution on the digits): a short run on every backend against its golden
transcript (pure's smaller, against cython's); the golden's numbers and the full run's claims against the book's NumPy code
(the convolutional network) and the book's chapter 8 code (the dense one); --trace and --plot."""
import re

import numpy as np
import pytest

from referees import book_digits
from grokking.chapters import ch11_digits_best_network as ch11
from grokking.chapters import ch12_convolution as ch12
from grokking.networks.convolution import as_image, image_patches
from grokking.lessons.digits import digits_data, percent
from networks.test_convolution import book_conv, book_flattened_input
from marks import needs_compiled
from transcript import (
    assert_chapter_prints_golden, assert_pure_prints_what_cython_prints, golden, printed)

SHORT = ("--epochs", "2", "--examples", "300")   # the run of tests/golden/ch12_convolution_short.txt
SMALLER = ("--epochs", "1", "--examples", "100")   # pure against cython (see conftest's long_run_backend)
GOLDEN = golden("ch12_convolution_short")
TABLE_ROW = re.compile(r"^ +(\d+) +(\d+\.\d)% +(\d+\.\d)% +(\d+\.\d)% +(\d+\.\d)%$", re.M)


def test_a_short_run_prints_the_golden_transcript(long_run_backend, capsys):
    assert_chapter_prints_golden(ch12, long_run_backend, capsys, options=SHORT, variant="short")


@needs_compiled
def test_pure_prints_what_cython_prints(capsys):
    assert_pure_prints_what_cython_prints(ch12, capsys, options=SMALLER)


def side_by_side(conv_train, conv_test, dense_train, dense_test):
    return [(str(epoch), *(percent(a).strip()[:-1] for a in row))
            for epoch, row in enumerate(zip(conv_train, conv_test, dense_train, dense_test), 1)]


def test_the_golden_numbers_are_the_books():
    """Every accuracy of the short run's table, from the book's NumPy code of each network."""
    train, test = digits_data(300)
    conv_train, conv_test, *_ = book_conv(ch12.CONV.but(epochs=2), train, test)
    dense_train, dense_test, *_ = book_digits(ch12.DENSE.but(epochs=2), train, test)
    assert TABLE_ROW.findall(GOLDEN) == side_by_side(conv_train, conv_test, dense_train, dense_test)
    assert f"After 2 epochs it reads {percent(conv_test[-1]).strip()} of the 60 test digits." in GOLDEN
    slip_test = book_conv(ch12.CONV.but(epochs=1, book_kernel_update=True), train, test)[1]
    assert (f"the book's kernel update (uphill) {percent(slip_test[0]).strip()}, "
            f"downhill {percent(conv_test[0]).strip()}.") in GOLDEN


def test_the_networks_are_the_books_and_chapter_11s_best():
    assert ch12.DENSE == ch11.BEST.but(epochs=ch12.EPOCHS)
    conv = ch12.CONV
    assert (conv.num_kernels, conv.kernel_rows, conv.kernel_cols, conv.dropout) == (16, 3, 3, True)
    assert (conv.kernel_scale, conv.weight_scale) == (0.01, 0.1)   # the book's 0.02*r - 0.01, 0.2*r - 0.1
    assert (conv.alpha, conv.batch_size, conv.epochs) == (0.2, 16, 12)
    assert "batches of 16, alpha 0.2, dropout (half), 2 epochs" in GOLDEN


def test_the_patches_section_prints_what_get_image_section_gives():
    train, _ = digits_data(300)
    image = np.array(train[0][0]).reshape(1, 8, 8)
    patches = book_flattened_input(image, ch12.CONV)
    top_left = re.search(r"the top-left patch: (.*)$", GOLDEN, re.M).group(1)
    right = re.search(r"one pixel to the right: (.*)$", GOLDEN, re.M).group(1)
    assert [float(p) for p in top_left.split()] == pytest.approx(patches[0], abs=0.0051)
    assert [float(p) for p in right.split()] == pytest.approx(patches[1], abs=0.0051)
    assert "36 patches of 9 pixels (the book's loop: 25)" in GOLDEN
    assert "one 576 x 9 matrix" in GOLDEN


@pytest.fixture(scope="module")
def full_run():
    """The chapter as a learner runs it (12 epochs, all 1,797 digits), on the fastest backend
    here (NumPy's; the three agree, test_convolution.py), and the same two networks from the
    books' NumPy code."""
    out = printed(ch12.main, ["--backend", "numpy"])
    train, test = digits_data()
    conv = book_conv(ch12.CONV, train, test)
    dense = book_digits(ch12.DENSE, train, test)
    return out, conv, dense, len(test[1])


def test_the_full_run_prints_both_networks_epoch_by_epoch_as_the_books_code_learns(full_run):
    out, conv, dense, _ = full_run
    assert TABLE_ROW.findall(out) == side_by_side(conv[0], conv[1], dense[0], dense[1])
    assert len(TABLE_ROW.findall(out)) == 12


def test_the_full_run_says_why_the_convolutional_network_reads_fewer_test_digits(full_run):
    """The claim of section 4, with the numbers it prints: the convolutional network's best
    test accuracy is below the dense one's, by so many test digits, and it fits fewer of its
    training digits. (Should a change make it reach the dense one, the chapter says so, and
    this test must be rewritten with it.)"""
    out, conv, dense, test_size = full_run
    conv_best, dense_best = max(conv[1]), max(dense[1])
    assert conv_best < dense_best
    missing = round((dense_best - conv_best) * test_size)
    assert 1 <= missing <= 5
    assert (f"Best test accuracy: convolutional {percent(conv_best).strip()} (epoch "
            f"{conv[1].index(conv_best) + 1}), dense {percent(dense_best).strip()} (epoch "
            f"{dense[1].index(dense_best) + 1}).") in out
    assert f"reads {missing} fewer of the {test_size} test digits" in out
    assert conv[0][-1] < dense[0][-1]
    assert (f"training digits read after the last epoch: convolutional {percent(conv[0][-1]).strip()}, "
            f"dense {percent(dense[0][-1]).strip()}.") in out
    assert "weights: convolutional 5,904 = 144 in the kernels + 5,760 in weights_1_2; dense 4,810." in out
    assert "144 weights against the dense one's 4,096 (28 times fewer)" in out
    assert f"{100 * (conv_best - dense_best):+.1f} points" in out


def test_the_full_run_measures_the_books_slip(full_run):
    """Section 5: one epoch with the book's kernel update reads far fewer test digits."""
    out, conv, _, _ = full_run
    train, test = digits_data()
    slip_test = book_conv(ch12.CONV.but(epochs=1, book_kernel_update=True), train, test)[1]
    assert (f"the book's kernel update (uphill) {percent(slip_test[0]).strip()}, "
            f"downhill {percent(conv[1][0]).strip()}.") in out
    assert slip_test[0] < 0.5 < 0.9 < conv[1][0]


def test_trace_shows_one_test_images_patches_and_the_first_kernels_outputs():
    """--trace: 36 lines, each a patch of the first test image and the trained first kernel's
    output for it, as the book's NumPy code computes them."""
    out = printed(ch12.main, ["--backend", "numpy", "--trace", *SHORT])
    train, test = digits_data(300)
    kernels = book_conv(ch12.CONV.but(epochs=2), train, test)[2]
    patches = book_flattened_input(np.array(test[0][0]).reshape(1, 8, 8), ch12.CONV)
    lines = re.findall(r"^  trace: patch +(\d+) \(row (\d), col (\d)\): ([\d. ]+) -> kernel 0: (\S+)"
                       r"  tanh (\S+)$", out, re.M)
    assert [int(n) for n, *_ in lines] == list(range(36))
    outputs = patches.dot(kernels[:, 0])
    for (number, row, col, pixels, output, squashed), patch, want in zip(lines, patches, outputs):
        assert (int(row), int(col)) == divmod(int(number), 6)
        assert [float(p) for p in pixels.split()] == list(patch)   # sixteenths: exact in 4 decimals
        assert float(output) == pytest.approx(want, abs=1e-6)
        assert float(squashed) == pytest.approx(np.tanh(want), abs=1e-6)
    assert (f"  trace: test image 0, the first of the {len(test[1])} test digits (a {test[1][0]}; "
            "the network never trained on it),") in out.splitlines()
    first = re.search(r"trace: the first kernel \(trained\), 3 x 3: (.*)$", out, re.M).group(1)
    assert [float(w) for w in first.replace("|", " ").split()] == pytest.approx(kernels[:, 0], abs=5e-5)


def test_plot_draws_the_16_kernels_and_their_feature_maps(tmp_path, monkeypatch):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    figures, close = {}, plt.close
    monkeypatch.setattr(plt, "close", lambda *args: None)   # keep the figures to look at them
    saved = plt.savefig

    def keep(path, **options):
        figures[path.name] = plt.gcf()
        saved(path, **options)
    monkeypatch.setattr(plt, "savefig", keep)
    out = printed(ch12.main, ["--backend", "numpy", "--plot", str(tmp_path), *SHORT])
    assert sorted(figures) == ["ch12_accuracy.png", "ch12_feature_maps.png", "ch12_kernels.png"]
    assert all((tmp_path / name).stat().st_size > 0 for name in figures)
    assert out.count("(picture written to") == 3

    train, test = digits_data(300)
    kernels = book_conv(ch12.CONV.but(epochs=2), train, test)[2]
    pictures = [a.images[0].get_array() for a in figures["ch12_kernels.png"].axes if a.images]
    assert len(pictures) == 16 and all(p.shape == (3, 3) for p in pictures)
    np.testing.assert_allclose(np.array(pictures), kernels.T.reshape(16, 3, 3), rtol=1e-9, atol=1e-12)

    shown = [a.images[0].get_array() for a in figures["ch12_feature_maps.png"].axes if a.images]
    assert shown[0].shape == (8, 8) and np.allclose(shown[0], as_image(test[0][0]))
    want = np.tanh(np.array(image_patches(as_image(test[0][0]))).dot(kernels))
    np.testing.assert_allclose(np.array(shown[1:17]), want.T.reshape(16, 6, 6), rtol=1e-9, atol=1e-12)
    titles = [a.get_title() for a in figures["ch12_feature_maps.png"].axes if a.images]
    assert titles[0] == f"test digit ({test[1][0]})" and titles[1:] == [f"kernel {j}" for j in range(16)]
    close("all")

