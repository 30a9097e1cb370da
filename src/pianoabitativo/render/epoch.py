"""SOURCE_DATE_EPOCH: the one timestamp every output carries, so that identical inputs give identical bytes."""

from __future__ import annotations

import os

from .errors import RenderError

# 1980-01-01T00:00:00Z: used when no SOURCE_DATE_EPOCH is given, so that renders
# stay reproducible; it is also the earliest date a ZIP entry can carry.
DEFAULT_SOURCE_DATE_EPOCH = 315532800
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def effective_source_date_epoch(source_date_epoch: int | None) -> int:
    """The given epoch, else $SOURCE_DATE_EPOCH, else DEFAULT_SOURCE_DATE_EPOCH."""
    if source_date_epoch is not None:
        return int(source_date_epoch)
    from_env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if from_env:
        try:
            return int(from_env)
        except ValueError:
            raise RenderError(f"SOURCE_DATE_EPOCH={from_env!r} non è un numero intero di secondi.") from None
    return DEFAULT_SOURCE_DATE_EPOCH


def environment_with_epoch(epoch: int) -> dict[str, str]:
    """The current environment with SOURCE_DATE_EPOCH set, for the tools a render runs."""
    env = dict(os.environ)
    env["SOURCE_DATE_EPOCH"] = str(epoch)
    return env
