"""Analytic intervals of weighted samples: design-based variance, nominal coverage with informative weights;
and coverage_study's truth, defined as the estimate is."""
from __future__ import annotations

import dataclasses
import warnings
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from simsurvey.catalog.spec import survey_spec
from simsurvey.inference.analytic import katz_log
from simsurvey.inference.coverage import coverage_study
from simsurvey.inference.intervals import analytic_interval
from simsurvey.inference.resampling import BootstrapWarning, bootstrap

ITEM = "excel_engage_at_scale"


def informative_population(size=60_000, seed=0):
    """Weights four times larger for the rarer 'yes' answers: the weights are related to the answer."""
    rng = np.random.default_rng(seed)
    group = np.where(rng.random(size) < 0.3, "high", "under")
    y = (rng.random(size) < np.where(group == "high", 0.2, 0.05)).astype(np.int8)
    w = (1 + 3 * y) * rng.lognormal(0, 0.3, size)
    return pd.DataFrame({"group": group, ITEM: y, "weight": w})


def one_claim_design(frame):
    """The two cells bootstrap() builds for the high/under claim, without the catalogue around it."""
    y = frame[ITEM].to_numpy(float)
    member = np.column_stack([(frame["group"] == g).to_numpy(float) for g in ("high", "under")])
    return SimpleNamespace(claims=pd.DataFrame({"kind": ["ratio"]}), numerator=np.array([0]),
                           denominator=np.array([1]), y=member * y[:, None], member=member, groups=member,
                           cell_group=np.arange(2))


def test_weighted_analytic_intervals_cover_with_informative_weights():
    pop = informative_population()
    hi, y, w = (pop["group"] == "high").to_numpy(), pop[ITEM].to_numpy(float), pop["weight"].to_numpy()
    truth = (w[hi] @ y[hi] / w[hi].sum()) / (w[~hi] @ y[~hi] / w[~hi].sum())
    rng = np.random.default_rng(1)
    samples, block, n = 2000, 20, 600
    covered = dict.fromkeys(("katz", "koopman", "mover_wilson", "kish katz"), 0)
    for _ in range(samples // block):
        # 20 samples side by side as 20 claims of one design (each its own pair of cells), so every
        # method runs once per block; only n/(n-1) differs from one sample at a time (0.08% on the SE)
        rows = np.concatenate([rng.choice(len(pop), n, replace=False) for _ in range(block)])
        cell = 2 * np.repeat(np.arange(block), n) + ~hi[rows]
        member = np.zeros((len(rows), 2 * block))
        member[np.arange(len(rows)), cell] = 1
        design = SimpleNamespace(claims=pd.DataFrame({"kind": ["ratio"] * block}),
                                 numerator=np.arange(0, 2 * block, 2), denominator=np.arange(1, 2 * block, 2),
                                 y=member * y[rows, None], member=member, groups=member,
                                 cell_group=np.arange(2 * block))
        point = (w[rows] @ design.y) / (w[rows] @ member)
        for method in ("katz", "koopman", "mover_wilson"):
            low, high, _ = analytic_interval(method, point, w[rows], design, 0.95)
            covered[method] += int(((low <= truth) & (truth <= high)).sum())
        # what the package did before: Katz on Kish effective counts
        kish = (w[rows] @ member) ** 2 / ((w[rows] ** 2) @ member)
        low, high = katz_log(point[0::2] * kish[0::2], kish[0::2], point[1::2] * kish[1::2], kish[1::2])
        covered["kish katz"] += int(((low <= truth) & (truth <= high)).sum())
    coverage = {m: c / samples for m, c in covered.items()}
    # 2,000 samples: binomial SE of a 95% coverage is 0.0049, so 0.93-0.97 is about 4 SE either side
    for method in ("katz", "koopman", "mover_wilson"):
        assert 0.93 <= coverage[method] <= 0.97, coverage
    assert coverage["kish katz"] < 0.90, coverage  # Kish's effective n ignores that the weights follow the answer


def test_constant_weights_keep_the_unweighted_intervals():
    pop = informative_population(size=2000).drop(columns="weight")
    design, ones = one_claim_design(pop), np.ones(len(pop))
    point = (ones @ design.y) / (ones @ design.member)
    for method in ("katz", "koopman", "mover_wilson"):
        plain = analytic_interval(method, point, ones, design, 0.95)
        doubled = analytic_interval(method, point, 2 * ones, design, 0.95)
        np.testing.assert_allclose(plain[:2], doubled[:2], rtol=1e-12)


def test_weighted_katz_is_the_design_based_log_ratio_interval():
    # by hand: z_i = w_i (y_i - p_g) / (p_g W_g) per group, V = n/(n-1) sum z_i^2 (the mean of z is 0)
    sample = informative_population(size=500, seed=3)
    w, y = sample["weight"].to_numpy(), sample[ITEM].to_numpy(float)
    hi = (sample["group"] == "high").to_numpy()
    p1, p2 = w[hi] @ y[hi] / w[hi].sum(), w[~hi] @ y[~hi] / w[~hi].sum()
    z = np.where(hi, w * (y - p1) / (p1 * w[hi].sum()), -w * (y - p2) / (p2 * w[~hi].sum()))
    se = np.sqrt(len(z) / (len(z) - 1) * (z**2).sum())
    expected = np.exp(np.log(p1 / p2) + np.array([-1, 1]) * 1.959963984540054 * se)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BootstrapWarning)
        res = bootstrap(sample, replicates=200, seed=1, methods=["katz"])
    row = res[res["claim_id"] == "sos-smb-2016#8"].iloc[0]
    np.testing.assert_allclose([row["low"], row["high"]], expected, rtol=1e-10)
    assert res.attrs["assumptions"]["weighted"] is True


def test_coverage_truth_is_defined_as_the_estimate():
    # an anticipated-growth claim computed within the high tier, in a weighted population
    spec = survey_spec("sos-smb-2016")
    growth = spec.claims[spec.claims["claim_id"] == "sos-smb-2016#16"].assign(group="high")
    spec = dataclasses.replace(spec, claims=pd.concat([spec.claims[spec.claims["claim_id"] == "sos-smb-2016#8"],
                                                       growth], ignore_index=True))
    rng = np.random.default_rng(5)
    size = 6000
    group = rng.choice(["high", "moderate", "under"], size, p=[0.2, 0.5, 0.3])
    high = group == "high"
    pop = pd.DataFrame({"group": group,
                        ITEM: (rng.random(size) < np.where(high, 0.8, 0.3)).astype(int),
                        "tech_plan_chatbots": (rng.random(size) < np.where(high, 0.6, 0.1)).astype(int),
                        "tech_current_chatbots": (rng.random(size) < 0.4).astype(int)})
    pop["weight"] = 1 + 2 * pop[ITEM] + rng.random(size)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BootstrapWarning)
        cov = coverage_study(pop, spec, surveys=3, n=300, replicates=100, seed=1, methods=["percentile"])
        whole = bootstrap(pop, spec, replicates=40, seed=1, methods=["percentile"])  # the population as a sample
    truth = cov.by_claim.set_index("claim_id")["truth"]
    estimate = whole.set_index("claim_id")["estimate"]
    assert truth.to_dict() == pytest.approx(estimate.to_dict(), rel=1e-12)
    # and that is not what ignoring the group and the weights gives
    naive = pop["tech_plan_chatbots"].mean() / pop["tech_current_chatbots"].mean()
    assert abs(truth["sos-smb-2016#16"] - naive) > 0.5
