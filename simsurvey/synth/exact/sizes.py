"""Exact mode, first step: whole-number group sizes that let every printed figure be reproduced.

The sizes whose share prints as published are a small run per group (83-90
of 786 print as 11%), and only some of them let every percentage of that
group print as published: 89% of 86 is impossible (76/86 = 88.4%, 77/86 =
89.5%). :func:`choose_sizes` tries them closest to ``share * n / 100``
first and returns the closest combination summing to ``n`` under which every
figure, also those printed for everyone, is reproducible.
"""
from __future__ import annotations

import itertools

import numpy as np

from simsurvey.forensics.groupsizes import share_decimals
from simsurvey.synth.counts import ON_INFEASIBLE, InfeasibleError, admissible, infeasible_message, nearest_sizes
from simsurvey.synth.design import Design, Question

__all__ = ["choose_sizes"]


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
        See :func:`simsurvey.synth.exact.exact_counts`. With ``"nearest"`` and no reproducible
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
    if n < len(d.groups):
        raise ValueError(f"n must be at least the number of groups ({len(d.groups)}), got {n}")
    ranges = [_size_range(d, g, share, n, printed, rule) for g, share in enumerate(shares)]
    search = _SizeSearch(d, ranges, shares * n / 100, n, rule)
    found = search.best()
    if found is not None:
        return found, []
    message = search.why_not()
    if on_infeasible == "raise":
        raise InfeasibleError(infeasible_message(message))
    return nearest_sizes(shares, n), [dict(question=None, item=None, group=None, pct=None, n=n, count=None,
                                           reason=message)]


def _size_range(d: Design, g: int, share: float, n: int, printed: bool, rule: str) -> tuple[int, int]:
    """Sizes of group ``g`` that print as its share (printed), or within half a point of it (chosen)."""
    if printed:
        lo, hi = admissible(share, n, share_decimals(share), rule)
        if lo > hi:
            raise InfeasibleError(f"shares: no whole number of the n={n} respondents prints as "
                                  f"{share:g}% (group {d.groups[g]!r}): the printed shares "
                                  f"cannot come from n={n}")
        return lo, hi
    lo = max(1, int(np.ceil((share - 0.5) * n / 100)))
    return lo, max(lo, min(n, int(np.floor((share + 0.5) * n / 100))))


class _SizeSearch:
    """Sizes within each group's range, nearest the targets first, under which every figure prints."""

    def __init__(self, d: Design, ranges, target, n: int, rule: str):
        self.d, self.ranges, self.target, self.n, self.rule = d, ranges, target, n, rule
        self.reasons: list[dict] = [{} for _ in ranges]  # group -> size -> why it fails (None: it fits)
        self.cross = [q for q in d.questions
                      if q.scope == "group" and not q.single_choice and not np.isnan(q.all_pct[0])]

    def ok(self, g: int, size: int) -> bool:
        if size not in self.reasons[g]:
            self.reasons[g][size] = _group_problem(self.d, g, size, self.rule)
        return self.reasons[g][size] is None

    def nearest_first(self, g: int):
        """Sizes of group ``g``, closest to its target first, that reproduce its figures."""
        lo, hi = self.ranges[g]
        centre = int(np.clip(np.floor(self.target[g] + 0.5), lo, hi))
        for step in range(hi - lo + 1):
            for size in ((centre + step, centre - step) if step else (centre,)):
                if lo <= size <= hi and self.ok(g, size):
                    yield size

    def best(self):
        """The closest sizes summing to n (least squares to the targets), or None."""
        # the last group's size follows from the others; widen the lists of the others until a
        # combination works (usually at once: at large n every size works)
        gens = [self.nearest_first(g) for g in range(len(self.ranges) - 1)]
        lists: list[list[int]] = [[] for _ in gens]
        done = [False] * len(gens)
        width = 4
        while True:
            _fill(gens, lists, done, lambda g: len(lists[g]) < width)
            found = self._combination(lists)
            if found is not None:
                # a cheaper combination can only use sizes within sqrt(cost) of their targets:
                # make sure the lists hold all of those, then take the best again
                bound = float(((found - self.target) ** 2).sum())
                _fill(gens, lists, done, lambda g: (lists[g][-1] - self.target[g]) ** 2 <= bound)
                return self._combination(lists)
            if all(done) or width ** max(1, len(gens)) > 1_000_000:
                return None
            width *= 4

    def _combination(self, lists):
        last = len(self.ranges) - 1
        return _best_combination(lists, self.n, self.target, self.ranges[-1], lambda size: self.ok(last, size),
                                 lambda sizes: all(_overall_ok(q, sizes, self.n, self.rule) for q in self.cross))

    def why_not(self) -> str:
        """Why no sizes work: the groups none of whose sizes fit, else the figures printed for everyone."""
        detail = []
        for g, (lo, hi) in enumerate(self.ranges):
            if not any(self.ok(g, size) for size in range(lo, min(hi, lo + 10_000) + 1)):
                reasons = self.reasons[g]
                first = reasons[min(reasons, key=lambda size: abs(size - self.target[g]))]
                detail.append(f"no size of group {self.d.groups[g]!r} in {lo}-{hi} lets every figure of that "
                              f"group print as published (e.g. {first})")
        if not detail:
            detail.append("no combination of group sizes summing to n also reproduces the figures printed "
                          "for everyone")
        return f"{'; '.join(detail)} (n={self.n})"


def _fill(gens, lists, done, more) -> None:
    """Take sizes from each group's generator while ``more(g)``, noting the exhausted ones."""
    for g, gen in enumerate(gens):
        while not done[g] and more(g):
            size = next(gen, None)
            if size is None:
                done[g] = True
            else:
                lists[g].append(size)


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
