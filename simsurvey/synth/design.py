"""What a survey's published figures say to generate: one entry per question.

A :class:`~simsurvey.catalog.spec.SurveySpec` lists percentages item by item. The
generator works question by question, each with one latent dimension:

- a yes/no item (no ``question`` id in the catalogue) is a question with one
  published category and an unpublished rest ("no");
- items sharing a ``question`` id are the answers of one single-choice
  question (budget increased / maintained / decreased): one answer per
  respondent. When the printed answers add up to 100 within rounding they are
  taken to exhaust the question (``complete``); otherwise an unpublished rest
  ("other") takes the remainder.

Each question is published either for every group (``scope="group"``), or
only for everyone (``scope="overall"``: generated with the same probability
in every group, the documented assumption of the generator). Items published
for some groups only cannot be calibrated and are skipped, with the reason.
A survey without groups is generated as one group, ``all``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from simsurvey._validation import decimals_of
from simsurvey.catalog.load import ALL
from simsurvey.catalog.spec import SurveySpec

__all__ = ["Question", "Design", "design", "validate_spec"]


@dataclass(frozen=True, eq=False)
class Question:
    """One latent dimension of the generator.

    Attributes
    ----------
    id : str
        The item id of a yes/no item, the ``question`` id of a single-choice question.
    items : tuple of str
        Published answer categories (0/1 columns), in catalogue order; the
        latent variable orders them top first.
    scope : {"group", "overall"}
        Published per group, or for everyone only.
    pct, decimals : numpy.ndarray
        Printed percentages and their decimals, ``groups x items``
        (``1 x items`` for ``scope="overall"``).
    all_pct, all_decimals : numpy.ndarray
        The figure printed for everyone, per item (NaN where none; for
        ``scope="overall"`` the same as ``pct``).
    complete : bool
        Whether the published categories exhaust the answers (no rest).
    base : str
        The catalogue's base ("strongly agree/agree", ...), empty if none.
    """

    id: str
    items: tuple[str, ...]
    scope: str
    pct: np.ndarray
    decimals: np.ndarray
    all_pct: np.ndarray
    all_decimals: np.ndarray
    complete: bool
    base: str = ""

    @property
    def single_choice(self) -> bool:
        """True for a question with several published answers (or a ``question`` id)."""
        return len(self.items) > 1 or self.id != self.items[0]

    @property
    def n_categories(self) -> int:
        """Answer categories including the unpublished rest, if any."""
        return len(self.items) + (not self.complete)


@dataclass(frozen=True, eq=False)
class Design:
    """The questions to generate for one survey, and the items left out.

    Attributes
    ----------
    survey : str
    groups : tuple of str
        Group ids in catalogue order (``("all",)`` for a survey without groups).
    questions : tuple of Question
        In catalogue order.
    skipped : dict
        Item id -> reason it is not generated.
    """

    survey: str
    groups: tuple[str, ...]
    questions: tuple[Question, ...]
    skipped: dict = field(default_factory=dict)

    @property
    def latent_ids(self) -> list[str]:
        """Ids of the latent dimensions (the rows/columns of a correlation matrix)."""
        return [q.id for q in self.questions]

    @property
    def item_ids(self) -> list[str]:
        """Every generated 0/1 column, in catalogue order."""
        return [i for q in self.questions for i in q.items]


def validate_spec(spec: SurveySpec) -> None:
    """Raise ``ValueError`` naming the problem if ``spec`` cannot be generated from.

    Checks what a hand-built spec can get wrong (the catalogue loader checks
    the shipped one): group ids, shares summing to 100 within rounding,
    percentages within 0-100, figures referring to known groups.

    Examples
    --------
    >>> from simsurvey.catalog.spec import survey_spec
    >>> validate_spec(survey_spec("sos-smb-2016"))
    """
    if not isinstance(spec, SurveySpec):
        raise ValueError(f"survey must be a survey id or a SurveySpec, got {type(spec).__name__}")
    groups = list(spec.groups)
    if len(set(groups)) != len(groups) or ALL in groups:
        raise ValueError(f"survey: group ids must be unique and not 'all', got {groups}")
    if len(spec.shares) != len(groups):
        raise ValueError(f"survey: {len(spec.shares)} shares for {len(groups)} groups")
    shares = [s for s in spec.shares if s is not None]
    if any(not np.isfinite(s) or s < 0 or s > 100 for s in shares):
        raise ValueError(f"shares: every share must be a percentage within 0-100, got {list(spec.shares)}")
    if groups and len(shares) == len(groups):
        total, k = sum(shares), len(groups)
        if abs(total - 100) > k / 2:
            raise ValueError(f"shares: the group shares sum to {total:g}, not 100 within rounding (±{k / 2:g})")
    f = spec.figures
    missing = [c for c in ("item", "group", "pct") if c not in f.columns]
    if missing:
        raise ValueError(f"survey: figures lack column(s) {', '.join(missing)}")
    pct = pd.to_numeric(f["pct"], errors="coerce")
    bad = f[pct.isna() | (pct < 0) | (pct > 100)]
    if len(bad):
        row = bad.iloc[0]
        raise ValueError(f"survey: percentage {row['pct']} of item {row['item']!r}, group {row['group']!r} "
                         "is not a number within 0-100")
    unknown = sorted(set(f["group"]) - set(groups) - {ALL})
    if unknown:
        raise ValueError(f"survey: figures name unknown group(s) {', '.join(map(repr, unknown))}; "
                         f"groups are {groups}")
    dup = f.duplicated(["item", "group"])
    if dup.any():
        row = f[dup].iloc[0]
        raise ValueError(f"survey: two figures for item {row['item']!r}, group {row['group']!r}")


def design(spec: SurveySpec) -> Design:
    """The questions to generate for ``spec``.

    Examples
    --------
    >>> from simsurvey.catalog.spec import survey_spec
    >>> d = design(survey_spec("sos-smb-2016"))
    >>> q = next(q for q in d.questions if q.id == "budget_past")
    >>> q.items, q.scope, q.complete, q.pct[0].tolist()
    (('budget_past_increased', 'budget_past_maintained', 'budget_past_decreased'), 'group', True, [73.0, 23.0, 3.0])
    >>> d.skipped["right_amount_training"]
    'published for high only (not for every group): cannot be calibrated'
    """
    validate_spec(spec)
    f = spec.figures.copy()
    f["pct"] = f["pct"].astype(float)
    if "pct_decimals" not in f:
        f["pct_decimals"] = [decimals_of(p) for p in f["pct"]]
    question = f["question"] if "question" in f else pd.Series("", index=f.index)
    f["qid"] = [q if isinstance(q, str) and q else item for q, item in zip(question.fillna(""), f["item"])]
    f["base"] = f["base"].fillna("").astype(str) if "base" in f else ""
    groups = tuple(spec.groups) or (ALL,)
    grouped = bool(spec.groups)
    order = f["item"].drop_duplicates().tolist()

    questions, skipped = [], {}
    for qid, rows in f.groupby("qid", sort=False):
        present = set(rows["item"])
        items = [i for i in order if i in present]
        cell = {(i, g): (p, dec) for i, g, p, dec in zip(rows["item"], rows["group"], rows["pct"], rows["pct_decimals"])}
        per_group = all((i, g) in cell for i in items for g in spec.groups) and grouped
        overall = all((i, ALL) in cell for i in items)
        if per_group or not grouped:
            if not grouped and not overall:
                for i in items:
                    skipped[i] = "not published for everyone (survey without groups)"
                continue
            scope, rows_of = "group", (list(groups) if grouped else [ALL])
        elif overall:
            scope, rows_of = "overall", [ALL]
        else:
            for i in items:
                have = [g for g in spec.groups if (i, g) in cell]
                where = ", ".join(have) if have else "everyone only, but not every answer"
                skipped[i] = f"published for {where} only (not for every group): cannot be calibrated"
            continue
        pct = np.array([[cell[(i, g)][0] for i in items] for g in rows_of], dtype=float)
        dec = np.array([[cell[(i, g)][1] for i in items] for g in rows_of], dtype=np.int64)
        all_pct = np.array([cell.get((i, ALL), (np.nan, 0))[0] for i in items], dtype=float)
        all_dec = np.array([cell.get((i, ALL), (np.nan, 0))[1] for i in items], dtype=np.int64)
        single = len(items) > 1 or qid != items[0]
        complete = single and _exhaustive(pct, dec)
        if single and not complete:
            over = (pct.sum(axis=1) - 100) > 0.5 * len(items) * 10.0 ** -dec.max(axis=1)
            if over.any():
                raise ValueError(f"survey: the answers of question {qid!r} add up to "
                                 f"{pct.sum(axis=1)[over][0]:g}%, more than 100 within rounding")
        questions.append(Question(id=qid, items=tuple(items), scope=scope, pct=pct, decimals=dec,
                                  all_pct=all_pct, all_decimals=all_dec, complete=bool(complete),
                                  base=str(rows["base"].iloc[0])))
    return Design(survey=spec.survey, groups=groups, questions=tuple(questions), skipped=skipped)


def _exhaustive(pct: np.ndarray, dec: np.ndarray) -> bool:
    # each printed answer is off by at most half a unit, so k answers of a
    # complete question sum to 100 within k/2 units
    slack = 0.5 * pct.shape[1] * 10.0 ** -dec.max(axis=1)
    return bool(np.all(np.abs(pct.sum(axis=1) - 100) <= slack + 1e-9))
