"""The bench and annotate commands run and report what they claim (no speed is asserted here)."""
import json
import re
from html import unescape
from importlib import resources
from pathlib import Path

import pytest
from threadpoolctl import threadpool_info, threadpool_limits

import grokking
from marks import needs_compiled
from grokking.tools import annotate, bench, bench_framework

ROOT = Path(__file__).resolve().parents[2]


def blas_thread_counts():
    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


def test_bench_tiny_runs_single_threaded_and_writes_its_figures(tmp_path, capsys, monkeypatch):
    figures = tmp_path / "bench.json"
    while_timing = []
    time_calls = bench.time_calls

    def counting_threads(*args):
        while_timing.extend(blas_thread_counts())
        return time_calls(*args)
    monkeypatch.setattr(bench, "time_calls", counting_threads)
    with threadpool_limits(limits=2, user_api="blas"):      # two threads before and after the bench
        assert bench.main(["--tiny", "--json", str(figures)]) == 0
        assert set(blas_thread_counts()) == {2}
    out = capsys.readouterr().out
    assert while_timing and set(while_timing) == {1}         # one thread while it measured
    assert "NumPy measured with ONE BLAS thread" in out
    assert re.search(r"^Threads: 1 \(\w+ [\d.]+, .*inside the bench's limit$", out, re.MULTILINE)
    for heading in ("BLAS:", "Kernels: nanoseconds per call", "Training: the XOR network",
                    "Training: the digits network", "Targets"):
        assert heading in out
    results = json.loads(figures.read_text())
    assert results["mode"] == "tiny" and results["machine"]["single_thread_numpy"] is True
    assert [pool["num_threads"] for pool in results["machine"]["blas_threads"]] == [1]
    kernels = {(r["kernel"], r["size"], r["input"]) for r in results["kernels"]}
    assert ("vect_mat_mul", "3x3", "lists") in kernels and ("w_sum", "16", "arrays") in kernels
    for row in results["kernels"]:
        assert row["ns"]["pure"] > 0 and row["ns"]["numpy"] > 0
        if grokking.compiled_available():
            assert row["cython/numpy"] == pytest.approx(row["ns"]["cython"] / row["ns"]["numpy"])
    rungs = [r["rung"] for r in results["training"]]
    assert rungs[:2] == ["pure_checked", "pure"] and "numpy" in rungs
    assert all(r["seconds"] > 0 for r in results["training"])
    digits = {(r["batch"], r["rung"]): r for r in results["digits"]}
    rungs = ["pure", "cython_kernels", "compiled", "numpy"] if grokking.compiled_available() \
        else ["pure", "numpy"]
    assert sorted(digits) == sorted((batch, rung) for batch in (1, 32) for rung in rungs)
    for (batch, rung), row in digits.items():
        assert row["ms_per_epoch"] > 0 and row["gflops"] > 0
        assert row["vs_numpy"] == pytest.approx(row["ms_per_epoch"] / digits[batch, "numpy"]["ms_per_epoch"])
    verdicts = re.findall(r"(PASS|MISS|not measured)\s*$", out, re.MULTILINE)
    assert len(verdicts) == len(results["targets"]) == 22 + len(bench_framework.LIMITS) + 1
    assert {(r["model"], r["hidden"]) for r in results["framework"]} == {("rnn", 16), ("lstm", 16)}


def test_bench_can_draw_the_ladder(tmp_path, capsys, monkeypatch):
    pytest.importorskip("matplotlib")
    monkeypatch.setitem(bench.MODES, "tiny", (0.0001, 1, 20, 1))
    picture = tmp_path / "ladder.png"
    assert bench.main(["--tiny", "--plot", str(picture)]) == 0
    out = capsys.readouterr().out
    assert picture.stat().st_size > 1000 and f"picture written to {picture}" in out


def test_targets_pass_only_within_their_limit():
    book = [{"kernel": k, "size": "3" if k in ("w_sum", "ele_mul") else "3x3", "numbers": 3 if k in
             ("w_sum", "ele_mul") else 9, "input": "lists", "cython/numpy": 0.1, "cython/pure": 0.2}
            for k in bench.KERNELS]
    training = [{"rung": "pure", "vs_numpy": 2.5, "iterations": 60000},
                {"rung": "compiled", "vs_numpy": 0.03, "iterations": 60000}]
    digits = [{"batch": 1, "rung": "compiled", "vs_numpy": 0.1},
              {"batch": 32, "rung": "compiled", "vs_numpy": 1.1}]
    found = {what: (measured, limit) for what, measured, limit in bench.targets(book, training, digits)}
    assert found["book size (3), lists: w_sum cython/pure"] == (0.2, 0.15)          # a MISS
    assert found["book size (3x3), lists: outer_prod cython/pure"] == (0.2, 0.35)   # a PASS
    assert found["XOR 60,000: compiled training / NumPy (>= 50x faster)"] == (0.03, 0.02)
    assert found["65536, arrays: w_sum cython/numpy (1 thread)"] == (None, 1.25)
    assert found["digits batch 1: compiled loop / NumPy (>= 8x faster)"] == (0.1, 0.125)   # a PASS
    assert found["digits batch 32: compiled loop / NumPy (at least as fast)"] == (1.1, 1.0)  # a MISS


@pytest.mark.parametrize("batch", [1, 32])
def test_the_benchs_numpy_script_learns_what_train_digits_learns(batch):
    """The NumPy script the compiled loop is timed against trains the same network: the same
    initial weights, the same shuffled order, the same accuracies epoch after epoch."""
    from grokking.lessons.digits import digits_data
    from grokking.networks.digits import Recipe, train_digits
    train, test = digits_data(300)
    recipe = Recipe(epochs=3, batch_size=batch, alpha=0.01 if batch == 1 else 0.1)
    epoch = bench.numpy_digits(recipe, train, test)
    script = [epoch() for _ in range(recipe.epochs)]
    history = train_digits(recipe, train, test, grokking.backend())
    assert script == list(zip(history.train, history.test))


def test_time_calls_gives_the_median_per_call():
    ns = bench.time_calls({"sum": (sum, ([1.0, 2.0],)), "max": (max, (1.0, 2.0))}, 0.001, 3)
    assert set(ns) == {"sum", "max"} and all(0 < v < 1e6 for v in ns.values())


def test_the_directives_are_each_pyx_header_not_setup_py():
    """A learner sees boundscheck=False above the loops it governs; setup.py holds compiler flags only."""
    for package, name in annotate.SOURCES:
        line = annotate.header(resources.files(package).joinpath(name))
        assert line is not None, name
        assert all(d in line for d in ("language_level=3", "boundscheck=False", "wraparound=False"))
    setup = (ROOT / "setup.py").read_text()
    assert "compiler_directives" not in setup and "-ffp-contract=off" in setup


def test_annotate_without_cython_says_how_to_get_it(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(annotate, "cython_version", lambda: None)
    assert annotate.main([str(tmp_path / "html")]) == 1
    assert "pip install cython" in capsys.readouterr().out
    assert not (tmp_path / "html").exists()


def test_annotated_training_loop_is_white_where_it_iterates(tmp_path):
    pytest.importorskip("Cython")
    source = resources.files("grokking.networks").joinpath("training.pyx")
    page = annotate.annotate(Path(str(source)), tmp_path)
    lines = {unescape(re.sub("<[^>]+>", "", text)).strip(): int(score)
             for score, text in re.findall(r'<pre class="cython line score-(\d+)"[^>]*>'
                                           r'.*?<span class="">\d+</span>: (.*?)</pre>',
                                           page.read_text(), re.DOTALL)}
    assert lines["error = _iteration(&net)"] == 0                # the loop body is plain C
    assert lines["total += a[i * inner + k] * w[k * columns + j]"] == 0
    assert lines["on_record(j, error)"] > 0                      # Python, at record points only


# -- chapter 8 is built on the bench's measurements --------------------------------------

def test_chapter_8_splits_time_into_per_call_and_per_number():
    from grokking.chapters import ch08_why_is_it_faster as ch08
    backends = {"pure": grokking.backend("pure"), "numpy": grokking.backend("numpy")}
    costs = ch08.call_and_number_costs(backends, small=3, big=300, min_seconds=0.0005, repeats=3)
    for name, (t_small, t_big, per_call, per_number) in costs.items():
        assert t_big > t_small > 0 and per_number > 0
        assert per_call + 3 * per_number == pytest.approx(t_small)


def test_chapter_8_counts_the_kernel_calls_of_one_iteration():
    from grokking.chapters import ch08_why_is_it_faster as ch08
    # forward: 2 mat_mul + 8 sigmoid rows; 4 vec_sub; 4 vec_mul + 4 sigmoid2deriv; then per
    # layer: mat_mul + transpose for the update, 4 or 3 rows of vec_add + ele_mul; and for the
    # top layer the error below (mat_mul + transpose) and 4 vec_mul + 4 sigmoid2deriv.
    assert ch08.kernel_calls_per_iteration(iterations=3) == 50


def test_chapter_8_measures_with_one_blas_thread_and_gives_them_back(monkeypatch):
    from grokking.chapters import ch08_why_is_it_faster as ch08
    seen = []

    class Stop(Exception):
        pass

    def first_measurement(*args, **kwargs):
        seen.extend(blas_thread_counts())
        raise Stop
    monkeypatch.setattr(ch08, "call_and_number_costs", first_measurement)
    with threadpool_limits(limits=2, user_api="blas"):
        with pytest.raises(Stop):
            ch08.main([])
        assert set(blas_thread_counts()) == {2}
    assert seen and set(seen) == {1}
    with threadpool_limits(limits=1, user_api="blas"):   # section 4 lifts the limit for a moment
        assert ch08.numpy_seconds_with_threads(2) > 0 and set(blas_thread_counts()) == {1}


def test_chapter_8_ladder_has_every_rung():
    from grokking.chapters import ch08_why_is_it_faster as ch08
    rows = ch08.ladder_microseconds(iterations=5)
    assert len(rows) == (5 if grokking.compiled_available() else 3)
    assert all(us > 0 for _, us in rows)


# -- the speed-ups in compiled.pyx give the same answers ---------------------------------

@needs_compiled
def test_fast_paths_and_four_row_gemv_match_numpy_for_every_shape():
    import numpy as np
    c = grokking.backend("cython")
    rng = np.random.default_rng(3)
    for rows in range(0, 10):
        for n in range(0, 11):
            matrix, vect = rng.standard_normal((rows, n)), rng.standard_normal(n)
            expected = matrix.dot(vect) if rows else np.zeros(0)
            for m in (matrix, np.asfortranarray(matrix), matrix.tolist()):
                got = c.vect_mat_mul(vect if not isinstance(m, list) else vect.tolist(), m)
                assert np.allclose(got, expected, rtol=0, atol=1e-12), (rows, n, type(m))
            other = rng.standard_normal(n)
            assert abs(c.w_sum(vect, other) - float(vect @ other)) < 1e-12
            assert abs(c.w_sum(vect[::-1], other[::-1]) - float(vect @ other)) < 1e-12
            assert c.w_sum(vect.tolist(), other.tolist()) == pytest.approx(float(vect @ other),
                                                                        abs=1e-12)
            assert c.ele_mul(0.5, vect[::-1]).tolist() == (0.5 * vect[::-1]).tolist()
            assert np.array_equal(c.outer_prod(vect, other[::-1]), np.outer(vect, other[::-1]))


@needs_compiled
def test_fast_paths_fall_back_for_anything_but_lists_of_floats():
    c = grokking.backend("cython")
    assert c.ele_mul(2, [1, 2.5]) == [2.0, 5.0] and c.w_sum([1, 2], [3.0, 4.0]) == 11.0
    assert c.vect_mat_mul([1.0, 2.0], [(1.0, 1.0), [2.0, 0.5]]) == [3.0, 3.0]
    assert c.outer_prod((1.0, 2.0), [3.0]) == [[3.0], [6.0]]
    with pytest.raises(ValueError, match="matrix.0. has 2 numbers but matrix.1. has 1"):
        c.vect_mat_mul([1.0, 2.0], [[1.0, 2.0], [1.0]])
    with pytest.raises(ValueError, match="a has 1 numbers but b has 2"):
        c.w_sum([1.0], [1.0, 2.0])
    with pytest.raises(TypeError, match="ele_mul: vector.1. must be a number"):
        c.ele_mul(2.0, [1.0, "x"])


@needs_compiled
def test_bench_markdown_with_agreement(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(bench.MODES, "tiny", (0.0001, 1, 20, 1))
    monkeypatch.setattr(bench, "PURE_ITERATIONS_HIDDEN_32", 30)
    monkeypatch.setattr(bench, "agreement_cases", lambda: [
        ("part 2, short", [0, 1, 1, 0], 4, 1.0, 200), ("chaotic, short", [0, 1, 1, 0], 32, 10.0, 60)])
    page = tmp_path / "BENCHMARKS.md"
    assert bench.main(["--tiny", "--agreement", "--markdown", str(page)]) == 0
    text = page.read_text()
    assert text.startswith("# Benchmarks") and bench.MARKDOWN_COMMAND in text
    assert "Agreement: the largest difference" in text and "## How to read it" in text
    lines = [line for line in text.splitlines() if line.startswith(("part 2, short", "chaotic"))]
    assert len(lines) == 2 and lines[0].endswith("yes")
    for line in lines:
        weights, errors, pure = re.findall(r"\d\.\de[+-]\d\d", line)
        assert float(pure) == 0.0       # pure and compiled: exactly the same numbers
    assert float(re.findall(r"\d\.\de[+-]\d\d", lines[0])[0]) < 1e-12
