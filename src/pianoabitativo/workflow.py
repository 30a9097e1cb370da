"""Glue between Snakemake scripts and the library: checked inputs and the error edge."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Callable

import pandas as pd

from .checks import CheckResult, raise_on_errors, run_checks
from .core.errors import run_reporting_data_errors
from .inputs import Inputs, load_inputs
from .core.paths import raw_dir


def checked_inputs(config: dict) -> tuple[Inputs, list[CheckResult]]:
    """Validated inputs and the results of every cross-check; DataError if an 'errore' check fails."""
    inputs = load_inputs(config, raw_dir(config["year"]))
    results = run_checks(inputs, config)
    raise_on_errors(results)
    return inputs, results


def reference_densities(inputs: Inputs, config: dict) -> tuple[float, float]:
    frame = inputs.frame("densita_riferimento")
    by_name = dict(zip(frame["territorio"], frame["densita"]))
    return float(by_name[config["ambito"]["province"]]), float(by_name[config["ambito"]["region"]])


def read_processed(path: str) -> pd.DataFrame:
    """A processed table as written by tables.write_csv (codes stay text, empty stays empty)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in frame.columns:
        if column in ("codice_istat", "codice_unita", "comune", "avviso", "dgr", "valore", "dettaglio"):
            continue
        converted = pd.to_numeric(frame[column], errors="coerce")
        if converted.notna().all() and len(frame):
            frame[column] = converted
        elif set(frame[column]) <= {"True", "False"} and len(frame):
            frame[column] = frame[column] == "True"
    return frame


def script_main(main: Callable[[object], None], smk) -> None:
    """Run a Snakemake script's main with logging to its log file and the plain-error edge."""
    log_path = smk.log[0] if smk.log else None
    if log_path:
        Path(log_path).parent.mkdir(parents=True, exist_ok=True)
        logging.basicConfig(filename=log_path, filemode="w", level=logging.INFO,
                            format="%(levelname)s %(name)s: %(message)s")
    else:
        logging.basicConfig(stream=sys.stderr, level=logging.INFO)
    run_reporting_data_errors(lambda: main(smk), log_path)
