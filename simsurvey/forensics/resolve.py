"""The resolved survey: what a report published plus what the forensics proved, in one value.

:func:`resolve` runs the forensic checks once and keeps their conclusions, each
with its evidence and a ``source`` (``published`` or ``forensics``):

- **group sizes**: the size vectors that fit every printed share, group
  figure and claim at once, and the one downstream stages use (the closest to
  the printed shares);
- **scrambled charts**: each claim re-paired with the multiplier the chart
  solver gives it in every assignment that fits; a claim the solver cannot pin
  down stays ``unresolved`` and is never bootstrapped as if paired;
- **unpublished shares** bounded by the inverse problem, with the value used;
- **restated numbers** that disagree, and which one is used;
- **claims feasible in whole numbers** under the chosen sizes (exact
  generation reproduces them);
- **alternative readings** of a chart that the arithmetic also allows.

:func:`simsurvey.check`, :func:`simsurvey.generate`, :func:`simsurvey.bootstrap`
and :func:`simsurvey.coverage_study` take a :class:`ResolvedSurvey` (or a survey
id, which they resolve once) and never re-derive these.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from simsurvey._validation import check_rule, decimals_of
from simsurvey.catalog import cache
from simsurvey.catalog.load import Catalog, default_catalog_path, load_catalog
from simsurvey.catalog.spec import SurveySpec, survey_spec
from simsurvey.forensics.alternatives import alternatives_table
from simsurvey.forensics.implied import share_facts
from simsurvey.forensics.claims import ClaimResult, evaluate_claims
from simsurvey.forensics.restated import restated_table
from simsurvey.forensics.scrambled import ChartSolution, solve_charts
from simsurvey.forensics.sizes import choose_sizes, size_vectors_table
from simsurvey.forensics.surveyfacts import SurveyFacts, fact_row, facts_from_spec, survey_facts

__all__ = ["resolve", "resolved_claims", "ResolvedSurvey", "resolve_facts", "restated_after_repair", "FACT_COLUMNS",
           "PAIRINGS"]

#: Columns of :attr:`ResolvedSurvey.facts`.
FACT_COLUMNS = ["fact", "subject", "value", "source", "evidence"]
#: Values of the resolved claims' ``pairing`` column.
PAIRINGS = ("as printed", "re-paired", "unresolved")
_PAIRED_KINDS = ("ratio", "anticipated_growth")
#: Claim columns every stage reads.
CLAIM_COLUMNS = ["claim_id", "survey", "chart", "location", "kind", "item", "numerator", "denominator", "group",
                 "printed", "printed_text", "decimals", "direction", "certainty"]


@dataclass(frozen=True, eq=False)
class ResolvedSurvey:
    """A survey's published facts plus the forensics' conclusions (:func:`resolve`).

    Attributes
    ----------
    spec : SurveySpec
        What the survey publishes, claims at their printed positions.
    rule : str
        Rounding rule the forensics used.
    weighted : bool
        Whether the survey's figures are weighted (whole numbers then never decide).
    sizes : tuple of int or None
        Group sizes every later stage uses; None when no size vector fits
        (or ``n`` or the shares are unpublished).
    admissible : tuple of tuple of int
        Every size vector that fits every printed share, group figure and
        integer-tested claim at once.
    shares : tuple of float
        Group shares (percent) later stages use: published, or implied.
    shares_published : bool
        Whether :attr:`shares` are printed figures (sizes must print as them).
    claims : pandas.DataFrame
        The survey's claims, re-paired: the catalogue's columns (``printed`` and
        ``printed_text`` replaced where the solver re-paired a scrambled chart),
        then ``printed_positional``, ``pairing`` (one of :data:`PAIRINGS`),
        ``verdict`` and ``note`` of the forensics, and ``reproducible``
        (whole-number counts print it under :attr:`sizes`).
    facts : pandas.DataFrame
        One row per established fact (:data:`FACT_COLUMNS`): what, about what,
        the value used, ``published`` or ``forensics``, and the evidence.
    alternatives : pandas.DataFrame
        Readings other than the one used that the arithmetic also allows.
    """

    spec: SurveySpec
    rule: str
    weighted: bool
    sizes: tuple | None
    admissible: tuple
    shares: tuple
    shares_published: bool
    claims: pd.DataFrame
    facts: pd.DataFrame
    alternatives: pd.DataFrame

    @property
    def survey(self) -> str:
        """Survey id."""
        return self.spec.survey

    @property
    def n(self) -> int | None:
        """Published number of respondents."""
        return self.spec.n

    @property
    def groups(self) -> tuple:
        """Group ids in catalogue order."""
        return self.spec.groups

    def unresolved(self) -> list[str]:
        """Claim ids whose multiplier the chart solver could not pin down.

        Examples
        --------
        >>> resolve("sos-smb-2016").unresolved()
        []
        """
        return self.claims.loc[self.claims["pairing"] == "unresolved", "claim_id"].tolist()

    def claim_spec(self) -> SurveySpec:
        """The spec with the re-paired claims, unresolved ones left out (what later stages estimate).

        Examples
        --------
        >>> spec = resolve("sos-smb-2016").claim_spec()
        >>> float(spec.claims.set_index("item").loc["agents_comprehensive_views", "printed"])
        4.2
        """
        keep = self.claims.loc[(self.claims["pairing"] != "unresolved").astype(bool)]
        return dataclasses.replace(self.spec, claims=keep[list(self.spec.claims.columns)].reset_index(drop=True))

    def fact(self, fact: str, subject: str | None = None) -> pd.DataFrame:
        """Rows of :attr:`facts` about ``fact`` (and ``subject``)."""
        rows = self.facts[self.facts["fact"] == fact]
        return rows if subject is None else rows[rows["subject"] == subject]


def resolve(survey: str | SurveySpec | ResolvedSurvey, catalog: Catalog | None = None,
            rule: str = "any") -> ResolvedSurvey:
    """Run the forensics once and keep what they establish about ``survey``.

    Parameters
    ----------
    survey : str, SurveySpec or ResolvedSurvey
        Survey id in ``catalog``; a spec (e.g. built by hand, then treated as
        weighted unless ``catalog`` knows the survey); a resolved survey is
        returned as it is.
    catalog : Catalog, str or Path, optional
        Default: the shipped catalogue.
    rule : {"any", "half_up", "half_even"}
        Rounding rule (see :func:`simsurvey.check`).

    Returns
    -------
    ResolvedSurvey

    Examples
    --------
    >>> res = resolve("sos-smb-2016")
    >>> res.sizes, len(res.admissible)
    ((90, 415, 281), 4)
    >>> row = res.claims.set_index("item").loc["agents_comprehensive_views"]
    >>> float(row["printed"]), float(row["printed_positional"]), row["pairing"]
    (4.2, 2.0, 're-paired')
    >>> round(resolve("smb-trends-2017").shares[0], 2)
    73.81
    """
    if isinstance(survey, ResolvedSurvey):
        return survey
    check_rule(rule)
    if isinstance(survey, SurveySpec):
        survey = _with_claim_columns(survey)
        cat = catalog if isinstance(catalog, Catalog) else load_catalog(catalog)
        if survey.survey in cat.survey_ids:  # a spec of a catalogued survey: the catalogue says if it is weighted
            row = cat.surveys.set_index("survey").loc[survey.survey]
            facts = facts_from_spec(survey, rule, weighted=row["weighted"] != "no", weighting=str(row["weighting"]))
        else:
            facts = facts_from_spec(survey, rule)
        return resolve_facts(facts, survey)[0]
    if not isinstance(survey, str):
        raise ValueError(f"survey must be a survey id, a SurveySpec or a ResolvedSurvey, got {type(survey).__name__}")
    key = _cache_key(survey, rule, catalog)
    if (cached := cache.get(key)) is not None:
        return cached
    cat = catalog if isinstance(catalog, Catalog) else load_catalog(catalog)
    cat.check_survey(survey)
    return cache.put(key, resolve_facts(survey_facts(cat, survey, rule), survey_spec(survey, cat))[0])


def resolved_claims(survey: str | SurveySpec | ResolvedSurvey,
                    catalog: Catalog | None = None) -> tuple[ResolvedSurvey, SurveySpec]:
    """:func:`resolve` and its :meth:`~ResolvedSurvey.claim_spec`, for a stage that only reads them.

    For a survey id both are the catalogue cache's own objects, not copies,
    made once until the catalogue folder changes (a bootstrap in a loop pays
    for neither again); the caller must never change them.

    Examples
    --------
    >>> resolved, spec = resolved_claims("sos-smb-2016")
    >>> resolved_claims("sos-smb-2016")[1] is spec, len(spec.claims) == len(resolved.claims)
    (True, True)
    """
    key = _cache_key(survey, "any", catalog) if isinstance(survey, str) else None
    if key is None:
        resolved = resolve(survey, catalog)
        return resolved, resolved.claim_spec()
    if cache.shared(key) is None:
        resolve(survey, catalog)  # checks the id and stores the resolved survey
    resolved, spec_key = cache.shared(key), ("claim_spec", *key[1:])
    if cache.shared(spec_key) is None:
        cache.put(spec_key, resolved.claim_spec())
    return resolved, cache.shared(spec_key)


def _cache_key(survey: str, rule: str, catalog) -> tuple | None:
    """A resolved survey is reused until its catalogue folder changes (a passed Catalog may be edited in
    memory: never cached)."""
    if isinstance(catalog, Catalog):
        return None
    return "resolved", survey, rule, cache.folder_key(Path(catalog) if catalog is not None else default_catalog_path())


def _with_claim_columns(spec: SurveySpec) -> SurveySpec:
    """A hand-built spec may pass ``claims=pd.DataFrame()`` and figures without the catalogue's
    reading columns: give them their defaults (printed in a chart, read with certainty)."""
    f = spec.figures.copy()
    defaults = {"location": "chart", "certainty": "certain", "label": "", "base": "", "question": ""}
    for column, value in defaults.items():
        if column not in f:
            f[column] = value
    if "pct_decimals" not in f:
        f["pct_decimals"] = [decimals_of(float(p)) for p in f["pct"]]
    claims = spec.claims
    missing = [c for c in CLAIM_COLUMNS if c not in claims.columns]
    if missing and len(claims):
        raise ValueError(f"survey: claims lack column(s) {', '.join(missing)}")
    if missing:
        claims = pd.DataFrame(columns=CLAIM_COLUMNS)
    return dataclasses.replace(spec, figures=f, claims=claims)


def resolve_facts(facts: SurveyFacts, spec: SurveySpec):
    """:func:`resolve` from gathered facts; also returns the work :func:`simsurvey.check` reuses.

    Returns ``(resolved, repaired_facts, results, solutions, size_vectors)``:
    the facts with re-paired claims, one :class:`ClaimResult` per claim
    (judged on the re-paired values), the chart solutions and the size-vectors table.
    """
    solutions = solve_charts(facts)
    claims = _repair(facts.claims, solutions)
    rfacts = dataclasses.replace(facts, claims=claims[list(facts.claims.columns)])
    results = evaluate_claims(rfacts)
    claims = _judge(claims, results, solutions)
    used = set(claims.loc[(claims["pairing"] == "re-paired")
                          | ((claims["pairing"] == "as printed") & (claims["certainty"] != "uncertain")), "claim_id"])
    sizes = size_vectors_table(rfacts, results, claims_used=used)
    chosen, admissible, size_fact = choose_sizes(facts, sizes)
    claims["reproducible"] = _reproducible(facts, results, chosen, claims)
    shares, published, share_rows = share_facts(spec)
    rows = [fact_row("n", "respondents", facts.n, "published", "the report's n")] if facts.n is not None else []
    rows += share_rows + size_fact + _pairing_facts(claims) + _restated_facts(rfacts, claims)
    rows += _claim_facts(claims)
    resolved = ResolvedSurvey(
        spec=spec, rule=facts.rule, weighted=facts.weighted, sizes=chosen, admissible=admissible,
        shares=shares, shares_published=published, claims=claims,
        facts=pd.DataFrame(rows, columns=FACT_COLUMNS),
        alternatives=alternatives_table(facts, solutions))
    return resolved, rfacts, results, solutions, sizes


# -- scrambled charts --------------------------------------------------------------------

def _repair(claims: pd.DataFrame, solutions: list[ChartSolution]) -> pd.DataFrame:
    """The claims with each solved chart's multipliers moved to the pairs the solver gives them."""
    out = claims.copy()
    out["printed_positional"] = out["printed"].astype(float)
    out["pairing"] = "as printed"
    out["pairing_note"] = ""
    index = {cid: i for i, cid in enumerate(out["claim_id"])}
    for sol in solutions:
        for i, cid in enumerate(sol.claim_ids):
            row = index[cid]
            got = sol.received(i)
            shown = f"{sol.positional[i]:.{sol.decimals}f}x"
            if len(got) == 1:
                value = got[0]
                out.loc[row, "printed"] = value
                out.loc[row, "printed_text"] = f"{value:.{sol.decimals}f}x"
                out.loc[row, "pairing"] = "re-paired"
                where = "the text's multipliers and " if sol.anchors and len(sol.anchored) else ""
                out.loc[row, "pairing_note"] = (
                    f"resolved by the chart solver: every assignment of the chart's multipliers that fits "
                    f"{where}{sol.test} gives this item {value:.{sol.decimals}f}x "
                    f"({len(sol.pool)} assignment{'s' * (len(sol.pool) != 1)}; printed at this position: {shown})")
            else:
                out.loc[row, "pairing"] = "unresolved"
                what = ("no assignment fits" if not got else
                        f"the {len(sol.pool)} assignments that fit give it {', '.join(f'{v:.{sol.decimals}f}x' for v in got)}")
                out.loc[row, "pairing_note"] = (f"scrambled chart left unresolved: {what} ({sol.test}); "
                                                f"printed at this position: {shown}")
    # claims of a scrambled chart without both percentages stay as printed: the solver cannot place them
    return out


def _judge(claims: pd.DataFrame, results: list[ClaimResult], solutions) -> pd.DataFrame:
    """Verdict and note of every claim, re-paired ones judged on their re-paired multiplier."""
    out = claims.copy()
    verdict, note = [], []
    for r, pairing, pnote in zip(results, out["pairing"], out["pairing_note"]):
        if pairing == "re-paired":
            # the per-claim note about the scrambled chart is replaced by what the solver established
            kept = [p for p in r.note.split("; ") if "scrambled" not in p and "pairing of label" not in p]
            verdict.append(r.verdict)
            note.append("; ".join([pnote, *kept]))
        elif pairing == "unresolved":
            verdict.append("unresolved")
            note.append("; ".join([pnote, r.note]) if r.note else pnote)
        else:
            verdict.append(r.verdict)
            note.append(r.note)
    out["verdict"], out["note"] = verdict, note
    out["integer_feasible"] = [r.integer_feasible for r in results]
    return out


def _pairing_facts(claims: pd.DataFrame) -> list[dict]:
    rows = []
    for c in claims[claims["pairing"] != "as printed"].itertuples(index=False):
        value = c.printed_text if c.pairing == "re-paired" else "unresolved"
        rows.append(fact_row("pairing", f"{c.claim_id} {c.item}", value, "forensics", c.pairing_note))
    return rows


# -- restated numbers and claims ------------------------------------------------------------

def _restated_facts(rfacts: SurveyFacts, claims: pd.DataFrame) -> list[dict]:
    rows = []
    table = restated_table(rfacts)
    for r in table.itertuples(index=False):
        if r.printed_chart == r.printed_text:
            continue
        unit = "%" if r.kind == "figure" else "x"
        evidence = (f"chart {r.printed_chart:g}{unit}, text {r.printed_text:g}{unit} ({r.verdict}: {r.note}); "
                    "later stages use the chart's value, printed beside the other groups' figures of the same "
                    "question, while the text may round loosely")
        rows.append(fact_row("restated", f"{r.item} {r.group}", f"{r.printed_chart:g}{unit}", "published", evidence))
    return rows


def restated_after_repair(table: pd.DataFrame, resolved: ResolvedSurvey) -> pd.DataFrame:
    """The restated table with chart multipliers re-paired by the solver judged on their new pairing.

    ``printed_chart`` stays what the chart prints at the label's position.
    """
    out = table.copy()
    c = resolved.claims
    repaired = c[(c["pairing"] == "re-paired") & (c["location"] == "chart")]
    for i, r in out[out["kind"] == "claim"].iterrows():
        match = repaired[repaired["item"] == r["item"]]
        if not len(match):
            continue
        value = float(match["printed"].iloc[0])
        same = abs(value - r["printed_text"]) < 1e-9
        out.loc[i, "verdict"] = "consistent" if same else "inconsistent"
        out.loc[i, "note"] = (f"the chart solver gives this item {match['printed_text'].iloc[0]}, "
                              + ("as the text says" if same else f"not the text's {r['printed_text']:g}x")
                              + f" ({r['printed_chart']:g}x is printed at this position)")
    return out


def _reproducible(facts: SurveyFacts, results: list[ClaimResult], chosen, claims: pd.DataFrame) -> list[bool]:
    """Per claim: whether whole-number counts print it under the chosen sizes."""
    if chosen is None or facts.sizes is None:
        return [False] * len(results)
    at = int(np.flatnonzero((facts.sizes == np.array(chosen)).all(axis=1))[0])
    return [bool(r.mask is not None and r.mask[at] and p != "unresolved")
            for r, p in zip(results, claims["pairing"])]


def _claim_facts(claims: pd.DataFrame) -> list[dict]:
    paired = claims[claims["kind"].isin(_PAIRED_KINDS) & (claims["integer_feasible"] != "n/a")]
    if not len(paired):
        return []
    ok = paired[paired["reproducible"]]
    return [fact_row("claims_in_whole_numbers", "claims", f"{len(ok)} of {len(paired)}", "forensics",
                  "claims whose whole-number counts under the chosen group sizes print every percentage and the "
                  "multiplier; exact generation reproduces these: " + ", ".join(ok["claim_id"]))]
