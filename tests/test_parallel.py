"""Parallel cells: the coverage study gives the same numbers on one process or several."""
from __future__ import annotations

import operator
import os
import signal
import subprocess
import sys
import time
import warnings

import numpy as np
import pandas as pd
import pytest

from simsurvey import coverage_study
from simsurvey.inference.parallel import choose_workers, map_cells


@pytest.fixture(scope="module")
def population():
    rng = np.random.default_rng(0)
    sizes = [1500, 4500, 3000]
    rates = {"excel_engage_at_scale": (0.9, 0.55, 0.16), "lead_cx_initiatives": (0.9, 0.7, 0.46)}
    frame = pd.DataFrame({"group": np.repeat(["high", "moderate", "under"], sizes)})
    for item, (a, b, c) in rates.items():
        frame[item] = (rng.random(sum(sizes)) < np.repeat([a, b, c], sizes)).astype(int)
    return frame


def test_coverage_does_not_depend_on_the_number_of_workers(population):
    kwargs = dict(surveys=10, n=300, replicates=300, seed=11, methods=["percentile", "bca", "katz"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        one = coverage_study(population, workers=1, **kwargs)
        two = coverage_study(population, workers=2, **kwargs)
    assert one.assumptions["workers"] == 1 and two.assumptions["workers"] == 2
    pd.testing.assert_frame_equal(one.by_claim, two.by_claim, check_exact=True)
    pd.testing.assert_frame_equal(one.overall, two.overall, check_exact=True)
    # every survey came back, from whichever worker ran it
    assert (one.by_claim["surveys"] == 10).all()


def test_map_cells_keeps_cell_order_across_processes():
    cells = list(range(37))
    assert map_cells(operator.mul, cells, shared=3, workers=2) == [3 * c for c in cells]


def test_default_workers_only_when_it_pays():
    assert choose_workers(None, work=1e3) == 1
    assert choose_workers(None, work=1e12) >= 1
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ValueError, match="workers must be a positive whole number or None"):
            choose_workers(bad, work=1)


@pytest.mark.parametrize("weighted", [False, True])
def test_each_simulated_survey_is_bootstrap_on_the_drawn_rows(population, weighted):
    # the study's fast path (arrays, no sample DataFrame) must give bootstrap()'s own intervals
    from simsurvey import bootstrap, resolve
    from simsurvey.inference import coverage

    if weighted:
        population = population.assign(weight=np.random.default_rng(1).uniform(0.5, 2, len(population)))
    resolved = resolve("sos-smb-2016")
    methods = ["percentile", "basic", "bca", "simultaneous", "katz", "koopman", "mover_wilson"]
    shared = coverage._population(population, resolved, resolved.claim_spec(), 300, 1000, methods, 0.95)
    cell = (4, np.random.SeedSequence(12).spawn(5)[4])
    rows, warned, skipped = coverage._one_survey(shared, cell)
    rng = np.random.default_rng(cell[1])
    draw = population.iloc[np.sort(rng.choice(len(population), size=300, replace=False))]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = bootstrap(draw, resolved, replicates=1000, seed=rng.integers(2**63), methods=methods)
    pd.testing.assert_frame_equal(rows.drop(columns="survey_draw"),
                                  expected[["claim_id", "item", "method", "low", "high"]], check_exact=True)
    assert skipped == {r["claim_id"]: r["reason"] for r in expected.attrs["skipped"]}
    assert (rows["survey_draw"] == 4).all() and len(rows) == 2 * len(methods)


_RUN = """
import os, pathlib, sys, time
from simsurvey.inference.parallel import map_cells


def busy(folder, cell):
    # a long cell, as a coverage study's: say so, then compute until stopped
    pathlib.Path(folder, f"started-{os.getpid()}").touch()
    end = time.monotonic() + 120
    while time.monotonic() < end:
        sum(range(10_000))


if __name__ == "__main__":
    map_cells(busy, list(range(8)), shared=sys.argv[1], workers=2)
"""


def _alive(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            return not any(line.startswith("State:") and "Z" in line for line in f)
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_an_interrupted_run_leaves_no_worker_running(tmp_path, signum):
    script = tmp_path / "run.py"
    script.write_text(_RUN, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script), str(tmp_path)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    workers = []
    try:
        for _ in range(1200):  # wait (up to 2 minutes on a busy machine) until both workers compute a cell
            if len(list(tmp_path.glob("started-*"))) == 2 or proc.poll() is not None:
                break
            time.sleep(0.1)
        workers = [int(p.name.split("-")[1]) for p in tmp_path.glob("started-*")]
        assert len(workers) == 2 and all(map(_alive, workers)), "the two workers never started"
        proc.send_signal(signum)
        assert proc.wait(timeout=120) == -signum  # it ends as the signal ends a process ...
        for _ in range(100):
            if not any(_alive(pid) for pid in workers):
                break
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in workers)  # ... and its workers with it
    finally:  # a failed run leaves nothing behind either
        if proc.poll() is None:
            proc.kill()
        for pid in workers + [int(p.name.split("-")[1]) for p in tmp_path.glob("started-*")]:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


class _FailsInTheWorker:
    """Pickles fine, cannot be unpickled: a worker that cannot start."""

    def __reduce__(self):
        return (_refuse, ())


def _refuse():
    raise RuntimeError("this worker cannot start")


def test_a_worker_that_cannot_start_is_an_error_not_a_hang():
    with pytest.raises(Exception):  # BrokenProcessPool or the worker's own error, in any case no hang
        map_cells(operator.add, list(range(4)), shared=_FailsInTheWorker(), workers=2)
