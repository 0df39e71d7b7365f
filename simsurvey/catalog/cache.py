"""Reuse a loaded catalogue (its survey specs, resolved surveys) until its folder changes.

Reading and validating a catalogue takes a noticeable part of a second, and
every public function may load it, so a notebook calling ``bootstrap`` in a
loop paid for it on every call. Entries are keyed on the folder and on the
name, size, modification time and inode of every CSV file in it: editing,
adding, removing or replacing a file makes a new key, so a changed folder is
read again. Callers get their own copy of the tables, so changing a returned
table never changes what the next caller gets; only the package's own
read-only paths take the stored entry itself (:func:`shared`).
"""
from __future__ import annotations

import dataclasses
from collections import OrderedDict
from pathlib import Path

import pandas as pd

__all__ = ["folder_key", "get", "put", "clear", "shared", "holds"]

_SIZE = 32  # entries kept (catalogues and specs), least recently used dropped first
_ENTRIES: OrderedDict = OrderedDict()


def folder_key(folder: Path) -> tuple | None:
    """What identifies a catalogue folder's contents: its path and each CSV file's stat (None if unreadable).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.csv").write_text("x\\n1\\n")
    >>> before = folder_key(folder)
    >>> _ = (folder / "a.csv").write_text("x\\n12\\n")
    >>> before == folder_key(folder)
    False
    """
    try:
        stats = tuple((f.name, s.st_size, s.st_mtime_ns, s.st_ino)
                      for f in sorted(folder.glob("*.csv")) for s in [f.stat()])
        return str(folder.resolve()), stats
    except OSError:
        return None


def get(key, **changes):
    """A fresh copy of the entry stored under ``key`` (with ``changes`` to its fields), or None."""
    if key is None or key not in _ENTRIES:
        return None
    _ENTRIES.move_to_end(key)
    return _copy(_ENTRIES[key], **changes)


def put(key, value):
    """Store ``value`` under ``key`` (nothing when ``key`` is None) and return a copy for the caller."""
    if key is not None:
        _ENTRIES[key] = value
        while len(_ENTRIES) > _SIZE:
            _ENTRIES.popitem(last=False)
    return _copy(value)


def shared(key):
    """The entry stored under ``key`` itself, not a copy (None if absent): for the package's own readers,
    which never change it (a bootstrap in a loop then pays for no copies)."""
    if key is None or key not in _ENTRIES:
        return None
    _ENTRIES.move_to_end(key)
    return _ENTRIES[key]


def holds(value) -> bool:
    """Whether ``value`` is itself an entry (see :func:`shared`): then it never changes, and its identity
    may key other caches."""
    return any(entry is value for entry in _ENTRIES.values())


def clear() -> None:
    """Forget every entry."""
    _ENTRIES.clear()


def _copy(value, **changes):
    """A copy of a frozen dataclass with its DataFrame fields copied (the tables are small), and so on
    down any dataclass field (a resolved survey holds its spec)."""
    fields = {}
    for f in dataclasses.fields(value):
        field = getattr(value, f.name)
        if isinstance(field, pd.DataFrame):
            fields[f.name] = field.copy()
        elif dataclasses.is_dataclass(field) and not isinstance(field, type):
            fields[f.name] = _copy(field)
    return dataclasses.replace(value, **{**fields, **changes})
