"""The public surface: the top level and each stage folder's ``__all__``, pinned here on purpose.

Changing what is public is a decision, so it is a change to this file too. The
modules inside a stage folder are internal.
"""
import importlib
import inspect
import pkgutil
import types

import pytest

import simsurvey

PUBLIC = {
    "simsurvey": ["Catalog", "CatalogError", "load_catalog", "SurveySpec", "survey_spec", "check",
                  "ForensicsResult", "resolve", "ResolvedSurvey", "generate", "margin_check", "fit_latent",
                  "LatentFit", "bootstrap", "robustness_table", "coverage_study", "CoverageResult", "critique",
                  "Critique", "rake", "poststratify", "weight_summary"],
    "simsurvey.catalog": ["load_catalog", "Catalog", "CatalogError", "default_catalog_path", "ALL", "survey_spec",
                          "SurveySpec"],
    "simsurvey.forensics": ["check", "ForensicsResult", "ResolvedSurvey", "Interval", "printed_interval", "ratio_interval", "group_sizes", "count_range",
                            "ratio_bounds", "ratio_possible", "ratio_feasible", "implied_pcts", "mixture_bounds",
                            "mixture_feasible", "inverse_share_bounds", "assignments", "same_value_possible"],
    "simsurvey.synth": ["generate", "margin_check", "fit_latent", "LatentFit", "RatingAssumptions",
                        "tier_from_ratings"],
    "simsurvey.inference": ["bootstrap", "robustness_table", "sample_replicates", "METHODS", "replicate_weights",
                            "ReplicateWeights", "coverage_study", "CoverageResult", "BootstrapWarning",
                            "SkippedClaimWarning"],
    "simsurvey.weighting": ["rake", "poststratify", "weight_summary", "kish_deff", "WeightingResult",
                            "WeightingWarning", "RakingError"],
    "simsurvey.scenarios": ["evalue", "evalue_limit", "evalue_table", "EXPERIMENTS", "ExperimentResult",
                            "run_experiment", "run_grid", "halo_population", "halo_share_table",
                            "multiple_testing_table", "World", "latent_world"],
    "simsurvey.report": ["Critique", "check_ratio", "RatioCheck", "new_catalog"],
    "simsurvey.io": ["read_frame", "write_frame", "write_bytes", "check_target", "format_table"],
    "simsurvey.plots": ["forest_plot", "coverage_plot", "set_theme", "TIER_COLORS", "item_labels", "group_labels",
                        "claim_labels"],
}


def test_every_stage_folder_declares_its_public_names():
    stages = {f"simsurvey.{m.name}" for m in pkgutil.iter_modules(simsurvey.__path__) if m.ispkg and m.name != "data"}
    assert stages == set(PUBLIC) - {"simsurvey"}


@pytest.mark.parametrize("package", sorted(PUBLIC))
def test_public_surface_is_the_pinned_list(package):
    assert sorted(importlib.import_module(package).__all__) == sorted(PUBLIC[package])


@pytest.mark.parametrize("package", sorted(PUBLIC))
def test_no_module_hides_a_public_name(package):
    # importing every module of the folder must not replace a public function by a module of the same
    # name (importing a submodule sets it as an attribute of its package)
    pkg = importlib.import_module(package)
    for info in pkgutil.iter_modules(pkg.__path__):
        importlib.import_module(f"{package}.{info.name}")
    shadowed = [name for name in PUBLIC[package] if isinstance(getattr(pkg, name), types.ModuleType)]
    assert shadowed == []


@pytest.mark.parametrize("package", sorted(PUBLIC))
def test_public_functions_have_a_runnable_example(package):
    pkg = importlib.import_module(package)
    missing = []
    for name in PUBLIC[package]:
        value = getattr(pkg, name)
        assert value is not None and (getattr(value, "__module__", "") or "simsurvey").startswith("simsurvey")
        if inspect.isfunction(value) and "Examples" not in (inspect.getdoc(value) or ""):
            missing.append(name)
        if inspect.isclass(value) and not inspect.getdoc(value):
            missing.append(name)
    assert missing == []


def test_the_same_object_from_the_top_and_from_its_stage():
    from simsurvey import inference, synth

    assert simsurvey.bootstrap is inference.bootstrap and simsurvey.generate is synth.generate
    assert inference.METHODS[:4] == ("percentile", "basic", "bca", "simultaneous")
