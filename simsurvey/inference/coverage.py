"""How often do the intervals cover the truth? A simulation over many surveys.

Take a large synthetic population whose true ratios are known, draw many
simple random samples of the survey's size, compute every interval in each,
and count how often each method's interval contains the population ratio.
A 95% interval that covers 88% of the time is a 88% interval.
"""
from __future__ import annotations

import sys
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simsurvey.inference.resampling import METHODS, BootstrapWarning, bootstrap
from simsurvey.catalog.load import Catalog
from simsurvey.seeds import as_seed_sequence, seed_record
from simsurvey.catalog.spec import SurveySpec, survey_spec

__all__ = ["CoverageResult", "coverage_study"]


@dataclass(frozen=True)
class CoverageResult:
    """Result of :func:`coverage_study`.

    Attributes
    ----------
    by_claim : pandas.DataFrame
        One row per claim and method: ``truth``, ``coverage``, ``miss_low``
        (interval entirely below the truth), ``miss_high``, ``mean_width``,
        ``surveys`` (samples in which the method gave an interval) and
        ``mc_se`` (Monte Carlo standard error of the coverage).
    overall : pandas.DataFrame
        One row per method: coverage over all claims and samples.
    assumptions : dict
        Population size, sample size, number of samples and replicates, seed.
    """

    by_claim: pd.DataFrame
    overall: pd.DataFrame
    assumptions: dict


def coverage_study(population: pd.DataFrame, survey: str | SurveySpec = "sos-smb-2016", *, surveys: int = 1000,
                   n: int | None = None, replicates: int = 2000, seed=None, methods=METHODS,
                   confidence: float = 0.95, catalog: Catalog | None = None,
                   progress: bool | None = None) -> CoverageResult:
    """Actual coverage of each interval method, from repeated simple random samples.

    Parameters
    ----------
    population : pandas.DataFrame
        A large respondent-level population in the sample format (``group``
        and 0/1 item columns), e.g. ``simsurvey.generate(n=200_000, mode="sampled")``.
    survey : str or SurveySpec
        Whose claims to study.
    surveys : int
        Number of simulated surveys.
    n : int, optional
        Respondents per survey; default the survey's published n.
    replicates : int
        Bootstrap replicates per survey.
    seed : int or numpy.random.SeedSequence, optional
        One seed; every survey gets its own child seed (SeedSequence.spawn),
        so results do not depend on the order surveys run in.
    methods, confidence, catalog
        As in :func:`simsurvey.inference.resampling`.
    progress : bool, optional
        Progress bar; default only on a terminal.

    Returns
    -------
    CoverageResult

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> pop = pd.DataFrame({"group": np.repeat(["high", "under"], [2000, 6000]),
    ...                     "excel_engage_at_scale": np.r_[rng.random(2000) < .9, rng.random(6000) < .2].astype(int)})
    >>> res = coverage_study(pop, surveys=20, n=400, replicates=200, seed=1, methods=["katz"])
    >>> res.overall[["method", "coverage"]].values.tolist()
    [['katz', 0.9]]
    """
    spec = survey if isinstance(survey, SurveySpec) else survey_spec(survey, catalog)
    if not isinstance(population, pd.DataFrame) or "group" not in population.columns:
        raise ValueError("population must be a DataFrame with a 'group' column and 0/1 item columns")
    n = spec.n if n is None else n
    if n is None or isinstance(n, bool) or int(n) != n or n < 2:
        raise ValueError(f"n must be a whole number of at least 2, got {n!r}")
    n = int(n)
    if n > len(population):
        raise ValueError(f"n ({n}) is larger than the population ({len(population)} rows)")
    if isinstance(surveys, bool) or int(surveys) != surveys or surveys < 1:
        raise ValueError(f"surveys must be a positive whole number, got {surveys!r}")

    truth = _truth(population, spec)
    root = as_seed_sequence(seed)
    children = root.spawn(int(surveys))
    rows = []
    loop = range(int(surveys))
    if progress is None:
        progress = sys.stderr.isatty()
    if progress:
        from tqdm.auto import tqdm
        loop = tqdm(loop, desc="coverage", unit="survey")
    warned = 0
    for s in loop:
        rng = np.random.default_rng(children[s])
        draw = population.iloc[np.sort(rng.choice(len(population), size=n, replace=False))]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", BootstrapWarning)
            res = bootstrap(draw, spec, replicates=replicates, seed=rng.integers(2**63), methods=methods,
                            confidence=confidence, progress=False)
        warned += any(issubclass(w.category, BootstrapWarning) for w in caught)
        rows.append(res[["claim_id", "item", "method", "low", "high"]].assign(survey_draw=s))
    runs = pd.concat(rows, ignore_index=True).merge(truth, on="claim_id", how="inner")
    runs["covered"] = (runs["low"] <= runs["truth"]) & (runs["truth"] <= runs["high"])
    runs["miss_low"] = runs["high"] < runs["truth"]
    runs["miss_high"] = runs["low"] > runs["truth"]
    runs["width"] = runs["high"] - runs["low"]
    by_claim = (runs.groupby(["claim_id", "item", "method"], sort=False)
                .agg(truth=("truth", "first"), coverage=("covered", "mean"), miss_low=("miss_low", "mean"),
                     miss_high=("miss_high", "mean"), mean_width=("width", "mean"), surveys=("covered", "size"))
                .reset_index())
    by_claim["mc_se"] = np.sqrt(by_claim["coverage"] * (1 - by_claim["coverage"]) / by_claim["surveys"])
    overall = (runs.groupby("method", sort=False)
               .agg(coverage=("covered", "mean"), miss_low=("miss_low", "mean"), miss_high=("miss_high", "mean"),
                    mean_width=("width", "mean"), intervals=("covered", "size"))
               .reset_index())
    # the simultaneous band's promise is about the family: all claims covered in the same survey
    family = runs.groupby(["method", "survey_draw"])["covered"].all().groupby("method").mean()
    overall["all_claims_covered"] = overall["method"].map(family)
    assumptions = {"survey": spec.survey, "population": len(population), "n": n, "surveys": int(surveys),
                   "replicates": replicates, "confidence": confidence,
                   "seed": seed_record(root),
                   "design": "simple random sampling without replacement from the population",
                   "surveys_with_warnings": warned}
    return CoverageResult(by_claim=by_claim, overall=overall, assumptions=assumptions)


def _truth(population, spec):
    """Population value of every claim the population can compute."""
    groups = population["group"].astype(str).to_numpy()
    rows = []
    for claim in spec.claims.itertuples():
        if claim.kind == "ratio" and claim.item in population.columns:
            y = population[claim.item].to_numpy(dtype=float)
            num, den = groups == claim.numerator, groups == claim.denominator
            if num.any() and den.any() and y[den].mean() > 0:
                rows.append((claim.claim_id, y[num].mean() / y[den].mean()))
        elif claim.kind == "anticipated_growth" and {claim.numerator, claim.denominator} <= set(population.columns):
            den = population[claim.denominator].mean()
            if den > 0:
                rows.append((claim.claim_id, population[claim.numerator].mean() / den))
    return pd.DataFrame(rows, columns=["claim_id", "truth"])
