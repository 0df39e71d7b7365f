"""Write a sample to ``.csv`` or ``.parquet`` atomically, and read one back.

The file is written to a temporary file in the target folder and renamed
over the target only when complete, so an interrupted or failed write never
leaves a half-written file (and never clobbers an existing one). A SIGTERM
during the write removes the temporary file before the process ends, and the
finished file gets the permissions the umask gives any new file (not the
owner-only mode of a temporary file).
"""
from __future__ import annotations

import contextlib
import json
import os
import signal
import tempfile
import threading
from pathlib import Path

import pandas as pd

__all__ = ["FILE_FORMATS", "check_target", "write_frame", "write_bytes", "read_frame", "atomic_path"]

FILE_FORMATS = (".csv", ".parquet")


def check_target(path: str | Path, *, name: str = "path", formats: tuple[str, ...] = FILE_FORMATS) -> Path:
    """Validate an output path (extension, folder, pyarrow for parquet) before any work is done.

    ``name`` is how the error names the path (the CLI passes its flag, e.g. ``--out``).

    Examples
    --------
    >>> check_target("sample.xlsx", name="--out")
    Traceback (most recent call last):
    ...
    ValueError: --out: unsupported file extension '.xlsx' of 'sample.xlsx'; use one of .csv, .parquet
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in formats:
        raise ValueError(f"{name}: unsupported file extension {path.suffix or '(none)'!r} of {str(path)!r}; "
                         f"use one of {', '.join(formats)}")
    folder = path.parent
    if not folder.is_dir():
        raise ValueError(f"{name}: folder {str(folder)!r} does not exist")
    if path.is_dir():
        raise ValueError(f"{name}: {str(path)!r} is a folder, not a file")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ValueError(f"{name}: folder {str(folder)!r} is not writable")
    if suffix == ".parquet":
        try:
            import pyarrow  # noqa: F401  (lazy: an optional dependency)
        except ImportError:
            raise ValueError(f"{name}: writing .parquet needs pyarrow (pip install pyarrow); "
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
    with atomic_path(path) as tmp:
        if path.suffix.lower() == ".csv":
            frame.to_csv(tmp, index=False, lineterminator="\n")
        else:
            # attrs must be JSON for the parquet metadata; round-trip them to be sure
            frame = frame.copy(deep=False)
            frame.attrs = json.loads(json.dumps(frame.attrs, default=str))
            frame.to_parquet(tmp, engine="pyarrow", index=False)
    return path


@contextlib.contextmanager
def atomic_path(path: Path):
    """For writers that stream: yield a temporary path beside ``path``, renamed over it when the block ends.

    Same promises as :func:`write_frame`: nothing half-written is left on an
    error or a SIGTERM, and the finished file follows the umask.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> with atomic_path(out) as tmp:
    ...     _ = tmp.write_text("done")
    >>> out.read_text(), [p.name for p in out.parent.iterdir()]
    ('done', ['x.txt'])
    """
    path = Path(path)
    with _cleanup_on_sigterm() as temporary:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        temporary.append(tmp)
        os.close(fd)
        try:
            yield Path(tmp)
            os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def write_bytes(data: bytes | str, path: str | Path) -> Path:
    """Write ``data`` (text is UTF-8 encoded) to ``path`` through :func:`atomic_path`.

    For the files a report writes beside its tables (HTML, Markdown, PNG);
    the folder must exist.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "x.md"
    >>> write_bytes("# title\\n", out).read_text()
    '# title\\n'
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise ValueError(f"path: folder {str(path.parent)!r} does not exist")
    with atomic_path(path) as tmp:
        tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else bytes(data))
    return path


def read_frame(path: str | Path, *, name: str = "sample") -> pd.DataFrame:
    """Read a sample written by :func:`write_frame` (or any CSV/parquet in that layout).

    Any failure to read is a ``ValueError`` naming the file (``name`` is how
    the message names the argument; the CLI passes ``--sample``).

    Examples
    --------
    >>> read_frame("nowhere.csv")
    Traceback (most recent call last):
    ...
    ValueError: sample: file 'nowhere.csv' not found
    """
    path = Path(path)
    if path.suffix.lower() not in FILE_FORMATS:
        raise ValueError(f"{name}: unsupported file extension {path.suffix or '(none)'!r} of {str(path)!r}; "
                         f"use one of {', '.join(FILE_FORMATS)}")
    if not path.is_file():
        raise ValueError(f"{name}: file {str(path)!r} not found")
    try:
        if path.suffix.lower() == ".csv":
            return pd.read_csv(path)
        return pd.read_parquet(path)
    except ImportError:
        raise ValueError(f"{name}: reading {str(path)!r} needs pyarrow (pip install pyarrow)") from None
    except Exception as err:  # a parser's message alone does not say which file it was reading
        detail = " ".join(str(err).split()) or type(err).__name__
        raise ValueError(f"{name}: cannot read {str(path)!r}: {detail}") from None


def _umask() -> int:
    """The process umask, read without changing it where the system allows (Linux /proc)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)  # elsewhere: set and restore (the only portable way to read it)
    os.umask(mask)
    return mask


class _Terminated(BaseException):
    """Raised by the temporary SIGTERM handler so ``finally`` and ``except`` clauses run."""


@contextlib.contextmanager
def _cleanup_on_sigterm():
    """While writing, turn a SIGTERM into an exception, remove the temporary file, then die of SIGTERM.

    Only where SIGTERM would otherwise kill the process outright (default
    handler, main thread): a program with its own handler keeps it.
    """
    temporary: list[str] = []
    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield temporary
        return

    def handler(signum, frame):
        raise _Terminated()

    signal.signal(signal.SIGTERM, handler)
    try:
        yield temporary
    except _Terminated:
        for tmp in temporary:
            Path(tmp).unlink(missing_ok=True)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)  # end as SIGTERM would have, now that nothing is left behind
        raise
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
