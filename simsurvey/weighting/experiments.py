"""Experiments built from the reports' own weighting caveats, each returning one tidy table.

:func:`employee_size_experiment`
    SMB Trends (Harris) "weighted by number of employees": opt-in samples whose
    company-size mix is further and further from the population of US firms
    (:data:`simsurvey.weighting.population.SUSB_2019_FIRMS`), weighted back.
    Per sample-population distance and growing-vs-stagnant multiplier: what
    weighting does to the estimate (shift, bias), to the interval (widening,
    coverage of the true multiplier) and to precision (Kish deff, n_eff, the
    design effect on the multiplier's variance).
:func:`relevance_experiment`
    The same samples weighted on company size (related to the outcome) or on
    region (unrelated, but just as far off in the sample): weighting removes
    bias in the first case and only adds variance in the second.
:func:`country_mix_experiment` (:mod:`simsurvey.weighting.countries`)
    State of Service's eight pooled countries reweighted to another mix.

Every table's ``attrs["assumptions"]`` states the population model.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from simsurvey.seeds import as_seed_sequence, seed_record
from simsurvey.weighting.population import SIZE_CLASSES, SUSB_SOURCE
from simsurvey.weighting.simulate import REGIONS, sample_mix, simulate, size_model

__all__ = ["employee_size_experiment", "relevance_experiment", "DEFAULT_TILTS"]

DEFAULT_TILTS = (0.0, 0.25, 0.5, 0.75, 1.0)


def employee_size_experiment(*, tilts=DEFAULT_TILTS, population=None, n: int = 490, surveys: int = 100,
                             replicates: int = 400, item_effect: float = 0.8, growth_effect: float = 0.3,
                             growing_share=None, seed=None, catalog=None,
                             progress: bool | None = None) -> pd.DataFrame:
    """Weighting opt-in samples back to the population's company-size mix, as SMB Trends did.

    Parameters
    ----------
    tilts : sequence of float
        How strongly each sample over-represents larger firms (0: the sample
        mix is the population's); ``distance`` in the result is the total
        variation distance between the two mixes.
    population : mapping, optional
        Firms per size class (``2-4, 5-9, 10-19, 20-99, 100-199``); default
        SUSB 2019 (see :mod:`simsurvey.weighting.population`).
    n, surveys, replicates : int
        Respondents per survey (490 as Harris), simulated surveys per tilt,
        bootstrap replicates per survey (every one re-raked).
    item_effect, growth_effect : float
        How much larger firms use each tool and grow (log-odds per standard
        deviation of log size); 0 makes size unrelated to that.
    growing_share : float, optional
        Population share of growing firms; default the one the forensics infer
        (:func:`simsurvey.resolve`).
    seed : int or SeedSequence, optional
    catalog : Catalog, optional
        Where the Harris claims and percentages come from (default: the shipped catalogue).

    Returns
    -------
    pandas.DataFrame
        One row per tilt and claim: ``tilt, distance, sample_share_100_199,
        surveys`` (simulated surveys in which every size class had respondents), ``claim_id, item, printed, truth, deff, n_eff, unweighted, weighted,
        shift, bias_unweighted, bias_weighted, low_unweighted, high_unweighted,
        low_weighted, high_weighted, width_unweighted, width_weighted,
        widening, deff_multiplier, coverage_unweighted, coverage_weighted``
        (means over the surveys; ``deff_multiplier`` the median; limits and
        widths of 95% percentile intervals).

    Examples
    --------
    >>> t = employee_size_experiment(tilts=[0.0, 1.0], surveys=4, replicates=100, seed=1)
    >>> t[["tilt", "item"]].head(2).values.tolist()
    [[0.0, 'uses_crm'], [0.0, 'uses_helpdesk']]
    >>> bool((t.loc[t["tilt"] == 1.0, "deff"] > 2).all())  # far from the population, weighting is costly
    True
    """
    seed = as_seed_sequence(seed)
    model = size_model(population, growing_share=growing_share, item_effect=item_effect,
                       growth_effect=growth_effect, catalog=catalog)
    margins = {"size_class": dict(zip(SIZE_CLASSES, model.population))}
    runs = simulate(model, list(tilts), {"unweighted": None, "weighted": margins}, n=n, surveys=surveys,
                    replicates=replicates, seed=seed, progress=progress)
    stats = _summaries(runs)
    wide = stats.pivot_table(index=["tilt", "claim_id", "item", "printed", "truth"], columns="weighting",
                             values=["estimate", "bias", "low", "high", "width", "coverage", "deff", "n_eff",
                                     "deff_multiplier"],
                             sort=False)
    wide.columns = [f"{v}_{w}" for v, w in wide.columns]
    out = wide.reset_index()
    mixes = {t: sample_mix(model, t) for t in tilts}
    out.insert(1, "distance", out["tilt"].map(lambda t: 0.5 * np.abs(mixes[t] - model.population).sum()))
    out.insert(2, "sample_share_100_199", out["tilt"].map(lambda t: mixes[t][-1]))
    out.insert(3, "surveys", out["tilt"].map(runs.groupby("tilt")["survey"].nunique()).astype(int))
    out = out.rename(columns={"estimate_unweighted": "unweighted", "estimate_weighted": "weighted",
                              "deff_weighted": "deff", "n_eff_weighted": "n_eff",
                              "deff_multiplier_weighted": "deff_multiplier"})
    out["shift"] = out["weighted"] - out["unweighted"]
    out["widening"] = out["width_weighted"] / out["width_unweighted"]
    columns = ["tilt", "distance", "sample_share_100_199", "surveys", "claim_id", "item", "printed", "truth", "deff", "n_eff",
               "unweighted", "weighted", "shift", "bias_unweighted", "bias_weighted", "low_unweighted",
               "high_unweighted", "low_weighted", "high_weighted", "width_unweighted", "width_weighted", "widening",
               "deff_multiplier", "coverage_unweighted", "coverage_weighted"]
    out = out[columns]
    out.attrs["assumptions"] = _assumptions(model, n, surveys, replicates, seed, runs)
    return out


def relevance_experiment(*, tilt: float = 1.0, n: int = 490, surveys: int = 100, replicates: int = 400,
                         item_effect: float = 0.8, growth_effect: float = 0.3, population=None, seed=None,
                         catalog=None, progress: bool | None = None) -> pd.DataFrame:
    """Weighting on a variable related to the outcome (company size) versus an unrelated one (region).

    The samples are off on both by the same ``tilt``; only size is tied to
    growth and tool use. Returns one row per weighting and claim:
    ``weighting, related_to_outcome, claim_id, item, printed, truth, estimate,
    bias, sd, rmse, low, high, width, coverage, deff, n_eff, deff_multiplier``
    (means over the surveys; ``deff_multiplier`` the median).

    Examples
    --------
    >>> t = relevance_experiment(surveys=4, replicates=100, seed=1)
    >>> t["weighting"].unique().tolist()
    ['unweighted', 'company size', 'region']
    """
    seed = as_seed_sequence(seed)
    model = size_model(population, item_effect=item_effect, growth_effect=growth_effect, catalog=catalog)
    weightings = {"unweighted": None,
                  "company size": {"size_class": dict(zip(SIZE_CLASSES, model.population))},
                  "region": {"region": {r: 0.25 for r in REGIONS}}}
    runs = simulate(model, [tilt], weightings, n=n, surveys=surveys, replicates=replicates, seed=seed,
                    progress=progress)
    out = _summaries(runs).drop(columns="tilt")
    related = {"unweighted": "", "company size": "yes", "region": "no"}
    out.insert(1, "related_to_outcome", out["weighting"].map(related))
    order = {name: k for k, name in enumerate(weightings)}
    out = out.sort_values("weighting", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
    out.attrs["assumptions"] = {**_assumptions(model, n, surveys, replicates, seed, runs), "tilt": tilt,
                                "region": "four regions, equal in the population, unrelated to size, growth "
                                          "and every item; the sample's mix tilted like the size mix"}
    return out


def _summaries(runs: pd.DataFrame) -> pd.DataFrame:
    runs = runs.assign(width=runs["high"] - runs["low"],
                       covered=(runs["low"] <= runs["truth"]) & (runs["truth"] <= runs["high"]),
                       error=runs["estimate"] - runs["truth"])
    keys = ["tilt", "weighting", "claim_id", "item", "printed", "truth"]
    g = runs.groupby(keys, sort=False)
    out = g.agg(estimate=("estimate", "mean"), sd=("estimate", "std"), low=("low", "mean"), high=("high", "mean"),
                width=("width", "mean"),
                coverage=("covered", "mean"), deff=("deff", "mean"), n_eff=("n_eff", "mean"),
                deff_multiplier=("deff_multiplier", "median")).reset_index()
    out["bias"] = out["estimate"] - out["truth"]
    out["rmse"] = g["error"].apply(lambda e: float(np.sqrt(np.mean(e ** 2)))).to_numpy()
    return out[keys + ["estimate", "bias", "sd", "rmse", "low", "high", "width", "coverage", "deff", "n_eff",
                       "deff_multiplier"]]


def _assumptions(model, n, surveys, replicates, seed, runs):
    return {
        "population": SUSB_SOURCE, "size_shares": dict(zip(SIZE_CLASSES, model.population.round(4))),
        "growing_share": round(model.growing_share, 4), "item_effect": model.item_effect,
        "growth_effect": model.growth_effect,
        "model": "logit P(growing) and logit P(item | group) linear in standardised log size; item rates "
                 "calibrated so the population reproduces the printed percentages (truth = printed ratio)",
        "sample": "opt-in: size mix p * exp(tilt * z)", "n": n, "surveys": surveys, "replicates": replicates,
        "surveys_used": int(runs.groupby("tilt")["survey"].nunique().min()) if len(runs) else 0,
        "interval": "95% bootstrap percentile, every replicate re-raked", "seed": seed_record(seed),
    }
