"""The processed tables of one side of a comparison: table name (file stem) -> CSV text.

A side is an archive (`.tar.gz`, `.tgz`), a folder (its `*.csv`, or a checkout's
`data/processed/<plan>/`), a plan (`data/processed/<plan>/` in the working
tree) or a git ref (that folder at the ref). Unusable sides raise
`ComparisonError` with an Italian message naming the side.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path, PurePosixPath

from ..archive.members import ArchiveError, read_members
from .compare import ComparisonError

PROCESSED_MEMBER = re.compile(r"^data/processed/([^/]+)/([^/]+)\.csv$")


def decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ComparisonError(f"{where} non è testo UTF-8") from None


def archive_plan(names: list[str], plan: str) -> str:
    """The plan of the processed tables in an archive: the only one, or the requested one."""
    plans = sorted({m.group(1) for m in map(PROCESSED_MEMBER.match, names) if m})
    return plans[0] if len(plans) == 1 else plan


def tables_from_archive(path: Path, plan: str) -> dict[str, str]:
    try:
        contents = read_members(path)
    except ArchiveError as err:
        raise ComparisonError(str(err)) from None
    plan = archive_plan(list(contents), plan)
    tables = {}
    for name, data in contents.items():
        match = PROCESSED_MEMBER.match(name)
        if match and match.group(1) == plan:
            tables[match.group(2)] = decode(data, f"{path}:{name}")
    if not tables:
        raise ComparisonError(f"l'archivio {path} non contiene tabelle data/processed/{plan}/*.csv")
    return tables


def tables_from_folder(folder: Path, plan: str) -> dict[str, str]:
    """The folder's *.csv files; a checkout or extracted archive is read at data/processed/<plan>/."""
    nested = folder / "data" / "processed" / str(plan)
    if not any(folder.glob("*.csv")) and nested.is_dir():
        folder = nested
    tables = {p.stem: decode(p.read_bytes(), str(p)) for p in sorted(folder.glob("*.csv"))}
    if not tables:
        raise ComparisonError(f"nessuna tabella CSV nella cartella {folder}")
    return tables


def git(repo_dir: Path, *args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(repo_dir), *args], capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError) as err:
        raise ComparisonError(f"impossibile eseguire git: {err}") from None


def resolve_commit(ref: str, repo_dir: Path) -> str | None:
    if ref.startswith("-"):
        return None
    done = git(repo_dir, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    return done.stdout.decode().strip() if done.returncode == 0 else None


def tables_from_git(ref: str, commit: str, repo_dir: Path, plan: str) -> dict[str, str]:
    folder = f"data/processed/{plan}/"
    listing = git(repo_dir, "ls-tree", "-z", "--name-only", commit, "--", folder)
    names = [n for n in listing.stdout.decode("utf-8").split("\0") if n.endswith(".csv")]
    tables = {}
    for name in sorted(names):
        shown = git(repo_dir, "show", f"{commit}:{name}")
        if shown.returncode != 0:
            raise ComparisonError(f"impossibile leggere {name} al riferimento git «{ref}»")
        tables[PurePosixPath(name).stem] = decode(shown.stdout, f"{ref}:{name}")
    if not tables:
        raise ComparisonError(f"nessuna tabella {folder}*.csv al riferimento git «{ref}»")
    return tables


def is_archive_path(side: str) -> bool:
    return side.endswith((".tar.gz", ".tgz")) and Path(side).is_file()


def side_label(side: str) -> str:
    """A short label: the archive's or folder's name, or the ref as given."""
    path = Path(side)
    if is_archive_path(side):
        return re.sub(r"\.(tar\.gz|tgz)$", "", path.name)
    if path.is_dir():
        return path.resolve().name or side
    return side


def load_tables(side: str, repo_dir: Path, plan: str) -> tuple[str, dict[str, str]]:
    """(label, tables) for one side: an archive, a folder, a plan in the working tree, or a git ref."""
    repo_dir = Path(repo_dir)
    if is_archive_path(side):
        return side_label(side), tables_from_archive(Path(side), plan)
    if Path(side).is_dir():
        return side_label(side), tables_from_folder(Path(side), plan)
    if re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*", side) and (repo_dir / "data" / "processed" / side).is_dir():
        return f"lavoro-{side}", tables_from_folder(repo_dir / "data" / "processed" / side, side)
    commit = resolve_commit(side, repo_dir)
    if commit is None:
        raise ComparisonError(
            f"«{side}» non è un archivio .tar.gz, una cartella, un piano né un riferimento git "
            f"noto nel repository {repo_dir}"
        )
    return side, tables_from_git(side, commit, repo_dir, plan)
