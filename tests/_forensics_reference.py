"""Slow, obviously-correct reference implementations for the forensics tests.

Independent of simsurvey.rounding: rounding is done on Fractions with
``math.floor`` (half-up) and ``Fraction.__round__`` (half-even), and every
count is tried in plain Python loops.
"""
from __future__ import annotations

import math
import shutil
from functools import lru_cache
from fractions import Fraction
from pathlib import Path

import pandas as pd

from simsurvey.catalog.load import COLUMNS


def round_to(x: Fraction, decimals: int, rule: str) -> set[int]:
    """The printed value(s) of ``x`` as integers of the last digit (two under 'any' at a tie)."""
    u = 10 ** decimals
    up = math.floor(Fraction(x) * u + Fraction(1, 2))
    even = round(Fraction(x) * u)  # Fraction rounds half to even
    return {"half_up": {up}, "half_even": {even}, "any": {up, even}}[rule]


def prints_as(x: Fraction, printed: float, decimals: int, rule: str) -> bool:
    return round(printed * 10 ** decimals) in round_to(x, decimals, rule)


@lru_cache(maxsize=None)
def naive_counts(pct: float, n: int, rule: str, decimals: int = 0) -> list[int]:
    return [k for k in range(n + 1) if prints_as(Fraction(100 * k, n), pct, decimals, rule)]


def naive_sizes(n: int, shares, rule: str) -> list[tuple[int, ...]]:
    h_range = naive_counts(shares[0], n, rule)
    m_range = naive_counts(shares[1], n, rule)
    out = []
    for h in h_range:
        for m in m_range:
            u = n - h - m
            if h >= 1 and m >= 1 and u >= 1 and prints_as(Fraction(100 * u, n), shares[2], 0, rule):
                out.append((h, m, u))
    return out


def naive_ratio_feasible(p1, p2, m, pairs, *, decimals=1, rule="any", direction="more") -> list[bool]:
    out = []
    for n1, n2 in pairs:
        k1s, k2s = naive_counts(p1, n1, rule), naive_counts(p2, n2, rule)
        ok = False
        for k1 in k1s:
            for k2 in k2s:
                top, bottom = (k1 * n2, k2 * n1) if direction == "more" else (k2 * n1, k1 * n2)
                if bottom and prints_as(Fraction(top, bottom), m, decimals, rule):
                    ok = True
                    break
            if ok:
                break
        out.append(ok)
    return out


def copy_catalog(src: Path, dst: Path) -> Path:
    dst.mkdir(parents=True, exist_ok=True)
    for file in Path(src).glob("*.csv"):
        shutil.copy(file, dst / file.name)
    return dst


def edit_csv(folder: Path, name: str, where: dict, **changes) -> int:
    """Set ``changes`` in the rows of ``name``.csv matching every ``where`` column; returns rows changed."""
    path = Path(folder) / f"{name}.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    hit = pd.Series(True, index=df.index)
    for column, value in where.items():
        hit &= df[column] == value
    for column, value in changes.items():
        df.loc[hit, column] = value
    df.to_csv(path, index=False)
    return int(hit.sum())


def write_catalog(folder: Path, *, n, groups, shares, figures, claims, weighted="no") -> Path:
    """A minimal one-survey catalogue 'toy' (figures: (item, group, pct); claims: dicts of claim columns)."""
    folder.mkdir(parents=True, exist_ok=True)
    blank = {name: dict.fromkeys(cols, "") for name, cols in COLUMNS.items()}
    survey = dict(blank["surveys"], survey="toy", title="Toy survey", n=str(n), probability_sample="no",
                  weighted=weighted, weighting="Weighted to census targets." if weighted == "yes" else "none")
    group_rows = [dict(blank["groups"], survey="toy", group=g, label=g, share="" if s is None else str(s),
                       certainty="certain") for g, s in zip(groups, shares)]
    figure_rows = []
    for item, g, p, *rest in figures:  # optional 4th and 5th entries: location, certainty
        location, certainty = tuple(rest) + ("chart", "certain")[len(rest):]
        figure_rows.append(dict(blank["figures"], survey="toy", chart="c", location=location, item=item,
                                label=item, group=g, pct=str(p), source_file="x", quote="q", certainty=certainty))
    claim_rows = []
    for c in claims:
        row = dict(blank["claims"], survey="toy", chart="c", location="chart", kind="ratio", decimals="1",
                   direction="more", source_file="x", quote="q", certainty="certain")
        row.update({k: str(v) for k, v in c.items()})
        row.setdefault("printed_text", row["printed"] + "x")
        claim_rows.append(row)
    for name, rows in (("surveys", [survey]), ("groups", group_rows), ("figures", figure_rows),
                       ("claims", claim_rows)):
        pd.DataFrame(rows, columns=COLUMNS[name]).to_csv(folder / f"{name}.csv", index=False)
    return folder
