"""What changed between two versions of the processed tables: one `TableDiff` per table.

Every cell is compared as text ("019035" stays "019035", empty stays empty).
Rows are matched on the table's primary key (`catalogue.PROCESSED_TABLES`); a
table without a known key, or whose key is missing or not unique, is matched
on whole rows, so a change there shows as one row removed and one added.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from .. import catalogue

UNCHANGED = "unchanged"
CHANGED = "changed"
ONLY_OLD = "only in old"
ONLY_NEW = "only in new"

Row = dict[str, str]


class ComparisonError(Exception):
    """A side of the comparison that cannot be loaded; the message is for the user."""


@dataclass
class RowChange:
    key: tuple[str, ...]
    old: Row
    new: Row
    changed: dict[str, tuple[str, str]]  # column -> (old value, new value)


@dataclass
class TableDiff:
    name: str
    status: str
    key: list[str] = field(default_factory=list)  # columns the rows were matched on
    key_is_whole_row: bool = False
    old_columns: list[str] = field(default_factory=list)
    new_columns: list[str] = field(default_factory=list)
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    column_order_changed: bool = False
    rows_added: list[Row] = field(default_factory=list)
    rows_removed: list[Row] = field(default_factory=list)
    rows_changed: list[RowChange] = field(default_factory=list)


def parse_csv(text: str, name: str = "") -> tuple[list[str], list[Row]]:
    """CSV text -> (columns, rows), every cell a string; ComparisonError if it is not CSV."""
    if not text.strip():
        return [], []
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, ValueError) as err:
        raise ComparisonError(f"tabella {name} non leggibile come CSV: {err}") from None
    columns = [str(c) for c in frame.columns]
    rows = [dict(zip(columns, values)) for values in frame.itertuples(index=False, name=None)]
    return columns, rows


def row_key(row: Row, key: Sequence[str]) -> tuple[str, ...]:
    return tuple(row.get(column, "") for column in key)


def has_unique_key(rows: list[Row], key: Sequence[str]) -> bool:
    keys = [row_key(row, key) for row in rows]
    return len(set(keys)) == len(keys)


def primary_key(name: str) -> tuple[str, ...]:
    """The catalogue's primary key of a processed table; () for a table it does not know."""
    table = catalogue.TABLES_BY_NAME.get(name)
    return table.key if table else ()


def choose_key(
    name: str, old_cols: list[str], new_cols: list[str], old_rows: list[Row], new_rows: list[Row]
) -> tuple[list[str], bool]:
    """(key columns, whole row?) : the table's primary key if usable on both sides, else the shared columns."""
    key = primary_key(name)
    if (
        key
        and all(c in old_cols and c in new_cols for c in key)
        and has_unique_key(old_rows, key)
        and has_unique_key(new_rows, key)
    ):
        return list(key), False
    return [c for c in old_cols if c in new_cols], True


def diff_whole_rows(old_rows: list[Row], new_rows: list[Row], key: list[str]) -> tuple[list[Row], list[Row]]:
    """(added, removed) by whole-row multiset: duplicates count."""
    old_count = Counter(row_key(r, key) for r in old_rows)
    new_count = Counter(row_key(r, key) for r in new_rows)
    added, removed = [], []
    seen_new, seen_old = Counter(), Counter()
    for row in new_rows:
        k = row_key(row, key)
        seen_new[k] += 1
        if seen_new[k] > old_count[k]:
            added.append(row)
    for row in old_rows:
        k = row_key(row, key)
        seen_old[k] += 1
        if seen_old[k] > new_count[k]:
            removed.append(row)
    return added, removed


def diff_keyed_rows(
    old_rows: list[Row], new_rows: list[Row], key: list[str], shared: list[str]
) -> tuple[list[Row], list[Row], list[RowChange]]:
    """(added, removed, changed) matching rows on a unique key; changes only in shared columns."""
    old_by_key = {row_key(r, key): r for r in old_rows}
    new_by_key = {row_key(r, key): r for r in new_rows}
    added = [new_by_key[k] for k in new_by_key if k not in old_by_key]
    removed = [old_by_key[k] for k in old_by_key if k not in new_by_key]
    changed = []
    for k in old_by_key.keys() & new_by_key.keys():
        old, new = old_by_key[k], new_by_key[k]
        cells = {c: (old[c], new[c]) for c in shared if old[c] != new[c]}
        if cells:
            changed.append(RowChange(k, old, new, cells))
    return added, removed, changed


def sorted_rows(rows: list[Row], columns: list[str]) -> list[Row]:
    return sorted(rows, key=lambda r: row_key(r, columns))


def compare_table(name: str, old_text: str, new_text: str) -> TableDiff:
    old_cols, old_rows = parse_csv(old_text, name)
    new_cols, new_rows = parse_csv(new_text, name)
    key, whole_row = choose_key(name, old_cols, new_cols, old_rows, new_rows)
    shared = [c for c in old_cols if c in new_cols]
    diff = TableDiff(
        name,
        UNCHANGED,
        key,
        whole_row,
        old_cols,
        new_cols,
        columns_added=[c for c in new_cols if c not in old_cols],
        columns_removed=[c for c in old_cols if c not in new_cols],
        column_order_changed=shared != [c for c in new_cols if c in old_cols],
    )
    if whole_row:
        added, removed = diff_whole_rows(old_rows, new_rows, key)
        changed: list[RowChange] = []
    else:
        added, removed, changed = diff_keyed_rows(old_rows, new_rows, key, shared)
    diff.rows_added = sorted_rows(added, new_cols)
    diff.rows_removed = sorted_rows(removed, old_cols)
    diff.rows_changed = sorted(changed, key=lambda change: change.key)
    if (
        diff.rows_added
        or diff.rows_removed
        or diff.rows_changed
        or diff.columns_added
        or diff.columns_removed
        or diff.column_order_changed
    ):
        diff.status = CHANGED
    return diff


def one_sided_table(name: str, text: str, status: str) -> TableDiff:
    columns, rows = parse_csv(text, name)
    rows = sorted_rows(rows, columns)
    if status == ONLY_OLD:
        return TableDiff(name, status, old_columns=columns, rows_removed=rows)
    return TableDiff(name, status, new_columns=columns, rows_added=rows)


def compare_tables(old: Mapping[str, str], new: Mapping[str, str]) -> list[TableDiff]:
    """One TableDiff per table name on either side, sorted by name."""
    diffs = []
    for name in sorted(set(old) | set(new)):
        if name not in new:
            diffs.append(one_sided_table(name, old[name], ONLY_OLD))
        elif name not in old:
            diffs.append(one_sided_table(name, new[name], ONLY_NEW))
        else:
            diffs.append(compare_table(name, old[name], new[name]))
    return diffs


def changed_columns(diff: TableDiff) -> list[str]:
    """Non-key shared columns in the order of the new table, for the prima/dopo grid."""
    shared = [c for c in diff.new_columns if c in diff.old_columns]
    return [c for c in shared if c not in diff.key]


def unchanged_names(diffs: list[TableDiff]) -> list[str]:
    return [d.name for d in diffs if d.status == UNCHANGED]
