"""Word documents: pandoc's reference.docx with the plan's table and callout styles, page header and
footer on A4, packed as a ZIP with fixed order and dates so that the same inputs give the same bytes."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from xml.sax.saxutils import escape as xml_escape

import pypandoc

from .epoch import ZIP_EPOCH
from .errors import RenderError

WORD_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
RELATIONSHIP_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEADER_ID, FOOTER_ID = "rIdPianoHeader", "rIdPianoFooter"
A4_SECTION = (
    '<w:pgSz w:w="11906" w:h="16838"/>'
    '<w:pgMar w:top="1701" w:right="1417" w:bottom="1417" w:left="1417" w:header="567" '
    'w:footer="567" w:gutter="0"/>'
)
CALLOUT_COLORS = {
    "Note": ("1F4E79", "EEF3F8"),
    "Tip": ("2E6B30", "EFF5EF"),
    "Important": ("9B2226", "F8EEEE"),
    "Warning": ("A4570E", "FBF3EA"),
    "Caution": ("A4570E", "FBF3EA"),
}
DATA_TABLE_STYLE = (
    '<w:style w:type="table" w:default="1" w:styleId="Table"><w:name w:val="Table"/>'
    '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:qFormat/>'
    '<w:rPr><w:sz w:val="17"/><w:szCs w:val="17"/></w:rPr>'
    '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblBorders>'
    '<w:top w:val="single" w:sz="8" w:space="0" w:color="777777"/>'
    '<w:bottom w:val="single" w:sz="8" w:space="0" w:color="777777"/>'
    '<w:insideH w:val="single" w:sz="4" w:space="0" w:color="D0D0D0"/></w:tblBorders>'
    '<w:tblCellMar><w:top w:w="20" w:type="dxa"/><w:left w:w="60" w:type="dxa"/>'
    '<w:bottom w:w="20" w:type="dxa"/><w:right w:w="60" w:type="dxa"/></w:tblCellMar></w:tblPr>'
    '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr><w:tcPr><w:tcBorders>'
    '<w:bottom w:val="single" w:sz="6" w:space="0" w:color="777777"/></w:tcBorders>'
    '<w:shd w:val="clear" w:color="auto" w:fill="E8E8E8"/><w:vAlign w:val="bottom"/></w:tcPr></w:tblStylePr>'
    "</w:style>"
)


ACCENT = "1F4E79"


def paragraph_style(style_id: str, name: str, based_on: str, ppr: str = "", rpr: str = "", extra: str = "") -> str:
    return (
        f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/>'
        f'<w:basedOn w:val="{based_on}"/>{extra}<w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>'
    )


def heading_style(level: int, size_half_points: int, before: int, after: int) -> str:
    return paragraph_style(
        f"Heading{level}",
        f"heading {level}",
        "Normal",
        f'<w:keepNext/><w:keepLines/><w:spacing w:before="{before}" w:after="{after}"/>'
        f'<w:outlineLvl w:val="{level - 1}"/>',
        f'<w:b/><w:bCs/><w:color w:val="{ACCENT}"/><w:sz w:val="{size_half_points}"/>'
        f'<w:szCs w:val="{size_half_points}"/>',
        '<w:next w:val="BodyText"/>',
    )


# The text styles of the plan's Word edition, sized like the PDF (typst-template.typ: 10.5pt text, headings
# 15/12.5/11pt, 9pt captions, 8.5pt tables, paragraphs 10pt apart), so that the two have about the same pages.
PLAN_STYLES = {
    "BodyText": paragraph_style(
        "BodyText", "Body Text", "Normal", '<w:spacing w:before="0" w:after="160"/><w:jc w:val="both"/>'
    ),
    # list items ragged right, as in the HTML: Word does not break a long path (data/raw/…/file.csv) and
    # would stretch the justified line before it into wide gaps («dichiarato 1.711, somma delle righe»)
    "Compact": paragraph_style(
        "Compact", "Compact", "BodyText", '<w:spacing w:before="0" w:after="0"/><w:jc w:val="left"/>'
    ),
    "Heading1": heading_style(1, 30, 360, 160),
    "Heading2": heading_style(2, 25, 280, 120),
    "Heading3": heading_style(3, 22, 220, 100),
    "Title": paragraph_style(
        "Title",
        "Title",
        "Normal",
        '<w:spacing w:before="0" w:after="80"/>',
        f'<w:b/><w:bCs/><w:color w:val="{ACCENT}"/><w:sz w:val="40"/><w:szCs w:val="40"/>',
        '<w:next w:val="BodyText"/>',
    ),
    "Subtitle": paragraph_style(
        "Subtitle",
        "Subtitle",
        "Normal",
        '<w:spacing w:before="0" w:after="60"/>',
        '<w:sz w:val="27"/><w:szCs w:val="27"/>',
        '<w:next w:val="BodyText"/>',
    ),
    "Caption": paragraph_style(
        "Caption",
        "caption",
        "Normal",
        '<w:spacing w:before="60" w:after="160"/>',
        '<w:sz w:val="18"/><w:szCs w:val="18"/>',
    ),
    "TOCHeading": paragraph_style(
        "TOCHeading",
        "TOC Heading",
        "Heading1",
        '<w:spacing w:before="0" w:after="160"/><w:outlineLvl w:val="9"/>',
        extra='<w:next w:val="BodyText"/>',
    ),
    **{
        f"TOC{level}": paragraph_style(
            f"TOC{level}",
            f"toc {level}",
            "Normal",
            f'<w:spacing w:before="{60 if level == 1 else 0}" w:after="20"/><w:ind w:left="{(level - 1) * 280}"/>',
            "<w:b/><w:bCs/>" if level == 1 else "",
            '<w:next w:val="Normal"/>',
        )
        for level in (1, 2, 3)
    },
}
BODY_SIZE = 21  # half points: 10.5pt, as the PDF
# The text font: pandoc's reference.docx names the theme's (Aptos, missing from older Word and from
# LibreOffice, which then falls back to a much wider sans). A serif every Word has, close in width
# to the PDF's Libertinus Serif; LibreOffice uses its metric twin (Liberation Serif).
BODY_FONT = "Times New Roman"


def with_body_size(styles_xml: str, size_half_points: int = BODY_SIZE, font: str = BODY_FONT) -> str:
    """The document's default font and text size (docDefaults), and no space after paragraphs by default."""
    styles_xml = re.sub(
        r"(<w:rPrDefault>\s*<w:rPr>\s*)<w:rFonts\b[^>]*/>",
        lambda m: (
            f'{m.group(1)}<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}" w:eastAsiaTheme="minorEastAsia"/>'
        ),
        styles_xml,
        count=1,
    )
    styles_xml = re.sub(
        r'(<w:rPrDefault>.*?<w:sz w:val=")\d+("\s*/>\s*<w:szCs w:val=")\d+(")',
        lambda m: f"{m.group(1)}{size_half_points}{m.group(2)}{size_half_points}{m.group(3)}",
        styles_xml,
        count=1,
        flags=re.S,
    )
    return re.sub(
        r'(<w:pPrDefault>\s*<w:pPr>\s*)<w:spacing w:after="\d+"\s*/>',
        r'\1<w:spacing w:after="0"/>',
        styles_xml,
        count=1,
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


def zip_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def deterministic_zip(members: dict[str, bytes]) -> bytes:
    """A ZIP with [Content_Types].xml first, the other members sorted, fixed dates and attributes."""
    buffer = io.BytesIO(b"")
    names = sorted(members, key=lambda name: (name != "[Content_Types].xml", name))
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, members[name], compresslevel=9)
    return buffer.getvalue()


def callout_style_xml(kind: str, border: str, fill: str) -> str:
    """A Word table style "Callout<Kind>": thin frame, thick coloured left rule, light shading."""
    return (
        f'<w:style w:type="table" w:customStyle="1" w:styleId="Callout{kind}"><w:name w:val="Callout{kind}"/>'
        "<w:tblPr><w:tblBorders>"
        f'<w:top w:val="single" w:sz="4" w:space="0" w:color="{border}"/>'
        f'<w:left w:val="single" w:sz="24" w:space="0" w:color="{border}"/>'
        f'<w:bottom w:val="single" w:sz="4" w:space="0" w:color="{border}"/>'
        f'<w:right w:val="single" w:sz="4" w:space="0" w:color="{border}"/></w:tblBorders>'
        '<w:tblCellMar><w:top w:w="80" w:type="dxa"/><w:left w:w="160" w:type="dxa"/>'
        '<w:bottom w:w="80" w:type="dxa"/><w:right w:w="160" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{fill}"/></w:tcPr></w:style>'
    )


def with_styles(styles_xml: str, styles: dict[str, str], replace: bool) -> str:
    """styles.xml with each style of `styles` (id -> XML) added, or replaced when `replace`."""
    for style_id, style in styles.items():
        existing = re.compile(r'<w:style\b[^>]*w:styleId="' + re.escape(style_id) + r'"[^>]*>.*?</w:style>', re.S)
        if existing.search(styles_xml):
            if replace:
                styles_xml = existing.sub(lambda _, style=style: style, styles_xml, count=1)
        else:
            styles_xml = styles_xml.replace("</w:styles>", style + "</w:styles>", 1)
    return styles_xml


def callout_styles() -> dict[str, str]:
    return {f"Callout{kind}": callout_style_xml(kind, *colors) for kind, colors in CALLOUT_COLORS.items()}


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
        f'<w:b/><w:bCs/><w:color w:val="9B2226"/><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>'
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
        '<w:tblBorders><w:bottom w:val="single" w:sz="4" w:space="0" w:color="777777"/></w:tblBorders>'
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


# --- the rendered document, made editable: Word's caption style, a filled table of contents ----------

CAPTION_STYLES = ("ImageCaption", "TableCaption")  # pandoc's (and Quarto's) caption styles, based on Caption
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
