"""Scenario grids: the cartesian product of parameters x replications, run anywhere, same answer.

:func:`run_grid` calls a *cell* function once per combination of parameter
values and replication and stacks the tidy frames it returns, the cell's
parameters and ``replication`` in front. Each cell gets its own
``numpy.random.SeedSequence``, a child of the run's seed *named by the cell's
parameter values and replication* (:func:`cell_seed`), so a cell's result does
not depend on the order cells run in, on how many workers run them, or on
which other cells are in the grid. Rows come back in grid order.

Cells run in local processes by default (``workers``), or on a Dask cluster
when a ``dask.distributed.Client`` is passed (``pip install "simsurvey[dask]"``).
"""
from __future__ import annotations

import itertools
import math
import os
import sys

import pandas as pd

from simsurvey.inference.parallel import map_cells
from simsurvey.seeds import as_seed_sequence
from simsurvey.synth.copula import child_seed

__all__ = ["run_grid", "cell_seed", "grid_cells"]


def grid_cells(grid: dict, replications: int = 1) -> list[dict]:
    """Every combination of the grid's values, times each replication, in grid order.

    Examples
    --------
    >>> [tuple(c.values()) for c in grid_cells({"a": [1, 2], "b": ["x"]}, replications=2)]
    [(1, 'x', 0), (1, 'x', 1), (2, 'x', 0), (2, 'x', 1)]
    """
    if not isinstance(grid, dict) or not grid:
        raise ValueError("grid must be a non-empty dict of parameter name -> list of values")
    for name, values in grid.items():
        if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__") or len(list(values)) == 0:
            raise ValueError(f"grid[{name!r}] must be a non-empty list of values, got {values!r}")
    if isinstance(replications, bool) or not isinstance(replications, int) or replications < 1:
        raise ValueError(f"replications must be a positive whole number, got {replications!r}")
    names = list(grid)
    return [dict(zip(names, combo), replication=r)
            for combo in itertools.product(*(list(v) for v in grid.values())) for r in range(replications)]


def cell_seed(root, cell: dict):
    """The SeedSequence of one cell: a child of ``root`` named by its parameters and replication.

    Examples
    --------
    >>> a = cell_seed(7, {"strength": 1.0, "replication": 3})
    >>> a.spawn_key == cell_seed(7, {"strength": 1.0, "replication": 3}).spawn_key
    True
    >>> a.spawn_key == cell_seed(7, {"strength": 1.0, "replication": 4}).spawn_key
    False
    """
    return child_seed(as_seed_sequence(root), *(f"{k}={v!r}" for k, v in cell.items()))


def run_grid(cell, grid: dict, replications: int = 1, seed=None, *, fixed: dict | None = None,
             workers: int | None = None, client=None, progress: bool | None = None,
             chunks_per_worker: int = 4) -> pd.DataFrame:
    """Run ``cell(**params, seed=SeedSequence, **fixed)`` over a grid and stack the results.

    Parameters
    ----------
    cell : callable
        A module-level function (so processes can import it) returning a
        DataFrame (or a dict of one row).
    grid : dict
        Parameter name -> values; the cartesian product is run.
    replications : int
        Independent repetitions of every combination.
    seed : int, SeedSequence or None
        Root seed; each cell gets :func:`cell_seed`. Recorded in ``attrs``.
    fixed : dict, optional
        Keyword arguments passed unchanged to every cell (e.g. the world).
    workers : int, optional
        Local processes; default the machine's CPU count, 1 runs in this process.
    client : dask.distributed.Client, optional
        Run the cells on this Dask cluster instead (``workers`` is then ignored).
    progress : bool, optional
        Progress bar (tqdm); default only when stderr is a terminal.
    chunks_per_worker : int
        With a Dask ``client``: cells are shipped in chunks, this many per Dask
        worker; more chunks balance better, fewer cost less. Local processes
        batch the cells themselves (:func:`simsurvey.inference.parallel.map_cells`).

    Returns
    -------
    pandas.DataFrame
        The grid's parameters, ``replication``, then the cell's columns, in
        grid order. ``attrs["assumptions"]`` records the seed and grid.

    Examples
    --------
    >>> import numpy as np
    >>> out = run_grid(_demo_cell, {"mu": [0.0, 10.0]}, replications=2, seed=1, workers=1)
    >>> out.columns.tolist(), out["draw"].round(2).tolist()
    (['mu', 'replication', 'draw'], [0.06, -0.05, 9.25, 8.55])
    """
    cells = grid_cells(grid, replications)
    root = as_seed_sequence(seed)
    fixed = dict(fixed or {})
    overlap = set(fixed) & (set(grid) | {"seed", "replication"})
    if overlap:
        raise ValueError(f"fixed repeats grid parameter(s) {', '.join(sorted(overlap))}")
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise ValueError(f"workers must be a positive whole number, got {workers!r}")
    tasks = [(c, cell_seed(root, c)) for c in cells]
    if client is not None:
        size = max(1, math.ceil(len(tasks) / (len(client.nthreads()) * chunks_per_worker)))
        chunks = [tasks[i:i + size] for i in range(0, len(tasks), size)]
        bar = _bar(len(tasks), progress)
        parts = _run_dask(client, cell, chunks, fixed, bar)
        bar.close()
    else:
        # local processes: the package's one worker pool (fixed sent once per worker, one BLAS thread each,
        # Ctrl-C and SIGTERM stop every worker), results in cell order
        parts = map_cells(_run_task, tasks, shared=(cell, fixed), workers=workers or os.cpu_count() or 1,
                          progress=sys.stderr.isatty() if progress is None else progress, desc="scenario cells")
    out = pd.concat([frame for part in parts for frame in part], ignore_index=True)
    out.attrs["assumptions"] = {"seed": int(root.entropy), "grid": {k: list(v) for k, v in grid.items()},
                                "replications": replications,
                                "cell_seed": "child of the seed named by the cell's parameters and replication"}
    return out


def _run_chunk(cell, chunk, fixed):
    frames = []
    for params, ss in chunk:
        kwargs = {k: v for k, v in params.items() if k != "replication"}
        result = cell(**kwargs, seed=ss, **fixed)
        frame = pd.DataFrame([result]) if isinstance(result, dict) else result.reset_index(drop=True)
        head = pd.DataFrame({k: [v] * len(frame) for k, v in params.items()})
        frames.append(pd.concat([head, frame], axis=1))
    return frames


def _run_task(shared, task):
    cell, fixed = shared
    return _run_chunk(cell, [task], fixed)


def _run_dask(client, cell, chunks, fixed, bar):
    from distributed import as_completed as dask_completed

    shared = client.scatter(fixed, broadcast=True) if fixed else {}
    futures = [client.submit(_run_chunk_dask, cell, chunk, shared, pure=False) for chunk in chunks]
    index = {f.key: i for i, f in enumerate(futures)}
    parts = [None] * len(chunks)
    for fut in dask_completed(futures):
        i = index[fut.key]
        parts[i] = fut.result()
        bar.update(len(chunks[i]))
    return parts


def _run_chunk_dask(cell, chunk, fixed):
    return _run_chunk(cell, chunk, fixed)


class _NoBar:
    def update(self, n):
        pass

    def close(self):
        pass


def _bar(total, progress):
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        return _NoBar()  # tqdm is not even imported (its notebook import warns without ipywidgets)
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="scenario cells", unit="cell")


def _demo_cell(mu, seed):
    """A cell for the example: one normal draw around ``mu``."""
    import numpy as np

    return {"draw": float(mu + np.random.default_rng(seed).standard_normal())}
