"""Replicate weights exported for R: survey::svrepdesign gives the same replicate ratios.

Runs where R and its survey package are installed (Debian: r-base-core r-cran-survey);
skipped elsewhere, since CI's machine need not have R.
"""
from __future__ import annotations

import shutil
import subprocess
import warnings

import numpy as np
import pytest

import simsurvey as ss
from simsurvey.inference.replicates import replicate_weights

R_SCRIPT = r"""
suppressMessages(library(survey))
s <- read.csv("sample.csv"); reps <- read.csv("reps.csv")
stopifnot(all(s$respondent == reps$respondent))
s$weight <- reps$weight
des <- svrepdesign(data = s, weights = ~weight, repweights = reps[, -(1:2)], type = "bootstrap",
                   combined.weights = TRUE)
by <- svyby(~excel_engage_at_scale, ~group, des, svymean, return.replicates = TRUE)
r <- attr(by, "replicates")
ratio <- r[, "high"] / r[, "under"]
cat(coef(by)["high"] / coef(by)["under"], sd(ratio), quantile(ratio, c(.025, .975), type = 7), "\n")
"""


def _r_survey_available():
    if shutil.which("Rscript") is None:
        return False
    done = subprocess.run(["Rscript", "-e", "library(survey)"], capture_output=True, check=False)
    return done.returncode == 0


@pytest.mark.skipif(not _r_survey_available(), reason="R with the survey package is not installed")
def test_svrepdesign_reproduces_our_replicates(tmp_path):
    sample = ss.generate("sos-smb-2016", seed=5)[["respondent", "group", "excel_engage_at_scale"]]
    sample.to_csv(tmp_path / "sample.csv", index=False)
    reps = replicate_weights(len(sample), 500, seed=3)
    reps.to_csv(tmp_path / "reps.csv", respondent_ids=sample["respondent"])
    (tmp_path / "check.R").write_text(R_SCRIPT, encoding="utf-8")
    out = subprocess.run(["Rscript", "check.R"], cwd=tmp_path, capture_output=True, text=True, check=True)
    estimate, sd, low, high = map(float, out.stdout.split())

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = ss.bootstrap(sample, "sos-smb-2016", replicates=500, seed=3, methods=["percentile"]).iloc[0]
    # our replicate ratios, straight from the weights
    w, y = reps.weights(), sample["excel_engage_at_scale"].to_numpy()
    share = {g: (w[:, m] @ y[m]) / w[:, m].sum(axis=1) for g in ("high", "under")
             for m in [(sample["group"] == g).to_numpy()]}
    # same replicates, same arithmetic: agreement to printing precision, not Monte Carlo error
    assert estimate == pytest.approx(ours["estimate"], rel=1e-6)
    assert sd == pytest.approx(np.std(share["high"] / share["under"], ddof=1), rel=1e-6)
    assert (low, high) == pytest.approx((ours["low"], ours["high"]), rel=1e-6)
