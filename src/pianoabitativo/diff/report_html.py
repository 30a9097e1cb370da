"""The diff report as one self-contained HTML page (inline CSS, no scripts): summary, then changed tables."""

from __future__ import annotations

import html

from .compare import UNCHANGED, Row, RowChange, TableDiff, changed_columns, unchanged_names
from .phrases import key_description, shown_value, summary_text, table_file, table_heading, table_title

CSS = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; }
th, td { border: 1px solid #bbb; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #eee; }
td.lato { color: #555; font-style: italic; }
td.old { background: #fdd; text-decoration: line-through; }
td.new { background: #dfd; font-weight: bold; }
tr.added td { background: #eaffea; }
tr.removed td { background: #ffecec; }
tbody.change { border-top: 2px solid #888; }
.invariata { color: #2a7a2a; }
.modificata { color: #a15c00; }
p.nota { color: #555; }
""".strip()


def esc(value: str) -> str:
    return html.escape(value, quote=True)


def html_value(table: str, column: str, value: str) -> str:
    return esc(shown_value(table, column, value))


def html_plain_rows(table: str, rows: list[Row], columns: list[str], css_class: str) -> list[str]:
    lines = ["<table>", "<thead><tr>" + "".join(f"<th>{esc(c)}</th>" for c in columns) + "</tr></thead>", "<tbody>"]
    for row in rows:
        lines.append(
            f'<tr class="{css_class}">'
            + "".join(f"<td>{html_value(table, c, row.get(c, ''))}</td>" for c in columns)
            + "</tr>"
        )
    return lines + ["</tbody>", "</table>"]


def html_changed_cell(table: str, column: str, value: str, css_class: str) -> str:
    return f'<td class="{css_class}">{html_value(table, column, value) if value else "<em>(vuoto)</em>"}</td>'


def html_change(table: str, key: list[str], change: RowChange, columns: list[str]) -> list[str]:
    """Two rows, prima and dopo, key cells spanning both, changed cells highlighted."""
    lines = ['<tbody class="change">']
    for side, row, css_class in (("prima", change.old, "old"), ("dopo", change.new, "new")):
        cells = (
            "".join(f'<td rowspan="2">{html_value(table, c, v)}</td>' for c, v in zip(key, change.key))
            if side == "prima"
            else ""
        )
        cells += f'<td class="lato">{side}</td>'
        cells += "".join(
            html_changed_cell(table, c, row[c], css_class)
            if c in change.changed
            else f"<td>{html_value(table, c, row[c])}</td>"
            for c in columns
        )
        lines.append(f"<tr>{cells}</tr>")
    return lines + ["</tbody>"]


def html_changed_rows(diff: TableDiff) -> list[str]:
    columns = changed_columns(diff)
    header = "".join(f"<th>{esc(c)}</th>" for c in diff.key + [""] + columns)
    lines = ["<table>", f"<thead><tr>{header}</tr></thead>"]
    for change in diff.rows_changed:
        lines += html_change(diff.name, diff.key, change, columns)
    return lines + ["</table>"]


def html_table_section(diff: TableDiff, label_old: str, label_new: str) -> list[str]:
    lines = [
        f'<h2 id="{esc(diff.name)}">{esc(table_title(diff.name))} <small>({esc(table_file(diff.name))})</small></h2>',
        f'<p class="nota">{esc(summary_text(diff, label_old, label_new))}; {esc(key_description(diff))}.</p>',
    ]
    if diff.rows_changed:
        lines += ["<h3>Righe modificate (prima / dopo)</h3>"] + html_changed_rows(diff)
    if diff.rows_added:
        lines += [f"<h3>Righe aggiunte (in {esc(label_new)})</h3>"]
        lines += html_plain_rows(diff.name, diff.rows_added, diff.new_columns, "added")
    if diff.rows_removed:
        lines += [f"<h3>Righe rimosse (presenti in {esc(label_old)})</h3>"]
        lines += html_plain_rows(diff.name, diff.rows_removed, diff.old_columns, "removed")
    return lines


def html_summary(diffs: list[TableDiff], label_old: str, label_new: str) -> list[str]:
    lines = [
        "<h2>Riepilogo</h2>",
        "<table>",
        "<thead><tr><th>Tabella</th><th>File</th><th>Esito</th></tr></thead>",
        "<tbody>",
    ]
    for d in diffs:
        css_class = "invariata" if d.status == UNCHANGED else "modificata"
        title = esc(table_title(d.name))
        name = title if d.status == UNCHANGED else f'<a href="#{esc(d.name)}">{title}</a>'
        lines.append(
            f"<tr><td>{name}</td><td>{esc(table_file(d.name))}</td>"
            f'<td class="{css_class}">{esc(summary_text(d, label_old, label_new))}</td></tr>'
        )
    return lines + ["</tbody>", "</table>"]


def render_html(diffs: list[TableDiff], label_old: str, label_new: str) -> str:
    title = f"Confronto delle tabelle elaborate: {label_old} → {label_new}"
    lines = [
        "<!DOCTYPE html>",
        '<html lang="it">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{esc(title)}</title>",
        f"<style>\n{CSS}\n</style>",
        "</head>",
        "<body>",
        f"<h1>{esc(title)}</h1>",
    ]
    lines += html_summary(diffs, label_old, label_new)
    for diff in diffs:
        if diff.status != UNCHANGED:
            lines += html_table_section(diff, label_old, label_new)
    names = unchanged_names(diffs)
    lines += [
        "<h2>Tabelle invariate</h2>",
        f"<p>{esc(', '.join(map(table_heading, names))) if names else 'nessuna'}</p>",
        "</body>",
        "</html>",
    ]
    return "\n".join(lines) + "\n"
