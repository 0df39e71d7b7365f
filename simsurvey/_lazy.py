"""Public names that load on first use (PEP 562), shared by the package and its stage folders.

``import simsurvey`` and ``simsurvey check`` stay light because a stage's
modules (and pandas, scipy, matplotlib behind them) load only when one of its
names is first read.
"""
from __future__ import annotations

import importlib
import sys


def lazy_exports(package: str, exports: dict[str, str]):
    """``(__all__, __getattr__, __dir__)`` for a package whose public names live in its modules.

    Parameters
    ----------
    package : str
        The package's dotted name.
    exports : dict
        Public name -> dotted name of the module that defines it.

    Examples
    --------
    >>> names, getattr_, _ = lazy_exports("demo", {"sqrt": "math"})
    >>> names, getattr_("sqrt")(9.0)
    (['sqrt'], 3.0)
    """
    def __getattr__(name: str):
        home = exports.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home), name)
        if package in sys.modules:
            vars(sys.modules[package])[name] = value  # later look-ups skip this function
        return value

    def __dir__():
        own = vars(sys.modules[package]) if package in sys.modules else {}
        return sorted(set(own) | set(exports))

    return list(exports), __getattr__, __dir__
