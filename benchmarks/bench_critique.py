"""Benchmark: the whole critique of the SMB report (default and --quick) against its stages called one by one.

What a user would otherwise do is call the stages themselves, each once, in one
process: ``resolve`` + ``check`` + ``generate`` + one vectorised ``bootstrap``
call over every claim + one re-raking ``bootstrap(reweight=...)`` call per
company-size draw (the weighting stage, in this process) + the E-value and halo
tables. That sum is the floor the critique can approach; the rest is the report
itself (wording, the figure, HTML/Markdown, CSV files) and, with 2 workers, the
worker processes' start. The load average is printed: the machine is shared.
Targets (issue 13): default under 2 minutes, ``--quick`` under 20 seconds.

Run:  python benchmarks/bench_critique.py
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

import simsurvey as ss
from _timing import best_of
from simsurvey.report.caveats import caveat_columns
from simsurvey.report.critique import CRITIQUE_METHODS, DEFAULT_REPLICATES, QUICK_REPLICATES
from simsurvey.report.weighted import DRAWS, QUICK_DRAWS
from simsurvey.report.weighting import PANEL_EXPONENTS, weighting_plan
from simsurvey.synth.covariates import draw_employees, employee_distribution


def stages(replicates: int, draws: int):
    cat = ss.load_catalog()
    resolved = ss.resolve("sos-smb-2016")
    ss.check(survey="sos-smb-2016")
    spec = resolved.claim_spec()
    sample = ss.generate(spec, seed=1, progress=False)
    boot = ss.bootstrap(sample, spec, replicates=replicates, seed=2, methods=CRITIQUE_METHODS, progress=False)
    plan, rng = weighting_plan(cat, "sos-smb-2016"), np.random.default_rng(3)
    for a in PANEL_EXPONENTS:
        sizes, probs, _ = employee_distribution(plan.low, plan.high, a)
        for r in range(draws):
            drawn = sample.assign(size_class=plan.classes(draw_employees(rng, sizes, probs, len(sample))))
            ss.bootstrap(drawn, spec, replicates=replicates, seed=r, methods=["percentile"], progress=False,
                         reweight=plan.margins)
    caveat_columns(resolved, cat)
    return boot


def whole(quick: bool):
    out = Path(tempfile.mkdtemp())
    return ss.critique("sos-smb-2016", seed=1, quick=quick, progress=False).write(out)


def main() -> None:
    import warnings

    warnings.simplefilter("ignore")  # the stages' skipped-claim notices, the same in both columns
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'run':<34}{'seconds':>9}{'stages alone':>14}{'ratio':>8}{'target':>8}")
    for name, quick, replicates, draws, target in (("critique --quick", True, QUICK_REPLICATES, QUICK_DRAWS, 20),
                                                   ("critique (default)", False, DEFAULT_REPLICATES, DRAWS, 120)):
        floor, _ = best_of(3, lambda: stages(replicates, draws))
        took, files = best_of(3, lambda: whole(quick))
        print(f"{name + f' ({len(files)} files)':<34}{took:>9.2f}{floor:>14.2f}{took / floor:>8.2f}{target:>7}s")
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
