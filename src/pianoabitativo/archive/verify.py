"""Problems of an archive's manifest: every member's sha256 re-checked against MANIFEST.sha256.

An empty list means the archive is intact. Each problem is one Italian line
naming the member: modified, missing, added, or a malformed manifest line.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..core.files import sha256_bytes
from .members import MANIFEST_NAME, ArchiveError, parse_manifest, read_members


def verify_members(contents: Mapping[str, bytes]) -> list[str]:
    """Problems of the manifest against the members (empty list = everything matches)."""
    if MANIFEST_NAME not in contents:
        return [f"manifesto mancante: l'archivio non contiene {MANIFEST_NAME}"]
    expected, problems = parse_manifest(contents[MANIFEST_NAME])
    actual = {name: sha256_bytes(data) for name, data in contents.items() if name != MANIFEST_NAME}
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
