"""Rendering with the Quarto CLI: `quarto render --to <target>` in a temporary folder, then the copy to `output`."""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from pianoabitativo.core.files import write_bytes_atomically

from .docx import finished_docx
from .epoch import environment_with_epoch
from .errors import RenderError, display_path, output_tail

LOG = logging.getLogger(__name__)

# The output formats and Quarto's names for them (`--to`, and the keys under `format:` in a document).
QUARTO_TARGETS = {"html": "html", "pdf": "typst", "docx": "docx"}
OUTPUT_SUFFIXES = {"html": ".html", "pdf": ".pdf", "docx": ".docx"}


def quarto_command(quarto: str, qmd_name: str, fmt: str, output_dir: str) -> list[str]:
    """The `quarto render` command line for one format (run with the .qmd's folder as cwd)."""
    return [quarto, "render", qmd_name, "--to", QUARTO_TARGETS[fmt], "--output-dir", output_dir]


def log_quarto_output(stderr: str, stdout: str) -> None:
    """Quarto's messages into the log (the render rule's log file): warnings as warnings."""
    for line in (stdout + "\n" + stderr).splitlines():
        text = line.rstrip()
        if not text.strip():
            continue
        if text.lstrip().startswith(("WARN", "ERROR")) or "warning" in text.lower():
            LOG.warning("quarto: %s", text)
        else:
            LOG.info("quarto: %s", text)


def render_with_quarto(qmd: Path, fmt: str, output: Path, epoch: int) -> None:
    """Run Quarto into a temporary folder inside the project, then move the result to `output`.

    The folder is inside the .qmd's folder (Quarto wants output below the project) and is passed
    by its relative name; it is removed afterwards. Quarto writes its .quarto/ folder in the
    project folder, the nearest folder with a _quarto.yml: the pipeline gives it the staging
    folder (scripts/render_document.py), so nothing is written next to report/piano_<plan>.qmd.
    quarto-notes.md: the intermediate .typ is removed unless keep-typ is set.
    """
    quarto = shutil.which("quarto")
    if quarto is None:
        raise RenderError("L'eseguibile «quarto» non è nel PATH.")
    with tempfile.TemporaryDirectory(dir=qmd.parent, prefix=".quarto-render-") as tmp:
        output_dir = Path(tmp)
        command = quarto_command(quarto, qmd.name, fmt, output_dir.name)
        result = subprocess.run(command, cwd=qmd.parent, env=environment_with_epoch(epoch),
                                capture_output=True, text=True, errors="replace")
        log_quarto_output(result.stderr, result.stdout)
        if result.returncode != 0:
            raise RenderError(f"{display_path(qmd)}: «quarto render --to {QUARTO_TARGETS[fmt]}» non è riuscito "
                              f"(codice {result.returncode}):\n{output_tail(result.stderr or result.stdout)}")
        produced = output_dir / (qmd.stem + OUTPUT_SUFFIXES[fmt])
        if not produced.is_file():
            raise RenderError(f"{display_path(qmd)}: Quarto non ha prodotto il file atteso {produced.name}.")
        data = produced.read_bytes()
        write_bytes_atomically(output, finished_docx(data) if fmt == "docx" else data)
