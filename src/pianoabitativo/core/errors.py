"""One exception type for problems in the data, printed once and plainly at the edge.

A `DataError` carries every `Problem` found (not only the first), each naming
the file, the row as a spreadsheet shows it, the column, what was expected and
what was found. Tracebacks are for bugs in our code, never for bad input.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Callable, Iterable


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    row: int | None = None  # spreadsheet row: the header is row 1
    column: str | None = None
    expected: str | None = None
    found: str | None = None

    def describe(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"riga {self.row}")
        if self.column is not None:
            where.append(f"colonna «{self.column}»")
        text = ", ".join(where) + ": " + self.message
        if self.expected is not None:
            text += f"; atteso: {self.expected}"
        if self.found is not None:
            # a list of names already quoted one by one («a», «b») is not quoted again
            found = self.found if self.found.startswith("«") and self.found.endswith("»") else f"«{self.found}»"
            text += f"; trovato: {found}"
        return text


class DataError(Exception):
    """Input data that the plan cannot be built on."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__(self.report())

    def report(self, plan: str | None = None) -> str:
        """The problems as a plain Italian list (headed with the plan's name when given)."""
        n = len(self.problems)
        subject = f"Dati di input del piano {plan} non validi" if plan else "Dati di input non validi"
        head = f"{subject}: 1 problema" if n == 1 else f"{subject}: {n} problemi"
        lines = [head + " (il piano non è stato generato; i risultati precedenti restano invariati)."]
        lines += [f"  - {p.describe()}" for p in self.problems]
        return "\n".join(lines)


def run_reporting_data_errors(main: Callable[[], None], log_path: str | None = None) -> None:
    """Run `main`; on DataError print the plain report (and log it) and exit 1.

    Scripts call this at the edge so that a user with a bad file reads a list of
    located problems instead of a Python traceback.
    """
    try:
        main()
    except DataError as err:
        text = err.report()
        print(text, file=sys.stderr)
        if log_path:
            with open(log_path, "a", encoding="utf-8") as log:
                log.write(text + "\n")
        raise SystemExit(1) from None
