"""The reference.docx of the plan's Word edition (pandoc's and Quarto's `reference-doc`): pandoc's own,
with the plan's styles (word_styles.py), a page header (the ambito, the capofila; a draft's BOZZA line)
and footer (page numbers) on A4; and the reference the embedded engine uses for a document that names none."""

from __future__ import annotations

import re
import subprocess
from xml.sax.saxutils import escape as xml_escape

import pypandoc

from pianoabitativo import look

from .errors import RenderError
from .word_styles import DATA_TABLE_STYLE, PLAN_STYLES, callout_styles, with_body_size, with_styles
from .word_zip import deterministic_zip, zip_members

WORD_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
RELATIONSHIP_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DRAFT_COLOUR = look.word_colour("draft")
RULE_COLOUR = look.word_colour("rule")
HEADER_ID, FOOTER_ID = "rIdPianoHeader", "rIdPianoFooter"
A4_SECTION = (
    '<w:pgSz w:w="11906" w:h="16838"/>'
    '<w:pgMar w:top="1701" w:right="1417" w:bottom="1417" w:left="1417" w:header="567" '
    'w:footer="567" w:gutter="0"/>'
)


def pandoc_default_reference_docx() -> bytes:
    """pandoc's built-in reference.docx (`pandoc --print-default-data-file reference.docx`)."""
    result = subprocess.run(
        [pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"], capture_output=True
    )
    if result.returncode != 0:
        raise RenderError(
            "pandoc non ha fornito il reference.docx predefinito: " + result.stderr.decode("utf-8", "replace").strip()
        )
    return result.stdout


def with_callout_styles(docx: bytes) -> bytes:
    """The reference document with the callout table styles added where missing."""
    members = zip_members(docx)
    styles = members["word/styles.xml"].decode("utf-8")
    members["word/styles.xml"] = with_styles(styles, callout_styles(), replace=False).encode("utf-8")
    return deterministic_zip(members)


def word_paragraph(text: str, bold: bool, size_half_points: int, align: str) -> str:
    """One header line as a WordprocessingML paragraph with no spacing around it."""
    size = f'<w:sz w:val="{size_half_points}"/><w:szCs w:val="{size_half_points}"/>'
    run_props = ("<w:b/><w:bCs/>" if bold else "") + size
    return (
        f'<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
        f'<w:jc w:val="{align}"/></w:pPr><w:r><w:rPr>{run_props}</w:rPr>'
        f'<w:t xml:space="preserve">{xml_escape(text)}</w:t></w:r></w:p>'
    )


def word_draft_paragraph(text: str) -> str:
    """A draft's line at the top of the page header: bold, dark red, centred."""
    return (
        f'<w:p><w:pPr><w:spacing w:before="0" w:after="60"/><w:jc w:val="center"/></w:pPr><w:r><w:rPr>'
        f'<w:b/><w:bCs/><w:color w:val="{DRAFT_COLOUR}"/><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>'
        f'<w:t xml:space="preserve">{xml_escape(text)}</w:t></w:r></w:p>'
    )


def word_header_xml(left_lines: list[str], right_lines: list[str], draft_line: str | None = None) -> str:
    """A page header: left lines in bold, right lines small and right-aligned, a thin rule below; a draft's
    line (BOZZA) above them."""
    left = "".join(word_paragraph(line, True, 18, "left") for line in left_lines or [""])
    right = "".join(word_paragraph(line, False, 15, "right") for line in right_lines or [""])
    cell_props = '<w:tcPr><w:tcW w:w="2500" w:type="pct"/><w:vAlign w:val="bottom"/></w:tcPr>'
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:hdr {WORD_NS}>{word_draft_paragraph(draft_line) if draft_line else ""}<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/>'
        f'<w:tblBorders><w:bottom w:val="single" w:sz="4" w:space="0" w:color="{RULE_COLOUR}"/></w:tblBorders>'
        '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:bottom w:w="60" '
        'w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="0000"/></w:tblPr>'
        '<w:tblGrid><w:gridCol w:w="4536"/><w:gridCol w:w="4536"/></w:tblGrid><w:tr>'
        f"<w:tc>{cell_props}{left}</w:tc><w:tc>{cell_props}{right}</w:tc></w:tr></w:tbl>"
        '<w:p><w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr></w:p></w:hdr>'
    )


def word_footer_xml() -> str:
    """A page footer with the page number, centred."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:ftr {WORD_NS}><w:p><w:pPr><w:spacing w:before="0" w:after="0"/><w:jc w:val="center"/></w:pPr>'
        '<w:fldSimple w:instr=" PAGE "><w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t>1</w:t></w:r></w:fldSimple>'
        "</w:p></w:ftr>"
    )


def with_relationship(rels_xml: str, rel_id: str, kind: str, target: str) -> str:
    if f'Id="{rel_id}"' in rels_xml:
        return rels_xml
    relationship = f'<Relationship Id="{rel_id}" Type="{RELATIONSHIP_TYPES}/{kind}" Target="{target}"/>'
    return rels_xml.replace("</Relationships>", relationship + "</Relationships>", 1)


def with_content_type(types_xml: str, part: str, content_type: str) -> str:
    if f'PartName="{part}"' in types_xml:
        return types_xml
    override = f'<Override PartName="{part}" ContentType="{content_type}"/>'
    return types_xml.replace("</Types>", override + "</Types>", 1)


def with_header_section(document_xml: str) -> str:
    """document.xml whose final section uses the header and footer, on A4 paper."""
    section = (
        f'<w:sectPr><w:headerReference w:type="default" r:id="{HEADER_ID}"/>'
        f'<w:footerReference w:type="default" r:id="{FOOTER_ID}"/>'
        f'<w:footnotePr><w:numRestart w:val="eachSect"/></w:footnotePr>{A4_SECTION}</w:sectPr>'
    )
    replaced, count = re.subn(r"<w:sectPr\b.*?</w:sectPr>", lambda _: section, document_xml, flags=re.S)
    return replaced if count else document_xml.replace("</w:body>", section + "</w:body>", 1)


def reference_docx_bytes(left_lines: list[str], right_lines: list[str], draft_line: str | None = None) -> bytes:
    members = zip_members(pandoc_default_reference_docx())
    styles = members["word/styles.xml"].decode("utf-8")
    styles = with_styles(
        with_body_size(styles), {"Table": DATA_TABLE_STYLE, **PLAN_STYLES, **callout_styles()}, replace=True
    )
    members["word/styles.xml"] = styles.encode("utf-8")
    members["word/header1.xml"] = word_header_xml(left_lines, right_lines, draft_line).encode("utf-8")
    members["word/footer1.xml"] = word_footer_xml().encode("utf-8")
    rels = members["word/_rels/document.xml.rels"].decode("utf-8")
    rels = with_relationship(rels, HEADER_ID, "header", "header1.xml")
    members["word/_rels/document.xml.rels"] = with_relationship(rels, FOOTER_ID, "footer", "footer1.xml").encode()
    types = members["[Content_Types].xml"].decode("utf-8")
    types = with_content_type(
        types, "/word/header1.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
    )
    members["[Content_Types].xml"] = with_content_type(
        types, "/word/footer1.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
    ).encode("utf-8")
    members["word/document.xml"] = with_header_section(members["word/document.xml"].decode("utf-8")).encode("utf-8")
    return deterministic_zip(members)
