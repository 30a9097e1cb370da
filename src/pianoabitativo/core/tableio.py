"""Machine CSVs: written stable (UTF-8, '\\n', dot decimals) and read back with their declared types.

Processed tables are typed by the catalogue (codes stay text, empty stays empty), with the column types of
core/columntypes.py; interim tables by their input schemas (see inputs/interim.py).
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from .. import catalogue
from .columntypes import from_text
from .files import write_bytes_atomically


def csv_text(frame: pd.DataFrame) -> str:
    """A frame as a stable machine CSV: '\\n', dot decimals with two places, no index."""
    return frame.to_csv(index=False, lineterminator="\n", float_format="%.2f")


def write_csv(frame: pd.DataFrame, path: Path | str) -> None:
    """A stable machine CSV (csv_text) in UTF-8, written atomically."""
    write_bytes_atomically(path, csv_text(frame).encode("utf-8"))


def typed_frame(frame: pd.DataFrame, types: dict[str, str]) -> pd.DataFrame:
    """A frame of strings converted column by column to the catalogue's types."""
    for column, kind in types.items():
        if column in frame:
            frame[column] = from_text(frame[column], kind)
    return frame


def read_processed(path: Path | str, name: str | None = None) -> pd.DataFrame:
    """A processed table, typed as the catalogue declares it (name: the file's stem by default)."""
    table = catalogue.processed_table(name or Path(path).stem)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return typed_frame(frame, table.types)


def processed_from_text(text: str, name: str) -> pd.DataFrame:
    """A processed table from its CSV text (csv_text), typed as read_processed types the file: for a step
    that uses a table it has just written."""
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    return typed_frame(frame, catalogue.processed_table(name).types)
