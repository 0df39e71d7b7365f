"""Write a sample to ``.csv`` or ``.parquet`` atomically, and read one back.

The file is written to a temporary file in the target folder and renamed
over the target only when complete, so an interrupted or failed write never
leaves a half-written file (and never clobbers an existing one).
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pandas as pd

__all__ = ["FILE_FORMATS", "check_target", "write_frame", "read_frame"]

FILE_FORMATS = (".csv", ".parquet")


def check_target(path: str | Path) -> Path:
    """Validate an output path (extension, folder, pyarrow for parquet) before any work is done.

    Examples
    --------
    >>> check_target("sample.xlsx")
    Traceback (most recent call last):
    ...
    ValueError: out: unsupported file extension '.xlsx' of 'sample.xlsx'; use one of .csv, .parquet
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FILE_FORMATS:
        raise ValueError(f"out: unsupported file extension {path.suffix or '(none)'!r} of {str(path)!r}; "
                         f"use one of {', '.join(FILE_FORMATS)}")
    if not path.parent.is_dir():
        raise ValueError(f"out: folder {str(path.parent)!r} does not exist")
    if suffix == ".parquet":
        try:
            import pyarrow  # noqa: F401  (lazy: an optional dependency)
        except ImportError:
            raise ValueError("out: writing .parquet needs pyarrow (pip install pyarrow); "
                             "or write .csv") from None
    return path


def write_frame(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` to ``path``, format by extension (``.csv`` or ``.parquet``).

    CSV is written with ``\\n`` line ends and no index, so the same frame
    gives the same bytes. Parquet needs pyarrow (``pip install pyarrow``);
    it keeps the column types and stores ``frame.attrs`` (the assumptions).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "x.csv"
    >>> write_frame(pd.DataFrame({"a": [1, 2]}), out).read_text()
    'a\\n1\\n2\\n'
    """
    path = check_target(path)
    suffix = path.suffix.lower()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        if suffix == ".csv":
            frame.to_csv(tmp, index=False, lineterminator="\n")
        else:
            # attrs must be JSON for the parquet metadata; round-trip them to be sure
            frame = frame.copy(deep=False)
            frame.attrs = json.loads(json.dumps(frame.attrs, default=str))
            frame.to_parquet(tmp, engine="pyarrow", index=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def read_frame(path: str | Path) -> pd.DataFrame:
    """Read a sample written by :func:`write_frame` (or any CSV/parquet in that layout).

    Examples
    --------
    >>> read_frame("nowhere.csv")
    Traceback (most recent call last):
    ...
    ValueError: sample: file 'nowhere.csv' not found
    """
    path = Path(path)
    if path.suffix.lower() not in FILE_FORMATS:
        raise ValueError(f"sample: unsupported file extension {path.suffix or '(none)'!r} of {str(path)!r}; "
                         f"use one of {', '.join(FILE_FORMATS)}")
    if not path.is_file():
        raise ValueError(f"sample: file {str(path)!r} not found")
    if path.suffix.lower() == ".csv":
        return pd.read_csv(path)
    return pd.read_parquet(path)
