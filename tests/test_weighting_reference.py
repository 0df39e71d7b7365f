"""simsurvey.weighting against R's survey package (tests/reference/weighting.R and its outputs).

The comparisons with the committed fixtures always run; rerunning the R script needs Rscript with
the survey package and is skipped without it. Tolerance 1e-8 (relative): both sides solve the same
equations to about 1e-13 (R: rake epsilon 1e-13 of the total, calibrate epsilon 1e-13; here tol
1e-13), and R writes 15 significant digits.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simsurvey.weighting import WeightingWarning, poststratify, rake
from simsurvey.weighting.replicates import reweighter

REF = Path(__file__).parent / "reference"
RTOL = 1e-8
FILES = ["weighting_input.csv", "weighting_weights.csv", "weighting_replicate_counts.csv",
         "weighting_replicate_weights.csv", "weighting_replicate_ratios.csv"]


@pytest.fixture(scope="module")
def ref():
    meta = json.loads((REF / "weighting_fixtures.json").read_text())
    sample = pd.read_csv(REF / "weighting_input.csv")
    weights = pd.read_csv(REF / "weighting_weights.csv")
    return meta, sample, weights


def _margins(meta, total, sizes="size_shares"):
    return {"size": dict(zip(meta["sizes"], np.multiply(meta[sizes], total))),
            "region": dict(zip(meta["regions"], np.multiply(meta["region_shares"], total))),
            "sector": dict(zip(meta["sectors"], np.multiply(meta["sector_shares"], total)))}


def test_rake_equal_base_weights(ref):
    meta, sample, expected = ref
    m = _margins(meta, meta["n"])
    res = rake(sample, {"size": m["size"], "region": m["region"]}, tol=1e-13)
    np.testing.assert_allclose(res.weights, expected["rake_equal"], rtol=RTOL)


def test_rake_unequal_base_weights_matches_rake_and_calibrate(ref):
    meta, sample, expected = ref
    res = rake(sample, _margins(meta, meta["population_total"]), "base", tol=1e-13)
    np.testing.assert_allclose(res.weights, expected["rake_base"], rtol=RTOL)
    np.testing.assert_allclose(res.weights, expected["calibrate_raking"], rtol=RTOL)


def test_shares_give_the_same_weights_as_totals_up_to_scale(ref):
    meta, sample, expected = ref
    shares = _margins(meta, 1.0)
    res = rake(sample, shares, "base", tol=1e-13)
    scale = meta["population_total"] / sample["base"].sum()  # shares keep the base weights' total
    np.testing.assert_allclose(res.weights * scale, expected["rake_base"], rtol=RTOL)


def test_bounded_raking_matches_calibrate_with_bounds(ref):
    meta, sample, expected = ref
    res = rake(sample, _margins(meta, meta["population_total"], "size_shares_mild"), expected["base_bounded"],
               tol=1e-13, bounds=meta["bounds"], max_iter=20_000)
    np.testing.assert_allclose(res.weights, expected["calibrate_bounded"], rtol=RTOL)
    g = res.weights / expected["base_bounded"]
    low, high = meta["bounds"]
    assert np.isclose(g, low).sum() > 0 and np.isclose(g, high).sum() > 0  # both bounds bind


def test_trimming_matches_trimweights_strict_and_warns(ref):
    meta, sample, expected = ref
    with pytest.warns(WeightingWarning, match="leaves margin"):
        res = rake(sample, _margins(meta, meta["population_total"]), "base", tol=1e-13, trim=meta["trim"])
    np.testing.assert_allclose(res.weights, expected["trimmed"], rtol=RTOL)
    assert res.weights.sum() == pytest.approx(meta["population_total"], rel=1e-12)  # total kept
    assert 0 < res.trimmed.mean() < 1


def test_poststratify_matches_poststratify(ref):
    meta, sample, expected = ref
    total = meta["population_total"]
    cells = {(s, r): ps * pr * total for s, ps in zip(meta["sizes"], meta["size_shares"])
             for r, pr in zip(meta["regions"], meta["region_shares"])}
    res = poststratify(sample, {("size", "region"): cells}, "base")
    np.testing.assert_allclose(res.weights, expected["poststratify"], rtol=RTOL)


def test_replicates_raked_like_svrepdesign(ref):
    meta, sample, _ = ref
    counts = pd.read_csv(REF / "weighting_replicate_counts.csv").drop(columns="respondent").to_numpy().T
    r_weights = pd.read_csv(REF / "weighting_replicate_weights.csv").drop(columns="respondent").to_numpy().T
    ratios = pd.read_csv(REF / "weighting_replicate_ratios.csv")
    base = sample["base"].to_numpy()
    rw = reweighter(sample, _margins(meta, meta["population_total"]), "base", tol=1e-13)
    raked = rw(counts * base)
    np.testing.assert_allclose(raked, r_weights, rtol=RTOL)

    y = sample["y1"].to_numpy()
    growing = (sample["group"] == "growing").to_numpy()

    def ratio(w):
        return ((w[:, growing] @ y[growing]) / w[:, growing].sum(axis=1)) / \
               ((w[:, ~growing] @ y[~growing]) / w[:, ~growing].sum(axis=1))

    full = rw(base[None, :])
    np.testing.assert_allclose(ratio(full)[0], ratios["raked"].iloc[0], rtol=RTOL)
    np.testing.assert_allclose(ratio(raked), ratios["raked"].iloc[1:], rtol=RTOL)
    np.testing.assert_allclose(ratio(counts * base), ratios["unweighted"].iloc[1:], rtol=RTOL)


def _r_survey_available():
    if shutil.which("Rscript") is None:
        return False
    return subprocess.run(["Rscript", "-e", "library(survey)"], capture_output=True, check=False).returncode == 0


@pytest.mark.skipif(not _r_survey_available(), reason="R with the survey package is not installed")
def test_r_script_reproduces_the_committed_fixtures(tmp_path):
    shutil.copy(REF / "weighting.R", tmp_path / "weighting.R")
    subprocess.run(["Rscript", "weighting.R"], cwd=tmp_path, capture_output=True, check=True)
    for name in FILES:
        fresh, kept = pd.read_csv(tmp_path / name), pd.read_csv(REF / name)
        pd.testing.assert_frame_equal(fresh, kept, check_exact=False, rtol=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fresh_meta = json.loads((tmp_path / "weighting_fixtures.json").read_text())
    kept_meta = json.loads((REF / "weighting_fixtures.json").read_text())
    for key in ("sizes", "size_shares", "bounds", "trim", "replicates"):
        assert fresh_meta[key] == kept_meta[key]
