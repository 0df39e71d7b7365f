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

from simsurvey.inference.checks import base_weights
from simsurvey.inference.cells import claim_cells
from simsurvey.inference.resampling import METHODS, BootstrapWarning, SkippedClaimWarning, bootstrap
from simsurvey.catalog.load import ALL, Catalog
from simsurvey.inference.parallel import choose_workers, map_cells
from simsurvey.seeds import as_seed_sequence, seed_record
from simsurvey.catalog.spec import SurveySpec
from simsurvey.forensics.resolve import ResolvedSurvey, resolve

__all__ = ["CoverageResult", "coverage_study"]


@dataclass(frozen=True)
class CoverageResult:
    """Result of :func:`coverage_study`.

    Attributes
    ----------
    by_claim : pandas.DataFrame
        One row per claim and method: ``truth`` (the population ratio,
        defined and weighted as the estimate), ``coverage``, ``miss_low``
        (interval entirely below the truth), ``miss_high``, ``mean_width``,
        ``surveys`` (samples in which the method gave an interval), ``mc_se``
        (Monte Carlo standard error of the coverage) and ``no_interval``
        (samples in which it gave none: NaN with a reason, not counted as a miss).
    overall : pandas.DataFrame
        One row per method: coverage over all its intervals, ``claims`` (how
        many claims it gave intervals for: the analytic methods leave out
        anticipated growth, so compare methods on ``by_claim`` for one
        family), ``all_claims_covered`` (share of samples in which every one
        of its intervals covers) and ``no_interval``.
    assumptions : dict
        Population size, sample size, number of samples and replicates, seed.
    """

    by_claim: pd.DataFrame
    overall: pd.DataFrame
    assumptions: dict


def coverage_study(population: pd.DataFrame, survey: str | SurveySpec | ResolvedSurvey = "sos-smb-2016", *, surveys: int = 1000,
                   n: int | None = None, replicates: int = 2000, seed=None, methods=METHODS,
                   confidence: float = 0.95, catalog: Catalog | None = None,
                   progress: bool | None = None, workers: int | None = None) -> CoverageResult:
    """Actual coverage of each interval method, from repeated simple random samples.

    Parameters
    ----------
    population : pandas.DataFrame
        A large respondent-level population in the sample format (``group``
        and 0/1 item columns), e.g. ``simsurvey.generate(n=200_000, mode="sampled")``.
    survey : str, SurveySpec or ResolvedSurvey
        Whose claims to study, as :func:`simsurvey.resolve` re-pairs them
        (resolved once, before the first simulated survey).
    surveys : int
        Number of simulated surveys.
    n : int, optional
        Respondents per survey; default the survey's published n.
    replicates : int
        Bootstrap replicates per survey.
    seed : int or numpy.random.SeedSequence, optional
        One seed; every survey gets its own child seed (SeedSequence.spawn),
        so results depend neither on the order surveys run in nor on ``workers``.
    methods, confidence, catalog
        As in :func:`simsurvey.inference.resampling`.
    progress : bool, optional
        Progress bar; default only on a terminal.
    workers : int, optional
        Local processes to spread the surveys over (see
        :mod:`simsurvey.inference.parallel`); default every core when the study
        is big enough to pay for starting them, else 1. Same numbers either way.

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
    resolved = resolve(survey, catalog)
    spec = resolved.claim_spec()
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
    cells = list(enumerate(root.spawn(int(surveys))))
    workers = choose_workers(workers, work=float(surveys) * replicates * n)
    if progress is None:
        progress = sys.stderr.isatty()
    # the population's attrs (generate()'s assumptions) would be deep-copied by every pandas step of every survey
    plain = pd.DataFrame(population, copy=False)
    results = map_cells(_one_survey, cells, shared=(plain, resolved, n, replicates, methods, confidence),
                        workers=workers, progress=progress, desc="coverage")
    rows = [rows for rows, _, _ in results]
    warned = sum(flag for _, flag, _ in results)
    skipped = {claim: reason for _, _, part in results for claim, reason in part.items()}
    runs = pd.concat(rows, ignore_index=True).merge(truth, on="claim_id", how="inner")
    by_claim, overall = _summarise(runs)
    assumptions = {"survey": spec.survey, "population": len(population), "n": n, "surveys": int(surveys),
                   "replicates": replicates, "confidence": confidence,
                   "seed": seed_record(root),
                   "design": "simple random sampling without replacement from the population"
                             + (", whose weights travel with the respondents" if "weight" in population.columns
                                else ""),
                   "truth": "each claim's ratio in the whole population, defined and weighted as the estimate",
                   "surveys_with_warnings": warned, "workers": workers,
                   "skipped_claims": [{"claim_id": c, "reason": r} for c, r in skipped.items()]}
    return CoverageResult(by_claim=by_claim, overall=overall, assumptions=assumptions)


def _summarise(runs: pd.DataFrame):
    """Coverage per claim and method, and per method; a NaN interval is counted apart, not as a miss."""
    runs = runs.assign(missing=runs["low"].isna() | runs["high"].isna())
    counted = runs[~runs["missing"]].copy()
    counted["covered"] = (counted["low"] <= counted["truth"]) & (counted["truth"] <= counted["high"])
    counted["miss_low"] = counted["high"] < counted["truth"]
    counted["miss_high"] = counted["low"] > counted["truth"]
    counted["width"] = counted["high"] - counted["low"]
    keys = ["claim_id", "item", "method"]
    by_claim = (counted.groupby(keys, sort=False)
                .agg(truth=("truth", "first"), coverage=("covered", "mean"), miss_low=("miss_low", "mean"),
                     miss_high=("miss_high", "mean"), mean_width=("width", "mean"), surveys=("covered", "size"))
                .reset_index())
    by_claim["mc_se"] = np.sqrt(by_claim["coverage"] * (1 - by_claim["coverage"]) / by_claim["surveys"])
    none = runs.groupby(keys, sort=False)["missing"].sum().rename("no_interval").reset_index()
    by_claim = none.merge(by_claim, on=keys, how="left")[
        ["claim_id", "item", "method", "truth", "coverage", "miss_low", "miss_high", "mean_width", "surveys",
         "mc_se", "no_interval"]]
    overall = (counted.groupby("method", sort=False)
               .agg(coverage=("covered", "mean"), miss_low=("miss_low", "mean"), miss_high=("miss_high", "mean"),
                    mean_width=("width", "mean"), intervals=("covered", "size"), claims=("claim_id", "nunique"))
               .reset_index())
    # the simultaneous band's promise is about the family: all its claims covered in the same survey
    family = counted.groupby(["method", "survey_draw"])["covered"].all().groupby("method").mean()
    overall["all_claims_covered"] = overall["method"].map(family)
    overall["no_interval"] = overall["method"].map(runs.groupby("method")["missing"].sum())
    return by_claim, overall


def _one_survey(shared, cell):
    """One simulated survey: a simple random sample drawn with the survey's own child seed, and its intervals."""
    population, resolved, n, replicates, methods, confidence = shared  # resolved once, in coverage_study
    s, child = cell
    rng = np.random.default_rng(child)
    draw = population.iloc[np.sort(rng.choice(len(population), size=n, replace=False))]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", BootstrapWarning)
        res = bootstrap(draw, resolved, replicates=replicates, seed=rng.integers(2**63), methods=methods,
                        confidence=confidence, progress=False)
    warned = any(issubclass(w.category, BootstrapWarning) and not issubclass(w.category, SkippedClaimWarning)
                 for w in caught)
    skipped = {r["claim_id"]: r["reason"] for r in res.attrs["skipped"]}
    return res[["claim_id", "item", "method", "low", "high"]].assign(survey_draw=s), warned, skipped


def _truth(population, spec):
    """Population value of every claim, defined as the estimate is (same cells, same weights).

    The cells are :func:`simsurvey.inference.resampling.claim_cells` (an
    anticipated-growth claim within its own group) and each share is weighted
    by the population's ``weight`` column when it has one, as the estimate is
    weighted by the sample's.
    """
    groups = population["group"].astype(str).to_numpy()
    w = base_weights(population)
    rows = []
    for claim in spec.claims[spec.claims["kind"].isin(["ratio", "anticipated_growth"])].itertuples():
        cells = claim_cells(claim)
        if not all(item and item in population.columns for item, _ in cells):
            continue
        shares = []
        for item, group in cells:
            member = np.ones(len(population), dtype=bool) if group == ALL else groups == group
            total = w[member].sum()
            shares.append(w[member] @ population[item].to_numpy(dtype=float)[member] / total if total else np.nan)
        if np.isfinite(shares).all() and shares[1] > 0:
            rows.append((claim.claim_id, shares[0] / shares[1]))
    return pd.DataFrame(rows, columns=["claim_id", "truth"])
