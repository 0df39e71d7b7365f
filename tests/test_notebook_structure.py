"""Every notebook is teaching material: a question, objectives, a conclusion, exercises.

The checks read the stored notebooks as JSON (nbval runs them separately): they hold the
shape a teacher relies on, not the numbers, which nbval compares.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))
MAX_TABLE_ROWS = 15  # "at most about 15 rows of any table"; longer ones go to a CSV or a scrollable view


def _cells(path):
    nb = json.loads(path.read_text())
    return [(c["cell_type"], "".join(c["source"]), c.get("outputs", [])) for c in nb["cells"]]


def _markdown(cells):
    return [src for kind, src, _ in cells if kind == "markdown"]


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 4


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_opens_with_a_question_and_objectives(path):
    first = _markdown(_cells(path))[0]
    assert "?" in first, f"{path.name}: the first cell should ask the question the notebook answers"
    objectives = re.search(r"#+ *Learning objectives\s*\n((?:\s*[-*\d].*\n?)+)", first)
    assert objectives, f"{path.name}: the first cell should list learning objectives"
    bullets = [line for line in objectives.group(1).splitlines() if line.strip()]
    assert 2 <= len(bullets) <= 4, f"{path.name}: {len(bullets)} learning objectives, want 2-4"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_ends_with_a_conclusion_and_exercises_with_solutions(path):
    cells = _cells(path)
    assert any(re.match(r"#+ *Conclusion", src) for src in _markdown(cells)), f"{path.name}: no Conclusion section"
    exercises = [i for i, (kind, src, _) in enumerate(cells) if kind == "markdown" and re.match(r"#+ *Exercise", src)]
    assert 2 <= len(exercises) <= 3, f"{path.name}: {len(exercises)} exercises, want 2-3"
    headings = sum(len(re.findall(r"^#+ *Exercise", src, re.M)) for src in _markdown(cells))
    assert headings == len(exercises), f"{path.name}: every exercise should open its own cell, then its solution"
    for i in exercises:
        after = [c for c in cells[i + 1:] if c[0] == "code"]
        assert after and after[0][1].lstrip().startswith("# Solution"), \
            f"{path.name}: exercise at cell {i} has no '# Solution' code cell after it"
        assert after[0][2], f"{path.name}: the solution after cell {i} has no stored output for nbval to check"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_links_the_glossary_and_uses_the_theme(path):
    text = "\n".join(src for _, src, _ in _cells(path))
    assert "../docs/glossary.md" in text, f"{path.name}: no link to the glossary"
    code = "\n".join(src for kind, src, _ in _cells(path) if kind == "code")
    if re.search(r"\b(sns|plt|ax)\.|_plot\(", code):
        assert "set_theme()" in code and "sns.set_theme" not in code, \
            f"{path.name}: draws figures, so it should call simsurvey.plots.set_theme() (and no theme of its own)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_silenced_warnings(path):
    code = "\n".join(src for kind, src, _ in _cells(path) if kind == "code")
    assert not re.search(r"simplefilter\(\s*['\"]ignore['\"]\s*\)", code), \
        f"{path.name}: silences every warning; filter the one you mean and say why in the text"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_tables_show_at_most_15_rows(path):
    for i, (kind, _, outputs) in enumerate(_cells(path)):
        for out in outputs:
            html = out.get("data", {}).get("text/html")
            if not html:
                continue
            html = "".join(html)
            if "<table" not in html or "overflow" in html:  # a scrollable view may hold more
                continue
            body = html.split("<tbody>", 1)[-1]
            rows = body.count("<tr")
            assert rows <= MAX_TABLE_ROWS, f"{path.name}: cell {i} shows a table of {rows} rows"
