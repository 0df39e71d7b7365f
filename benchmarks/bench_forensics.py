"""Benchmark: rounding forensics over the whole catalogue, and the integer-count test against a Python loop.

There is no library a user would otherwise call for GRIM-style checks of ratios
(scrutiny is R and handles means), so the comparison is the plain Python loop
one would write: for every admissible pair of group sizes, every count of each
group that prints as the published percentage, test whether the ratio of the
two shares rounds to the printed multiplier (exact Fractions, as the reference
tests do), and the same loop restricted to exactly the combinations numpy
visits, with the same integer test. All run here, in one process; the script
prints milliseconds and ratios, and checks that the three agree.

Cases: the SMB report's 5.7x (91% vs 16%, 44 admissible size vectors), the
Harris CRM 2.0x (41% vs 20%, shares unpublished: 489 splits of 490), and a
report the size of Connected Customer 2018 (n=6,723, shares unpublished:
6,722 splits; the scanning loop is timed on the first 300 splits and scaled
up, which the table marks).

Run:  python benchmarks/bench_forensics.py
"""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

import simsurvey as ss
from _timing import best_of
from simsurvey.forensics.groupsizes import count_range, group_sizes
from simsurvey.forensics.ratios import ratio_feasible



def _prints(x: Fraction, printed: float, decimals: int) -> bool:
    """Half-up or half-even (rule 'any'), on an exact Fraction."""
    u = 10 ** decimals
    target = round(printed * u)
    return math.floor(x * u + Fraction(1, 2)) == target or round(x * u) == target


def python_scan(p1, p2, m, pairs):
    """The loop a user would write: scan counts, keep those printing as the percentages, test the ratio."""
    out = []
    for n1, n2 in pairs:
        k1s = [k for k in range(n1 + 1) if _prints(Fraction(100 * k, n1), p1, 0)]
        k2s = [k for k in range(n2 + 1) if _prints(Fraction(100 * k, n2), p2, 0)]
        out.append(any(k2 and _prints(Fraction(k1 * n2, k2 * n1), m, 1) for k1 in k1s for k2 in k2s))
    return np.array(out)


def python_same(p1, p2, m, pairs):
    """The same (size pair, k1, k2) combinations numpy visits, in a Python loop with the same integer test."""
    out = []
    lo1, hi1 = count_range(p1, [a for a, _ in pairs])
    lo2, hi2 = count_range(p2, [b for _, b in pairs])
    target = round(m * 10)
    for (n1, n2), a0, a1, b0, b1 in zip(pairs, lo1.tolist(), hi1.tolist(), lo2.tolist(), hi2.tolist()):
        hit = False
        for k1 in range(a0, a1 + 1):
            for k2 in range(max(b0, 1), b1 + 1):
                twice, den = 2 * k1 * n2 * 10, k2 * n1  # ratio*10 against target -/+ 1/2, times 2*den
                lo, hi = (2 * target - 1) * den, (2 * target + 1) * den
                if lo <= twice <= hi and (twice < hi or target % 2 == 0):
                    hit = True
                    break
            if hit:
                break
        out.append(hit)
    return np.array(out)


def main() -> None:
    catalog = ss.load_catalog()
    ss.check(catalog)  # warm up imports and caches
    t_check, res = best_of(5, lambda: ss.check(catalog))
    n_rows = sum(len(res.table(t)) for t in ("claims", "mixtures", "inverse", "scrambled", "restated", "totals"))
    print(f"check() over the whole catalogue ({len(catalog.survey_ids)} surveys, {len(res.claims)} claims, "
          f"{n_rows} checked rows): {t_check * 1000:.0f} ms (best of 5)\n")

    smb, harris, big = group_sizes(786, [11, 53, 36])[:, [0, 2]], group_sizes(490, [None, None]), \
        group_sizes(6723, [None, None])
    # printed multipliers that fit (a loop may stop at the first hit) and ones that do not (every
    # combination must be visited: the case that decides an "inconsistent" verdict)
    cases = [
        ("SMB 91%/16% at 5.7x", 91, 16, 5.7, smb, None),
        ("SMB 91%/16% at 6.0x", 91, 16, 6.0, smb, None),
        ("Harris 41%/20% at 2.0x", 41, 20, 2.0, harris, None),
        ("Harris 41%/20% at 2.2x", 41, 20, 2.2, harris, None),
        ("n=6,723 64%/73% at 0.9x", 64, 73, 0.9, big, 300),
        ("n=6,723 64%/73% at 0.8x", 64, 73, 0.8, big, 300),
    ]
    print("Integer-count test of one claim, every admissible size pair (rule 'any'); python timings scaled\n"
          "to all pairs where only a subset was timed (last column):")
    print(f"{'case':<25}{'size pairs':>11}{'count pairs':>13}{'numpy ms':>10}{'same-loop ms':>14}{'loop/np':>9}"
          f"{'scan ms':>10}{'scan/np':>9}  timed pairs")
    for name, p1, p2, m, sizes, subset in cases:
        n1, n2 = sizes[:, 0], sizes[:, 1]
        t_fast, fast = best_of(5, lambda: ratio_feasible(p1, p2, m, n1, n2))
        pairs = [(int(a), int(b)) for a, b in zip(n1, n2)]
        timed = pairs if subset is None else pairs[:subset]
        scale = len(pairs) / len(timed)
        t_same, same = best_of(1 if subset else 3, lambda: python_same(p1, p2, m, pairs))
        t_scan, scan = best_of(1, lambda: python_scan(p1, p2, m, timed))
        assert (same == fast).all() and (scan == fast[:len(timed)]).all(), name  # all three agree
        lo1, hi1 = count_range(p1, n1)
        lo2, hi2 = count_range(p2, n2)
        combos = int((np.maximum(hi1 - lo1 + 1, 0) * np.maximum(hi2 - lo2 + 1, 0)).sum())
        print(f"{name:<25}{len(pairs):>11,}{combos:>13,}{t_fast * 1000:>10.1f}{t_same * 1000:>14.1f}"
              f"{_times(t_same / t_fast):>9}{t_scan * scale * 1000:>10.0f}{_times(t_scan * scale / t_fast):>9}  "
              f"{len(timed):,}")
    print("\nsame-loop: a Python loop over exactly the (size pair, k1, k2) combinations, stopping at the first\n"
          "hit, so it is quick when the multiplier fits and slow when it does not (every combination visited,\n"
          "the case behind an 'inconsistent' verdict). scan: the loop one would write first, trying every\n"
          "count 0..N with Fractions.")


def _times(ratio: float) -> str:
    return f"{ratio:.1f}x" if ratio < 10 else f"{ratio:.0f}x"

if __name__ == "__main__":
    main()
