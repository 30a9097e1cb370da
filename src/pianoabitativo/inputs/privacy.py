"""The privacy guard: an input that carries a tenant's personal data is refused before anything is written."""

from __future__ import annotations

import re

from ..core.errors import Problem
from .grid import Grid, normalise_header

PERSONAL_HEADER_WORDS = {"nome", "cognome", "nominativo", "cf", "codicefiscale", "inquilino", "assegnatario"}
PERSONAL_HEADER_PHRASES = ("codice fiscale", "data di nascita", "data nascita", "luogo di nascita", "luogo nascita",
                           "codice_fiscale", "data_nascita")
CODICE_FISCALE = re.compile(r"\b[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]\b",
                            re.IGNORECASE)


def personal_data_problems(grid: Grid) -> list[Problem]:
    """Columns or values that look like a tenant's personal data."""
    problems, personal_columns = [], set()
    for col, cell in enumerate(grid.header):
        key = normalise_header(cell)
        if key.split() and (set(key.split()) & PERSONAL_HEADER_WORDS
                            or any(phrase in cell.casefold() for phrase in PERSONAL_HEADER_PHRASES)):
            personal_columns.add(col)
            problems.append(Problem(grid.file, "colonna con dati personali (anagrafica degli inquilini): il file è "
                                    "rifiutato e nulla è stato scritto; esporti dalla piattaforma solo i dati degli alloggi",
                                    column=cell, expected="nessun dato personale"))
    # values shaped like a codice fiscale in the other columns: one problem per column, the value cut short
    rows_by_column: dict[int, list[tuple[int, str]]] = {}
    for index, row in enumerate(grid.rows):
        for col, value in enumerate(row):
            match = CODICE_FISCALE.search(value) if col not in personal_columns else None
            if match:  # only the code's first letters are ever printed, never the cell
                rows_by_column.setdefault(col, []).append((index + 2, match.group()))
    for col, hits in rows_by_column.items():
        column = grid.header[col] if col < len(grid.header) else f"n. {col + 1}"
        more = ""
        if len(hits) > 1:
            listed = ", ".join(str(r) for r, _ in hits[1:11]) + (", …" if len(hits) > 11 else "")
            more = f" (e in altre {len(hits) - 1} righe: {listed})"
        problems.append(Problem(grid.file, f"valore che ha la forma di un codice fiscale{more}: il file è "
                                "rifiutato e nulla è stato scritto", row=hits[0][0], column=column,
                                expected="nessun dato personale", found=hits[0][1][:4] + "…"))
    return problems


