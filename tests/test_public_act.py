"""The plan as a public act: an archival, tagged PDF (PDF/A-2a + PDF/UA-1, fonts embedded, same bytes
twice); alternative text written from the data for every chart and the map, in HTML, PDF and DOCX;
tables that scroll on a phone; a Word edition an officer can edit (widths that keep codes and numbers
on one line, Word's caption style, a filled table of contents, about the PDF's page count); long unit
lists summarised with the name of the file that holds them."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from pianoabitativo import catalogue
from pianoabitativo.core.tableio import read_processed
from pianoabitativo.fragments import figures as figure_fragments
from pianoabitativo.fragments.demography import comuni_fragment
from pianoabitativo.fragments.housing import units_fragment
from pianoabitativo.fragments.markdown import percent_widths
from pianoabitativo.render.engine import render
from pianoabitativo.render.errors import RenderError
from pianoabitativo.render.finished_docx import finished_docx
from pianoabitativo.render.reference_docx import reference_docx_bytes
from pianoabitativo.render.style_files import stylesheet, typst_partial, write_style_file
from pianoabitativo.render.word_zip import zip_members

ROOT = Path(__file__).resolve().parents[1]
PROCESSED = ROOT / "data" / "processed" / "cremasco_2019"
EPOCH = 1561420800
ALT = 'Mappa di prova: 3 comuni, il più denso è "Alfa" (995,30 ab/km²)'


def processed(name: str) -> pd.DataFrame:
    return read_processed(PROCESSED / f"{name}.csv")


def key_figures() -> dict:
    frame = processed("cifre_chiave")
    return {k: (float(v) if "." in v else int(v)) if v else "" for k, v in zip(frame["chiave"], frame["valore"])}


# --- 2. alternative text from the data ---------------------------------------------------------------


def test_density_map_alt_text_gives_the_classes_the_averages_and_the_extremes():
    figures, comuni = key_figures(), processed("comuni")
    alt = figure_fragments.density_map_alt(figures, comuni)
    assert alt.startswith(
        "Mappa dei 48 comuni dell'ambito colorati per densità di popolazione: "
        "22 sotto la media provinciale (202,94 ab/km²), 17 tra le due medie, "
        "9 sopra la media regionale (419,85 ab/km²)"
    )
    densest = comuni.sort_values("densita").iloc[-1]
    assert f"il più denso è {densest.comune} (995,30 ab/km²)" in alt
    line = figure_fragments.density_map_figure(figures, comuni)
    assert line.startswith(
        "![Densità di popolazione dei comuni dell'ambito rispetto alle medie provinciale e "
        'regionale](gen/fig_mappa_densita.png){#fig-mappa width=70% fig-alt="Mappa dei 48'
    )


def test_every_chart_has_an_alt_text_with_its_main_figures():
    stock = figure_fragments.stock_alt(processed("a_patrimonio"))
    assert "24 enti proprietari, 1.703 unità in tutto" in stock
    assert "ALER Brescia-Cremona-Mantova 1.006 (997 SAP e 9 SAS)" in stock and "gli altri 22 enti" in stock
    assignable = figure_fragments.assignable_alt(processed("g_assegnabili_per_categoria"))
    assert assignable.startswith("Grafico a barre delle 50 unità assegnabili nell'anno in 12 comuni")
    assert "b) carenza manutentiva 19" in assignable
    subambiti = figure_fragments.subambiti_alt(processed("subambiti"))
    assert "6 sub-ambiti" in subambiti and "Città di Crema (1 comune) 34.264 abitanti, 992,58 ab/km²" in subambiti


def test_alt_texts_of_edge_cases_agree_in_italian():
    one = pd.DataFrame(
        {"ente_proprietario": ["Comune di A"], "totale_unita": [3], "alloggi_sap": [3], "alloggi_sas": [0]}
    )
    assert figure_fragments.stock_alt(one).startswith(
        "Grafico a barre degli alloggi SAP e SAS di un ente proprietario, 3 unità"
    )
    empty = pd.DataFrame(columns=["ente_proprietario", "comune", "categoria", "unita"])
    assert "nessuna unità assegnabile" in figure_fragments.assignable_alt(empty)


def test_figure_line_escapes_quotes_in_the_alt_text():
    line = figure_fragments.figure_line("Cap", "x", "x", "50%", 'un "nome" \\ strano')
    assert line == '![Cap](gen/fig_x.png){#fig-x width=50% fig-alt="un \\"nome\\" \\\\ strano"}\n'


def test_the_qmd_types_no_alt_text_and_includes_the_figure_fragments():
    text = (ROOT / "report" / "piano_cremasco_2019.qmd").read_text(encoding="utf-8")
    assert "fig-alt" not in text
    for name in ("figura_mappa_densita", "figura_patrimonio_enti", "figura_assegnabili_comuni"):
        assert name in catalogue.FRAGMENTS and f"{{{{< include gen/{name}.md >}}}}" in text


# --- 1 and 2. the PDF: PDF/A, tags, alt text, fonts; HTML and DOCX alt ------------------------------


def png_bytes() -> bytes:
    import struct
    import zlib

    rows = b"".join(b"\x00" + bytes((200, 100, 50)) * 20 for _ in range(10))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 20, 10, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def small_plan(folder: Path, standard: str = "[a-2a, ua-1]", alt: str | None = ALT) -> Path:
    gen = folder / "gen"
    gen.mkdir(parents=True)
    (gen / "fig_mappa.png").write_bytes(png_bytes())
    write_style_file("header.typ", gen / "header.typ", ["Ambito"], ["Comune"])
    write_style_file("reference.docx", gen / "reference.docx", ["Ambito"], ["Comune"])
    (gen / "typst-template.typ").write_bytes(typst_partial())
    attribute = "" if alt is None else ' fig-alt="' + alt.replace('"', '\\"') + '"'
    qmd = folder / "piano.qmd"
    qmd.write_text(
        f"""---
title: Piano di prova
lang: it
toc: true
toc-depth: 2
date: '2019-06-25'
format:
  typst:
    include-in-header: gen/header.typ
    template-partials: [gen/typst-template.typ]
    pdf-standard: {standard}
  docx:
    reference-doc: gen/reference.docx
---

# I. Premessa

Testo, con la @fig-mappa e la @tbl-a.

## 1. Dati

![Densità dei comuni](gen/fig_mappa.png){{#fig-mappa width=40%{attribute}}}

| Comune | Codice |
|:-------|:-------|
| Alfa   | 019001 |

: Comuni {{#tbl-a}}

# II. Contenuti
""",
        encoding="utf-8",
    )
    return qmd


@pytest.fixture(scope="module")
def small_outputs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("atto")
    qmd = small_plan(folder / "doc")
    out = {}
    for fmt in ("html", "pdf", "docx"):
        out[fmt] = folder / f"piano.{fmt}"
        render(qmd, fmt, out[fmt], engine="embedded", source_date_epoch=EPOCH)
    return out


def xmp(pdf: Path) -> str:
    reader = PdfReader(pdf)
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")


def xmp_value(text: str, name: str) -> str | None:
    match = re.search(rf"<{name}>([^<]*)</{name}>|{name}=\"([^\"]*)\"", text)
    return (match.group(1) or match.group(2)) if match else None


def alt_texts(pdf: Path) -> list[str]:
    """Every /Alt of the PDF's structure tree (the tags)."""
    found, seen = [], set()

    def walk(node):
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, dict):
            if id(node) in seen:
                return
            seen.add(id(node))
            if "/Alt" in node:
                found.append(str(node["/Alt"]))
            if "/K" in node:
                walk(node["/K"])
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(PdfReader(pdf).trailer["/Root"]["/StructTreeRoot"])
    return found


def unembedded_fonts(pdf: Path) -> list[str]:
    """Fonts of every page without a font file (Type 0 fonts: their descendant's)."""
    missing = []
    for page in PdfReader(pdf).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            leaves = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            for leaf in leaves:
                descriptor = leaf.get("/FontDescriptor")
                descriptor = descriptor.get_object() if descriptor is not None else {}
                if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    missing.append(str(leaf.get("/BaseFont")))
    return missing


def test_pdf_declares_pdf_a_2a_and_pdf_ua_1_and_is_tagged(small_outputs):
    pdf = small_outputs["pdf"]
    meta = xmp(pdf)
    assert xmp_value(meta, "pdfaid:part") == "2" and xmp_value(meta, "pdfaid:conformance") == "A"
    assert xmp_value(meta, "pdfuaid:part") == "1"
    root = PdfReader(pdf).trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]


def test_pdf_embeds_every_font(small_outputs):
    assert unembedded_fonts(small_outputs["pdf"]) == []


def test_pdf_figure_carries_the_alt_text(small_outputs):
    assert alt_texts(small_outputs["pdf"]) == [ALT]


def test_html_and_docx_carry_the_alt_text(small_outputs):
    html = small_outputs["html"].read_text(encoding="utf-8")
    assert 'alt="Mappa di prova: 3 comuni, il più denso è &quot;Alfa&quot; (995,30 ab/km²)"' in html
    document = zip_members(small_outputs["docx"].read_bytes())["word/document.xml"].decode("utf-8")
    assert document.count('descr="Mappa di prova: 3 comuni, il più denso è &quot;Alfa&quot;') == 2  # docPr, pic


def test_pdf_a_is_byte_identical_twice(small_outputs, tmp_path):
    again = tmp_path / "again.pdf"
    render(small_plan(tmp_path / "doc"), "pdf", again, engine="embedded", source_date_epoch=EPOCH)
    assert again.read_bytes() == small_outputs["pdf"].read_bytes()


def test_pdf_a_accessible_level_refuses_a_figure_without_alt_text(tmp_path):
    with pytest.raises(RenderError, match="alt text"):
        render(
            small_plan(tmp_path / "doc", alt=None),
            "pdf",
            tmp_path / "x.pdf",
            engine="embedded",
            source_date_epoch=EPOCH,
        )
    assert not (tmp_path / "x.pdf").exists()


def test_unknown_pdf_standard_is_a_render_error(tmp_path):
    with pytest.raises(RenderError, match="pdf-standard «a-9z»"):
        render(
            small_plan(tmp_path / "doc", standard="a-9z"),
            "pdf",
            tmp_path / "x.pdf",
            engine="embedded",
            source_date_epoch=EPOCH,
        )


def test_the_plan_asks_for_pdf_a_2a_and_pdf_ua_1():
    text = (ROOT / "report" / "piano_cremasco_2019.qmd").read_text(encoding="utf-8")
    assert re.search(r"^    pdf-standard: \[a-2a, ua-1\]", text, re.M)


# --- 2. responsive tables ---------------------------------------------------------------------------


def test_stylesheet_lets_wide_tables_scroll_on_a_phone():
    css = stylesheet().decode("utf-8")
    block = css[css.index("@media screen and (max-width: 48rem)") :]
    assert "overflow-x: auto" in block and "display: block" in block and "max-width: 100%" in block


@pytest.mark.e2e
@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium (headless) non installato")
def test_html_table_scrolls_inside_the_page_at_390_px(tmp_path):
    """A 390 px wide phone: the page does not scroll sideways, the wide table does, inside its box."""
    rows = "\n".join(
        f"| Comune {i} con un nome lungo | 0190{i:02d} | Sub-ambito lungo | 12.345 | 995,30 | "
        f"sotto la media provinciale |"
        for i in range(5)
    )
    folder = tmp_path / "doc"
    folder.mkdir()
    qmd = folder / "t.qmd"
    qmd.write_text(
        "---\nlang: it\n---\n\n| Comune | Codice ISTAT | Sub-ambito | Popolazione | Densità (ab/km²) "
        "| Rispetto alle medie |\n|:--|:--|:--|--:|--:|:--|\n" + rows + "\n\n: Comuni {#tbl-c}\n",
        encoding="utf-8",
    )
    html = tmp_path / "t.html"
    render(qmd, "html", html, engine="embedded", source_date_epoch=EPOCH)
    probe = html.read_text(encoding="utf-8").replace(
        "</body>",
        """<script>
window.addEventListener('load', () => { const t = document.querySelector('table');
document.title = [document.documentElement.scrollWidth, window.innerWidth, t.scrollWidth, t.clientWidth].join(','); });
</script></body>""",
    )
    html.write_text(probe, encoding="utf-8")
    result = subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--window-size=390,800",
            "--virtual-time-budget=3000",
            "--dump-dom",
            html.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    title = re.search(r"<title>([\d,]+)</title>", result.stdout)
    assert title, result.stderr[-2000:]
    page_width, viewport, table_content, table_box = map(int, title.group(1).split(","))
    assert page_width <= viewport  # the page itself does not scroll sideways
    assert table_content > table_box  # the table scrolls inside its own box


def test_stylesheet_keeps_captions_in_view_and_charts_legible_on_a_phone():
    css = stylesheet().decode("utf-8")
    block = css[css.index("@media screen and (max-width: 48rem)") : css.index("/* Figures */")]
    captions = block[block.index("table caption, figcaption {") :]
    assert "max-width: calc(100vw - 1.8rem)" in captions[: captions.index("}")]
    assert "figure { overflow-x: auto;" in block
    assert "figure img, figure img.img-fluid { min-width: 36rem; max-width: none; }" in block  # Quarto's too


@pytest.mark.e2e
@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium (headless) non installato")
def test_html_captions_stay_in_view_and_charts_keep_their_size_at_390_px(tmp_path):
    """At 390 px the caption of a wide table wraps within the screen instead of running off it (cut), and a
    chart drawn for A4 keeps a readable width (36rem), scrolling inside its figure; the page does not scroll."""
    from PIL import Image

    folder = tmp_path / "doc"
    folder.mkdir()
    Image.new("RGB", (1260, 700), "white").save(folder / "chart.png")
    rows = "\n".join(
        f"| Comune {i} con un nome lungo | 0190{i:02d} | Sub-ambito lungo | 12.345 | 995,30 | "
        f"sotto la media provinciale |"
        for i in range(5)
    )
    (folder / "t.qmd").write_text(
        "---\nlang: it\n---\n\n| Comune | Codice ISTAT | Sub-ambito | Popolazione | Densità (ab/km²) "
        "| Rispetto alle medie |\n|:--|:--|:--|--:|--:|:--|\n" + rows + "\n\n: I comuni dell'ambito: popolazione "
        "al 01/01/2018, superficie e densità rispetto alle medie {#tbl-c}\n\n"
        "![Unità assegnabili per comune e categoria](chart.png){#fig-a width=95%}\n",
        encoding="utf-8",
    )
    html = tmp_path / "t.html"
    render(folder / "t.qmd", "html", html, engine="embedded", source_date_epoch=EPOCH)
    probe = html.read_text(encoding="utf-8").replace(
        "</body>",
        """<script>
window.addEventListener('load', () => { const c = document.querySelector('table caption');
const img = document.querySelector('figure img'); const f = img.closest('figure');
document.title = [document.documentElement.scrollWidth, window.innerWidth, Math.round(c.getBoundingClientRect().right),
  Math.round(img.getBoundingClientRect().width), f.scrollWidth, f.clientWidth].join(','); });
</script></body>""",
    )
    html.write_text(probe, encoding="utf-8")
    result = subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--window-size=390,800",
            "--virtual-time-budget=3000",
            "--dump-dom",
            html.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    title = re.search(r"<title>([\d,]+)</title>", result.stdout)
    assert title, result.stderr[-2000:]
    page_width, viewport, caption_right, chart_width, figure_content, figure_box = map(int, title.group(1).split(","))
    assert page_width <= viewport
    assert caption_right <= viewport  # the caption is not cut
    assert chart_width >= 560  # 36rem, not squeezed to the phone's width
    assert figure_content > figure_box  # the chart scrolls inside its figure


# --- 3. the Word edition -----------------------------------------------------------------------------


def test_codes_and_numbers_keep_their_natural_width_when_a_table_is_too_wide():
    widths = percent_widths([25, 6, 16, 11, 10, 8, 26], [False, True, False, True, True, True, False])
    assert sum(widths) == 100
    assert widths[1] >= 8 and widths[5] >= 10  # 6 and 8 characters: 6 * 0.9 + 2.5, 8 * 0.9 + 2.5
    table = comuni_fragment(processed("comuni"), "01/01/2018")
    caption_widths = [int(w) for w in re.search(r'tbl-colwidths="\[([\d,]+)\]"', table).group(1).split(",")]
    assert caption_widths[1] >= 8 and caption_widths[5] >= 10


def test_sub_ambito_names_are_not_broken_when_the_comuni_table_is_too_wide():
    """«Bagnolo Cremasco» read «Bagnolo / Cremasco» in the PDF: a column of short names keeps its natural width,
    the columns of longer text (comune, comparison with the averages) give up the width instead."""
    table = comuni_fragment(processed("comuni"), "01/01/2018")
    widths = [int(w) for w in re.search(r'tbl-colwidths="\[([\d,]+)\]"', table).group(1).split(",")]
    assert sum(widths) == 100
    assert widths[2] >= round(len("Bagnolo Cremasco") * 0.9 + 2.5)  # 17
    assert widths[1] >= 8 and widths[5] >= 10  # codes and numbers, as before


def test_charts_float_in_the_pdf_instead_of_leaving_the_page_blank(tmp_path):
    """A chart taller than the rest of the page went to the next page, leaving 40% of page 8 blank: in Typst
    charts are floats (placement: auto, both engines' figure kinds), so the text after a chart fills the page."""
    import typst

    write_style_file("header.typ", tmp_path / "header.typ", ["Ambito"], ["Comune"])
    header = (tmp_path / "header.typ").read_text(encoding="utf-8")
    assert "#show figure.where(kind: image): set figure(placement: auto)" in header
    assert '#show figure.where(kind: "quarto-float-fig"): set figure(placement: auto)' in header
    (tmp_path / "doc.typ").write_text(
        header
        + "\n#set page(height: 14cm, width: 12cm)\n"
        + "Prima del grafico. " * 20
        + "\n\n#figure(rect(width: 6cm, height: 7cm), caption: [Grafico])\n\nTesto DOPO il grafico.\n",
        encoding="utf-8",
    )
    typst.compile(str(tmp_path / "doc.typ"), output=str(tmp_path / "doc.pdf"))
    pages = [page.extract_text() for page in PdfReader(tmp_path / "doc.pdf").pages]
    assert "DOPO" in pages[0] and "Grafico" not in pages[0]  # the text filled page 1, the chart went on


def toc_document(body: str) -> bytes:
    document = (
        '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="w"><w:body>'
        '<w:sdt><w:sdtContent><w:p><w:pPr><w:pStyle w:val="TOCHeading" /></w:pPr><w:r><w:t>Indice</w:t>'
        '</w:r></w:p><w:p><w:r><w:fldChar w:fldCharType="begin" w:dirty="true" /><w:instrText '
        'xml:space="preserve">TOC \\o &quot;1-2&quot; \\h \\z \\u</w:instrText><w:fldChar '
        'w:fldCharType="separate" /><w:fldChar w:fldCharType="end" /></w:r></w:p></w:sdtContent></w:sdt>'
        + body
        + "</w:body></w:document>"
    )
    base = zip_members(reference_docx_bytes(["A"], ["B"]))
    base["word/document.xml"] = document.encode("utf-8")
    from pianoabitativo.render.word_zip import deterministic_zip

    return deterministic_zip(base)


def heading(level: int, anchor: str, text: str) -> str:
    return (
        f'<w:bookmarkStart w:id="1" w:name="{anchor}" /><w:p><w:pPr><w:pStyle w:val="Heading{level}" />'
        f'</w:pPr><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p><w:bookmarkEnd w:id="1" />'
    )


def test_table_of_contents_is_filled_with_the_headings_of_its_levels():
    body = (
        heading(1, "i", "I. Premessa")
        + heading(2, "p", "1. Piano annuale")
        + heading(3, "x", "a) Dettaglio")
        + '<w:p><w:pPr><w:pStyle w:val="TableCaption" /></w:pPr><w:r><w:t>Tabella 1: X</w:t></w:r></w:p>'
        + '<w:p><w:pPr><w:pStyle w:val="ImageCaption" /></w:pPr><w:r><w:t>Figura 1: Y</w:t></w:r></w:p>'
    )
    document = zip_members(finished_docx(toc_document(body)))["word/document.xml"].decode("utf-8")
    result = document[document.index('w:fldCharType="separate"') : document.index('w:fldCharType="end"')]
    assert re.findall(r'<w:pStyle w:val="(TOC\d)" /></w:pPr><w:hyperlink w:anchor="(\w+)"', result) == [
        ("TOC1", "i"),
        ("TOC2", "p"),
    ]
    assert "I. Premessa" in result and "1. Piano annuale" in result and "a) Dettaglio" not in result
    assert "TableCaption" not in document and "ImageCaption" not in document
    assert document.count('<w:pStyle w:val="Caption" />') == 2
    assert '<w:pStyle w:val="Caption" /><w:keepNext />' in document  # a table caption stays with its table


def test_reference_docx_sizes_text_like_the_pdf():
    styles = zip_members(reference_docx_bytes(["A"], ["B"]))["word/styles.xml"].decode("utf-8")
    defaults = re.search(r"<w:docDefaults>.*?</w:docDefaults>", styles, re.S).group(0)
    assert '<w:sz w:val="21" />' in defaults and 'w:ascii="Times New Roman"' in defaults
    table = re.search(r'<w:style w:type="table" w:default="1" w:styleId="Table">.*?</w:style>', styles).group(0)
    assert '<w:sz w:val="17"/>' in table
    caption = re.search(r'<w:style\b[^>]*w:styleId="Caption".*?</w:style>', styles, re.S).group(0)
    assert '<w:name w:val="caption"/>' in caption
    for level in (1, 2):
        assert f'w:styleId="TOC{level}"' in styles


def test_small_docx_has_caption_style_and_filled_contents(small_outputs):
    document = zip_members(small_outputs["docx"].read_bytes())["word/document.xml"].decode("utf-8")
    assert "Image Caption" not in document and 'w:val="ImageCaption"' not in document
    assert re.search(
        r'<w:pStyle w:val="TOC1" /></w:pPr><w:hyperlink w:anchor="[^"]+" w:history="1"><w:r><w:t '
        r'xml:space="preserve">I\. Premessa</w:t>',
        document,
    )


# --- 4. long unit lists ------------------------------------------------------------------------------


def many_units(n: int) -> pd.DataFrame:
    owners = ["ALER Brescia-Cremona-Mantova", "Comune di Crema", "Comune di Pandino"]
    comuni = ["Crema", "Pandino", "Offanengo", ""]
    return pd.DataFrame(
        {
            "ente_proprietario": [owners[i % 3] for i in range(n)],
            "codice_unita": [f"U{i:05d}" for i in range(n)],
            "comune": [comuni[i % 4] for i in range(n)],
        }
    )


def test_a_5000_unit_list_becomes_a_summary_that_names_the_full_list():
    category = catalogue.category("b")
    source = "data/processed/cremasco_2019/b_carenza_manutentiva.csv"
    text = units_fragment(many_units(5000), category, max_rows=catalogue.MAX_LISTED_UNITS, source=source)
    assert "Nell'ambito ne sono state rilevate 5.000 (@tbl-carenza)." in text
    assert f"`{source}`" in text and "L'elenco completo" in text
    assert "U00001" not in text  # no unit is listed one by one
    table_rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert len(table_rows) == 1 + 3 * 4 + 1  # header, owners × comuni, total
    assert "| **Totale** |  | **5.000** |" in text
    assert "| Comune di Crema | non indicato |" in text or "| Comune di Crema | non indicato " in text
    assert re.search(
        r"^: Unità abitative destinate a SAP .*: numero per ente proprietario e comune "
        r"\{#tbl-carenza tbl-colwidths=",
        text,
        re.M,
    )


def test_a_list_within_the_threshold_is_printed_unit_by_unit():
    category = catalogue.category("b")
    text = units_fragment(many_units(40), category, max_rows=catalogue.MAX_LISTED_UNITS, source="x.csv")
    assert "U00039" in text and "x.csv" not in text
    assert catalogue.MAX_LISTED_UNITS == 2000


def test_the_threshold_reaches_the_fragments_rule_as_a_param():
    rule = (ROOT / "rules" / "report.smk").read_text(encoding="utf-8")
    assert "max_listed_units=catalogue.MAX_LISTED_UNITS" in rule
    units_tables = [f for f in catalogue.FRAGMENT_ENTRIES if f.build.function == "fragments.housing:units_fragment"]
    assert len(units_tables) == len(catalogue.LISTED_CATEGORIES)
    assert all(("max_rows", "param.max_listed_units") in f.build.kwargs for f in units_tables)


# --- the built plans (slow: they use the three plans the session builds) -------------------------------


@pytest.mark.e2e
@pytest.mark.parametrize("plan", ["cremasco_2019", "cremasco_2020", "tormense_2019"])
def test_every_built_plan_is_pdf_a_with_alt_text_for_every_figure(three_plans, plan):
    pdf = three_plans / "output" / f"piano_{plan}.pdf"
    meta = xmp(pdf)
    assert xmp_value(meta, "pdfaid:part") == "2" and xmp_value(meta, "pdfaid:conformance") == "A"
    assert unembedded_fonts(pdf) == []
    alts = alt_texts(pdf)
    assert any(a.startswith("Mappa de") for a in alts) and len(alts) >= 3
    docx = zipfile.ZipFile(three_plans / "output" / f"piano_{plan}.docx").read("word/document.xml").decode()
    assert 'descr="Mappa de' in docx and '<w:pStyle w:val="TOC1" />' in docx
    html = (three_plans / "output" / f"piano_{plan}.html").read_text(encoding="utf-8")
    assert 'alt="Mappa de' in html
