"""``simsurvey critique``: the whole methodology critique of one report, from the catalogue to report.html.

The stages run in the package's one direction: the resolved survey (forensics
with their conclusions: group sizes, re-paired charts), the rounding checks,
an exact-mode synthetic sample that reproduces every printed percentage, the
bootstrap under ideal random sampling, the interval after a plausible
weighting (company size raked to the US firm mix, every replicate re-raked:
:mod:`simsurvey.report.weighted`, the stage that runs in worker processes),
and the caveat scenarios (E-value, the halo share that would reproduce each
claim). :func:`critique` returns every
table and figure in memory; :meth:`Critique.write` writes them atomically, each
file whole or not at all.
"""
from __future__ import annotations

import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from simsurvey.catalog.load import Catalog, load_catalog
from simsurvey.seeds import as_seed_sequence

__all__ = ["Critique", "critique", "check_out_folder", "write_index", "DEFAULT_REPLICATES", "QUICK_REPLICATES"]

DEFAULT_REPLICATES = 10_000
QUICK_REPLICATES = 1_000
INTERVAL_METHOD = "percentile"
#: The bootstrap methods a critique computes (the verdict uses percentile; the family-wide band simultaneous).
CRITIQUE_METHODS = ("percentile", "bca", "simultaneous", "koopman")


@dataclass(frozen=True)
class Critique:
    """Everything one critique found, in memory.

    Attributes
    ----------
    survey, heading : str
    verdicts : pandas.DataFrame
        One row per printed claim with both percentages
        (:data:`simsurvey.report.verdicts.VERDICT_COLUMNS`).
    shown : pandas.DataFrame
        The verdict table as the report shows it (intervals as text).
    unpublished : pandas.DataFrame
        Claims printed without both percentages, with what must hold for them.
    tables : dict of str to DataFrame
        Every table, written as ``<name>.csv``.
    figures : dict of str to (bytes, str)
        PNG bytes and title, written as ``<name>`` (a ``.png`` name).
    methods, sources, about : pandas.DataFrame
        The parameters used, the sources cited, the report's own methodology notes.
    summary : list of str
        The findings, one measured sentence each.
    notes : list of str
        What the stages warned about while running (e.g. claims a stage left out, and why).
    weighting : dict
        The report's weighting section: ``text`` (the weighting and why, or why there is none) and ``table``
        (one row per panel size mix), empty when the stage was not run.
    """

    survey: str
    heading: str
    verdicts: pd.DataFrame
    shown: pd.DataFrame
    unpublished: pd.DataFrame
    tables: dict
    figures: dict
    methods: pd.DataFrame
    sources: pd.DataFrame
    about: pd.DataFrame
    summary: list
    notes: list
    legend: str
    file_notes: dict = field(default_factory=dict)
    weighting: dict = field(default_factory=dict)

    def files(self) -> dict[str, bytes]:
        """Every file of the critique, rendered: name to bytes."""
        from simsurvey.report.render import to_html, to_markdown

        out = {f"{name}.csv": frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
               for name, frame in self.tables.items()}
        out.update({name: png for name, (png, _) in self.figures.items()})
        out["report.md"] = to_markdown(self).encode("utf-8")
        out["report.html"] = to_html(self).encode("utf-8")
        return out

    def write(self, folder: str | Path) -> list[Path]:
        """Render everything first, then write each file atomically into ``folder`` (created if missing)."""
        from simsurvey.io.files import write_bytes

        files = self.files()
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        return [write_bytes(data, folder / name) for name, data in files.items()]


def check_out_folder(folder: str | Path, *, name: str = "--out") -> Path:
    """Refuse an output folder that cannot be written, before any work is done."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"{name}: {str(folder)!r} is a file, not a folder")
    parent = next((p for p in [folder, *folder.parents] if p.exists()), Path("."))
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ValueError(f"{name}: folder {str(parent)!r} is not writable")
    return folder


def critique(survey: str = "sos-smb-2016", *, catalog: Catalog | str | Path | None = None, seed=None,
             quick: bool = False, replicates: int | None = None, rule: str = "any", confidence: float = 0.95,
             workers: int | None = None, progress: bool | None = None) -> Critique:
    """The methodology critique of one survey's printed claims.

    Parameters
    ----------
    survey : str
        Survey id in the catalogue (default the SMB State of Service report).
    catalog : Catalog, str or Path, optional
        Default: the shipped catalogue; a folder in the same format critiques your own report.
    seed : int or numpy.random.SeedSequence, optional
        Same seed, same tables byte for byte. None draws fresh entropy, recorded in the methods table.
    quick : bool
        1,000 bootstrap replicates instead of 10,000 (intervals to about two digits).
    replicates : int, optional
        Override the number of bootstrap replicates.
    rule : {"any", "half_up", "half_even"}
    confidence : float
    workers : int, optional
        Worker processes for the weighting stage (its draws, 24 or 12 with ``quick``, run as independent
        cells, each with its own seed, so the tables are the same byte for byte for any number). Default:
        the library's rule (:func:`simsurvey.inference.parallel.choose_workers`): every core once the draws
        hold at least 5e7 replicate-respondents (the default run of the SMB report does), else 1 (``quick``).
    progress : bool, optional
        Show a progress bar (default: when stderr is a terminal).

    Returns
    -------
    Critique

    Examples
    --------
    >>> c = critique(seed=1, quick=True, progress=False)
    >>> row = c.verdicts.set_index("claim_id").loc["sos-smb-2016#8"]
    >>> row["percentages"], row["rounding_verdict"]
    ('91% of 90 high vs 16% of 281 under', 'consistent')
    """
    from tqdm import tqdm  # the text bar: works in a terminal and a notebook without ipywidgets

    import simsurvey
    from simsurvey.forensics.resolve import resolve
    from simsurvey.forensics.verdicts import check

    cat = catalog if isinstance(catalog, Catalog) else load_catalog(catalog)
    cat.check_survey(survey)
    root = as_seed_sequence(seed)
    stream = np.random.SeedSequence(root.entropy, spawn_key=tuple(root.spawn_key) + (zlib.crc32(survey.encode()),))
    gen_seed, boot_seed, weight_seed = stream.spawn(3)  # the first two as before: adding a stage moved no number
    replicates = replicates or (QUICK_REPLICATES if quick else DEFAULT_REPLICATES)
    steps = tqdm(total=6, desc=f"critique {survey}", disable=None if progress is None else not progress,
                 leave=False)
    steps.set_postfix_str("forensics")
    resolved = resolve(survey, cat, rule=rule)
    forensics = check(cat, survey=survey, rule=rule)
    steps.update()
    steps.set_postfix_str("synthetic sample")
    claims = forensics.claims
    if len(claims) and claims[["num_pct", "den_pct"]].notna().all(axis=1).any():
        sample, boot, notes = _sample_and_bootstrap(resolved, cat, gen_seed, boot_seed, replicates, confidence)
    else:
        sample, boot, notes = None, None, ["No claim of this survey prints both percentages: there is nothing to "
                                           "resample, so no synthetic sample was drawn and no interval computed."]
    steps.update()
    steps.set_postfix_str("weighting")
    from simsurvey.report.weighting import NoWeighting, weighting_plan

    plan = weighting_plan(cat, survey)
    weighted = None
    if boot is None and not isinstance(plan, NoWeighting):
        plan = NoWeighting("no synthetic sample, so nothing to weight")
    elif not isinstance(plan, NoWeighting):
        from simsurvey.report.weighted import DRAWS, QUICK_DRAWS, weighted_intervals

        weighted = weighted_intervals(sample, resolved.claim_spec(), plan, boot, replicates=replicates,
                                      seed=weight_seed, confidence=confidence, catalog=cat, workers=workers,
                                      draws=QUICK_DRAWS if quick else DRAWS, progress=steps.disable is False)
        notes = notes + weighted.notes
    steps.update()
    steps.set_postfix_str("caveat scenarios")
    from simsurvey.report.assemble import assemble
    from simsurvey.report.caveats import caveat_columns

    caveats = caveat_columns(resolved, cat)
    steps.update()
    steps.set_postfix_str("figures")
    result = assemble(survey=survey, catalog=cat, resolved=resolved, forensics=forensics, sample=sample, boot=boot,
                      caveats=caveats, plan=plan, weighted=weighted, notes=notes, seed=root, rule=rule,
                      confidence=confidence, version=simsurvey.__version__, interval_method=INTERVAL_METHOD)
    steps.update(2)
    steps.close()
    return result


def _sample_and_bootstrap(resolved, cat, gen_seed, boot_seed, replicates, confidence):
    """The exact-mode sample of the resolved survey and its bootstrap; a survey that cannot have one says why."""
    import warnings

    from simsurvey.inference.resampling import bootstrap
    from simsurvey.synth.respondents import generate

    spec = resolved.claim_spec()
    notes = []
    try:
        sample = generate(spec, seed=gen_seed, catalog=cat, rule=resolved.rule, progress=False)
    except ValueError as err:
        return None, None, [f"no synthetic sample, so no intervals: {err}"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            boot = bootstrap(sample, spec, replicates=replicates, seed=boot_seed, methods=CRITIQUE_METHODS,
                             confidence=confidence, catalog=cat, progress=False)
        except ValueError as err:
            return sample, None, [f"no intervals: {err}"]
    notes += sorted({str(w.message) for w in caught})
    return sample, boot, notes


def write_index(critiques: list[tuple[Critique, Path]], folder: Path) -> list[Path]:
    """``index.html`` and ``index.md`` for a ``--survey all`` run: one row per survey."""
    from simsurvey.io.files import write_bytes
    from simsurvey.report.render import index_html, index_markdown

    rows = pd.DataFrame([{"survey": c.survey, "report": c.heading, "claims with percentages": len(c.verdicts),
                          "without percentages": len(c.unpublished)} for c, _ in critiques])
    return [write_bytes(index_html(rows), folder / "index.html"), write_bytes(index_markdown(rows), folder / "index.md")]
