"""Respondent covariates for weighting experiments: company size and country.

Neither is published per respondent, so each has a documented default the
caller can override.

Company size (``employees``), within the survey's range (1-100 for the State
of Service SMB subset, 2-199 for the Harris SMB survey). Firm sizes follow
Zipf's law: among US firms ``P(size >= s)`` falls like ``s ** -1.06`` (Axtell
2001, *Science* 293:1818), a probability mass ``~ s ** -2.06``. A respondent
is a person working at a firm, and if panelists came from the workforce at
random their firm's size would be size-biased, ``s * s ** -2.06 = s ** -1.06``.
The default is that truncated power law, ``P(s) ~ s ** -1.06`` on the survey's
range: half of the respondents of a 1-100 survey work at firms of 6
or fewer. Pass another exponent, or a mapping ``{size: weight}``.

Country: equal shares over the survey's countries (``surveys.csv``), or a
mapping ``{country: weight}``; a mapping ``{group: {country: weight}}`` makes
country depend on the group.

Association with the tier: ``employees_tier_rho`` is the correlation, in a
Gaussian copula, between a respondent's tier trait (the latent model's
``theta``: higher tiers have higher values) and the normal score of the
company size (positive: larger firms in higher tiers). Default 0: none.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy.special import ndtr

__all__ = ["DEFAULT_EMPLOYEE_EXPONENT", "employee_distribution", "draw_employees", "country_table",
           "draw_countries"]

DEFAULT_EMPLOYEE_EXPONENT = 1.06


def employee_distribution(low: int | None, high: int | None, employees=None) -> tuple[np.ndarray, np.ndarray, str]:
    """Company sizes and their probabilities.

    Parameters
    ----------
    low, high : int or None
        The survey's range of employees (None: unpublished).
    employees : None, float or mapping
        None: the default power law with exponent 1.06; a number: another
        exponent (0 is uniform); a mapping ``{size: weight}``: those sizes.

    Returns
    -------
    sizes : numpy.ndarray of int
    probs : numpy.ndarray of float
    description : str

    Examples
    --------
    >>> sizes, probs, _ = employee_distribution(1, 100)
    >>> int(sizes[np.searchsorted(probs.cumsum(), 0.5)])  # the median respondent's company
    6
    >>> employee_distribution(1, 3, {1: 1, 3: 3})[1].tolist()
    [0.25, 0.75]
    """
    if isinstance(employees, Mapping):
        try:
            sizes = np.array([int(k) for k in employees], dtype=np.int64)
            weights = np.array([float(v) for v in employees.values()])
        except (TypeError, ValueError):
            raise ValueError("employees must map whole numbers of employees to weights") from None
        if sizes.size == 0 or np.any(sizes < 1) or np.any(weights < 0) or not np.all(np.isfinite(weights)) \
                or weights.sum() <= 0:
            raise ValueError("employees must map positive sizes to non-negative weights with a positive sum")
        if low is not None and high is not None and (sizes.min() < low or sizes.max() > high):
            raise ValueError(f"employees: sizes must be within the survey's range {low}-{high}, "
                             f"got {sizes.min()}-{sizes.max()}")
        order = np.argsort(sizes)
        return sizes[order], weights[order] / weights.sum(), "given by the caller"
    if low is None or high is None:
        raise ValueError("employees: the survey publishes no range of company sizes; pass a mapping "
                         "{size: weight} or employees=False to leave the column out")
    exponent = DEFAULT_EMPLOYEE_EXPONENT if employees is None else employees
    try:
        exponent = float(exponent)
    except (TypeError, ValueError):
        raise ValueError(f"employees must be None, an exponent or a mapping, got {employees!r}") from None
    if not np.isfinite(exponent):
        raise ValueError(f"employees: the exponent must be finite, got {exponent}")
    sizes = np.arange(int(low), int(high) + 1, dtype=np.int64)
    weights = sizes.astype(float) ** -exponent
    return sizes, weights / weights.sum(), f"P(size) ~ size^-{exponent:g} on {low}-{high}"


def draw_employees(rng: np.random.Generator, sizes, probs, n: int, theta=None, rho: float = 0.0) -> np.ndarray:
    """``n`` company sizes: independent draws, or tied to ``theta`` by a Gaussian copula with ``rho``.

    Examples
    --------
    >>> out = draw_employees(np.random.default_rng(0), np.array([1, 2]), np.array([0.5, 0.5]), 4)
    >>> out.dtype, sorted(set(out.tolist())) <= [1, 2]
    (dtype('int32'), True)
    """
    if rho != 0:
        if theta is None or len(theta) != n:
            raise ValueError("theta must give one trait value per respondent when rho is not 0")
        e = rng.standard_normal(n)
        u = ndtr(rho * np.asarray(theta, dtype=float) + np.sqrt(1 - rho * rho) * e)
    else:
        u = rng.random(n)
    cdf = np.cumsum(probs)
    cdf[-1] = 1.0
    return np.asarray(sizes)[np.searchsorted(cdf, u, side="right").clip(0, len(sizes) - 1)].astype(np.int32)


def country_table(countries, groups, country=None) -> tuple[list[str], np.ndarray, str]:
    """Country probabilities per group (rows) and country (columns).

    Parameters
    ----------
    countries : sequence of str
        The survey's countries (may be empty when ``country`` lists them).
    groups : sequence of str
    country : None or mapping
        ``{country: weight}`` or ``{group: {country: weight}}``.

    Examples
    --------
    >>> names, table, _ = country_table(["A", "B"], ["x", "y"])
    >>> names, table.tolist()
    (['A', 'B'], [[0.5, 0.5], [0.5, 0.5]])
    >>> country_table(["A", "B"], ["x", "y"], {"x": {"A": 1}, "y": {"B": 1}})[1].tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    countries = list(countries)
    if country is None:
        if not countries:
            raise ValueError("country: the survey lists no countries; pass a mapping {country: weight} "
                             "or country=False to leave the column out")
        return countries, np.full((len(groups), len(countries)), 1 / len(countries)), "equal shares"
    if not isinstance(country, Mapping) or not country:
        raise ValueError(f"country must be a mapping {{country: weight}} or {{group: {{country: weight}}}}, "
                         f"got {country!r}")
    nested = all(isinstance(v, Mapping) for v in country.values())
    if nested:
        if set(country) != set(groups):
            raise ValueError(f"country: a per-group mapping needs every group ({', '.join(groups)}), "
                             f"got {', '.join(map(str, country))}")
        per_group = [country[g] for g in groups]
        how = "given by the caller, per group"
    else:
        per_group = [country] * len(groups)
        how = "given by the caller"
    names = countries or sorted({c for m in per_group for c in m})
    unknown = sorted({c for m in per_group for c in m} - set(names))
    if unknown:
        raise ValueError(f"country: {', '.join(map(repr, unknown))} not among the survey's countries "
                         f"({', '.join(names)})")
    table = np.array([[float(m.get(c, 0.0)) for c in names] for m in per_group])
    if not np.all(np.isfinite(table)) or np.any(table < 0) or np.any(table.sum(axis=1) <= 0):
        raise ValueError("country: weights must be non-negative with a positive sum (per group)")
    return names, table / table.sum(axis=1, keepdims=True), how


def draw_countries(rng: np.random.Generator, group_codes: np.ndarray, names, table) -> pd.Categorical:
    """One country per respondent from its group's row of ``table``.

    Examples
    --------
    >>> draw_countries(np.random.default_rng(0), np.array([0, 1]), ["A", "B"], np.array([[1.0, 0], [0, 1.0]])).tolist()
    ['A', 'B']
    """
    u = rng.random(group_codes.size)
    cdf = np.cumsum(table, axis=1)
    cdf[:, -1] = 1.0
    codes = np.empty(group_codes.size, dtype=np.int16)
    for g in range(table.shape[0]):
        rows = group_codes == g
        codes[rows] = np.searchsorted(cdf[g], u[rows], side="right")
    # zero-weight countries sit on flat stretches of the CDF and are never drawn
    return pd.Categorical.from_codes(codes.clip(0, len(names) - 1), categories=list(names))
