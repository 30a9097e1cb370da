"""Pre-flight check: `python -m pianoabitativo.validate [config.yaml]`.

Runs exactly the checks of the workflow's validate_inputs rule and prints only
the located problems (exit 1) or a one-line summary with the warnings (exit 0).
`make plan` runs it before Snakemake so that a bad file reads as plain Italian.

A broken config.yaml (missing, not YAML, not matching schemas/config.schema.yaml)
is reported the same way, in Italian, before anything else is read.
"""

from __future__ import annotations

import copy
import datetime as dt
import sys
from pathlib import Path

import jsonschema
import yaml

from .config import CONFIG_SCHEMA, load_config
from .errors import DataError, Problem, run_reporting_data_errors
from .workflow import checked_inputs

JSON_TYPES = {"integer": "un numero intero", "number": "un numero", "string": "un testo", "object": "una mappa di chiavi",
              "array": "un elenco", "boolean": "vero o falso"}


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
        return [Problem(file, f"chiave «{key}»: valore non previsto", expected="uno tra " + ", ".join(map(str, value)),
                        found=_found(instance))]
    if kind in ("minimum", "maximum"):
        sign = "≥" if kind == "minimum" else "≤"
        return [Problem(file, f"chiave «{key}»: valore fuori intervallo", expected=f"un valore {sign} {value}",
                        found=_found(instance))]
    return [Problem(file, f"chiave «{key}»: {err.message}")]


def config_problems(config: dict, file: str) -> list[Problem]:
    """Every problem of a parsed config.yaml against schemas/config.schema.yaml, in Italian."""
    config = copy.deepcopy(config)
    if isinstance(config.get("dates"), dict):  # YAML dates become ISO strings, as config.prepare_config does
        config["dates"] = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in config["dates"].items()}
    schema = yaml.safe_load(CONFIG_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    problems = []
    for err in sorted(validator.iter_errors(config), key=lambda e: [str(p) for p in e.absolute_path]):
        problems += _config_problem(err, file)
    return problems


def read_config(path: Path) -> dict:
    """config.yaml loaded and validated; DataError (in Italian) for anything wrong with it."""
    file = path.as_posix()
    if not path.is_file():
        raise DataError([Problem(file, "file di configurazione mancante",
                                 expected="config.yaml nella cartella del progetto (o il percorso indicato)")])
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        where = getattr(err, "problem_mark", None)
        raise DataError([Problem(file, f"YAML non valido ({getattr(err, 'problem', None) or type(err).__name__})",
                                 row=where.line + 1 if where else None,
                                 expected="un file YAML in UTF-8 (chiave: valore)")]) from None
    if not isinstance(raw, dict):
        raise DataError([Problem(file, "il file non contiene una mappa di chiavi", expected="chiave: valore")])
    problems = config_problems(raw, file)
    if problems:
        raise DataError(problems)
    return load_config(path)


def main(argv: list[str]) -> None:
    config = read_config(Path(argv[0] if argv else "config.yaml"))
    _, results = checked_inputs(config)
    warnings = [r for r in results if not r.passed]
    print(f"Dati di input {config['year']}: {len(results)} controlli eseguiti, nessun errore, "
          f"{len(warnings)} avvisi (riportati nel piano, appendice «Verifiche sui dati»).")
    for result in warnings:
        print(f"  avviso, controllo non superato: {result.description}")


if __name__ == "__main__":
    run_reporting_data_errors(lambda: main(sys.argv[1:]))
