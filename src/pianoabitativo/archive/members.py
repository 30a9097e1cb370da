"""The archive's members: safe names, the manifest, and the deterministic `.tar.gz` that holds them.

`build_archive` writes the members plus `environment.json` and
`MANIFEST.sha256` as a `.tar.gz` whose bytes depend only on the members, the
environment and SOURCE_DATE_EPOCH. `read_members` reads any archive back into
name -> bytes, refusing what cannot be trusted (truncation, links, duplicates).
"""

from __future__ import annotations

import gzip
import io
import json
import tarfile
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath

from ..core.files import sha256_bytes, write_bytes_atomically

ENVIRONMENT_NAME = "environment.json"
MANIFEST_NAME = "MANIFEST.sha256"
RESERVED_NAMES = (ENVIRONMENT_NAME, MANIFEST_NAME)


class ArchiveError(Exception):
    """An archive that cannot be read or used; the message is for the user."""


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


# --------------------------------------------------------------------------- environment.json and manifest


def environment_bytes(environment: Mapping) -> bytes:
    """environment.json: sorted keys, indent 2, trailing newline."""
    return (json.dumps(environment, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def manifest_bytes(contents: Mapping[str, bytes]) -> bytes:
    """MANIFEST.sha256 lines `<sha256>  <name>`, sorted by name (sha256sum format)."""
    lines = [f"{sha256_bytes(contents[name])}  {name}\n" for name in sorted(contents)]
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


# --------------------------------------------------------------------------- writing


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


# --------------------------------------------------------------------------- reading


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
