"""Pre-flight check: `python -m pianoabitativo.inputs.preflight [config.yaml] [plan ...]` (`make controlla`).

Runs the checks of the inputs stage (the same `checked_inputs` as the workflow's
validate_inputs rule, which then writes the interim files) for each plan, and prints
only the located problems or a one-line summary with the warnings. Exit 1 if a plan
was refused, 0 otherwise. It writes nothing: `make controlla` is the check of a
person who wants to know, before building, whether the data are accepted.

Each plan on its own: a plan whose data are not complete yet (next year's, just
started) does not stop the others. `make piano` does not run it: Snakemake's
validate_inputs job checks each plan once and prints the same message; `make piano`
reads only the plans' facts first (`readable_plans`), because a plan file that cannot
be read would stop Snakemake for every plan.

A broken config.yaml (missing, not YAML, not matching the config schema) is
reported the same way, in Italian, before anything else is read. An unexpected
exception is an «errore interno» naming the log, never a traceback.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

from ..console import refusal_lines
from ..core import paths
from ..core.config import load_config, load_plan
from ..core.errors import DataError
from ..core.runner import run_step

WIDTH = 80  # a terminal's width: no line of `make plan` is wider


def check_plan(plan: str, facts: dict) -> None:
    """Check one plan's inputs as the inputs stage does, writing nothing: the workflow's validate_inputs job
    writes the interim files, so that Snakemake records how they were made (its report and its rerun
    checks need that record; files written here would have none)."""
    from ..tables.previous import check_previous_plan  # the pre-flight refuses a plan the tables stage would
    from .stage import checked_inputs  # pandas: not for `make piano`, which reads only the facts here

    check_previous_plan(plan, facts)  # a previous plan of another ambito or year, or the plan itself
    _, results = checked_inputs(facts, paths.raw_dir(plan))
    warnings = [r for r in results if not r.passed]
    print(
        "\n".join(
            textwrap.wrap(f"Dati di input del piano {plan}: nessun errore ({len(results)} controlli eseguiti).", WIDTH)
        )
    )
    if warnings:
        noun = "avviso, riportato" if len(warnings) == 1 else "avvisi, riportati"
        print(f"{len(warnings)} {noun} nel piano (appendice «Verifiche sui dati»):")
    for result in warnings:
        print(
            "\n".join(
                textwrap.wrap(
                    f"non superato: {result.description}", WIDTH, initial_indent="  - ", subsequent_indent="    "
                )
            )
        )


def check_plans(config_file: Path, plans: list[str] | None = None) -> tuple[list[str], list[str]]:
    """Check each plan (all those config.yaml names, or `plans`), printing what a person needs to read;
    (the plans that passed, the plans refused)."""
    return each_plan(config_file, lambda plan: check_plan(plan, load_plan(plan)), plans)


def readable_plans(config_file: Path) -> tuple[list[str], list[str]]:
    """The plans whose facts (plans/<plan>.yaml) can be read and agree with their previous plan's, and those
    refused, each printed with its problems: what `make piano` checks before Snakemake, which reads them all
    (no data file is read here: each plan's validate_inputs job checks its data, once)."""
    return each_plan(config_file, check_facts)


def check_facts(plan: str) -> None:
    """A plan's facts, readable; its previous plan (if it names one) of its ambito and of the year before."""
    facts = load_plan(plan)
    if facts.get("previous_plan"):
        from ..tables.previous import check_previous_plan  # pandas: only for a plan that has a previous one

        check_previous_plan(plan, facts)


def each_plan(
    config_file: Path, check: Callable[[str], object], plans: list[str] | None = None
) -> tuple[list[str], list[str]]:
    """`check` on each plan; a DataError refuses that plan alone, printed with its problems."""
    config = load_config(config_file)
    plans = plans or config["plans"]
    ready, refused = [], []
    for plan in plans:
        try:
            check(plan)
        except DataError as err:
            print(err.report(plan if len(plans) > 1 else None), file=sys.stderr)
            refused.append(plan)
        else:
            ready.append(plan)
    if refused and len(plans) > 1:
        print("\n".join(refusal_lines(refused, bool(ready))), file=sys.stderr)
    return ready, refused


def main(argv: list[str]) -> int:
    """Check every plan config.yaml names (or the plans given after the config file); the exit status."""
    _, refused = check_plans(Path(argv[0] if argv else "config.yaml"), argv[1:])
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(run_step(lambda: main(sys.argv[1:]), "pre-flight dei dati di input"))
