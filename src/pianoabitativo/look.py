"""The plan's look, said once: the colours and fonts of the charts, the PDF (Typst), the HTML (CSS) and
the Word edition (DOCX).

Everything that shows a colour or names a font reads it here:

- charts/style.py passes `chart_rc()` to matplotlib over assets/piano.mplstyle (sizes only);
- catalogue.py colours the categories and density classes with `COLOURS` names;
- the assets assets/piano.css, assets/typst-template.typ and assets/piano.typ.template say
  `{{accent}}`, `{{font-serif}}`, ...: `filled()` puts the values in (render/style_files.py
  writes the filled copies the .qmd names, the embedded engine reads them filled);
- render/word_styles.py and render/header.py take the Word and draft colours from `word_colour()`
  and `COLOURS`.

A colour is written as each format's file has always written it (lower-case `#rrggbb` in CSS and
Typst, upper-case `RRGGBB` in Word), so the documents stay byte-identical.
"""

from __future__ import annotations

import re

COLOURS: dict[str, str] = {
    # the institutional blue: title, headings, links, the plan's notes, the first chart colour
    "accent": "#1f4e79",
    # boxed notes (Quarto's callout kinds): the frame and title, and a light fill
    "note": "#1f4e79",
    "note-fill": "#eef3f8",
    "tip": "#2e6b30",
    "tip-fill": "#eff5ef",
    "important": "#9b2226",
    "important-fill": "#f8eeee",
    "warning": "#a4570e",
    "warning-fill": "#fbf3ea",
    "caution": "#a4570e",
    "caution-fill": "#fbf3ea",
    # a draft's BOZZA line, banner and marked passages
    "draft": "#9b2226",
    "draft-fill": "#fbeaea",
    # rules and table header rows of the HTML and the Word edition (the PDF's greys are Typst lumas,
    # a shade apart: header.py, typst-template.typ)
    "rule": "#777",
    "rule-light": "#d0d0d0",
    "header-fill": "#e8e8e8",
    # charts: text, secondary text, grid lines
    "ink": "#262626",
    "muted-ink": "#595959",
    "grid": "#d9d9d9",
    "axis": "#8c8c8c",
    # charts and categories: the companions of the accent
    "pale-blue": "#a8c6e0",
    "light-blue": "#8fb4d9",
    "orange": "#c55a11",
    "light-orange": "#f4b183",
    "grey": "#7f7f7f",
    "green": "#548235",
    "ochre": "#bf9000",
    # density classes of the map, lightest first (the darkest is the accent)
    "density-low": "#d6e3f0",
    "density-mid": "#7fa7cf",
}

# The order of a chart's colours when nothing else chooses them (matplotlib's colour cycle).
CHART_CYCLE: tuple[str, ...] = ("accent", "pale-blue", "orange", "grey", "green", "ochre")

FONTS: dict[str, str] = {
    # the text of the PDF (Typst's embedded font) and the first choice of the HTML
    "font-serif": "Libertinus Serif",
    # the text of the Word edition: a serif every Word has, close in width to Libertinus Serif
    # (pandoc's reference.docx names Aptos, missing from older Word and from LibreOffice)
    "font-word": "Times New Roman",
    # code in the PDF and the HTML
    "font-mono": "DejaVu Sans Mono",
    # the charts (shipped inside matplotlib, so the same on every machine)
    "font-chart": "DejaVu Sans",
}

PLACEHOLDER = re.compile(r"\{\{([a-z-]+)\}\}")


def colour(name: str) -> str:
    """A colour as `#rrggbb`."""
    return COLOURS[name]


def word_colour(name: str) -> str:
    """A colour as WordprocessingML writes it: `RRGGBB` (`#777` -> `777777`)."""
    digits = COLOURS[name].removeprefix("#").upper()
    return "".join(d * 2 for d in digits) if len(digits) == 3 else digits


def filled(text: str) -> str:
    """`text` with each `{{name}}` replaced by the colour or font of that name; an unknown name is an error."""

    def value(match: re.Match) -> str:
        name = match.group(1)
        if name in COLOURS:
            return COLOURS[name]
        if name in FONTS:
            return FONTS[name]
        raise KeyError(f"look: no colour or font named {name!r} ({{{{{name}}}}})")

    return PLACEHOLDER.sub(value, text)


def chart_rc() -> dict:
    """matplotlib settings for the look (colours, font), applied over assets/piano.mplstyle."""
    from cycler import cycler

    ink = COLOURS["ink"]
    return {
        "font.sans-serif": [FONTS["font-chart"]],
        "text.color": ink,
        "axes.edgecolor": COLOURS["axis"],
        "axes.labelcolor": ink,
        "axes.prop_cycle": cycler("color", [COLOURS[name] for name in CHART_CYCLE]),
        "grid.color": COLOURS["grid"],
        "xtick.color": COLOURS["muted-ink"],
        "ytick.color": COLOURS["muted-ink"],
        "xtick.labelcolor": ink,
        "ytick.labelcolor": ink,
    }
