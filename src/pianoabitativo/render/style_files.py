"""The files that give each output format the plan's look, written once per plan by the report's style
rule into report/gen/<plan>/ and named in the .qmd (formats.py says which format needs which): the
running headers (Typst, HTML), the reference.docx, the stylesheet. Also the package files staged
beside the document for both engines (the Typst `article` partial, the quotes filter), with the
plan's colours and fonts filled in (look.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pianoabitativo import look
from pianoabitativo.core.files import package_file, write_bytes_atomically

from .formats import OUTPUT_FORMATS
from .header import DRAFT_LINE, header_html, header_typst
from .reference_docx import reference_docx_bytes

STYLESHEET = package_file("assets", "piano.css")
TYPST_PARTIAL = package_file("assets", "typst-template.typ")
QUOTES_FILTER = package_file("assets", "quotes.lua")  # «…» in HTML and DOCX, for Quarto too


def filled_asset(path: Path) -> bytes:
    """A package asset with the plan's colours and fonts put in place of its {{name}}s (look.py)."""
    return look.filled(path.read_text(encoding="utf-8")).encode("utf-8")


def stylesheet() -> bytes:
    """assets/piano.css as the HTML uses it (for `format: html: css:`, so Quarto uses it too)."""
    return filled_asset(STYLESHEET)


def typst_partial() -> bytes:
    """assets/typst-template.typ as both engines use it (for `format: typst: template-partials:`; the
    file name must stay typst-template.typ, the only names Quarto accepts are its own partials')."""
    return filled_asset(TYPST_PARTIAL)


# Each file of a format's `style_files`: its bytes from the running header's lines (ambito left,
# capofila right) and whether the plan is a draft (then BOZZA on every page).
StyleFile = Callable[[list[str], list[str], bool], bytes]
STYLE_FILES: dict[str, StyleFile] = {
    "header.typ": lambda left, right, draft: header_typst(left, right, draft).encode("utf-8"),
    "header.html": lambda left, right, draft: header_html(left, right, draft).encode("utf-8"),
    "reference.docx": lambda left, right, draft: reference_docx_bytes(
        left, right, DRAFT_LINE.upper() if draft else None
    ),
    "piano.css": lambda left, right, draft: stylesheet(),
}
# The package files staged beside every document (scripts/render_document.py), as they are staged.
STAGED_FILES: dict[str, Callable[[], bytes]] = {
    TYPST_PARTIAL.name: typst_partial,
    QUOTES_FILTER.name: QUOTES_FILTER.read_bytes,
}


def style_file_names() -> list[str]:
    """Every format's style files, in the table's order (the style rule's outputs)."""
    return [name for fmt in OUTPUT_FORMATS for name in fmt.style_files]


def header_lines(ambito: dict) -> tuple[list[str], list[str]]:
    """The running header's lines from the plan's `ambito`: its name word by word on the left
    («Ambito / Distrettuale / Cremasco», as on the plan's letterhead), the capofila and its role right."""
    left = ambito["name"].split(" ")
    right = [ambito["capofila"]] + ambito["capofila_role"].replace(" per ", "\nper ").split("\n")
    return left, right


def write_style_file(name: str, path: Path, left_lines: list[str], right_lines: list[str], draft: bool = False) -> None:
    """Write the style file `name` (a key of STYLE_FILES) to `path`; byte-identical on every run."""
    write_bytes_atomically(path, STYLE_FILES[name](left_lines, right_lines, draft))
