"""bootstrap(..., reweight=margins): every replicate re-raked; checked by hand and against R's survey."""
from __future__ import annotations

import shutil
import subprocess
import warnings

import numpy as np
import pandas as pd
import pytest

import simsurvey as ss
from simsurvey.inference.resampling import sample_replicates
from simsurvey.weighting.replicates import reweighted_shares, reweighter

SIZES = ["2-4", "5-9", "10-19", "20-99", "100-199"]
MARGINS = {"size_class": dict(zip(SIZES, [0.62, 0.17, 0.11, 0.08, 0.02]))}


@pytest.fixture(scope="module")
def harris():
    s = ss.generate("smb-trends-2017", seed=11)
    s["size_class"] = pd.cut(s["employees"], [1, 4, 9, 19, 99, 199], labels=SIZES).astype(str)
    return s[["respondent", "group", "uses_crm", "uses_helpdesk", "size_class"]]


def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def _ratio(shares_growing, shares_stagnant):
    return shares_growing / shares_stagnant


def test_reweighted_intervals_are_quantiles_of_re_raked_replicates(harris):
    res = _quiet(ss.bootstrap, harris, "smb-trends-2017", replicates=400, seed=3, methods=["percentile"],
                 reweight=MARGINS)
    reps = sample_replicates(harris, 400, seed=3)
    rw = reweighter(harris, MARGINS)
    growing = (harris["group"] == "growing").to_numpy()
    full = rw(np.ones((1, len(harris))))[0]
    raked, plain = rw(reps.weights()), reps.weights()
    for item in ("uses_crm", "uses_helpdesk"):
        y = harris[item].to_numpy()

        def ratio(w):
            return ((w[:, growing] @ y[growing]) / w[:, growing].sum(axis=1)) / \
                   ((w[:, ~growing] @ y[~growing]) / w[:, ~growing].sum(axis=1))

        row = res.set_index("item").loc[item]
        assert row["estimate"] == pytest.approx(ratio(full[None, :])[0], rel=1e-12)
        assert (row["low"], row["high"]) == pytest.approx(tuple(np.quantile(ratio(raked), [0.025, 0.975])),
                                                          rel=1e-12)
        assert row["deff_weighting"] == pytest.approx(np.var(ratio(raked), ddof=1) / np.var(ratio(plain), ddof=1),
                                                      rel=1e-10)
        assert row["weighting"] == "reweighted in every replicate to: size_class"
    # weighting a sample far from its population costs precision: every multiplier's variance grows
    assert (res["deff_weighting"] > 1).all()
    assert res.attrs["assumptions"]["reweight"] == ["size_class"]


def test_harris_claims_carry_a_weighting_caveat_without_reweight(harris):
    res = _quiet(ss.bootstrap, harris, "smb-trends-2017", replicates=200, seed=1, methods=["percentile"])
    assert res["weighting"].str.startswith("unweighted interval, but the survey was weighted").all()
    assert res["deff_weighting"].isna().all()
    sos = _quiet(ss.bootstrap, ss.generate("sos-smb-2016", seed=1), replicates=200, seed=1, methods=["percentile"])
    assert (sos["weighting"] == "").all()  # State of Service says it was not weighted


def test_replicates_missing_a_weighting_category_are_dropped_and_counted(harris):
    s = harris.copy()
    s.loc[s.index[:2], "size_class"] = "200+"  # two respondents: many replicates draw neither
    margins = {"size_class": {**MARGINS["size_class"], "200+": 0.01}}
    res = _quiet(ss.bootstrap, s, "smb-trends-2017", replicates=300, seed=2, methods=["percentile"], reweight=margins)
    # P(neither of 2 drawn in 490 draws) = (488/490)^490 ~ 0.135: about 40 of 300 lost
    assert (res["replicates_used"] < 300).all() and (res["replicates_used"] > 200).all()


R_SCRIPT = r"""
suppressMessages(library(survey))
s <- read.csv("sample.csv"); reps <- read.csv("reps.csv")
s$size_class <- factor(s$size_class, levels = c("2-4", "5-9", "10-19", "20-99", "100-199"))
des <- svrepdesign(data = s, weights = ~weight, repweights = reps[, -(1:2)], type = "bootstrap", combined.weights = TRUE)
pop <- data.frame(size_class = factor(levels(s$size_class), levels = levels(s$size_class)),
                  Freq = c(0.62, 0.17, 0.11, 0.08, 0.02) * nrow(s))
rk <- withCallingHandlers(rake(des, list(~size_class), list(pop), control = list(maxit = 50, epsilon = 1e-300)),
                          warning = function(w) invokeRestart("muffleWarning"))
by <- svyby(~uses_helpdesk, ~group, rk, svymean, return.replicates = TRUE)
r <- attr(by, "replicates")
write.csv(data.frame(ratio = c(coef(by)["growing"] / coef(by)["stagnant"], r[, "growing"] / r[, "stagnant"])),
          "ratios.csv", row.names = FALSE)
"""


def _r_survey_available():
    if shutil.which("Rscript") is None:
        return False
    return subprocess.run(["Rscript", "-e", "library(survey)"], capture_output=True, check=False).returncode == 0


@pytest.mark.skipif(not _r_survey_available(), reason="R with the survey package is not installed")
def test_r_rakes_the_same_replicate_weights_to_the_same_estimates(harris, tmp_path):
    sample = harris.assign(weight=1.0)
    reps = sample_replicates(sample, 60, seed=4)
    sample.to_csv(tmp_path / "sample.csv", index=False)
    reps.to_csv(tmp_path / "reps.csv", respondent_ids=sample["respondent"])
    (tmp_path / "check.R").write_text(R_SCRIPT, encoding="utf-8")
    subprocess.run(["Rscript", "check.R"], cwd=tmp_path, capture_output=True, check=True)
    r = pd.read_csv(tmp_path / "ratios.csv")["ratio"].to_numpy()

    growing = (sample["group"] == "growing").to_numpy()
    y = np.column_stack([sample["uses_helpdesk"] * growing, sample["uses_helpdesk"] * ~growing]).astype(float)
    member = np.column_stack([growing, ~growing]).astype(float)
    shares, _ = reweighted_shares(reps, reweighter(sample, MARGINS, "weight"), y, member)
    res = _quiet(ss.bootstrap, sample, "smb-trends-2017", replicates=60, seed=4, methods=["percentile"],
                 reweight=MARGINS)
    # same replicate weights, same raking: agreement to R's printing precision
    assert res.set_index("item").loc["uses_helpdesk", "estimate"] == pytest.approx(r[0], rel=1e-9)
    np.testing.assert_allclose(shares[:, 0] / shares[:, 1], r[1:], rtol=1e-9)
