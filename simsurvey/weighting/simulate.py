"""A population of US SMBs where company size matters, and opt-in samples drawn from it.

The model behind the employee-size experiments (:mod:`simsurvey.weighting.experiments`):

- each firm has a size class ``k`` with population share ``p_k``
  (:func:`simsurvey.weighting.population.size_population`) and a size score
  ``z_k``: the log of the class's geometric midpoint, standardised over the
  population;
- ``P(growing | k) = expit(a + growth_effect * z_k)``, ``a`` set so the
  population's growing share is the one the forensics infer for Harris
  (:func:`simsurvey.resolve`, 73.8%);
- ``P(item | group, k) = expit(b + item_effect * z_k)``, ``b`` set per item and
  group so the population reproduces the printed percentages exactly: the
  true multiplier is the printed ratio of percentages (41 / 20 for CRM);
- an opt-in sample over-represents larger firms: its size mix is
  ``q_k ~ p_k * exp(tilt * z_k)``;
- a second variable, ``region`` (four regions, equal in the population), is
  unrelated to everything, and the sample's region mix is tilted the same way.

:func:`simulate` draws surveys from it and, for each weighting (none, or
margins to rake to), records every multiplier's estimate, its bootstrap
percentile interval (every replicate re-raked), Kish's design effect and the
design effect on the multiplier's variance.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.special import expit

from simsurvey._validation import check_n
from simsurvey.inference.replicates import replicate_weights
from simsurvey.seeds import as_seed_sequence
from simsurvey.weighting.population import SIZE_BOUNDS, SIZE_CLASSES, size_population
from simsurvey.weighting.replicates import reweighter, variance_deff
from simsurvey.weighting.summary import kish_deff

__all__ = ["SizeModel", "size_model", "sample_mix", "simulate", "REGIONS"]

SURVEY = "smb-trends-2017"
REGIONS = ("northeast", "midwest", "south", "west")
_REGION_Z = np.array([-1.5, -0.5, 0.5, 1.5]) / np.sqrt(1.25)  # standardised under equal shares


@dataclass(frozen=True)
class SizeModel:
    """The population of the experiments: size mix, growth and item rates by size class."""

    population: np.ndarray      # share of each size class
    z: np.ndarray               # standardised log size of each class
    p_growing: np.ndarray       # P(growing | class)
    p_item: np.ndarray          # items x (growing, stagnant) x classes
    claims: pd.DataFrame        # claim_id, item, printed, truth
    growing_share: float
    item_effect: float
    growth_effect: float


def size_model(population=None, *, growing_share=None, item_effect: float = 0.8, growth_effect: float = 0.3,
               catalog=None) -> SizeModel:
    """The population model, calibrated to the Harris survey's printed percentages.

    Examples
    --------
    >>> m = size_model()
    >>> round(float(m.population @ m.p_growing), 4), m.claims["truth"].round(3).tolist()
    (0.7381, [2.05, 2.5, 1.75, 1.576])
    """
    from simsurvey.catalog.spec import survey_spec
    from simsurvey.forensics.resolve import resolve

    p = size_population(population).to_numpy()
    mid = np.log([np.sqrt(lo * hi) for lo, hi in SIZE_BOUNDS])
    z = (mid - p @ mid) / np.sqrt(p @ (mid - p @ mid) ** 2)
    if growing_share is None:
        growing_share = resolve(SURVEY, catalog).shares[0] / 100  # what the forensics infer, not a guess
    if not 0 < growing_share < 1:
        raise ValueError(f"growing_share must be between 0 and 1, got {growing_share!r}")
    a = _intercept(lambda c: p @ expit(c + growth_effect * z), growing_share)
    p_growing = expit(a + growth_effect * z)
    spec = survey_spec(SURVEY, catalog)
    table = spec.pct_table()
    claims = spec.claims[spec.claims["kind"] == "ratio"].drop_duplicates("item")
    rates = []
    for item in claims["item"]:
        per_group = []
        for group, share in (("growing", p * p_growing), ("stagnant", p * (1 - p_growing))):
            target = table.loc[item, group] / 100
            mix = share / share.sum()
            b = _intercept(lambda c: mix @ expit(c + item_effect * z), target)
            per_group.append(expit(b + item_effect * z))
        rates.append(per_group)
    truth = [table.loc[i, "growing"] / table.loc[i, "stagnant"] for i in claims["item"]]
    out = claims[["claim_id", "item", "printed"]].reset_index(drop=True).assign(truth=truth)
    return SizeModel(p, z, p_growing, np.array(rates), out, float(growing_share), float(item_effect),
                     float(growth_effect))


def _intercept(f, target):
    return brentq(lambda c: f(c) - target, -30, 30, xtol=1e-14)


def sample_mix(model: SizeModel, tilt: float) -> np.ndarray:
    """The opt-in sample's size mix ``q ~ p * exp(tilt * z)``."""
    q = model.population * np.exp(tilt * model.z)
    return q / q.sum()


def _draw(model: SizeModel, tilt: float, n: int, rng: np.random.Generator) -> pd.DataFrame:
    q = sample_mix(model, tilt)
    k = rng.choice(len(q), size=n, p=q)
    region_mix = np.exp(tilt * _REGION_Z) / np.exp(tilt * _REGION_Z).sum()
    growing = rng.random(n) < model.p_growing[k]
    frame = {"group": np.where(growing, "growing", "stagnant"),
             "size_class": pd.Categorical.from_codes(k, categories=list(SIZE_CLASSES)),
             "region": pd.Categorical.from_codes(rng.choice(4, size=n, p=region_mix), categories=list(REGIONS))}
    u = rng.random((n, len(model.claims)))
    for j, item in enumerate(model.claims["item"]):
        frame[item] = (u[:, j] < np.where(growing, model.p_item[j, 0, k], model.p_item[j, 1, k])).astype(np.int8)
    return pd.DataFrame(frame)


def simulate(model: SizeModel, tilts, weightings: dict, *, n: int = 490, surveys: int = 100,
             replicates: int = 500, confidence: float = 0.95, seed=None, progress: bool | None = None):
    """One row per tilt, survey, weighting and claim: estimate, interval, design effects.

    ``weightings`` maps a name to margins for :func:`simsurvey.rake` (None:
    unweighted). Every weighting of a survey uses the same replicates.
    """
    n, surveys = check_n(n), check_n(surveys, "surveys")
    root = as_seed_sequence(seed)
    alpha = (1 - confidence) / 2
    rows = []
    jobs = [(t, tilt, s, child) for t, (tilt, seq) in enumerate(zip(tilts, root.spawn(len(tilts))))
            for s, child in enumerate(seq.spawn(surveys))]
    if progress is None:
        import sys
        progress = sys.stderr.isatty() and len(jobs) * replicates * n > 5e7
    if progress:
        from tqdm.auto import tqdm
        jobs = tqdm(jobs, desc="surveys", unit="survey")
    for t, tilt, s, child in jobs:
        data_seq, rep_seq = child.spawn(2)
        frame = _draw(model, tilt, n, np.random.default_rng(data_seq))
        growing = (frame["group"] == "growing").to_numpy()
        if growing.all() or not growing.any() or not _can_rake(frame, weightings):
            continue  # counted in surveys_used: a sample nobody could weight (or compare) is left out
        items = model.claims["item"].tolist()
        y = np.column_stack([frame[i].to_numpy() * g for i in items for g in (growing, ~growing)]).astype(float)
        member = np.column_stack([g for _ in items for g in (growing, ~growing)]).astype(float)
        weights = replicate_weights(n, replicates, seed=rep_seq).weights()  # small: held whole, drawn once
        with np.errstate(divide="ignore", invalid="ignore"):
            plain = _ratios((weights @ y) / (weights @ member))
        for name, margins in weightings.items():
            rows.extend(_one(frame, name, margins, weights, plain, y, member, alpha, tilt, s, model))
    return pd.DataFrame(rows)


def _can_rake(frame, weightings):
    """Whether every category with a positive target has respondents, for every weighting."""
    for margins in weightings.values():
        for column, targets in (margins or {}).items():
            present = set(frame[column].unique())
            if any(v > 0 and k not in present for k, v in targets.items()):
                return False
    return True


def _ratios(shares):
    ratios = shares[:, 0::2] / shares[:, 1::2]
    ratios[~np.isfinite(ratios)] = np.nan
    return ratios


def _one(frame, name, margins, weights, plain, y, member, alpha, tilt, survey, model):
    if margins is None:
        w, ratios = np.ones(len(frame)), plain
    else:
        rw = reweighter(frame, margins)
        w = rw(np.ones((1, len(frame))))[0]
        with np.errstate(divide="ignore", invalid="ignore"):
            raked = rw(weights)
            ratios = _ratios((raked @ y) / (raked @ member))
    point = (w @ y) / (w @ member)
    estimate = point[0::2] / point[1::2]
    deff_var = variance_deff(ratios, plain)
    low, high = np.nanquantile(ratios, [alpha, 1 - alpha], axis=0)
    deff = kish_deff(w)
    claims = model.claims
    return [{"tilt": tilt, "survey": survey, "weighting": name, "claim_id": claims["claim_id"].iat[j],
             "item": claims["item"].iat[j], "printed": claims["printed"].iat[j], "truth": claims["truth"].iat[j],
             "estimate": estimate[j], "low": low[j], "high": high[j], "deff": deff, "n_eff": len(w) / deff,
             "deff_multiplier": deff_var[j]} for j in range(len(claims))]
