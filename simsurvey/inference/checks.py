"""Arguments and samples checked before bootstrap() works: one-line errors naming what is wrong.

Weights go through :func:`simsurvey._validation.check_weights`, the one weight
check of the package (rows counted from 1, header not counted).
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from simsurvey.inference.notices import BootstrapWarning
from simsurvey._validation import check_weights

__all__ = ["check_methods", "check_replicates", "check_groups", "group_codes", "nothing_to_estimate", "base_weights",
           "NO_PERCENTAGES"]


def check_methods(methods, allowed):
    """``methods`` as a list, each one of ``allowed``."""
    if isinstance(methods, str):
        methods = [methods]
    methods = list(methods)
    unknown = [m for m in methods if m not in allowed]
    if unknown or not methods:
        raise ValueError(f"methods must be some of {', '.join(allowed)}; "
                         f"got {', '.join(map(repr, unknown or methods))}")
    return methods


def check_replicates(replicates, confidence):
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence!r}")
    if isinstance(replicates, bool) or not isinstance(replicates, (int, np.integer)):
        raise ValueError(f"replicates must be a whole number, got {replicates!r}")
    needed = int(np.ceil(2 / (1 - confidence)))
    if replicates < needed:
        raise ValueError(f"replicates must be at least {needed} for a {confidence:.0%} interval, got {replicates}")
    if replicates < 1000:
        warnings.warn(f"{replicates} replicates: percentile and BCa limits are noisy below 1,000",
                      BootstrapWarning, stacklevel=3)
    return int(replicates)


def check_groups(sample, spec, group_column):
    """Every respondent has a group, and every label is one of the survey's groups.

    Returns ``(codes, labels)``: each respondent's group as a position in
    ``labels``, the labels found (as text).

    Examples
    --------
    >>> from simsurvey.catalog.spec import survey_spec
    >>> sample = pd.DataFrame({"group": ["under", "high", "under"]})
    >>> codes, labels = check_groups(sample, survey_spec("sos-smb-2016"), "group")
    >>> codes.tolist(), labels
    ([0, 1, 0], ['under', 'high'])
    """
    if not isinstance(sample, pd.DataFrame):
        raise ValueError("sample must be a pandas DataFrame, one row per respondent")
    if group_column not in sample.columns:
        raise ValueError(f"sample has no group column {group_column!r}")
    codes, labels = group_codes(sample[group_column])
    missing = codes < 0
    if missing.any():
        rows = ", ".join(str(i + 1) for i in np.flatnonzero(missing)[:5])  # as every sample message counts
        raise ValueError(f"sample column {group_column!r} is empty for {int(missing.sum())} respondent(s) "
                         f"(rows {rows}{', ...' if missing.sum() > 5 else ''}, header not counted); "
                         "give them a group or drop them, so estimate and replicates use the same respondents")
    unknown = [g for g in labels if g not in spec.groups]
    if unknown:
        raise ValueError(f"sample column {group_column!r} has label(s) {', '.join(map(repr, unknown))} that are "
                         f"no group of survey {spec.survey!r}: found {', '.join(map(repr, sorted(labels)))}; "
                         f"expected {', '.join(map(repr, spec.groups))}")
    return codes, labels


def group_codes(column: pd.Series) -> tuple[np.ndarray, list]:
    """Each value of ``column`` as a position in the labels found (as text), -1 where it is missing.

    A categorical column (as :func:`simsurvey.generate` makes) is read from its
    codes, its categories in their order (those that occur); any other column
    is compared as text, labels in order of first appearance.

    Examples
    --------
    >>> codes, labels = group_codes(pd.Series(["b", None, "a", "b"]))
    >>> codes.tolist(), labels
    ([0, -1, 1, 0], ['b', 'a'])
    """
    values = column.array
    if isinstance(values, pd.Categorical):
        labels = [str(c) for c in values.categories]
        if len(set(labels)) == len(labels):  # categories that read alike as text are merged below instead
            codes = values.codes.astype(np.intp)
            found = np.bincount(codes[codes >= 0], minlength=len(labels)) > 0
            position = np.full(len(labels) + 1, -1, dtype=np.intp)  # the last entry maps a missing (-1) to -1
            position[np.flatnonzero(found)] = np.arange(found.sum())
            return position[codes], [label for label, f in zip(labels, found) if f]
    missing = column.isna().to_numpy()
    codes, labels = pd.factorize(column.astype(str).to_numpy())
    if missing.any():  # their text ("nan", "None") is no label
        codes, labels = pd.factorize(np.where(missing, None, column.astype(str).to_numpy()))
    return codes.astype(np.intp), [str(label) for label in labels]


NO_PERCENTAGES = "no percentages published"
_NOT_ABOUT_THE_SAMPLE = (NO_PERCENTAGES, "repeats the chart's claim", "kind ")


def nothing_to_estimate(sample, spec, skipped) -> str:
    """Why no claim is left: the sample's columns only when that is the reason."""
    # claims no sample could give (no percentages, a repeat, another kind) say nothing about this sample
    skipped = skipped[~skipped["reason"].str.startswith(_NOT_ABOUT_THE_SAMPLE)]
    no_column = skipped["reason"].str.startswith("sample has no column")
    if no_column.all():
        shown = ", ".join(map(str, sample.columns[:8])) + (", ..." if sample.shape[1] > 8 else "")
        return f"sample has no column for any claim of survey {spec.survey!r} (columns: {shown})"
    reasons = skipped["reason"].where(~no_column, "sample has no column for it")
    listed = "; ".join(f"{reason} ({count} claim{'s' * (count > 1)})"
                       for reason, count in reasons.value_counts(sort=False).items())
    return f"no claim of survey {spec.survey!r} can be recomputed from the sample: {listed}"


def base_weights(sample):
    if "weight" not in sample.columns:
        return np.ones(len(sample))
    return check_weights(sample["weight"], argument="sample column 'weight'")
