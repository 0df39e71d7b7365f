"""Bootstrap replicate weights: B resamples of the respondents, drawn in chunks.

Resampling respondents with replacement is the same as giving respondent ``i``
in replicate ``b`` the weight ``counts[b, i] * base_weight[i]``, where
``counts[b]`` is a multinomial draw of n over the n respondents. Every
estimate of every replicate is then a matrix product, and the replicates are
data (as in R's survey package) that can be exported and re-used.

The B x n matrix is never held whole unless asked for: :class:`ReplicateWeights`
is a recipe (sample size, replicates, seed, strata, base weights) whose
:meth:`~ReplicateWeights.chunks` draws a few replicates at a time, as many as
fit in a memory budget (:data:`DEFAULT_MEMORY_BUDGET`, overridable per call
or with the ``SIMSURVEY_MEMORY_BUDGET`` environment variable). The random
stream does not depend on the chunk size: replicate ``b`` gets the same counts
whether it is drawn alone, in a chunk of 100 or in one chunk of B, so every
result is the same whatever the budget.
"""
from __future__ import annotations

import itertools
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd

from simsurvey.inference.overlap import draw_early, drawn_ahead
from simsurvey.seeds import as_seed_sequence
from simsurvey._validation import check_n, check_weights

__all__ = ["ReplicateWeights", "replicate_weights", "DEFAULT_MEMORY_BUDGET", "BYTES_PER_DRAW", "CACHE_BYTES",
           "memory_budget"]

DEFAULT_MEMORY_BUDGET = 256 * 2**20
"""Bytes one chunk of replicates may use (256 MiB) unless a call or ``SIMSURVEY_MEMORY_BUDGET`` says otherwise."""

BYTES_PER_DRAW = 32
"""Working memory per replicate and respondent while a chunk is drawn and multiplied: the int32 draw,
the integer index and count bincount makes of it, and the float copy the matrix product reads."""

CACHE_BYTES = 8 * 2**20
"""Working memory of one chunk when the budget allows more: chunks that stay in the processor's caches are
drawn and multiplied faster than one big chunk (measured: 10,000 x 786 counts in chunks of ~300 replicates
took two thirds of the time of one chunk)."""
_MIN_ROWS = 64  # fewer replicates per chunk make the products re-read the values too often

_EXACT_FLOAT32 = 2**24  # float32 holds every whole number below this exactly


def memory_budget(budget=None) -> int:
    """The memory budget in bytes: ``budget`` if given, else ``SIMSURVEY_MEMORY_BUDGET``, else the default.

    ``budget`` may be a number of bytes or a string such as ``"512MB"`` or ``"2GiB"``.

    Examples
    --------
    >>> memory_budget("64MB"), memory_budget(1_000_000)
    (64000000, 1000000)
    """
    if budget is None:
        budget = os.environ.get("SIMSURVEY_MEMORY_BUDGET") or DEFAULT_MEMORY_BUDGET
    if isinstance(budget, str):
        text = budget.strip().upper().replace(" ", "")
        units = {"GIB": 2**30, "MIB": 2**20, "KIB": 2**10, "GB": 10**9, "MB": 10**6, "KB": 10**3, "B": 1}
        unit = next((u for u in units if text.endswith(u)), "")
        try:
            budget = float(text[:len(text) - len(unit)]) * units.get(unit, 1)
        except ValueError:
            raise ValueError(f"memory budget must be bytes or a size such as '512MB', got {budget!r}") from None
    if isinstance(budget, bool) or not isinstance(budget, (int, float, np.integer, np.floating)) or not budget >= 1:
        raise ValueError(f"memory budget must be a positive number of bytes, got {budget!r}")
    return int(budget)


@dataclass(frozen=True)
class ReplicateWeights:
    """Bootstrap replicate weights for one sample, drawn chunk by chunk.

    Build it with :func:`replicate_weights`. Iterate :meth:`chunks` (or
    :meth:`weight_chunks`) to see the replicates a few at a time, use
    :meth:`totals` for weighted totals of every replicate, or :attr:`counts`
    / :meth:`weights` for the whole B x n matrix when it fits in memory.

    Attributes
    ----------
    n : int
        Respondents.
    replicates : int
        Replicates B.
    base : numpy.ndarray, shape (n,)
        The sample's own weights (ones when it has none).
    stratified : bool
        Whether each group was resampled separately (group sizes fixed).
    seed : int
        Entropy of the SeedSequence the counts come from (repeat the draw with it).
    budget : int
        Bytes one chunk may use; sets :attr:`chunk_size`, never the numbers.
    """

    n: int
    replicates: int
    base: np.ndarray
    stratified: bool
    seed: int
    budget: int = DEFAULT_MEMORY_BUDGET
    _sequence: np.random.SeedSequence = field(default=None, repr=False, compare=False)
    _strata: tuple = field(default=(), repr=False, compare=False)  # member indices per stratum

    @property
    def chunk_size(self) -> int:
        """Replicates per chunk: about :data:`CACHE_BYTES` of working memory (at least 64 replicates),
        never more than the memory budget allows (and at least one)."""
        per_replicate = BYTES_PER_DRAW * self.n
        cached = max(_MIN_ROWS, CACHE_BYTES // per_replicate)
        return int(max(1, min(self.replicates, cached, self.budget // per_replicate)))

    def chunks(self, chunk_size: int | None = None) -> Iterator[tuple[int, np.ndarray]]:
        """Draw the replicates chunk by chunk: yields ``(start, counts)``.

        ``counts`` is an integer array of shape ``(b, n)``: how often each
        respondent is drawn in replicates ``start .. start + b - 1`` (every row
        sums to n, or to each stratum's size within the stratum). The chunks
        cover replicates 0 .. B-1 in order, and the counts of a replicate are
        the same whatever ``chunk_size`` (default :attr:`chunk_size`): one
        random stream per stratum, read in order.

        Examples
        --------
        >>> rw = replicate_weights(4, 5, seed=1)
        >>> [(start, counts.shape) for start, counts in rw.chunks(2)]
        [(0, (2, 4)), (2, (2, 4)), (4, (1, 4))]
        >>> np.array_equal(np.vstack([c for _, c in rw.chunks(2)]), rw.counts)
        True
        """
        size = self.chunk_size if chunk_size is None else _positive_int(chunk_size, "chunk_size")
        strata = self._strata or (np.arange(self.n),)
        if len(strata) == 1:
            rngs = [np.random.default_rng(self._sequence)]
        else:  # one stream per stratum, so a chunk's draw never depends on how many replicates came before
            rngs = [np.random.default_rng(np.random.SeedSequence(self._sequence.entropy,
                                                                 spawn_key=(*self._sequence.spawn_key, k)))
                    for k in range(len(strata))]
        for start in range(0, self.replicates, size):
            b = min(size, self.replicates - start)
            yield start, _draw_counts(rngs, strata, self.n, b)

    def draw_early(self):
        """Start drawing the chunks on a helper thread now, so the draws overlap what the caller does before
        :meth:`totals` (pass the result as ``early=``; None where a helper thread does not pay). Up to eight
        small chunks are drawn ahead; a chunk near the memory budget only one."""
        small = 8 * BYTES_PER_DRAW * self.n * self.chunk_size <= self.budget
        return draw_early(self.chunks(), work=self.replicates * self.n, depth=8 if small else 1)

    def weight_chunks(self, chunk_size: int | None = None) -> Iterator[tuple[int, np.ndarray]]:
        """As :meth:`chunks`, but yields the replicate weights ``counts * base`` (float64)."""
        for start, counts in self.chunks(chunk_size):
            yield start, counts * self.base

    @property
    def counts(self) -> np.ndarray:
        """All B x n counts at once (int32, 4 bytes each): for samples where that fits; else use :meth:`chunks`."""
        out = np.empty((self.replicates, self.n), dtype=np.int32)
        for start, counts in self.chunks():
            out[start:start + len(counts)] = counts
        return out

    def weights(self) -> np.ndarray:
        """The whole B x n matrix of replicate weights ``counts * base`` (float64, 8 bytes each)."""
        return self.counts * self.base

    def totals(self, *blocks: np.ndarray, progress: bool | None = None, chunk_size: int | None = None,
               early=None) -> np.ndarray:
        """Weighted totals of each column of each block in every replicate: ``weights() @ hstack(blocks)``.

        Each chunk of counts is drawn once and multiplied by every block, so
        blocks need not be stacked into one (possibly large) matrix first.
        :meth:`chunk_totals` gives the same rows a chunk at a time.

        Parameters
        ----------
        *blocks : numpy.ndarray, shape (n, k_j)
            One column per quantity (e.g. item value times group membership).
        progress : bool, optional
            Progress bar over the chunks; default only on a terminal for big jobs.
        chunk_size : int, optional
            Replicates per chunk (default :attr:`chunk_size`); changes memory, not the result.
        early : optional
            The chunks already being drawn (:meth:`draw_early`, same ``chunk_size``).

        Returns
        -------
        numpy.ndarray, shape (B, k_1 + k_2 + ...), float64

        Notes
        -----
        Without weights (all base weights equal) and with whole-number values
        a block is multiplied in float32, exact there (every partial sum is a
        whole number below 2**24), or in float64 as it is when a float32 copy
        would not fit the budget. With weights it runs in float64
        (``(counts * base) @ block``) on fixed blocks of 16 replicates, so the
        rounding, too, is the same whatever the chunk size.

        Examples
        --------
        >>> rw = replicate_weights(3, 2, seed=1)
        >>> np.array_equal(rw.totals(np.eye(3)), rw.counts.astype(float))
        True
        """
        rows = self.chunk_totals(*blocks, progress=progress, chunk_size=chunk_size, early=early)
        first = next(rows)
        out = np.empty((self.replicates, first[1].shape[1]))
        for start, totals in itertools.chain([first], rows):
            out[start:start + len(totals)] = totals
        return out

    def chunk_totals(self, *blocks: np.ndarray, progress: bool | None = None, chunk_size: int | None = None,
                     early=None) -> Iterator[tuple[int, np.ndarray]]:
        """:meth:`totals` a few replicates at a time: yields ``(start, rows)``, the totals of replicates
        ``start .. start + len(rows) - 1``, in order (same arguments, same numbers).

        Only one chunk's totals are in memory at once: a caller that reduces
        them as they come (shares, ratios, counts) never holds B x columns.

        Examples
        --------
        >>> rw = replicate_weights(3, 5, seed=1)
        >>> [(start, rows.shape) for start, rows in rw.chunk_totals(np.eye(3), chunk_size=2)]
        [(0, (2, 3)), (2, (2, 3)), (4, (1, 3))]
        """
        rights, exact = [], []
        for values in map(np.asarray, blocks):
            if values.ndim != 2 or values.shape[0] != self.n:
                raise ValueError(f"values must have shape ({self.n}, k), got {values.shape}")
            exact.append(self._exact_in_float32(values))
            small = values.dtype == np.float32 or values.size * 4 <= self.budget  # a float32 copy fits
            rights.append(values.astype(np.float32 if exact[-1] and small else float, copy=False))
        if len(rights) > 1 and all(exact) and all(r.dtype == np.float32 for r in rights) and \
                sum(r.nbytes for r in rights) <= self.budget:
            rights, exact = [np.hstack(rights)], [True]  # exact either way: one product per chunk, not several
        columns = [slice(a, b) for a, b in itertools.pairwise(np.cumsum([0] + [r.shape[1] for r in rights]))]
        scale = self.base[0] if self.base[0] != 1 else None  # equal base weights, taken out of exact products
        with drawn_ahead(self.chunks(chunk_size), work=self.replicates * self.n, early=early) as chunks:
            chunks = self._with_progress(chunks, progress, chunk_size)
            if all(exact):  # whole-number products are exact in any order: a chunk's rows are final at once
                made = None
                for start, counts in chunks:
                    # the previous chunk's totals go to the caller before this one is multiplied: its Python
                    # work on them then runs while the helper thread draws random numbers (which release the
                    # interpreter lock), and this product while the helper counts them (which holds it)
                    if made is not None:
                        yield made
                    made = start, _products(counts, counts, rights, exact, columns, scale)
                yield made
                return
            # float64 products take fixed blocks of rows, so their rounding never depends on the chunks; the
            # blocks go to the caller about a chunk at a time
            size, done, first = chunk_size or self.chunk_size, [], 0
            for start, counts, used in _fixed_blocks(chunks, self.n):
                done.append(_products(counts, counts * self.base, rights, exact, columns, scale)[:used])
                if start + used - first >= size:
                    yield first, np.vstack(done)
                    done, first = [], start + used
            if done:
                yield first, np.vstack(done)

    def _with_progress(self, chunks, progress, chunk_size):
        """``chunks``, behind a progress bar when asked (default: on a terminal, for big jobs)."""
        if progress is None:
            progress = sys.stderr.isatty() and self.replicates * self.n > 5e7
        if not progress:
            return chunks
        from tqdm.auto import tqdm

        total = -(-self.replicates // (chunk_size or self.chunk_size))
        return tqdm(chunks, desc="bootstrap", unit="chunk", total=total)

    def _exact_in_float32(self, values: np.ndarray) -> bool:
        """Equal base weights and whole-number values whose totals stay below 2**24: float32 is exact."""
        if not np.all(self.base == self.base[0]) or values.dtype.kind not in "biuf":
            return False
        largest = 0.0
        for start in range(0, self.n, 2**16):  # by blocks: no full-size temporary for a large sample
            block = values[start:start + 2**16]
            if block.dtype.kind == "f" and not np.array_equal(block, np.trunc(block)):
                return False  # a fraction (or NaN/inf) is not exact in float32 sums
            largest = max(largest, float(np.abs(block).max(initial=0)))
        return self.n * max(1.0, largest) < _EXACT_FLOAT32

    def to_csv(self, path: str | Path, respondent_ids=None) -> Path:
        """Write the replicate weights for R's ``survey::svrepdesign``, streaming chunk by chunk.

        One row per respondent: ``respondent``, ``weight`` (the base weight),
        then ``rep1 .. repB`` holding the replicate *weights*. In R::

            reps <- read.csv("replicates.csv")
            des <- svrepdesign(data = sample, weights = ~weight,
                               repweights = reps[, -(1:2)], type = "bootstrap",
                               combined.weights = TRUE)

        Memory stays within the budget: each chunk of replicates goes to a
        temporary file of counts first, then the CSV is assembled a block of
        respondents at a time. The target is written atomically (a temporary
        file renamed over it when complete). ``.parquet`` targets are written
        the same way, one row group per block of respondents.
        """
        from simsurvey.inference.export import write_replicates

        return write_replicates(self, path, respondent_ids)


def replicate_weights(n: int, replicates: int, *, seed=None, groups=None, base=None,
                      budget=None) -> ReplicateWeights:
    """The recipe for ``replicates`` bootstrap resamples of ``n`` respondents (drawn lazily, in chunks).

    Parameters
    ----------
    n : int
        Respondents in the sample.
    replicates : int
        Number of bootstrap replicates B.
    seed : int or numpy.random.SeedSequence, optional
        Source of randomness; the same seed gives the same counts. None draws
        fresh entropy, recorded in the result's ``seed``.
    groups : array_like, optional
        One group label per respondent. When given, each group is resampled
        separately (a stratified bootstrap: group sizes stay fixed), each from
        its own child stream of ``seed``. Default: respondents are resampled
        together and the group travels with the respondent, as in the survey,
        so group sizes vary between replicates.
    base : array_like, optional
        The sample's weights (positive, finite); default ones.
    budget : int or str, optional
        Bytes one chunk of replicates may use (see :func:`memory_budget`);
        it changes memory and speed, never the numbers.

    Returns
    -------
    ReplicateWeights

    Examples
    --------
    >>> rw = replicate_weights(5, 3, seed=1)
    >>> rw.counts.shape, rw.counts.sum(axis=1).tolist()
    ((3, 5), [5, 5, 5])
    """
    n = check_n(n)  # the one check of a respondent count (simsurvey._validation)
    replicates = _positive_int(replicates, "replicates")
    seed = as_seed_sequence(seed)
    if base is None:
        base = np.ones(n)
    else:
        base = check_weights(base, n, argument="base")
    strata = ()
    if groups is not None:
        labels = np.asarray(groups)
        if labels.shape != (n,):
            raise ValueError(f"groups has shape {labels.shape}, expected ({n},)")
        codes, _ = pd.factorize(labels)  # strata in order of first appearance
        order = np.argsort(codes, kind="stable")
        strata = tuple(np.split(order, np.cumsum(np.bincount(codes))[:-1]))
    return ReplicateWeights(n=n, replicates=replicates, base=base, stratified=groups is not None,
                            seed=seed.entropy, budget=memory_budget(budget), _sequence=seed, _strata=strata)


def _draw_counts(rngs, strata, n, b):
    """Counts of one chunk of ``b`` replicates: each stratum's members drawn with replacement from its stream."""
    big = b * n >= 2**31  # flat indices must fit the integer type
    offsets = np.arange(b, dtype=np.int64 if big else np.int32)[:, None] * n
    flat = []
    for rng, members in zip(rngs, strata):
        # int32 draws read the stream 32 bits at a time with no per-call buffer, so the stream
        # does not depend on how the replicates are split into chunks (int16 draws would)
        draws = rng.integers(0, len(members), size=(b, len(members)), dtype=np.int32)
        if len(strata) > 1:
            draws = members.astype(np.int32)[draws]
        if big:
            draws = draws + offsets
        else:
            draws += offsets  # in place: no second b x n array
        flat.append(draws.ravel())
    flat = flat[0] if len(flat) == 1 else np.concatenate(flat)
    return np.bincount(flat, minlength=b * n).reshape(b, n)


_ROWS = 16  # float64 products run on exactly this many replicates at a time (see _fixed_blocks)


def _products(counts, weights, rights, exact, columns, scale):
    """One chunk's totals: ``counts @ right`` (times ``scale``) for the exact blocks (whole numbers in float32),
    ``weights @ right`` in float64 for the others."""
    out = np.empty((len(counts), columns[-1].stop))
    left = {}
    for right, whole, cols in zip(rights, exact, columns):
        if whole:
            if right.dtype not in left:
                left[right.dtype] = counts.astype(right.dtype)
            out[:, cols] = left[right.dtype] @ right
            if scale is not None:
                out[:, cols] *= scale
        else:
            out[:, cols] = weights @ right
    return out


def _fixed_blocks(chunks, n):
    """Re-cut chunks of counts into blocks of exactly ``_ROWS`` rows aligned to replicate 0: ``(start, block, used)``.

    A BLAS product's rounding can depend on how many rows it is given at once; with every float64
    product the same shape, a replicate's totals are the same whatever the chunk size. Rows past
    ``used`` in the last block are leftovers whose products are discarded (each output row depends
    only on its own input row).
    """
    block, used, first = np.zeros((_ROWS, n)), 0, 0
    for _, rows in chunks:
        at = 0
        while at < len(rows):
            take = min(_ROWS - used, len(rows) - at)
            block[used:used + take] = rows[at:at + take]
            used, at = used + take, at + take
            if used == _ROWS:
                yield first, block, used
                used, first = 0, first + _ROWS
    if used:
        yield first, block, used


def _positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive whole number, got {value!r}")
    return int(value)
