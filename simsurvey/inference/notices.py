"""What a reader of the intervals must be told: warnings, and claims left out with the reason.

No claim leaves a result silently. Every stage that drops a claim records it
as a plain ``{"claim_id", "item", "reason"}`` dict (plain values, so a result
table's ``attrs`` survive ``pd.concat``, copies and pickling), warns once with
:class:`SkippedClaimWarning` naming each one, and the command line repeats
them in a footer on stderr (:func:`skipped_footer`).
"""
from __future__ import annotations

import re
import warnings

import pandas as pd

__all__ = ["BootstrapWarning", "SkippedClaimWarning", "SKIPPED_COLUMNS", "skipped_records", "warn_skipped",
           "skipped_footer"]

SKIPPED_COLUMNS = ("claim_id", "item", "reason")
_QUOTED = r"(?<!\w)'[^']*'(?!\w)"


class BootstrapWarning(UserWarning):
    """Something about the intervals a reader must know (dropped replicates, degenerate claims)."""


class SkippedClaimWarning(BootstrapWarning):
    """A published claim has no row in the result; the message names it and says why."""


def skipped_records(skipped) -> list[dict]:
    """Skipped claims as a list of plain dicts (from a DataFrame or an iterable of dicts / tuples).

    Examples
    --------
    >>> skipped_records([("c#1", "item_a", "no percentages published")])
    [{'claim_id': 'c#1', 'item': 'item_a', 'reason': 'no percentages published'}]
    """
    if isinstance(skipped, pd.DataFrame):
        skipped = zip(*(skipped[c].tolist() for c in SKIPPED_COLUMNS))
    out = []
    for row in skipped:
        values = [row[c] for c in SKIPPED_COLUMNS] if isinstance(row, dict) else list(row)
        out.append({c: "" if v is None or v != v else str(v) for c, v in zip(SKIPPED_COLUMNS, values)})
    return out


def warn_skipped(records: list[dict], what: str = "result", stacklevel: int = 3) -> None:
    """One :class:`SkippedClaimWarning` naming every skipped claim, grouped by reason (nothing if none).

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_skipped([{"claim_id": "c#1", "item": "", "reason": "no percentages published"},
    ...                   {"claim_id": "c#2", "item": "a", "reason": "sample has no column 'a'"},
    ...                   {"claim_id": "c#3", "item": "b", "reason": "sample has no column 'b'"}])
    >>> print(caught[0].message)
    3 claim(s) have no row in the result (attrs['skipped'] lists each with its reason): no percentages published: c#1; sample has no column: c#2 'a', c#3 'b'

    An apostrophe inside a word is not a quote:

    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_skipped([{"claim_id": "c#9", "item": "", "reason": "repeats the chart's claim 'c#8' (same "
    ...                    "multiplier): its rows stand for both"}])
    >>> print(caught[0].message)
    1 claim(s) have no row in the result (attrs['skipped'] lists each with its reason): repeats the chart's claim (same multiplier): its rows stand for both: c#9 'c#8'
    """
    if not records:
        return
    families: dict[str, list[str]] = {}
    for r in records:
        # one family per reason with its quoted names taken out, the names kept beside the claim; a quote
        # opens only after a non-letter, so the apostrophe of "chart's" is not one
        names = re.findall(_QUOTED, r["reason"])
        family = re.sub(r"\s*" + _QUOTED, "", r["reason"])
        families.setdefault(family, []).append(" ".join([r["claim_id"], *names]))
    named = "; ".join(f"{family}: {', '.join(ids)}" for family, ids in families.items())
    warnings.warn(f"{len(records)} claim(s) have no row in the {what} (attrs['skipped'] lists each with its "
                  f"reason): {named}", SkippedClaimWarning, stacklevel=stacklevel)


def skipped_footer(records: list[dict], prog: str) -> str:
    """The command line's stderr footer: one line per skipped claim, '' when none.

    Examples
    --------
    >>> print(skipped_footer([{"claim_id": "c#1", "item": "x", "reason": "group 'under' has no respondents"}],
    ...                      "simsurvey bootstrap"), end="")
    simsurvey bootstrap: 1 claim(s) skipped:
      c#1 x: group 'under' has no respondents
    """
    if not records:
        return ""
    lines = [f"{prog}: {len(records)} claim(s) skipped:"]
    lines += [f"  {r['claim_id']}{' ' + r['item'] if r['item'] else ''}: {r['reason']}" for r in records]
    return "\n".join(lines) + "\n"
