"""The outcome of a cross-check, how errors stop the plan, and the table of outcomes (verifiche.csv)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..core.errors import DataError, Problem

ERROR, WARNING = "errore", "avviso"


@dataclass
class CheckResult:
    check: str
    description: str
    severity: str
    problems: list[Problem] = field(default_factory=list)  # one per row involved, located; empty = passed
    warnings: list[Problem] = field(default_factory=list)  # findings of severity «avviso» only

    @property
    def passed(self) -> bool:
        return not self.problems and not self.warnings

    @property
    def outcome_severity(self) -> str:
        """The severity recorded: the check's own, or «avviso» when it has only warnings."""
        return WARNING if self.warnings and not self.problems else self.severity

    @property
    def details(self) -> list[str]:
        """The findings as the appendix and verifiche.csv print them: «file, riga N, colonna «X»: …»."""
        return [p.describe() for p in self.problems + self.warnings]


def raise_on_errors(results: list[CheckResult]) -> None:
    """DataError listing every failed check of severity 'errore'."""
    problems = [
        Problem(p.file, f"{r.description}: {p.message}", p.row, p.column, p.expected, p.found)
        for r in results
        if r.severity == ERROR
        for p in r.problems
    ]
    if problems:
        raise DataError(problems)


def checks_frame(results: list[CheckResult]) -> pd.DataFrame:
    """One row per check, for data/processed/<plan>/verifiche.csv."""
    return (
        pd.DataFrame(
            {
                "controllo": [r.check for r in results],
                "descrizione": [r.description for r in results],
                "gravita": [r.outcome_severity for r in results],
                "esito": ["superato" if r.passed else "non superato" for r in results],
                "dettaglio": [" | ".join(r.details) for r in results],
            }
        )
        .sort_values("controllo", kind="stable")
        .reset_index(drop=True)
    )
