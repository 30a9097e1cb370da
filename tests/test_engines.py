"""Both engines give an approvable reference plan, and the same one: the staged documents of
cremasco_2019 (the workflow's build/ folder) rendered with Quarto and with the embedded engine, twice each.

Same text on each page of the PDF, the same tables (every cell) and figures (the same pictures, with the
same captions), the alternative text written from the data in all three formats, a PDF/A-2a and PDF/UA-1
from both, the same bytes on a second render with each engine. Runs where the tests have a Quarto
(inputs_support.QUARTO: make quarto installs ../shared/tools/quarto, README «Quarto per i test»; or one on
PATH); skipped with the reason elsewhere.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from inputs_support import PLAN, QUARTO, QUARTO_MISSING, copy_built, quarto_on_path, replace_text, run_snakemake
from pianoabitativo.core.config import prepare_plan, source_date_epoch
from pianoabitativo.render.engine import render

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(QUARTO is None, reason=f"{QUARTO_MISSING}: the comparison of the two engines needs real Quarto"),
]

ROOT = Path(__file__).resolve().parents[1]
ENGINES = ("embedded", "quarto")
FORMATS = ("html", "pdf", "docx")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def documents(reference_build, tmp_path_factory) -> dict:
    """{(engine, 1): {fmt: path}} for both engines, plus "staging" (the staged folders), "epoch" and "built"
    (the workflow's own documents, embedded engine: a copy of conftest.reference_build where only the
    render job reruns, if the reference was rendered with Quarto). Quarto's second render: quarto_again."""
    base = tmp_path_factory.mktemp("motori")
    project = copy_built(reference_build[0], base / "progetto")
    replace_text(project / "config.yaml", "  engine: auto", "  engine: embedded")
    built = run_snakemake(project)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    plan_path = ROOT / "plans" / f"{PLAN}.yaml"
    facts = prepare_plan(yaml.safe_load(plan_path.read_text(encoding="utf-8")), plan_path.as_posix())
    epoch = source_date_epoch(facts)
    staging = project / "build" / PLAN
    found: dict = {
        "staging": staging,
        "epoch": epoch,
        "built": {fmt: project / "output" / f"piano_{PLAN}.{fmt}" for fmt in FORMATS},
    }
    # each engine once here; the embedded engine's other render is the workflow's own ("built")
    for engine in ENGINES:
        found[engine, 1] = rendered(staging, engine, epoch, base / f"{engine}-1")
    return found


def rendered(staging: Path, engine: str, epoch: int, out: Path) -> dict[str, Path]:
    """The staged reference plan rendered by `engine` in every format, into `out`: {fmt: path}."""
    documents = {}
    for fmt in FORMATS:
        documents[fmt] = out / f"piano_{PLAN}.{fmt}"
        with quarto_on_path():
            used = render(
                staging / fmt / f"piano_{PLAN}.qmd", fmt, documents[fmt], engine=engine, source_date_epoch=epoch
            )
        assert used == engine
    return documents


@pytest.fixture(scope="module")
def quarto_again(documents, tmp_path_factory) -> dict[str, Path]:
    """Quarto's second render of the same staged sources (about ten seconds of CPU: make test-completo)."""
    return rendered(documents["staging"], "quarto", documents["epoch"], tmp_path_factory.mktemp("quarto-2"))


def plain(markup: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def fig_alts(staging: Path) -> list[str]:
    """Every figure's fig-alt, as the pipeline wrote it in the staged fragments."""
    alts = []
    for fragment in sorted((staging / "html" / "gen").glob("*.md")):
        alts += [
            text.replace('\\"', '"')
            for text in re.findall(r'fig-alt="((?:[^"\\]|\\.)*)"', fragment.read_text(encoding="utf-8"))
        ]
    return sorted(alts)


# --- the same bytes twice ---------------------------------------------------------------------------


# Quarto's second render (about ten seconds of CPU) is a further case (completo) of this check, which make test
# runs for the embedded engine; make test still compares Quarto's documents with the embedded engine's below.
@pytest.mark.parametrize("engine", ["embedded", pytest.param("quarto", marks=pytest.mark.completo)])
@pytest.mark.parametrize("fmt", FORMATS)
def test_each_engine_gives_the_same_bytes_twice(documents, engine, fmt, request):
    """Two renders of the same staged sources: Quarto's here (quarto_again), the embedded engine's here and
    in the workflow (the same comparison as the next test, named for the engine)."""
    first = documents[engine, 1][fmt]
    second = request.getfixturevalue("quarto_again")[fmt] if engine == "quarto" else documents["built"][fmt]
    assert hashlib.sha256(first.read_bytes()).digest() == hashlib.sha256(second.read_bytes()).digest()


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_workflow_renders_what_the_embedded_engine_renders(documents, fmt):
    assert documents["built"][fmt].read_bytes() == documents["embedded", 1][fmt].read_bytes()


# --- PDF: the same text on every page, an archival accessible PDF ------------------------------------


def pdf_pages(path: Path) -> list[str]:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian poppler-utils) is not installed: PDF text not compared")
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(page.split()) for page in text.split("\f")]


def test_both_pdfs_have_the_same_text_on_every_page(documents):
    embedded, quarto = (pdf_pages(documents[engine, 1]["pdf"]) for engine in ENGINES)
    assert len(embedded) == len(quarto) and len(embedded) > 10
    different = [n for n, (a, b) in enumerate(zip(embedded, quarto), start=1) if a != b]
    assert not different, f"pages with different text: {different}"
    assert "Documento approvato dall’Assemblea dei Sindaci del 25 giugno 2019" in embedded[0]


def xmp(pdf: Path) -> str:
    return PdfReader(pdf).trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")


def pdf_alts(pdf: Path) -> list[str]:
    """The /Alt of every tag of the structure tree."""
    found: list[str] = []

    def walk(node):
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, dict):
            if "/Alt" in node:
                found.append(str(node["/Alt"]))
            if "/K" in node:
                walk(node["/K"])
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(PdfReader(pdf).trailer["/Root"]["/StructTreeRoot"])
    return sorted(found)


@pytest.mark.parametrize("engine", ENGINES)
def test_both_pdfs_are_pdf_a_2a_and_pdf_ua_1_with_the_figures_alt_text(documents, engine):
    pdf = documents[engine, 1]["pdf"]
    meta = xmp(pdf)
    assert "<pdfaid:part>2</pdfaid:part>" in meta and "<pdfaid:conformance>A</pdfaid:conformance>" in meta
    assert "<pdfuaid:part>1</pdfuaid:part>" in meta
    root = PdfReader(pdf).trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and str(root["/Lang"]) == "it"
    alts = fig_alts(documents["staging"])
    assert len(alts) == 4 and pdf_alts(pdf) == alts


def test_both_pdfs_embed_the_same_fonts(documents):
    def fonts(pdf: Path) -> set[tuple[str, bool]]:
        found = set()
        for page in PdfReader(pdf).pages:
            for font in page.get("/Resources", {}).get("/Font", {}).values():
                font = font.get_object()
                for leaf in [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]:
                    descriptor = leaf.get("/FontDescriptor")
                    descriptor = descriptor.get_object() if descriptor is not None else {}
                    embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                    found.add((str(leaf.get("/BaseFont")).split("+")[-1], embedded))
        return found

    embedded, quarto = (fonts(documents[engine, 1]["pdf"]) for engine in ENGINES)
    assert embedded == quarto and all(is_embedded for _, is_embedded in quarto)


def test_both_pdfs_have_the_same_pictures_on_the_same_pages(documents):
    def pictures(pdf: Path) -> list[list[str]]:
        return [
            sorted(hashlib.sha256(image.data).hexdigest() for image in page.images) for page in PdfReader(pdf).pages
        ]

    embedded, quarto = (pictures(documents[engine, 1]["pdf"]) for engine in ENGINES)
    assert embedded == quarto and sum(map(len, embedded)) == 4


# --- HTML and DOCX: the same tables, figures and captions; alternative text --------------------------


def html_captions(path: Path) -> list[str]:
    markup = path.read_text(encoding="utf-8")
    return [plain(m.group(2)) for m in re.finditer(r"<(figcaption|caption)\b[^>]*>(.*?)</\1>", markup, re.S)]


def html_tables(path: Path) -> list[list[list[str]]]:
    markup = path.read_text(encoding="utf-8")
    return [
        [
            [plain(cell) for cell in re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr\b[^>]*>(.*?)</tr>", table, re.S)
        ]
        for table in re.findall(r"<table\b[^>]*>(.*?)</table>", markup, re.S)
    ]


def html_images(path: Path) -> list[tuple[str, str]]:
    """(alt, digest of the embedded picture) of every <img>, in order."""
    markup = path.read_text(encoding="utf-8")
    return [
        (html_lib.unescape(alt), hashlib.sha256(src.encode()).hexdigest())
        for src, alt in re.findall(r'<img\b[^>]*?\bsrc="([^"]*)"[^>]*?\balt="([^"]*)"', markup)
    ]


def test_both_html_documents_have_the_same_captions_tables_and_pictures(documents):
    embedded, quarto = (documents[engine, 1]["html"] for engine in ENGINES)
    captions = html_captions(embedded)
    assert captions == html_captions(quarto)
    assert sum(c.startswith("Tabella ") for c in captions) >= 10 and sum(c.startswith("Figura ") for c in captions) == 4
    tables = html_tables(embedded)
    assert tables == html_tables(quarto)
    assert ["Totale (somma delle righe)", "1.703", "1.688", "15"] in [row[:1] + row[-3:] for t in tables for row in t]
    assert html_images(embedded) == html_images(quarto)


@pytest.mark.parametrize("engine", ENGINES)
def test_every_html_picture_has_its_alt_text(documents, engine):
    images = html_images(documents[engine, 1]["html"])
    assert sorted(alt for alt, _ in images) == fig_alts(documents["staging"])


def docx_xml(path: Path) -> ET.Element:
    with zipfile.ZipFile(path) as docx:
        return ET.fromstring(docx.read("word/document.xml"))


def docx_captions(path: Path) -> list[str]:
    return [
        "".join(t.text or "" for t in p.iter(W + "t"))
        for p in docx_xml(path).iter(W + "p")
        if any(s.get(W + "val") == "Caption" for s in p.iter(W + "pStyle"))
    ]


def docx_tables(path: Path) -> list[list[list[str]]]:
    """The data tables (two columns or more) that hold no other table: Quarto puts each captioned table
    inside a one-cell layout table, the embedded engine does not."""
    tables = []
    for table in docx_xml(path).iter(W + "tbl"):
        if any(True for _ in table.iter(W + "tbl") if _ is not table):
            continue
        rows = [
            [" ".join("".join(t.text or "" for t in cell.iter(W + "t")).split()) for cell in row.iter(W + "tc")]
            for row in table.iter(W + "tr")
        ]
        if rows and len(rows[0]) >= 2:
            tables.append(rows)
    return tables


def docx_media(path: Path) -> list[str]:
    """Digests of the pictures of a DOCX, except Quarto's callout icons (share/formats/docx/*.png)."""
    share = Path(QUARTO).resolve().parent.parent / "share" / "formats" / "docx"
    icons = {hashlib.sha256(icon.read_bytes()).hexdigest() for icon in share.glob("*.png")}
    with zipfile.ZipFile(path) as docx:
        media = [
            hashlib.sha256(docx.read(name)).hexdigest() for name in docx.namelist() if name.startswith("word/media/")
        ]
    return sorted(set(media) - icons)


def test_both_docx_documents_have_the_same_captions_tables_and_pictures(documents):
    embedded, quarto = (documents[engine, 1]["docx"] for engine in ENGINES)
    captions = docx_captions(embedded)
    assert captions == docx_captions(quarto) and len(captions) >= 14
    assert docx_tables(embedded) == docx_tables(quarto)
    assert docx_media(embedded) == docx_media(quarto) and len(docx_media(embedded)) == 4


@pytest.mark.parametrize("engine", ENGINES)
def test_every_docx_picture_has_its_alt_text(documents, engine):
    with zipfile.ZipFile(documents[engine, 1]["docx"]) as docx:
        document = docx.read("word/document.xml").decode("utf-8")
    described = re.findall(r'<wp:docPr\b[^>]*\bdescr="([^"]*)"', document)
    pictures = re.findall(r'<pic:cNvPr\b[^>]*\bdescr="([^"]*)"', document)
    assert described == pictures and all(described)
    figures = sorted(html_lib.unescape(d) for d in described if d not in ("Avviso", "Nota"))
    assert figures == fig_alts(documents["staging"])
