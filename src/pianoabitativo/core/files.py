"""Files as the pipeline writes and fingerprints them, and the package's own data files.

Writes go through a temporary file in the same folder and `os.replace`, so a
reader (or a failed run) never sees half a file. Inside `outputs_committed_together()`
(every script runs in one, see core/runner.py) the temporary files are moved into
place only when the whole step has succeeded, so a failure never leaves a step's
outputs half old and half new. `sha256_file` is the one fingerprint used by the
register, the archive and its manifest.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
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


_pending: list[dict[Path, str]] = []  # open transactions: final path -> its temporary file


@contextmanager
def outputs_committed_together() -> Iterator[None]:
    """Every file written atomically inside the block reaches its place only if the block succeeds.

    On an exception the temporary files are removed and every previous output stays as it was.
    """
    staged: dict[Path, str] = {}
    _pending.append(staged)
    try:
        yield
    except BaseException:
        _close(staged)
        for tmp in staged.values():
            Path(tmp).unlink(missing_ok=True)
        raise
    _close(staged)
    for path, tmp in staged.items():
        os.replace(tmp, path)


def _close(staged: dict[Path, str]) -> None:
    """Drop this transaction from the open ones: by identity (two empty ones are equal, not the same)."""
    for index in range(len(_pending) - 1, -1, -1):
        if _pending[index] is staged:
            del _pending[index]
            return


def write_bytes_atomically(path: Path | str, data: bytes) -> None:
    """Write `data` through a temporary file in the same folder, then os.replace it into place.

    Inside `outputs_committed_together()` the move waits for the end of the block.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        if _pending:
            previous = _pending[-1].pop(path, None)
            if previous:  # written twice in the same step: the last write wins
                Path(previous).unlink(missing_ok=True)
            _pending[-1][path] = tmp
        else:
            os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomically(path: Path | str, text: str) -> None:
    """UTF-8 text with '\\n' line ends, written atomically."""
    write_bytes_atomically(path, text.encode("utf-8"))
