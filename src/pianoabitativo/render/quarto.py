"""Rendering with the Quarto CLI: `quarto render --to <target>` in a temporary folder, then the copy to `output`."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from pianoabitativo.core.files import write_bytes_atomically

from .epoch import environment_with_epoch
from .errors import RenderError, display_path, output_tail

# The output formats and Quarto's names for them (`--to`, and the keys under `format:` in a document).
QUARTO_TARGETS = {"html": "html", "pdf": "typst", "docx": "docx"}
OUTPUT_SUFFIXES = {"html": ".html", "pdf": ".pdf", "docx": ".docx"}


def quarto_command(quarto: str, qmd_name: str, fmt: str, output_dir: str) -> list[str]:
    """The `quarto render` command line for one format (run with the .qmd's folder as cwd)."""
    return [quarto, "render", qmd_name, "--to", QUARTO_TARGETS[fmt], "--output-dir", output_dir]


def render_with_quarto(qmd: Path, fmt: str, output: Path, epoch: int) -> None:
    """Run Quarto into a temporary folder inside the project, then move the result to `output`.

    The folder is inside the .qmd's folder (Quarto wants output below the project)
    and is passed by its relative name; it is removed afterwards.
    """
    quarto = shutil.which("quarto")
    if quarto is None:
        raise RenderError("L'eseguibile «quarto» non è nel PATH.")
    with tempfile.TemporaryDirectory(dir=qmd.parent, prefix=".quarto-render-") as tmp:
        output_dir = Path(tmp)
        command = quarto_command(quarto, qmd.name, fmt, output_dir.name)
        result = subprocess.run(command, cwd=qmd.parent, env=environment_with_epoch(epoch),
                                capture_output=True, text=True, errors="replace")
        if result.returncode != 0:
            raise RenderError(f"{display_path(qmd)}: «quarto render --to {QUARTO_TARGETS[fmt]}» non è riuscito "
                              f"(codice {result.returncode}):\n{output_tail(result.stderr or result.stdout)}")
        produced = output_dir / (qmd.stem + OUTPUT_SUFFIXES[fmt])
        if not produced.is_file():
            raise RenderError(f"{display_path(qmd)}: Quarto non ha prodotto il file atteso {produced.name}.")
        write_bytes_atomically(output, produced.read_bytes())
