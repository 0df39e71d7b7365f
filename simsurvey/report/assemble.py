"""Put one survey's stage results together into a :class:`~simsurvey.report.critique.Critique`.

Pure: takes the resolved survey, the forensics, the sample and the bootstrap
(each computed once by :func:`simsurvey.report.critique.critique`) and returns
tables, figure, summary sentences and methods, all measured from them.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from simsurvey.plots.labels import item_labels
from simsurvey.report.methods import methods_table, sources_table
from simsurvey.report.verdicts import _true, unpublished_table, verdict_table
from simsurvey.report.wording import claim_wording, interval_text

__all__ = ["assemble", "LEGEND"]

LEGEND = ("rounding: consistent = some true percentages that round to the printed ones (and, unweighted, "
          "whole-number counts of the group sizes) give the printed multiplier; inconsistent = none do. "
          "ideal-sampling interval: where the multiplier could lie if the survey were a simple random sample of "
          "its respondents (bootstrap percentile) - the most generous assumption for an opt-in panel. "
          "scrambled chart: whether the text extraction of the chart mixed up which multiplier belongs to which "
          "item, and how the arithmetic put it back.")
_ABOUT = ["report", "sponsor", "fieldwork_by", "fieldwork_start", "fieldwork_end", "n", "population", "countries",
          "mode", "probability_sample", "weighted", "weighting", "group_rule", "note"]


def assemble(*, survey, catalog, resolved, forensics, sample, boot, caveats, notes, seed, rule, confidence, version,
             interval_method, plan=None, weighted=None):
    """The :class:`Critique` of one survey from its stage results."""
    from simsurvey.report.critique import Critique
    from simsurvey.report.figures import interval_figure

    labels = item_labels(survey, catalog=catalog, width=None, mark_uncertain=False)
    claims = forensics.claims
    verdicts = verdict_table(resolved, claims, boot, labels, caveats=caveats, plan=plan,
                             weighted=None if weighted is None else weighted.for_verdicts(), confidence=confidence,
                             interval_method=interval_method)
    unpublished = unpublished_table(resolved, claims, labels, caveats)
    kinds = resolved.claims.set_index("claim_id")["kind"]
    shown = pd.DataFrame({
        "id": "#" + verdicts["claim_id"].str.rsplit("#", n=1).str[-1], "claim (report's words)": verdicts["claim"],
        "printed": verdicts["printed"], "percentages behind it": verdicts["percentages"],
        "rounding": verdicts["rounding_verdict"],
        "ideal-sampling interval": [interval_text(lo, hi, kinds[c]) for c, lo, hi in
                                    zip(verdicts["claim_id"], verdicts["srs_low"], verdicts["srs_high"])],
        **({"after weighting": [interval_text(lo, hi, kinds[c]) for c, lo, hi in
                                zip(verdicts["claim_id"], verdicts["weighted_low"], verdicts["weighted_high"])]}
           if "weighted_low" in verdicts else {}),
        "halo share": [f"{h:.0%}" if pd.notna(h) else "" for h in verdicts["halo_share"]],
        "E-value": [f"{e:.1f}" if pd.notna(e) else "" for e in verdicts["e_value"]],
        "scrambled chart": verdicts["scrambled"], "verdict": verdicts["verdict"]})
    figures = {}
    if boot is not None:
        short = dict(zip(resolved.claims["claim_id"],
                         [w if len(w) <= 60 else w[:57] + "..." for w in claim_wording(resolved.claims, labels)]))
        drawn = interval_figure(boot, short, confidence=confidence)
        if drawn is not None:
            figures["intervals.png"] = drawn
    methods = methods_table(survey=survey, catalog=catalog, version=version, seed=seed, rule=rule, resolved=resolved,
                            sample=sample, boot=boot, confidence=confidence, interval_method=interval_method,
                            plan=plan, weighted=weighted)
    tables = {"verdicts": verdicts, "unpublished": unpublished, "forensics_claims": claims,
              "mixtures": forensics.mixtures, "inverse": forensics.inverse, "scrambled": forensics.scrambled,
              "restated": forensics.restated, "totals": forensics.totals, "sizes": forensics.sizes,
              "resolved_facts": resolved.facts, "methods": methods, "sources": sources_table(catalog, survey)}
    if weighted is not None:
        tables["weighting"], tables["weighting_panels"] = weighted.grid, weighted.scenarios
    if boot is not None:
        tables["bootstrap"] = boot.drop(columns=[c for c in boot.columns if boot[c].dtype == object
                                                 and boot[c].map(lambda v: isinstance(v, (dict, list))).any()])
    s = catalog.surveys.set_index("survey").loc[survey]
    about = pd.DataFrame({"field": _ABOUT, "the report's words": [_text(s.get(k, "")) for k in _ABOUT]})
    return Critique(
        survey=survey, heading=f"Methodology critique: {s['report']} ({s['title']})", verdicts=verdicts, shown=shown,
        unpublished=unpublished, tables=tables, figures=figures, methods=methods, sources=tables["sources"],
        about=about, summary=_summary(resolved, forensics, verdicts, unpublished, labels, confidence)
        + _weighting_summary(plan, weighted, verdicts, kinds) + _caveat_summary(verdicts), notes=list(notes),
        weighting=_weighting_section(plan, weighted),
        legend=LEGEND, file_notes=_file_notes(tables, figures))


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _summary(resolved, forensics, verdicts, unpublished, labels, confidence) -> list[str]:
    counts = verdicts["rounding_verdict"].value_counts()
    out = [f"{len(resolved.claims)} printed claims: {len(verdicts)} with both percentages published (one row each "
           f"in the verdict table), {len(unpublished)} without.",
           f"Rounding forensics: {counts.get('consistent', 0)} consistent, {counts.get('inconsistent', 0)} "
           f"inconsistent, {counts.get('unresolved', 0)} unresolved."]
    sizes = resolved.fact("group_sizes")
    if len(sizes):
        out.append(f"Group sizes used: {sizes['value'].iloc[0]} ({sizes['source'].iloc[0]}: "
                   f"{sizes['evidence'].iloc[0]}).")
    repaired = verdicts[verdicts["scrambled"].str.startswith("yes: the chart prints")]
    if len(repaired):
        out.append(f"{len(repaired)} claims come from scrambled charts whose multipliers the arithmetic re-paired "
                   f"({', '.join('#' + c.rsplit('#', 1)[-1] for c in repaired['claim_id'])}).")
    restated = forensics.restated
    if len(restated) and (restated["verdict"] == "inconsistent").any():
        bad = restated[restated["verdict"] == "inconsistent"]
        out.append(f"Printed in both a chart and the text, {len(bad)} of {len(restated)} numbers disagree: "
                   + "; ".join(f"'{labels.get(r.item, r.item)}' ({r.group}): chart {r.printed_chart:g}, text "
                               f"{r.printed_text:g}" for r in bad.itertuples(index=False)) + ".")
    with_interval = verdicts[verdicts["srs_low"].notna() & ~verdicts["printed"].str.endswith("%")]
    if len(with_interval):
        top = with_interval.loc[with_interval["estimate"].idxmax()]
        factor = (with_interval["srs_high"] / with_interval["srs_low"]).median()
        out.append(f"Largest multiplier: {top['claim_id'].rsplit('#', 1)[-1].join(['#', ''])} printed {top['printed']}; "
                   f"under ideal random sampling its {confidence:.0%} interval runs from {top['srs_low']:.2f}x to "
                   f"{top['srs_high']:.2f}x. The median interval's upper end is {factor:.2f} times its lower end.")
        above = int((with_interval["srs_low"] > 1).sum())
        family = int((with_interval["family_low"] > 1).sum())
        out.append(f"{above} of {len(with_interval)} multipliers' intervals exclude 1 one at a time; judged as a "
                   f"family (simultaneous band over every claim) {family} do.")
    return out


def _weighting_summary(plan, weighted, verdicts, kinds) -> list[str]:
    """The weighting's measured effect in two sentences, or why there is none."""
    from simsurvey.report.weighted import DEFAULT_EXPONENT
    from simsurvey.report.weighting import NoWeighting

    if plan is None:
        return []
    if isinstance(plan, NoWeighting):
        return [f"No weighted interval: {plan.reason}."]
    v = verdicts.dropna(subset=["weighted_low"])
    if weighted is None or v.empty:
        return [f"No weighted interval: no draw of company sizes could be weighted ({plan.name})."]
    ratio = v[v["claim_id"].map(kinds) != "anticipated_growth"]
    grid = weighted.grid
    widening = grid[np.isclose(grid["panel_exponent"], DEFAULT_EXPONENT)].set_index("claim_id")["widening"]
    out = [f"Weighting ({plan.name}): Kish design effect {v['kish_deff'].iloc[0]:.2f} (effective n "
           f"{v['kish_n_eff'].iloc[0]:.0f} of {round(v['kish_n_eff'].iloc[0] * v['kish_deff'].iloc[0])}); the "
           f"intervals after weighting are a median {widening.median() - 1:.0%} wider (log scale) than under ideal "
           f"sampling; {int((ratio['weighted_low'] > 1).sum())} of {len(ratio)} multipliers' weighted intervals "
           "exclude 1."]
    if len(ratio):
        top = ratio.loc[ratio["estimate"].idxmax()]
        out[0] += f" {top['printed']}: {top['weighted_low']:.2f}x to {top['weighted_high']:.2f}x."
    far = weighted.scenarios.iloc[0]
    out.append(f"If the panel held more people from larger firms ({far['panel size mix']}; population "
               f"{far['population size mix']}), the design effect would be {far['kish_deff']:.2f} and the intervals "
               f"a median {far['median widening'] - 1:.0%} wider; for "
               f"{far['comparisons whose weighted interval excludes 1']} distinct comparisons (a claim printed "
               "twice counted once) the weighted interval would still exclude 1.")
    return out


def _weighting_section(plan, weighted) -> dict:
    """What the report's weighting section shows: the reason there is none, or the panel mixes tried."""
    from simsurvey.report.weighting import NoWeighting

    if plan is None:
        return {}
    if isinstance(plan, NoWeighting):
        return {"text": f"No weighted interval: {plan.reason}."}
    return {"text": f"{plan.name}. Why: {plan.why}. Company sizes are drawn for every respondent, independently of "
                    "the answers (no report publishes that link), so weighting changes how precise each multiplier "
                    "is, not what it estimates; the verdict table uses the generator's panel mix (P(size) ~ "
                    "size^-1.06), the rows below show what a panel further from or closer to the population would "
                    "cost. widening: the weighted interval's width over the ideal-sampling one's, on the log scale.",
            "table": weighted.scenarios if weighted is not None else None}


def _caveat_summary(verdicts) -> list[str]:
    halo = verdicts.dropna(subset=["halo_share"]).drop_duplicates("claim")
    if halo.empty:
        return []
    top = verdicts.loc[verdicts["estimate"].fillna(0).idxmax()]
    out = [f"Halo: with no real difference between the groups, a shared self-rating style making up "
           f"{halo['halo_share'].min():.0%} to {halo['halo_share'].max():.0%} of every answer (median "
           f"{halo['halo_share'].median():.0%}) would print each of these multipliers; {top['printed']} needs "
           f"{top['halo_share']:.0%}" + (" and its answer is itself a self-rating." if _true(top["self_rating"])
                                         else ".")]
    e = verdicts.dropna(subset=["e_value"])
    if len(e):
        out.append(f"E-values: a bias tied to both group and answer by a factor of {e['e_value'].min():.1f} to "
                   f"{e['e_value'].max():.1f} each would explain the printed multipliers away "
                   f"({e['e_value_low'].min():.1f} to {e['e_value_low'].max():.1f} for their intervals' lower ends).")
    return out


def _file_notes(tables, figures) -> dict[str, str]:
    notes = {"report.html": "this report, self-contained", "report.md": "the same report as Markdown"}
    what = {"verdicts": "the verdict table, every column", "unpublished": "claims without both percentages",
            "forensics_claims": "rounding forensics of every claim", "mixtures": "overall figures vs their groups",
            "inverse": "unpublished shares bounded", "scrambled": "scrambled charts and their re-pairing",
            "restated": "numbers printed in a chart and in the text", "totals": "answer categories vs 100%",
            "sizes": "group sizes that fit every figure", "resolved_facts": "what the forensics established",
            "methods": "the parameters used", "sources": "sources cited",
            "bootstrap": "every interval, one row per claim and method",
            "weighting": "intervals after weighting, one row per panel size mix and claim",
            "weighting_panels": "the weighting's cost for each panel size mix"}
    notes.update({f"{name}.csv": what.get(name, name) for name in tables})
    notes.update({name: title for name, (_, title) in figures.items()})
    return notes
