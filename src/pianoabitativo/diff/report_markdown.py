"""The diff report as Markdown: a summary table, then each changed table's rows (prima / dopo)."""

from __future__ import annotations

from ..core.markdown import escape_cell as md_cell
from ..core.markdown import pipe_table_lines
from .compare import UNCHANGED, Row, TableDiff, changed_columns, unchanged_names
from .phrases import key_description, shown_value, summary_text, table_file, table_heading, table_title


def md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    return pipe_table_lines([md_cell(h) for h in header], rows, ["---"] * len(header))


def md_value(table: str, column: str, value: str) -> str:
    return md_cell(shown_value(table, column, value))


def md_plain_rows(table: str, rows: list[Row], columns: list[str]) -> list[str]:
    return md_table(columns, [[md_value(table, c, r.get(c, "")) for c in columns] for r in rows])


def md_changed_value(table: str, column: str, value: str) -> str:
    return f"**{md_value(table, column, value)}**" if value else "***(vuoto)***"


def md_changed_rows(diff: TableDiff) -> list[str]:
    columns = changed_columns(diff)
    body = []
    for change in diff.rows_changed:
        for side, row in (("prima", change.old), ("dopo", change.new)):
            cells = [md_value(diff.name, c, v) for c, v in zip(diff.key, change.key)] + [side]
            cells += [
                md_changed_value(diff.name, c, row[c]) if c in change.changed else md_value(diff.name, c, row[c])
                for c in columns
            ]
            body.append(cells)
    return md_table(diff.key + [""] + columns, body)


def md_table_section(diff: TableDiff, label_old: str, label_new: str) -> list[str]:
    lines = [
        f"## {md_cell(table_heading(diff.name))}",
        "",
        f"{summary_text(diff, label_old, label_new)}; {key_description(diff)}.",
        "",
    ]
    if diff.rows_changed:
        lines += ["### Righe modificate (prima / dopo; in grassetto i valori cambiati)", ""]
        lines += md_changed_rows(diff) + [""]
    if diff.rows_added:
        lines += [f"### Righe aggiunte (in {label_new})", ""]
        lines += md_plain_rows(diff.name, diff.rows_added, diff.new_columns) + [""]
    if diff.rows_removed:
        lines += [f"### Righe rimosse (presenti in {label_old})", ""]
        lines += md_plain_rows(diff.name, diff.rows_removed, diff.old_columns) + [""]
    return lines


def md_summary(diffs: list[TableDiff], label_old: str, label_new: str) -> str:
    """The summary: one line per table, by its Italian name and its file."""
    rows = [
        [md_cell(table_title(d.name)), md_cell(table_file(d.name)), md_cell(summary_text(d, label_old, label_new))]
        for d in diffs
    ]
    lines = [
        f"# Confronto delle tabelle elaborate: {md_cell(label_old)} → {md_cell(label_new)}",
        "",
        "## Riepilogo",
        "",
    ] + md_table(["Tabella", "File", "Esito"], rows)
    return "\n".join(lines) + "\n"


def render_markdown(diffs: list[TableDiff], label_old: str, label_new: str) -> str:
    lines = [md_summary(diffs, label_old, label_new)]
    for diff in diffs:
        if diff.status != UNCHANGED:
            lines += md_table_section(diff, label_old, label_new)
    names = unchanged_names(diffs)
    lines += ["## Tabelle invariate", ""] + ([f"- {md_cell(table_heading(n))}" for n in names] or ["nessuna"]) + [""]
    return "\n".join(lines).rstrip("\n") + "\n"
