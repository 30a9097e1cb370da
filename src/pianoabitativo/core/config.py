"""Load config.yaml and check it against schemas/config.schema.yaml."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import jsonschema
import yaml

from .errors import DataError, Problem
from .files import package_file

SCHEMAS = {"config": package_file("schemas", "config.schema.yaml"), "plan": package_file("schemas", "plan.schema.yaml")}
PLANS_DIR = Path("plans")


def plan_file(plan: str) -> Path:
    return PLANS_DIR / f"{plan}.yaml"


def iso_dates(mapping: dict) -> dict:
    """YAML dates as ISO strings (what the schema and the rest of the code expect)."""
    if isinstance(mapping.get("dates"), dict):
        mapping["dates"] = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in mapping["dates"].items()}
    return mapping


def prepare_config(config: dict, file: str = "config.yaml") -> dict:
    """config.yaml as parsed: validated (plans to build, renderer), defaults filled in."""
    problems = config_problems(config, file, "config")
    if problems:
        raise DataError(problems)
    config.setdefault("render", {}).setdefault("engine", "auto")
    return config


def prepare_plan(facts: dict, file: str) -> dict:
    """A plan's facts as parsed: dates as ISO strings, validated, defaults filled in."""
    iso_dates(facts)
    problems = config_problems(facts, file, "plan")
    if problems:
        raise DataError(problems)
    facts.setdefault("comune_aliases", {})
    facts.setdefault("register", "register.csv")
    return facts


JSON_TYPES = {"integer": "un numero intero", "number": "un numero", "string": "un testo",
              "object": "una mappa di chiavi", "array": "un elenco", "boolean": "vero o falso"}


def _found(value: object) -> str | None:
    if isinstance(value, (dict, list)):
        return None
    return str(value)[:80]


def _config_problem(err: jsonschema.ValidationError, file: str) -> list[Problem]:
    """One jsonschema error as plain-Italian problems (the English message only as a last resort)."""
    path = [str(p) for p in err.absolute_path]
    key = ".".join(path) or "(radice)"
    prefix = ".".join(path) + "." if path else ""
    kind, value, instance = err.validator, err.validator_value, err.instance
    if kind == "type":
        types = value if isinstance(value, list) else [value]
        return [Problem(file, f"chiave «{key}»: tipo di valore sbagliato",
                        expected=" o ".join(JSON_TYPES.get(t, t) for t in types), found=_found(instance))]
    if kind == "additionalProperties":
        known = list(err.schema.get("properties", {}))
        return [Problem(file, f"chiave «{prefix}{extra}» non prevista",
                        expected="solo le chiavi " + ", ".join(known) if known else "nessuna chiave in più")
                for extra in instance if extra not in known]
    if kind == "required":
        return [Problem(file, f"chiave «{prefix}{missing}» mancante", expected="una chiave obbligatoria")
                for missing in value if missing not in instance]
    if kind in ("oneOf", "anyOf") and path[:1] == ["inputs"]:
        return [Problem(file, f"chiave «{key}»: file di input non supportato",
                        expected="un file .csv (UTF-8 o Windows-1252) o .xlsx, oppure {file: x.xlsx, sheet: Foglio1}",
                        found=_found(instance))]
    if kind == "pattern":
        return [Problem(file, f"chiave «{key}»: valore nel formato sbagliato", expected=f"il formato {value}",
                        found=_found(instance))]
    if kind == "format" and value == "date":
        return [Problem(file, f"chiave «{key}»: data non valida", expected="una data AAAA-MM-GG",
                        found=_found(instance))]
    if kind == "enum":
        return [Problem(file, f"chiave «{key}»: valore non previsto",
                        expected="uno tra " + ", ".join(map(str, value)), found=_found(instance))]
    if kind in ("minimum", "maximum"):
        sign = "≥" if kind == "minimum" else "≤"
        return [Problem(file, f"chiave «{key}»: valore fuori intervallo", expected=f"un valore {sign} {value}",
                        found=_found(instance))]
    return [Problem(file, f"chiave «{key}»: {err.message}")]


def config_problems(config: dict, file: str, kind: str = "plan") -> list[Problem]:
    """Every problem of a parsed config.yaml ("config") or plans/<plan>.yaml ("plan") against its schema."""
    config = iso_dates(copy.deepcopy(config))
    schema = yaml.safe_load(SCHEMAS[kind].read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    problems = []
    for err in sorted(validator.iter_errors(config), key=lambda e: [str(p) for p in e.absolute_path]):
        problems += _config_problem(err, file)
    return problems


def read_yaml_mapping(path: Path, missing: str) -> dict:
    """A YAML file holding a mapping; DataError (in Italian) if it is missing, not YAML or not a mapping."""
    file = path.as_posix()
    if not path.is_file():
        raise DataError([Problem(file, "file di configurazione mancante", expected=missing)])
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        where = getattr(err, "problem_mark", None)
        raise DataError([Problem(file, f"YAML non valido ({getattr(err, 'problem', None) or type(err).__name__})",
                                 row=where.line + 1 if where else None,
                                 expected="un file YAML in UTF-8 (chiave: valore)")]) from None
    if not isinstance(raw, dict):
        raise DataError([Problem(file, "il file non contiene una mappa di chiavi", expected="chiave: valore")])
    return raw


def load_config(path: Path) -> dict:
    """config.yaml loaded, validated and with defaults; DataError (in Italian) for anything wrong with it."""
    raw = read_yaml_mapping(path, "config.yaml nella cartella del progetto (o il percorso indicato)")
    return prepare_config(raw, path.as_posix())


def load_plan(plan: str) -> dict:
    """plans/<plan>.yaml loaded and validated; DataError (in Italian) for anything wrong with it."""
    path = plan_file(plan)
    raw = read_yaml_mapping(path, f"il file dei dati del piano «{plan}» (elencato in config.yaml, chiave «plans»)")
    return prepare_plan(raw, path.as_posix())


def load_plans(config: dict) -> dict[str, dict]:
    """Every plan config.yaml names, validated; one DataError listing the problems of all of them."""
    plans, problems = {}, []
    for plan in config["plans"]:
        try:
            plans[plan] = load_plan(plan)
        except DataError as err:
            problems += err.problems
    if problems:
        raise DataError(problems)
    return plans


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
