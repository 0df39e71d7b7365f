"""Per-group answer counts (exact mode) and probabilities (sampled mode) of each question.

Exact mode: every published percentage is reproduced to the printed digit by
a whole number of respondents, the admissible count closest to
``pct * N / 100`` (see :mod:`simsurvey.synth.counts`), with the totals that must
hold: the answers of a complete single-choice question sum to the group size,
and a figure printed for everyone as well as per group is matched by the sum
over groups. A figure published for everyone only is split over the groups
in proportion to their sizes (the same probability in every group).

Sampled mode: the printed percentages are the probabilities (the answers of a
complete single-choice question, which print to 99-101 in total, are moved
within their rounding intervals to sum to 1; an unpublished rest gets what is
left).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from simsurvey.synth.counts import ON_INFEASIBLE, InfeasibleError, admissible, closest_counts, nearest_sizes, split_counts, split_table
from simsurvey.forensics.groupsizes import share_decimals
from simsurvey.synth.claimcounts import reproduce_claims
from simsurvey.synth.design import Design, Question

__all__ = ["ON_INFEASIBLE", "ExactCounts", "exact_design", "choose_sizes", "exact_counts", "probabilities"]


def choose_sizes(d: Design, shares, n: int, *, printed: bool, rule: str = "any",
                 on_infeasible: str = "raise") -> tuple[np.ndarray, list[dict]]:
    """Group sizes summing to ``n`` that reproduce the shares *and* let every figure be reproduced.

    The sizes whose share prints as published are a small range per group
    (83-90 of 786 print as 11%), and only some of them let every percentage
    of that group print as published: 89% of 86 is impossible (76/86 = 88.4%,
    77/86 = 89.5%). Candidates are tried closest to ``share * n / 100``
    first, and the closest combination summing to ``n`` under which every
    figure (also those printed for everyone) is reproducible is returned.

    Parameters
    ----------
    d : Design
    shares : sequence of float
        Percentages per group.
    n : int
    printed : bool
        True: shares are printed figures (sizes must print as them). False:
        shares chosen by the caller (sizes stay within half a percentage point).
    rule, on_infeasible
        See :func:`exact_counts`. With ``"nearest"`` and no reproducible
        combination, the sizes closest to the shares are used and recorded.

    Returns
    -------
    sizes : numpy.ndarray of int64
    problems : list of dict

    Examples
    --------
    >>> from simsurvey.synth.design import design
    >>> from simsurvey.catalog.spec import survey_spec
    >>> choose_sizes(design(survey_spec("sos-smb-2016")), [11, 53, 36], 786, printed=True)[0].tolist()
    [90, 415, 281]
    """
    if on_infeasible not in ON_INFEASIBLE:
        raise ValueError(f"on_infeasible must be one of {', '.join(ON_INFEASIBLE)}, got {on_infeasible!r}")
    shares = np.asarray(shares, dtype=float)
    n_groups = len(d.groups)
    if n < n_groups:
        raise ValueError(f"n must be at least the number of groups ({n_groups}), got {n}")
    target = shares * n / 100
    ranges = []
    for g in range(n_groups):
        if printed:
            lo, hi = admissible(shares[g], n, share_decimals(shares[g]), rule)
            if lo > hi:
                raise InfeasibleError(f"shares: no whole number of the n={n} respondents prints as "
                                      f"{shares[g]:g}% (group {d.groups[g]!r}): the printed shares "
                                      f"cannot come from n={n}")
        else:
            lo = max(1, int(np.ceil((shares[g] - 0.5) * n / 100)))
            hi = max(lo, min(n, int(np.floor((shares[g] + 0.5) * n / 100))))
        ranges.append((lo, hi))
    reasons: list[dict] = [{} for _ in range(n_groups)]

    def ok(g, size):
        if size not in reasons[g]:
            reasons[g][size] = _group_problem(d, g, size, rule)
        return reasons[g][size] is None

    def nearest_first(g):  # sizes of group g, closest to its target first, that reproduce its figures
        lo, hi = ranges[g]
        centre = int(np.clip(np.floor(target[g] + 0.5), lo, hi))
        for step in range(hi - lo + 1):
            for size in ((centre + step, centre - step) if step else (centre,)):
                if lo <= size <= hi and ok(g, size):
                    yield size

    cross = [q for q in d.questions if q.scope == "group" and not q.single_choice and not np.isnan(q.all_pct[0])]
    # the last group's size follows from the others; widen the lists of the others until a
    # combination works (usually at once: at large n every size works)
    gens = [nearest_first(g) for g in range(n_groups - 1)]
    lists: list[list[int]] = [[] for _ in gens]
    done = [False] * len(gens)
    width = 4
    while True:
        for g, gen in enumerate(gens):
            while not done[g] and len(lists[g]) < width:
                size = next(gen, None)
                if size is None:
                    done[g] = True
                else:
                    lists[g].append(size)
        def best():
            return _best_combination(lists, n, target, ranges[-1], lambda size: ok(n_groups - 1, size),
                                     lambda sizes: all(_overall_ok(q, sizes, n, rule) for q in cross))
        found = best()
        if found is not None:
            # a cheaper combination can only use sizes within sqrt(cost) of their targets:
            # make sure the lists hold all of those, then take the best again
            bound = float(((found - target) ** 2).sum())
            for g, gen in enumerate(gens):
                while not done[g] and (lists[g][-1] - target[g]) ** 2 <= bound:
                    size = next(gen, None)
                    if size is None:
                        done[g] = True
                    else:
                        lists[g].append(size)
            return best(), []
        if all(done) or width ** max(1, len(gens)) > 1_000_000:
            break
        width *= 4
    detail = []
    for g, (lo, hi) in enumerate(ranges):
        if not any(ok(g, size) for size in range(lo, min(hi, lo + 10_000) + 1)):
            first = reasons[g][min(reasons[g], key=lambda size: abs(size - target[g]))]
            detail.append(f"no size of group {d.groups[g]!r} in {lo}-{hi} lets every figure of that group "
                          f"print as published (e.g. {first})")
    if not detail:
        detail.append("no combination of group sizes summing to n also reproduces the figures printed "
                      "for everyone")
    message = f"{'; '.join(detail)} (n={n})"
    if on_infeasible == "raise":
        raise InfeasibleError(_infeasible_message(message))
    sizes = nearest_sizes(shares, n)
    return sizes, [dict(question=None, item=None, group=None, pct=None, n=n, count=None, reason=message)]


def _best_combination(lists, n, target, last_range, last_ok, cross_ok):
    combos = list(itertools.product(*lists))
    combos = np.array(combos, dtype=np.int64).reshape(len(combos), len(lists))
    last = n - combos.sum(axis=1)
    keep = (last >= last_range[0]) & (last <= last_range[1])
    combos = np.column_stack([combos[keep], last[keep]])
    cost = ((combos - target) ** 2).sum(axis=1)
    for sizes in combos[np.lexsort((*combos.T[::-1], cost))]:
        if last_ok(int(sizes[-1])) and cross_ok(sizes):
            return sizes
    return None


def _group_problem(d: Design, g: int, size: int, rule: str) -> str | None:
    """Why group ``g`` with ``size`` respondents cannot reproduce its figures (None: it can)."""
    if size == 0:
        return "an empty group has no percentages"
    for q in d.questions:
        if q.scope != "group":
            continue
        bounds = [admissible(p, size, int(dec), rule) for p, dec in zip(q.pct[g], q.decimals[g])]
        for (lo, hi), item, p in zip(bounds, q.items, q.pct[g]):
            if lo > hi:
                return f"{item} {p:g}% of {size}"
        if q.single_choice:
            low, high = sum(b[0] for b in bounds), sum(b[1] for b in bounds)
            if low > size or (q.complete and high < size):
                return f"the answers of {q.id} ({'/'.join(f'{p:g}' for p in q.pct[g])}%) and {size}"
    return None


def _overall_ok(q: Question, sizes, n: int, rule: str) -> bool:
    bounds = np.array([admissible(p, int(size), int(dec), rule)
                       for p, dec, size in zip(q.pct[:, 0], q.decimals[:, 0], sizes)])
    lo, hi = admissible(q.all_pct[0], n, int(q.all_decimals[0]), rule)
    return bool(bounds[:, 0].sum() <= hi and bounds[:, 1].sum() >= lo)



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


def probabilities(q: Question, n_groups: int) -> np.ndarray:
    """Answer probabilities per group (rows) and category (columns, the rest last).

    The answers of a complete single-choice question print to 99-101 in
    total; the probabilities are the values closest to the printed ones
    (least squares) that sum to 1 and still round to them: the deficit is
    spread equally, within each figure's rounding interval.

    Examples
    --------
    >>> from simsurvey.synth.design import design
    >>> from simsurvey.catalog.spec import survey_spec
    >>> q = {q.id: q for q in design(survey_spec("sos-smb-2016")).questions}
    >>> probabilities(q["excel_engage_at_scale"], 3)[:, 0].tolist()
    [0.91, 0.56, 0.16]
    >>> probabilities(q["budget_past"], 3)[0].round(4).tolist()  # 73/23/3 prints to 99
    [0.7333, 0.2333, 0.0333]
    """
    if q.complete:
        half = 0.5 * 10.0 ** -q.decimals.astype(float)
        p = np.array([_to_total(row, h) for row, h in zip(q.pct, half)]) / 100
    else:
        p = q.pct / 100
        p = np.column_stack([p, np.clip(1 - p.sum(axis=1), 0, None)])
        p = p / p.sum(axis=1, keepdims=True)  # only moves answers printing a hair over 100 in total
    return np.repeat(p, n_groups, axis=0) if q.scope == "overall" else p


def _to_total(pct: np.ndarray, half: np.ndarray, total: float = 100.0) -> np.ndarray:
    """The values closest to ``pct`` within ``pct -/+ half`` that sum to ``total`` (water-filling)."""
    low, high = pct - half, pct + half
    shift_lo, shift_hi = -half.max() - 1, half.max() + 1
    for _ in range(100):  # bisection on the common shift; the clipped sum is monotone in it
        mid = (shift_lo + shift_hi) / 2
        if np.clip(pct + mid, low, high).sum() < total:
            shift_lo = mid
        else:
            shift_hi = mid
    return np.clip(pct + (shift_lo + shift_hi) / 2, low, high)


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
        raise InfeasibleError(_infeasible_message(f"item {item!r}, group {group!r}: {detail}"))
    problems.append(dict(question=q.id, item=item, group=group, reason=detail))


def _infeasible_message(detail: str) -> str:
    return (f"forensics inconsistency: {detail}. No whole numbers of respondents reproduce every printed "
            "figure. At the published n this means a transcription error or figures that cannot belong "
            "together; at another n, pick one where they fit, use mode='sampled', or pass "
            "on_infeasible='nearest' to use the nearest counts and have them recorded")


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


def exact_design(d: Design, n: int, shares, *, printed: bool, claims, proven_sizes=None, rule: str = "any",
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
        Claims to reproduce (see :func:`simsurvey.synth.claimcounts.reproduce_claims`).
    proven_sizes : sequence of int, optional
        Sizes already proven to fit every figure (:func:`simsurvey.resolve`):
        used as they are instead of being chosen again.
    rule, on_infeasible
        See :func:`exact_counts`.

    Examples
    --------
    >>> from simsurvey.forensics.resolve import resolve
    >>> from simsurvey.synth.design import design
    >>> r = resolve("sos-smb-2016")
    >>> ex = exact_design(design(r.spec), 786, r.shares, printed=True, claims=r.claims[r.claims["reproducible"]],
    ...                   proven_sizes=r.sizes)
    >>> ex.sizes.tolist(), ex.claims_missed, int(ex.counts["tech_plan_iot_tracking"][:, 0].sum())
    ([90, 415, 281], [], 85)
    """
    if proven_sizes is not None:
        sizes, problems = np.array(proven_sizes, dtype=np.int64), []
    else:
        sizes, problems = choose_sizes(d, shares, n, printed=printed, rule=rule, on_infeasible=on_infeasible)
    counts = {}
    for q in d.questions:
        counts[q.id], found = exact_counts(q, d.groups, sizes, rule=rule, on_infeasible=on_infeasible)
        problems += found
    missed = reproduce_claims(d, counts, sizes, claims, rule=rule)
    return ExactCounts(sizes=sizes, counts=counts, problems=problems, claims_missed=missed)
