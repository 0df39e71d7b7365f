"""Benchmark: a 1,000-cell scenario grid, each cell an opt-in sample of 786 plus a B=1,000 bootstrap of every claim.

Target: under 60 s on a 2-core machine. Compared, in this process, with

- what a user would otherwise write per cell: the package's own one-call path,
  ``simsurvey.bootstrap(sample, methods=["percentile"])`` on a sample frame
  (timed on a few cells, scaled to 1,000);
- ``scipy.stats.bootstrap(..., vectorized=True, method="percentile")``, one call
  per claim (timed on a few cells, scaled to 1,000);
- the physical floor: the one ``B x n`` times ``n x 4K`` matrix product each
  cell cannot avoid, 1,000 times, divided over the workers.

Run:  python benchmarks/bench_scenarios.py  [--cells 1000] [--workers 2]
"""
from __future__ import annotations

import argparse
import os
import time

import numpy as np
import pandas as pd
from scipy import stats

from _timing import best_of
from simsurvey.inference.resampling import bootstrap
from simsurvey.scenarios.estimate import streams
from simsurvey.scenarios.grid import run_grid
from simsurvey.scenarios.selection import draw_selected, item_score_moments, selection_cell
from simsurvey.scenarios.world import latent_world

N, B = 786, 1000


def sample_frame(world, seed):
    rng, _ = streams(seed)
    tier, y, _ = draw_selected(world, N, rng, strength=1.0)
    frame = pd.DataFrame(y, columns=world.claims["claim_id"])
    frame = frame.loc[:, ~world.claims["item"].duplicated().to_numpy()]
    frame.columns = world.claims["item"].drop_duplicates().to_numpy()
    frame.insert(0, "group", np.array(world.groups)[tier])
    return frame


def scipy_cell(world, frame, seed):
    groups = frame["group"].to_numpy()
    rng = np.random.default_rng(seed)
    for claim in world.claims.itertuples():
        a = (groups == claim.numerator).astype(float)
        b = (groups == claim.denominator).astype(float)
        y = frame[claim.item].to_numpy(float)
        stats.bootstrap((a, b, y), lambda a, b, y, axis=-1: ((a * y).sum(axis) / a.sum(axis))
                        / ((b * y).sum(axis) / b.sum(axis)), paired=True, vectorized=True, n_resamples=B,
                        method="percentile", rng=rng)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cells", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    world = latent_world("sos-smb-2016")
    _ = world.truth
    moments = item_score_moments(world)
    strengths = [0.0, 0.5, 1.0, 1.5, 2.0]
    grid = {"strength": strengths, "weighting": ["none", "poststratify"]}
    reps = max(1, args.cells // (len(strengths) * 2))
    cells = reps * len(strengths) * 2

    start = time.perf_counter()
    runs = run_grid(selection_cell, grid, reps, seed=1, fixed={"world": world, "moments": moments,
                                                               "replicates": B}, workers=args.workers)
    grid_s = time.perf_counter() - start
    assert len(runs) == cells * len(world.claims)

    probe = 5
    frames = [sample_frame(world, s) for s in range(probe)]
    t_pkg, _ = best_of(1, lambda: [bootstrap(f, "sos-smb-2016", replicates=B, seed=1, methods=["percentile"])
                                   for f in frames])
    t_scipy, _ = best_of(1, lambda: [scipy_cell(world, f, 1) for f in frames])
    x = np.random.default_rng(0).integers(0, 2, (N, 4 * len(world.claims))).astype(np.float32)
    w = np.random.default_rng(1).integers(0, 3, (B, N)).astype(np.float32)
    t_mm, _ = best_of(5, lambda: w @ x)
    workers = args.workers
    rows = [
        ("scenarios.run_grid (selection_cell)", grid_s, "measured"),
        ("simsurvey.bootstrap per cell, serial", t_pkg / probe * cells, f"{probe} cells x {cells // probe}"),
        ("scipy.stats.bootstrap per claim, serial", t_scipy / probe * cells, f"{probe} cells x {cells // probe}"),
        (f"floor: one B x n @ n x 4K product per cell / {workers} workers", t_mm * cells / workers, "measured x cells"),
    ]
    table = pd.DataFrame(rows, columns=["what", "seconds", "how"])
    table["ratio_to_grid"] = table["seconds"] / grid_s
    print(f"{cells} cells (n = {N}, B = {B}, {len(world.claims)} claims each), {workers} workers, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    print(table.to_string(index=False, float_format=lambda v: f"{v:,.2f}"))
    print(f"target: under 60 s -> {'met' if grid_s < 60 else 'NOT met'} ({grid_s:.1f} s)")


if __name__ == "__main__":
    main()
