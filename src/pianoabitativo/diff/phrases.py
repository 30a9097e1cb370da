"""What the reports say about a `TableDiff`, in Italian: "invariata", "3 righe modificate, 1 aggiunta", ...;
each table by its Italian name (catalogue) and file, each cell as a person reads it."""

from __future__ import annotations

from decimal import InvalidOperation

from .. import catalogue
from ..core import columntypes
from ..core.columntypes import column_type, is_integer
from ..core.formatting import format_int, format_number
from .compare import ONLY_NEW, ONLY_OLD, UNCHANGED, TableDiff

FLAGS = {columntypes.TRUE: "sì", columntypes.FALSE: "no"}


def table_title(name: str) -> str:
    """The table's Italian name (catalogue.ProcessedTable.label); its file name for a table it does not know."""
    table = catalogue.TABLES_BY_NAME.get(name)
    return table.label if table else name


def table_file(name: str) -> str:
    return f"{name}.csv"


def table_heading(name: str) -> str:
    """«a) Consistenza del patrimonio (a_patrimonio.csv)»."""
    return f"{table_title(name)} ({table_file(name)})"


def shown_value(table: str, column: str, value: str) -> str:
    """A cell as the report shows it: the numbers of a typed column in Italian («1.006», «573,04»), flags as
    «sì»/«no»; codes and text as they are («019035» stays «019035»), and so any value that is not a number.

    The comparison itself is on the text (compare.py): this is display only.
    """
    known = catalogue.TABLES_BY_NAME.get(table)
    kind = known.types.get(column) if known else None
    if not value or kind is None or column_type(kind).textual:
        return value
    if kind == columntypes.FLAG:
        return FLAGS.get(value, value)
    try:
        number = float(value)
        if is_integer(kind):
            return format_int(number) if number.is_integer() else value
        decimals = len(value.split(".", 1)[1]) if "." in value and "e" not in value.lower() else 2
        return format_number(number, decimals)
    except (ValueError, ArithmeticError, InvalidOperation):
        return value


def count_phrase(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def rows_phrase(diff: TableDiff) -> list[str]:
    """E.g. ["3 righe modificate", "1 aggiunta"]: the first item names the rows."""
    counts = [
        (len(diff.rows_changed), "modificata", "modificate"),
        (len(diff.rows_added), "aggiunta", "aggiunte"),
        (len(diff.rows_removed), "rimossa", "rimosse"),
    ]
    parts = []
    for n, singular, plural in counts:
        if n == 0:
            continue
        if not parts:
            parts.append(count_phrase(n, "riga " + singular, "righe " + plural))
        else:
            parts.append(count_phrase(n, singular, plural))
    return parts


def columns_phrase(diff: TableDiff) -> list[str]:
    parts = []
    if diff.columns_added:
        parts.append("colonne aggiunte: " + ", ".join(diff.columns_added))
    if diff.columns_removed:
        parts.append("colonne rimosse: " + ", ".join(diff.columns_removed))
    if diff.column_order_changed:
        parts.append("ordine delle colonne cambiato")
    return parts


def summary_text(diff: TableDiff, label_old: str, label_new: str) -> str:
    """One line in Italian: "invariata", "3 righe modificate, 1 aggiunta", ..."""
    if diff.status == UNCHANGED:
        return "invariata"
    if diff.status == ONLY_OLD:
        return f"presente solo in {label_old} ({count_phrase(len(diff.rows_removed), 'riga', 'righe')})"
    if diff.status == ONLY_NEW:
        return f"presente solo in {label_new} ({count_phrase(len(diff.rows_added), 'riga', 'righe')})"
    return ", ".join(rows_phrase(diff) + columns_phrase(diff))


def key_description(diff: TableDiff) -> str:
    if diff.key_is_whole_row:
        return "righe confrontate per intero (nessuna chiave utilizzabile: una modifica appare come riga rimossa più riga aggiunta)"
    return "chiave: " + ", ".join(diff.key)


TABLES_LISTED = 8  # changed tables named one by one on the console; beyond that, how many more


def console_summary(diffs: list[TableDiff], label_old: str, label_new: str) -> list[str]:
    """What `make confronta` prints (the whole report is in the files it names): how many tables changed,
    the rows added, removed and changed in all, and each changed table in a line of its own."""
    changed = [d for d in diffs if d.status != UNCHANGED]
    totals = [
        sum(len(d.rows_added) for d in changed),
        sum(len(d.rows_removed) for d in changed),
        sum(len(d.rows_changed) for d in changed),
    ]
    head = f"Confronto delle tabelle elaborate: {label_old} → {label_new}."
    if not changed:
        return [
            head,
            f"Nessuna differenza: le {count_phrase(len(diffs), 'tabella è identica', 'tabelle sono identiche')}.",
        ]
    verb = "è cambiata" if len(changed) == 1 else "sono cambiate"
    lines = [
        head,
        f"{format_int(len(changed))} tabelle su {format_int(len(diffs))} {verb}: "
        f"{count_phrase(totals[0], 'riga aggiunta', 'righe aggiunte')}, "
        f"{count_phrase(totals[1], 'rimossa', 'rimosse')}, "
        f"{count_phrase(totals[2], 'modificata', 'modificate')}.",
    ]
    if len(changed) == 1:
        lines[-1] = lines[-1].replace("1 tabelle su", "1 tabella su")
    lines += [f"- {table_title(d.name)}: {summary_text(d, label_old, label_new)}" for d in changed[:TABLES_LISTED]]
    if len(changed) > TABLES_LISTED:
        lines.append(f"- e altre {len(changed) - TABLES_LISTED} tabelle")
    return lines
