"""The critique's figures, drawn off-screen and returned as PNG bytes (for files and for embedding).

No pyplot state: each figure is a :class:`matplotlib.figure.Figure` of its
own, so a report renders the same bytes whatever else the process has drawn.
"""
from __future__ import annotations

import io

import pandas as pd

__all__ = ["interval_figure", "png_bytes"]


def png_bytes(fig) -> bytes:
    """The figure as PNG, without the software-version stamp (same figure, same bytes)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


def interval_figure(boot: pd.DataFrame, labels: dict[str, str], *, confidence: float = 0.95,
                    methods=("percentile", "simultaneous")) -> tuple[bytes, str] | None:
    """Forest plot of every two-group multiplier: estimate, intervals, printed value; returns (PNG, title).

    The title states the finding (how many intervals exclude 1; a claim printed in a chart and again
    in the text is one comparison). None when the
    survey has no two-group multiplier with an interval.
    """
    from matplotlib.figure import Figure

    from simsurvey.plots.intervals import forest_plot
    from simsurvey.plots.theme import set_theme

    ratios = boot[(boot["kind"] != "anticipated_growth") & boot["method"].isin(methods)].copy()
    if ratios.empty:
        return None
    ratios["label"] = ratios["claim_id"].map(labels)
    set_theme()
    count = ratios["claim_id"].nunique()
    fig = Figure(figsize=(9, 0.34 * count + 1.8))
    ax = fig.subplots()
    forest_plot(ratios, [m for m in methods if m in set(ratios["method"])], ax=ax, label="label")
    main = ratios[ratios["method"] == methods[0]]
    above = int((main["low"] > 1).sum())
    title = (f"{above} of {count} distinct comparisons stay above 1 under ideal random sampling "
             f"({confidence:.0%} {methods[0]} interval)")
    ax.set_title(title, loc="left")
    return png_bytes(fig), title
