"""The column types of every table, said once: input schemas, interim and processed tables, data package.

The input schemas name a column's type (`type: integer` in schemas/inputs/*.yaml), and so does the
catalogue for each processed table (`("unita", INT)`): one vocabulary. A name ending in «?» is the same type
where an empty cell means no value (<NA>, NaN), e.g. a quota not given; an input column says so with
`nullable: true`, and the inputs stage holds every column of an input as nullable, since an optional column
absent from a file is empty throughout. For each type: the pandas dtype of a typed column, the Frictionless
type of its field in datapackage.json, what an input cell must hold (in Italian, for the messages) and its
description in docs/inputs.md. Machine CSVs write flags as pandas writes a bool (`True`/`False`), numbers
with a dot, no value as an empty cell; the typed readers here read them back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the vocabulary is read without pandas (make piano reads the plans' facts with it)
    import pandas as pd

TEXT, CODE, INTEGER, NUMBER, FLAG = "text", "code", "integer", "number", "flag"
NULLABLE_INTEGER, NULLABLE_NUMBER = "integer?", "number?"
INPUT_TYPES = (TEXT, CODE, INTEGER, NUMBER, FLAG)  # what an input schema may declare
TRUE, FALSE = "True", "False"  # a flag in a machine CSV
MISSING = ""  # no value, in a machine CSV


@dataclass(frozen=True)
class ColumnType:
    name: str
    dtype: str  # of a typed pandas column
    frictionless: str  # the field's type in a Frictionless Table Schema (datapackage.json)
    expected: str  # what a cell of an input file must hold, in Italian
    described: str  # the type in docs/inputs.md
    nullable: bool = False  # an empty cell is no value, not empty text (or an error)

    @property
    def textual(self) -> bool:
        return self.dtype == "object"


TYPES: dict[str, ColumnType] = {
    t.name: t
    for t in (
        ColumnType(TEXT, "object", "string", "un testo", "text"),
        ColumnType(CODE, "object", "string", "un codice", "code (text)"),
        ColumnType(INTEGER, "int64", "integer", "un numero intero", "integer"),
        ColumnType(NULLABLE_INTEGER, "Int64", "integer", "un numero intero", "integer or empty", nullable=True),
        ColumnType(NUMBER, "float64", "number", "un numero (es. 34,52)", "decimal number"),
        ColumnType(NULLABLE_NUMBER, "float64", "number", "un numero (es. 34,52)", "decimal number or empty", True),
        ColumnType(FLAG, "bool", "boolean", "«X» o vuoto", "flag (X or empty)"),
    )
}


def column_type(name: str) -> ColumnType:
    return TYPES[name]


def nullable(name: str) -> str:
    """The type of the same name where a cell may be empty: integer -> integer?; text stays text."""
    return name + "?" if name + "?" in TYPES else name


def is_integer(name: str) -> bool:
    return name in (INTEGER, NULLABLE_INTEGER)


def from_text(text: pd.Series, name: str) -> pd.Series:
    """A column of a machine CSV, read as text, with its type."""
    kind = TYPES[name]
    if kind.name == FLAG:
        return text == TRUE
    if kind.textual:
        return text
    import pandas as pd

    if kind.nullable:
        return pd.to_numeric(text.mask(text == MISSING)).astype(kind.dtype)
    return pd.to_numeric(text).astype(kind.dtype) if len(text) else text.astype(kind.dtype)


def from_values(values: pd.Series, name: str) -> pd.Series:
    """A column of Python values (None where a cell is empty) with its type: text empty, flags False."""
    kind = TYPES[name]
    if kind.name == FLAG:
        import pandas as pd

        return pd.Series([bool(v) for v in values], index=values.index, dtype=kind.dtype)
    if kind.textual:
        return values.fillna(MISSING).astype(str)
    return values.astype(kind.dtype)


def empty_column(name: str) -> pd.Series:
    """A column with no rows, of the type's dtype."""
    import pandas as pd

    return pd.Series(dtype=TYPES[name].dtype)
