"""generate() as a run of named steps: the options object mirrors its keywords, each step is checked."""
import dataclasses
import inspect

import numpy as np
import pytest

from simsurvey import generate, resolve
from simsurvey.synth.answers import group_codes
from simsurvey.synth.options import GenerateOptions, survey_inputs

SOS = "sos-smb-2016"


def test_options_carry_exactly_generates_keywords_with_the_same_defaults():
    params = inspect.signature(generate).parameters
    knobs = {k: p.default for k, p in params.items() if k not in ("survey", "n", "seed", "catalog")}
    fields = {f.name: f.default for f in dataclasses.fields(GenerateOptions)}
    assert fields == knobs


@pytest.mark.parametrize("kwargs, message", [
    (dict(model="tree"), "model must be one of calibrated, latent, got 'tree'"),
    (dict(mode="exactly"), "mode must be one of exact, sampled"),
    (dict(rule="up"), "rule must be one of half_up, half_even, any"),
    (dict(on_infeasible="ignore"), "on_infeasible must be one of raise, nearest"),
    (dict(model="latent", rho=0.2), "rho applies to model='calibrated'"),
    (dict(likert=1), "likert must be True or False"),
    (dict(employees_tier_rho=True), "employees_tier_rho must be a number in"),
    (dict(employees_tier_rho=-1.0), "employees_tier_rho must be a number in"),
])
def test_options_name_the_bad_argument(kwargs, message):
    with pytest.raises(ValueError, match=message):
        GenerateOptions(**kwargs)


def test_survey_inputs_use_what_resolve_proved_only_where_it_applies():
    r = resolve(SOS)
    assert survey_inputs(r, None, None, GenerateOptions()).proven_sizes == (90, 415, 281)
    # another n, or the caller's shares: the sizes must be chosen again
    assert survey_inputs(r, 2000, None, GenerateOptions()).proven_sizes is None
    shares = {"high": 0.2, "moderate": 0.5, "under": 0.3}
    inp = survey_inputs(r, None, None, GenerateOptions(shares=shares))
    assert inp.proven_sizes is None and inp.shares_pct.tolist() == [20.0, 50.0, 30.0]


def test_exact_group_codes_are_a_shuffle_of_the_sizes():
    codes, theta = group_codes(786, [11.0, 53.0, 36.0], np.random.SeedSequence(3), sizes=[90, 415, 281])
    assert np.bincount(codes).tolist() == [90, 415, 281] and theta is None
    assert codes.dtype == np.int8 and not np.all(np.diff(codes) >= 0)  # shuffled, not sorted


def test_an_id_and_its_resolved_survey_give_the_same_frame():
    a, b = generate(SOS, seed=5, likert=True), generate(resolve(SOS), seed=5, likert=True)
    assert a.equals(b) and a.attrs == b.attrs
