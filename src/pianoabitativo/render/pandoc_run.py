"""Running pandoc for the embedded engine: the command in a folder of its own with SOURCE_DATE_EPOCH;
pandoc's warnings into the log; the Lua filters' complaints traced back to the source lines."""

from __future__ import annotations

import logging
import re
import subprocess
from pathlib import Path

import pypandoc

from .document import QmdDocument, SourceLine
from .epoch import environment_with_epoch
from .errors import RenderError, display_path, output_tail

LOG = logging.getLogger(__name__)

FILTER_PROBLEM = re.compile(
    r"^piano-(?P<filter>crossref|image): (?P<kind>unknown|duplicate|missing) (?P<id>.+?)\s*$", re.MULTILINE
)


def problem_pattern_and_text(kind: str, name: str) -> tuple[re.Pattern, str]:
    """How to find one filter complaint in the source lines, and how to say it."""
    if kind == "unknown":
        return (
            re.compile(r"@" + re.escape(name) + r"(?![\w-])"),
            f"il riferimento «@{name}» non corrisponde a nessuna tabella o figura con etichetta {{#{name}}}",
        )
    if kind == "duplicate":
        return re.compile(r"\{#" + re.escape(name) + r"[\s}]"), f"l'etichetta {{#{name}}} è usata più di una volta"
    return re.compile(r"\]\(\s*<?" + re.escape(name) + r"[\s>)]"), f"l'immagine «{name}» non esiste"


def filter_problems(stderr: str, lines: list[SourceLine]) -> str | None:
    """The Lua filters' complaints (see assets/*.lua), each with the source lines involved; None if none."""
    problems = []
    for match in FILTER_PROBLEM.finditer(stderr):
        pattern, text = problem_pattern_and_text(match.group("kind"), match.group("id"))
        places = [line.where() for line in lines if pattern.search(line.text)]
        problems.append(f"{'; '.join(places) or 'documento'}: {text}.")
    return "\n".join(dict.fromkeys(problems)) or None


def run_pandoc(
    arguments: list[str], lines: list[SourceLine], doc: QmdDocument, fmt: str, workdir: Path, epoch: int
) -> None:
    result = subprocess.run(
        [pypandoc.get_pandoc_path(), *arguments],
        cwd=workdir,
        env=environment_with_epoch(epoch),
        capture_output=True,
        text=True,
        errors="replace",
    )
    if result.returncode != 0:
        problems = filter_problems(result.stderr, lines)
        if problems:
            raise RenderError(f"{display_path(doc.path)} non può essere composto:\n{problems}")
        raise RenderError(
            f"{display_path(doc.path)}: pandoc non è riuscito a produrre il formato {fmt} "
            f"(codice {result.returncode}):\n{output_tail(result.stderr)}"
        )
    for line in result.stderr.splitlines():
        if line.strip():
            LOG.warning("pandoc: %s", line.rstrip())
