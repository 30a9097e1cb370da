"""The Word styles of the plan (styles.xml): text, headings, captions, contents, data tables and boxed
notes, in the plan's colours and font (look.py), sized like the PDF; and how they go into a styles.xml."""

from __future__ import annotations

import re

from pianoabitativo import look

# The boxed notes' table styles «Callout<Kind>»: frame and left rule, fill (look.py's callout colours).
CALLOUT_KINDS = ("Note", "Tip", "Important", "Warning", "Caution")
# The data tables: thin rules, a grey header row, 8.5pt text.
DATA_TABLE_STYLE = (
    '<w:style w:type="table" w:default="1" w:styleId="Table"><w:name w:val="Table"/>'
    '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:qFormat/>'
    '<w:rPr><w:sz w:val="17"/><w:szCs w:val="17"/></w:rPr>'
    '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblBorders>'
    f'<w:top w:val="single" w:sz="8" w:space="0" w:color="{look.word_colour("rule")}"/>'
    f'<w:bottom w:val="single" w:sz="8" w:space="0" w:color="{look.word_colour("rule")}"/>'
    f'<w:insideH w:val="single" w:sz="4" w:space="0" w:color="{look.word_colour("rule-light")}"/></w:tblBorders>'
    '<w:tblCellMar><w:top w:w="20" w:type="dxa"/><w:left w:w="60" w:type="dxa"/>'
    '<w:bottom w:w="20" w:type="dxa"/><w:right w:w="60" w:type="dxa"/></w:tblCellMar></w:tblPr>'
    '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr><w:tcPr><w:tcBorders>'
    f'<w:bottom w:val="single" w:sz="6" w:space="0" w:color="{look.word_colour("rule")}"/></w:tcBorders>'
    f'<w:shd w:val="clear" w:color="auto" w:fill="{look.word_colour("header-fill")}"/><w:vAlign w:val="bottom"/>'
    "</w:tcPr></w:tblStylePr>"
    "</w:style>"
)

ACCENT = look.word_colour("accent")


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
# The text font (look.py): pandoc's reference.docx names the theme's (Aptos, missing from older Word and
# from LibreOffice, which then falls back to a much wider sans). A serif every Word has, close in width
# to the PDF's Libertinus Serif; LibreOffice uses its metric twin (Liberation Serif).
BODY_FONT = look.FONTS["font-word"]


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
    return {
        f"Callout{kind}": callout_style_xml(
            kind, look.word_colour(kind.lower()), look.word_colour(f"{kind.lower()}-fill")
        )
        for kind in CALLOUT_KINDS
    }
