"""Benchmark: 1,000,000 synthetic respondents with every sos-smb-2016 item.

Target (issue 4): under 5 s on a 2-core machine and under 1 GB peak memory.

Compared with what a user would otherwise write: per group, draw the latent
normals with ``scipy.stats.multivariate_normal.rvs`` from an equicorrelation
matrix and threshold them at the published percentages (sampled, item by
item; no exact counts, no single-choice questions, no ratings or covariates).

Timings are taken in this process (best of ``--repeat`` runs); peak memory in a
fresh subprocess per method (the kernel's high-water mark ``VmHWM`` of that
process, which unlike ``ru_maxrss`` does not inherit the parent's peak), with
the interpreter and imports measured separately so the increase is visible.

    python benchmarks/bench_generate.py [--n 1000000] [--repeat 3]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import ndtri

SURVEY = "sos-smb-2016"
RHO = 0.3


def naive(n: int, seed: int = 1) -> pd.DataFrame:
    """The straightforward way: multivariate normal draws and thresholds, group by group."""
    from simsurvey.catalog.spec import survey_spec

    spec = survey_spec(SURVEY)
    table = spec.pct_table()
    items = [i for i in table.index if table.loc[i, list(spec.groups)].notna().all() or pd.notna(table.loc[i, "all"])]
    pct = np.array([[table.loc[i, g] if pd.notna(table.loc[i, g]) else table.loc[i, "all"] for i in items]
                    for g in spec.groups]) / 100
    q = len(items)
    cov = np.full((q, q), RHO)
    np.fill_diagonal(cov, 1.0)
    rng = np.random.default_rng(seed)
    sizes = rng.multinomial(n, np.array(spec.shares) / 100)
    mvn = stats.multivariate_normal(mean=np.zeros(q), cov=cov)
    parts = []
    for g, size in enumerate(sizes):
        z = mvn.rvs(size=size, random_state=rng).reshape(size, q)
        y = (z > ndtri(1 - pct[g])).astype(np.int8)
        part = pd.DataFrame(y, columns=items)
        part.insert(0, "group", spec.groups[g])
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def simsurvey_run(n: int, mode: str, model: str = "calibrated", seed: int = 1) -> pd.DataFrame:
    from simsurvey import generate

    return generate(SURVEY, n=n, seed=seed, mode=mode, model=model, progress=False)


METHODS = {
    "simsurvey exact (calibrated)": lambda n: simsurvey_run(n, "exact"),
    "simsurvey sampled (calibrated)": lambda n: simsurvey_run(n, "sampled"),
    "simsurvey exact (latent)": lambda n: simsurvey_run(n, "exact", "latent"),
    "naive scipy multivariate_normal": naive,
}


def best_time(fn, n: int, repeat: int) -> tuple[float, tuple[int, int]]:
    best, shape = np.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        frame = fn(n)
        best = min(best, time.perf_counter() - start)
        shape = frame.shape
        del frame
    return best, shape


_CHILD = """
import json, sys
sys.path.insert(0, {here!r})
import bench_generate as b
import simsurvey, scipy.stats, pandas  # imports are part of the baseline
before = b.high_water_mb()
b.METHODS[{name!r}]({n})
print(json.dumps([before, b.high_water_mb()]))
"""


def high_water_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux /proc; ru_maxrss elsewhere)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_memory(name: str, n: int) -> tuple[float, float]:
    """(baseline after imports, peak) resident memory in MB of a fresh process running one method."""
    here = str(__import__("pathlib").Path(__file__).resolve().parent)
    out = subprocess.run([sys.executable, "-c", _CHILD.format(here=here, name=name, n=n)], check=True,
                         capture_output=True, text=True)
    before, after = json.loads(out.stdout.strip().splitlines()[-1])
    return before, after


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    simsurvey_run(1000, "sampled")  # warm up imports and caches outside the timings
    naive(1000)
    rows = []
    for name, fn in METHODS.items():
        seconds, shape = best_time(fn, args.n, args.repeat)
        base, peak = peak_memory(name, args.n)
        rows.append(dict(method=name, rows=shape[0], columns=shape[1], seconds=round(seconds, 2),
                         baseline_mb=round(base), peak_mb=round(peak), added_mb=round(peak - base)))
    table = pd.DataFrame(rows)
    ref = table.loc[table["method"].str.startswith("naive"), "seconds"].iloc[0]
    table["naive_over_this"] = (ref / table["seconds"]).round(2)
    print(f"{args.n:,} respondents, survey {SURVEY}, rho {RHO}; best of {args.repeat}; "
          f"peak memory = high-water mark of a fresh process")
    print(table.to_string(index=False))
    main_row = table.iloc[0]
    ok = main_row["seconds"] < 5 and main_row["peak_mb"] < 1024
    print(f"target (exact, calibrated): < 5 s and < 1024 MB peak -> {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
