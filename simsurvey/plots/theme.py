"""One look for every figure of the notebooks and the critique report."""
from __future__ import annotations

__all__ = ["set_theme", "TIER_COLORS"]

# Tiers keep one colour everywhere, so a reader learns it once.
TIER_COLORS = {"high": "#1b7837", "moderate": "#878787", "under": "#b2182b",
               "growing": "#1b7837", "stagnant": "#b2182b"}


def set_theme(context: str = "notebook") -> None:
    """Set the seaborn theme every simsurvey figure is drawn with.

    Parameters
    ----------
    context : {"paper", "notebook", "talk", "poster"}
        seaborn's scaling of fonts and lines (default "notebook").

    Examples
    --------
    >>> from simsurvey.plots import set_theme
    >>> set_theme()
    >>> import matplotlib
    >>> matplotlib.rcParams["axes.grid"]
    True
    """
    import seaborn as sns  # imported here so that `import simsurvey` stays light

    sns.set_theme(context=context, style="whitegrid", palette="colorblind",
                  rc={"figure.dpi": 100, "savefig.dpi": 100, "axes.titleweight": "bold",
                      "axes.titlesize": "medium"})
