"""Synthetic respondents that reproduce a report's published shares and percentages.

:func:`generate` turns a survey's published figures into one row per
respondent. What the report published is reproduced; what it did not publish
is an explicit assumption, listed in ``frame.attrs["assumptions"]``:

- **groups** get the published shares (``exact``: whole-number group sizes
  whose percentages print as the shares and under which every item figure is
  reproducible; ``sampled``: multinomial draws);
- **items** are 0/1 columns (top box, as the report counts it). Exact mode
  picks per group the admissible count closest to ``pct * N / 100``, then
  moves counts within their rounding runs until every feasible printed claim
  prints as published (:mod:`simsurvey.synth.exact`); sampled mode draws with the printed
  probabilities. Items published for everyone only get the same probability
  in every group; items published for some groups only are skipped and
  listed. The answers of a single-choice question come from one answer per
  respondent (0/1 columns summing to 1, plus a categorical column named by
  the question);
- **dependence** within a group comes from a Gaussian copula
  (:mod:`simsurvey.synth.copula`, default latent correlation 0.3), or, with
  ``model="latent"``, from one trait that also defines the groups
  (:mod:`simsurvey.synth.latent`);
- **tier ratings** (State of Service): the two self-ratings the report's
  tiers come from (:mod:`simsurvey.synth.tiering`); **Likert** answers whose top
  boxes are the items (:mod:`simsurvey.synth.likert`); **covariates** company size
  and country (:mod:`simsurvey.synth.covariates`).

:func:`generate` is a short run of named steps: check the arguments
(:class:`~simsurvey.synth.options.GenerateOptions`) and resolve the survey once
(:func:`~simsurvey.synth.options.survey_inputs`); fit the latent model if asked;
exact mode's whole-number counts (:func:`~simsurvey.synth.exact.exact_design`:
sizes, counts per question, claims) or sampled mode's cut points; the random
draws (:mod:`simsurvey.synth.answers`: groups, answers, Likert); the frame
(ratings and covariates added here); the assumptions record.
"""
from __future__ import annotations

import numbers
import warnings

import numpy as np
import pandas as pd

from simsurvey.forensics.resolve import ResolvedSurvey
from simsurvey.seeds import as_seed_sequence
from simsurvey.synth.answers import (COUNTRY, EMPLOYEES, RATINGS, draw_answers, group_codes, sampled_cuts,
                                     theta_in_groups)
from simsurvey.synth.exact import claims_to_reproduce, exact_design
from simsurvey.synth.copula import DEFAULT_RHO, child_seed
from simsurvey.synth.covariates import draw_countries, draw_employees
from simsurvey.synth.latent import fit_latent
from simsurvey.synth.likert import likert_categorical
from simsurvey.synth.options import MODELS, MODES, GenerateOptions, Inputs, survey_inputs
from simsurvey.synth.tiering import OVERALL_SERVICE, VS_COMPETITION, RatingAssumptions, draw_ratings

__all__ = ["generate", "MODELS", "MODES"]

OTHER = "other"  # the unpublished rest of an incomplete single-choice question


def generate(survey: str | SurveySpec | ResolvedSurvey = "sos-smb-2016", n: int | None = None, seed=None,
             model: str = "calibrated", mode: str = "exact", *, rho=None, catalog=None, shares=None,
             ratings=None, likert: bool = False, employees=None, country=None,
             employees_tier_rho: float = 0.0, rule: str = "any", on_infeasible: str = "raise",
             progress: bool | None = None) -> pd.DataFrame:
    """Synthetic respondents reproducing a survey's published figures.

    Parameters
    ----------
    survey : str, SurveySpec or ResolvedSurvey
        Survey id in ``catalog``, a spec (e.g. one you built yourself), or
        what :func:`simsurvey.resolve` made of either (an id or spec is
        resolved once). Exact mode at the published n uses its group sizes,
        and reproduces every claim it finds feasible in whole numbers.
    n : int, optional
        Respondents; default the survey's published n.
    seed : int, numpy.random.SeedSequence or None
        Same seed, same frame (byte for byte). None draws fresh entropy,
        recorded in the assumptions so the run can be repeated.
    model : {"calibrated", "latent"}
        ``calibrated``: groups and per-group percentages as published, items
        dependent within a group through a Gaussian copula. ``latent``: a
        one-factor threshold model fitted to the figures (:func:`fit_latent`)
        in which one trait drives the groups and every item.
    mode : {"exact", "sampled"}
        ``exact``: whole-number counts so every printed percentage is
        reproduced to the printed digit (the copula only orders who answers
        what); ``sampled``: draws from the printed probabilities (or the
        fitted model), for superpopulation experiments.
    rho : float, array_like or DataFrame, optional
        Within-group latent correlation of the calibrated model: a scalar in
        [0, 1] (equicorrelation, default 0.3, see
        :data:`simsurvey.synth.copula.DEFAULT_RHO`) or a positive semi-definite
        correlation matrix with one row and column per question (yes/no item
        id or single-choice question id, in catalogue order; a DataFrame is
        matched by labels). Not used by the latent model.
    catalog : Catalog, str or Path, optional
        Catalogue (or its folder); default the shipped one. With a spec it
        supplies the survey's company-size range and countries.
    shares : mapping of group -> proportion, optional
        Group shares where the report does not publish them (or to override
        them); default the published shares or, for two groups, the midpoint
        of the interval the overall figures imply (:mod:`simsurvey.synth.shares`).
    ratings : RatingAssumptions or bool, optional
        The tier self-ratings (``vs_competition``, ``overall_service``) for a
        survey with high / moderate / under tiers. Default: on, with
        :class:`~simsurvey.synth.tiering.RatingAssumptions`; False: off.
    likert : bool
        Add ``<item>_likert`` five-point answers whose top boxes are the item.
    employees : None, False, float or mapping
        Company size: default power law on the survey's range (see
        :mod:`simsurvey.synth.covariates`); an exponent; ``{size: weight}``; False: no column.
    country : None, False or mapping
        Country: default equal shares over the survey's countries;
        ``{country: weight}`` or ``{group: {country: weight}}``; False: no column.
    employees_tier_rho : float
        Copula correlation of company size with the tier trait, in (-1, 1). Default 0.
    rule : {"any", "half_up", "half_even"}
        Rounding rule the report is assumed to use (exact mode).
    on_infeasible : {"raise", "nearest"}
        Where no whole number of respondents reproduces a printed figure (a
        forensics inconsistency): raise, or use the nearest count, warn and
        record it in the assumptions.
    progress : bool, optional
        Progress bar; default only when writing to a terminal.

    Returns
    -------
    pandas.DataFrame
        One row per respondent: ``respondent``, ``group`` (categorical in
        catalogue order), the rating columns, one int8 0/1 column per item
        (single-choice questions also as one categorical column), optional
        Likert columns, ``employees`` and ``country``. ``attrs["assumptions"]``
        lists every assumption; ``attrs["skipped_items"]`` the items not generated.

    Examples
    --------
    >>> df = generate("sos-smb-2016", seed=1)
    >>> len(df), df["group"].value_counts(sort=False).tolist()
    (786, [90, 415, 281])
    >>> round(100 * df.loc[df["group"] == "high", "excel_engage_at_scale"].mean())
    91
    >>> df.attrs["skipped_items"]
    ['right_amount_training']
    """
    opts = GenerateOptions(model=model, mode=mode, rho=rho, shares=shares, ratings=ratings, likert=likert,
                           employees=employees, country=country, employees_tier_rho=employees_tier_rho,
                           rule=rule, on_infeasible=on_infeasible, progress=progress)
    root = as_seed_sequence(seed)
    inp = survey_inputs(survey, n, catalog, opts)
    d = inp.design
    fit = None
    if opts.latent:  # fitted at the published n: the figures' own counts
        fit = fit_latent(inp.resolved, shares=shares, n=inp.spec.n or inp.n, rule=rule, on_infeasible=on_infeasible)
    if opts.exact:
        ex = exact_design(d, inp.n, inp.shares_pct, printed=inp.shares_printed, proven=inp.proven_sizes,
                          claims=claims_to_reproduce(inp.resolved, inp.proven_sizes is not None),
                          rule=rule, on_infeasible=on_infeasible)
        codes, theta = group_codes(inp.n, inp.shares_pct, root, fit, sizes=ex.sizes)
        rules, problems, missed = ex.counts, ex.problems, ex.claims_missed
    else:
        codes, theta = group_codes(inp.n, inp.shares_pct, root, fit)
        rules, problems, missed = sampled_cuts(d, fit), [], None
    _warn(problems, missed, proven=inp.proven_sizes is not None)
    answers, likert_codes, scales = draw_answers(d, inp.n, codes, rules, root, exact=opts.exact, corr=inp.corr,
                                                 fit=fit, theta=theta, likert=likert, progress=progress)
    frame = _frame(inp, opts, root, codes, theta, answers, likert_codes, scales)
    frame.attrs["assumptions"] = {**_assumptions(inp, opts, seed, root, np.bincount(codes, minlength=len(d.groups)),
                                                 fit, scales, problems),
                                  "group_sizes_source": _sizes_source(inp, opts),
                                  **_resolution(inp.resolved, inp.proven_sizes is not None and opts.exact, missed)}
    frame.attrs["skipped_items"] = list(d.skipped)
    return frame


# -- steps ------------------------------------------------------------------------------------

def _warn(problems: list, missed, proven: bool) -> None:
    """Say (at generate's caller) what exact mode could not reproduce; the details are in the assumptions."""
    if missed and proven:  # the forensics proved these feasible: not reproducing them is news
        warnings.warn(f"{len(missed)} claim(s) feasible in whole numbers were not reproduced: "
                      + ", ".join(m["claim_id"] for m in missed)
                      + "; see attrs['assumptions']['claims_not_reproduced']", stacklevel=3)
    if problems:
        warnings.warn(f"{len(problems)} printed figure(s) could not be reproduced exactly (forensics "
                      "inconsistency); nearest counts used, see attrs['assumptions']['infeasible']",
                      stacklevel=3)


def _frame(inp: Inputs, opts: GenerateOptions, root, codes, theta, answers, likert_codes, scales) -> pd.DataFrame:
    """One row per respondent: group, ratings, items (and single-choice categoricals), Likert, covariates."""
    d, n = inp.design, inp.n
    columns: dict[str, object] = {
        "respondent": np.arange(1, n + 1, dtype=np.int32 if n < 2**31 else np.int64),
        "group": pd.Categorical.from_codes(codes, categories=list(d.groups)),
    }
    if inp.ratings is not None:
        columns.update(_rating_columns(root, codes, d.groups, inp.ratings, opts.exact))
    for q in d.questions:
        got = answers[q.id]
        for c, item in enumerate(q.items):
            columns[item] = (got == c).view(np.int8)
        if q.single_choice:
            labels = list(q.items) + ([] if q.complete else [OTHER])
            columns[q.id] = pd.Categorical.from_codes(got, categories=labels)
    for qid, (labels, _) in scales.items():
        columns[f"{qid}_likert"] = likert_categorical(likert_codes[qid], labels)
    if inp.employees is not None:
        tie = None
        if opts.employees_tier_rho != 0:  # the latent model's own trait, else one drawn within the tiers
            tie = theta if theta is not None else theta_in_groups(
                root, codes, np.bincount(codes, minlength=len(d.groups)))
        columns["employees"] = draw_employees(np.random.default_rng(child_seed(root, EMPLOYEES)),
                                              inp.employees[0], inp.employees[1], n, tie, opts.employees_tier_rho)
    if inp.country is not None:
        columns["country"] = draw_countries(np.random.default_rng(child_seed(root, COUNTRY)), codes,
                                            inp.country[0], inp.country[1])
    return pd.DataFrame(columns)


def _sizes_source(inp: Inputs, opts: GenerateOptions) -> str:
    """Where the group sizes come from, in a sentence."""
    if not opts.exact:
        return ("drawn: the latent trait cut at the fitted group thresholds" if opts.latent else
                "drawn: multinomial from the shares")
    if inp.proven_sizes is not None:
        return "simsurvey.resolve: " + inp.resolved.fact("group_sizes")["evidence"].iloc[0]
    return "chosen for this n and these shares (simsurvey.synth.exact.choose_sizes)"


def _resolution(resolved: ResolvedSurvey, used_sizes: bool, missed) -> dict:
    """What generation made of the resolved survey's pairings and claims."""
    c = resolved.claims
    return {
        "claims_repaired": c.loc[c["pairing"] == "re-paired", "claim_id"].tolist(),
        "claims_unresolved": c.loc[c["pairing"] == "unresolved", "claim_id"].tolist(),
        "claims_reproduced": ([] if missed is None else
                              [i for i in claims_to_reproduce(resolved, used_sizes)["claim_id"]
                               if i not in {m["claim_id"] for m in missed}]),
        "claims_not_reproduced": missed or [],
    }


def _rating_columns(root, group_codes, groups, rule: RatingAssumptions, exact: bool) -> dict:
    comp = np.empty(group_codes.size, dtype=np.int8)
    overall = np.empty(group_codes.size, dtype=np.int8)
    for g, tier in enumerate(groups):
        rows = np.flatnonzero(group_codes == g)
        rng = np.random.default_rng(child_seed(root, RATINGS, g))
        comp[rows], overall[rows] = draw_ratings(tier, rows.size, rng, rule, exact)
    return {"vs_competition": likert_categorical(comp, VS_COMPETITION),
            "overall_service": likert_categorical(overall, OVERALL_SERVICE)}


def _assumptions(inp: Inputs, opts: GenerateOptions, seed, root, sizes, fit, scales, problems) -> dict:
    """Every assumption of the run, JSON-friendly: what was not published and what was chosen."""
    spec, d, n, corr = inp.spec, inp.design, inp.n, inp.corr
    overall = [i for q in d.questions if q.scope == "overall" and len(d.groups) > 1 for i in q.items]
    out = {
        "survey": spec.survey,
        "n": int(n),
        "model": opts.model,
        "mode": opts.mode,
        "seed": (int(seed) if isinstance(seed, numbers.Integral) else
                 int(root.entropy) if not root.spawn_key else
                 {"entropy": int(root.entropy), "spawn_key": list(root.spawn_key)}),
        "rounding_rule": opts.rule,
        "on_infeasible": opts.on_infeasible,
        "group_sizes": {g: int(s) for g, s in zip(d.groups, sizes)},
        "shares_pct": {g: float(s) for g, s in zip(d.groups, inp.shares_pct)},
        "shares_source": inp.shares_source,
        "overall_only_items": overall,
        "overall_only_note": "published for everyone only: the same probability in every group",
        "skipped_items": dict(d.skipped),
        "single_choice": {q.id: {"items": list(q.items), "complete": q.complete}
                          for q in d.questions if q.single_choice},
        "ratings": None if inp.ratings is None else inp.ratings.as_dict(),
        "likert": ({"within_boxes": "equal split within the top boxes and within the others",
                    "scales": {k: {"labels": list(v[0]), "top_boxes": v[1]} for k, v in scales.items()}}
                   if scales else None),
        "employees": inp.employees_note,
        "employees_tier_rho": float(opts.employees_tier_rho),
        "country": inp.country_note,
        "infeasible": problems,
    }
    if corr is not None:
        out["rho"] = corr.describe()
        out["rho_note"] = ("within-group latent (tetrachoric) correlation of the Gaussian copula"
                           + ("; default 0.3, see simsurvey.synth.copula.DEFAULT_RHO" if corr.rho == DEFAULT_RHO else ""))
    if fit is not None:
        out["latent"] = {qid: {"loading": float(lo), "thresholds": [float(t) for t in th]}
                         for qid, (lo, th) in fit.params.items()}
        out["latent_unfitted"] = dict(fit.unfitted)
    return out
