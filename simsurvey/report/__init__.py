"""The report stage: the whole methodology critique of a report (``simsurvey critique``), its terminal views, ``check-ratio`` and ``new-catalog``.

The names below are this stage's public surface; the modules behind them are
internal and may change. They load on first use. (The critique itself is
:func:`simsurvey.critique`: here ``critique`` names its module.)
"""
from simsurvey._lazy import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(__name__, {
    "Critique": "simsurvey.report.critique",
    "check_ratio": "simsurvey.report.one_claim", "RatioCheck": "simsurvey.report.one_claim",
    "new_catalog": "simsurvey.report.template",
})
