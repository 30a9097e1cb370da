"""Rendering layer: the embedded engine (pandoc + Typst) on a fixture using every construct the plan
uses, the same text from real Quarto when a `quarto` executable is on PATH, the Quarto options the
embedded engine implements (docs/rendering.md), determinism, located errors, engine choice, and the
Quarto command line (fake quarto)."""

from __future__ import annotations

import hashlib
import html as html_lib
import json
import logging
import os
import re
import shutil
import struct
import subprocess
import sys
import textwrap
import zipfile
import zlib
from pathlib import Path

import pypandoc
import pytest

from inputs_support import QUARTO, QUARTO_MISSING, quarto_on_path
from pianoabitativo.fragments.markdown import callout, percent_widths, pipe_table
from pianoabitativo.render.callouts import with_typst_boxes
from pianoabitativo.render.engine import detect_engine, engine_in_use, engine_name, render
from pianoabitativo.render.errors import RenderError
from pianoabitativo.render.quarto import DOCX_ALT_FILTER
from pianoabitativo.render.style_files import STAGED_FILES, style_file_names, write_style_file

FIXTURE = Path(__file__).parent / "fixtures" / "render"
QMD_NAME = "piano_test.qmd"
LEFT = ["Ambito", "Distrettuale", "Cremasco"]
RIGHT = ["Comune di Crema", "Ente Capofila", "per il Piano di Zona"]
EPOCH = 1561420800  # 2019-06-25
FORMATS = {"html": "piano.html", "pdf": "piano.pdf", "docx": "piano.docx"}


def png_bytes(width: int = 60, height: int = 30) -> bytes:
    """A small RGB gradient PNG, written without any imaging library."""
    rows = b"".join(b"\x00" + b"".join(bytes((4 * x, 120, 255 - 4 * x)) for x in range(width)) for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def prepare_project(dest: Path) -> Path:
    """Copy the fixture and generate what the pipeline generates next to it; return the .qmd."""
    shutil.copytree(FIXTURE, dest)
    gen = dest / "gen"
    (gen / "mappa.png").write_bytes(png_bytes())
    for name in style_file_names():  # what the style rule writes
        write_style_file(name, gen / name, LEFT, RIGHT)
    (gen / "typst-template.typ").write_bytes(STAGED_FILES["typst-template.typ"]())  # staged beside the document
    return dest / QMD_NAME


def render_all(qmd: Path, out_dir: Path, engine: str = "embedded") -> dict[str, Path]:
    outputs = {}
    for fmt, name in FORMATS.items():
        assert render(qmd, fmt, out_dir / name, engine=engine, source_date_epoch=EPOCH) == engine
        outputs[fmt] = out_dir / name
    return outputs


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return prepare_project(tmp_path_factory.mktemp("render") / "report")


@pytest.fixture(scope="module")
def rendered(project: Path) -> dict[str, Path]:
    return render_all(project, project.parent.parent / "output")


def normalise(text: str) -> str:
    """Non-breaking spaces (used in "Tabella 1") as plain spaces."""
    return text.replace("\u00a0", " ").replace("&nbsp;", " ")


def docx_part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name).decode("utf-8")


def pdf_text(path: Path) -> str:
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return normalise(result.stdout)


needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (Debian poppler-utils) is not installed: PDF text not checked"
)
needs_quarto = pytest.mark.skipif(
    QUARTO is None,
    reason=f"{QUARTO_MISSING}: the real-Quarto half of the comparison is skipped (the embedded half runs)",
)


def html_text(path: Path) -> str:
    """The visible text of an HTML file, tags and styles/scripts removed, spaces collapsed."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"<(style|script)\b.*?</\1>", " ", text, flags=re.S)
    text = re.sub(r"</?(a|span|strong|em|code)\b[^>]*>", "", text)  # inline tags: no space
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", text))
    return " ".join(normalise(text).split())


def docx_text(path: Path) -> str:
    """The text of a DOCX body, one paragraph per line."""
    xml = docx_part(path, "word/document.xml")
    paragraphs = [
        html_lib.unescape("".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", p)))
        for p in re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S)
    ]
    return normalise("\n".join(paragraphs))


def visible_text(path: Path) -> str:
    """What a reader sees, whatever the format, with spaces collapsed."""
    reader = {".html": html_text, ".pdf": pdf_text, ".docx": docx_text}[path.suffix]
    return " ".join(reader(path).split())


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- embedded engine: what the reader sees -----------------------------------------------------


def test_html_resolves_meta_var_and_nested_includes(rendered):
    html = normalise(rendered["html"].read_text(encoding="utf-8"))
    assert "l’Ambito Distrettuale Cremasco: 48 comuni" in html
    assert "162.323" in html and "283,26" in html
    assert "ISTAT, popolazione residente al 1° gennaio 2018" in html  # {{< var fonte.istat >}}
    assert "Data del documento: Documento approvato dall’Assemblea dei Sindaci del 25 giugno 2019." in html
    assert "ALER Brescia-Cremona-Mantova" in html and "<strong>1.801</strong>" in html  # included table rows
    assert "Dati comunicati dagli enti proprietari al 31/12/2018." in html  # include inside an include
    assert "II. Offerta abitativa 2019" in html  # shortcode in a heading
    assert "{{<" not in html and "{{&lt;" not in html


def test_html_numbers_tables_and_figures_and_links_references(rendered):
    html = normalise(rendered["html"].read_text(encoding="utf-8"))
    assert "<caption>Tabella 1: Consistenza del patrimonio abitativo pubblico</caption>" in html
    assert "<caption>Tabella 2: Comuni per sub-ambito</caption>" in html
    assert "<figcaption>Figura 1: Densità abitativa per comune</figcaption>" in html
    assert '<a href="#tbl-patrimonio" class="quarto-xref">Tabella 1</a>' in html
    assert '<a href="#fig-mappa" class="quarto-xref">Figura 1</a>' in html
    assert '(tabella <a href="#tbl-subambiti" class="quarto-xref">2</a>)' in html  # -@tbl-subambiti
    assert "@tbl-" not in html and "@fig-" not in html


def test_html_has_toc_header_callouts_and_embedded_resources(rendered):
    html = rendered["html"].read_text(encoding="utf-8")
    assert '<h2 id="toc-title">Indice</h2>' in html
    assert 'id="toc-note-tecniche"' not in html  # .unlisted heading stays out of the TOC
    assert 'id="toc-nota-sui-dati"' not in html  # a callout's title is not a section
    assert '<div class="piano-header-left">Ambito<br>' in html and "per il Piano di Zona</div>" in html
    assert '<div class="callout callout-note">' in html and "Nota sui dati" in html
    assert '<div class="callout callout-warning">' in html
    assert "Totale dichiarato diverso dalla somma delle righe" in html
    assert 'src="data:image/png;base64,' in html and 'src="gen/' not in html
    assert "<link" not in html and ".callout-title" in html  # stylesheet inlined
    assert '<div style="page-break-after: always;"></div>' in html  # {{< pagebreak >}}


@needs_pdftotext
def test_pdf_has_running_header_toc_and_numbered_floats(rendered):
    text = pdf_text(rendered["pdf"])
    pages = text.split("\f")
    for page in (p for p in pages if p.strip()):
        assert "Ambito" in page and "Comune di Crema" in page and "per il Piano di Zona" in page
    assert "Indice" in text
    assert "Tabella 1: Consistenza del patrimonio abitativo pubblico" in text
    assert "Figura 1: Densità abitativa per comune" in text
    assert "riportata nella Tabella 1; la Figura 1 mostra" in text
    assert "(tabella 2)" in text
    assert "Nota sui dati" in text and "162.323" in text and "1.801" in text
    second_part = next(page for page in pages if "II. Offerta abitativa 2019\n" in page)
    assert "I. Premessa" not in second_part  # {{< pagebreak >}} before part II
    assert "{{<" not in text and "@tbl-" not in text


def test_pdf_uses_only_typst_embedded_fonts(rendered):
    data = rendered["pdf"].read_bytes()
    assert b"LibertinusSerif" in data
    assert b"DejaVuSans-Bold" not in data and b"Liberation" not in data


def test_docx_has_numbered_captions_links_callouts_and_page_header(rendered):
    document = normalise(docx_part(rendered["docx"], "word/document.xml"))
    assert "Tabella 1: Consistenza del patrimonio abitativo pubblico" in document
    assert "Figura 1: Densità abitativa per comune" in document
    assert '<w:hyperlink w:anchor="tbl-patrimonio">' in document and ">Tabella 1<" in document
    assert ">Indice<" in document and "TOC \\o &quot;1-2&quot;" in document
    assert 'w:tblStyle w:val="CalloutNote"' in document and "Nota sui dati" in document
    assert "162.323" in document and "{{&lt;" not in document and "@tbl-" not in document
    assert re.search(
        r'<w:headerReference (w:type="default" r:id="rIdPianoHeader"|r:id="rIdPianoHeader" '
        r'w:type="default")',
        document,
    )
    header = docx_part(rendered["docx"], "word/header1.xml")
    assert "Comune di Crema" in header and "Ente Capofila" in header and "Cremasco" in header
    assert 'w:styleId="CalloutNote"' in docx_part(rendered["docx"], "word/styles.xml")
    assert '<w:br w:type="page"/>' in document


def test_outputs_are_byte_identical_across_runs_and_folders(rendered, tmp_path):
    again = render_all(prepare_project(tmp_path / "elsewhere" / "report"), tmp_path / "out")
    for fmt, path in rendered.items():
        assert sha256(path) == sha256(again[fmt]), fmt
        assert str(tmp_path).encode() not in again[fmt].read_bytes()
    assert "2019-06-25T00:00:00Z" in docx_part(again["docx"], "docProps/core.xml")  # SOURCE_DATE_EPOCH


def test_reference_docx_is_deterministic_and_well_formed(tmp_path):
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    write_style_file("reference.docx", first, LEFT, RIGHT)
    write_style_file("reference.docx", second, LEFT, RIGHT)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert archive.namelist()[0] == "[Content_Types].xml"
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        types = archive.read("[Content_Types].xml").decode()
        rels = archive.read("word/_rels/document.xml.rels").decode()
    assert 'PartName="/word/header1.xml"' in types and 'PartName="/word/footer1.xml"' in types
    assert 'Id="rIdPianoHeader"' in rels and 'Target="header1.xml"' in rels
    document = docx_part(first, "word/document.xml")
    assert 'r:id="rIdPianoHeader"' in document and 'w:w="11906"' in document  # A4


def test_header_helpers_escape_text(tmp_path):
    write_style_file("header.typ", tmp_path / "header.typ", ['Ambito "Cremasco"'], ["a\\b"])
    typ = (tmp_path / "header.typ").read_text(encoding="utf-8")
    assert '"Ambito \\"Cremasco\\""' in typ and '"a\\\\b"' in typ and "#set page(" in typ
    write_style_file("header.html", tmp_path / "header.html", ["A & B"], ["<C>"])
    html = (tmp_path / "header.html").read_text(encoding="utf-8")
    assert "A &amp; B" in html and "&lt;C&gt;" in html


# --- errors: located, strict, nothing half-written ----------------------------------------------


def write_doc(folder: Path, body: str, front: str = "lang: it\nmetadata-files: [cifre.yml]\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "_quarto.yml").write_text("project:\n  type: default\n", encoding="utf-8")
    (folder / "cifre.yml").write_text('piano:\n  anno: "2019"\n', encoding="utf-8")
    qmd = folder / "doc.qmd"
    qmd.write_text(f"---\n{front}---\n\n{textwrap.dedent(body)}", encoding="utf-8")
    return qmd


def test_unknown_meta_key_names_document_line_and_key(tmp_path):
    qmd = write_doc(tmp_path, "# Titolo\n\nAnno {{< meta piano.anno >}}, ambito {{< meta piano.ambitoo >}}.\n")
    with pytest.raises(RenderError) as err:
        render(qmd, "html", tmp_path / "doc.html", engine="embedded")
    message = str(err.value)
    assert "doc.qmd, riga 8" in message and "piano.ambitoo" in message
    assert not (tmp_path / "doc.html").exists()


def test_missing_include_names_document_line_and_file(tmp_path):
    qmd = write_doc(tmp_path, "Testo.\n\n{{< include gen/tab_x.md >}}\n")
    with pytest.raises(RenderError) as err:
        render(qmd, "pdf", tmp_path / "doc.pdf", engine="embedded")
    assert "doc.qmd, riga 8" in str(err.value) and "gen/tab_x.md" in str(err.value)


def test_error_inside_an_included_file_names_that_file(tmp_path):
    qmd = write_doc(tmp_path, "Testo.\n\n{{< include parte.md >}}\n")
    (tmp_path / "parte.md").write_text("Uno.\n\nDue {{< var manca >}}.\n", encoding="utf-8")
    with pytest.raises(RenderError) as err:
        render(qmd, "docx", tmp_path / "doc.docx", engine="embedded")
    assert "parte.md, riga 3" in str(err.value) and "manca" in str(err.value)


def test_var_without_quarto_project_is_an_error(tmp_path):
    qmd = write_doc(tmp_path, "Fonte {{< var fonte >}}.\n")
    (tmp_path / "_quarto.yml").unlink()
    (tmp_path / "_variables.yml").write_text("fonte: ISTAT\n", encoding="utf-8")
    with pytest.raises(RenderError, match="_quarto.yml"):
        render(qmd, "html", tmp_path / "doc.html", engine="embedded")


def test_unknown_cross_reference_names_the_line(tmp_path):
    qmd = write_doc(tmp_path, "Vedi la @tbl-mancante.\n")
    with pytest.raises(RenderError) as err:
        render(qmd, "html", tmp_path / "doc.html", engine="embedded")
    assert "doc.qmd, riga 6" in str(err.value) and "@tbl-mancante" in str(err.value)


def test_failed_render_keeps_the_previous_output(tmp_path):
    qmd = write_doc(tmp_path, "Testo.\n\n```{=typst}\n#funzione-inesistente()\n```\n")
    output = tmp_path / "out" / "doc.pdf"
    output.parent.mkdir()
    output.write_bytes(b"previous")
    with pytest.raises(RenderError, match="Typst"):  # pandoc succeeds, Typst fails
        render(qmd, "pdf", output, engine="embedded")
    assert output.read_bytes() == b"previous" and os.listdir(output.parent) == ["doc.pdf"]


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx"])
def test_missing_image_fails_every_format_naming_the_line(tmp_path, fmt):
    qmd = write_doc(tmp_path, "Una figura:\n\n![Mappa](gen/manca.png){#fig-mappa}\n")
    with pytest.raises(RenderError) as err:
        render(qmd, fmt, tmp_path / f"doc.{fmt}", engine="embedded")
    assert "doc.qmd, riga 8" in str(err.value) and "gen/manca.png" in str(err.value)


def test_escaped_shortcode_stays_literal_and_metadata_files_win(tmp_path):
    qmd = write_doc(
        tmp_path,
        "Scrivere {{{< meta piano.anno >}}} per ottenere {{< meta piano.anno >}}.\n",
        front='lang: it\nmetadata-files: [cifre.yml]\npiano: {anno: "1999"}\n',
    )
    render(qmd, "html", tmp_path / "doc.html", engine="embedded")
    html = (tmp_path / "doc.html").read_text(encoding="utf-8")
    assert "Scrivere {{&lt; meta piano.anno &gt;}} per ottenere 2019." in html


def test_no_intermediate_files_next_to_the_document(project, rendered):
    generated = {"mappa.png", "header.typ", "header.html", "reference.docx", "piano.css", "typst-template.typ"}
    expected = {p.relative_to(FIXTURE) for p in FIXTURE.rglob("*")} | {Path("gen") / n for n in generated}
    assert {p.relative_to(project.parent) for p in project.parent.rglob("*")} == expected


# --- engine choice -------------------------------------------------------------------------------


def test_detect_engine(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: "/opt/quarto/bin/quarto")
    assert detect_engine("auto") == "quarto"
    assert detect_engine("quarto") == "quarto"
    assert detect_engine("embedded") == "embedded"
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert detect_engine("auto") == "embedded"
    with pytest.raises(RenderError, match="quarto.*PATH"):
        detect_engine("quarto")
    with pytest.raises(RenderError, match="sconosciuto"):
        detect_engine("pandoc")


FAKE_QUARTO = """\
#!{python}
import json, os, pathlib, sys
args = sys.argv[1:]
if args == ["--version"]:
    print("1.10.18")
    sys.exit(0)
pathlib.Path(os.environ["FAKE_QUARTO_LOG"]).write_text(json.dumps(
    {{"args": args, "cwd": os.getcwd(), "epoch": os.environ.get("SOURCE_DATE_EPOCH")}}))
pathlib.Path(".quarto").mkdir(exist_ok=True)
if os.environ.get("FAKE_QUARTO_WARN"):
    sys.stderr.write("WARNING (1): finto avviso di Quarto\\n")
    # as Quarto 1.10.18 writes them: coloured, over several lines
    sys.stderr.write("\\x1b[33mWARN: typst-gather analyze failed; staging all packages as fallback: typst-gather "
                     "binary not found.\\nRun ./configure.sh to build and install it.\\x1b[39m\\n"
                     "[typst]: Compiling doc.typ to doc.pdf...DONE\\n"
                     "\\x1b[33mWARN: PDF standard validation requested but verapdf is not installed.\\n"
                     "Install with: quarto install verapdf\\nStandards requested: a-2a, ua-1\\x1b[39m\\n"
                     "Output created: doc.pdf\\n")
if os.environ.get("FAKE_QUARTO_FAIL"):
    sys.stderr.write("\\x1b[31mERROR: finto errore di Quarto\\x1b[39m\\n")
    sys.exit(1)
out_dir = pathlib.Path(args[args.index("--output-dir") + 1])
suffix = {{"typst": ".pdf", "html": ".html", "docx": ".docx"}}[args[args.index("--to") + 1]]
out_dir.mkdir(parents=True, exist_ok=True)
(out_dir / (pathlib.Path(args[1]).stem + suffix)).write_bytes(b"made by fake quarto " + suffix.encode())
"""


@pytest.fixture
def fake_quarto(tmp_path, monkeypatch) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "quarto"
    script.write_text(FAKE_QUARTO.format(python=sys.executable), encoding="utf-8")
    script.chmod(0o755)
    log = tmp_path / "quarto-call.json"
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("FAKE_QUARTO_LOG", str(log))
    return log


def test_the_engine_in_use_and_its_name_for_the_console(fake_quarto, monkeypatch):
    assert engine_in_use("auto") == engine_in_use("quarto") == "quarto 1.10.18"  # the render rule's param
    assert engine_in_use("embedded") == "embedded"
    assert engine_name("quarto") == "Quarto 1.10.18" and engine_name("embedded") == "il motore integrato"
    monkeypatch.setenv("PATH", "/nonexistent")
    assert engine_in_use("auto") == "embedded"
    assert engine_in_use("quarto") == "quarto"  # not usable: the render says why, in Italian


def test_quarto_engine_runs_quarto_render_and_moves_the_pdf(fake_quarto, tmp_path):
    qmd = write_doc(tmp_path / "report", "Testo.\n")
    output = tmp_path / "output" / "piano.pdf"
    assert render(qmd, "pdf", output, engine="auto", source_date_epoch=EPOCH) == "quarto"
    call = json.loads(fake_quarto.read_text())
    assert call["args"][:4] == ["render", "doc.qmd", "--to", "typst"]
    assert call["args"][4] == "--output-dir" and len(call["args"]) == 6
    assert Path(call["cwd"]) == qmd.parent and call["epoch"] == str(EPOCH)
    assert output.read_bytes() == b"made by fake quarto .pdf"
    assert not (qmd.parent / call["args"][5]).exists()  # temporary output folder removed
    assert sorted(os.listdir(qmd.parent)) == [".quarto", "_quarto.yml", "cifre.yml", "doc.qmd"]


def test_quarto_engine_html_and_docx_targets(fake_quarto, tmp_path):
    qmd = write_doc(tmp_path / "report", "Testo.\n")
    for fmt in ("html", "docx"):
        output = tmp_path / f"piano.{fmt}"
        assert render(qmd, fmt, output, engine="quarto") == "quarto"
        args = json.loads(fake_quarto.read_text())["args"]
        assert args[3] == fmt
        assert output.read_bytes() == f"made by fake quarto .{fmt}".encode()
    # DOCX only: the filter that gives the images their alternative text runs after Quarto's own
    assert args[6:] == ["--metadata", json.dumps(["quarto", str(DOCX_ALT_FILTER)]).join(["filters=", ""])]
    assert DOCX_ALT_FILTER.is_file()


def test_quarto_docx_command_keeps_the_documents_own_filters_before_quartos():
    """`--metadata filters=...` replaces the front matter's `filters:`: the document's own are given again."""
    from pianoabitativo.render.quarto import own_filters, quarto_command

    text = "---\ntitle: x\nfilters: [gen/quotes.lua]   # «…»\n---\n\nTesto.\n"
    assert own_filters(text) == ["gen/quotes.lua"] and own_filters("Testo.\n") == []
    command = quarto_command("quarto", "piano.qmd", "docx", "out", own_filters(text))
    assert command[-1] == "filters=" + json.dumps(["gen/quotes.lua", "quarto", str(DOCX_ALT_FILTER)])
    assert "--metadata" not in quarto_command("quarto", "piano.qmd", "html", "out", own_filters(text))
    reference = (Path(__file__).resolve().parent.parent / "report/piano_cremasco_2019.qmd").read_text(encoding="utf-8")
    assert own_filters(reference) == ["gen/quotes.lua"]


def test_docx_alt_filter_gives_each_image_its_alt_attribute_or_its_callout_kind():
    """What Quarto 1.10.18 leaves for pandoc's DOCX writer: fig-alt moved to an `alt` attribute, no description."""
    source = (
        '![](gen/fig.png){width=70% fig-alt="Mappa dei 48 comuni" alt="Mappa dei 48 comuni"}\n\n'
        "![](/opt/quarto/share/formats/docx/warning.png){width=16 height=16} Titolo della nota\n\n"
        '![Già descritta](gen/altra.png){alt="altro"}\n'
    )
    for lang, icon in (("it", "Avviso"), ("en", "Warning")):
        ast = json.loads(
            pypandoc.convert_text(
                f"---\nlang: {lang}\n---\n\n{source}",
                "json",
                format="markdown-implicit_figures",
                filters=[str(DOCX_ALT_FILTER)],
            )
        )
        images = [inline for block in ast["blocks"] for inline in block["c"] if inline["t"] == "Image"]
        descriptions = [" ".join(i["c"] for i in image["c"][1] if i["t"] == "Str") for image in images]
        assert descriptions == ["Mappa dei 48 comuni", icon, "Già descritta"]


def test_quarto_failure_is_a_render_error_and_writes_nothing(fake_quarto, tmp_path, monkeypatch):
    monkeypatch.setenv("FAKE_QUARTO_FAIL", "1")
    qmd = write_doc(tmp_path / "report", "Testo.\n")
    with pytest.raises(RenderError, match="finto errore di Quarto") as failure:
        render(qmd, "docx", tmp_path / "piano.docx", engine="quarto")
    assert "\x1b" not in str(failure.value) and "ERROR: finto errore di Quarto" in str(failure.value)
    assert not (tmp_path / "piano.docx").exists()


def test_quarto_warnings_reach_the_log_and_quarto_works_in_the_staging_folder(
    fake_quarto, tmp_path, monkeypatch, caplog
):
    monkeypatch.setenv("FAKE_QUARTO_WARN", "1")
    staging = tmp_path / "build" / "piano" / "pdf"
    qmd = write_doc(staging, "Testo.\n")
    with caplog.at_level(logging.INFO):
        render(qmd, "pdf", tmp_path / "piano.pdf", engine="quarto")
    assert any(
        r.levelno == logging.WARNING and "WARNING (1): finto avviso di Quarto" in r.getMessage() for r in caplog.records
    )
    logged = [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "pianoabitativo.render.quarto"]
    assert not any("\x1b" in message for _, message in logged)  # no colour codes in the log
    warnings = [message for level, message in logged if level == logging.WARNING]
    for line in (
        "WARN: typst-gather analyze failed",
        "Run ./configure.sh",
        "WARN: PDF standard validation requested",
        "Install with: quarto install verapdf",
        "Standards requested: a-2a, ua-1",
    ):
        assert any(line in message for message in warnings), line
    assert (logging.INFO, "quarto: [typst]: Compiling doc.typ to doc.pdf...DONE") in logged
    notes = [message for level, message in logged if level == logging.INFO and "harmless" in message]
    assert len(notes) == 2 and "typst-gather" in notes[0] and "veraPDF" in notes[1]
    assert (staging / ".quarto").is_dir()  # Quarto's own folder stays in the project it ran in
    assert sorted(os.listdir(tmp_path)) == ["bin", "build", "piano.pdf", "quarto-call.json"]


# --- the same document from both engines (real Quarto only where it is installed) ----------------

# What a reader must find, word for word, in every format from either engine: title block, date line
# (date + date-format), captions, cross-references, the boxed notes, text chosen by content-visible.
SAME_TEXT = (
    "Piano annuale dell’offerta dei servizi abitativi pubblici e sociali",
    "Ambito Distrettuale Cremasco · anno 2019",
    "Comune di Crema, Ente Capofila per il Piano di Zona",
    "Documento approvato dall’Assemblea dei Sindaci del 25 giugno 2019",
    "Data del documento: Documento approvato dall’Assemblea dei Sindaci del 25 giugno 2019.",
    "Indice",
    "Tabella 1: Consistenza del patrimonio abitativo pubblico",
    "Tabella 2: Comuni per sub-ambito",
    "Figura 1: Densità abitativa per comune",
    "riportata nella Tabella 1; la Figura 1 mostra",
    "I comuni sono elencati nella Tabella 2 (tabella 2).",
    "Nota sui dati",
    "Totale dichiarato diverso dalla somma delle righe",
    "dichiarato 1.761, somma delle righe 1.760",
    "ISTAT, popolazione residente al 1° gennaio 2018",
    "II. Offerta abitativa 2019",
)
WEB_ONLY, PRINT_ONLY = "Solo nella pagina web: testo per il web.", "Solo nella pagina web: testo per la stampa."


@pytest.fixture(scope="module", params=["embedded", pytest.param("quarto", marks=[needs_quarto, pytest.mark.e2e])])
def both_engines(request, tmp_path_factory) -> tuple[str, dict[str, Path], Path]:
    root = tmp_path_factory.mktemp(f"engine-{request.param}")
    qmd = prepare_project(root / "report")
    with quarto_on_path():
        return request.param, render_all(qmd, root / "output", engine=request.param), qmd


@needs_pdftotext
@pytest.mark.parametrize("fmt", ["html", "pdf", "docx"])
def test_both_engines_print_the_same_text(both_engines, fmt):
    engine, outputs, _ = both_engines
    text = visible_text(outputs[fmt])
    missing = [phrase for phrase in SAME_TEXT if phrase not in text]
    assert not missing, f"{engine}, {fmt}: missing {missing}"
    assert "Invalid Date" not in text and "{{<" not in text and "@tbl-" not in text and "?@" not in text
    assert (WEB_ONLY in text) == (fmt == "html") and (PRINT_ONLY in text) == (fmt != "html")


def test_both_engines_html_options(both_engines):
    engine, outputs, _ = both_engines
    html = re.sub(r"<(style|script)\b.*?</\1>", "", outputs["html"].read_text(encoding="utf-8"), flags=re.S)
    html = re.sub(r'"data:[^"]*"', '""', html)  # Quarto embeds its stylesheets as data: URIs
    assert 'alt="Mappa dei comuni colorati per densità abitativa"' in html  # fig-alt
    assert "Altri Formati" not in html and "quarto-alternate-formats" not in html  # format-links: false
    assert "quarto-title-meta-heading" not in html and "Autore/Autrice" not in html  # title-block-style: none
    assert 'id="TOC"' in html  # toc-location: body: the contents in the page, no sidebar holding them
    assert all(
        not inside.strip()
        for inside in re.findall(r'<div [^>]*class="sidebar[^"]*"[^>]*>(.*?)</div>', html, flags=re.S)
    )
    assert 'class="callout' in html and "typst:fill" not in html


def test_both_engines_docx_pictures_have_their_alternative_text(both_engines):
    """Quarto 1.10.18 leaves `descr` empty (assets/quarto-docx-alt.lua gives it back); its callout icon is
    described by the callout's kind, not by its absolute path on this machine."""
    engine, outputs, _ = both_engines
    document = docx_part(outputs["docx"], "word/document.xml")
    described = re.findall(r'<wp:docPr\b[^>]*\bdescr="([^"]*)"', document)
    pictures = re.findall(r'<pic:cNvPr\b[^>]*\bdescr="([^"]*)"', document)
    assert "Mappa dei comuni colorati per densità abitativa" in described
    assert described == pictures and all(described), (engine, described)
    assert "formats/docx" not in document and str(Path.home()) not in document


@needs_pdftotext
def test_both_engines_pdf_has_the_contents_alone_on_the_first_page(both_engines):
    engine, outputs, _ = both_engines
    pages = pdf_text(outputs["pdf"]).split("\f")
    assert "Indice" in pages[0] and "Documento approvato" in pages[0]
    assert "Il piano riguarda" not in pages[0] and "Il piano riguarda" in pages[1]  # typst-template.typ partial


@needs_quarto
def test_quarto_leaves_nothing_beside_the_source(both_engines):
    engine, _, qmd = both_engines
    if engine != "quarto":
        pytest.skip("only a Quarto render can leave .quarto/ behind")
    left = {p.relative_to(qmd.parent) for p in qmd.parent.rglob("*")}
    assert not any(part.startswith(".quarto-render-") for p in left for part in p.parts)
    assert not any(p.suffix == ".typ" and p.parent == Path(".") for p in left)  # intermediate .typ removed


# --- Quarto options the embedded engine implements (docs/rendering.md) -------------


def options_doc(folder: Path, body: str, front: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "_quarto.yml").write_text("project:\n  type: default\n", encoding="utf-8")
    qmd = folder / "doc.qmd"
    qmd.write_text(f"---\nlang: it\n{front}---\n\n{textwrap.dedent(body)}", encoding="utf-8")
    return qmd


TABLE = '| A | B | C |\n|:--|--:|--:|\n| x | 1 | 2 |\n\n: Tabella di prova {#tbl-a tbl-colwidths="[10,30,60]"}\n'


def test_date_format_with_literal_text_and_the_default_per_format(tmp_path):
    qmd = options_doc(
        tmp_path,
        "Data: {{< meta date >}}.\n",
        'title: Titolo\ndate: 2019-06-25\ndate-format: "[Approvato il] D MMMM YYYY"\n',
    )
    render(qmd, "docx", tmp_path / "a.docx", engine="embedded")
    assert "Approvato il 25 giugno 2019" in docx_text(tmp_path / "a.docx")
    assert "Data: Approvato il 25 giugno 2019." in docx_text(tmp_path / "a.docx")
    plain = options_doc(tmp_path / "plain", "Testo.\n", "title: Titolo\ndate: 2019-06-25\n")
    render(plain, "html", tmp_path / "b.html", engine="embedded")
    render(plain, "docx", tmp_path / "b.docx", engine="embedded")
    assert "25 giugno 2019" in html_text(tmp_path / "b.html")  # HTML: date-format long by default
    assert "2019-06-25" in docx_text(tmp_path / "b.docx")  # Typst and DOCX: the date as written


def test_free_text_date_is_refused_instead_of_invalid_date(tmp_path):
    qmd = options_doc(tmp_path, "Testo.\n", "title: Titolo\ndate: Documento approvato il 25 giugno 2019\n")
    with pytest.raises(RenderError, match="Invalid Date"):
        render(qmd, "html", tmp_path / "a.html", engine="embedded")


def test_tbl_colwidths_in_every_format(tmp_path):
    qmd = options_doc(tmp_path, TABLE, "")
    render(qmd, "html", tmp_path / "a.html", engine="embedded")
    html = (tmp_path / "a.html").read_text(encoding="utf-8")
    assert re.findall(r'<col style="width: (\d+)%"', html) == ["10", "30", "60"]
    assert "tbl-colwidths" not in html
    render(qmd, "docx", tmp_path / "a.docx", engine="embedded")
    assert re.findall(r'<w:gridCol w:w="(\d+)"', docx_part(tmp_path / "a.docx", "word/document.xml")) == [
        "792",
        "2376",
        "4752",
    ]  # the same twips as Quarto 1.10.18's DOCX


def test_tbl_colwidths_false_drops_the_dash_widths(tmp_path):
    wide = "| Colonna | Altra |\n|:" + "-" * 70 + "|-----:|\n| x | 1 |\n\n: Larga {#tbl-a}\n"
    qmd = options_doc(tmp_path, wide, "tbl-colwidths: false\n")
    render(qmd, "html", tmp_path / "a.html", engine="embedded")
    assert "<col style" not in (tmp_path / "a.html").read_text(encoding="utf-8")


def test_toc_location_format_links_and_title_block_style_defaults(tmp_path):
    qmd = options_doc(
        tmp_path,
        "# Uno\n\nTesto.\n",
        "title: Titolo\nauthor: Ente\ndate: 2019-06-25\ntoc: true\nformat:\n  html: default\n  docx: default\n",
    )
    render(qmd, "html", tmp_path / "doc.html", engine="embedded")
    html = (tmp_path / "doc.html").read_text(encoding="utf-8")
    assert '<div class="page toc-right">' in html  # Quarto's default: contents in the right margin
    assert '<div class="quarto-title-meta-heading">Autore/Autrice</div>' in html
    assert '<a href="doc.docx">MS Word</a>' in html and "Altri Formati" in html


def test_template_partials_only_quarto_names(tmp_path):
    (tmp_path / "altro.typ").write_text("", encoding="utf-8")
    qmd = options_doc(tmp_path, "Testo.\n", "format:\n  typst:\n    template-partials: [altro.typ]\n")
    with pytest.raises(RenderError, match="typst-template.typ"):
        render(qmd, "pdf", tmp_path / "doc.pdf", engine="embedded")


@needs_pdftotext
def test_typst_partial_gives_the_title_block_and_a_page_after_the_contents(tmp_path):
    qmd = options_doc(tmp_path, "# Uno\n\nTesto del corpo.\n", "title: Titolo della prova\ntoc: true\n")
    render(qmd, "pdf", tmp_path / "doc.pdf", engine="embedded")
    pages = pdf_text(tmp_path / "doc.pdf").split("\f")
    assert "Titolo della prova" in pages[0] and "Indice" in pages[0] and "Testo del corpo" not in pages[0]
    assert "Testo del corpo" in pages[1]


def test_unsupported_condition_is_an_error(tmp_path):
    qmd = options_doc(tmp_path, '::: {.content-visible when-meta="bozza"}\nTesto.\n:::\n', "")
    with pytest.raises(RenderError, match="when-meta"):
        render(qmd, "html", tmp_path / "doc.html", engine="embedded")


# --- the fragments' Markdown ---------------------------------------------------------------------


def test_pipe_table_caption_line_carries_column_widths():
    text = pipe_table(["Comune", "Misura 1"], [["Bagnolo Cremasco", "X"]], ["left", "left"], "Prova", "prova")
    caption = text.rstrip().splitlines()[-1]
    assert caption.startswith(': Prova {#tbl-prova tbl-colwidths="[') and caption.endswith(']"}')
    assert percent_widths([50, 50, 50]) == [33, 33, 34] or sum(percent_widths([50, 50, 50])) == 100
    assert sum(percent_widths([10, 5])) < 100  # a narrow table stays narrow


def test_note_is_plain_quarto_markdown_and_a_callout_except_in_typst_once_staged():
    assert callout("warning", "Titolo", "Testo.") == "::: {.callout-warning}\n## Titolo\n\nTesto.\n:::\n"
    note = with_typst_boxes("Prima.\n\n" + callout("warning", "Titolo", "Testo.") + "\nDopo.\n")
    assert note.startswith("Prima.\n\n::::: {.content-hidden") and note.endswith(":::::\n\nDopo.\n")
    note = note.removeprefix("Prima.\n\n")
    hidden, visible = note.split("\n\n::::: {.content-visible")
    assert hidden.startswith('::::: {.content-hidden when-format="typst"}\n::: {.callout-warning}\n## Titolo')
    assert 'when-format="typst"}' in visible and "typst:fill=" in visible and "**Titolo**" in visible
    assert ".callout" not in visible and "##" not in visible
    assert "typst:stroke='0.5pt + rgb(\"#a4570e\")'" in visible and "typst:fill='rgb(\"#fbf3ea\")'" in visible
    assert with_typst_boxes(note) == note  # already in two branches: left as it is


def test_staged_note_is_the_text_both_engines_rendered_before():
    """The render stage's boxes are, byte for byte, what the fragments wrote before (so the documents are the
    same): the note of the reference plan's stock table."""
    body = "Testo con la @tbl-patrimonio:\n\n- uno\n- due\n\nFine."
    before = (
        '::::: {.content-hidden when-format="typst"}\n::: {.callout-warning}\n## Titolo\n\n' + body + "\n:::\n"
        ':::::\n\n::::: {.content-visible when-format="typst"}\n'
        '::: {typst:fill=\'rgb("#fbf3ea")\' typst:inset="8pt" typst:stroke=\'0.5pt + rgb("#a4570e")\' '
        'typst:width="100%"}\n**Titolo**\n\n' + body + "\n:::\n:::::\n"
    )
    assert with_typst_boxes(callout("warning", "Titolo", body)) == before


# --- Italian quotation marks ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx"])
def test_double_quotes_are_italian_guillemets_in_every_format(tmp_path, fmt):
    """ "…" typed in the prose reads «…» in the PDF (Typst, lang: it) and, through assets/quotes.lua, in the
    HTML and the DOCX too (pandoc would print “…”); single quotes stay as typed."""
    qmd = write_doc(tmp_path, 'Il progetto "Casa Vuoi?" e l\'avviso "IntERPreTI".\n')
    render(qmd, fmt, tmp_path / f"doc.{fmt}", engine="embedded")
    text = visible_text(tmp_path / f"doc.{fmt}")
    assert "«Casa Vuoi?»" in text and "«IntERPreTI»" in text, text
    assert not {"“", "”", '"'} & set(text.replace("\u2019", "'")), text


def test_quarto_reads_the_same_quotes_filter():
    """The reference document names gen/quotes.lua (copied there by scripts/render_document.py) under
    `filters:`, so that Quarto prints «…» as the embedded engine does."""
    from pianoabitativo.render.pandoc_command import LUA_FILTERS
    from pianoabitativo.render.style_files import QUOTES_FILTER

    front = (Path(__file__).resolve().parents[1] / "report/piano_cremasco_2019.qmd").read_text(encoding="utf-8")
    assert "\nfilters: [gen/quotes.lua]" in front.split("\n---\n")[0]
    assert QUOTES_FILTER in LUA_FILTERS and QUOTES_FILTER.name == "quotes.lua"


def test_docx_list_items_are_ragged_right_so_long_paths_leave_no_gaps(tmp_path):
    """Word does not break «data/raw/…/patrimonio_enti.csv»: in a justified list item the line before it was
    stretched into wide gaps (DOCX, the appendix's failed checks). List items (style Compact) are left-aligned,
    as in the HTML; the body text stays justified."""
    write_style_file("reference.docx", tmp_path / "reference.docx", LEFT, RIGHT)
    styles = docx_part(tmp_path / "reference.docx", "word/styles.xml")
    compact = re.search(r'<w:style [^>]*w:styleId="Compact".*?</w:style>', styles, re.S).group(0)
    body = re.search(r'<w:style [^>]*w:styleId="BodyText".*?</w:style>', styles, re.S).group(0)
    assert '<w:jc w:val="left"/>' in compact and '<w:jc w:val="both"/>' in body
    qmd = write_doc(
        tmp_path,
        "- **Controllo**: data/raw/cremasco_2019/piattaforma/patrimonio_enti.csv, riga 26, "
        "colonna «Totale unità»: dichiarato 1.711, somma delle righe 1.703\n",
        front="lang: it\nmetadata-files: [cifre.yml]\nformat:\n  docx:\n    reference-doc: reference.docx\n",
    )
    render(qmd, "docx", tmp_path / "doc.docx", engine="embedded")
    document = docx_part(tmp_path / "doc.docx", "word/document.xml")
    item = next(p for p in re.findall(r"<w:p[ >].*?</w:p>", document, flags=re.S) if "dichiarato" in p)
    assert '<w:pStyle w:val="Compact"' in item
    assert 'w:styleId="Compact"' in docx_part(tmp_path / "doc.docx", "word/styles.xml")
    assert re.search(
        r'<w:jc w:val="left" ?/>',
        re.search(
            r'<w:style [^>]*w:styleId="Compact".*?</w:style>', docx_part(tmp_path / "doc.docx", "word/styles.xml"), re.S
        ).group(0),
    )
