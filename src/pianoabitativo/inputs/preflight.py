"""Pre-flight check: `python -m pianoabitativo.inputs.preflight [config.yaml]`.

Runs the inputs stage itself (the same `validate_and_write` as the workflow's
validate_inputs rule, writing the same interim files) and prints only the
located problems (exit 1) or a one-line summary with the warnings (exit 0).
`make plan` runs it before Snakemake so that a bad file reads as plain Italian.

A broken config.yaml (missing, not YAML, not matching the config schema) is
reported the same way, in Italian, before anything else is read. The interim files
are committed together only when every plan passed (core/runner.py), and an
unexpected exception is an «errore interno» naming the log, never a traceback.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

from .. import catalogue
from ..core import paths
from ..core.config import load_config, load_plans
from ..core.runner import run_step
from .stage import validate_and_write

WIDTH = 80  # a terminal's width: no line of `make plan` is wider


def check_plan(plan: str, facts: dict) -> None:
    results = validate_and_write(facts, paths.raw_dir(plan),
                                 {key: paths.interim(plan, key) for key in catalogue.INPUTS},
                                 paths.interim_file(plan, paths.INTERIM_DECLARED_TOTALS),
                                 paths.interim_file(plan, paths.INTERIM_BOUNDARIES),
                                 paths.interim_file(plan, "verifiche.csv"),
                                 paths.interim_file(plan, "registro.csv"))
    warnings = [r for r in results if not r.passed]
    print("\n".join(textwrap.wrap(f"Dati di input del piano {plan}: nessun errore ({len(results)} controlli "
                                  "eseguiti).", WIDTH)))
    if warnings:
        noun = "avviso, riportato" if len(warnings) == 1 else "avvisi, riportati"
        print(f"{len(warnings)} {noun} nel piano (appendice «Verifiche sui dati»):")
    for result in warnings:
        print("\n".join(textwrap.wrap(f"non superato: {result.description}", WIDTH,
                                      initial_indent="  - ", subsequent_indent="    ")))


def main(argv: list[str]) -> None:
    """Check every plan config.yaml names (or the plans given after the config file)."""
    config = load_config(Path(argv[0] if argv else "config.yaml"))
    if argv[1:]:
        config["plans"] = argv[1:]
    for plan, facts in load_plans(config).items():
        check_plan(plan, facts)


if __name__ == "__main__":
    run_step(lambda: main(sys.argv[1:]), "pre-flight dei dati di input")
