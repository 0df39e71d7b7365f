"""The methods section, generated from the parameters a critique actually used.

Every value in :func:`methods_table` is read from the run (the resolved
survey's facts, the sample's ``attrs["assumptions"]``, the bootstrap's), so the
report states its own assumptions and can be rerun exactly. Sources are cited
by author, title, publisher and year, never by a file path.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from simsurvey.catalog.load import COLUMNS, Catalog, default_catalog_path

__all__ = ["methods_table", "sources_table", "catalog_checksum", "METHOD_SOURCES"]

#: Published sources of the methods and distributions a critique uses:
#: (key, authors, year, title, publisher, used for).
METHOD_SOURCES = [
    ("grim", "Brown NJL, Heathers JAJ", "2017", "The GRIM test: a simple technique detects numerous anomalies in "
     "the reporting of results in psychology (Social Psychological and Personality Science)", "SAGE Publications",
     "rounding forensics, carried from means to ratios of percentages"),
    ("bootstrap", "Efron B, Tibshirani RJ", "1993", "An Introduction to the Bootstrap", "Chapman & Hall",
     "percentile bootstrap intervals"),
    ("koopman", "Koopman PAR", "1984", "Confidence intervals for the ratio of two binomial proportions (Biometrics)",
     "International Biometric Society", "analytic score interval"),
    ("evalue", "VanderWeele TJ, Ding P", "2017", "Sensitivity analysis in observational research: introducing the "
     "E-value (Annals of Internal Medicine 167:268-274)", "American College of Physicians",
     "E-value of each multiplier and of its interval's lower end"),
    ("axtell", "Axtell RL", "2001", "Zipf distribution of U.S. firm sizes (Science 293:1818-1820)",
     "American Association for the Advancement of Science", "company-size distribution of synthetic respondents"),
]


def catalog_checksum(catalog: Catalog) -> str:
    """SHA-256 of the catalogue's four CSV files (in a fixed order): names the exact figures used.

    Examples
    --------
    >>> from simsurvey import load_catalog
    >>> len(catalog_checksum(load_catalog()))
    64
    """
    digest = hashlib.sha256()
    for name in COLUMNS:
        digest.update(name.encode())
        digest.update((Path(catalog.path) / f"{name}.csv").read_bytes())
    return digest.hexdigest()


def catalog_name(catalog: Catalog) -> str:
    """"the catalogue shipped with simsurvey", or the user's folder name (never a full local path)."""
    if Path(catalog.path).resolve() == default_catalog_path().resolve():
        return "the catalogue shipped with simsurvey"
    return f"catalogue folder '{Path(catalog.path).name}'"


def methods_table(*, survey: str, catalog: Catalog, version: str, seed, rule: str, resolved, sample,
                  boot, confidence: float, interval_method: str, plan=None, weighted=None) -> pd.DataFrame:
    """One row per parameter of the run: ``parameter, value, source`` (where the value comes from)."""
    a = sample.attrs.get("assumptions", {}) if sample is not None else {}
    b = boot.attrs.get("assumptions", {}) if boot is not None else {}
    sizes = resolved.fact("group_sizes")
    rows = [
        ("package", f"simsurvey {version}", "installed package"),
        ("catalogue", catalog_name(catalog), "--catalog"),
        ("catalogue SHA-256", catalog_checksum(catalog), "the four CSV files"),
        ("survey", survey, "--survey"),
        ("seed", _seed_text(seed), "--seed (a fresh seed is recorded here and replays the run)"),
        ("rounding rule", rule, "each printed number rounded half-up or half-even" if rule == "any" else "fixed"),
        ("group sizes", " / ".join(f"{g} {k}" for g, k in zip(resolved.groups, resolved.sizes))
         if resolved.sizes else "none fits every published figure",
         sizes["evidence"].iloc[0] if len(sizes) else "no published n and shares"),
        ("group shares", " / ".join(f"{g} {s:.1f}%" for g, s in zip(resolved.groups, resolved.shares)),
         "published" if resolved.shares_published else "implied by the overall and group figures (inverse problem)"),
    ]
    if a:
        rows += [
            ("synthetic sample", f"{a.get('n')} respondents, model {a.get('model')}, mode {a.get('mode')}",
             "exact mode reproduces every printed percentage to the digit"),
            ("within-group correlation", str(a.get("rho")), a.get("rho_note", "")),
            ("company size", str(a.get("employees")), "Axtell (2001), size-biased to respondents"),
            ("country", str(a.get("country")), "the survey's countries, no published split"),
            ("items left out of the sample", "; ".join(f"{k}: {v}" for k, v in a.get("skipped_items", {}).items())
             or "none", "generator"),
        ]
    if b:
        rows += [
            ("bootstrap replicates", f"{b.get('replicates'):,}", "--quick uses 1,000"),
            ("resampling", str(b.get("resampling")), "simple random sample of respondents (the ideal case)"),
            ("interval", f"{confidence:.0%} {interval_method}; family-wide: {confidence:.0%} simultaneous "
                         "(max-|t| on the log scale over every claim)", "Efron & Tibshirani (1993)"),
        ]
    rows += _weighting_rows(plan, weighted, b, confidence)
    rows += [
        ("E-value", "RR + sqrt(RR (RR - 1)) of the printed multiplier and of the ideal-sampling interval's end "
                    "nearer 1", "VanderWeele & Ding (2017)"),
        ("halo share", "style share of a one-factor world with no real difference (rho = 0) that prints the "
                       "multiplier, threshold anchored on the published numerator percentage",
         "simsurvey.scenarios.halo_share_table"),
    ]
    return pd.DataFrame(rows, columns=["parameter", "value", "source"])


def _weighting_rows(plan, weighted, b, confidence) -> list[tuple]:
    """The weighting's assumptions: target and its source, margins, trimming, panel mixes, interval."""
    from simsurvey.report.weighted import DEFAULT_EXPONENT, DRAWS
    from simsurvey.report.weighting import PANEL_EXPONENTS, NoWeighting
    from simsurvey.weighting.population import SUSB_SOURCE

    if plan is None:
        return []
    if isinstance(plan, NoWeighting):
        return [("weighting", "none", plan.reason)]
    draws = weighted.draws if weighted is not None else DRAWS
    mixes = ", ".join(f"{a:g}" + (" (the generator's, used in the verdict table)" if a == DEFAULT_EXPONENT else "")
                      for a in PANEL_EXPONENTS)
    return [
        ("weighting", plan.name, plan.why),
        ("weighting population", " / ".join(f"{k} employees {v:.1%}" for k, v in plan.targets.items()),
         SUSB_SOURCE.split(";")[0] + f"; SUSB's classes 0-4, 5-9, 10-19, 20-99, 100-499 cut to the survey's "
         f"{plan.low}-{plan.high} employees, shares of the firms in the classes kept"),
        ("weighting margins", "one margin, company-size class: raking to it is post-stratification", "simsurvey.rake"),
        ("weighting trimming", "none: weights as raked, no bounds or trimming (bootstrap re-rakes replicates "
                               "without them)", "simsurvey.bootstrap(reweight=...)"),
        ("panel company sizes", f"drawn for every respondent, independently of the answers, {draws} times for each "
                                f"panel mix P(size) ~ size^-a on {plan.low}-{plan.high}, a = {mixes}",
         "no report publishes company size by answer; Axtell (2001) for the default exponent"),
        ("interval after weighting", f"{confidence:.0%} percentile of {b.get('replicates', 0):,} replicates, every "
                                     "one re-raked; moved on the log scale to centre on the unweighted estimate; "
                                     "median of each end over the draws",
         "Efron & Tibshirani (1993); the draws' own raked estimates differ from it only by chance"),
    ]


def sources_table(catalog: Catalog, survey: str) -> pd.DataFrame:
    """The report critiqued and the methods' sources: ``source, title, publisher, year, used_for``."""
    s = catalog.surveys.set_index("survey").loc[survey]
    year = str(s["fieldwork_end"])[:4] if str(s.get("fieldwork_end", "")) else ""
    rows = [("report", f"{s['report']} ({s['title']})", s["sponsor"], year,
             "every printed figure and claim (year: fieldwork)")]
    for key, authors, year_, title, publisher, used in METHOD_SOURCES:
        rows.append((key, f"{authors}: {title}", publisher, year_, used))
    return pd.DataFrame(rows, columns=["source", "title", "publisher", "year", "used_for"])


def _seed_text(seed) -> str:
    key = tuple(getattr(seed, "spawn_key", ()) or ())
    return f"{seed.entropy}" + (f" (spawn key {key})" if key else "")
