"""Apply an input schema (schemas/inputs/*.yaml) to a file and return a typed table.

Every violation of a file is collected and raised together as one DataError:
missing or unknown columns, empty required cells, wrong types, values out of
range or not allowed, duplicate keys, personal data. Numbers may be written
the Italian way (1.006; 34,52) or the machine way (34.52).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from .core.errors import DataError, Problem
from .tabular import Grid, normalise_header, read_grid

# --- privacy guard ---------------------------------------------------------------------------

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


# --- schema ----------------------------------------------------------------------------------

@dataclass
class ColumnSpec:
    name: str
    header: str
    type: str = "text"  # text | code | integer | number | flag
    aliases: list[str] = field(default_factory=list)
    required: bool = True  # the column must be present
    nullable: bool = False  # cells may be empty
    pattern: str | None = None
    allowed: list[str] | None = None
    minimum: float | None = None
    hint: str | None = None  # the expected form in Italian words (printed instead of the pattern)
    description: str = ""

    def keys(self) -> set[str]:
        return {normalise_header(h) for h in [self.header, self.name, *self.aliases]}

    def expectation(self) -> str:
        text = {"text": "un testo", "code": "un codice", "integer": "un numero intero",
                "number": "un numero (es. 34,52)", "flag": "«X» o vuoto"}[self.type]
        if self.minimum is not None:
            text += f" ≥ {self.minimum:g}"
        if self.allowed:
            text += " tra: " + ", ".join(self.allowed)
        if self.hint:
            text += f" ({self.hint})"
        elif self.pattern:
            text += f" (formato {self.pattern})"
        return text


@dataclass
class TableSchema:
    name: str
    description: str
    columns: list[ColumnSpec]
    strict: bool = True  # unknown columns are an error
    min_rows: int = 0
    total_row: dict | None = None  # {"column": ..., "label": "Totale"}
    unique: list[list[str]] = field(default_factory=list)

    def known_headers(self) -> set[str]:
        return set().union(*(c.keys() for c in self.columns))


def load_schema(path: Path) -> TableSchema:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    columns = [ColumnSpec(**c) for c in spec["columns"]]
    return TableSchema(name=path.stem, description=spec.get("description", ""), columns=columns,
                       strict=spec.get("strict", True), min_rows=spec.get("min_rows", 0),
                       total_row=spec.get("total_row"), unique=spec.get("unique", []))


# --- cell parsing ----------------------------------------------------------------------------

def parse_integer(text: str) -> int:
    """'1.006' or '1006' -> 1006; '1006,0' is accepted; anything else ValueError."""
    t = re.sub(r",0+$", "", text.replace(" ", "").replace("\u00a0", ""))
    if re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", t):
        t = t.replace(".", "")
    t = re.sub(r"\.0+$", "", t)
    if not re.fullmatch(r"[+-]?\d+", t):
        raise ValueError(text)
    return int(t)


def parse_number(text: str, decimal_comma: bool | None = None) -> float:
    """'34,52', '1.234,5', '34.52' -> float. A lone dot is a decimal point...

    ...unless the file is known to write numbers the Italian way (`decimal_comma`,
    see `decimal_convention`): then '1.006' is a thousand and six, as in the
    rest of that file.
    """
    t = text.replace(" ", "").replace("\u00a0", "")
    if "," in t or (decimal_comma and re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", t)):
        t = t.replace(".", "").replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", t):
        raise ValueError(text)
    return float(t)


def parse_flag(text: str) -> bool:
    t = text.strip().casefold()
    if t in ("x", "sì", "si", "1", "true", "vero"):
        return True
    if t in ("", "no", "0", "false", "falso"):
        return False
    raise ValueError(text)


def decimal_convention(grid: Grid, positions: dict[str, int], schema: TableSchema) -> bool | None:
    """Does this file write numbers the Italian way? True, False, or None when nothing tells.

    A comma in a decimal column, or a thousands dot (1.006) in an integer column, means
    Italian; a dot that cannot be a thousands separator (202.94) in a decimal column
    means the machine way. Only '1.006' in a decimal column is ambiguous on its own.
    """
    thousands = re.compile(r"[+-]?\d{1,3}(\.\d{3})+")
    numbers = [positions[c.name] for c in schema.columns if c.type == "number" and c.name in positions]
    integers = [positions[c.name] for c in schema.columns if c.type == "integer" and c.name in positions]

    def cells(columns):
        return [row[i].replace(" ", "").replace("\u00a0", "") for row in grid.rows for i in columns if i < len(row)]

    number_cells = cells(numbers)
    if any("," in c for c in number_cells):
        return True
    if any("." in c and not thousands.fullmatch(c) for c in number_cells):
        return False
    if any(thousands.fullmatch(c) for c in cells(integers)):
        return True
    return None


def parse_cell(spec: ColumnSpec, text: str, decimal_comma: bool | None = None):
    if spec.type == "integer":
        value = parse_integer(text)
    elif spec.type == "number":
        value = parse_number(text, decimal_comma)
    elif spec.type == "flag":
        return parse_flag(text)
    else:
        value = " ".join(text.split())
        if spec.pattern and not re.fullmatch(spec.pattern, value):
            raise ValueError(text)
        if spec.allowed and value not in spec.allowed:
            raise ValueError(text)
        return value
    if spec.minimum is not None and value < spec.minimum:
        raise ValueError(text)
    return value


# --- applying a schema -----------------------------------------------------------------------

@dataclass
class Table:
    frame: pd.DataFrame
    declared_totals: dict[str, object]
    rows: list[int]  # spreadsheet row of each frame row
    file: str
    source: Grid
    headers: dict[str, str] = field(default_factory=dict)  # schema column -> its header as written in the file
    total_row: int | None = None  # spreadsheet row of the export's own "Totale" line, if any


def map_columns(grid: Grid, schema: TableSchema) -> tuple[dict[str, int], list[Problem]]:
    """Schema column name -> index in the file, plus the problems with the header."""
    problems, positions = [], {}
    keys = [normalise_header(h) for h in grid.header]
    for spec in schema.columns:
        found = [i for i, k in enumerate(keys) if k in spec.keys()]
        if len(found) > 1:
            problems.append(Problem(grid.file, "colonna ripetuta", column=grid.header[found[1]],
                                    expected=f"una sola colonna «{spec.header}»",
                                    found=", ".join(f"«{grid.header[i]}»" for i in found)))
        if found:
            positions[spec.name] = found[0]
        elif spec.required:
            problems.append(Problem(grid.file, "colonna mancante", column=spec.header,
                                    expected="le colonne " + ", ".join(f"«{c.header}»" for c in schema.columns),
                                    found=", ".join(f"«{h}»" for h in grid.header)))
    if schema.strict:
        known = schema.known_headers()
        for header in grid.header:
            if normalise_header(header) not in known:
                problems.append(Problem(grid.file, "colonna non prevista", column=header,
                                        expected="solo le colonne " + ", ".join(f"«{c.header}»" for c in schema.columns)))
    return positions, problems


def apply_schema(grid: Grid, schema: TableSchema) -> Table:
    problems = personal_data_problems(grid)
    if problems:
        raise DataError(problems)
    positions, problems = map_columns(grid, schema)
    if problems:
        raise DataError(problems)
    records, rows, declared, total_row = [], [], {}, None
    total = schema.total_row
    decimal_comma = decimal_convention(grid, positions, schema)
    for index, raw in enumerate(grid.rows):
        row_number = index + 2
        if not raw:
            continue
        if len(raw) > len(grid.header) and any(c.strip() for c in raw[len(grid.header):]):
            problems.append(Problem(grid.file, "la riga ha più celle dell'intestazione (celle senza nome di "
                                    "colonna, separatore sbagliato o virgolette mancanti?)", row=row_number,
                                    expected=f"{len(grid.header)} celle", found=f"{len(raw)} celle"))
            continue
        cells = {name: (raw[i].strip() if i < len(raw) else "") for name, i in positions.items()}
        is_total = total is not None and cells.get(total["column"], "").casefold() == total["label"].casefold()
        record = {}
        for spec in schema.columns:
            if spec.name not in cells:
                record[spec.name] = None
                continue
            text = cells[spec.name]
            header = grid.header[positions[spec.name]]
            if text == "":
                if not (spec.nullable or is_total):
                    problems.append(Problem(grid.file, "cella vuota", row=row_number, column=header,
                                            expected=spec.expectation()))
                record[spec.name] = None
                continue
            try:
                record[spec.name] = parse_cell(spec, text, decimal_comma)
            except ValueError:
                problems.append(Problem(grid.file, "valore non valido", row=row_number, column=header,
                                        expected=spec.expectation(), found=text))
                record[spec.name] = None
        if is_total:
            if index != max(i for i, r in enumerate(grid.rows) if r):
                problems.append(Problem(grid.file, f"la riga «{total['label']}» non è l'ultima", row=row_number,
                                        expected="la riga dei totali in fondo alla tabella"))
            declared = {k: v for k, v in record.items() if k != total["column"] and v is not None}
            total_row = row_number
            continue
        records.append(record)
        rows.append(row_number)
    frame = pd.DataFrame.from_records(records, columns=[c.name for c in schema.columns])
    headers = {name: grid.header[i] for name, i in positions.items()}
    for key in schema.unique:
        dup = frame.duplicated(subset=key, keep=False) & frame[key].notna().all(axis=1)
        for i in [i for i, d in enumerate(dup) if d]:
            first = next(rows[j] for j, d in enumerate(dup) if d and
                         tuple(frame.iloc[j][key]) == tuple(frame.iloc[i][key]))
            if first != rows[i]:
                problems.append(Problem(grid.file, "valore ripetuto (deve essere unico)", row=rows[i],
                                        column=" + ".join(headers.get(k, k) for k in key),
                                        expected=f"un valore diverso da quello di riga {first}",
                                        found=" / ".join(str(v) for v in frame.iloc[i][key])))
    if len(records) < schema.min_rows:
        problems.append(Problem(grid.file, "nessuna riga di dati" if not records else "troppe poche righe",
                                expected=f"almeno {_rows(schema.min_rows)} di dati", found=_rows(len(records))))
    if problems:
        raise DataError(problems)
    for spec in schema.columns:
        if spec.type == "integer":
            frame[spec.name] = frame[spec.name].astype("Int64")
        elif spec.type == "number":
            frame[spec.name] = frame[spec.name].astype("float64")
        elif spec.type == "flag":
            frame[spec.name] = [bool(v) for v in frame[spec.name]]
        else:
            frame[spec.name] = frame[spec.name].fillna("").astype(str)
    return Table(frame, declared, rows, grid.file, grid, headers, total_row)


def _rows(n: int) -> str:
    return "1 riga" if n == 1 else f"{n} righe"


def read_table(path: Path, schema: TableSchema, display: str, sheet: str | None = None) -> Table:
    """Read and validate one input file; DataError with every problem it has."""
    grid = read_grid(path, schema.known_headers(), display, sheet)
    return apply_schema(grid, schema)
