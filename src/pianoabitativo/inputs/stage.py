"""The inputs stage in one call: validate a plan's raw folder once and write its interim files.

The workflow's `validate_inputs` rule and the pre-flight command both call
`validate_and_write`, so a user sees the same verdict either way.
"""

from __future__ import annotations

from pathlib import Path

from ..core.tableio import write_csv
from .checks import CheckResult, checks_frame, raise_on_errors, run_checks
from .interim import write_interim, write_register_rows
from .load import Inputs, load_inputs


def checked_inputs(config: dict, raw_dir: Path) -> tuple[Inputs, list[CheckResult]]:
    """Validated inputs and the results of every cross-check; DataError if an «errore» check fails."""
    inputs = load_inputs(config, raw_dir)
    results = run_checks(inputs, config)
    raise_on_errors(results)
    return inputs, results


def validate_and_write(
    config: dict,
    raw_dir: Path,
    tables: dict[str, str],
    totals: str,
    boundaries: str,
    checks: str,
    register: str | None = None,
) -> list[CheckResult]:
    """Read and check every input; on success write the interim tables, the checks' results and (to
    `register`) the data register's rows, which the tables stage publishes as the sources of the open data.

    A DataError leaves the previous interim files as they were.
    """
    inputs, results = checked_inputs(config, raw_dir)
    write_interim(inputs, tables, totals, boundaries)
    write_csv(checks_frame(results), checks)
    if register:
        write_register_rows(raw_dir, config.get("register") or "register.csv", register)
    return results
