"""Each caveat of each report, in the report's own words, beside the mechanism that simulates it.

The quotes are verbatim from the source texts (``../shared/seeds``; a test
checks every one), so a reader can see which sentence of which report each
scenario takes seriously.
"""
from __future__ import annotations

import pandas as pd

__all__ = ["CAVEATS", "caveat_table"]

_SMB = "000_a7e16a1b4f0c0168.txt"
_CC = "002_9b7375a2866abbe5.txt"

#: (report, quote, source file, mechanism, function that simulates it)
CAVEATS = (
    ("State of Service (SMB)", "This survey was conducted online through FocusVision's Decipher platform among "
     "third-party panelists (not limited to Salesforce customers)", _SMB,
     "opt-in selection: who joins a panel depends on performance or on the practices asked about",
     "selection.selection_cell"),
    ("SMB Trends (Harris Poll)", "This survey is not based on a probability sample and therefore no estimate of "
     "theoretical sampling error can be calculated.", _SMB,
     "opt-in selection; and how strong a selection would have to be (E-value)",
     "selection.selection_cell, evalue.evalue_table"),
    ("SMB Trends (Harris Poll)", "Data points were weighted by number of employees to bring them in line with their "
     "actual proportions in the population.", _SMB,
     "weighting on an observed covariate (company size) after selection", "selection.selection_cell(weighting=...)"),
    ("State of Service (SMB)", "High-performing service teams represent 11% of the survey population and rated their "
     "performance versus the competition and overall service performance as excellent.", _SMB,
     "tiers are self-ratings: a shared rating style (halo), and noise in the two ratings (misclassification)",
     "halo.halo_share_table, misclassification.misclassification_cell"),
    ("State of Service (SMB)", "high-performing SMB service teams are a whopping 5.7x more likely to rate their "
     "ability to engage customers across channels at scale as excellent or above average", _SMB,
     "the outcome is a self-rating too: halo links it to the tier without any real difference",
     "halo.halo_population"),
    ("State of Service (SMB)", "Our research found six notable factors that high-performing SMB service teams "
     "share.", _SMB, "the headlines are the largest of about forty ratios: the winner's curse",
     "winners.winners_cell, winners.multiple_testing_table"),
    ("SMB Trends (Harris Poll)", "sampling error, coverage error, error associated with nonresponse, error "
     "associated with question wording and response options, and post-survey weighting and adjustments", _SMB,
     "item nonresponse and \"don't know\" related to the tier or the answer",
     "nonresponse.nonresponse_cell"),
    ("State of the Connected Customer", "Respondents were not required to rate a quality as important or "
     "unimportant.Data is based off respondents who elected to rate a quality as such.", _CC,
     "leaving the skips out of the base (or counting them in)", "nonresponse.nonresponse_cell(base=...)"),
    ("SMB Trends (Harris Poll)", "All that can be calculated are different possible sampling errors with different "
     "probabilities for pure, unweighted, random samples with 100% response rates.", _SMB,
     "beyond sampling error: how strong a bias must be to explain a ratio away (E-value)",
     "evalue.evalue_table"),
)


def caveat_table() -> pd.DataFrame:
    """The caveats as a table: ``report, quote, source_file, mechanism, simulated_by``.

    Examples
    --------
    >>> caveat_table()["report"].nunique()
    3
    """
    return pd.DataFrame(CAVEATS, columns=["report", "quote", "source_file", "mechanism", "simulated_by"])
