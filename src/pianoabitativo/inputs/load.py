"""Read every raw input of a plan, validated, with names normalised to ISTAT's.

`load_inputs` is the single door from data/raw into the pipeline: the register
is checked, each file is read against its schema (all problems of all files
are reported together), the boundaries are read and comune names are mapped to
ISTAT's list. Nothing after the inputs stage opens data/raw.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import catalogue
from ..core.config import input_entry
from ..core.errors import DataError, Problem
from ..core.files import package_file
from .names import normalise_names
from .register import register_problems
from .grid import Grid
from .schema import Table, TableSchema, load_schema, read_table

SCHEMA_DIR = package_file("schemas", "inputs")


@dataclass
class Inputs:
    tables: dict[str, Table]
    boundaries: dict
    boundaries_file: str

    def frame(self, key: str) -> pd.DataFrame:
        return self.tables[key].frame


def schema_path(key: str) -> Path:
    return SCHEMA_DIR / f"{key}.yaml"


def read_inputs(config: dict, raw_dir: Path) -> dict[str, Table]:
    """Every configured input validated against schemas/inputs/<key>.yaml; one DataError for all."""
    tables, problems = {}, []
    for key in config["inputs"]:
        rel, sheet = input_entry(config, key)
        if not schema_path(key).is_file():
            known = sorted(p.stem for p in SCHEMA_DIR.glob("*.yaml"))
            problems.append(Problem(f"plans/{raw_dir.name}.yaml", f"chiave «inputs.{key}»: input sconosciuto (nessuno schema "
                                    f"schemas/inputs/{key}.yaml)", expected="uno di: " + ", ".join(known)))
            continue
        try:
            tables[key] = read_table(raw_dir / rel, load_schema(schema_path(key)), (raw_dir / rel).as_posix(), sheet)
        except DataError as err:
            problems += err.problems
    if problems:
        raise DataError(problems)
    for key in catalogue.OPTIONAL_INPUTS:
        if key not in tables:
            tables[key] = empty_table(load_schema(schema_path(key)))
    return tables


def empty_table(schema: TableSchema) -> Table:
    """An optional input the plan does not use: no rows, the schema's columns and types."""
    kinds = {"integer": "Int64", "number": "float64", "flag": "bool"}
    frame = pd.DataFrame({c.name: pd.Series(dtype=kinds.get(c.type, "object")) for c in schema.columns})
    return Table(frame, {}, [], "", Grid("", [], [], "", None))


def read_boundaries(path: Path) -> dict:
    display = path.as_posix()
    if not path.is_file():
        raise DataError([Problem(display, "file mancante", expected="i confini dei comuni in GeoJSON")])
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as err:
        raise DataError([Problem(display, f"GeoJSON non leggibile ({err})",
                                 expected="un file GeoJSON (JSON in UTF-8)")]) from None
    kind = data.get("type") if isinstance(data, dict) else type(data).__name__
    if kind != "FeatureCollection" or not isinstance(data.get("features"), list):
        raise DataError([Problem(display, "non è una FeatureCollection GeoJSON", expected="FeatureCollection",
                                 found=str(kind))])
    for number, feature in enumerate(data["features"], start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(properties, dict) or not properties.get("codice_istat"):
            raise DataError([Problem(display, f"l'elemento n. {number} non ha la proprietà «codice_istat»",
                                     expected="per ogni comune properties.codice_istat (6 cifre)")])
    return data


def load_inputs(config: dict, raw_dir: Path) -> Inputs:
    """Checked register, validated tables and boundaries, names normalised; one DataError for all."""
    if not raw_dir.is_dir():
        raise DataError([Problem(raw_dir.as_posix(), "cartella dei dati del piano mancante",
                                 expected="i file di input del piano in data/raw/<piano>/ (piano elencato in "
                                          "config.yaml, chiave «plans»)")])
    problems = register_problems(raw_dir, config.get("register", "register.csv"))
    tables, boundaries = {}, {}
    try:
        tables = read_inputs(config, raw_dir)
    except DataError as err:
        problems += err.problems
    boundaries_path = raw_dir / config["boundaries"]["file"]
    try:
        boundaries = read_boundaries(boundaries_path)
    except DataError as err:
        problems += err.problems
    if problems:
        raise DataError(problems)
    normalise_names({key: table.frame for key, table in tables.items()}, config.get("comune_aliases", {}))
    return Inputs(tables, boundaries, boundaries_path.as_posix())
