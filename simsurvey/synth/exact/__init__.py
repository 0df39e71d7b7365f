"""Exact mode's whole-number counts of a design: group sizes, counts per question, claims.

Every published percentage allows a small run of whole-number counts
(:mod:`simsurvey.synth.counts`, the arithmetic). Exact mode chooses one count
per cell, in three steps, each its own module:

1. :mod:`~simsurvey.synth.exact.sizes`: group sizes summing to ``n`` whose
   shares print as published and under which every figure is reproducible
   (or the sizes :func:`simsurvey.resolve` proved, where they apply);
2. :mod:`~simsurvey.synth.exact.questions`: per question, the counts closest
   to ``pct * N / 100`` with the totals that must hold;
3. :mod:`~simsurvey.synth.exact.claims`: counts moved within their runs until
   every printed multiplier the forensics find feasible prints as published.

:func:`exact_design` runs the three; :func:`simsurvey.generate` and
:func:`simsurvey.fit_latent` use nothing else to choose counts.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simsurvey.synth.design import Design
from simsurvey.synth.exact.claims import claim_cells, claims_to_reproduce, reproduce_claims
from simsurvey.synth.exact.questions import exact_counts
from simsurvey.synth.exact.sizes import choose_sizes

__all__ = ["ExactCounts", "exact_design", "exact_sizes", "proven_sizes", "choose_sizes", "exact_counts",
           "reproduce_claims", "claims_to_reproduce", "claim_cells"]


@dataclass(frozen=True, eq=False)
class ExactCounts:
    """The whole-number counts of a design: what exact mode generates.

    Attributes
    ----------
    sizes : numpy.ndarray of int64
        Respondents per group.
    counts : dict of question id -> numpy.ndarray
        Counts per group (rows) and answer category (columns, the rest last).
    problems : list of dict
        Figures no whole number reproduces (``on_infeasible="nearest"`` only).
    claims_missed : list of dict
        Claims asked for that the counts do not reproduce, with the reason.
    """

    sizes: np.ndarray
    counts: dict
    problems: list
    claims_missed: list


def proven_sizes(resolved, n: int, shares=None) -> tuple | None:
    """The group sizes :func:`simsurvey.resolve` proved, where they apply: the published n and shares.

    Examples
    --------
    >>> from simsurvey.forensics.resolve import resolve
    >>> r = resolve("sos-smb-2016")
    >>> proven_sizes(r, 786), proven_sizes(r, 1000)
    ((90, 415, 281), None)
    """
    if resolved is None or resolved.sizes is None or shares is not None or n != resolved.spec.n:
        return None
    return tuple(resolved.sizes)


def exact_sizes(d: Design, n: int, shares, *, printed: bool, proven=None, rule: str = "any",
                on_infeasible: str = "raise") -> tuple[np.ndarray, list[dict]]:
    """Group sizes: the ``proven`` ones as they are, else :func:`choose_sizes` (same returns)."""
    if proven is not None:
        return np.array(proven, dtype=np.int64), []
    return choose_sizes(d, shares, n, printed=printed, rule=rule, on_infeasible=on_infeasible)


def exact_design(d: Design, n: int, shares, *, printed: bool, claims, proven=None, rule: str = "any",
                 on_infeasible: str = "raise") -> ExactCounts:
    """Group sizes, then every question's counts, then the claims: exact mode's counts of a design.

    Parameters
    ----------
    d : Design
    n : int
    shares : sequence of float
        Percentages per group (see :func:`choose_sizes`).
    printed : bool
        Whether ``shares`` are printed figures.
    claims : pandas.DataFrame
        Claims to reproduce (:func:`claims_to_reproduce`).
    proven : sequence of int, optional
        Sizes already proven to fit every figure (:func:`proven_sizes`):
        used as they are instead of being chosen again.
    rule, on_infeasible
        See :func:`exact_counts`.

    Examples
    --------
    >>> from simsurvey.forensics.resolve import resolve
    >>> from simsurvey.synth.design import design
    >>> r = resolve("sos-smb-2016")
    >>> ex = exact_design(design(r.spec), 786, r.shares, printed=True, claims=claims_to_reproduce(r),
    ...                   proven=proven_sizes(r, 786))
    >>> ex.sizes.tolist(), ex.claims_missed, int(ex.counts["tech_plan_iot_tracking"][:, 0].sum())
    ([90, 415, 281], [], 85)
    """
    sizes, problems = exact_sizes(d, n, shares, printed=printed, proven=proven, rule=rule,
                                  on_infeasible=on_infeasible)
    counts = {}
    for q in d.questions:
        counts[q.id], found = exact_counts(q, d.groups, sizes, rule=rule, on_infeasible=on_infeasible)
        problems += found
    missed = reproduce_claims(d, counts, sizes, claims, rule=rule)
    return ExactCounts(sizes=sizes, counts=counts, problems=problems, claims_missed=missed)
