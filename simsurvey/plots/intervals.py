"""Figures a reader would rather look at than read: forest plots and coverage.

Each function takes a tidy result table, draws on a matplotlib Axes (a new
one unless ``ax`` is given) and returns the Axes, seaborn-styled.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

__all__ = ["forest_plot", "coverage_plot"]


def forest_plot(result: pd.DataFrame, methods=None, *, ax=None, label: str = "item"):
    """Every multiplier with its intervals (log scale), the printed value marked.

    Parameters
    ----------
    result : pandas.DataFrame
        Output of :func:`simsurvey.bootstrap`.
    methods : list of str, optional
        Which methods to draw (default: all in ``result``), one colour each.
    ax : matplotlib Axes, optional
    label : str
        Column that names each claim on the y axis.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import warnings, matplotlib.pyplot as plt
    >>> import simsurvey as ss
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")  # the claims without percentages are skipped, with a warning
    ...     result = ss.bootstrap(ss.generate("sos-smb-2016", seed=1), replicates=1000, seed=1)
    >>> ax = forest_plot(result[result["kind"] == "ratio"], methods=["percentile", "simultaneous"])
    >>> len(ax.get_yticks()), ax.get_xscale()
    (24, 'log')
    >>> plt.close("all")
    """
    methods = list(dict.fromkeys(result["method"])) if methods is None else list(methods)
    unknown = set(methods) - set(result["method"])
    if unknown:
        raise ValueError(f"methods not in result: {', '.join(sorted(unknown))}")
    claims = (result.drop_duplicates("claim_id").sort_values("estimate").reset_index(drop=True))
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.32 * len(claims) + 1.5))
    palette = dict(zip(methods, sns.color_palette("tab10", len(methods))))
    offsets = np.linspace(-0.3, 0.3, len(methods)) if len(methods) > 1 else [0.0]
    y_of = {cid: k for k, cid in enumerate(claims["claim_id"])}
    for method, dy in zip(methods, offsets):
        part = result[result["method"] == method]
        y = part["claim_id"].map(y_of).to_numpy() + dy
        ax.hlines(y, part["low"], part["high"], color=palette[method], lw=1.6, label=method)
    ax.scatter(claims["estimate"], claims.index, color="black", s=14, zorder=3, label="estimate")
    printed = np.where(claims["direction"] == "less", 1 / claims["printed"], claims["printed"])
    ax.scatter(printed, claims.index, marker="x", color="crimson", s=40, zorder=4, label="printed")
    ax.axvline(1, color="grey", lw=0.8, ls="--")
    ax.set_xscale("log")
    ticks = [t for t in (0.5, 1, 1.5, 2, 3, 4, 6, 8, 12) if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
    ax.set_xticks(ticks, [f"{t:g}x" for t in ticks])
    ax.set_yticks(claims.index, claims[label])
    ax.set(xlabel="ratio (log scale)", ylabel="")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(loc="lower right", fontsize=8, frameon=True)
    return ax


def coverage_plot(by_claim: pd.DataFrame, *, confidence: float = 0.95, ax=None):
    """Actual coverage of each method, one dot per claim, nominal level dashed.

    Parameters
    ----------
    by_claim : pandas.DataFrame
        ``CoverageResult.by_claim``.
    confidence : float
        Nominal level to mark.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> by_claim = pd.DataFrame({"method": ["percentile"] * 2 + ["bca"] * 2, "coverage": [0.94, 0.95, 0.93, 0.96]})
    >>> ax = coverage_plot(by_claim)
    >>> [t.get_text() for t in ax.get_xticklabels()], [float(y) for y in ax.get_ylim()]
    (['percentile', 'bca'], [0.8, 1.0])
    >>> plt.close("all")
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.5))
    order = list(dict.fromkeys(by_claim["method"]))
    # a fixed jitter (seaborn's stripplot draws it from numpy's global state), so a figure is
    # the same every time it is drawn
    jitter = np.random.default_rng(0).uniform(-0.2, 0.2, len(by_claim))
    x = by_claim["method"].map({m: i for i, m in enumerate(order)}).to_numpy() + jitter
    colors = dict(zip(order, sns.color_palette("colorblind", len(order))))
    ax.scatter(x, by_claim["coverage"], c=[colors[m] for m in by_claim["method"]], alpha=0.6, s=20)
    ax.set_xticks(range(len(order)), order)
    means = by_claim.groupby("method", sort=False)["coverage"].mean().reindex(order)
    ax.scatter(range(len(order)), means, marker="_", s=600, color="black", zorder=3, label="mean over claims")
    ax.axhline(confidence, color="crimson", ls="--", lw=1, label=f"nominal {confidence:.0%}")
    ax.set(xlabel="", ylabel="actual coverage", ylim=(min(0.8, by_claim["coverage"].min() - 0.02), 1.0))
    ax.legend(loc="lower right", fontsize=8)
    return ax
