"""Item nonresponse and "don't know": who is left out of each percentage's base.

"Respondents were not required to rate a quality ... Data is based off
respondents who elected to rate a quality as such" (State of the Connected
Customer). Each respondent skips each item (or says "don't know") with
probability ``expit(logit(dk_rate) + strength * score)``, where ``score`` is

- ``tier``: the tier code centred on the middle tier (high -1, moderate 0,
  under +1): weaker teams skip more, whatever their answer would be;
- ``answer``: 1 for respondents whose answer would be "no", 0 for "yes":
  teams that do not do a practice say "don't know" about it.

Two bases for each percentage: ``answering`` (the skips are left out of the
base, as the report says it did) and ``everyone`` (a skip counts as not
saying yes). When skipping depends on the tier only, leaving skips out is
unbiased and counting them in scales each tier's percentage by its answer
rate; when it depends on the answer, leaving them out inflates every
percentage, most where the practice is rare (the underperformers'), so the
multipliers shrink towards 1, and counting them in scales every percentage
alike (the "yes" sayers all skip at ``dk_rate``) and leaves the ratios alone.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from simsurvey.scenarios.estimate import claim_table, streams
from simsurvey.scenarios.world import World, draw_latent

__all__ = ["NONRESPONSE_ON", "BASES", "draw_nonresponse", "nonresponse_cell"]

NONRESPONSE_ON = ("tier", "answer")
BASES = ("answering", "everyone")


def draw_nonresponse(world: World, n: int, rng: np.random.Generator, *, strength: float = 0.0, on: str = "tier",
                     dk_rate: float = 0.1):
    """A sample with a skip (don't know) mask per respondent and claim.

    Returns
    -------
    tier : numpy.ndarray of int8
    items : numpy.ndarray of int8, shape (n, claims)
        The answer each respondent would give.
    answered : numpy.ndarray of bool, shape (n, claims)

    Examples
    --------
    >>> from simsurvey.scenarios.world import latent_world
    >>> w = latent_world("sos-smb-2016")
    >>> tier, y, ans = draw_nonresponse(w, 20_000, np.random.default_rng(0), strength=1.0)
    >>> [round(float(1 - ans[tier == g].mean()), 2) for g in range(3)]  # skip rate by tier
    [0.04, 0.1, 0.23]
    """
    if on not in NONRESPONSE_ON:
        raise ValueError(f"on must be one of {', '.join(NONRESPONSE_ON)}, got {on!r}")
    if not 0 < dk_rate < 1:
        raise ValueError(f"dk_rate must be within (0, 1), got {dk_rate!r}")
    _, tier, items = draw_latent(world, n, rng)
    middle = (len(world.groups) - 1) / 2
    score = (tier[:, None] - middle) / max(middle, 1) if on == "tier" else 1.0 - items
    p_skip = expit(logit(dk_rate) + strength * np.broadcast_to(score, items.shape))
    return tier, items, rng.random(items.shape) >= p_skip


def nonresponse_cell(world: World, strength: float, seed, *, on: str = "tier", base: str = "answering",
                     dk_rate: float = 0.1, n: int = 786, replicates: int = 1000) -> pd.DataFrame:
    """One sample with skips: every claim on the chosen base beside its population value.

    Examples
    --------
    >>> from simsurvey.scenarios.world import latent_world
    >>> w = latent_world("sos-smb-2016")
    >>> out = nonresponse_cell(w, 1.0, seed=1, base="everyone", replicates=0)
    >>> round(float(out["answered"].mean()), 2)
    0.87
    """
    if base not in BASES:
        raise ValueError(f"base must be one of {', '.join(BASES)}, got {base!r}")
    rng, boot = streams(seed)
    tier, items, answered = draw_nonresponse(world, n, rng, strength=strength, on=on, dk_rate=dk_rate)
    kept = items * answered
    mask = answered if base == "answering" else None
    return claim_table(world, tier, kept, answered=mask, replicates=replicates, seed=boot,
                       extra={"truth": world.truth, "answered": answered.mean(axis=0)})
