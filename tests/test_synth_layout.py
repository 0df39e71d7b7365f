"""The synth stage in small rooms: count choice has one home, functions and modules stay small."""
import ast
import pathlib

import numpy as np

import simsurvey
from simsurvey import fit_latent, generate
from simsurvey.synth import exact
from simsurvey.synth.design import design

SYNTH = pathlib.Path(simsurvey.__file__).parent / "synth"


def _body_lengths(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            has_doc = len(body) > 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
            yield node.name, node.end_lineno - (body[1] if has_doc else body[0]).lineno + 1


def test_no_synth_function_body_over_80_lines_and_no_module_over_400():
    files = sorted(SYNTH.rglob("*.py"))
    assert len(files) >= 15  # the walk found the stage, subpackage included
    long_bodies = [(f.name, name, n) for f in files for name, n in _body_lengths(f) if n > 80]
    big = [(f.name, len(f.read_text().splitlines())) for f in files if len(f.read_text().splitlines()) > 400]
    assert long_bodies == [] and big == []


def test_generate_and_fit_latent_choose_sizes_in_the_same_place():
    # away from the published n nothing is proven: both choose, and must choose alike
    sizes, problems = exact.exact_sizes(design(simsurvey.survey_spec("sos-smb-2016")), 2000,
                                        [11, 53, 36], printed=True)
    df = generate("sos-smb-2016", n=2000, seed=1, employees=False, country=False)
    assert np.bincount(df["group"].cat.codes).tolist() == sizes.tolist() and problems == []
    assert fit_latent("sos-smb-2016", n=2000).sizes.tolist() == sizes.tolist()
