"""Whether each archived output is reproduced: rerun the archived workflow from its archived inputs.

`rebuild_and_compare` extracts every member except the outputs into an empty
work folder, runs the workflow there and returns (output name, identical?)
for each archived output, compared byte by byte.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from .members import ArchiveError, check_member_names, read_members

OUTPUT_PREFIXES = ("data/processed/", "report/gen/", "output/")
REBUILD_LOG = "rebuild.log"
LOG_TAIL_LINES = 20


class RebuildError(ArchiveError):
    """The archived workflow could not be rerun; the message names the log."""


PLAN_FOLDERS = ("data/processed/", "report/gen/")  # <folder><plan>/...


def is_output(name: str, prefixes: Sequence[str], plans: Sequence[str] = ()) -> bool:
    """A result the rebuild must reproduce: under an output folder and, for a plan's folder, of an archived
    plan (another plan's processed tables are inputs: the previous plan's, which the comparison read)."""
    if not any(name.startswith(prefix) for prefix in prefixes):
        return False
    parts = name.split("/")
    return not (plans and name.startswith(PLAN_FOLDERS) and len(parts) > 3 and parts[2] not in plans)


def archived_plans(contents: Mapping[str, bytes]) -> list[str]:
    """The plans the archived config.yaml builds (none when it cannot be read)."""
    import yaml

    try:
        plans = yaml.safe_load(contents.get("config.yaml", b"").decode("utf-8")).get("plans")
    except (yaml.YAMLError, UnicodeDecodeError, AttributeError):
        return []
    return [str(p) for p in plans] if isinstance(plans, list) else []


def prepare_workdir(workdir: Path) -> None:
    """Create workdir; refuse one that already holds files (a stale tree would skew the rebuild)."""
    if workdir.exists() and (not workdir.is_dir() or any(workdir.iterdir())):
        raise ArchiveError(f"la cartella di lavoro per la ricostruzione deve essere vuota: {workdir}")
    workdir.mkdir(parents=True, exist_ok=True)


def extract_sources(contents: Mapping[str, bytes], workdir: Path) -> None:
    """Write the given members under workdir (names already checked safe)."""
    root = workdir.resolve()
    for name in sorted(contents):
        target = (root / name).resolve()
        if root not in target.parents:
            raise ArchiveError(f"nome non sicuro nell'archivio: «{name}» (uscirebbe dalla cartella di lavoro)")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(contents[name])


def rebuild_environment(workdir: Path) -> dict[str, str]:
    """Environment for the rebuild: the archived src/ comes before any installed copy."""
    env = dict(os.environ)
    src = workdir / "src"
    if src.is_dir():
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(src.resolve()), env.get("PYTHONPATH", "")) if p)
    return env


def log_tail(log_path: Path, lines: int = LOG_TAIL_LINES) -> str:
    try:
        text = log_path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def run_workflow(snakemake_cmd: Sequence[str], workdir: Path) -> None:
    """Run the command in workdir, output into workdir/rebuild.log; RebuildError if it fails."""
    log_path = workdir / REBUILD_LOG
    with open(log_path, "wb") as log:
        try:
            done = subprocess.run(
                list(snakemake_cmd), cwd=workdir, stdout=log, stderr=subprocess.STDOUT, env=rebuild_environment(workdir)
            )
        except OSError as err:
            raise RebuildError(f"impossibile avviare la ricostruzione ({' '.join(snakemake_cmd)}): {err}") from None
    if done.returncode != 0:
        tail = log_tail(log_path)
        message = f"la ricostruzione è fallita (codice di uscita {done.returncode}); registro completo: {log_path}"
        raise RebuildError(message + (f"\nUltime righe del registro:\n{tail}" if tail else ""))


def compare_outputs(expected: Mapping[str, bytes], workdir: Path) -> list[tuple[str, bool]]:
    """(name, identical) per archived output; a file the rebuild did not produce is not identical."""
    results = []
    for name in sorted(expected):
        rebuilt = workdir / name
        results.append((name, rebuilt.is_file() and rebuilt.read_bytes() == expected[name]))
    return results


def rebuild_and_compare(
    archive: Path, workdir: Path, snakemake_cmd: Sequence[str], outputs_prefixes: Sequence[str] = OUTPUT_PREFIXES
) -> list[tuple[str, bool]]:
    """Rerun the archived workflow in workdir and compare its outputs with the archived ones.

    The archived outputs (members under `outputs_prefixes`) are kept in memory
    and never written to workdir, so the rebuild has to regenerate every one
    of them. Raises ArchiveError for an unusable archive or workdir and
    RebuildError (naming workdir/rebuild.log) if the command fails.
    """
    workdir = Path(workdir)
    contents = read_members(archive)
    check_member_names(list(contents))
    plans = archived_plans(contents)
    expected = {name: data for name, data in contents.items() if is_output(name, outputs_prefixes, plans)}
    sources = {name: data for name, data in contents.items() if name not in expected}
    prepare_workdir(workdir)
    extract_sources(sources, workdir)
    run_workflow(snakemake_cmd, workdir)
    return compare_outputs(expected, workdir)
