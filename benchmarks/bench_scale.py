"""Benchmark: how time and peak memory grow with the sample, for bootstrap and generate.

bootstrap: every sos-smb-2016 claim, every method (percentile, basic, BCa, simultaneous, Katz,
Koopman, MOVER-Wilson), on a sampled synthetic sample of n respondents:

    n = 786 and 20,000 with B = 10,000;  n = 200,000 with B = 2,000;  n = 1,000,000 with B = 1,000

generate: 1,000,000 and 10,000,000 respondents (mode="sampled").

Each row runs in a fresh process. For bootstrap, the sample is generated first, then the
kernel's peak-memory mark is reset (Linux ``/proc/self/clear_refs``) so ``peak_mb`` is the
process's resident peak *during the bootstrap* (interpreter, libraries and the sample
included); ``resident_before_mb`` is what was resident when it started. For generate, the peak
covers the whole run after the imports. The default memory budget applies (256 MiB per chunk of
replicates; ``SIMSURVEY_MEMORY_BUDGET`` changes it). Targets: 200,000 x 2,000 under 1 GB peak;
1,000,000 x 1,000 under 2 GB.

Run it when the machine is quiet (it allocates gigabytes; it is not part of the test suite):

    python benchmarks/bench_scale.py [--skip-10m]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys

import pandas as pd

SURVEY = "sos-smb-2016"
BOOTSTRAP_CASES = [(786, 10_000), (20_000, 10_000), (200_000, 2_000), (1_000_000, 1_000)]
GENERATE_CASES = [1_000_000, 10_000_000]
TARGETS_MB = {(200_000, 2_000): 1024, (1_000_000, 1_000): 2048}

_CHILD = r"""
import gc, json, time, warnings
warnings.simplefilter("ignore")

def status(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024

def reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False

import simsurvey as ss
kind, n, b = {kind!r}, {n}, {b}
if kind == "bootstrap":
    sample = ss.generate({survey!r}, n=n, mode="sampled", seed=1, progress=False)
    ss.bootstrap(sample.iloc[:786], {survey!r}, replicates=100, seed=1)  # load the modules first
    gc.collect()
    exact = reset_peak()
    before = status("VmRSS")
    start = time.perf_counter()
    res = ss.bootstrap(sample, {survey!r}, replicates=b, seed=2, progress=False)
    seconds = time.perf_counter() - start
    rows = len(res)
else:
    ss.generate({survey!r}, n=1000, mode="sampled", seed=1, progress=False)  # load the modules first
    gc.collect()
    exact = reset_peak()
    before = status("VmRSS")
    start = time.perf_counter()
    rows = len(ss.generate({survey!r}, n=n, mode="sampled", seed=1, progress=False))
    seconds = time.perf_counter() - start
print(json.dumps(dict(seconds=seconds, before=before, peak=status("VmHWM"), rows=rows, exact=exact)))
"""


def run(kind: str, n: int, b: int = 0) -> dict:
    code = _CHILD.format(kind=kind, n=n, b=b, survey=SURVEY)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if done.returncode != 0:
        return dict(seconds=float("nan"), before=float("nan"), peak=float("nan"), rows=0, exact=False,
                    error=done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-10m", action="store_true", help="leave out generating 10,000,000 respondents")
    args = parser.parse_args()

    rows = []
    for n, b in BOOTSTRAP_CASES:
        out = run("bootstrap", n, b)
        target = TARGETS_MB.get((n, b))
        rows.append(dict(job="bootstrap, all claims, all methods", n=n, replicates=b, seconds=round(out["seconds"], 2),
                         resident_before_mb=round(out["before"]), peak_mb=round(out["peak"]),
                         target_mb=target or "",
                         met="" if target is None else ("yes" if out["peak"] < target else "NO"),
                         note=out.get("error", "" if out["exact"] else "peak since start (no clear_refs)")))
    for n in GENERATE_CASES[: 1 if args.skip_10m else None]:
        out = run("generate", n)
        rows.append(dict(job="generate, mode=sampled", n=n, replicates="", seconds=round(out["seconds"], 2),
                         resident_before_mb=round(out["before"]), peak_mb=round(out["peak"]), target_mb="",
                         met="", note=out.get("error", "" if out["exact"] else "peak since start (no clear_refs)")))
    table = pd.DataFrame(rows)
    print(f"survey {SURVEY}; each row a fresh process; peak_mb = resident peak during the job")
    print(table.to_string(index=False))


if __name__ == "__main__":
    main()
