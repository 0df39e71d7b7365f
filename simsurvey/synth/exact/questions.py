"""Exact mode, second step: each question's whole-number counts per group.

Every published percentage is reproduced to the printed digit by a whole
number of respondents, the admissible count closest to ``pct * N / 100``
(:func:`simsurvey.synth.counts.admissible`, :func:`~simsurvey.synth.counts.closest_counts`),
with the totals that must hold: the answers of a complete single-choice
question sum to the group size, and a figure printed for everyone as well as
per group is matched by the sum over groups. A figure published for everyone
only is split over the groups in proportion to their sizes (the same
probability in every group).
"""
from __future__ import annotations

import numpy as np

from simsurvey.synth.counts import (ON_INFEASIBLE, InfeasibleError, admissible, closest_counts, infeasible_message,
                                    split_counts, split_table)
from simsurvey.synth.design import Question

__all__ = ["exact_counts"]


def exact_counts(q: Question, groups, sizes, *, rule: str = "any", on_infeasible: str = "raise"):
    """Counts per group (rows) and answer category (columns, the unpublished rest last).

    Parameters
    ----------
    q : Question
    groups : sequence of str
        Group ids (for messages).
    sizes : sequence of int
        Respondents per group.
    rule : {"half_up", "half_even", "any"}
        Rounding rule of the report.
    on_infeasible : {"raise", "nearest"}
        What to do when no whole number reproduces a printed figure: raise
        :class:`~simsurvey.synth.counts.InfeasibleError`, or use the nearest count
        and report it.

    Returns
    -------
    counts : numpy.ndarray of int64, ``groups x q.n_categories``
    problems : list of dict
        One record per figure that could not be reproduced (``nearest`` only),
        or that a single-choice question's overall figure misses.

    Examples
    --------
    >>> from simsurvey.synth.design import design
    >>> from simsurvey.catalog.spec import survey_spec
    >>> d = design(survey_spec("sos-smb-2016"))
    >>> q = {q.id: q for q in d.questions}
    >>> exact_counts(q["budget_past"], d.groups, [86, 417, 283])[0][0].tolist()
    [63, 20, 3]
    >>> exact_counts(q["excel_engage_at_scale"], d.groups, [86, 417, 283])[0].tolist()
    [[78, 8], [234, 183], [45, 238]]
    """
    if on_infeasible not in ON_INFEASIBLE:
        raise ValueError(f"on_infeasible must be one of {', '.join(ON_INFEASIBLE)}, got {on_infeasible!r}")
    sizes = np.asarray(sizes, dtype=np.int64)
    n = int(sizes.sum())
    problems: list[dict] = []
    if q.scope == "overall":
        counts = _overall(q, sizes, n, rule, on_infeasible, problems)
    elif q.single_choice:
        counts = _choice_by_group(q, groups, sizes, rule, on_infeasible, problems)
    else:
        counts = _binary_by_group(q, groups, sizes, rule, on_infeasible, problems)
    if not q.complete:
        counts = np.column_stack([counts, sizes - counts.sum(axis=1)])
    return counts, problems


def _binary_by_group(q, groups, sizes, rule, on_infeasible, problems):
    where = [(q.items[0], g) for g in groups]
    low, high, target = _cells(q, q.pct[:, 0], q.decimals[:, 0], sizes, where, rule, on_infeasible, problems)
    total = (0, int(sizes.sum()))
    if not np.isnan(q.all_pct[0]):
        total = admissible(q.all_pct[0], int(sizes.sum()), int(q.all_decimals[0]), rule)
    k = closest_counts(low, high, target, *total)
    if k is None:
        detail = (f"no counts of the groups ({', '.join(groups)}) that each print as "
                  f"{', '.join(f'{p:g}%' for p in q.pct[:, 0])} add up to a total that prints as "
                  f"{q.all_pct[0]:g}% of n={int(sizes.sum())}")
        _infeasible(on_infeasible, problems, q, q.items[0], "all", detail)
        k = closest_counts(low, high, target)
        problems[-1].update(pct=float(q.all_pct[0]), n=int(sizes.sum()), count=int(k.sum()))
    return k[:, None]


def _choice_by_group(q, groups, sizes, rule, on_infeasible, problems):
    rows = []
    for g, size in enumerate(sizes):
        where = [(item, groups[g]) for item in q.items]
        low, high, target = _cells(q, q.pct[g], q.decimals[g], np.full(len(q.items), size), where, rule,
                                   on_infeasible, problems)
        lo_total = int(size) if q.complete else 0
        k = closest_counts(low, high, target, lo_total, int(size))
        if k is None:
            printed = "/".join(f"{p:g}" for p in q.pct[g])
            _infeasible(on_infeasible, problems, q, q.id, groups[g],
                        f"no counts of the {size} respondents that each print as {printed}% "
                        f"{'sum to ' + str(size) if q.complete else 'fit into the group'}")
            k = closest_counts(np.zeros_like(low), np.full_like(high, size), target, lo_total, int(size))
            problems[-1].update(pct=None, n=int(size), count=None)
        rows.append(k)
    counts = np.array(rows, dtype=np.int64)
    n = int(sizes.sum())
    for c, item in enumerate(q.items):  # the overall figure is checked, not enforced
        if not np.isnan(q.all_pct[c]):
            lo, hi = admissible(q.all_pct[c], n, int(q.all_decimals[c]), rule)
            if not lo <= counts[:, c].sum() <= hi:
                problems.append(dict(question=q.id, item=item, group="all", pct=float(q.all_pct[c]), n=n,
                                     count=int(counts[:, c].sum()),
                                     reason="the per-group counts of this single-choice answer do not "
                                            "also reproduce the figure printed for everyone"))
    return counts


def _overall(q, sizes, n, rule, on_infeasible, problems):
    where = [(item, "all") for item in q.items]
    low, high, target = _cells(q, q.pct[0], q.decimals[0], np.full(len(q.items), n), where, rule,
                               on_infeasible, problems)
    lo_total = n if q.complete else 0
    totals = closest_counts(low, high, target, lo_total, n)
    if totals is None:
        printed = "/".join(f"{p:g}" for p in q.pct[0])
        _infeasible(on_infeasible, problems, q, q.id, "all",
                    f"no counts of the n={n} respondents that each print as {printed}% "
                    f"{'sum to n' if q.complete else 'fit into n'}")
        totals = closest_counts(np.zeros_like(low), np.full_like(high, n), target, lo_total, n)
        problems[-1].update(pct=None, n=n, count=None)
    if len(q.items) == 1:
        return split_counts(int(totals[0]), sizes)[:, None]
    rest = [] if q.complete else [n - int(totals.sum())]
    return split_table(np.concatenate([totals, rest]).astype(np.int64), sizes)[:, :len(q.items)]


def _cells(q, pct, dec, sizes, where, rule, on_infeasible, problems):
    """Bounds and targets of a row of cells; ``where[j]`` is the (item, group) of cell ``j``."""
    low, high, target = [], [], []
    for (p, d, size, (item, group)) in zip(pct, dec, sizes, where):
        size = int(size)
        if size == 0:  # an empty group has nothing to reproduce
            low.append(0), high.append(0), target.append(0.0)
            continue
        lo, hi = admissible(p, size, int(d), rule)
        if lo > hi:
            _infeasible(on_infeasible, problems, q, item, group,
                        f"no whole number of the {size} respondents prints as {p:g}% (rule {rule!r})")
            lo = hi = int(np.clip(np.floor(p * size / 100 + 0.5), 0, size))
            problems[-1].update(pct=float(p), n=size, count=lo)
        low.append(lo), high.append(hi), target.append(p * size / 100)
    return np.array(low, np.int64), np.array(high, np.int64), np.array(target)


def _infeasible(on_infeasible, problems, q, item, group, detail):
    if on_infeasible == "raise":
        raise InfeasibleError(infeasible_message(f"item {item!r}, group {group!r}: {detail}"))
    problems.append(dict(question=q.id, item=item, group=group, reason=detail))
