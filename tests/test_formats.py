"""One table of output formats (render/formats.py): every consumer derives from it, so a fourth format is
an entry there (docs/rendering.md, «A new output format»). Shown with an ODT entry added to the table:
the embedded engine renders it, Quarto is asked for it, the HTML links to it, the workflow builds it."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from pianoabitativo import catalogue
from pianoabitativo.render import formats
from pianoabitativo.render.formats import OUTPUT_FORMATS, OutputFormat

ROOT = Path(__file__).resolve().parents[1]
ODT = OutputFormat("odt", "odt", "odt", link_name="OpenDocument")


@pytest.fixture
def with_odt(monkeypatch):
    monkeypatch.setattr(formats, "OUTPUT_FORMATS", (*OUTPUT_FORMATS, ODT))


def test_the_catalogue_and_the_rules_take_the_formats_from_the_table():
    assert catalogue.FORMATS == ("html", "pdf", "docx") == formats.names()
    # no list of the formats anywhere else: the rules, the Snakefile and the scripts go through the catalogue
    listed = re.compile(r"""["']html["'],\s*["']pdf["'],\s*["']docx["']""")
    sources = [ROOT / "Snakefile", *(ROOT / "rules").glob("*.smk"), *(ROOT / "scripts").glob("*.py")]
    sources += [p for p in (ROOT / "src" / "pianoabitativo").rglob("*.py") if p.name != "formats.py"]
    assert [p.name for p in sources if listed.search(p.read_text(encoding="utf-8"))] == []


def test_style_files_follow_the_table(with_odt):
    from pianoabitativo.render.style_files import STYLE_FILES, style_file_names

    assert style_file_names() == ["header.html", "piano.css", "header.typ", "reference.docx"]
    assert set(style_file_names()) == set(STYLE_FILES)


def write_doc(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    qmd = folder / "doc.qmd"
    qmd.write_text(
        textwrap.dedent(
            """\
            ---
            title: Prova
            lang: it
            format:
              html:
                toc-location: body
              odt:
                toc: true
            ---

            # Sezione

            Testo con una nota.

            ::: {.callout-note}
            ## Nota

            Corpo.
            :::
            """
        ),
        encoding="utf-8",
    )
    return qmd


def test_a_fourth_format_renders_with_the_embedded_engine(with_odt, tmp_path):
    from pianoabitativo.render.engine import render

    qmd = write_doc(tmp_path / "report")
    out = tmp_path / "doc.odt"
    assert render(qmd, "odt", out, engine="embedded", source_date_epoch=1561420800) == "embedded"
    with zipfile.ZipFile(out) as odt:
        assert odt.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        content = odt.read("content.xml").decode("utf-8")
    assert "Testo con una nota." in content and "Corpo." in content


def test_a_fourth_format_is_what_quarto_is_asked_for_and_what_the_html_links_to(with_odt, tmp_path):
    from pianoabitativo.render.document import format_options, read_document
    from pianoabitativo.render.pandoc_command import format_links
    from pianoabitativo.render.quarto import quarto_command

    assert quarto_command("quarto", "doc.qmd", "odt", "out")[3:5] == ["--to", "odt"]
    doc = read_document(write_doc(tmp_path))
    assert format_options(doc.front_matter, "odt")["toc"] is True
    links = format_links({"format": {"html": {}, "odt": {}, "typst": {}}}, {}, doc)
    assert links == [{"name": "OpenDocument", "href": "doc.odt"}, {"name": "Typst", "href": "doc.pdf"}]


ADD_ODT = """\
from pianoabitativo.render import formats
formats.OUTPUT_FORMATS = (*formats.OUTPUT_FORMATS, formats.OutputFormat("odt", "odt", "odt"))
"""


@pytest.mark.workflow
def test_the_workflow_builds_a_fourth_format_from_the_table_alone(tmp_path):
    """The table with an ODT entry (added before the Snakefile reads it): the render rule, the run's targets
    and the archive ask for output/piano_<plan>.odt; nothing else names the formats."""
    from inputs_support import CHILD_ENV, copy_project

    project = copy_project(tmp_path / "progetto")
    (tmp_path / "patch").mkdir()
    (tmp_path / "patch" / "sitecustomize.py").write_text(ADD_ODT, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "1", "--detailed-summary", "archive/piano_cremasco_2019.tar.gz"],
        cwd=project,
        env={**CHILD_ENV, "PYTHONPATH": str(tmp_path / "patch")},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for document in ("html", "pdf", "docx", "odt"):  # Snakemake's summary: file, ..., the rule that makes it
        assert re.search(rf"^output/piano_cremasco_2019\.{document}\t.*\trender\t", result.stdout, re.M), document
