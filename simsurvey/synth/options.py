"""What :func:`simsurvey.generate` is asked for, checked once, before any work.

Two steps, each raising a one-line ``ValueError`` that names the argument:

- :class:`GenerateOptions` holds the assumption knobs that do not depend on
  the survey (model, mode, rounding rule, what to do with an infeasible
  figure, ...) and checks them in ``__post_init__``;
- :func:`survey_inputs` resolves the survey once and checks what does depend
  on it (``n``, ``shares``, ``rho``, ``ratings``, company size and country),
  returning a frozen :class:`Inputs`: everything generation needs before the
  first random draw.

``generate()`` keeps its keyword arguments and builds the options itself; the
options object is internal to the synth stage.
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from simsurvey._validation import check_n, check_rule
from simsurvey.catalog.load import Catalog, load_catalog
from simsurvey.catalog.spec import SurveySpec
from simsurvey.forensics.resolve import ResolvedSurvey, resolve
from simsurvey.synth.copula import DEFAULT_RHO, Correlation, correlation
from simsurvey.synth.counts import ON_INFEASIBLE
from simsurvey.synth.covariates import country_table, employee_distribution
from simsurvey.synth.design import Design, design, validate_spec
from simsurvey.synth.exact import proven_sizes
from simsurvey.synth.shares import survey_shares
from simsurvey.synth.tiering import TIERS, RatingAssumptions

__all__ = ["MODELS", "MODES", "GenerateOptions", "Inputs", "survey_inputs"]

MODELS = ("calibrated", "latent")
MODES = ("exact", "sampled")


@dataclass(frozen=True)
class GenerateOptions:
    """The assumption knobs of :func:`simsurvey.generate`, validated (see its parameters).

    Examples
    --------
    >>> GenerateOptions(mode="sampled").exact
    False
    >>> GenerateOptions(model="tree")
    Traceback (most recent call last):
    ...
    ValueError: model must be one of calibrated, latent, got 'tree'
    """

    model: str = "calibrated"
    mode: str = "exact"
    rho: object = None
    shares: object = None
    ratings: object = None
    likert: bool = False
    employees: object = None
    country: object = None
    employees_tier_rho: float = 0.0
    rule: str = "any"
    on_infeasible: str = "raise"
    progress: bool | None = None

    def __post_init__(self):
        _check_choice("model", self.model, MODELS)
        _check_choice("mode", self.mode, MODES)
        check_rule(self.rule)
        _check_choice("on_infeasible", self.on_infeasible, ON_INFEASIBLE)
        if self.model == "latent" and self.rho is not None:
            raise ValueError("rho applies to model='calibrated'; in the latent model the fitted loadings "
                             "carry the dependence")
        if not isinstance(self.likert, bool):
            raise ValueError(f"likert must be True or False, got {self.likert!r}")
        rho = self.employees_tier_rho
        if not isinstance(rho, numbers.Real) or not -1 < rho < 1:
            raise ValueError(f"employees_tier_rho must be a number in (-1, 1), got {rho!r}")

    @property
    def exact(self) -> bool:
        return self.mode == "exact"

    @property
    def latent(self) -> bool:
        return self.model == "latent"


@dataclass(frozen=True, eq=False)
class Inputs:
    """A survey made ready for generation (see :func:`survey_inputs`).

    ``proven_sizes`` are the group sizes :func:`simsurvey.resolve` proved
    (used by exact mode), or None when they do not apply (another n, the
    caller's shares, or none proved). ``employees`` and ``country`` are the
    covariate distributions (None: no column) and ``*_note`` say why.
    """

    resolved: ResolvedSurvey
    design: Design
    n: int
    shares_pct: np.ndarray
    shares_printed: bool
    shares_source: str
    proven_sizes: tuple | None
    corr: Correlation | None
    ratings: RatingAssumptions | None
    employees: tuple | None
    employees_note: str | None
    country: tuple | None
    country_note: str | None

    @property
    def spec(self) -> SurveySpec:
        return self.resolved.spec


def survey_inputs(survey, n, catalog, opts: GenerateOptions) -> Inputs:
    """Resolve ``survey`` once and check every argument that depends on it.

    Examples
    --------
    >>> inp = survey_inputs("sos-smb-2016", None, None, GenerateOptions())
    >>> inp.n, inp.proven_sizes, inp.shares_source
    (786, (90, 415, 281), 'published')
    """
    cat = _catalog(catalog)
    resolved = _resolved(survey, cat, opts.rule)
    spec = resolved.spec
    n = _n(n, spec)
    d = design(spec)
    if n < len(d.groups):
        raise ValueError(f"n must be at least the number of groups ({len(d.groups)}), got {n}")
    share_pct, printed, share_source = survey_shares(resolved, opts.shares)
    corr = None if opts.latent else correlation(DEFAULT_RHO if opts.rho is None else opts.rho, d.latent_ids)
    ratings = _ratings(opts.ratings, d.groups == TIERS)
    employees, employees_note, country, country_note = _covariates(spec, cat, d.groups, opts)
    return Inputs(resolved=resolved, design=d, n=n, shares_pct=share_pct, shares_printed=printed,
                  shares_source=share_source, proven_sizes=proven_sizes(resolved, n, opts.shares),
                  corr=corr, ratings=ratings, employees=employees, employees_note=employees_note,
                  country=country, country_note=country_note)


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


def _n(n, spec: SurveySpec) -> int:
    if n is None:
        if spec.n is None:
            raise ValueError(f"n: survey {spec.survey!r} publishes no n; pass n=")
        return spec.n
    return check_n(n)


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


def _covariates(spec: SurveySpec, cat: Catalog, groups, opts: GenerateOptions):
    """Company-size and country distributions (None: no column), each with a note for the assumptions."""
    low, high, countries = _survey_meta(spec, cat)
    emp = country = emp_note = country_note = None
    if opts.employees is not False:
        if opts.employees is not None or (low is not None and high is not None):
            emp = employee_distribution(low, high, opts.employees)
            emp_note = emp[2]
        else:
            emp_note = "left out: the survey publishes no range of company sizes"
    if opts.country is not False:
        if opts.country is not None or countries:
            country = country_table(countries, groups, opts.country)
            country_note = country[2]
        else:
            country_note = "left out: the survey lists no countries"
    return emp, emp_note, country, country_note


def _survey_meta(spec: SurveySpec, cat: Catalog):
    rows = cat.surveys[cat.surveys["survey"] == spec.survey]
    if rows.empty:
        return None, None, []
    row = rows.iloc[0]
    low = None if pd.isna(row["employees_min"]) else int(row["employees_min"])
    high = None if pd.isna(row["employees_max"]) else int(row["employees_max"])
    countries = [c.strip() for c in str(row["countries"]).split(";") if c.strip()]
    return low, high, countries
