"""Apply an input schema (schemas/inputs/*.yaml) to a file and return a typed table.

Every violation of a file is collected and raised together as one DataError:
missing or unknown columns, empty required cells, wrong types, values out of
range or not allowed, duplicate keys (names compared as names: case, spaces and
apostrophes do not count), rows that contradict themselves (`row_rules`, e.g. a total
that is not SAP + SAS), values that depend on another column (`value_rules`, e.g. a
percentage between 0 and 100), a missing or misplaced «Totale» line, personal data.
Numbers may be written the Italian way (1.006; 34,52) or the machine way (34.52).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
import yaml

from ..core.columntypes import CODE, INTEGER, NUMBER, TEXT, column_type, from_values, nullable
from ..core.errors import DataError, Problem
from ..core.formatting import format_int
from .cells import decimal_convention, parse_cell
from .grid import Grid, normalise_header, read_grid
from .names import name_key
from .privacy import personal_data_problems

# --- schema ----------------------------------------------------------------------------------


@dataclass
class ColumnSpec:
    name: str
    header: str
    type: str = TEXT  # columntypes.INPUT_TYPES: text | code | integer | number | flag
    aliases: list[str] = field(default_factory=list)
    required: bool = True  # the column must be present
    nullable: bool = False  # cells may be empty
    pattern: str | None = None
    allowed: list[str] | None = None
    minimum: float | None = None
    maximum: float | None = None  # a plausible upper bound (counts, populations)
    hint: str | None = None  # the expected form in Italian words (printed instead of the pattern)
    description: str = ""
    header_pattern: str | None = None  # a header matching this regex (case-insensitive) is also this column
    default: str | None = None  # the value of every row when the (optional) column is absent, e.g. SAP

    def keys(self) -> set[str]:
        return {normalise_header(h) for h in [self.header, self.name, *self.aliases]}

    def matches(self, header: str) -> bool:
        return normalise_header(header) in self.keys() or bool(
            self.header_pattern and re.fullmatch(self.header_pattern, header.strip(), re.IGNORECASE)
        )

    def expectation(self) -> str:
        text = column_type(self.type).expected
        if self.minimum is not None and self.maximum is not None:
            text += f" ≥ {self.minimum:g} e ≤ {_number(self.maximum)}"
        elif self.minimum is not None:
            text += f" ≥ {self.minimum:g}"
        elif self.maximum is not None:
            text += f" ≤ {_number(self.maximum)}"
        if self.allowed:
            text += " tra: " + ", ".join(self.allowed)
        if self.hint:
            text += f" ({self.hint})"
        elif self.pattern:
            text += f" (formato {self.pattern})"
        return text


def _number(value: float) -> str:
    return format_int(int(value)) if float(value).is_integer() else f"{value:g}".replace(".", ",")


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
    # rules between the cells of one row: {sum: [a, b], equals: c} or {column: a, at_most: b}; in a sum,
    # `optional: [b]` names parts counted only when their column is present
    row_rules: list[dict] = field(default_factory=list)
    # the form of one column chosen by another's value: {column: valore, by: scelta, rules: {value: {type, ...}}}
    value_rules: dict | None = None

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
    return TableSchema(
        name=path.stem,
        description=spec.get("description", ""),
        columns=columns,
        strict=spec.get("strict", True),
        min_rows=spec.get("min_rows", 0),
        total_row=spec.get("total_row"),
        unique=spec.get("unique", []),
        pattern_columns=spec.get("pattern_columns", []),
        row_rules=spec.get("row_rules", []),
        value_rules=spec.get("value_rules"),
    )


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
    unique: list[list[str]] = field(default_factory=list)  # the schema's unique keys


def map_columns(grid: Grid, schema: TableSchema) -> tuple[dict[str, int], list[Problem]]:
    """Schema column name -> index in the file, plus the problems with the header."""
    problems, positions = [], {}
    for spec in schema.columns:
        found = [i for i, h in enumerate(grid.header) if spec.matches(h)]
        if len(found) > 1:
            problems.append(
                Problem(
                    grid.file,
                    "colonna ripetuta",
                    column=grid.header[found[1]],
                    expected=f"una sola colonna «{spec.header}»",
                    found=", ".join(f"«{grid.header[i]}»" for i in found),
                )
            )
        if found:
            positions[spec.name] = found[0]
        elif spec.required:
            problems.append(
                Problem(
                    grid.file,
                    "colonna mancante",
                    column=spec.header,
                    expected="le colonne " + ", ".join(f"«{c.header}»" for c in schema.columns),
                    found=", ".join(f"«{h}»" for h in grid.header),
                )
            )
    if schema.strict:
        for header in grid.header:
            if not schema.knows(header):
                problems.append(
                    Problem(
                        grid.file,
                        "colonna non prevista",
                        column=header,
                        expected="solo le colonne " + ", ".join(f"«{c.header}»" for c in schema.columns),
                    )
                )
    return positions, problems


TOTAL_LABEL = re.compile(r"^\W*(sub\s*-?\s*)?total[ei]\b", re.IGNORECASE)


def _key_value(spec: ColumnSpec, value):
    """A key cell as compared for uniqueness: names (text) ignoring case, spaces and apostrophes."""
    return name_key(value) if isinstance(value, str) and spec.type == TEXT else value


def duplicate_problems(
    grid: Grid, schema: TableSchema, records: list[dict], rows: list[int], headers: dict[str, str]
) -> list[Problem]:
    """Every repeated unique key, located at its repetition and naming the first row (one pass per key)."""
    problems = []
    specs = {c.name: c for c in schema.columns}
    for key in schema.unique:
        seen: dict[tuple, int] = {}
        for record, row in zip(records, rows):
            values = tuple(record.get(k) for k in key)
            if any(v is None for v in values):
                continue
            normal = tuple(_key_value(specs[k], v) for k, v in zip(key, values))
            if normal in seen:
                problems.append(
                    Problem(
                        grid.file,
                        "valore ripetuto (deve essere unico)",
                        row=row,
                        column=" + ".join(headers.get(k, k) for k in key),
                        expected=f"un valore diverso da quello di riga {seen[normal]}",
                        found=" / ".join(str(v) for v in values),
                    )
                )
            else:
                seen[normal] = row
    return problems


def row_rule_problems(grid: Grid, record: dict, row: int, rules: list[dict], headers: dict[str, str]) -> list[Problem]:
    """Cells of one row that contradict each other (see TableSchema.row_rules)."""
    problems = []
    for rule in rules:
        if "sum" in rule:
            optional = set(rule.get("optional", []))
            parts = [c for c in rule["sum"] if c not in optional or c in headers]
            total = rule["equals"]
            values = [record.get(c) for c in [*parts, total]]
            if any(v is None for v in values) or sum(values[:-1]) == values[-1]:
                continue
            names = " + ".join(f"«{headers.get(c, c)}»" for c in parts)
            problems.append(
                Problem(
                    grid.file,
                    "il totale non è la somma delle sue parti",
                    row=row,
                    column=headers.get(total, total),
                    expected=f"{format_int(sum(values[:-1]))} ({names}: "
                    f"{' + '.join(format_int(v) for v in values[:-1])})",
                    found=format_int(values[-1]),
                )
            )
        else:
            column, limit = rule["column"], rule["at_most"]
            value, bound = record.get(column), record.get(limit)
            if value is None or bound is None or value <= bound:
                continue
            problems.append(
                Problem(
                    grid.file,
                    f"«{headers.get(column, column)}» supera «{headers.get(limit, limit)}» della stessa riga",
                    row=row,
                    column=headers.get(column, column),
                    expected=f"al massimo {format_int(bound)} («{headers.get(limit, limit)}»)",
                    found=format_int(value),
                )
            )
    return problems


def value_rule_problem(
    grid: Grid, record: dict, row: int, rules: dict, headers: dict[str, str], decimal_comma: bool | None
) -> Problem | None:
    """A cell whose form depends on another cell of the row (see TableSchema.value_rules)."""
    column, by = rules["column"], rules["by"]
    form = rules["rules"].get(record.get(by))
    text = record.get(column)
    if form is None or text is None:
        return None
    spec = ColumnSpec(name=column, header=headers.get(column, column), **form)
    try:
        parse_cell(spec, text, decimal_comma)
    except ValueError:
        return Problem(
            grid.file,
            f"valore non valido per «{record.get(by)}»",
            row=row,
            column=headers.get(column, column),
            expected=spec.expectation(),
            found=text,
        )
    return None


def apply_schema(grid: Grid, schema: TableSchema) -> Table:
    """The file's rows checked against the schema and typed; DataError with every problem found.

    In three rounds, each refused whole before the next: personal data, the header, then the rows.
    """
    schema = schema.for_header(grid.header)
    refuse(personal_data_in(grid, schema))
    positions, problems = map_columns(grid, schema)
    refuse(problems)
    layout = Layout(grid, schema, positions)
    rows = read_rows(layout)
    refuse(rows.problems + table_problems(layout, rows))
    frame = typed_records(schema, rows.records)
    return Table(frame, rows.declared, rows.numbers, grid.file, grid, layout.headers, rows.total_row, schema.unique)


def refuse(problems: list[Problem]) -> None:
    if problems:
        raise DataError(problems)


def personal_data_in(grid: Grid, schema: TableSchema) -> list[Problem]:
    """What looks like personal data, in the file and in every other sheet of a workbook (hidden ones too)."""
    numeric = {
        i
        for i, h in enumerate(grid.header)
        if any(c.matches(h) and c.type in (INTEGER, NUMBER, CODE) for c in schema.columns)
    }
    problems = personal_data_problems(grid, numeric)
    for sheet in grid.other_sheets:
        problems += personal_data_problems(sheet)
    return problems


@dataclass
class Layout:
    """A file's columns as the schema knows them, and how its numbers are written."""

    grid: Grid
    schema: TableSchema
    positions: dict[str, int]  # schema column -> index in the file
    headers: dict[str, str] = field(init=False)  # schema column -> its header as written in the file
    decimal_comma: bool | None = field(init=False)

    def __post_init__(self) -> None:
        self.headers = {name: self.grid.header[i] for name, i in self.positions.items()}
        self.decimal_comma = decimal_convention(self.grid, self.positions, self.schema)


@dataclass
class Rows:
    """The rows of a file as read: records of values, the declared totals, every problem met."""

    records: list[dict] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)  # spreadsheet row of each record
    declared: dict[str, object] = field(default_factory=dict)  # the «Totale» line's values
    total_row: int | None = None  # spreadsheet row of the «Totale» line
    problems: list[Problem] = field(default_factory=list)


def read_rows(layout: Layout) -> Rows:
    """Every non-empty row of the file: its cells parsed, checked, and kept as a record or as the totals."""
    grid, total = layout.grid, layout.schema.total_row
    rows = Rows()
    last = max((i for i, r in enumerate(grid.rows) if r), default=-1)
    for index, raw in enumerate(grid.rows):
        number = index + 2  # spreadsheet row: the header is row 1
        if not raw:
            continue
        if len(raw) > len(grid.header) and any(c.strip() for c in raw[len(grid.header) :]):
            rows.problems.append(extra_cells_problem(grid, raw, number))
            continue
        cells = {name: (raw[i].strip() if i < len(raw) else "") for name, i in layout.positions.items()}
        is_total = total is not None and cells.get(total["column"], "").casefold() == total["label"].casefold()
        if not is_total:
            rows.problems += unexpected_total_problems(layout, cells, number)
        record, problems = parse_record(layout, cells, number, is_total)
        rows.problems += problems
        if is_total:  # no row rules: the cross-checks compare the declared totals with the rows (avvisi)
            rows.problems += total_line_problems(grid, total, number, rows.total_row, index == last)
            rows.declared = {k: v for k, v in record.items() if k != total["column"] and v is not None}
            rows.total_row = number
            continue
        rows.problems += record_problems(layout, record, number)
        rows.records.append(record)
        rows.numbers.append(number)
    return rows


def extra_cells_problem(grid: Grid, raw: list[str], row: int) -> Problem:
    return Problem(
        grid.file,
        "la riga ha più celle dell'intestazione (celle senza nome di "
        "colonna, separatore sbagliato o virgolette mancanti?)",
        row=row,
        expected=f"{len(grid.header)} celle",
        found=f"{len(raw)} celle",
    )


def unexpected_total_problems(layout: Layout, cells: dict[str, str], row: int) -> list[Problem]:
    """A «Totale complessivo» or «Subtotale» line, which would be read as an owner or a comune."""
    total = layout.schema.total_row
    label_column = total["column"] if total else None
    for spec in layout.schema.columns:
        if (
            spec.type == TEXT
            and not spec.allowed
            and not spec.pattern
            and (spec.name == label_column or spec.name in LABEL_COLUMNS)
            and TOTAL_LABEL.match(cells.get(spec.name, ""))
        ):
            expected = (
                f"solo la riga «{total['label']}», in fondo alla tabella"
                if total
                else "nessuna riga di totale (il totale lo calcola il piano)"
            )
            return [
                Problem(
                    layout.grid.file,
                    "riga di totale non prevista",
                    row=row,
                    column=layout.headers.get(spec.name),
                    expected=expected,
                    found=cells[spec.name],
                )
            ]
    return []


def parse_record(layout: Layout, cells: dict[str, str], row: int, is_total: bool) -> tuple[dict, list[Problem]]:
    """One row's values by schema column (None where empty or not valid), and the problems of its cells.

    An optional column the file lacks takes its default; in the «Totale» line a cell may be empty.
    """
    record, problems = {}, []
    for spec in layout.schema.columns:
        if spec.name not in cells:
            record[spec.name] = spec.default
            continue
        text = cells[spec.name]
        header = layout.headers[spec.name]
        if text == "":
            if not (spec.nullable or is_total):
                problems.append(
                    Problem(layout.grid.file, "cella vuota", row=row, column=header, expected=spec.expectation())
                )
            record[spec.name] = None
            continue
        try:
            record[spec.name] = parse_cell(spec, text, layout.decimal_comma)
        except ValueError:
            problems.append(
                Problem(
                    layout.grid.file,
                    "valore non valido",
                    row=row,
                    column=header,
                    expected=spec.expectation(),
                    found=text,
                )
            )
            record[spec.name] = None
    return record, problems


def record_problems(layout: Layout, record: dict, row: int) -> list[Problem]:
    """A data row's cells that contradict each other (row_rules, value_rules)."""
    grid, schema = layout.grid, layout.schema
    problems = row_rule_problems(grid, record, row, schema.row_rules, layout.headers)
    if schema.value_rules:
        problem = value_rule_problem(grid, record, row, schema.value_rules, layout.headers, layout.decimal_comma)
        if problem:
            problems.append(problem)
    return problems


def total_line_problems(grid: Grid, total: dict, row: int, previous: int | None, is_last: bool) -> list[Problem]:
    """A «Totale» line repeated (previous: the row of the one before) or not at the bottom."""
    if previous is not None:
        return [
            Problem(
                grid.file,
                f"riga «{total['label']}» ripetuta",
                row=row,
                expected=f"una sola riga dei totali (c'è già la riga {previous})",
            )
        ]
    if not is_last:
        return [
            Problem(
                grid.file,
                f"la riga «{total['label']}» non è l'ultima",
                row=row,
                expected="la riga dei totali in fondo alla tabella",
            )
        ]
    return []


def table_problems(layout: Layout, rows: Rows) -> list[Problem]:
    """The problems of the rows together: the export's «Totale» line missing, repeated keys, too few rows."""
    grid, schema, headers = layout.grid, layout.schema, layout.headers
    problems = []
    total = schema.total_row
    if total is not None and rows.records and rows.total_row is None and total["column"] in layout.positions:
        label_column = total["column"]
        problems.append(
            Problem(
                grid.file,
                f"manca la riga «{total['label']}» dell'esportazione",
                column=headers.get(label_column),
                expected=f"l'ultima riga con «{total['label']}» nella colonna "
                f"«{headers.get(label_column)}» e i totali dichiarati",
                found="nessuna riga dei totali",
            )
        )
    problems += duplicate_problems(grid, schema, rows.records, rows.numbers, headers)
    if len(rows.records) < schema.min_rows:
        problems.append(
            Problem(
                grid.file,
                "nessuna riga di dati" if not rows.records else "troppe poche righe",
                expected=f"almeno {_rows(schema.min_rows)} di dati",
                found=_rows(len(rows.records)),
            )
        )
    return problems


def typed_records(schema: TableSchema, records: list[dict]) -> pd.DataFrame:
    """The records as a frame of the schema's columns, each with its type (nullable: core/columntypes.py)."""
    frame = pd.DataFrame.from_records(records, columns=[c.name for c in schema.columns])
    for spec in schema.columns:
        frame[spec.name] = from_values(frame[spec.name], nullable(spec.type))
    return frame


LABEL_COLUMNS = ("ente_proprietario", "ente", "ente_gestore", "comune", "ambito", "territorio")


def _rows(n: int) -> str:
    return "1 riga" if n == 1 else f"{n} righe"


def read_table(path: Path, schema: TableSchema, display: str, sheet: str | None = None) -> Table:
    """Read and validate one input file; DataError with every problem it has."""
    grid = read_grid(path, schema.known_headers(), display, sheet)
    return apply_schema(grid, schema)
