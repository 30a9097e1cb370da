"""The rendered Word document made ready for an officer to edit (both engines): captions in Word's own
style, a filled table of contents, the pictures' descriptions; packed deterministically."""

from __future__ import annotations

import io
import re
import zipfile

from .word_styles import PLAN_STYLES, with_styles
from .word_zip import deterministic_zip, zip_members

TOC_FIELD = re.compile(
    r"(<w:instrText[^>]*>\s*TOC\b(?P<instr>[^<]*)</w:instrText>\s*"
    r'<w:fldChar w:fldCharType="separate"\s*/>)\s*(<w:fldChar w:fldCharType="end"\s*/>)'
)
HEADING = re.compile(
    r'(?:<w:bookmarkStart w:id="\d+" w:name="(?P<anchor>[^"]+)"\s*/>\s*)?'
    r'<w:p>\s*<w:pPr>\s*<w:pStyle w:val="Heading(?P<level>\d)"\s*/>.*?</w:p>',
    re.S,
)
TEXT_RUN = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")
DRAWING = re.compile(r"<w:drawing>.*?</w:drawing>", re.S)


def with_word_captions(document_xml: str) -> str:
    """Captions in Word's own caption style ("Caption", «Didascalia» in an Italian Word), so that Word's
    caption tools and a table of figures find them; table captions stay with their table (keepNext)."""
    document_xml = re.sub(
        r'<w:pStyle w:val="TableCaption"\s*/>', '<w:pStyle w:val="Caption" /><w:keepNext />', document_xml
    )
    return re.sub(r'<w:pStyle w:val="ImageCaption"\s*/>', '<w:pStyle w:val="Caption" />', document_xml)


def with_builtin_caption_style(styles_xml: str) -> str:
    """The Caption style named as Word's built-in «caption», which Word shows in its own language."""
    return re.sub(
        r'(<w:style\b[^>]*w:styleId="Caption"[^>]*>\s*<w:name w:val=")[^"]*(")', r"\1caption\2", styles_xml, count=1
    )


def toc_levels(instruction: str) -> tuple[int, int]:
    """The heading levels of a TOC field instruction (`\\o "1-2"`); 1-3 when it names none."""
    match = re.search(r'\\o\s*(?:&quot;|")(\d)-(\d)(?:&quot;|")', instruction)
    return (int(match.group(1)), int(match.group(2))) if match else (1, 3)


def toc_entry(text: str, level: int, anchor: str | None) -> str:
    """One cached entry of the table of contents: style TOC<level>, a link to the heading's bookmark."""
    run = f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'
    if anchor:
        run = f'<w:hyperlink w:anchor="{anchor}" w:history="1">{run}</w:hyperlink>'
    return f'<w:p><w:pPr><w:pStyle w:val="TOC{level}" /></w:pPr>{run}</w:p>'


def with_filled_toc(document_xml: str) -> str:
    """The TOC field with the document's headings as its cached result.

    pandoc (and Quarto) write the field empty and marked dirty: Word fills it only when it updates
    fields, LibreOffice shows "Indice" and nothing. The entries (levels of the field's `\\o`, text and
    link to each heading) go between the field's separate and end marks, each in its own paragraph,
    so every reader shows them and Word replaces them, with page numbers, when it updates the field.
    """
    match = TOC_FIELD.search(document_xml)
    if match is None:
        return document_xml
    low, high = toc_levels(match.group("instr"))
    entries = []
    for heading in HEADING.finditer(document_xml, match.end()):
        level = int(heading.group("level"))
        if low <= level <= high:
            text = "".join(TEXT_RUN.findall(heading.group(0))).strip()
            if text:
                entries.append(toc_entry(text, level, heading.group("anchor")))
    if not entries:
        return document_xml
    # The field starts in the paragraph that holds `begin`; the cached result needs paragraphs of its
    # own: close that paragraph after `separate`, write the entries, open one for `end`.
    filled = match.group(1) + "</w:r></w:p>" + "".join(entries) + "<w:p><w:r>" + match.group(3)
    return document_xml[: match.start()] + filled + document_xml[match.end() :]


def with_picture_descriptions(document_xml: str) -> str:
    """The picture's own description (pic:cNvPr, pandoc puts the file name there) = the alternative text."""

    def same_description(drawing: re.Match) -> str:
        xml = drawing.group(0)
        alt = re.search(r'<wp:docPr\b[^>]*\bdescr="([^"]*)"', xml)
        if alt is None or not alt.group(1):
            return xml
        return re.sub(
            r'(<pic:cNvPr\b[^>]*\bdescr=")[^"]*(")', lambda m: m.group(1) + alt.group(1) + m.group(2), xml, count=1
        )

    return DRAWING.sub(same_description, document_xml)


def finished_docx(data: bytes) -> bytes:
    """The rendered DOCX made ready for an officer to edit (captions, contents, pictures' descriptions);
    anything that is not a Word file (ZIP) is returned as it is."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return data
    members = zip_members(data)
    document = members["word/document.xml"].decode("utf-8")
    document = with_picture_descriptions(with_filled_toc(with_word_captions(document)))
    members["word/document.xml"] = document.encode("utf-8")
    if "word/styles.xml" in members:
        styles = with_builtin_caption_style(members["word/styles.xml"].decode("utf-8"))
        styles = with_styles(styles, {k: v for k, v in PLAN_STYLES.items() if k.startswith("TOC")}, replace=False)
        members["word/styles.xml"] = styles.encode("utf-8")
    return deterministic_zip(members)
