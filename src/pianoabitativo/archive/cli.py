"""Command line: verify an archived plan, or compare the processed tables of two versions.

    python -m pianoabitativo.archive verify ARCHIVE [--no-rebuild] [--workdir DIR]
    python -m pianoabitativo.archive diff A B [--plan cremasco_2019] [--out DIR] [--repo DIR]

Exit status: 0 = verified / report written; 1 = verification failed (manifest
problems, outputs that differ, rebuild failed); 2 = unusable input (bad
archive, unknown ref, bad arguments), with a one-line message on stderr.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import yaml

from ..core.errors import wrapped
from ..diff.compare import ComparisonError, compare_tables
from ..diff.phrases import console_summary
from ..diff.report import write_diff_report
from ..diff.sources import load_tables
from .members import ArchiveError, read_members
from .rebuild import REBUILD_LOG, RebuildError, rebuild_and_compare
from .verify import verify_members

SNAKEMAKE_CMD = [sys.executable, "-m", "snakemake", "--cores", "all", "--quiet"]
EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    """Bad input from the user: one line on stderr, exit 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pianoabitativo.archive", description="Verifica di un piano archiviato e confronto tra versioni."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    verify = sub.add_parser("verify", help="verifica il manifesto e ricostruisce i risultati dall'archivio")
    verify.add_argument("archive", type=Path, help="archivio .tar.gz del piano")
    verify.add_argument("--no-rebuild", action="store_true", help="controlla solo il manifesto")
    verify.add_argument("--workdir", type=Path, help="cartella (vuota) dove ricostruire; conservata a fine verifica")
    diff = sub.add_parser("diff", help="confronta le tabelle elaborate di due versioni")
    diff.add_argument("a", help="archivio .tar.gz, cartella, piano (albero di lavoro) o riferimento git")
    diff.add_argument("b", help="come A")
    diff.add_argument("--plan", help="piano da confrontare (predefinito: il primo di «plans» in config.yaml)")
    diff.add_argument("--out", type=Path, default=Path("output/diff"), help="cartella del rapporto")
    diff.add_argument("--repo", type=Path, default=Path("."), help="repository git (predefinito: cartella corrente)")
    return parser


# --------------------------------------------------------------------------- verify


def print_manifest_result(archive: Path, problems: list[str], count: int) -> None:
    print(f"Archivio: {archive}")
    if not problems:
        print(f"Manifesto: OK ({count} file verificati)")
        return
    print(f"Manifesto: {len(problems)} {'problema' if len(problems) == 1 else 'problemi'}")
    for problem in problems:
        print(f"  - {problem}")


def print_comparison(results: list[tuple[str, bool]]) -> None:
    for name, identical in results:
        print(f"  {'identico' if identical else 'DIVERSO '}  {name}")
    different = sum(not ok for _, ok in results)
    print(f"Ricostruzione: {len(results) - different} identici, {different} diversi su {len(results)} risultati")


def rebuild(archive: Path, workdir: Path | None) -> list[tuple[str, bool]]:
    """Rebuild in workdir, or in a temporary folder removed afterwards."""
    if workdir is not None:
        print(f"Ricostruzione in {workdir} (può richiedere alcuni minuti)…", flush=True)
        return rebuild_and_compare(archive, workdir, SNAKEMAKE_CMD)
    with tempfile.TemporaryDirectory(prefix="verifica-piano-") as tmp:
        print("Ricostruzione in una cartella temporanea (può richiedere alcuni minuti)…", flush=True)
        workdir = Path(tmp) / "albero"
        try:
            return rebuild_and_compare(archive, workdir, SNAKEMAKE_CMD)
        except RebuildError as err:  # the temporary folder goes: its log is kept where the message says
            raise RebuildError(str(err).replace(str(workdir / REBUILD_LOG), kept_log(workdir, archive))) from None


def kept_log(workdir: Path, archive: Path) -> str:
    """The rebuild's log copied out of its temporary folder (logs/verifica_<archive>.log); its path."""
    log = workdir / REBUILD_LOG
    kept = Path("logs") / f"verifica_{file_label(archive.name.removesuffix('.tar.gz'))}.log"
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.write_bytes(log.read_bytes() if log.is_file() else b"")
    except OSError:
        return str(log)
    return kept.as_posix()


def run_verify(args: argparse.Namespace) -> int:
    contents = read_members(args.archive)
    problems = verify_members(contents)
    print_manifest_result(args.archive, problems, len(contents) - 1)
    ok = not problems
    if not args.no_rebuild:
        try:
            results = rebuild(args.archive, args.workdir)
        except RebuildError as err:
            print(f"Ricostruzione: {err}", file=sys.stderr)
            return EXIT_FAILED
        if not results:
            print("Ricostruzione: l'archivio non contiene risultati da confrontare")
            ok = False
        print_comparison(results)
        ok = ok and all(identical for _, identical in results)
    print("Esito: archivio verificato" if ok else "Esito: verifica NON superata")
    return EXIT_OK if ok else EXIT_FAILED


# --------------------------------------------------------------------------- diff


def config_plan(repo_dir: Path) -> str:
    config = repo_dir / "config.yaml"
    try:
        plans = yaml.safe_load(config.read_text(encoding="utf-8")).get("plans")
    except (OSError, yaml.YAMLError, AttributeError):
        plans = None
    if not isinstance(plans, list) or not plans:
        raise UsageError(f"piano non indicato: usare --plan (nessun «plans» leggibile in {config})")
    return str(plans[0])


def file_label(label: str) -> str:
    """A label usable in a file name."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", label).strip("-.") or "x"


def run_diff(args: argparse.Namespace) -> int:
    plan = args.plan if args.plan is not None else config_plan(args.repo)
    label_a, tables_a = load_tables(args.a, args.repo, plan)
    label_b, tables_b = load_tables(args.b, args.repo, plan)
    diffs = compare_tables(tables_a, tables_b)
    stem = f"diff_{file_label(label_a)}_{file_label(label_b)}"
    md_path, html_path = args.out / f"{stem}.md", args.out / f"{stem}.html"
    write_diff_report(diffs, label_a, label_b, md_path, html_path)
    lines = [line for text in console_summary(diffs, label_a, label_b) for line in wrapped(text, "", "  ")]
    print("\n".join(lines + ["Rapporto completo (HTML, e lo stesso in Markdown):", f"  {html_path}", f"  {md_path}"]))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return run_verify(args) if args.command == "verify" else run_diff(args)
    except (ArchiveError, ComparisonError, UsageError) as err:
        print(f"Errore: {err}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as err:
        print(f"Errore: {err.strerror or err} ({err.filename or ''})", file=sys.stderr)
        return EXIT_ERROR
