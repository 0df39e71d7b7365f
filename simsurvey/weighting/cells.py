"""Turn a sample, its base weights and weighting targets into integer cells.

Raking only ever multiplies the weights of respondents who share every
weighting category by the same factor, so the whole problem lives on the
*cells* of the cross-classification (a few hundred at most), not on the
respondents (a million). This module does the one O(n) pass: it checks the
inputs, codes each margin's column(s) as integers matching the targets, and
sums the base weights per cell. :mod:`simsurvey.weighting.raking` solves on
the cells and gathers the factors back to respondents.

Targets for a margin are shares (summing to 1) or totals. When any margin is
given as totals, every margin is scaled to that total (totals that disagree
between margins are an error: no weights can meet both); when all are shares,
the weights keep the total of the base weights.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from simsurvey._validation import check_weights

__all__ = ["Margin", "Cells", "encode", "base_weights"]

_SHARE_SUM = 1e-6      # a margin whose values sum to 1 within this is read as shares
_TOTALS_AGREE = 1e-6   # relative disagreement allowed between margins given as totals
_DENSE_CELLS = 1 << 22  # up to this many possible cells, find the present ones with a bincount


@dataclass(frozen=True)
class Margin:
    """One weighting margin: which column(s), its categories and their target totals."""

    name: str                    # the column, or "a x b" for a margin over several columns
    columns: tuple[str, ...]
    categories: tuple            # target categories in the order given
    targets: np.ndarray          # target totals (already scaled to the common total)
    given_as: str                # "shares" or "totals"


@dataclass(frozen=True)
class Cells:
    """A weighting problem reduced to the cells of the cross-classification.

    ``cell[i]`` is respondent i's cell; ``category[j][c]`` is cell c's category
    in margin j; ``base_total[c]`` is the sum of the base weights in cell c.
    """

    margins: tuple[Margin, ...]
    cell: np.ndarray
    category: tuple[np.ndarray, ...]
    base_total: np.ndarray
    base: np.ndarray
    total: float


def base_weights(sample: pd.DataFrame, base=None, argument: str = "base_weights") -> np.ndarray:
    """Base weights as a float array: ones, a column of ``sample``, or an array.

    Rows are named 1-based in the order of the sample, as in a CSV file
    without counting its header.

    Examples
    --------
    >>> frame = pd.DataFrame({"w": [1.0, 2.0, -1.0]})
    >>> base_weights(frame, "w")
    Traceback (most recent call last):
    ...
    ValueError: base_weights: row 3 (header not counted) is -1.0; weights must be positive and finite
    """
    n = len(sample)
    if base is None:
        return np.ones(n)
    if isinstance(base, str):
        if base not in sample.columns:
            raise ValueError(f"{argument}: sample has no column {base!r}")
        values = sample[base]
    else:
        values = base
    return check_weights(values, n, argument)


def encode(sample: pd.DataFrame, margins, base=None, *, argument: str = "margins") -> Cells:
    """Check ``margins`` against ``sample`` and reduce both to cells.

    Parameters
    ----------
    sample : pandas.DataFrame
        One row per respondent.
    margins : mapping
        ``{column: targets}`` or ``{(column, column): targets}``; targets a
        mapping or Series ``{category: share or total}`` (tuples of categories
        for a margin over several columns).
    base : None, str or array_like
        Base weights (see :func:`base_weights`).

    Examples
    --------
    >>> s = pd.DataFrame({"size": ["small", "large", "small"], "region": ["n", "n", "s"]})
    >>> cells = encode(s, {"size": {"small": 0.5, "large": 0.5}, "region": {"n": 0.5, "s": 0.5}})
    >>> cells.base_total.tolist(), cells.total
    ([1.0, 1.0, 1.0], 3.0)
    """
    if not isinstance(sample, pd.DataFrame):
        raise ValueError("sample must be a pandas DataFrame, one row per respondent")
    if len(sample) == 0:
        raise ValueError("sample has no respondents")
    if not isinstance(margins, Mapping) or not margins:
        raise ValueError(f"{argument} must be a non-empty mapping {{column: {{category: target}}}}")
    w = base_weights(sample, base)
    parsed = [_parse_targets(key, targets, argument) for key, targets in margins.items()]
    total = _common_total(parsed, w.sum(), argument)
    margins_out, codes = [], []
    for columns, name, cats, values, given in parsed:
        code = _codes(sample, columns, name, cats, values, argument)
        scale = total if given == "shares" else 1.0
        margins_out.append(Margin(name, columns, cats, values * scale, given))
        codes.append(code)
    cell, category = _cells(codes, [len(m.categories) for m in margins_out])
    base_total = np.bincount(cell, weights=w, minlength=len(category[0]))
    return Cells(tuple(margins_out), cell, category, base_total, w, float(total))


def _parse_targets(key, targets, argument):
    columns = tuple(key) if isinstance(key, tuple) else (key,)
    name = " x ".join(map(str, columns))
    if isinstance(targets, pd.Series):
        cats, values = list(targets.index), targets.to_numpy()
    elif isinstance(targets, Mapping):
        cats, values = list(targets.keys()), list(targets.values())
    else:
        raise ValueError(f"{argument}: targets of {name!r} must be a mapping or Series "
                         f"{{category: share or total}}, got {type(targets).__name__}")
    if not cats:
        raise ValueError(f"{argument}: margin {name!r} has no categories")
    try:
        values = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{argument}: margin {name!r} has a target that is not a number") from None
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        k = int(np.argmax(bad))
        raise ValueError(f"{argument}: margin {name!r}, category {cats[k]!r}: target {float(values[k])!r} "
                         "must be a non-negative number")
    if len(set(cats)) != len(cats):
        raise ValueError(f"{argument}: margin {name!r} lists a category twice")
    if len(columns) > 1 and not all(isinstance(c, tuple) and len(c) == len(columns) for c in cats):
        raise ValueError(f"{argument}: margin {name!r} needs categories that are {len(columns)}-tuples")
    given = "shares" if abs(values.sum() - 1) <= _SHARE_SUM else "totals"
    if values.sum() <= 0:
        raise ValueError(f"{argument}: margin {name!r} has no positive target")
    return columns, name, tuple(cats), values, given


def _common_total(parsed, base_sum, argument):
    totals = [(name, values.sum()) for _, name, _, values, given in parsed if given == "totals"]
    if not totals:
        return float(base_sum)
    first_name, first = totals[0]
    for name, value in totals[1:]:
        if abs(value - first) > _TOTALS_AGREE * first:
            raise ValueError(f"{argument}: margin {name!r} totals {value:.10g} but margin {first_name!r} "
                             f"totals {first:.10g}; no weights can meet both (give shares, or equal totals)")
    return float(first)


def _codes(sample, columns, name, cats, values, argument):
    """Index into ``cats`` of each respondent's category; errors name what does not match."""
    for col in columns:
        if col not in sample.columns:
            raise ValueError(f"{argument}: sample has no column {col!r} (margin {name!r})")
    codes, uniques = _factorize(sample, columns, name)
    lookup = _lookup(uniques, cats, columns)
    counts = np.bincount(codes, minlength=len(uniques))
    unmatched = np.flatnonzero((lookup < 0) & (counts > 0))
    if unmatched.size:
        u = uniques[unmatched[0]]
        raise ValueError(f"{argument}: margin {name!r}: sample category {u!r} ({counts[unmatched[0]]} "
                         f"respondents) has no target; targets are {', '.join(map(repr, cats))}")
    seen = (counts > 0) & (lookup >= 0)
    present = np.bincount(lookup[seen], weights=counts[seen], minlength=len(cats)).astype(np.int64)
    identity = len(lookup) == len(cats) and np.array_equal(lookup, np.arange(len(cats)))
    code = codes if identity else lookup[codes]
    for k in np.flatnonzero(present == 0):
        if values[k] > 0:
            raise ValueError(f"{argument}: margin {name!r}: target category {cats[k]!r} has no respondents "
                             "(merge it with a neighbour or drop its target)")
    for k in np.flatnonzero((present > 0) & (values == 0)):
        raise ValueError(f"{argument}: margin {name!r}: category {cats[k]!r} has a target of 0 but "
                         f"{present[k]} respondents (drop them or give the category a positive target)")
    return code


def _factorize(sample, columns, name):
    parts = []
    for col in columns:
        s = sample[col]
        if isinstance(s.dtype, pd.CategoricalDtype):
            codes, uniques = s.cat.codes.to_numpy(), np.asarray(s.cat.categories, dtype=object)
        else:
            codes, uniques = pd.factorize(s, use_na_sentinel=True)
            uniques = np.asarray(uniques, dtype=object)
        if (codes < 0).any():
            row = int(np.argmax(codes < 0))
            raise ValueError(f"sample column {col!r} is missing at row {row + 1} (margin {name!r}); "
                             "weighting needs a category for every respondent")
        parts.append((codes, uniques))
    if len(parts) == 1:
        return parts[0]
    joint = np.ravel_multi_index([c.astype(np.intp) for c, _ in parts], [len(u) for _, u in parts])
    present, inverse = np.unique(joint, return_inverse=True)
    idx = np.unravel_index(present, [len(u) for _, u in parts])
    uniques = np.empty(len(present), dtype=object)
    uniques[:] = list(zip(*[u[i] for (_, u), i in zip(parts, idx)]))
    return inverse.astype(np.int64), uniques


def _lookup(uniques, cats, columns):
    if len(columns) > 1:
        where = {c: k for k, c in enumerate(cats)}
        return np.array([where.get(u, -1) for u in uniques], dtype=np.int64)
    return pd.Index(list(cats), dtype=object).get_indexer(pd.Index(list(uniques), dtype=object)).astype(np.int64)


def _cells(codes, sizes):
    """Respondent -> cell index, and each present cell's category in every margin."""
    possible = int(np.prod(np.asarray(sizes, dtype=float)))
    if possible <= _DENSE_CELLS:
        joint = np.zeros(len(codes[0]), dtype=np.int32)  # small integers: fewer bytes to stream
        for code, size in zip(codes, sizes):
            joint *= size
            joint += code
        seen = np.bincount(joint, minlength=possible) > 0
        present = np.flatnonzero(seen)
        number = np.cumsum(seen) - 1
        category = tuple(np.asarray(c, dtype=np.intp) for c in np.unravel_index(present, sizes))
        return number[joint], category
    present_rows, cell = np.unique(np.column_stack(codes), axis=0, return_inverse=True)
    return cell.ravel().astype(np.intp), tuple(present_rows[:, j].astype(np.intp) for j in range(len(codes)))
