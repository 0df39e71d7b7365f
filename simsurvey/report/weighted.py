"""The interval after weighting, per claim: company sizes drawn, raked to the population, every replicate re-raked.

No survey publishes how company size relates to its answers, so the
synthetic sample's sizes are drawn independently of them. Weighting then
changes how precise a multiplier is, not what it estimates, and the raked
estimate of one draw differs from the unweighted one only by the chance link
that draw made between size and answers. So, for each panel size mix
(:data:`simsurvey.report.weighting.PANEL_EXPONENTS`) and each of ``draws``
draws:

1. every respondent gets a company size, ``P(size) ~ size**-a`` on the
   survey's range (:func:`simsurvey.synth.covariates.draw_employees`), and its
   size class;
2. :func:`simsurvey.bootstrap` with ``reweight=`` rakes the sample to the
   population's size mix and re-rakes every replicate;
3. the percentile interval is moved on the log scale to centre on the
   unweighted estimate (the printed multiplier, to rounding).

Per claim and panel mix the table keeps the median over the draws of each
moved end, of Kish's design effect and effective n (:mod:`simsurvey.weighting.summary`)
and of the design effect on the multiplier's variance (re-raked replicates
over plain ones). Each (mix, draw) is one cell with its own child seed named
by the mix and draw (:func:`simsurvey.scenarios.grid.cell_seed`), run by
:func:`simsurvey.inference.parallel.map_cells`: any number of workers gives
the same numbers.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from simsurvey.report.weighting import PANEL_EXPONENTS, SIZE_COLUMN

__all__ = ["WeightedIntervals", "weighted_intervals", "DRAWS", "QUICK_DRAWS", "DEFAULT_EXPONENT"]

#: Company-size draws per panel mix (``quick``: :data:`QUICK_DRAWS`).
DRAWS = 8
QUICK_DRAWS = 4
#: The panel mix the verdict table uses: the synthetic sample's own (the generator's default exponent).
DEFAULT_EXPONENT = 1.06


@dataclass(frozen=True)
class WeightedIntervals:
    """The weighting grid's results.

    Attributes
    ----------
    grid : pandas.DataFrame
        One row per panel mix and claim (``weighting.csv``).
    scenarios : pandas.DataFrame
        One row per panel mix: its size mix, the population's, Kish's design
        effect and effective n, how much wider the intervals get.
    notes : list of str
        What went wrong in a draw (e.g. a size class nobody was drawn into), if anything.
    draws : int
        Company-size draws asked for per panel mix (``draws_used`` in ``grid``: those that could be weighted).
    workers : int
        Worker processes used (the numbers do not depend on it).
    """

    grid: pd.DataFrame
    scenarios: pd.DataFrame
    draws: int
    notes: list = field(default_factory=list)
    workers: int = 1

    def for_verdicts(self) -> pd.DataFrame:
        """The default panel mix's rows: ``claim_id, kish_deff, kish_n_eff, weighted_low, weighted_high``."""
        rows = self.grid[np.isclose(self.grid["panel_exponent"], DEFAULT_EXPONENT)]
        return rows[["claim_id", "kish_deff", "kish_n_eff", "weighted_low", "weighted_high"]]


def weighted_intervals(sample: pd.DataFrame, spec, plan, boot: pd.DataFrame, *, replicates: int, seed,
                       confidence: float = 0.95, catalog=None, workers: int | None = None, draws: int = DRAWS,
                       progress: bool = False) -> WeightedIntervals:
    """Intervals after ``plan``'s weighting for every claim ``boot`` (the unweighted bootstrap) has.

    Parameters
    ----------
    sample : pandas.DataFrame
        The critique's synthetic sample (its own ``employees`` column is not used: sizes are drawn per cell).
    spec : SurveySpec
        The resolved claims (:meth:`ResolvedSurvey.claim_spec`).
    plan : WeightingPlan
    boot : pandas.DataFrame
        The unweighted bootstrap: its percentile rows give the estimate each interval is centred on.
    replicates : int
        Bootstrap replicates per draw.
    seed : SeedSequence
        Root of the cells' seeds.
    workers : int, optional
        Worker processes; default :func:`simsurvey.inference.parallel.choose_workers` (every core once
        the cells hold at least 5e7 replicate-respondents, else 1).
    draws : int
        Company-size draws per panel mix.

    Examples
    --------
    >>> import simsurvey as ss
    >>> from simsurvey.report.weighting import weighting_plan
    >>> cat = ss.load_catalog(); r = ss.resolve("smb-trends-2017"); spec = r.claim_spec()
    >>> s = ss.generate(spec, seed=1, catalog=cat, progress=False)
    >>> import warnings; warnings.simplefilter("ignore")  # the sample's skipped-claim notices
    >>> b = ss.bootstrap(s, spec, 500, seed=2, methods=["percentile"], catalog=cat, progress=False)
    >>> w = weighted_intervals(s, spec, weighting_plan(cat, "smb-trends-2017"), b, replicates=500, seed=3,
    ...                        catalog=cat, draws=2, workers=1)
    >>> v = w.for_verdicts().set_index("claim_id").loc["smb-trends-2017#1"]
    >>> bool(v["weighted_low"] < 1.49 and v["weighted_high"] > 3.2), round(float(v["kish_deff"]), 1)
    (True, 1.8)
    """
    from simsurvey.inference.parallel import choose_workers, map_cells
    from simsurvey.scenarios.grid import cell_seed

    cells = [(a, r, cell_seed(seed, {"panel_exponent": a, "draw": r})) for a in PANEL_EXPONENTS for r in range(draws)]
    workers = choose_workers(workers, work=len(cells) * replicates * len(sample))
    shared = (sample.drop(columns=["employees", "country"], errors="ignore"), spec, plan, replicates, confidence,
              catalog)
    from threadpoolctl import threadpool_limits

    # one BLAS thread here as in the workers: a multi-threaded product sums in another order, which moves the
    # 16th digit, and the files must be the same byte for byte for any number of workers
    with threadpool_limits(limits=1, user_api="blas"):
        results = map_cells(_cell, cells, shared=shared, workers=workers, progress=progress, desc="weighting draws")
    percentile = boot[boot["method"] == "percentile"].set_index("claim_id")
    rows, notes = [], []
    for (a, r, _), (frame, kish, messages) in zip(cells, results):
        notes += messages
        if frame is not None:
            rows.append(frame.assign(panel_exponent=a, draw=r, kish_deff=kish))
    if not rows:
        return WeightedIntervals(pd.DataFrame(columns=GRID_COLUMNS), pd.DataFrame(columns=SCENARIO_COLUMNS),
                                 draws, sorted(set(notes)), workers)
    draws_frame = pd.concat(rows, ignore_index=True)
    draws_frame = draws_frame[draws_frame["claim_id"].isin(percentile.index)]
    estimate = draws_frame["claim_id"].map(percentile["estimate"])
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = (estimate / draws_frame["raked_estimate"]).where(draws_frame["raked_estimate"] > 0)
    draws_frame = draws_frame.assign(weighted_low=draws_frame["low"] * scale, weighted_high=draws_frame["high"] * scale)
    grid = _grid(draws_frame, percentile, len(sample))
    return WeightedIntervals(grid, _scenarios(grid, plan, percentile["kind"]), draws, sorted(set(notes)), workers)


#: ``weighting.csv``: per panel mix and claim, the medians over the draws (``widening``: the weighted interval's
#: width over the ideal-sampling one's, on the log scale; ``variance_deff``: the multiplier's replicate variance
#: with re-raking over without).
GRID_COLUMNS = ["panel_exponent", "claim_id", "printed", "estimate", "srs_low", "srs_high", "weighted_low",
                "weighted_high", "widening", "kish_deff", "kish_n_eff", "variance_deff", "draws_used"]
SCENARIO_COLUMNS = ["panel_exponent", "panel size mix", "population size mix", "kish_deff", "kish_n_eff",
                    "median widening", "comparisons whose weighted interval excludes 1"]


def _cell(shared, cell):
    """One panel mix and draw: sizes drawn, the sample raked, every replicate re-raked (workers import it)."""
    from simsurvey.inference.resampling import bootstrap
    from simsurvey.synth.covariates import draw_employees, employee_distribution
    from simsurvey.weighting.raking import rake
    from simsurvey.weighting.summary import kish_deff

    sample, spec, plan, replicates, confidence, catalog = shared
    exponent, _, seed = cell
    size_seed, boot_seed = seed.spawn(2)
    sizes, probs, _ = employee_distribution(plan.low, plan.high, exponent)
    drawn = sample.assign(**{SIZE_COLUMN: plan.classes(draw_employees(np.random.default_rng(size_seed), sizes, probs,
                                                                       len(sample)))})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            kish = kish_deff(rake(drawn, plan.margins).weights)
            b = bootstrap(drawn, spec, replicates, seed=boot_seed, methods=["percentile"], confidence=confidence,
                          catalog=catalog, progress=False, reweight=plan.margins)
        except ValueError as err:  # e.g. a size class nobody was drawn into: that draw cannot be raked
            return None, float("nan"), [f"weighting (panel mix size^-{exponent:g}): a draw was left out: {err}"]
    # the skipped-claim notices repeat the unweighted bootstrap's; only what weighting adds is kept
    messages = [f"weighting (panel mix size^-{exponent:g}): {w.message}" for w in caught
                if "replicate" in str(w.message) and "skipped" not in str(w.message)]
    frame = b[["claim_id", "estimate", "low", "high", "deff_weighting"]].rename(
        columns={"estimate": "raked_estimate", "deff_weighting": "variance_deff"})
    return frame, kish, messages


def _grid(draws_frame, percentile, n) -> pd.DataFrame:
    g = draws_frame.groupby(["panel_exponent", "claim_id"], sort=False)
    out = g.agg(weighted_low=("weighted_low", "median"), weighted_high=("weighted_high", "median"),
                kish_deff=("kish_deff", "median"), variance_deff=("variance_deff", "median"),
                draws_used=("weighted_low", "count")).reset_index()
    p = percentile.loc[out["claim_id"]]
    out["printed"] = p["printed"].to_numpy()
    out["estimate"] = p["estimate"].to_numpy()
    out["srs_low"], out["srs_high"] = p["low"].to_numpy(), p["high"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        out["widening"] = np.log(out["weighted_high"] / out["weighted_low"]) / np.log(out["srs_high"] / out["srs_low"])
    out["kish_n_eff"] = n / out["kish_deff"]
    return out[GRID_COLUMNS]


def _scenarios(grid, plan, kinds) -> pd.DataFrame:
    from simsurvey.synth.covariates import employee_distribution

    population = " / ".join(f"{k} {v:.0%}" for k, v in plan.targets.items())
    rows = []
    for a, rows_a in grid.groupby("panel_exponent", sort=False):
        sizes, probs, _ = employee_distribution(plan.low, plan.high, a)
        mix = " / ".join(f"{lab} {probs[(sizes >= lo) & (sizes <= hi)].sum():.0%}"
                         for lab, (lo, hi) in zip(plan.labels, plan.bounds))
        ratio = rows_a[rows_a["claim_id"].map(kinds) != "anticipated_growth"]  # growth has no "no difference" 1
        above = f"{int((ratio['weighted_low'] > 1).sum())} of {len(ratio)}"
        rows.append({"panel_exponent": a, "panel size mix": mix, "population size mix": population,
                     "kish_deff": rows_a["kish_deff"].iloc[0], "kish_n_eff": rows_a["kish_n_eff"].iloc[0],
                     "median widening": rows_a["widening"].median(),
                     "comparisons whose weighted interval excludes 1": above})
    return pd.DataFrame(rows, columns=SCENARIO_COLUMNS)
