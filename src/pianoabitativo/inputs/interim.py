"""The inputs stage's output: typed, normalised copies of the raw inputs, read by the tables stage.

data/interim/<plan>/<key>.csv      one per configured input: the schema's columns with ISTAT names,
                                   without the export's «Totale» line, plus «riga» (its spreadsheet row)
data/interim/<plan>/totali_dichiarati.csv   the declared totals kept apart: input, colonna, valore
data/interim/<plan>/confini.geojson         the validated boundaries
data/interim/<plan>/verifiche.csv           every cross-check and its outcome
data/interim/<plan>/registro.csv            the data register's provenance rows (source, date, licence,
                                            sha256 of every raw file), for the open-data description

Types travel with the schema (schemas/inputs/<key>.yaml; core/columntypes.py), so a reader gets back
exactly the frame validation produced.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..core.columntypes import from_text, nullable
from ..core.files import package_file, write_bytes_atomically, write_text_atomically

ROW_COLUMN = "riga"


def interim_csv(frame: pd.DataFrame, rows: list[int]) -> str:
    """A validated frame as plain CSV (floats as Python writes them, so they read back exactly)."""
    return frame.assign(**{ROW_COLUMN: rows}).to_csv(index=False, lineterminator="\n")


def declared_totals_frame(inputs) -> pd.DataFrame:
    records = [
        {"input": key, "colonna": column, "valore": value}
        for key, table in sorted(inputs.tables.items())
        for column, value in table.declared_totals.items()
    ]
    return pd.DataFrame(records, columns=["input", "colonna", "valore"])


def boundaries_json(boundaries: dict) -> str:
    return json.dumps(boundaries, ensure_ascii=False, separators=(",", ":")) + "\n"


def write_interim(inputs, outputs: dict[str, str], totals_path: str, boundaries_path: str) -> None:
    """Write every interim file of validated `inputs` (load.Inputs; outputs: input key -> path)."""
    for key, path in outputs.items():
        table = inputs.tables[key]
        write_text_atomically(path, interim_csv(table.frame, table.rows))
    write_text_atomically(totals_path, declared_totals_frame(inputs).to_csv(index=False, lineterminator="\n"))
    write_bytes_atomically(boundaries_path, boundaries_json(inputs.boundaries).encode("utf-8"))


def write_register_rows(raw_dir: Path, register_name: str, path: str | Path) -> None:
    """Copy the (already checked) data register of a plan's raw folder to the interim folder, as UTF-8."""
    from .register import read_register, register_csv

    write_text_atomically(path, register_csv(read_register(Path(raw_dir) / register_name)))


def read_register_rows(path: str | Path) -> list[dict]:
    """The register's rows written by the inputs stage (data/interim/<plan>/registro.csv), by column key."""
    from .register import read_register

    return read_register(Path(path))


def column_types(key: str, columns=()) -> dict[str, str]:
    """Column -> type (text, code, integer, number, flag) as schemas/inputs/<key>.yaml declares them, read by
    the same loader as the inputs stage's (inputs/schema.py).

    `columns`: the frame's columns, to type those the schema knows by a pattern (pattern_columns).
    """
    from .schema import load_schema

    schema = load_schema(package_file("schemas", "inputs", f"{key}.yaml"))
    schema = schema.for_header([c for c in columns if c != ROW_COLUMN])
    return {column.name: column.type for column in schema.columns}


def typed(frame: pd.DataFrame, types: dict[str, str]) -> pd.DataFrame:
    """The interim CSV's text columns with their schema types, as the inputs stage holds them (nullable)."""
    for name, kind in types.items():
        frame[name] = from_text(frame[name], nullable(kind))
    frame[ROW_COLUMN] = frame[ROW_COLUMN].astype("int64")
    return frame


def read_interim(path: str | Path, key: str) -> pd.DataFrame:
    """One interim table, typed as its schema says (with «riga», the row in the raw file)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return typed(frame, column_types(key, frame.columns))


def read_declared_totals(path: str | Path) -> dict[str, dict[str, int | float]]:
    """Input key -> {column: declared total}."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    totals: dict[str, dict[str, int | float]] = {}
    for row in frame.itertuples():
        number = float(row.valore)
        totals.setdefault(row.input, {})[row.colonna] = int(number) if number.is_integer() else number
    return totals
