"""A claim in the report's own words, and the percentages behind it as a reader would quote them.

The catalogue keeps a claim's label as printed beside its multiplier ("more
likely (Creating deeper customer relationships)", "anticipated growth:
Service analytics"), its printed text ("5.7x", "+21%") and its item, whose
label is the chart's wording. These functions put them back together into
the sentence a journalist would quote, so no table has to show ``0.21`` for
"+21%" or leave the claim blank where the catalogue has no item.
"""
from __future__ import annotations

import re

import pandas as pd

__all__ = ["claim_wording", "percentages_text", "value_text", "interval_text"]

_POSITION = re.compile(r"^more likely \(position (\d+) of the chart\)$")
_PARENTHESISED = re.compile(r"^(more|less) likely \((.*)\)$")


def claim_wording(claims: pd.DataFrame, item_labels: dict[str, str] | None = None) -> pd.Series:
    """One sentence per claim: the printed multiplier and what it is about, in the report's words.

    Parameters
    ----------
    claims : pandas.DataFrame
        Rows of a catalogue's claims table (``printed_text, label, kind, item``
        and, for ``important_vs_unimportant``, ``group`` and ``direction``).
    item_labels : dict, optional
        Item id to the item's printed label, used where the claim's own label
        only gives the chart position. A ``pairing`` column (the resolved
        survey's) of ``re-paired`` says ``printed_text`` is the multiplier the
        chart solver gave the item, so the claim is worded about the item.

    Examples
    --------
    >>> claims = pd.DataFrame({"printed_text": ["5.7x", "1.8x", "+21%"], "kind": ["ratio", "ratio", "anticipated_growth"],
    ...     "item": ["a", "b", "c"], "group": ["", "", "all"], "direction": ["more"] * 3,
    ...     "label": ["a whopping 5.7x more likely to excel", "more likely (Creating deeper relationships)",
    ...               "anticipated growth: Service analytics"]})
    >>> claim_wording(claims).tolist()
    ['a whopping 5.7x more likely to excel', '1.8x more likely: Creating deeper relationships', '+21% anticipated growth: Service analytics']
    """
    labels = item_labels or {}
    return pd.Series([_one(row, labels) for row in claims.itertuples(index=False)], index=claims.index, dtype=object)


def _one(row, labels) -> str:
    printed, label = str(row.printed_text).strip(), str(row.label or "").strip()
    if row.kind == "important_vs_unimportant":
        who = "everyone" if row.group in ("", "all") else str(row.group).replace("_", " ")
        ways = "more" if row.direction == "more" else "less"
        return f"{printed} {ways} likely to rate important than unimportant ({who}): {label}"
    position = _POSITION.match(label)
    if position:
        item = labels.get(row.item, row.item)
        if getattr(row, "pairing", "") == "re-paired":  # the resolved survey's multiplier for this item
            return f"{printed} more likely: {item}"
        return f"{printed} more likely (printed at chart position {position.group(1)}, beside: {item})"
    parenthesised = _PARENTHESISED.match(label)
    if parenthesised:
        return f"{printed} {parenthesised.group(1)} likely: {parenthesised.group(2)}"
    if printed.lower() in label.lower():
        return label
    return f"{printed} {label}".strip()


def percentages_text(kind: str, numerator: str, denominator: str, num_pct, den_pct,
                     num_n=None, den_n=None, *, approximate: bool = False) -> str:
    """The two percentages behind a claim, with the counts they are percentages of when known.

    ``approximate`` marks counts that rest on an assumption (unpublished group
    shares) with "≈".

    Examples
    --------
    >>> percentages_text("ratio", "high", "under", 91.0, 16.0, 90, 281)
    '91% of 90 high vs 16% of 281 under'
    >>> percentages_text("anticipated_growth", "x", "y", 11.0, 52.0)
    '11% plan to add vs 52% use now'
    >>> percentages_text("ratio", "high", "under", float("nan"), float("nan"))
    ''
    """
    if pd.isna(num_pct) or pd.isna(den_pct):
        return ""
    names = {"anticipated_growth": ("plan to add", "use now"),
             "important_vs_unimportant": ("important", "unimportant")}.get(kind, (numerator, denominator))

    def part(pct, n, name):
        of = "" if n is None or pd.isna(n) else f" of {'≈' * (approximate and kind == 'ratio')}{int(n)}"
        return f"{_pct(pct)}{of} {name}"

    return f"{part(num_pct, num_n, names[0])} vs {part(den_pct, den_n, names[1])}"


def value_text(value, kind: str) -> str:
    """A multiplier as the report prints it: ``5.69x``, or ``+21%`` for anticipated growth.

    Examples
    --------
    >>> value_text(5.6875, "ratio"), value_text(0.2115, "anticipated_growth")
    ('5.69x', '+21%')
    """
    if value is None or pd.isna(value):
        return ""
    if kind == "anticipated_growth":
        return f"{value * 100:+.0f}%"
    return f"{value:.2f}x"


def interval_text(low, high, kind: str) -> str:
    """An interval as ``4.41–7.70x`` (or ``+17–+25%``); empty when either end is missing.

    Examples
    --------
    >>> interval_text(4.41, 7.7, "ratio"), interval_text(0.17, 0.254, "anticipated_growth")
    ('4.41–7.70x', '+17–+25%')
    """
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return ""
    lo, hi = value_text(low, kind), value_text(high, kind)
    return f"{lo[:-1]}–{hi}"


def _pct(value) -> str:
    value = float(value)
    return f"{value:.0f}%" if value == int(value) else f"{value:g}%"
