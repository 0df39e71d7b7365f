"""The bootstrap reduces each chunk of replicates as it comes; the numbers are those of the whole matrix.

Tallies, tails and chunk totals are gathered a chunk at a time so that little
work waits for the last replicate; each must equal its whole-matrix
definition exactly, whatever the chunking.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

import simsurvey as ss
from simsurvey.catalog import cache
from simsurvey.catalog.spec import survey_spec
from simsurvey.forensics.resolve import resolve, resolved_claims
from simsurvey.inference import cells as cells_module, resampling
from simsurvey.inference.checks import check_groups, group_codes
from simsurvey.inference.intervals import RatioTally
from simsurvey.inference.replicates import replicate_weights


@settings(max_examples=50, deadline=None)
@given(rows=st.integers(1, 60), claims=st.integers(1, 5), cut=st.integers(1, 59), nan_share=st.sampled_from([0, 0.2]),
       seed=st.integers(0, 2**32))
def test_a_tally_added_block_by_block_is_the_tally_of_the_whole(rows, claims, cut, nan_share, seed):
    rng = np.random.default_rng(seed)
    ratios = rng.integers(0, 5, (rows, claims)) / 2  # ties with the estimate and with 1
    ratios[rng.random(ratios.shape) < nan_share] = np.nan
    estimate = rng.integers(0, 5, claims) / 2
    whole, blocks = RatioTally.of(ratios, estimate), RatioTally(estimate)
    for start in range(0, rows, cut):
        blocks.add(ratios[start:start + cut])
    finite = np.isfinite(ratios)
    assert whole.valid.tolist() == blocks.valid.tolist() == finite.sum(axis=0).tolist()
    assert blocks.above_1.tolist() == (ratios > 1).sum(axis=0).tolist()
    # BCa's bias correction counts ties with the estimate half: twice the count is below + at
    assert blocks.below.tolist() == ((ratios < estimate).sum(axis=0) + (ratios <= estimate).sum(axis=0)).tolist()
    low = np.where(finite, ratios, np.inf).min(axis=0)
    high = np.where(finite, ratios, -np.inf).max(axis=0)
    assert np.array_equal(blocks.low, low) and np.array_equal(blocks.high, high)


@pytest.mark.parametrize("weighted", [False, True])
def test_chunk_totals_are_the_rows_of_totals(weighted):
    rng = np.random.default_rng(2)
    values = (rng.random((300, 5)) < 0.4).astype(float)
    rw = replicate_weights(300, 250, seed=3, base=rng.uniform(0.5, 2, 300) if weighted else None)
    whole = rw.totals(values)
    for size in (1, 16, 37, 250):
        parts = list(rw.chunk_totals(values, chunk_size=size))
        assert [start for start, _ in parts] == sorted(start for start, _ in parts)  # in order, no gaps
        assert np.array_equal(np.vstack([rows for _, rows in parts]), whole)


def _table(sample, replicates, seed, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ss.bootstrap(sample, "sos-smb-2016", replicates=replicates, seed=seed, **kwargs)


@pytest.mark.parametrize("methods", [resampling.METHODS, ["bca"], ["basic", "simultaneous"], ["simultaneous", "katz"]])
def test_tails_gathered_during_the_bootstrap_give_the_whole_columns_numbers(monkeypatch, methods):
    # 6,000 replicates: the tails of each claim are gathered chunk by chunk (when a method reads a
    # quantile); forcing the whole-column selection instead must give the very same table, bit for bit
    sample = ss.generate("sos-smb-2016", seed=3)
    gathered = _table(sample, 6000, 4, methods=methods)
    monkeypatch.setattr(resampling, "_SELECT_WHOLE", 10**9)
    assert gathered.equals(_table(sample, 6000, 4, methods=methods))


def test_a_claim_with_undefined_replicates_is_read_from_its_finite_ones(monkeypatch):
    # a small sample: some replicates have an empty group, so some ratios are NaN; those claims take the
    # finite-replicates path, and the table is the same whether or not the tails were gathered
    sample = ss.generate("sos-smb-2016", n=120, mode="sampled", seed=5)
    gathered = _table(sample, 5000, 6, methods=["percentile", "bca"])
    assert (gathered["replicates_used"] < 5000).any()
    monkeypatch.setattr(resampling, "_SELECT_WHOLE", 10**9)
    assert gathered.equals(_table(sample, 5000, 6, methods=["percentile", "bca"]))


def test_the_result_table_is_the_callers_own():
    # the claims' columns of the table are built once per cell plan and reused: changing a returned
    # table must not reach the next one
    sample = ss.generate("sos-smb-2016", seed=7)
    first = _table(sample, 1000, 8, methods=["percentile"])
    first.loc[0, "item"], first.loc[0, "printed"] = "changed", -1.0
    again = _table(sample, 1000, 8, methods=["percentile"])
    assert again.loc[0, "item"] != "changed" and again.loc[0, "printed"] > 0


def test_the_shared_resolved_survey_is_made_once_and_never_the_callers_copy():
    cache.clear()
    resolved, spec = resolved_claims("sos-smb-2016")
    again = resolved_claims("sos-smb-2016")
    assert again[0] is resolved and again[1] is spec  # the same objects again: nothing recomputed
    mine = resolve("sos-smb-2016")
    mine.claims.loc[:, "printed"] = 0.0  # a caller changing its copy ...
    assert mine.claims is not resolved.claims and (resolved_claims("sos-smb-2016")[1].claims["printed"] > 0).all()
    assert cache.holds(spec) and not cache.holds(mine.claim_spec())


def test_a_callers_spec_is_planned_by_its_content_the_shared_one_by_identity():
    _, shared = resolved_claims("sos-smb-2016")
    own = resolve("sos-smb-2016").claim_spec()
    columns, present = ("group", "excel_engage_at_scale"), frozenset({"high", "under"})
    plan = cells_module.cell_plan(shared, columns, present)
    assert cells_module.cell_plan(shared, columns, present) is plan
    assert cells_module.cell_plan(own, columns, present).claims.equals(plan.claims)
    own.claims.loc[own.claims["item"] == "excel_engage_at_scale", "item"] = ""  # changed in place: replanned
    assert cells_module.cell_plan(own, columns, present).claims.empty


@pytest.mark.parametrize("column, codes, labels", [
    (pd.Series(["b", "a", "b"]), [0, 1, 0], ["b", "a"]),
    (pd.Series(pd.Categorical(["b", "a", "b"], categories=["c", "a", "b"])), [1, 0, 1], ["a", "b"]),
    (pd.Series(pd.Categorical([2, None, 1])), [1, -1, 0], ["1", "2"]),
    (pd.Series(["x", np.nan, "y"], dtype=object), [0, -1, 1], ["x", "y"]),
])
def test_group_codes_index_the_labels_that_occur(column, codes, labels):
    found_codes, found_labels = group_codes(column)
    assert found_codes.tolist() == codes and found_labels == labels


def test_check_groups_reads_a_categorical_column_as_text():
    spec = survey_spec("sos-smb-2016")
    sample = pd.DataFrame({"group": pd.Categorical(["high", "under"], categories=["high", "moderate", "under"])})
    codes, labels = check_groups(sample, spec, "group")
    assert labels == ["high", "under"] and codes.tolist() == [0, 1]
    wrong = pd.DataFrame({"group": pd.Categorical(["high", "top"])})
    with pytest.raises(ValueError, match="label\\(s\\) 'top' that are no group of survey 'sos-smb-2016'"):
        check_groups(wrong, spec, "group")
    empty = pd.DataFrame({"group": pd.Categorical(["high", None])})
    with pytest.raises(ValueError, match="empty for 1 respondent\\(s\\) \\(rows 2, header not counted\\)"):
        check_groups(empty, spec, "group")


def test_a_catalogue_folder_serves_as_well_as_the_loaded_catalogue(tmp_path):
    # bootstrap resolves the survey from the folder and reads its weighting note from the same catalogue
    import shutil

    from simsurvey.catalog.load import default_catalog_path, load_catalog

    folder = shutil.copytree(default_catalog_path(), tmp_path / "catalog", ignore=shutil.ignore_patterns("*.py"))
    sample = ss.generate("sos-smb-2016", seed=9)
    by_folder = _table(sample, 1000, 10, methods=["percentile"], catalog=str(folder))
    assert by_folder.equals(_table(sample, 1000, 10, methods=["percentile"], catalog=load_catalog(folder)))
    assert by_folder.equals(_table(sample, 1000, 10, methods=["percentile"]))
