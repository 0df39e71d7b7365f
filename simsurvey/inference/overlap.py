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

import collections
import contextlib
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Iterator

__all__ = ["drawn_ahead", "draw_early", "Ahead", "WORTH_A_THREAD"]

WORTH_A_THREAD = 2e6
"""Replicates x respondents below which a helper thread costs more than it saves."""

_controller = None


@contextlib.contextmanager
def drawn_ahead(chunks: Iterator, work: float, early: "Ahead | None" = None) -> Iterator:
    """``chunks``, each drawn on a helper thread while the caller uses the one before (when that pays).

    ``early`` is a drawing already started (:func:`draw_early`); it is used instead of ``chunks``.

    Examples
    --------
    >>> with drawn_ahead(iter(range(3)), work=1e9) as items:
    ...     list(items)
    [0, 1, 2]
    """
    blas = _one_blas_thread()  # BLAS threads only slow these small products down, helper thread or not
    with blas if blas is not None else contextlib.nullcontext():
        if early is None and (blas is None or work < WORTH_A_THREAD or not _second_core()):
            yield chunks
            return
        ahead = early if early is not None else Ahead(chunks, depth=1)
        try:
            yield iter(ahead)
        finally:
            ahead.close()


def draw_early(chunks: Iterator, work: float, depth: int) -> "Ahead | None":
    """Start drawing ``chunks`` on a helper thread now, up to ``depth`` ahead, so the draws overlap
    work the caller still has to do before it needs them (None where a helper thread does not pay)."""
    if work < WORTH_A_THREAD or not _second_core() or _one_blas_thread() is None:
        return None
    return Ahead(chunks, depth)


class Ahead:
    """The items of ``items``, drawn on one helper thread up to ``depth`` ahead of the consumer, in order."""

    def __init__(self, items: Iterator, depth: int = 1):
        self._items = items
        # the helper needs the interpreter lock between its draws; by default a busy caller keeps it for
        # 5 ms at a time, several draws' worth: hand it over sooner while the helper runs (restored on close)
        self._switch = sys.getswitchinterval()
        sys.setswitchinterval(min(self._switch, _SWITCH))
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="simsurvey-draw")
        # the single helper thread runs the submitted draws one after another: the stream is read in order
        self._pending = collections.deque(self._pool.submit(next, items, _END) for _ in range(max(1, depth)))

    def __iter__(self) -> Iterator:
        while self._pending:
            item = self._pending.popleft().result()
            if item is _END:
                break
            self._pending.append(self._pool.submit(next, self._items, _END))
            yield item
        self.close()

    def close(self) -> None:
        """Stop drawing (a draw under way finishes first)."""
        for pending in self._pending:
            pending.cancel()
        self._pending.clear()
        self._pool.shutdown(wait=True)
        if self._switch is not None:
            sys.setswitchinterval(self._switch)
            self._switch = None


_END = object()
_SWITCH = 0.0002  # seconds


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
