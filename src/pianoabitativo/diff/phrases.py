"""What the reports say about a `TableDiff`, in Italian: "invariata", "3 righe modificate, 1 aggiunta", ..."""

from __future__ import annotations

from .compare import ONLY_NEW, ONLY_OLD, UNCHANGED, TableDiff


def count_phrase(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def rows_phrase(diff: TableDiff) -> list[str]:
    """E.g. ["3 righe modificate", "1 aggiunta"]: the first item names the rows."""
    counts = [(len(diff.rows_changed), "modificata", "modificate"),
              (len(diff.rows_added), "aggiunta", "aggiunte"),
              (len(diff.rows_removed), "rimossa", "rimosse")]
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
