"""One production at a time in a project folder: an exclusive lock on build/produzione.lock.

Two `make piano` started from two terminals would otherwise write the same files at once. The lock
is an `fcntl.flock` on an open file: the system releases it when the process that holds it ends, however
it ends (Ctrl-C, a kill, a closed terminal), so a lock is never left behind. `make piano`
(pianoabitativo.run) takes it before anything else, waiting for a run in progress, and hands it to the
Snakemake it starts (an inherited descriptor, named in PIANOABITATIVO_LOCK_FD); a `snakemake` started by
hand takes it in the Snakefile and, if another run holds it, stops with one Italian line.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable
from pathlib import Path

LOCK_FILE = Path("build/produzione.lock")
HELD = "PIANOABITATIVO_LOCK_FD"  # set for a child that runs under a lock its parent holds
BUSY = "Un'altra produzione dei piani è in corso in questa cartella"

_held: list[int] = []  # descriptors this process keeps open (and locked) until it ends


def acquire(wait: bool, announce: Callable[[], None] = lambda: None, lock_file: Path = LOCK_FILE) -> int | None:
    """The lock's descriptor, or None if another run holds it and `wait` is False.

    When waiting, `announce` is called once, before the wait, if the lock is taken."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        if not wait:
            os.close(fd)
            return None
        announce()
        fcntl.flock(fd, fcntl.LOCK_EX)
    _held.append(fd)
    return fd


def held_by_parent() -> bool:
    """True in the Snakemake that `make piano` started: its parent holds the lock for it."""
    return bool(os.environ.get(HELD))
