"""Render the plan's Quarto document (report/*.qmd) to HTML, PDF and DOCX: the entry point.

Two engines give the same documents from the same .qmd:

- "quarto": the Quarto CLI, used when a `quarto` executable is on PATH (quarto.py);
- "embedded": pandoc (pypandoc-binary) and Typst (the `typst` package), for
  machines without Quarto (embedded.py). Python first resolves what Quarto resolves
  before pandoc sees the text (front matter, metadata-files, `{{< meta >}}`,
  `{{< var >}}`, `{{< include >}}`, `{{< pagebreak >}}`: document.py, shortcodes.py);
  the Lua filters in assets/ check images, turn callouts into boxed notes and
  `@tbl-x`/`@fig-x` into "Tabella 1"/"Figura 1"; Typst compiles the PDF with its
  embedded fonts only.

Outputs are byte-identical for identical inputs (SOURCE_DATE_EPOCH, fixed ZIP
timestamps, no temporary paths in the output) and are written atomically.
docs/rendering.md lists what the embedded engine supports and where it is
stricter than Quarto.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .embedded import render_embedded
from .epoch import effective_source_date_epoch
from .errors import RenderError, display_path
from .formats import names as format_names
from .quarto import quarto_version, render_with_quarto

ENGINES = ("auto", "quarto", "embedded")


def detect_engine(requested: str) -> str:
    """The engine to use for `requested` (auto | quarto | embedded): "quarto" or "embedded"."""
    if requested not in ENGINES:
        raise RenderError(
            f"Motore di rendering sconosciuto «{requested}»: i valori ammessi sono "
            "auto, quarto, embedded (chiave render.engine di config.yaml)."
        )
    quarto_on_path = shutil.which("quarto") is not None
    if requested == "auto":
        return "quarto" if quarto_on_path else "embedded"
    if requested == "quarto" and not quarto_on_path:
        raise RenderError(
            "È richiesto il motore «quarto» (render.engine: quarto) ma l'eseguibile «quarto» "
            "non è nel PATH. Installare Quarto, oppure impostare render.engine: auto o embedded "
            "per usare il motore integrato (pandoc + Typst)."
        )
    return requested


def engine_in_use(requested: str) -> str:
    """What renders the documents, for the render rule's params (a change reruns it): "quarto 1.10.18",
    "embedded"; the requested value as it is if it cannot be used (the render then says why, in Italian)."""
    try:
        used = detect_engine(requested)
    except RenderError:
        return requested
    return f"quarto {quarto_version() or '?'}" if used == "quarto" else used


def engine_name(engine: str) -> str:
    """The engine as the console names it: «Quarto 1.10.18», «il motore integrato»."""
    if engine == "quarto":
        version = quarto_version()
        return f"Quarto {version}" if version else "Quarto"
    return "il motore integrato"


def render(qmd: Path, fmt: str, output: Path, engine: str = "auto", source_date_epoch: int | None = None) -> str:
    """Render `qmd` to `output` in `fmt` (a name of formats.py: html | pdf | docx); return the engine used."""
    qmd = Path(qmd).absolute()
    output = Path(output).absolute()
    if fmt not in format_names():
        raise RenderError(f"Formato di uscita sconosciuto «{fmt}»: i valori ammessi sono {', '.join(format_names())}.")
    if not qmd.is_file():
        raise RenderError(f"{display_path(qmd)}: documento non trovato.")
    used = detect_engine(engine)
    epoch = effective_source_date_epoch(source_date_epoch)
    if used == "quarto":
        render_with_quarto(qmd, fmt, output, epoch)
    else:
        render_embedded(qmd, fmt, output, epoch)
    return used
