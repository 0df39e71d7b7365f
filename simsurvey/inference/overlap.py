"""Draw the next chunk of replicates on a second thread while this one multiplies the last.

Drawing the replicate counts is one random stream read in order, so it runs
on one core; the matrix products that turn counts into totals can run beside
it. :func:`drawn_ahead` moves the drawing to a helper thread, one chunk ahead
of the caller, while the caller's BLAS runs on one thread (threadpoolctl), so
the two keep one core each instead of fighting over both. The chunks arrive
in the same order with the same counts, so every number is unchanged.

BLAS is held to one thread even without the helper thread: the products of
cache-sized chunks are too small to share, and on a busy machine a second BLAS
thread waiting for a core made them several times slower (measured: 10,000 x
786 counts times 92 cells took 18 ms on one thread, 60-600 ms on two while
other processes ran).

It is used only where it pays: a second core this process may use, work big
enough to pay for a thread, threadpoolctl installed, and not inside a worker
process of :mod:`simsurvey.inference.parallel` (whose workers already keep
every core busy).
"""
from __future__ import annotations

import contextlib
from concurrent.futures import ThreadPoolExecutor
from typing import Iterator

__all__ = ["drawn_ahead", "WORTH_A_THREAD"]

WORTH_A_THREAD = 2e6
"""Replicates x respondents below which a helper thread costs more than it saves."""

_controller = None


@contextlib.contextmanager
def drawn_ahead(chunks: Iterator, work: float) -> Iterator:
    """``chunks``, each drawn on a helper thread while the caller uses the one before (when that pays).

    Examples
    --------
    >>> with drawn_ahead(iter(range(3)), work=1e9) as items:
    ...     list(items)
    [0, 1, 2]
    """
    blas = _one_blas_thread()  # BLAS threads only slow these small products down, helper thread or not
    with blas if blas is not None else contextlib.nullcontext():
        if blas is None or work < WORTH_A_THREAD or not _second_core():
            yield chunks
            return
        with ThreadPoolExecutor(1, thread_name_prefix="simsurvey-draw") as pool:
            yield _ahead(chunks, pool)


def _ahead(chunks: Iterator, pool: ThreadPoolExecutor) -> Iterator:
    # one draw in flight at a time, each started after the one before returned: the stream is read in order
    pending = pool.submit(next, chunks, _END)
    while (item := pending.result()) is not _END:
        pending = pool.submit(next, chunks, _END)
        yield item


_END = object()


def _second_core() -> bool:
    from simsurvey.inference.parallel import available_cores, in_worker

    return available_cores() > 1 and not in_worker()


def _one_blas_thread():
    """A context holding BLAS to one thread, or None without threadpoolctl (then nothing is overlapped)."""
    global _controller
    if _controller is None:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:
            return None
        _controller = ThreadpoolController()
    return _controller.limit(limits=1, user_api="blas")
