"""Load config.yaml and check it against schemas/config.schema.yaml."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jsonschema
import yaml

from .errors import DataError, Problem

ROOT = Path(__file__).resolve().parents[2]
CONFIG_SCHEMA = ROOT / "schemas" / "config.schema.yaml"


def config_problems(config: dict, file: str = "config.yaml") -> list[Problem]:
    schema = yaml.safe_load(CONFIG_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    problems = []
    for err in sorted(validator.iter_errors(config), key=lambda e: list(map(str, e.absolute_path))):
        key = ".".join(str(p) for p in err.absolute_path) or "(radice)"
        problems.append(Problem(file, f"chiave «{key}»: {err.message}"))
    return problems


def validate_config(config: dict, file: str = "config.yaml") -> dict:
    """Return the config with defaults filled in; DataError listing every problem."""
    problems = config_problems(config, file)
    if problems:
        raise DataError(problems)
    config.setdefault("comune_aliases", {})
    config.setdefault("render", {}).setdefault("engine", "auto")
    return config


def prepare_config(config: dict, file: str = "config.yaml") -> dict:
    """Normalise what YAML parsed (dates become ISO strings), validate, fill defaults."""
    for key, value in (config.get("dates") or {}).items():
        if isinstance(value, dt.date):
            config["dates"][key] = value.isoformat()
    return validate_config(config, file)


def load_config(path: Path) -> dict:
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise DataError([Problem(str(path), f"YAML non valido: {err}")]) from None
    if not isinstance(config, dict):
        raise DataError([Problem(str(path), "il file non contiene una mappa di chiavi")])
    return prepare_config(config, str(path))


def plan_date(config: dict, key: str) -> dt.date:
    return dt.date.fromisoformat(str(config["dates"][key]))


def source_date_epoch(config: dict) -> int:
    """The approval date at noon UTC: the one timestamp every output may embed."""
    day = plan_date(config, "approval")
    return int(dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.timezone.utc).timestamp())


def input_entry(config: dict, key: str) -> tuple[str, str | None]:
    """(file relative to the year's raw folder, sheet or None)."""
    entry = config["inputs"][key]
    if isinstance(entry, dict):
        return entry["file"], entry.get("sheet")
    return entry, None
