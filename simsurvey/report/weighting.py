"""Which weighting a critique applies to a survey, and why (or why none is defensible).

The weighting stage (:mod:`simsurvey.weighting`) has population margins for
one variable: US employer firms by employment size (SUSB 2019,
:data:`simsurvey.weighting.population.SUSB_2019_FIRMS`). A survey whose
catalogue row gives a company-size range (``employees_min``/``employees_max``)
can be weighted to it:

- a survey the report says was weighted by company size (the Harris SMB
  Trends survey: "weighted by number of employees") gets that weighting,
  reconstructed;
- an unweighted panel of small businesses (State of Service SMB) gets it as a
  plausible weighting: the one the same report's other survey used.

The size classes are SUSB's (0-4, 5-9, 10-19, 20-99, 100-499), cut to the
survey's range: every class that overlaps it and starts below its largest
size, the first starting at the survey's smallest size and the last ending at
its largest (State of Service, 1-100: 1-4, 5-9, 10-19, 20-100). Targets are the classes'
firm counts, as shares. Any other survey gets a :class:`NoWeighting` whose
``reason`` the report prints, so no weighted column is ever blank without one.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["WeightingPlan", "NoWeighting", "weighting_plan", "SIZE_COLUMN", "PANEL_EXPONENTS"]

#: The column of size classes the critique adds to its synthetic sample (and rakes on).
SIZE_COLUMN = "size_class"
#: Company-size mixes of the panel tried in the weighting grid: exponents ``a`` of ``P(size) ~ size**-a``.
#: 1.06 is the generator's default (respondents are workers, so firms are size-biased); 0.56 puts more
#: respondents in large firms, 1.56 fewer (close to the population of firms itself).
PANEL_EXPONENTS = (0.56, 1.06, 1.56)
#: Employee ranges of SUSB's size classes, in the order of :data:`simsurvey.weighting.population.SIZE_CLASSES`.
_SUSB_BOUNDS = ((0, 4), (5, 9), (10, 19), (20, 99), (100, 499))


@dataclass(frozen=True)
class WeightingPlan:
    """One weighting: company-size classes raked to the US firm mix.

    Attributes
    ----------
    name : str
        What the ``weighting`` column of the verdict table says.
    bounds : tuple of (int, int)
        The classes' employee ranges, within the survey's range.
    targets : dict
        Class label to population share.
    low, high : int
        The survey's range of company sizes.
    why : str
        Why this weighting: the survey's own, or plausible for an unweighted panel.
    own : bool
        The survey's own (stated) weighting, reconstructed.
    """

    name: str
    bounds: tuple
    targets: dict
    low: int
    high: int
    why: str
    own: bool

    @property
    def labels(self) -> list[str]:
        return list(self.targets)

    @property
    def margins(self) -> dict:
        """The margins for :func:`simsurvey.rake` / ``bootstrap(reweight=...)``."""
        return {SIZE_COLUMN: dict(self.targets)}

    def classes(self, employees) -> pd.Categorical:
        """The size class of each respondent's number of employees.

        Examples
        --------
        >>> import simsurvey as ss
        >>> plan = weighting_plan(ss.load_catalog(), "sos-smb-2016")
        >>> list(plan.classes([1, 4, 5, 100]))
        ['1-4', '1-4', '5-9', '20-100']
        """
        e = np.asarray(employees)
        if np.any(e < self.low) or np.any(e > self.high):
            raise ValueError(f"employees: size classes cover {self.low}-{self.high} employees")
        starts = [lo for lo, _ in self.bounds[1:]]
        return pd.Categorical.from_codes(np.searchsorted(starts, e, side="right"), categories=self.labels)


@dataclass(frozen=True)
class NoWeighting:
    """No defensible weighting target; ``reason`` says why (printed in the report and the verdict table)."""

    reason: str

    @property
    def name(self) -> str:
        return f"none: {self.reason}"


def weighting_plan(catalog, survey: str) -> WeightingPlan | NoWeighting:
    """The weighting a critique applies to ``survey``, or why there is none.

    Examples
    --------
    >>> import simsurvey as ss
    >>> cat = ss.load_catalog()
    >>> plan = weighting_plan(cat, "smb-trends-2017")
    >>> plan.labels, round(plan.targets["2-4"], 4)
    (['2-4', '5-9', '10-19', '20-99', '100-199'], 0.6185)
    >>> weighting_plan(cat, "connected-customer-2018").reason[:57]
    'the catalogue gives no company-size range for this survey'
    """
    from simsurvey.weighting.population import SIZE_CLASSES, SUSB_2019_FIRMS

    row = catalog.surveys.set_index("survey").loc[survey]
    low, high = row.get("employees_min"), row.get("employees_max")
    if pd.isna(low) or pd.isna(high) or str(low) == "" or str(high) == "":
        return NoWeighting("the catalogue gives no company-size range for this survey, and company size (US firms, "
                           "SUSB 2019) is the only population margin the weighting stage has; the report publishes "
                           "no other population mix (e.g. by country) to weight to")
    low, high = int(low), int(high)
    # SUSB's own classes (the weighting stage's end classes are cut to the Harris range 2-199); a class that
    # starts at the survey's largest size is dropped rather than squeezed into one size
    kept = [k for k, (lo, hi) in enumerate(_SUSB_BOUNDS) if lo < high and hi >= low]
    bounds = [(low if i == 0 else _SUSB_BOUNDS[k][0], high if i == len(kept) - 1 else _SUSB_BOUNDS[k][1])
              for i, k in enumerate(kept)]
    if len(bounds) < 2:
        return NoWeighting(f"the survey's company sizes ({low}-{high} employees) fall in fewer than two of the "
                           "population's size classes, so there is nothing to weight")
    firms = np.array([SUSB_2019_FIRMS[SIZE_CLASSES[k]] for k in kept], dtype=float)
    targets = {f"{lo}-{hi}": float(f) for (lo, hi), f in zip(bounds, firms / firms.sum())}
    weighted = str(row.get("weighting", ""))
    if str(row.get("weighted", "")) == "yes" and "employee" in weighted.lower():
        name = "company size to US firms (SUSB 2019): the survey's own weighting, reconstructed"
        why = f"the report says: '{weighted.strip().rstrip('.')}'"
    elif str(row.get("weighted", "")) == "yes":
        return NoWeighting(f"the survey was weighted ({weighted.strip()}), but not by a variable the weighting stage "
                           "has population margins for (US firms by company size)")
    else:
        name = "company size to US firms (SUSB 2019): plausible; the survey was not weighted"
        why = ("the survey was not weighted; company size is the margin the Harris SMB Trends survey was weighted on "
               "('weighted by number of employees')")
    countries = [c for c in str(row.get("countries", "")).split(";") if c.strip()]
    if any(c != "United States" for c in countries):
        why += (f"; SUSB counts US firms only, and they stand in for all {len(countries)} countries surveyed (the "
                "weighting stage has no firm-size statistics for the others)")
    return WeightingPlan(name=name, bounds=tuple(bounds), targets=targets, low=low, high=high, why=why,
                         own=str(row.get("weighted", "")) == "yes")
