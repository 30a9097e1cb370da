"""Rendering with the Quarto CLI: `quarto render --to <target>` in a temporary folder, then the copy to `output`."""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import yaml

from pianoabitativo.core.files import package_file, write_bytes_atomically

from .epoch import environment_with_epoch
from .errors import RenderError, display_path, output_tail
from .formats import output_format

LOG = logging.getLogger(__name__)

# Run after Quarto's own filters for DOCX: the images' alternative text (Quarto 1.10 leaves `descr` empty).
DOCX_ALT_FILTER = package_file("assets", "quarto-docx-alt.lua")

# Quarto colours its messages: `\x1b[33mWARN: ...` (a warning may go on over several lines, up to the
# colour's reset `\x1b[39m`), `\x1b[31mERROR: ...`, `\x1b[1mpandoc\x1b[22m`.
ANSI_CODE = re.compile(r"\x1b\[[0-9;]*m")
COLOUR_RESET = re.compile(r"\x1b\[(?:39|0)?m")
PROBLEM_START = re.compile(r"(?:WARN|ERROR)\b")

# Warnings Quarto 1.10.18 prints on every render of the plan, and why they do not matter (docs/rendering.md).
KNOWN_WARNINGS = {
    "typst-gather analyze failed": (
        "harmless: without the typst-gather tool Quarto stages all the Typst packages it ships instead of "
        "only those the document imports; the PDF is the same"
    ),
    "verapdf is not installed": (
        "harmless for the PDF: Typst still writes it to the requested pdf-standard (metadata and tags); "
        "only Quarto's own check of the result with veraPDF is skipped"
    ),
}


def own_filters(qmd_text: str) -> list[str]:
    """The `filters:` of a document's front matter (empty if none, or no front matter)."""
    match = re.match(r"---\n(.*?)\n---\n", qmd_text, flags=re.S)
    if not match:
        return []
    try:
        front = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError:
        return []
    filters = front.get("filters") if isinstance(front, dict) else None
    return [f for f in filters if f != "quarto"] if isinstance(filters, list) else []


def quarto_command(quarto: str, qmd_name: str, fmt: str, output_dir: str, filters: list[str] = ()) -> list[str]:
    """The `quarto render` command line for one format (run with the .qmd's folder as cwd); `filters`, the
    document's own, which a `filters` given on the command line replaces, so they are given again."""
    command = [quarto, "render", qmd_name, "--to", output_format(fmt).quarto, "--output-dir", output_dir]
    if (
        output_format(fmt).quarto == "docx"
    ):  # the document's filters before Quarto's (as in its front matter), ours after
        command += ["--metadata", "filters=" + json.dumps([*filters, "quarto", str(DOCX_ALT_FILTER)])]
    return command


def quarto_version() -> str | None:
    """The version of the `quarto` on PATH ("1.10.18"); None if there is none or it does not answer."""
    quarto = shutil.which("quarto")
    if quarto is None:
        return None
    try:
        done = subprocess.run([quarto, "--version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return (done.stdout.strip() or None) if done.returncode == 0 else None


def quarto_log_lines(stderr: str, stdout: str) -> list[tuple[int, str]]:
    """Quarto's messages as (log level, text without colour codes): warnings and errors, with the lines
    of the same coloured message, at WARNING; a known harmless warning followed by a note saying why."""
    records: list[tuple[int, str]] = []
    open_problem: list[str] = []  # the lines of a coloured WARN/ERROR message not closed yet

    def close_problem() -> None:
        text = " ".join(open_problem)
        for known, why in KNOWN_WARNINGS.items():
            if known in text:
                records.append((logging.INFO, f"(the warning above: {why})"))
        open_problem.clear()

    lines = [*stdout.splitlines(), None, *stderr.splitlines()]  # None: a message does not go on past its stream
    for line in lines:
        if line is None:
            if open_problem:
                close_problem()
            continue
        text = ANSI_CODE.sub("", line).rstrip()
        if not text.strip():
            continue
        starts = PROBLEM_START.match(text.lstrip()) is not None
        if starts and open_problem:
            close_problem()
        if starts or open_problem:
            records.append((logging.WARNING, text))
            coloured = bool(open_problem) or line.lstrip().startswith("\x1b[")
            open_problem.append(text)
            if not coloured or COLOUR_RESET.search(line):
                close_problem()  # an uncoloured message is one line; a coloured one ends at the reset
        elif "warning" in text.lower():
            records.append((logging.WARNING, text))
        else:
            records.append((logging.INFO, text))
    if open_problem:
        close_problem()
    return records


def log_quarto_output(stderr: str, stdout: str) -> None:
    """Quarto's messages into the log (the render rule's log file): warnings as warnings."""
    for level, text in quarto_log_lines(stderr, stdout):
        LOG.log(level, "quarto: %s", text)


def render_with_quarto(qmd: Path, fmt: str, output: Path, epoch: int) -> None:
    """Run Quarto into a temporary folder inside the project, then move the result to `output`.

    The folder is inside the .qmd's folder (Quarto wants output below the project) and is passed
    by its relative name; it is removed afterwards. Quarto writes its .quarto/ folder in the
    project folder, the nearest folder with a _quarto.yml: the pipeline gives it the staging
    folder (scripts/render_document.py), so nothing is written next to report/piano_<plan>.qmd.
    Quarto removes its intermediate .typ itself (unless `keep-typ` is set), and with --output-dir
    writes only the document there.
    """
    quarto = shutil.which("quarto")
    if quarto is None:
        raise RenderError("L'eseguibile «quarto» non è nel PATH.")
    with tempfile.TemporaryDirectory(dir=qmd.parent, prefix=".quarto-render-") as tmp:
        output_dir = Path(tmp)
        command = quarto_command(quarto, qmd.name, fmt, output_dir.name, own_filters(qmd.read_text(encoding="utf-8")))
        result = subprocess.run(
            command, cwd=qmd.parent, env=environment_with_epoch(epoch), capture_output=True, text=True, errors="replace"
        )
        log_quarto_output(result.stderr, result.stdout)
        if result.returncode != 0:
            said = ANSI_CODE.sub("", result.stderr or result.stdout)
            raise RenderError(
                f"{display_path(qmd)}: «quarto render --to {output_format(fmt).quarto}» non è riuscito "
                f"(codice {result.returncode}):\n{output_tail(said)}"
            )
        produced = output_dir / (qmd.stem + output_format(fmt).extension)
        if not produced.is_file():
            raise RenderError(f"{display_path(qmd)}: Quarto non ha prodotto il file atteso {produced.name}.")
        data = produced.read_bytes()
        finish = output_format(fmt).finish
        write_bytes_atomically(output, finish(data) if finish else data)
