"""The privacy guard: an input that carries a tenant's personal data is refused before anything is written.

It reads every column of every file (also the columns a schema ignores) and every sheet of a
workbook, hidden ones included: a header naming personal data, or a value shaped like a codice
fiscale, an e-mail address or a phone number, refuses the file. Messages never print the value
itself, only its first characters.
"""

from __future__ import annotations

import re

from ..core.errors import Problem
from .grid import Grid, normalise_header

# whole words of a header (after normalise_header: case and punctuation ignored)
PERSONAL_HEADER_WORDS = {
    "nome",
    "cognome",
    "nominativo",
    "nominativi",
    "cf",
    "codicefiscale",
    "codfiscale",
    "codfisc",
    "codfis",
    "inquilino",
    "inquilini",
    "assegnatario",
    "assegnatari",
    "intestatario",
    "intestatari",
    "intestazione",
    "email",
    "mail",
    "pec",
    "telefono",
    "telefoni",
    "tel",
    "cellulare",
    "cell",
    "recapito",
    "recapiti",
}
# phrases, compared with the spaces of the normalised header removed («Codice fiscale», «cod. fisc.», «C.F.»)
PERSONAL_HEADER_PHRASES = (
    "codicefiscale",
    "codfisc",
    "codfiscale",
    "datadinascita",
    "datanascita",
    "luogodinascita",
    "luogonascita",
    "numeroditelefono",
    "numerotelefono",
    "indirizzoemail",
    "indirizzomail",
    "posta elettronica".replace(" ", ""),
)
CODICE_FISCALE = re.compile(
    r"\b[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]\b", re.IGNORECASE
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE = re.compile(
    r"(?<![\w+])(?:\+|00)39[\s./-]?\d(?:[\s./-]?\d){5,10}\b"  # +39 …
    r"|\b3\d{2}[\s./-]\d{3}[\s./-]?\d{3,4}\b"  # mobile, written with separators
    r"|\b0\d{1,3}[\s./-]\d{5,8}\b"
)  # landline with its prefix: 0373 123456
BARE_MOBILE = re.compile(r"\b3\d{9}\b")  # 3331234567: only where the schema expects no number or code
VALUE_KINDS = (
    ("codice_fiscale", "un codice fiscale"),
    ("email", "un indirizzo e-mail"),
    ("telefono", "un numero di telefono"),
)


def personal_header(cell: str) -> bool:
    key = normalise_header(cell)
    compact = key.replace(" ", "")
    return bool(key.split()) and (
        bool(set(key.split()) & PERSONAL_HEADER_WORDS) or any(phrase in compact for phrase in PERSONAL_HEADER_PHRASES)
    )


def personal_value(value: str, numeric: bool) -> tuple[str, str] | None:
    """(kind, the matched text) if the cell holds something shaped like personal data."""
    if not value or len(value) < 6:
        return None
    for kind, pattern in (("codice_fiscale", CODICE_FISCALE), ("email", EMAIL), ("telefono", PHONE)):
        match = pattern.search(value)
        if match:
            return kind, match.group()
    if not numeric:
        match = BARE_MOBILE.search(value)
        if match:
            return "telefono", match.group()
    return None


def personal_data_problems(grid: Grid, numeric_columns: set[int] = frozenset()) -> list[Problem]:
    """Columns or values that look like a tenant's personal data (numeric_columns: indexes the schema types
    as numbers or codes, where a bare run of digits is not read as a phone number)."""
    problems, personal_columns = [], set()
    for col, cell in enumerate(grid.header):
        if personal_header(cell):
            personal_columns.add(col)
            problems.append(
                Problem(
                    grid.file,
                    "colonna con dati personali (anagrafica degli inquilini): il file è "
                    "rifiutato e nulla è stato scritto; esporti dalla piattaforma solo i dati degli alloggi",
                    column=cell,
                    expected="nessun dato personale",
                )
            )
    # values shaped like personal data in the other columns: one problem per column and kind, the value cut short
    hits_by_column: dict[tuple[int, str], list[tuple[int, str]]] = {}
    for index, row in enumerate(grid.rows):
        for col, value in enumerate(row):
            if col in personal_columns:
                continue
            found = personal_value(value, col in numeric_columns)
            if found:  # only the value's first characters are ever printed, never the cell
                hits_by_column.setdefault((col, found[0]), []).append((index + 2, found[1]))
    names = dict(VALUE_KINDS)
    for (col, kind), hits in hits_by_column.items():
        column = grid.header[col] if col < len(grid.header) and grid.header[col] else f"n. {col + 1}"
        more = ""
        if len(hits) > 1:
            listed = ", ".join(str(r) for r, _ in hits[1:11]) + (", …" if len(hits) > 11 else "")
            more = f" (e in altre {len(hits) - 1} righe: {listed})"
        problems.append(
            Problem(
                grid.file,
                f"valore che ha la forma di {names[kind]}{more}: il file è rifiutato e nulla è stato scritto",
                row=hits[0][0],
                column=column,
                expected="nessun dato personale",
                found=hits[0][1][:4] + "…",
            )
        )
    return problems
