"""The chunked replicate engine: same numbers whatever the chunk size, bounded chunks, streamed export."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

import simsurvey as ss
from simsurvey.inference.replicates import (BYTES_PER_DRAW, CACHE_BYTES, DEFAULT_MEMORY_BUDGET, memory_budget,
                                            replicate_weights)
from simsurvey.inference.resampling import sample_replicates


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 60), replicates=st.integers(1, 40), chunk=st.integers(1, 50),
       stratify=st.booleans(), seed=st.integers(0, 2**32))
def test_counts_do_not_depend_on_the_chunk_size(n, replicates, chunk, stratify, seed):
    groups = np.random.default_rng(seed).integers(0, 3, n) if stratify else None
    rw = replicate_weights(n, replicates, seed=seed, groups=groups)
    whole = np.vstack([c for _, c in rw.chunks(replicates)])
    pieces = list(rw.chunks(chunk))
    assert [start for start, _ in pieces] == list(range(0, replicates, chunk))
    assert np.array_equal(np.vstack([c for _, c in pieces]), whole)
    # every replicate is a resample: n draws in all, and each stratum keeps its size
    assert (whole.sum(axis=1) == n).all()
    if stratify:
        for g in np.unique(groups):
            assert (whole[:, groups == g].sum(axis=1) == (groups == g).sum()).all()


def test_unstratified_counts_are_the_one_shot_multinomial_draw():
    # the engine reads one stream in order: the same counts as drawing all B x n indices at once
    n, b = 37, 50
    draws = np.random.default_rng(9).integers(0, n, size=(b, n))
    expected = np.array([np.bincount(row, minlength=n) for row in draws])
    assert np.array_equal(replicate_weights(n, b, seed=9, budget=BYTES_PER_DRAW * n * 3).counts, expected)


def test_budget_sets_the_chunk_size_never_the_numbers():
    rw = replicate_weights(1000, 500, seed=1, budget=BYTES_PER_DRAW * 1000 * 7)
    assert rw.chunk_size == 7 and len(list(rw.chunks())) == 72  # ceil(500 / 7)
    # default budget: chunks of about CACHE_BYTES (at least 64 replicates), never past the budget
    assert replicate_weights(1000, 500, seed=1).chunk_size == CACHE_BYTES // (BYTES_PER_DRAW * 1000) == 262
    assert replicate_weights(10**5, 500, seed=1).chunk_size == 64
    assert replicate_weights(10**5, 500, seed=1, budget="64MB").chunk_size == 20
    assert replicate_weights(10**7, 10, seed=1, budget=1).chunk_size == 1  # never below one replicate
    values = (np.random.default_rng(2).random((1000, 4)) < 0.4).astype(float)
    small, large = rw.totals(values), replicate_weights(1000, 500, seed=1).totals(values)
    assert np.array_equal(small, large)


def test_float32_products_are_exact_and_weighted_ones_are_float64():
    rng = np.random.default_rng(3)
    values = (rng.random((300, 5)) < 0.5).astype(float)
    rw = replicate_weights(300, 200, seed=4)
    assert np.array_equal(rw.totals(values), rw.counts.astype(float) @ values)
    base = rng.uniform(0.2, 5, 300)
    weighted = replicate_weights(300, 200, seed=4, base=base)
    # same counts, weights applied in float64: agreement to rounding (1e-12), far below any printed digit
    np.testing.assert_allclose(weighted.totals(values), weighted.weights() @ values, rtol=1e-12)
    assert np.array_equal(weighted.counts, rw.counts)


def test_bootstrap_table_is_identical_whatever_the_budget():
    sample = ss.generate("sos-smb-2016", seed=3)
    weighted = sample.assign(weight=np.random.default_rng(4).uniform(0.5, 2, len(sample)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for data, stratified in ((sample, False), (sample, True), (weighted, False)):
            small, large = (ss.bootstrap(data, replicates=1200, seed=5, budget=budget, stratified=stratified)
                            for budget in (BYTES_PER_DRAW * len(data) * 50, "1GB"))
            pd.testing.assert_frame_equal(small, large, check_exact=True)


def test_streamed_csv_is_the_whole_matrix_written_at_once(tmp_path):
    sample = pd.DataFrame({"group": ["a"] * 7 + ["b"] * 6, "weight": np.linspace(0.5, 3, 13)})
    # a budget of three replicates per chunk and a few respondents per block: many chunks, many blocks
    reps = sample_replicates(sample, 11, seed=2, stratified=True, budget=BYTES_PER_DRAW * 13 * 3)
    out = reps.to_csv(tmp_path / "reps.csv", respondent_ids=np.arange(101, 114))
    whole = pd.DataFrame(reps.weights().T, columns=[f"rep{b + 1}" for b in range(11)])
    whole.insert(0, "weight", reps.base)
    whole.insert(0, "respondent", np.arange(101, 114))
    assert out.read_text() == whole.to_csv(index=False, lineterminator="\n")
    assert [p.name for p in tmp_path.iterdir()] == ["reps.csv"]  # no scratch files left


def test_streamed_parquet_round_trips(tmp_path):
    pytest.importorskip("pyarrow")
    reps = replicate_weights(9, 5, seed=1, budget=BYTES_PER_DRAW * 9 * 2)
    back = pd.read_parquet(reps.to_csv(tmp_path / "reps.parquet"))
    assert back.columns.tolist() == ["respondent", "weight", "rep1", "rep2", "rep3", "rep4", "rep5"]
    assert np.array_equal(back.iloc[:, 2:].to_numpy().T, reps.weights())


def test_memory_budget_sources_and_errors(monkeypatch):
    monkeypatch.delenv("SIMSURVEY_MEMORY_BUDGET", raising=False)
    assert memory_budget() == DEFAULT_MEMORY_BUDGET == 256 * 2**20
    monkeypatch.setenv("SIMSURVEY_MEMORY_BUDGET", "2GiB")
    assert memory_budget() == 2 * 2**30 and replicate_weights(10, 2, seed=1).budget == 2 * 2**30
    assert memory_budget("1.5 kb") == 1500
    for bad in ("lots", 0, -5, True):
        with pytest.raises(ValueError, match="memory budget must be"):
            memory_budget(bad)
    with pytest.raises(ValueError, match="chunk_size must be a positive whole number"):
        next(replicate_weights(10, 2, seed=1).chunks(0))
    with pytest.raises(ValueError, match=r"values must have shape \(10, k\)"):
        replicate_weights(10, 2, seed=1).totals(np.ones(10))


def test_weighted_totals_are_identical_whatever_the_chunk_size():
    # float64 products of non-integer weights: BLAS rounding may depend on the rows per call, so the
    # engine always multiplies fixed blocks of replicates; any chunk size gives the very same bits
    rng = np.random.default_rng(5)
    values = (rng.random((300, 6)) < 0.5).astype(float)
    rw = replicate_weights(300, 101, seed=6, base=rng.uniform(0.3, 4, 300))
    sizes = (1, 3, 16, 17, 50, 101)
    results = [rw.totals(values, chunk_size=size) for size in sizes]
    assert all(np.array_equal(results[0], other) for other in results[1:])
    np.testing.assert_allclose(results[0], rw.weights() @ values, rtol=1e-12)


@pytest.mark.parametrize("weighted", [False, True])
def test_totals_are_identical_with_the_draws_on_a_helper_thread(monkeypatch, weighted):
    from simsurvey.inference import overlap

    rng = np.random.default_rng(7)
    values = (rng.random((500, 6)) < 0.3).astype(float)
    rw = replicate_weights(500, 700, seed=8, base=rng.uniform(0.5, 2, 500) if weighted else None,
                           budget=BYTES_PER_DRAW * 500 * 64)
    monkeypatch.setattr(overlap, "_second_core", lambda: False)
    alone = rw.totals(values)
    monkeypatch.setattr(overlap, "_second_core", lambda: True)
    monkeypatch.setattr(overlap, "WORTH_A_THREAD", 0)
    threads = []

    class Spy(overlap.Ahead):
        def __init__(self, items, depth=1):
            threads.append(depth)
            super().__init__(items, depth)

    monkeypatch.setattr(overlap, "Ahead", Spy)
    assert np.array_equal(rw.totals(values), alone)
    assert np.array_equal(rw.totals(values, early=rw.draw_early()), alone)  # drawing started before
    assert len(threads) == 2  # the helper thread did draw the chunks, both times
