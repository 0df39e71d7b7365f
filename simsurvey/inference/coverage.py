"""How often do the intervals cover the truth? A simulation over many surveys.

Take a large synthetic population whose true ratios are known, draw many
simple random samples of the survey's size, compute every interval in each,
and count how often each method's interval contains the population ratio.
A 95% interval that covers 88% of the time is a 88% interval.
"""
from __future__ import annotations

import sys
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from simsurvey._validation import check_n
from simsurvey.inference.checks import (base_weights, check_groups, check_methods, check_replicates,
                                        nothing_to_estimate)
from simsurvey.inference.cells import cell_plan, cells_from, claim_cells, item_values
from simsurvey.inference.notices import skipped_records
from simsurvey.inference.replicates import replicate_weights
from simsurvey.inference.resampling import (METHODS, BootstrapWarning, SkippedClaimWarning, _estimate,
                                            unresolved_claims)
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
    n = check_n(spec.n if n is None else n, "n", minimum=2)
    if n > len(population):
        raise ValueError(f"n ({n}) is larger than the population ({len(population)} rows)")
    surveys = check_n(surveys, "surveys")

    truth = _truth(population, spec)
    root = as_seed_sequence(seed)
    cells = list(enumerate(root.spawn(int(surveys))))
    workers = choose_workers(workers, work=float(surveys) * replicates * n)
    if progress is None:
        progress = sys.stderr.isatty()
    shared = _population(population, resolved, spec, n, replicates, check_methods(methods, METHODS),
                         confidence)
    results = map_cells(_one_survey, cells, shared=shared, workers=workers, progress=progress, desc="coverage")
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


@dataclass(frozen=True)
class _Population:
    """The population as the arrays every simulated survey reads, checked once (sent once to each worker)."""

    spec: SurveySpec
    columns: tuple            # the population's columns (a cell plan depends on them)
    values: np.ndarray        # N x items, uint8: every item a claim of the survey can use
    column: dict              # item -> its column of ``values``
    codes: np.ndarray         # N: each respondent's group, as a position in ``labels``
    labels: np.ndarray
    weights: np.ndarray       # N: base weights (ones without a ``weight`` column)
    unresolved: pd.DataFrame  # claims left unresolved by the chart solver: skipped in every survey
    n: int
    replicates: int
    methods: list
    confidence: float
    plans: dict = field(default_factory=dict, compare=False)  # groups present -> CellPlan, filled as met


def _population(population, resolved, spec, n, replicates, methods, confidence) -> _Population:
    """Check the population as :func:`bootstrap` checks a sample, and keep the arrays the surveys need."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BootstrapWarning)  # counted per survey (surveys_with_warnings), as there
        replicates = check_replicates(replicates, confidence)
    codes, labels = check_groups(population, spec, "group")
    plain = pd.DataFrame(population, copy=False)  # without attrs, which every column read would copy
    items = cell_plan(spec, tuple(plain.columns), frozenset(labels)).items  # a sample's plan uses a subset
    return _Population(spec, tuple(plain.columns), item_values(plain, items).astype(np.uint8),
                       {item: j for j, item in enumerate(items)}, codes, np.asarray(labels, dtype=object),
                       base_weights(plain), unresolved_claims(resolved), n, replicates, methods, confidence)


def _one_survey(population: _Population, cell):
    """One simulated survey: a simple random sample drawn with the survey's own child seed, and its intervals.

    The same numbers as :func:`bootstrap` on the drawn rows (same cells, seed and replicates), without
    building the sample's DataFrame or the full result table.
    """
    p = population
    s, child = cell
    rng = np.random.default_rng(child)
    rows = np.sort(rng.choice(len(p.codes), size=p.n, replace=False))
    codes = p.codes[rows]
    present = frozenset(p.labels[np.unique(codes)])
    if present not in p.plans:
        p.plans[present] = cell_plan(p.spec, p.columns, present)
    plan = p.plans[present]
    cells, skipped = cells_from(plan, p.values[rows][:, [p.column[item] for item in plan.items]], codes, p.labels)
    if len(p.unresolved):
        skipped = pd.concat([skipped, p.unresolved], ignore_index=True)
    reps = replicate_weights(p.n, p.replicates, seed=as_seed_sequence(rng.integers(2**63)), base=p.weights[rows])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", BootstrapWarning)
        check_replicates(p.replicates, p.confidence)  # few replicates: every survey's bootstrap warns
        result = None if cells.claims.empty else _estimate(cells, skipped, p.weights[rows], reps, p.methods,
                                                           p.confidence, progress=False)
    if result is None or result.cells.claims.empty:
        skipped = skipped if result is None else result.skipped
        raise ValueError(nothing_to_estimate(pd.DataFrame(columns=list(p.columns)), p.spec, skipped))
    warned = any(issubclass(w.category, BootstrapWarning) and not issubclass(w.category, SkippedClaimWarning)
                 for w in caught)
    claims = result.cells.claims
    repeat = np.tile(np.arange(len(claims)), len(p.methods))
    table = pd.DataFrame({"claim_id": claims["claim_id"].array.take(repeat),
                          "item": claims["item"].array.take(repeat),
                          "method": np.repeat(np.array(p.methods, dtype=object), len(claims)),
                          "low": np.concatenate([low for low, _, _ in result.intervals]),
                          "high": np.concatenate([high for _, high, _ in result.intervals]),
                          "survey_draw": s})
    return table, warned, {r["claim_id"]: r["reason"] for r in skipped_records(result.skipped)}


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
