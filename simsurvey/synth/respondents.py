"""Synthetic respondents that reproduce a report's published shares and percentages.

:func:`generate` turns a survey's published figures into one row per
respondent. What the report published is reproduced; what it did not publish
is an explicit assumption, listed in ``frame.attrs["assumptions"]``:

- **groups** get the published shares (``exact``: whole-number group sizes
  whose percentages print as the shares and under which every item figure is
  reproducible; ``sampled``: multinomial draws);
- **items** are 0/1 columns (top box, as the report counts it). Exact mode
  picks per group the admissible count closest to ``pct * N / 100``
  (:mod:`simsurvey.synth.calibrate`); sampled mode draws with the printed
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
"""
from __future__ import annotations

import numbers
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import ndtr

from simsurvey.synth.calibrate import ON_INFEASIBLE, choose_sizes, exact_counts, probabilities
from simsurvey.catalog.load import Catalog, load_catalog
from simsurvey.synth.copula import (DEFAULT_RHO, assign_by_rank, assign_by_threshold, child_seed, correlation,
                     cuts_from_probs, latent_columns)
from simsurvey.synth.covariates import country_table, draw_countries, draw_employees, employee_distribution
from simsurvey.synth.design import design, validate_spec
from simsurvey.synth.latent import _theta_in_groups, fit_latent, group_cuts
from simsurvey.synth.likert import likert_categorical, likert_codes_exact, likert_codes_sampled, likert_scale
from simsurvey.forensics.rounding import RULES
from simsurvey.seeds import as_seed_sequence
from simsurvey.synth.shares import resolve_shares
from simsurvey.synth.claimcounts import reproduce_claims
from simsurvey.forensics.resolve import ResolvedSurvey, resolve
from simsurvey.catalog.spec import SurveySpec
from simsurvey.synth.tiering import OVERALL_SERVICE, TIERS, VS_COMPETITION, RatingAssumptions, draw_ratings

__all__ = ["generate", "MODELS", "MODES"]

MODELS = ("calibrated", "latent")
MODES = ("exact", "sampled")
OTHER = "other"  # the unpublished rest of an incomplete single-choice question

# named child seeds (see copula.child_seed): one stream per purpose
_GROUPS, _FACTOR, _NOISE, _RATINGS, _THETA, _EMPLOYEES, _COUNTRY = range(7)


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
    _check_choice("model", model, MODELS)
    _check_choice("mode", mode, MODES)
    _check_choice("rule", rule, RULES)
    _check_choice("on_infeasible", on_infeasible, ON_INFEASIBLE)
    if model == "latent" and rho is not None:
        raise ValueError("rho applies to model='calibrated'; in the latent model the fitted loadings "
                         "carry the dependence")
    if not isinstance(likert, bool):
        raise ValueError(f"likert must be True or False, got {likert!r}")
    if not isinstance(employees_tier_rho, numbers.Real) or not -1 < employees_tier_rho < 1:
        raise ValueError(f"employees_tier_rho must be a number in (-1, 1), got {employees_tier_rho!r}")
    root = as_seed_sequence(seed)
    cat = _catalog(catalog)
    resolved = _resolved(survey, cat, rule)
    spec = resolved.spec
    n = _n(n, spec)
    d = design(spec)
    if n < len(d.groups):
        raise ValueError(f"n must be at least the number of groups ({len(d.groups)}), got {n}")
    share_pct, printed, share_source = _shares(resolved, shares)
    corr = correlation(DEFAULT_RHO if rho is None else rho, d.latent_ids) if model == "calibrated" else None
    tiers = d.groups == TIERS
    rating_rule = _ratings(ratings, tiers)
    # covariates are validated here, before any work
    low, high, countries = _survey_meta(spec, cat)
    emp_dist = country_dist = None
    emp_note = country_note = None
    if employees is not False:
        if employees is not None or (low is not None and high is not None):
            emp_dist = employee_distribution(low, high, employees)
            emp_note = emp_dist[2]
        else:
            emp_note = "left out: the survey publishes no range of company sizes"
    if country is not False:
        if country is not None or countries:
            country_dist = country_table(countries, d.groups, country)
            country_note = country_dist[2]
        else:
            country_note = "left out: the survey lists no countries"
    exact = mode == "exact"
    problems: list[dict] = []

    # -- groups (and the latent trait) ---------------------------------------------------
    groups_rng = np.random.default_rng(child_seed(root, _GROUPS))
    fit, theta = None, None
    if model == "latent":
        fit = fit_latent(resolved, shares=shares, n=spec.n or n, rule=rule, on_infeasible=on_infeasible)
    resolved_sizes = resolved.sizes is not None and shares is None and n == spec.n
    if exact:
        if resolved_sizes:  # what the forensics proved: sizes that fit every figure and claim
            sizes = np.array(resolved.sizes, dtype=np.int64)
        else:
            sizes, found = choose_sizes(d, share_pct, n, printed=printed, rule=rule, on_infeasible=on_infeasible)
            problems += found
        group_codes = groups_rng.permutation(np.repeat(np.arange(len(d.groups), dtype=np.int8), sizes))
        if model == "latent":
            theta = _theta_in_groups(np.random.default_rng(child_seed(root, _THETA)), group_codes,
                                     group_cuts(sizes))
    elif model == "latent":
        theta = np.random.default_rng(child_seed(root, _THETA)).standard_normal(n).astype(np.float32)
        group_codes = assign_by_threshold(theta, fit.cuts[1:-1])
    else:
        group_codes = groups_rng.choice(len(d.groups), size=n, p=share_pct / share_pct.sum()).astype(np.int8)
    sizes = np.bincount(group_codes, minlength=len(d.groups))

    # -- how each question is read off its latent value ----------------------------------
    rules = {}
    for q in d.questions:
        if exact:
            counts, found = exact_counts(q, d.groups, sizes, rule=rule, on_infeasible=on_infeasible)
            problems += found
            rules[q.id] = counts
        elif model == "latent":
            rules[q.id] = np.tile(np.asarray(fit.params[q.id][1]), (len(d.groups), 1))
        else:
            rules[q.id] = np.array([cuts_from_probs(p) for p in probabilities(q, len(d.groups))])
    claims_missed = None
    if exact:
        claims_missed = reproduce_claims(d, rules, sizes, _claims_to_reproduce(resolved, resolved_sizes), rule=rule)
        if claims_missed and resolved_sizes:  # the forensics proved these feasible: not reproducing them is news
            warnings.warn(f"{len(claims_missed)} claim(s) feasible in whole numbers were not reproduced: "
                          + ", ".join(m["claim_id"] for m in claims_missed)
                          + "; see attrs['assumptions']['claims_not_reproduced']", stacklevel=2)
    if problems:
        warnings.warn(f"{len(problems)} printed figure(s) could not be reproduced exactly (forensics "
                      "inconsistency); nearest counts used, see attrs['assumptions']['infeasible']",
                      stacklevel=2)

    # -- answers, group by group, question by question -----------------------------------
    answers = {q.id: np.empty(n, dtype=np.int8) for q in d.questions}
    scales = {q.id: likert_scale(q.base) for q in d.questions if likert and not q.single_choice}
    likert_codes = {qid: np.empty(n, dtype=np.int8) for qid in scales}
    loadings = [fit.params[q.id][0] for q in d.questions] if fit is not None else None
    bar = _progress_bar(len(d.groups) * len(d.questions), progress)
    for g in range(len(d.groups)):
        rows = np.flatnonzero(group_codes == g)
        if rows.size == 0:
            bar.update(len(d.questions))
            continue
        seeds = [child_seed(root, _NOISE, g, q.id) for q in d.questions]
        if fit is not None:
            factor = theta[rows]
        elif corr.matrix is None and corr.rho > 0:
            factor = np.random.default_rng(child_seed(root, _FACTOR, g)).standard_normal(rows.size, dtype=np.float32)
        else:
            factor = None
        for q, z in zip(d.questions, latent_columns(rows.size, corr, seeds, factor, loadings)):
            if exact:
                codes = assign_by_rank(z, rules[q.id][g])
            else:
                codes = assign_by_threshold(z, rules[q.id][g])
            answers[q.id][rows] = codes
            if q.id in scales:
                top, n_top = codes == 0, scales[q.id][1]
                if exact:
                    likert_codes[q.id][rows] = likert_codes_exact(z, top, n_top)
                else:
                    p = float(1 - ndtr(rules[q.id][g][0]))
                    likert_codes[q.id][rows] = likert_codes_sampled(z, top, p, n_top)
            bar.update(1)
    bar.close()

    # -- assemble ---------------------------------------------------------------------------
    columns: dict[str, object] = {
        "respondent": np.arange(1, n + 1, dtype=np.int32 if n < 2**31 else np.int64),
        "group": pd.Categorical.from_codes(group_codes, categories=list(d.groups)),
    }
    if rating_rule is not None:
        columns.update(_rating_columns(root, group_codes, d.groups, rating_rule, exact))
    for q in d.questions:
        codes = answers[q.id]
        for c, item in enumerate(q.items):
            columns[item] = (codes == c).view(np.int8)
        if q.single_choice:
            labels = list(q.items) + ([] if q.complete else [OTHER])
            columns[q.id] = pd.Categorical.from_codes(codes, categories=labels)
    for qid, (labels, _) in scales.items():
        columns[f"{qid}_likert"] = likert_categorical(likert_codes[qid], labels)
    if emp_dist is not None:
        tie = None
        if employees_tier_rho != 0:  # the latent model's own trait, else one drawn within the tiers
            tie = theta if theta is not None else _theta_in_groups(
                np.random.default_rng(child_seed(root, _THETA)), group_codes, group_cuts(sizes))
        columns["employees"] = draw_employees(np.random.default_rng(child_seed(root, _EMPLOYEES)),
                                              emp_dist[0], emp_dist[1], n, tie, employees_tier_rho)
    if country_dist is not None:
        columns["country"] = draw_countries(np.random.default_rng(child_seed(root, _COUNTRY)), group_codes,
                                            country_dist[0], country_dist[1])
    frame = pd.DataFrame(columns)

    frame.attrs["assumptions"] = _assumptions(
        spec=spec, d=d, n=n, model=model, mode=mode, root=root, seed=seed, rule=rule,
        on_infeasible=on_infeasible, sizes=sizes, share_pct=share_pct, share_source=share_source, corr=corr,
        fit=fit, rating_rule=rating_rule, scales=scales, emp_note=emp_note, country_note=country_note,
        employees_tier_rho=employees_tier_rho, problems=problems)
    frame.attrs["assumptions"].update(_resolution(resolved, resolved_sizes and exact, claims_missed))
    frame.attrs["skipped_items"] = list(d.skipped)
    return frame


# -- argument handling ---------------------------------------------------------------------

class _NoBar:
    def update(self, k=1):
        pass

    def close(self):
        pass


def _progress_bar(total: int, progress: bool | None):
    """A tqdm bar (to stderr; by default only on a terminal), or a silent stand-in without tqdm."""
    if progress is False:
        return _NoBar()
    try:
        from tqdm import tqdm  # lazy: not a core dependency
    except ImportError:
        return _NoBar()
    return tqdm(total=total, desc="generate", unit="question", leave=False,
                disable=None if progress is None else not progress)


def _check_choice(name, value, allowed):
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, got {value!r}")


def _catalog(catalog) -> Catalog:
    if catalog is None or isinstance(catalog, Catalog):
        return catalog if catalog is not None else load_catalog()
    if isinstance(catalog, (str, Path)):
        return load_catalog(catalog)
    raise ValueError(f"catalog must be a Catalog or a folder, got {type(catalog).__name__}")


def _resolved(survey, cat: Catalog, rule: str) -> ResolvedSurvey:
    if isinstance(survey, ResolvedSurvey):
        return survey
    if isinstance(survey, SurveySpec):
        validate_spec(survey)
    elif not isinstance(survey, str):
        raise ValueError(f"survey must be a survey id, a SurveySpec or a ResolvedSurvey, got {type(survey).__name__}")
    return resolve(survey, cat, rule)


def _shares(resolved: ResolvedSurvey, shares):
    """Shares to generate with: the caller's, else what :func:`simsurvey.resolve` established."""
    if shares is not None or not resolved.shares:
        return resolve_shares(resolved.spec, shares)
    if resolved.shares_published:
        return np.array(resolved.shares, dtype=float), True, "published"
    evidence = resolved.fact("share")["evidence"].iloc[0]
    return np.array(resolved.shares, dtype=float), False, f"unpublished; {evidence} (simsurvey.resolve)"


def _claims_to_reproduce(resolved: ResolvedSurvey, proven: bool = True):
    """Claims exact mode reproduces: those proven feasible at the resolved sizes, else (other sizes,
    weighted or unsized surveys) every consistent claim with both percentages, as far as it goes."""
    c = resolved.claims
    keep = c["reproducible"].astype(bool) if proven else \
        (c["verdict"] == "consistent") & (c["integer_feasible"] != "n/a") & (c["pairing"] != "unresolved")
    c = c.loc[keep.astype(bool)]
    return c.drop_duplicates(["kind", "item", "numerator", "denominator", "group", "printed"])


def _resolution(resolved: ResolvedSurvey, used_sizes: bool, missed) -> dict:
    c = resolved.claims
    return {
        "group_sizes_source": ("simsurvey.resolve: " + resolved.fact("group_sizes")["evidence"].iloc[0]
                               if used_sizes else "chosen for this n and these shares (calibrate.choose_sizes)"),
        "claims_repaired": c.loc[c["pairing"] == "re-paired", "claim_id"].tolist(),
        "claims_unresolved": c.loc[c["pairing"] == "unresolved", "claim_id"].tolist(),
        "claims_reproduced": ([] if missed is None else
                              [i for i in _claims_to_reproduce(resolved, used_sizes)["claim_id"]
                               if i not in {m["claim_id"] for m in missed}]),
        "claims_not_reproduced": missed or [],
    }


def _n(n, spec: SurveySpec) -> int:
    if n is None:
        if spec.n is None:
            raise ValueError(f"n: survey {spec.survey!r} publishes no n; pass n=")
        return spec.n
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"n must be a positive whole number, got {n!r}")
    return int(n)


def _ratings(ratings, tiers: bool):
    if ratings is False:
        return None
    if ratings is None or ratings is True:
        if not tiers:
            if ratings is True:
                raise ValueError("ratings: the tier self-ratings exist only for surveys with groups "
                                 "high, moderate, under")
            return None
        return RatingAssumptions()
    if isinstance(ratings, RatingAssumptions):
        if not tiers:
            raise ValueError("ratings: the tier self-ratings exist only for surveys with groups "
                             "high, moderate, under")
        return ratings
    raise ValueError(f"ratings must be a RatingAssumptions, True, False or None, got {ratings!r}")


def _survey_meta(spec: SurveySpec, cat: Catalog):
    rows = cat.surveys[cat.surveys["survey"] == spec.survey]
    if rows.empty:
        return None, None, []
    row = rows.iloc[0]
    low = None if pd.isna(row["employees_min"]) else int(row["employees_min"])
    high = None if pd.isna(row["employees_max"]) else int(row["employees_max"])
    countries = [c.strip() for c in str(row["countries"]).split(";") if c.strip()]
    return low, high, countries


def _rating_columns(root, group_codes, groups, rule: RatingAssumptions, exact: bool) -> dict:
    comp = np.empty(group_codes.size, dtype=np.int8)
    overall = np.empty(group_codes.size, dtype=np.int8)
    for g, tier in enumerate(groups):
        rows = np.flatnonzero(group_codes == g)
        rng = np.random.default_rng(child_seed(root, _RATINGS, g))
        comp[rows], overall[rows] = draw_ratings(tier, rows.size, rng, rule, exact)
    return {"vs_competition": likert_categorical(comp, VS_COMPETITION),
            "overall_service": likert_categorical(overall, OVERALL_SERVICE)}


def _assumptions(*, spec, d, n, model, mode, root, seed, rule, on_infeasible, sizes, share_pct, share_source,
                 corr, fit, rating_rule, scales, emp_note, country_note, employees_tier_rho, problems) -> dict:
    overall = [i for q in d.questions if q.scope == "overall" and len(d.groups) > 1 for i in q.items]
    out = {
        "survey": spec.survey,
        "n": int(n),
        "model": model,
        "mode": mode,
        "seed": (int(seed) if isinstance(seed, numbers.Integral) else
                 int(root.entropy) if not root.spawn_key else
                 {"entropy": int(root.entropy), "spawn_key": list(root.spawn_key)}),
        "rounding_rule": rule,
        "on_infeasible": on_infeasible,
        "group_sizes": {g: int(s) for g, s in zip(d.groups, sizes)},
        "shares_pct": {g: float(s) for g, s in zip(d.groups, share_pct)},
        "shares_source": share_source,
        "overall_only_items": overall,
        "overall_only_note": "published for everyone only: the same probability in every group",
        "skipped_items": dict(d.skipped),
        "single_choice": {q.id: {"items": list(q.items), "complete": q.complete}
                          for q in d.questions if q.single_choice},
        "ratings": None if rating_rule is None else rating_rule.as_dict(),
        "likert": ({"within_boxes": "equal split within the top boxes and within the others",
                    "scales": {k: {"labels": list(v[0]), "top_boxes": v[1]} for k, v in scales.items()}}
                   if scales else None),
        "employees": emp_note,
        "employees_tier_rho": float(employees_tier_rho),
        "country": country_note,
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
