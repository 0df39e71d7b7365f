"""Benchmark: the whole critique of the SMB report (default and --quick) against its stages called one by one.

What a user would otherwise do is call the stages themselves, each once, in one
process: ``resolve`` + ``check`` + ``generate`` + one vectorised ``bootstrap``
call over every claim. That sum is the floor the critique can approach; the
rest is the report itself (wording, the figure, HTML/Markdown, CSV files).
Targets (issue 13): default under 2 minutes, ``--quick`` under 20 seconds.

Run:  python benchmarks/bench_critique.py
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import simsurvey as ss
from _timing import best_of
from simsurvey.report.critique import CRITIQUE_METHODS, DEFAULT_REPLICATES, QUICK_REPLICATES


def stages(replicates: int):
    resolved = ss.resolve("sos-smb-2016")
    ss.check(survey="sos-smb-2016")
    spec = resolved.claim_spec()
    sample = ss.generate(spec, seed=1, progress=False)
    return ss.bootstrap(sample, spec, replicates=replicates, seed=2, methods=CRITIQUE_METHODS, progress=False)


def whole(quick: bool):
    out = Path(tempfile.mkdtemp())
    return ss.critique("sos-smb-2016", seed=1, quick=quick, progress=False).write(out)


def main() -> None:
    print(f"{'run':<34}{'seconds':>9}{'stages alone':>14}{'ratio':>8}{'target':>8}")
    for name, quick, replicates, target in (("critique --quick", True, QUICK_REPLICATES, 20),
                                            ("critique (default)", False, DEFAULT_REPLICATES, 120)):
        floor, _ = best_of(3, lambda: stages(replicates))
        took, files = best_of(3, lambda: whole(quick))
        print(f"{name + f' ({len(files)} files)':<34}{took:>9.2f}{floor:>14.2f}{took / floor:>8.2f}{target:>7}s")


if __name__ == "__main__":
    main()
