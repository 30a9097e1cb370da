"""The embedded engine: pandoc (pypandoc-binary) with the Lua filters in assets/, then, for the PDF, Typst.

The document is resolved first as Quarto would (document.py, shortcodes.py, dates.py); pandoc reads the
result from a temporary folder with the command line of pandoc_command.py (the Lua filters check images,
turn callouts into boxed notes and `@tbl-x`/`@fig-x` into "Tabella 1"/"Figura 1"; complaints are traced
back to source lines, pandoc_run.py); Typst compiles pandoc's Typst into the PDF (typst_pdf.py); the
format's `finish` step (formats.py) ends it. `output` is published only on success.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml

from pianoabitativo.core.files import write_bytes_atomically

from .dates import date_text
from .document import SourceLine, check_nothing_to_execute, document_metadata, format_options, read_document
from .formats import output_format
from .pandoc_command import html_layout, pandoc_arguments, pandoc_metadata
from .pandoc_run import run_pandoc
from .shortcodes import expanded_source
from .typst_pdf import compile_typst, pdf_standards, typst_partial, with_typst_partial

# What pandoc writes for a writer whose output is not yet the document: Typst source, compiled to PDF.
COMPILED_WRITERS = {"typst": ".typ"}


def write_pandoc_inputs(workdir: Path, lines: list[SourceLine], metadata: dict) -> tuple[Path, Path]:
    """The resolved Markdown and pandoc's metadata file (`metadata`: pandoc_metadata's), in `workdir`."""
    source = workdir / "document.md"
    source.write_text("\n".join(line.text for line in lines) + "\n", encoding="utf-8")
    metadata_file = workdir / "metadata.yaml"
    metadata_file.write_text(yaml.safe_dump(metadata, allow_unicode=True, sort_keys=True), encoding="utf-8")
    return source, metadata_file


def with_date_text(metadata: dict, options: dict, fmt: str, epoch: int) -> tuple[dict, dict]:
    """Metadata and options with `date` as the date line of this format (dates.py)."""
    text = date_text(options, fmt, epoch)
    if text is None:
        return metadata, options
    return {**metadata, "date": text}, {**options, "date": text}


def render_embedded(qmd: Path, fmt_name: str, output: Path, epoch: int) -> None:
    """Render with pandoc (+ Typst) in a temporary folder; publish `output` only on success."""
    fmt = output_format(fmt_name)
    doc = read_document(qmd)
    check_nothing_to_execute(doc)
    metadata = document_metadata(doc)
    metadata, options = with_date_text(metadata, format_options(metadata, fmt.name), fmt.name, epoch)
    lines = expanded_source(doc, metadata)
    extra = html_layout(metadata, options, doc) if fmt.pandoc_writer == "html5" else {}
    typst = fmt.pandoc_writer == "typst"
    partial = typst_partial(options, doc) if typst else b""  # checked before pandoc runs
    standards = pdf_standards(options, doc) if typst else []
    with tempfile.TemporaryDirectory(prefix="piano-render-") as tmp:
        workdir = Path(tmp)
        source, metadata_file = write_pandoc_inputs(workdir, lines, pandoc_metadata(metadata, options, fmt.name, extra))
        produced = workdir / ("document" + COMPILED_WRITERS.get(fmt.pandoc_writer, fmt.extension))
        args = pandoc_arguments(fmt, options, doc, source, metadata_file, produced)
        run_pandoc(args, lines, doc, fmt.name, workdir, epoch)
        data = produced.read_bytes()
        if typst:
            data = compile_typst(with_typst_partial(data, partial), doc.path.parent, epoch, standards)
        write_bytes_atomically(output, fmt.finish(data) if fmt.finish else data)
