"""Files as the pipeline writes and fingerprints them, and the package's own data files.

Writes go through a temporary file in the same folder and `os.replace`, so a
reader (or a failed run) never sees half a file. `sha256_file` is the one
fingerprint used by the register, the archive and its manifest.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from importlib import resources
from pathlib import Path


def package_file(*parts: str) -> Path:
    """A data file shipped inside the package (schemas, assets), wherever the package is installed."""
    return Path(str(resources.files("pianoabitativo").joinpath(*parts)))


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path | str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_bytes_atomically(path: Path | str, data: bytes) -> None:
    """Write `data` through a temporary file in the same folder, then os.replace it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomically(path: Path | str, text: str) -> None:
    """UTF-8 text with '\\n' line ends, written atomically."""
    write_bytes_atomically(path, text.encode("utf-8"))
