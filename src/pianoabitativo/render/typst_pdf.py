"""The PDF of the embedded engine: pandoc's Typst with the `article` partial pasted in, compiled by Typst
(the `typst` package) with its embedded fonts only, a fixed timestamp, tagged, to the document's
`pdf-standard`."""

from __future__ import annotations

import logging
from pathlib import Path

import typst

from .document import QmdDocument, option_paths
from .errors import RenderError, display_path
from .style_files import typst_partial as package_typst_partial

LOG = logging.getLogger(__name__)

# The line of piano.typ.template replaced by the `article` partial (typst-template.typ).
TYPST_PARTIAL_MARKER = "PIANO-TYPST-TEMPLATE"
# The only partial names Quarto (1.10.18) accepts for Typst, in its template's order; any other name fails.
QUARTO_TYPST_PARTIALS = (
    "numbering.typ",
    "definitions.typ",
    "typst-template.typ",
    "page.typ",
    "typst-show.typ",
    "notes.typ",
    "biblio.typ",
)
# The PDF standards typst 0.15 (the `typst` package) accepts, as Quarto's `pdf-standard` spells them.
TYPST_PDF_STANDARDS = (
    "1.4",
    "1.5",
    "1.6",
    "1.7",
    "2.0",
    "a-1b",
    "a-1a",
    "a-2b",
    "a-2u",
    "a-2a",
    "a-3b",
    "a-3u",
    "a-3a",
    "a-4",
    "a-4f",
    "a-4e",
    "ua-1",
)


def typst_partial(options: dict, doc: QmdDocument) -> bytes:
    """The `article` partial: the document's `template-partials` typst-template.typ, else the package's.

    The embedded engine's Typst template has Quarto's order (docs/rendering.md), so the
    same typst-template.typ gives the same title block, headings and contents page in both engines.
    """
    for path in option_paths(options, "template-partials", doc):
        if path.name not in QUARTO_TYPST_PARTIALS:
            raise RenderError(
                f"{display_path(doc.path)}: template-partials: «{path.name}» non è un partial di "
                f"Quarto per Typst (ammessi: {', '.join(QUARTO_TYPST_PARTIALS)})."
            )
        if path.name != "typst-template.typ":
            raise RenderError(
                f"{display_path(doc.path)}: template-partials: il motore integrato sostituisce solo "
                f"typst-template.typ, non «{path.name}»."
            )
        return path.read_bytes()
    return package_typst_partial()


def with_typst_partial(typst_source: bytes, partial: bytes) -> bytes:
    marker = TYPST_PARTIAL_MARKER.encode()
    return typst_source.replace(b"\n" + marker + b"\n", b"\n" + partial.rstrip(b"\n") + b"\n", 1)


def pdf_standards(options: dict, doc: QmdDocument) -> list[str]:
    """The `pdf-standard` option of the Typst format (one value or a list), checked against what Typst accepts.

    Quarto 1.9 added `pdf-standard` (schema document-pdfa.yml: `a-2b`, `a-2a`, `ua-1`, ... for Typst);
    the embedded engine passes the values to Typst, which fails if the document cannot conform.
    """
    value = options.get("pdf-standard")
    if value is None:
        return []
    values = [str(v) for v in (value if isinstance(value, list) else [value])]
    unknown = [v for v in values if v not in TYPST_PDF_STANDARDS]
    if unknown:
        raise RenderError(
            f"{display_path(doc.path)}: pdf-standard «{', '.join(unknown)}» non è uno standard PDF "
            f"che Typst sa produrre (ammessi: {', '.join(TYPST_PDF_STANDARDS)})."
        )
    return values


def compile_typst(source: bytes, root: Path, epoch: int, standards: list[str] | None = None) -> bytes:
    """PDF bytes from Typst source, with Typst's embedded fonts only and a fixed timestamp; tagged, and
    conforming to `standards` (e.g. ["a-2a", "ua-1"]) when given."""
    extra = {"pdf_standards": list(standards)} if standards else {}
    try:
        pdf, warnings = typst.compile_with_warnings(
            source, root=str(root), font_paths=[], ignore_system_fonts=True, timestamp=epoch, pdf_tags=True, **extra
        )
    except typst.TypstError as err:
        detail = "\n".join(filter(None, [err.message, getattr(err, "diagnostic", ""), *getattr(err, "hints", [])]))
        raise RenderError(f"Typst non è riuscito a comporre il PDF:\n{detail}") from None
    for warning in warnings:
        LOG.warning("typst: %s", getattr(warning, "message", warning))
    return pdf
