"""Population distributions the weighting experiments default to, with where each number comes from.

**US firms by employment size** (the SMB Trends survey: owners and leaders of US
firms with 2-199 employees, "weighted by number of employees to bring them in
line with their actual proportions in the population"). The numbers are the
US Census Bureau's *Statistics of U.S. Businesses* (SUSB), employer firms by
enterprise employment size, all industries, **reference year 2019**, as
reprinted in the Congressional Research Service report *Small Business Size
Standards: A Historical Analysis of Contemporary Issues* (table of firms by
number of employees; quoted by 24/7 Wall St., 2022-01-07). The published
Census table itself (SUSB annual tables, "U.S. & states, NAICS sectors,
enterprise employment size") could not be consulted offline; these are the
reprinted figures, unchanged. The reprint's firm counts sum to 5,771,310
while its printed total is 5,771,290. SUSB's size classes do not fit the
survey's 2-199 range at either end: "2-4" here is SUSB's 0-4 class (it
includes firms with 0 or 1 employee in March) and "100-199" is SUSB's 100-499
class, both counted whole. A survey fielded in 2017 would have used an
earlier year. Pass your own ``population=`` to any experiment to change any of
this.

**Country mix and response style** (State of Service, eight countries pooled
with no stated mix and no weighting): no published figure gives either, so
both defaults are illustrative assumptions, stated in every result:
respondents drawn equally from the eight countries (the generator's default),
a target mix in which the US is half the population and the other seven share
the rest, and country offsets on the latent self-rating scale (positive: rates
itself higher), larger for the US and lower for Japan, where survey research
repeatedly finds more modest self-ratings.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["SIZE_CLASSES", "SIZE_BOUNDS", "SUSB_2019_FIRMS", "SUSB_SOURCE", "size_population", "size_class",
           "COUNTRY_STYLE", "country_target"]

SIZE_CLASSES = ("2-4", "5-9", "10-19", "20-99", "100-199")
SIZE_BOUNDS = ((2, 4), (5, 9), (10, 19), (20, 99), (100, 199))

#: Employer firms per class: SUSB 2019 as reprinted by the CRS (see the module docstring for the two end classes).
SUSB_2019_FIRMS = {"2-4": 3_556_927, "5-9": 959_641, "10-19": 609_355, "20-99": 532_972, "100-199": 92_159}
SUSB_SOURCE = ("US Census Bureau, Statistics of U.S. Businesses 2019, employer firms by enterprise employment size "
               "(as reprinted by the Congressional Research Service); 2-4 is SUSB's 0-4 class, 100-199 its 100-499 class")

#: Offsets on the latent self-rating scale (standard deviations): illustrative, not estimated.
COUNTRY_STYLE = {"United States": 0.3, "Canada": 0.15, "United Kingdom/Ireland": 0.0, "France": -0.15,
                 "Germany": -0.1, "Netherlands": 0.0, "Japan": -0.5, "Australia/New Zealand": 0.1}


def size_population(population=None) -> pd.Series:
    """Population shares of the size classes: the SUSB default, or ``population`` ({class: count or share}).

    Examples
    --------
    >>> size_population().round(4).tolist()
    [0.6185, 0.1669, 0.106, 0.0927, 0.016]
    >>> size_population({"2-4": 1, "5-9": 1, "10-19": 2, "20-99": 0, "100-199": 0}).tolist()
    [0.25, 0.25, 0.5, 0.0, 0.0]
    """
    counts = pd.Series(SUSB_2019_FIRMS if population is None else dict(population), dtype=float)
    unknown = sorted(set(counts.index) - set(SIZE_CLASSES))
    if unknown or set(counts.index) != set(SIZE_CLASSES):
        raise ValueError(f"population: needs one count or share per size class {', '.join(SIZE_CLASSES)}; "
                         f"got {', '.join(map(str, counts.index))}")
    if not np.all(np.isfinite(counts)) or (counts < 0).any() or counts.sum() <= 0:
        raise ValueError("population: counts must be non-negative numbers with a positive sum")
    counts = counts.reindex(list(SIZE_CLASSES))
    return counts / counts.sum()


def size_class(employees) -> pd.Categorical:
    """The size class of each number of employees (2-199).

    Examples
    --------
    >>> list(size_class([2, 9, 150]))
    ['2-4', '5-9', '100-199']
    """
    e = np.asarray(employees)
    edges = [low for low, _ in SIZE_BOUNDS[1:]]
    if np.any(e < SIZE_BOUNDS[0][0]) or np.any(e > SIZE_BOUNDS[-1][1]):
        raise ValueError("employees: size classes cover 2-199 employees")
    return pd.Categorical.from_codes(np.searchsorted(edges, e, side="right"), categories=list(SIZE_CLASSES))


def country_target(countries, us_share: float = 0.5) -> dict:
    """The illustrative target mix: the US gets ``us_share``, the other countries share the rest equally.

    Examples
    --------
    >>> country_target(["United States", "Japan", "France"])
    {'United States': 0.5, 'Japan': 0.25, 'France': 0.25}
    """
    countries = list(countries)
    others = [c for c in countries if c != "United States"]
    if len(others) == len(countries):
        return {c: 1 / len(countries) for c in countries}
    return {c: us_share if c == "United States" else (1 - us_share) / len(others) for c in countries}
