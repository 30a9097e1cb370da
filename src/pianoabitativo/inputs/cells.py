"""One cell of an input file as a typed value: Italian (1.006; 34,52) or machine (34.52) numbers, flags, codes."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..core.columntypes import FLAG, INTEGER, NUMBER

if TYPE_CHECKING:
    from .grid import Grid
    from .schema import ColumnSpec, TableSchema

INTEGER_DIGITS = 12  # no count or population of a plan has more digits: longer is refused, never overflows


def parse_integer(text: str) -> int:
    """'1.006' or '1006' -> 1006; '1006,0' is accepted; anything else ValueError."""
    t = re.sub(r",0+$", "", text.replace(" ", "").replace("\u00a0", ""))
    if re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", t):
        t = t.replace(".", "")
    t = re.sub(r"\.0+$", "", t)
    if not re.fullmatch(r"[+-]?\d+", t) or len(t.lstrip("+-").lstrip("0")) > INTEGER_DIGITS:
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
    if not re.fullmatch(r"[+-]?(\d{1,15}(\.\d*)?|\.\d+)", t):
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
    numbers = [positions[c.name] for c in schema.columns if c.type == NUMBER and c.name in positions]
    integers = [positions[c.name] for c in schema.columns if c.type == INTEGER and c.name in positions]

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
    if spec.type == INTEGER:
        value = parse_integer(text)
    elif spec.type == NUMBER:
        value = parse_number(text, decimal_comma)
    elif spec.type == FLAG:
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
    if spec.maximum is not None and value > spec.maximum:
        raise ValueError(text)
    return value
