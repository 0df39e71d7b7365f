"""The loaded catalogue is reused until its folder changes, and callers never share tables."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

from simsurvey.catalog import cache
from simsurvey.catalog.load import CatalogError, default_catalog_path, load_catalog
from simsurvey.catalog.spec import survey_spec


@pytest.fixture
def folder(tmp_path):
    return shutil.copytree(default_catalog_path(), tmp_path / "catalog", ignore=shutil.ignore_patterns("*.py"))


def _pct(cat, item="excel_engage_at_scale", group="high"):
    f = cat.figures
    return f.loc[(f["item"] == item) & (f["group"] == group), "pct"].iloc[0]


def test_second_load_is_a_copy_of_the_first(folder):
    first = load_catalog(folder)
    first.figures.loc[:, "pct"] = -1.0  # a caller changing its tables ...
    second = load_catalog(folder)
    assert _pct(second) == 91  # ... changes nothing for the next one
    assert second.path == folder and second.figures is not first.figures


def test_a_changed_file_is_read_again(folder):
    assert _pct(load_catalog(folder)) == 91
    figures = folder / "figures.csv"
    text = figures.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if ",excel_engage_at_scale," in line and ",high,91," in line)
    figures.write_text(text.replace(row, row.replace(",high,91,", ",high,92,")), encoding="utf-8")
    assert _pct(load_catalog(folder)) == 92


def test_a_broken_edit_is_reported_not_hidden_by_the_cache(folder):
    load_catalog(folder)
    (folder / "claims.csv").unlink()
    with pytest.raises(CatalogError, match="claims.csv: file missing"):
        load_catalog(folder)


def test_survey_spec_of_the_shipped_catalogue_is_reused_as_a_copy():
    cache.clear()
    first = survey_spec("sos-smb-2016")
    first.claims.loc[:, "printed"] = 0.0
    again = survey_spec("sos-smb-2016")
    assert len(again.claims) == 40 and (again.claims["printed"] > 0).all()
    pd.testing.assert_frame_equal(again.figures, survey_spec("sos-smb-2016", load_catalog()).figures)


def test_resolved_survey_is_reused_as_a_copy_until_the_folder_changes(folder):
    from simsurvey.forensics.resolve import resolve

    first = resolve("sos-smb-2016", folder)
    first.claims.loc[:, "printed"] = 0.0  # a caller changing its tables, the nested spec's too ...
    first.spec.figures.loc[:, "pct"] = -1.0
    again = resolve("sos-smb-2016", folder)
    assert (again.claims["printed"] > 0).all() and _pct(again.spec) == 91  # ... changes nothing for the next
    assert again.spec is not first.spec
    figures = folder / "figures.csv"
    text = figures.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if ",excel_engage_at_scale," in line and ",high,91," in line)
    figures.write_text(text.replace(row, row.replace(",high,91,", ",high,92,")), encoding="utf-8")
    assert _pct(resolve("sos-smb-2016", folder).spec) == 92  # an edited folder is resolved again
