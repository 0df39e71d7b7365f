"""Reading and writing: samples and replicate weights as files, tables as text, CSV or JSON.

The names below are this stage's public surface; the modules behind them are
internal and may change. They load on first use.
"""
from simsurvey._lazy import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(__name__, {
    "read_frame": "simsurvey.io.files", "write_frame": "simsurvey.io.files",
    "write_bytes": "simsurvey.io.files", "check_target": "simsurvey.io.files",
    "format_table": "simsurvey.io.tables",
})
