"""Run independent simulation cells over local processes; the answer never depends on how many.

A coverage study (and a scenario grid) is many independent cells: one
simulated survey each, with its own child seed spawned from the study's seed.
:func:`map_cells` computes ``fn(shared, cell)`` for every cell, in worker
processes when that pays, and returns the results in cell order. Since each
cell carries its own seed and the results are put back in order, one worker or
eight give the same numbers.

Workers are fresh processes (``spawn``: safe with threads, the same on every
platform). ``shared`` (e.g. the population) is sent once per worker, not once
per cell. Each worker's BLAS runs one thread, so two workers on two cores do
not fight over four BLAS threads.

Interrupting a run stops its workers too: Ctrl-C (SIGINT) or SIGTERM to the
main process terminates the pool before the process ends (as the signal would
have ended it), and on Linux a worker whose parent dies anyway (SIGKILL) is
sent SIGTERM by the kernel, so no worker keeps computing for nobody.
"""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Callable, Sequence

__all__ = ["map_cells", "available_cores", "choose_workers", "in_worker"]

# below about this much work (replicates x respondents over all cells) starting processes costs more than it saves
_WORTH_A_PROCESS = 5e7
_BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")

_worker_fn: Callable | None = None
_worker_shared = None


def available_cores() -> int:
    """Cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def in_worker() -> bool:
    """Whether this process is one of :func:`map_cells`'s workers (which already keep every core busy)."""
    return _worker_fn is not None


def choose_workers(workers: int | None, work: float) -> int:
    """``workers`` checked, or the default: every core when ``work`` is big enough to pay for processes, else 1.

    Examples
    --------
    >>> choose_workers(None, work=1e6), choose_workers(3, work=1e6)
    (1, 3)
    """
    if workers is None:
        return available_cores() if work >= _WORTH_A_PROCESS else 1
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be a positive whole number or None, got {workers!r}")
    return workers


def map_cells(fn: Callable, cells: Sequence, *, shared=None, workers: int = 1, progress: bool = False,
              desc: str = "cells") -> list:
    """``[fn(shared, cell) for cell in cells]``, over ``workers`` processes, in cell order.

    Parameters
    ----------
    fn : callable
        A module-level function ``fn(shared, cell)`` (it must be importable by the workers).
    cells : sequence
        One item per independent piece of work; each should carry its own seed.
    shared : object, optional
        Read-only input every cell needs (sent once to each worker).
    workers : int
        Processes; 1 runs in this process.
    progress : bool
        A tqdm bar over the cells.
    desc : str
        The bar's label.

    Examples
    --------
    >>> import operator
    >>> map_cells(operator.add, [1, 2, 3], shared=10)
    [11, 12, 13]
    """
    bar = None
    if progress:
        from tqdm.auto import tqdm
        bar = tqdm(total=len(cells), desc=desc, unit="cell")
    try:
        if workers == 1 or len(cells) <= 1:
            out = []
            for cell in cells:
                out.append(fn(shared, cell))
                if bar is not None:
                    bar.update()
            return out
        return _in_processes(fn, cells, shared, min(workers, len(cells)), bar)
    finally:
        if bar is not None:
            bar.close()


def _in_processes(fn, cells, shared, workers, bar):
    # a few batches per worker: little messaging, yet an even finish
    size = max(1, -(-len(cells) // (workers * 8)))
    batches = [list(cells[i:i + size]) for i in range(0, len(cells), size)]
    context = multiprocessing.get_context("spawn")
    pool = None
    try:
        with _sigterm_raises():
            with _single_threaded_blas():  # the workers start during submit and inherit this environment
                pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start, initargs=(fn, shared))
                futures = [pool.submit(_run, batch) for batch in batches]
            for done in as_completed(futures):
                if bar is not None:
                    bar.update(len(done.result()))
    except BaseException as error:  # an error, Ctrl-C or SIGTERM: stop every worker now
        if pool is not None:
            _stop(pool)
        if isinstance(error, _Terminated):
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)  # end as SIGTERM would have, now that the workers are gone
        raise
    pool.shutdown()
    return [result for future in futures for result in future.result()]  # cell order, whoever finished first


def _stop(pool: ProcessPoolExecutor) -> None:
    """Terminate the pool's workers now, whatever they are computing."""
    if hasattr(pool, "terminate_workers"):  # Python 3.14
        pool.terminate_workers()
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=10)


class _Terminated(BaseException):
    """SIGTERM, raised in the main thread while workers run, so they are terminated before the process ends."""


@contextlib.contextmanager
def _sigterm_raises():
    """Turn SIGTERM into :class:`_Terminated` (only where it would kill the process outright: main thread,
    default handler; a program with its own handler keeps it)."""
    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield
        return

    def handler(signum, frame):
        raise _Terminated()

    signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


@contextlib.contextmanager
def _single_threaded_blas():
    """Workers inherit the environment when they start: one BLAS thread each, restored here afterwards."""
    saved = {name: os.environ.get(name) for name in _BLAS_THREADS}
    os.environ.update({name: "1" for name in _BLAS_THREADS})
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _start(fn, shared):
    global _worker_fn, _worker_shared
    _worker_fn, _worker_shared = fn, shared
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the main process, which ends the workers
    if sys.platform.startswith("linux"):  # the parent killed outright (SIGKILL): the kernel sends us SIGTERM
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        parent = multiprocessing.parent_process()
        if parent is not None and os.getppid() != parent.pid:  # it died before the line above
            os._exit(1)


def _run(batch):
    return [_worker_fn(_worker_shared, cell) for cell in batch]
