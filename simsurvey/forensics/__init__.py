"""Stage 2, rounding forensics: what the printed numbers can come from, and what that proves.

The arithmetic ladder, for numbers outside a catalogue (one printed number at a time),
is re-exported here; ``simsurvey.check`` maps it over a whole catalogue.
"""
from simsurvey.forensics.groupsizes import count_range, group_sizes
from simsurvey.forensics.mixtures import inverse_share_bounds, mixture_bounds, mixture_feasible
from simsurvey.forensics.ratios import implied_pcts, ratio_bounds, ratio_feasible, ratio_possible
from simsurvey.forensics.restated import same_value_possible
from simsurvey.forensics.rounding_intervals import Interval, printed_interval, ratio_interval
from simsurvey.forensics.scrambled import assignments

__all__ = ["Interval", "printed_interval", "ratio_interval", "group_sizes", "count_range",
           "ratio_bounds", "ratio_possible", "ratio_feasible", "implied_pcts",
           "mixture_bounds", "mixture_feasible", "inverse_share_bounds", "assignments", "same_value_possible"]
