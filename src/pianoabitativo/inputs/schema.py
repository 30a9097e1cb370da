"""Apply an input schema (schemas/inputs/*.yaml) to a file and return a typed table.

Every violation of a file is collected and raised together as one DataError:
missing or unknown columns, empty required cells, wrong types, values out of
range or not allowed, duplicate keys, personal data. Numbers may be written
the Italian way (1.006; 34,52) or the machine way (34.52).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
import yaml

from ..core.errors import DataError, Problem
from .cells import decimal_convention, parse_cell
from .grid import Grid, normalise_header, read_grid
from .privacy import personal_data_problems

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
    header_pattern: str | None = None  # a header matching this regex (case-insensitive) is also this column

    def keys(self) -> set[str]:
        return {normalise_header(h) for h in [self.header, self.name, *self.aliases]}

    def matches(self, header: str) -> bool:
        return normalise_header(header) in self.keys() or bool(
            self.header_pattern and re.fullmatch(self.header_pattern, header.strip(), re.IGNORECASE))

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
    # columns known by the form of their header, e.g. pop_res_NN (one per year ISTAT publishes): each
    # header matching `pattern` becomes an optional column named as the header, lower-case
    pattern_columns: list[dict] = field(default_factory=list)

    def known_headers(self) -> set[str]:
        return set().union(*(c.keys() for c in self.columns))

    def knows(self, header: str) -> bool:
        return any(c.matches(header) for c in self.columns)

    def for_header(self, header: list[str]) -> TableSchema:
        """This schema with one column per header cell matching a pattern column (file order)."""
        extra = []
        for cell in header:
            name = cell.strip().casefold()
            for spec in self.pattern_columns:
                if re.fullmatch(spec["pattern"], name) and not self.knows(cell) and name not in {c.name for c in extra}:
                    fields = {k: v for k, v in spec.items() if k not in ("pattern", "header")}
                    extra.append(ColumnSpec(name=name, header=cell.strip(), required=False, **fields))
        return replace(self, columns=[*self.columns, *extra], pattern_columns=[]) if extra else self



def load_schema(path: Path) -> TableSchema:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    columns = [ColumnSpec(**c) for c in spec["columns"]]
    return TableSchema(name=path.stem, description=spec.get("description", ""), columns=columns,
                       strict=spec.get("strict", True), min_rows=spec.get("min_rows", 0),
                       total_row=spec.get("total_row"), unique=spec.get("unique", []),
                       pattern_columns=spec.get("pattern_columns", []))


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
    for spec in schema.columns:
        found = [i for i, h in enumerate(grid.header) if spec.matches(h)]
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
        for header in grid.header:
            if not schema.knows(header):
                problems.append(Problem(grid.file, "colonna non prevista", column=header,
                                        expected="solo le colonne " + ", ".join(f"«{c.header}»" for c in schema.columns)))
    return positions, problems


def apply_schema(grid: Grid, schema: TableSchema) -> Table:
    problems = personal_data_problems(grid)
    if problems:
        raise DataError(problems)
    schema = schema.for_header(grid.header)
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
