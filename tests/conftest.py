"""Shared fixtures: the shipped catalogue and throw-away copies of it to break."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from simsurvey.catalog.load import default_catalog_path, load_catalog

#: The source reports, where a checkout has them beside it (CI and developers do), or where
#: SIMSURVEY_SEEDS points (a git worktree elsewhere).
SEEDS = Path(os.environ.get("SIMSURVEY_SEEDS", Path(__file__).resolve().parents[1].parent / "shared" / "seeds"))


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


@pytest.fixture
def catalog_copy(tmp_path):
    """A writable copy of the shipped catalogue folder (CSV files only)."""
    folder = tmp_path / "catalog"
    folder.mkdir()
    for file in default_catalog_path().glob("*.csv"):
        shutil.copy(file, folder / file.name)
    return folder


@pytest.fixture
def seeds():
    if not SEEDS.is_dir():
        pytest.skip(f"source reports not found at {SEEDS}")
    return SEEDS
