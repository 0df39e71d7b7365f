"""Timing helper shared by the benchmark scripts (run them as ``python benchmarks/<script>.py``)."""
from __future__ import annotations

import time


def best_of(repeats, fn):
    """Run ``fn`` ``repeats`` times; return the fastest wall time in seconds and the last result."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out
