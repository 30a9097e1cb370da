"""Read every raw input of a year, validated, with names normalised to ISTAT's.

`load_inputs` is the single door from data/raw into the pipeline: the register
is checked, each file is read against its schema (all problems of all files
are reported together) and comune names are mapped to ISTAT's list.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .core.config import input_entry
from .core.errors import DataError, Problem
from .register import register_problems
from .validation import Table, load_schema, read_table

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schemas" / "inputs"
OWNER_PREFIX = "Comune di "


@dataclass
class Inputs:
    tables: dict[str, Table]
    boundaries: dict
    raw_dir: Path

    def frame(self, key: str) -> pd.DataFrame:
        return self.tables[key].frame


def input_paths(config: dict, raw_dir: Path) -> dict[str, Path]:
    """Input key -> path of the file, as config.yaml names it."""
    return {key: raw_dir / input_entry(config, key)[0] for key in config["inputs"]}


def read_inputs(config: dict, raw_dir: Path) -> dict[str, Table]:
    """Every configured input validated against schemas/inputs/<key>.yaml; one DataError for all."""
    tables, problems = {}, []
    for key in config["inputs"]:
        rel, sheet = input_entry(config, key)
        schema_path = SCHEMA_DIR / f"{key}.yaml"
        if not schema_path.is_file():
            known = sorted(p.stem for p in SCHEMA_DIR.glob("*.yaml"))
            problems.append(Problem("config.yaml", f"chiave «inputs.{key}»: input sconosciuto (nessuno schema "
                                    f"schemas/inputs/{key}.yaml)", expected="uno di: " + ", ".join(known)))
            continue
        try:
            tables[key] = read_table(raw_dir / rel, load_schema(schema_path), (raw_dir / rel).as_posix(), sheet)
        except DataError as err:
            problems += err.problems
    if problems:
        raise DataError(problems)
    return tables


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


# --- names -----------------------------------------------------------------------------------

def _key(name: str) -> str:
    return " ".join(name.replace("’", "'").split()).casefold()


def comune_name_resolver(istat_names: list[str], aliases: dict[str, str]):
    """A function mapping a written comune name to ISTAT's spelling, or None if unknown."""
    canonical = {_key(n): n for n in istat_names}
    alias = {_key(a): canonical.get(_key(t)) for a, t in aliases.items()}

    def resolve(name: str) -> str | None:
        return canonical.get(_key(name)) or alias.get(_key(name))
    return resolve


def owner_comune(owner: str) -> str | None:
    """'Comune di Crema' -> 'Crema'; other owners (ALER, ...) -> None."""
    return owner[len(OWNER_PREFIX):].strip() if owner.startswith(OWNER_PREFIX) else None


def normalise_names(tables: dict[str, Table], config: dict) -> None:
    """Rewrite comune names (and 'Comune di X' owners) to ISTAT spelling, in place.

    Unknown names are left as written: the cross-checks report them with their row.
    """
    istat = tables["elenco_comuni"].frame
    resolve = comune_name_resolver(list(istat["comune"]) + list(tables["comuni_ambito"].frame["comune"]),
                                   config.get("comune_aliases", {}))

    def fix(name: str) -> str:
        return resolve(name) or name if name else name

    def fix_owner(owner: str) -> str:
        comune = owner_comune(owner)
        return OWNER_PREFIX + fix(comune) if comune else owner

    for key, table in tables.items():
        frame = table.frame
        for column in ("comune",):
            if column in frame and key not in ("elenco_comuni", "popolazione", "comuni_ambito"):
                frame[column] = frame[column].map(fix)
        for column in ("ente_proprietario", "ente", "ente_gestore"):
            if column in frame:
                frame[column] = frame[column].map(fix_owner)


def load_inputs(config: dict, raw_dir: Path) -> Inputs:
    """Checked register, validated tables and boundaries, names normalised; one DataError for all."""
    if not raw_dir.is_dir():
        raise DataError([Problem(raw_dir.as_posix(), f"cartella dei dati dell'anno {config['year']} mancante",
                                 expected="i file di input in data/raw/<anno>/ (config.yaml, chiave «year»)")])
    problems = register_problems(raw_dir, config.get("register", "register.csv"))
    tables, boundaries = {}, {}
    try:
        tables = read_inputs(config, raw_dir)
    except DataError as err:
        problems += err.problems
    try:
        boundaries = read_boundaries(raw_dir / config["boundaries"]["file"])
    except DataError as err:
        problems += err.problems
    if problems:
        raise DataError(problems)
    normalise_names(tables, config)
    return Inputs(tables, boundaries, raw_dir)
