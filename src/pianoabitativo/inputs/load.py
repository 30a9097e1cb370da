"""Read every raw input of a plan, validated, with names normalised to ISTAT's.

`load_inputs` is the single door from data/raw into the pipeline: the register
is checked, each file is read against its schema (all problems of all files
are reported together), the boundaries are read and comune names are mapped to
ISTAT's list. Nothing after the inputs stage opens data/raw.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pandas as pd

from .. import catalogue
from ..core.columntypes import empty_column, nullable
from ..core.config import input_entry
from ..core.errors import DataError, Problem
from ..core.files import package_file
from ..core.plankeys import italian_path
from .grid import Grid, read_grid
from .locations import path_problems
from .names import name_key, normalise_names
from .privacy import personal_data_problems
from .register import data_files, register_problems
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
            problems.append(
                Problem(
                    f"plans/{raw_dir.name}.yaml",
                    f"chiave «{italian_path('inputs')}.{key}»: input sconosciuto (nessuno schema "
                    f"schemas/inputs/{key}.yaml)",
                    expected="uno di: " + ", ".join(known),
                )
            )
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
    frame = pd.DataFrame({c.name: empty_column(nullable(c.type)) for c in schema.columns})
    return Table(frame, {}, [], "", Grid("", [], [], "", None))


GEOMETRY_TYPES = ("Polygon", "MultiPolygon")


def _position_problem(position) -> str | None:
    if not isinstance(position, list) or len(position) not in (2, 3):
        return "una posizione non è una coppia [longitudine, latitudine]"
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in position):
        return "una coordinata non è un numero"
    try:
        lon, lat = float(position[0]), float(position[1])
    except OverflowError:
        return "una coordinata fuori scala"
    if not (math.isfinite(lon) and math.isfinite(lat)) or not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return f"coordinate fuori dall'intervallo WGS84 ({position[0]}, {position[1]})"
    return None


def _ring_problem(ring) -> str | None:
    if not isinstance(ring, list) or len(ring) < 4:
        return "un anello del poligono ha meno di 4 posizioni"
    for position in ring:
        problem = _position_problem(position)
        if problem:
            return problem
    if [float(v) for v in ring[0][:2]] != [float(v) for v in ring[-1][:2]]:
        return "un anello del poligono non è chiuso (la prima posizione differisce dall'ultima)"
    return None


def geometry_problem(geometry) -> str | None:
    """Why a feature's geometry cannot be drawn as a comune's area (None if it can)."""
    if not isinstance(geometry, dict):
        return "geometria mancante (null)"
    kind = geometry.get("type")
    if kind not in GEOMETRY_TYPES:
        return f"geometria di tipo «{kind}»"
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if kind == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        return "coordinate mancanti"
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return "un poligono senza anelli"
        for ring in polygon:
            problem = _ring_problem(ring)
            if problem:
                return problem
    return None


def read_boundaries(path: Path) -> dict:
    """The boundaries GeoJSON: a FeatureCollection of drawable (Multi)Polygons, one per 6-digit ISTAT code."""
    display = path.as_posix()
    if not path.is_file():
        raise DataError([Problem(display, "file mancante", expected="i confini dei comuni in GeoJSON")])
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError, RecursionError) as err:
        raise DataError(
            [Problem(display, f"GeoJSON non leggibile ({str(err)[:120]})", expected="un file GeoJSON (JSON in UTF-8)")]
        ) from None
    kind = data.get("type") if isinstance(data, dict) else type(data).__name__
    if kind != "FeatureCollection" or not isinstance(data.get("features"), list):
        raise DataError(
            [Problem(display, "non è una FeatureCollection GeoJSON", expected="FeatureCollection", found=str(kind))]
        )
    problems, seen = [], {}
    for number, feature in enumerate(data["features"], start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        code = properties.get("codice_istat") if isinstance(properties, dict) else None
        if not code:
            problems.append(
                Problem(
                    display,
                    f"l'elemento n. {number} non ha la proprietà «codice_istat»",
                    expected="per ogni comune properties.codice_istat (6 cifre)",
                )
            )
            continue
        if not isinstance(code, str) or not re.fullmatch(r"\d{6}", code):
            problems.append(
                Problem(
                    display,
                    f"l'elemento n. {number}: «codice_istat» non valido",
                    expected='6 cifre, come testo (es. "019035")',
                    found=str(code)[:40],
                )
            )
            continue
        if code in seen:
            problems.append(
                Problem(
                    display,
                    f"l'elemento n. {number}: il comune {code} ha già un confine (elemento n. {seen[code]})",
                    expected="un solo elemento per comune",
                )
            )
            continue
        seen[code] = number
        problem = geometry_problem(feature.get("geometry"))
        if problem:
            problems.append(
                Problem(
                    display,
                    f"l'elemento n. {number} (comune {code}): {problem}",
                    expected="un Polygon o MultiPolygon con anelli chiusi in coordinate WGS84",
                )
            )
    if problems:
        raise DataError(problems)
    return data


def duplicate_name_problems(tables: dict[str, Table]) -> list[Problem]:
    """Keys that repeat once comune names and owners are normalised (e.g. «Comune di CREMA» and «Comune di
    Crema», or a name and its alias): each would become a second row of the same comune or owner."""
    problems = []
    for table in tables.values():
        if not table.rows:
            continue
        for columns in table.unique:
            if not any(
                c in ("comune", "ente_proprietario", "ente", "ente_gestore", "ambito", "territorio") for c in columns
            ):
                continue
            seen: dict[tuple, int] = {}
            values = zip(*(table.frame[c] for c in columns))
            for index, value in enumerate(values):
                if any(v is None or v == "" or (isinstance(v, float) and math.isnan(v)) for v in value):
                    continue
                normal = tuple(name_key(str(v)) for v in value)
                if normal in seen:
                    first = seen[normal]
                    problems.append(
                        Problem(
                            table.file,
                            "valore ripetuto (deve essere unico; maiuscole, spazi, "
                            "apostrofi e nomi alternativi dei comuni non contano)",
                            row=table.rows[index],
                            column=" + ".join(table.headers.get(c, c) for c in columns),
                            expected=f"un valore diverso da quello di riga {table.rows[first]}",
                            found=" / ".join(str(v) for v in value),
                        )
                    )
                else:
                    seen[normal] = index
    return problems


def unused_file_problems(config: dict, raw_dir: Path) -> list[Problem]:
    """The privacy guard on the registered tables no input reads: they travel with the plan's archive too."""
    used = {PurePosixPath(input_entry(config, key)[0]).as_posix() for key in config["inputs"]}
    problems = []
    for name in data_files(raw_dir, config.get("register", "register.csv")):
        if name in used or Path(name).suffix.lower() not in (".csv", ".txt", ".xlsx"):
            continue
        try:
            grid = read_grid(raw_dir / name, set(), (raw_dir / name).as_posix())
        except DataError:
            continue  # not a table: nothing a column could hold
        for sheet in [grid, *grid.other_sheets]:
            problems += personal_data_problems(sheet)
    return problems


def load_inputs(config: dict, raw_dir: Path) -> Inputs:
    """Checked register, validated tables and boundaries, names normalised; one DataError for all."""
    located = path_problems(config, raw_dir.name, raw_dir)
    if located:  # nothing is opened outside the plan's raw folder, nor anything unregistered
        raise DataError(located)
    problems = register_problems(raw_dir, config.get("register", "register.csv"))
    problems += unused_file_problems(config, raw_dir)
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
    problems = duplicate_name_problems(tables)
    if problems:
        raise DataError(problems)
    return Inputs(tables, boundaries, boundaries_path.as_posix())
