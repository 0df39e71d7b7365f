"""Start-up: `import simsurvey` loads no heavy library; each public name loads its own module on first use."""
from __future__ import annotations

import subprocess
import sys

import pytest

import simsurvey

HEAVY = ("pandas", "scipy", "scipy.stats", "scipy.optimize", "seaborn", "matplotlib")


def _loaded_after(code: str) -> set[str]:
    """Which heavy modules a fresh interpreter holds after running ``code``."""
    probe = f"import sys\n{code}\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def test_import_loads_nothing_heavy():
    assert _loaded_after("import simsurvey") == set()


def test_check_command_needs_neither_scipy_stats_nor_plotting():
    code = ("import contextlib, io\nfrom simsurvey.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n    assert main(['check']) == 0")
    assert _loaded_after(code) & {"scipy.stats", "scipy.optimize", "seaborn", "matplotlib"} == set()


def test_bootstrap_needs_no_scipy_stats_nor_plotting():
    assert "scipy.stats" not in _loaded_after("import simsurvey\nsimsurvey.bootstrap")


@pytest.mark.parametrize("name", simsurvey.__all__)
def test_every_public_name_resolves_to_its_module(name):
    value = getattr(simsurvey, name)
    assert value.__name__ == name and name in dir(simsurvey)


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        simsurvey.nope  # noqa: B018
