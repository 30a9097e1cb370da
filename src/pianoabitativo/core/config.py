"""Load config.yaml and check it against schemas/config.schema.yaml."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import functools
import re
from pathlib import Path

import jsonschema
import yaml

from . import plankeys
from .errors import DataError, Problem
from .files import package_file
from .yamltext import yaml_problem

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
    """A plan's facts as parsed: dates as ISO strings, validated, defaults filled in.

    Defaults: no sub-ambiti, no comune aliases, register.csv, and istat.population_column derived
    from dates.population_reference (see `population_column`).
    """
    italian = plankeys.uses_italian_keys(facts)
    facts = iso_dates(plankeys.to_internal(facts))
    from ..catalogue import QUOTA_VALUES_IT  # the quota rule's values, written in Italian or English

    english = {it: en for en, it in QUOTA_VALUES_IT.items()}
    for key in ("quota_rounding", "quota_base"):
        if isinstance(facts.get(key), str):
            facts[key] = english.get(facts[key], facts[key])
    problems = config_problems(facts, file, "plan")
    if not problems:
        problems = date_problems(facts, file)
    if problems:
        raise DataError([italian_problem(p) for p in problems] if italian else problems)
    facts.setdefault("comune_aliases", {})
    facts.setdefault("register", "register.csv")
    facts["ambito"]["sub_ambiti"] = list(facts["ambito"].get("sub_ambiti") or [])
    facts.setdefault("istat", {})["population_column"] = population_column(facts)
    facts["unconfirmed"] = [
        {
            "fact": plankeys.internal_path(entry["fact"]),
            "reason": entry.get("reason", ""),
            "where": entry.get("where", ""),
        }
        for entry in facts.get("unconfirmed") or []
    ]
    if not facts.get("previous_plan"):
        facts.pop("previous_plan", None)
    return facts


KEY_IN_MESSAGE = re.compile(r"«([a-z_]+(?:\.[a-z_0-9]+)*)»")


def italian_problem(problem: Problem) -> Problem:
    """A problem of a plan file written with the Italian keys, naming its keys as the file does."""

    def italian(text: str | None) -> str | None:
        return KEY_IN_MESSAGE.sub(lambda m: f"«{plankeys.italian_path(m.group(1))}»", text) if text else text

    expected = italian(problem.expected)
    listed = KEY_IN_MESSAGE.search(problem.message or "")
    if expected and expected.startswith(KNOWN_KEYS) and listed:  # the keys allowed where an unknown one was found
        parent = listed.group(1).rpartition(".")[0]
        names = expected.removeprefix(KNOWN_KEYS).split(", ")
        expected = KNOWN_KEYS + ", ".join(
            plankeys.italian_path(f"{parent}.{n}" if parent else n).split(".")[-1] for n in names
        )
    return dataclasses.replace(problem, message=italian(problem.message), expected=expected)


KNOWN_KEYS = "solo le chiavi "


POPULATION_PREFIX = "pop_res_"


def population_column(facts: dict) -> str:
    """The ISTAT population column for dates.population_reference; an explicit istat.population_column wins.

    ISTAT publishes residents at 1 January of each year (pop_res_YY); 31 December counts as the next
    1 January. Any other date needs an explicit istat.population_column (date_problems says so).
    """
    explicit = (facts.get("istat") or {}).get("population_column")
    if explicit:
        return explicit
    day = plan_date(facts, "population_reference")
    year = day.year + 1 if (day.month, day.day) == (12, 31) else day.year
    return f"{POPULATION_PREFIX}{year % 100:02d}"


def date_problems(facts: dict, file: str) -> list[Problem]:
    """The plan's dates against its year and each other (the schema has checked they are real dates)."""
    year, dates = facts["year"], {k: dt.date.fromisoformat(v) for k, v in facts["dates"].items() if v}
    problems = []

    def wrong(key: str, message: str, expected: str) -> None:
        problems.append(
            Problem(file, f"chiave «dates.{key}»: {message}", expected=expected, found=dates[key].isoformat())
        )

    for key in ("assignable_by", "next_plan_deadline"):
        if dates[key].year != year:
            wrong(key, "data fuori dall'anno del piano", f"una data del {year} (chiave «year»)")
    if "approval" in dates and dates["approval"].year not in (year - 1, year):
        wrong(
            "approval",
            "data di approvazione incompatibile con l'anno del piano",
            f"una data del {year - 1} o del {year} (chiave «year»)",
        )
    for key in ("population_reference", "households_reference"):
        if "approval" in dates and dates[key] > dates["approval"]:
            wrong(
                key,
                "data di riferimento successiva all'approvazione del piano",
                f"una data non successiva a {dates['approval'].isoformat()} (chiave «dates.approval»)",
            )
    day = dates["population_reference"]
    if not (facts.get("istat") or {}).get("population_column") and (day.month, day.day) not in ((1, 1), (12, 31)):
        wrong(
            "population_reference",
            "l'ISTAT pubblica la popolazione al 1° gennaio: la colonna del file "
            "della popolazione non si può dedurre da questa data",
            "il 1° gennaio (o il 31 dicembre) di un anno, oppure la chiave «istat.population_column» (es. pop_res_18)",
        )
    return problems


JSON_TYPES = {
    "integer": "un numero intero",
    "number": "un numero",
    "string": "un testo",
    "object": "una mappa di chiavi",
    "array": "un elenco",
    "boolean": "vero o falso",
}


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
        return [
            Problem(
                file,
                f"chiave «{key}»: tipo di valore sbagliato",
                expected=" o ".join(JSON_TYPES.get(t, t) for t in types),
                found=_found(instance),
            )
        ]
    if kind == "additionalProperties":
        known = list(err.schema.get("properties", {}))
        return [
            Problem(
                file,
                f"chiave «{prefix}{extra}» non prevista",
                expected=KNOWN_KEYS + ", ".join(known) if known else "nessuna chiave in più",
            )
            for extra in instance
            if extra not in known
        ]
    if kind == "required":
        return [
            Problem(file, f"chiave «{prefix}{missing}» mancante", expected="una chiave obbligatoria")
            for missing in value
            if missing not in instance
        ]
    if kind in ("oneOf", "anyOf") and path[:1] == ["inputs"]:
        return [
            Problem(
                file,
                f"chiave «{key}»: file di input non supportato",
                expected="un file .csv (UTF-8 o Windows-1252) o .xlsx, oppure {file: x.xlsx, sheet: Foglio1}",
                found=_found(instance),
            )
        ]
    if kind == "pattern":
        return [
            Problem(
                file,
                f"chiave «{key}»: valore nel formato sbagliato",
                expected=f"il formato {value}",
                found=_found(instance),
            )
        ]
    if kind == "format" and value == "date":
        return [
            Problem(file, f"chiave «{key}»: data non valida", expected="una data AAAA-MM-GG", found=_found(instance))
        ]
    if kind == "enum":
        return [
            Problem(
                file,
                f"chiave «{key}»: valore non previsto",
                expected="uno tra " + ", ".join(map(str, value)),
                found=_found(instance),
            )
        ]
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        sign = {"minimum": "≥", "maximum": "≤", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}[kind]
        return [
            Problem(
                file,
                f"chiave «{key}»: valore fuori intervallo",
                expected=f"un valore {sign} {value}",
                found=_found(instance),
            )
        ]
    return [
        Problem(file, f"chiave «{key}»: {message}", expected=expected, found=_found(instance))
        for message, expected in [_other_problem(kind, value, instance)]
    ]


def _items(n: int) -> str:
    return "1 elemento" if n == 1 else f"{n} elementi"


def _chars(n: int) -> str:
    return "1 carattere" if n == 1 else f"{n} caratteri"


def _other_problem(kind: str, value: object, instance: object) -> tuple[str, str | None]:
    """(message, expected) in Italian for the validators not handled above; a plain fallback for any other."""
    if kind == "minItems":
        return "elenco troppo corto", f"almeno {_items(value)}"
    if kind == "maxItems":
        return "elenco troppo lungo", f"al massimo {_items(value)}"
    if kind == "uniqueItems":
        seen, repeated = [], []
        for item in instance if isinstance(instance, list) else []:
            (repeated if item in seen else seen).append(item)
        return (
            f"elemento ripetuto: {', '.join(f'«{r}»' for r in repeated)}" if repeated else "elementi ripetuti",
            "ogni elemento una sola volta",
        )
    if kind == "minLength":
        return ("valore vuoto" if value == 1 else "testo troppo corto"), f"un testo di almeno {_chars(value)}"
    if kind == "maxLength":
        return "testo troppo lungo", f"un testo di al massimo {_chars(value)}"
    if kind == "minProperties":
        return "mappa con troppe poche chiavi", f"almeno {value} chiavi"
    if kind == "maxProperties":
        return "mappa con troppe chiavi", f"al massimo {value} chiavi"
    if kind == "const":
        return "valore non previsto", f"il valore {value}"
    if kind == "multipleOf":
        return "valore non ammesso", f"un multiplo di {value}"
    if kind == "format":
        return "valore nel formato sbagliato", f"il formato {value}"
    if kind in ("dependentRequired", "dependencies"):
        return "chiave che ne richiede altre", "anche le chiavi collegate"
    if kind in ("oneOf", "anyOf"):
        return "valore di forma non prevista", "una delle forme descritte nello schema del file"
    if kind == "not":
        return "valore non ammesso", None
    if kind in ("false", "unevaluatedProperties", "propertyNames"):
        return "chiave o valore non previsto", None
    return "valore non accettato dallo schema", "un valore come descritto nello schema del file"


def config_problems(config: dict, file: str, kind: str = "plan") -> list[Problem]:
    """Every problem of a parsed config.yaml ("config") or plans/<plan>.yaml ("plan") against its schema."""
    config = iso_dates(copy.deepcopy(config))
    problems = []
    for err in sorted(_validator(kind).iter_errors(config), key=lambda e: [str(p) for p in e.absolute_path]):
        problems += _config_problem(err, file)
    return problems


@functools.cache
def _validator(kind: str) -> jsonschema.Draft202012Validator:
    """The schema of config.yaml or of a plan, read once per process (a run reads a hundred plans); the
    plan's with the inputs it must name from the catalogue (plankeys.plan_schema)."""
    if kind == "plan":
        schema = plankeys.plan_schema()
    else:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        schema = yaml.load(SCHEMAS[kind].read_text(encoding="utf-8"), Loader=loader)  # noqa: S506
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


# libyaml's parser where PyYAML has it (ten times faster on a hundred plans), the same rules either way
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """YAML without implicit timestamps: dates stay text, so 2019-02-30 is a located error, not a crash."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
}


def read_yaml_mapping(path: Path, missing: str) -> dict:
    """A YAML file holding a mapping; DataError (in Italian) if it is missing, not YAML or not a mapping."""
    file = path.as_posix()
    if not path.is_file():
        raise DataError([Problem(file, "file di configurazione mancante", expected=missing)])
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DataError(
            [Problem(file, "file non in UTF-8", expected="un file YAML in UTF-8 (chiave: valore)")]
        ) from None
    try:
        raw = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as err:  # the line to correct, in Italian (core/yamltext.py)
        raise DataError([yaml_problem(file, text, err)]) from None
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
    # an undated draft (dates.approval empty): 1 January of its year
    day = plan_date(config, "approval") if config["dates"].get("approval") else dt.date(int(config["year"]), 1, 1)
    return int(dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC).timestamp())


def input_entry(config: dict, key: str) -> tuple[str, str | None]:
    """(file relative to the plan's raw folder data/raw/<plan>/, sheet or None)."""
    entry = config["inputs"][key]
    if isinstance(entry, dict):
        return entry["file"], entry.get("sheet")
    return entry, None


INPUT_STAGE_FACTS = {
    "ambito": ("sub_ambiti", "province", "region", "short_name"),
    "dates": ("population_reference",),
    "boundaries": ("file",),
}


def facts_for_inputs(facts: dict) -> dict:
    """The part of a plan's facts the inputs stage uses: changing anything else does not rerun it."""
    sliced = {
        key: facts.get(key) for key in ("istat", "comune_aliases", "inputs", "register", "quota_rounding", "quota_base")
    }
    for key, fields in INPUT_STAGE_FACTS.items():
        sliced[key] = {field: facts.get(key, {}).get(field) for field in fields if field in facts.get(key, {})}
    return sliced
