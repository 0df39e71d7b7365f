"""Replicate weights as a file for R's ``survey::svrepdesign``, written chunk by chunk.

Memory stays within the replicate engine's budget: each chunk of replicates
goes to a temporary file of counts first (transposed to respondents x
replicates), then the table is assembled a block of respondents at a time and
written atomically (:func:`simsurvey.io.files.atomic_path`).
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from simsurvey.inference.replicates import BYTES_PER_DRAW, ReplicateWeights
from simsurvey.io.files import atomic_path, check_target

__all__ = ["write_replicates"]


def write_replicates(reps: ReplicateWeights, path: str | Path, respondent_ids=None) -> Path:
    """Write ``respondent, weight, rep1 .. repB`` (replicate weights) to a .csv or .parquet file.

    See :meth:`ReplicateWeights.to_csv`, which calls this.

    Examples
    --------
    >>> import tempfile
    >>> from simsurvey.inference.replicates import replicate_weights
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     out = write_replicates(replicate_weights(4, 3, seed=1), Path(folder) / "reps.csv")
    ...     pd.read_csv(out).columns.tolist()
    ['respondent', 'weight', 'rep1', 'rep2', 'rep3']
    """
    path = check_target(path)
    ids = np.arange(1, reps.n + 1) if respondent_ids is None else np.asarray(respondent_ids)
    if len(ids) != reps.n:
        raise ValueError(f"respondent_ids has {len(ids)} entries for {reps.n} respondents")
    with atomic_path(path) as tmp:
        with tempfile.TemporaryDirectory(prefix=f".{path.name}.", dir=path.parent) as folder:
            _assemble(_spill(reps, Path(folder)), ids, reps.base, reps.replicates, tmp, path.suffix.lower(),
                      rows=max(1, reps.budget // (BYTES_PER_DRAW * reps.replicates)))
    return path


def _spill(reps: ReplicateWeights, folder: Path) -> list[Path]:
    """Each chunk's counts, transposed to respondents x replicates, in a .npy file of its own."""
    dtype = np.min_scalar_type(reps.n)  # a count never exceeds n
    parts = []
    for start, counts in reps.chunks():
        part = folder / f"{start:012d}.npy"
        np.save(part, np.ascontiguousarray(counts.T, dtype=dtype))
        parts.append(part)
    return parts


def _assemble(parts, ids, base, replicates, target: Path, suffix: str, rows: int):
    """Write respondent blocks of the spilled chunks as one CSV or parquet table."""
    spilled = [np.load(p, mmap_mode="r") for p in parts]
    names = [f"rep{b + 1}" for b in range(replicates)]

    def blocks():
        for first in range(0, len(ids), rows):
            block = slice(first, first + rows)
            weights = np.hstack([np.asarray(s[block], dtype=float) for s in spilled]) * base[block, None]
            table = pd.DataFrame(weights, columns=names, copy=False)
            table.insert(0, "weight", base[block])
            table.insert(0, "respondent", ids[block])
            yield first, table

    if suffix == ".csv":
        with open(target, "w", encoding="utf-8", newline="") as text:
            for first, table in blocks():
                table.to_csv(text, index=False, header=first == 0, lineterminator="\n")
        return
    import pyarrow as pa
    import pyarrow.parquet as pq
    writer = None
    try:
        for _, table in blocks():
            chunk = pa.Table.from_pandas(table, preserve_index=False)
            writer = writer or pq.ParquetWriter(str(target), chunk.schema)
            writer.write_table(chunk)
    finally:
        if writer is not None:
            writer.close()
