"""The output formats of the plan, said once: every consumer reads this table.

- catalogue.FORMATS (the names), so the workflow's outputs (rules/report.smk, the Snakefile's targets,
  the archive) and the console's list of documents follow it;
- rules/report.smk's style rule writes each format's `style_files` (render/style_files.py builds them);
- the render script stages them beside the document and renders each format in turn;
- the Quarto engine runs `quarto render --to <quarto>` and takes `<stem>.<name>`;
- the embedded engine runs pandoc `--to <pandoc_writer>` (with what it implements for that writer,
  render/pandoc_command.py), then the writer's compile step (Typst for the PDF, render/embedded.py);
- both engines apply `finish` to the result.

Adding a format (ODT, Markdown, ...): docs/rendering.md, «A new output format».
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .finished_docx import finished_docx


@dataclass(frozen=True)
class OutputFormat:
    name: str  # the key in the rules and the extension: output/piano_<plan>.<name>
    quarto: str  # Quarto's name: `quarto render --to <quarto>`, the key under `format:` in the .qmd
    pandoc_writer: str  # the embedded engine's `pandoc --to`
    # files of report/gen/<plan>/ that give the format the plan's look, written by the style rule
    # (render/style_files.py) and named in the .qmd's `format: <quarto>:` options
    style_files: tuple[str, ...] = ()
    link_name: str = ""  # how Quarto's HTML «Altri Formati» names it ("" no link)
    finish: Callable[[bytes], bytes] | None = None  # applied to the document both engines produce

    @property
    def extension(self) -> str:
        return "." + self.name


OUTPUT_FORMATS: tuple[OutputFormat, ...] = (
    OutputFormat("html", "html", "html5", style_files=("header.html", "piano.css")),
    OutputFormat("pdf", "typst", "typst", style_files=("header.typ",), link_name="Typst"),
    OutputFormat("docx", "docx", "docx", style_files=("reference.docx",), link_name="MS Word", finish=finished_docx),
)


def output_format(name: str) -> OutputFormat:
    """The format named `name` (html | pdf | docx); KeyError if there is none."""
    return {fmt.name: fmt for fmt in OUTPUT_FORMATS}[name]


def by_quarto_name(quarto: str) -> OutputFormat | None:
    """The format Quarto calls `quarto` (the key under `format:`), None if none."""
    return next((fmt for fmt in OUTPUT_FORMATS if fmt.quarto == quarto), None)


def names() -> tuple[str, ...]:
    return tuple(fmt.name for fmt in OUTPUT_FORMATS)
