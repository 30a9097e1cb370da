"""Archive an approved plan with its exact inputs, and check such an archive.

An archive is a deterministic `.tar.gz`: the same members, environment and
SOURCE_DATE_EPOCH always give the same bytes, so its sha256 can be published
next to the act. Besides the given members it holds `environment.json` (the
software that produced the plan) and `MANIFEST.sha256` (the sha256 of every
other member). `verify_manifest` re-checks the manifest; `rebuild_and_compare`
reruns the archived workflow from its archived inputs and compares the
regenerated outputs byte by byte with the archived ones.

Problems are reported in Italian, naming the file; an unreadable archive is an
`ArchiveError` with a plain message, never a traceback at the edge.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.metadata
import io
import json
import os
import platform
import shutil
import subprocess
import tarfile
import zlib
from pathlib import Path, PurePosixPath
from typing import Mapping, Sequence

from .core.files import write_bytes_atomically

ENVIRONMENT_NAME = "environment.json"
MANIFEST_NAME = "MANIFEST.sha256"
RESERVED_NAMES = (ENVIRONMENT_NAME, MANIFEST_NAME)
OUTPUT_PREFIXES = ("data/processed/", "report/gen/", "output/")
REBUILD_LOG = "rebuild.log"
LOG_TAIL_LINES = 20


class ArchiveError(Exception):
    """An archive that cannot be read or used; the message is for the user."""


class RebuildError(ArchiveError):
    """The archived workflow could not be rerun; the message names the log."""


# --------------------------------------------------------------------------- names


def unsafe_name_reason(name: str) -> str | None:
    """Why an archive member name is unsafe to extract (None if it is safe)."""
    if not name or name.startswith("/") or "\\" in name or (len(name) > 1 and name[1] == ":"):
        return "percorso assoluto o non portabile"
    parts = PurePosixPath(name).parts
    if ".." in parts:
        return "contiene «..»"
    if any(part in ("", ".") for part in name.split("/")):
        return "percorso non normalizzato"
    return None


def check_member_names(names: Sequence[str]) -> None:
    """Raise ArchiveError if any name is unsafe."""
    for name in names:
        reason = unsafe_name_reason(name)
        if reason:
            raise ArchiveError(f"nome non sicuro nell'archivio: «{name}» ({reason})")


# --------------------------------------------------------------------------- building


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def environment_bytes(environment: Mapping) -> bytes:
    """environment.json: sorted keys, indent 2, trailing newline."""
    return (json.dumps(environment, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def manifest_bytes(contents: Mapping[str, bytes]) -> bytes:
    """MANIFEST.sha256 lines `<sha256>  <name>`, sorted by name (sha256sum format)."""
    lines = [f"{sha256_hex(contents[name])}  {name}\n" for name in sorted(contents)]
    return "".join(lines).encode("utf-8")


def parse_manifest(data: bytes) -> tuple[dict[str, str], list[str]]:
    """MANIFEST.sha256 bytes -> ({name: sha256}, problems with malformed lines)."""
    entries: dict[str, str] = {}
    problems: list[str] = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return {}, [f"manifesto illeggibile: {MANIFEST_NAME} non è testo UTF-8"]
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest) or not name:
            problems.append(f"riga {number} di {MANIFEST_NAME} non valida: «{line}»")
        elif name in entries:
            problems.append(f"riga {number} di {MANIFEST_NAME}: «{name}» compare due volte")
        else:
            entries[name] = digest
    return entries, problems


def archive_contents(members: Mapping[str, Path], environment: Mapping) -> dict[str, bytes]:
    """Every member of the archive, name -> bytes, including environment and manifest."""
    check_member_names(list(members))
    clash = sorted(set(members) & set(RESERVED_NAMES))
    if clash:
        raise ArchiveError(f"nome riservato tra i file da archiviare: {', '.join(clash)}")
    contents = {name: Path(path).read_bytes() for name, path in members.items()}
    contents[ENVIRONMENT_NAME] = environment_bytes(environment)
    contents[MANIFEST_NAME] = manifest_bytes(contents)
    return contents


def regular_tarinfo(name: str, size: int, mtime: int) -> tarfile.TarInfo:
    """A normalised regular-file header: fixed mtime, owner and mode."""
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(mtime)
    info.mode = 0o644
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.type = tarfile.REGTYPE
    return info


def tar_gz_bytes(contents: Mapping[str, bytes], mtime: int) -> bytes:
    """Deterministic .tar.gz of `contents`, members sorted by name, no directory entries."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=int(mtime), filename="", compresslevel=9) as gz:
        with tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for name in sorted(contents):
                data = contents[name]
                tar.addfile(regular_tarinfo(name, len(data), mtime), io.BytesIO(data))
    return buffer.getvalue()


def build_archive(members: Mapping[str, Path], environment: Mapping, out: Path, source_date_epoch: int) -> None:
    """Write the deterministic archive of `members` (archive name -> file) to `out`."""
    contents = archive_contents(members, environment)
    write_bytes_atomically(Path(out), tar_gz_bytes(contents, source_date_epoch))


# --------------------------------------------------------------------------- environment


def run_text(cmd: Sequence[str], cwd: Path | None = None) -> str | None:
    """stdout of a command, stripped; None if it cannot run or fails."""
    try:
        done = subprocess.run(list(cmd), cwd=cwd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def installed_packages() -> dict[str, str]:
    """Installed distributions, name -> version, sorted by name (first one wins on duplicates)."""
    found: dict[str, str] = {}
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        if name and name not in found:
            found[name] = dist.version
    return dict(sorted(found.items(), key=lambda item: item[0].lower()))


def package_version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def pandoc_version() -> str | None:
    try:
        import pypandoc

        return str(pypandoc.get_pandoc_version())
    except Exception:  # pypandoc missing, or no pandoc binary: record the absence
        return None


def quarto_version(engine: str) -> str | None:
    if engine != "quarto" or shutil.which("quarto") is None:
        return None
    return run_text(["quarto", "--version"])


def git_state(repo_dir: Path) -> dict | None:
    """{"commit": sha, "dirty": bool} of repo_dir, or None if it is not a git work tree.

    "dirty" follows `git describe --dirty`: tracked files modified or staged
    (untracked and ignored files do not count).
    """
    commit = run_text(["git", "-C", str(repo_dir), "rev-parse", "--verify", "HEAD"])
    if not commit:
        return None
    status = run_text(["git", "-C", str(repo_dir), "status", "--porcelain", "--untracked-files=no"])
    return {"commit": commit, "dirty": bool(status) if status is not None else None}


def collect_environment(repo_dir: Path, engine: str) -> dict:
    """The software that produced the plan. No timestamps or host names (deterministic)."""
    return {
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "packages": installed_packages(),
        "pandoc": pandoc_version(),
        "typst": package_version("typst"),
        "quarto": quarto_version(engine),
        "render_engine": engine,
        "git": git_state(Path(repo_dir)),
    }


# --------------------------------------------------------------------------- reading and verifying


def read_members(archive: Path) -> dict[str, bytes]:
    """Every regular member of the archive, name -> bytes.

    Raises ArchiveError (plain Italian message) if the file is missing,
    unreadable, truncated, holds a member twice, or holds links or devices.
    Directory entries are ignored.
    """
    archive = Path(archive)
    if not archive.is_file():
        raise ArchiveError(f"archivio non trovato: {archive}")
    contents: dict[str, bytes] = {}
    try:
        # decompress all first: gzip's length and CRC trailer catch a truncated file
        raw = gzip.decompress(archive.read_bytes())
        with tarfile.open(fileobj=io.BytesIO(raw), mode="r:") as tar:
            for info in tar:
                add_member(contents, tar, info)
    except ArchiveError:
        raise
    except (tarfile.TarError, OSError, EOFError, zlib.error) as err:
        raise ArchiveError(f"archivio illeggibile o troncato: {archive} ({err or type(err).__name__})") from None
    return contents


def add_member(contents: dict[str, bytes], tar: tarfile.TarFile, info: tarfile.TarInfo) -> None:
    if info.isdir():
        return
    if not info.isreg():
        raise ArchiveError(f"tipo di file non ammesso nell'archivio (collegamento o dispositivo): «{info.name}»")
    if info.name in contents:
        raise ArchiveError(f"file presente due volte nell'archivio: «{info.name}»")
    handle = tar.extractfile(info)
    data = handle.read() if handle else b""
    if len(data) != info.size:
        raise EOFError(f"«{info.name}» incompleto")
    contents[info.name] = data


def verify_members(contents: Mapping[str, bytes]) -> list[str]:
    """Problems of the manifest against the members (empty list = everything matches)."""
    if MANIFEST_NAME not in contents:
        return [f"manifesto mancante: l'archivio non contiene {MANIFEST_NAME}"]
    expected, problems = parse_manifest(contents[MANIFEST_NAME])
    actual = {name: sha256_hex(data) for name, data in contents.items() if name != MANIFEST_NAME}
    for name in sorted(set(expected) | set(actual)):
        if name not in actual:
            problems.append(f"mancante: {name}")
        elif name not in expected:
            problems.append(f"aggiunto (non nel manifesto): {name}")
        elif expected[name] != actual[name]:
            problems.append(f"modificato: {name} (sha256 atteso {expected[name]}, trovato {actual[name]})")
    return problems


def verify_manifest(archive: Path) -> list[str]:
    """Recompute every member's sha256 against MANIFEST.sha256; [] means the archive is intact."""
    try:
        contents = read_members(archive)
    except ArchiveError as err:
        return [str(err)]
    return verify_members(contents)


# --------------------------------------------------------------------------- rebuilding


def is_output(name: str, prefixes: Sequence[str]) -> bool:
    return any(name.startswith(prefix) for prefix in prefixes)


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
            done = subprocess.run(list(snakemake_cmd), cwd=workdir, stdout=log, stderr=subprocess.STDOUT,
                                  env=rebuild_environment(workdir))
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


def rebuild_and_compare(archive: Path, workdir: Path, snakemake_cmd: Sequence[str],
                        outputs_prefixes: Sequence[str] = OUTPUT_PREFIXES) -> list[tuple[str, bool]]:
    """Rerun the archived workflow in workdir and compare its outputs with the archived ones.

    The archived outputs (members under `outputs_prefixes`) are kept in memory
    and never written to workdir, so the rebuild has to regenerate every one
    of them. Raises ArchiveError for an unusable archive or workdir and
    RebuildError (naming workdir/rebuild.log) if the command fails.
    """
    workdir = Path(workdir)
    contents = read_members(archive)
    check_member_names(list(contents))
    expected = {name: data for name, data in contents.items() if is_output(name, outputs_prefixes)}
    sources = {name: data for name, data in contents.items() if name not in expected}
    prepare_workdir(workdir)
    extract_sources(sources, workdir)
    run_workflow(snakemake_cmd, workdir)
    return compare_outputs(expected, workdir)
