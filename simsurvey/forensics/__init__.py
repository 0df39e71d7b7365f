"""Stage 2, rounding forensics: what the printed numbers can come from, and what that proves.

``check`` judges every printed number of a catalogue, and the ``ResolvedSurvey``
carries what that proves downstream; the arithmetic ladder, for numbers outside a
catalogue (one printed number at a time), is public too. The modules behind these
names are internal and may change. They load on first use. (``resolve()`` itself
is :func:`simsurvey.resolve`: here ``resolve`` names its module.)
"""
from simsurvey._lazy import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(__name__, {
    "check": "simsurvey.forensics.verdicts", "ForensicsResult": "simsurvey.forensics.verdicts",
    "ResolvedSurvey": "simsurvey.forensics.resolve",
    "Interval": "simsurvey.forensics.rounding_intervals", "printed_interval": "simsurvey.forensics.rounding_intervals",
    "ratio_interval": "simsurvey.forensics.rounding_intervals", "group_sizes": "simsurvey.forensics.groupsizes",
    "count_range": "simsurvey.forensics.groupsizes", "ratio_bounds": "simsurvey.forensics.ratios",
    "ratio_possible": "simsurvey.forensics.ratios", "ratio_feasible": "simsurvey.forensics.ratios",
    "implied_pcts": "simsurvey.forensics.ratios", "mixture_bounds": "simsurvey.forensics.mixtures",
    "mixture_feasible": "simsurvey.forensics.mixtures", "inverse_share_bounds": "simsurvey.forensics.mixtures",
    "assignments": "simsurvey.forensics.scrambled", "same_value_possible": "simsurvey.forensics.restated",
})
