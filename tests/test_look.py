"""One place for the look (look.py): colours and fonts are declared there only, and every format's file
reads them (placeholders filled in, Word's spelling, the charts' settings)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pianoabitativo import catalogue, look

PACKAGE = Path(look.__file__).parent


def test_the_plan_colours_are_written_in_look_py_only():
    declared = {value.lower().removeprefix("#") for value in look.COLOURS.values() if len(value) == 7}
    found = []
    for path in PACKAGE.rglob("*"):
        if path.is_file() and path.suffix in {".py", ".css", ".typ", ".template", ".lua", ".mplstyle"}:
            if path.name == "look.py":
                continue
            text = path.read_text(encoding="utf-8").lower()
            found += [
                f"{path.name}: {hex6}" for hex6 in declared if re.search(rf"(?<![0-9a-f]){hex6}(?![0-9a-f])", text)
            ]
    assert found == []


def test_every_placeholder_of_the_assets_is_a_colour_or_font():
    for name in ("piano.css", "typst-template.typ", "piano.typ.template"):
        filled = look.filled((PACKAGE / "assets" / name).read_text(encoding="utf-8"))
        assert not look.PLACEHOLDER.search(filled), name
    assert look.filled("a {{accent}} b {{font-serif}}") == "a #1f4e79 b Libertinus Serif"
    with pytest.raises(KeyError, match="colore|colour"):
        look.filled("{{azzurro}}")


def test_each_format_reads_the_look():
    from pianoabitativo.charts import style
    from pianoabitativo.render import header, word_styles
    from pianoabitativo.render.style_files import stylesheet, typst_partial

    assert "--accent: #1f4e79;" in stylesheet().decode() and "--rule: #777;" in stylesheet().decode()
    assert '#let piano-accent = rgb("#1f4e79")' in typst_partial().decode()
    assert word_styles.ACCENT == "1F4E79" and look.word_colour("rule") == "777777"
    assert 'w:color w:val="1F4E79"' in word_styles.PLAN_STYLES["Heading1"]
    assert header.DRAFT_COLOUR == look.colour("draft") == look.colour("important")
    assert style.PLAN_BLUE == catalogue.category("e_libera").colour == catalogue.DENSITY_CLASS_COLOURS[-1]
    assert look.chart_rc()["axes.prop_cycle"].by_key()["color"][0] == look.colour("accent")
