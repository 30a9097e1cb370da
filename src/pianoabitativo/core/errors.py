"""One exception type for problems in the data, printed once and plainly at the edge.

A `DataError` carries every `Problem` found (not only the first), each naming
the file, the row as a spreadsheet shows it, the column, what was expected and
what was found. Tracebacks are for bugs in our code, never for bad input.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass


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
        head = f"{subject}: 1 problema" if n == 1 else f"{subject}: {count(n)} problemi"
        lines = wrapped(head + " (il piano non è stato generato; i risultati precedenti restano invariati).", "", "")
        return "\n".join(lines + problem_lines(self.problems))


WIDTH = 80  # a terminal's width: no line of a report is wider
SHOWN = 2  # of many problems of one kind in one file, the first ones in full, then one line for the rest
MANY = 4  # from how many problems of one kind in one file on they are summarised
SAMPLES = 3  # values of a summary (rows, columns, values found) named before «e altri N»


def count(n: int) -> str:
    """An Italian count (1.999): no babel at this level."""
    return f"{n:,}".replace(",", ".")


def wrapped(text: str, first: str = "  - ", rest: str = "    ") -> list[str]:
    """A message as lines of at most WIDTH columns (a located message runs to several lines)."""
    return textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False) or [first]


def problem_lines(problems: list[Problem]) -> list[str]:
    """Each problem as wrapped lines; of many problems of one kind in one file (2.000 repeated codes, a register
    not filled in), the first SHOWN in full and one line for the others: where they are and what was found."""
    groups: dict[tuple[str, str], list[Problem]] = {}
    for problem in problems:
        groups.setdefault((problem.file, problem.message), []).append(problem)
    lines = []
    for (file, message), group in groups.items():
        shown = group if len(group) < MANY else group[:SHOWN]
        for problem in shown:
            lines += wrapped(problem.describe())
        if len(group) >= MANY:
            lines += wrapped(the_others(file, message, group[SHOWN:], group))
    return lines


def _some(items: list[str], noun_more: str) -> str:
    """The first SAMPLES items, then «e altre N» (noun_more: «altre» or «altri»)."""
    if len(items) <= SAMPLES + 1:
        return ", ".join(items[:-1]) + (" e " if len(items) > 1 else "") + items[-1]
    return ", ".join(items[:SAMPLES]) + f" e {noun_more} {count(len(items) - SAMPLES)}"


def row_spans(rows: list[int]) -> list[str]:
    """Sorted rows as spans: [2, 3, 4, 7] -> ['2–4', '7']."""
    spans: list[list[int]] = []
    for row in sorted(set(rows)):
        if spans and row == spans[-1][1] + 1:
            spans[-1][1] = row
        else:
            spans.append([row, row])
    return [count(a) if a == b else f"{count(a)}–{count(b)}" for a, b in spans]


def the_others(file: str, message: str, others: list[Problem], group: list[Problem] | None = None) -> str:
    """One line for the problems of a kind not shown in full (`group`: all of that kind, for the order of the
    columns)."""
    where = []
    rows = [p.row for p in others if p.row is not None]
    if rows:
        spans = row_spans(rows)
        where.append(("riga " if spans == [count(rows[0])] else "righe ") + _some(spans, "altre"))
    named = {p.column for p in others}
    columns = [c for c in dict.fromkeys(p.column for p in group or others) if c is not None and c in named]
    if columns:
        where.append(("colonna " if len(columns) == 1 else "colonne ") + _some([f"«{c}»" for c in columns], "altre"))
    text = f"e altri {count(len(others))} casi di «{message}» in {file}"
    if where:
        text += ": " + ", ".join(where)
    found = list(dict.fromkeys(p.found for p in others if p.found is not None))
    if found:
        text += "; trovato: " + _some([f if f.startswith("«") else f"«{f}»" for f in found], "altri")
    return text


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
