"""Word files as ZIP archives: their members read out, and packed again with a fixed order, fixed dates
and attributes, so that the same members always give the same bytes."""

from __future__ import annotations

import io
import zipfile

from .epoch import ZIP_EPOCH


def zip_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def deterministic_zip(members: dict[str, bytes]) -> bytes:
    """A ZIP with [Content_Types].xml first, the other members sorted, fixed dates and attributes."""
    buffer = io.BytesIO(b"")
    names = sorted(members, key=lambda name: (name != "[Content_Types].xml", name))
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, members[name], compresslevel=9)
    return buffer.getvalue()
