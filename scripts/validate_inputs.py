"""Inputs stage: validate the plan's raw files once and write typed, normalised interim tables.

By hand (from the project folder): python scripts/validate_inputs.py
"""

import sys
from pathlib import Path

from pianoabitativo import catalogue
from pianoabitativo.core.errors import DataError
from pianoabitativo.core.runner import run
from pianoabitativo.core.worker import REFUSED
from pianoabitativo.inputs.stage import validate_and_write


def main(smk):
    out = smk.output
    tables = {key: getattr(out, key) for key in catalogue.INPUTS}  # optional inputs too (header only if unused)
    try:
        validate_and_write(
            smk.params.facts,
            Path(smk.params.raw_dir),
            tables,
            out.declared_totals,
            out.boundaries,
            out.checks,
            out.register,
        )
    except DataError as err:  # the plan named: `make piano` builds several, and the others go on
        text = err.report(smk.wildcards.plan)
        print(text, file=sys.stderr)
        if smk.log:
            with open(smk.log[0], "a", encoding="utf-8") as log:
                log.write(text + "\n")
        raise SystemExit(REFUSED) from None  # the console names the plan refused (core/worker.InputsRefused)


run(main, globals(), "validate_inputs")
