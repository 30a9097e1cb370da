"""Compare the processed tables of two versions of a plan, row by row, by primary key.

Each side is a mapping table name (file stem) -> CSV text, loaded from an
archive, a folder, the working tree for a year, or a git ref (`load_tables`).
Every cell is compared as text ("019035" stays "019035", empty stays empty).
Rows are matched on the table's primary key (`PRIMARY_KEYS`); a table without
a known key, or whose key is missing or not unique, is matched on whole rows,
so a change there shows as one row removed and one added.

The report (`write_diff_report`) is Markdown plus a self-contained HTML page,
in Italian, and deterministic: the same inputs give the same bytes.
"""

from __future__ import annotations

import html
import io
import re
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Mapping, Sequence

import pandas as pd

from .archive import ArchiveError, read_members

PRIMARY_KEYS: dict[str, list[str]] = {
    "comuni": ["codice_istat"],
    "subambiti": ["sub_ambito"],
    "a_patrimonio": ["ente_proprietario"],
    "b_carenza_manutentiva": ["codice_unita"],
    "c_ristrutturazione": ["codice_unita"],
    "d_nuova_edificazione": ["codice_unita"],
    "e_libere": ["codice_unita"],
    "f_conferite_privati": ["codice_unita"],
    "e_turnover": ["ente_proprietario", "comune"],
    "g_assegnabili": ["ente_proprietario", "comune"],
    "k_assegnate_anno_precedente": ["ente_proprietario"],
    "l_misure": ["avviso"],
    "cifre_chiave": ["chiave"],
    "verifiche": ["controllo"],
    # processed tables beyond the plan's lettered sections
    "a_patrimonio_totali": ["tabella", "colonna"],
    "g_assegnabili_per_categoria": ["ente_proprietario", "comune", "categoria"],
    "h_i_j_scelte_comunali": ["comune", "scelta"],
    "m_riqualificazione": ["ente"],
}

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


# --------------------------------------------------------------------------- comparing


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


def choose_key(name: str, old_cols: list[str], new_cols: list[str],
               old_rows: list[Row], new_rows: list[Row]) -> tuple[list[str], bool]:
    """(key columns, whole row?) : the table's primary key if usable on both sides, else the shared columns."""
    key = PRIMARY_KEYS.get(name)
    if key and all(c in old_cols and c in new_cols for c in key) \
            and has_unique_key(old_rows, key) and has_unique_key(new_rows, key):
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


def diff_keyed_rows(old_rows: list[Row], new_rows: list[Row], key: list[str],
                    shared: list[str]) -> tuple[list[Row], list[Row], list[RowChange]]:
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
    diff = TableDiff(name, UNCHANGED, key, whole_row, old_cols, new_cols,
                     columns_added=[c for c in new_cols if c not in old_cols],
                     columns_removed=[c for c in old_cols if c not in new_cols],
                     column_order_changed=shared != [c for c in new_cols if c in old_cols])
    if whole_row:
        added, removed = diff_whole_rows(old_rows, new_rows, key)
        changed: list[RowChange] = []
    else:
        added, removed, changed = diff_keyed_rows(old_rows, new_rows, key, shared)
    diff.rows_added = sorted_rows(added, new_cols)
    diff.rows_removed = sorted_rows(removed, old_cols)
    diff.rows_changed = sorted(changed, key=lambda change: change.key)
    if diff.rows_added or diff.rows_removed or diff.rows_changed or diff.columns_added \
            or diff.columns_removed or diff.column_order_changed:
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


# --------------------------------------------------------------------------- wording (Italian)


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


def changed_columns(diff: TableDiff) -> list[str]:
    """Non-key shared columns in the order of the new table, for the prima/dopo grid."""
    shared = [c for c in diff.new_columns if c in diff.old_columns]
    return [c for c in shared if c not in diff.key]


# --------------------------------------------------------------------------- Markdown


def md_cell(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("\r", " ")


def md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(md_cell(h) for h in header) + " |",
             "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def md_plain_rows(rows: list[Row], columns: list[str]) -> list[str]:
    return md_table(columns, [[md_cell(r.get(c, "")) for c in columns] for r in rows])


def md_changed_value(value: str) -> str:
    return f"**{md_cell(value)}**" if value else "***(vuoto)***"


def md_changed_rows(diff: TableDiff) -> list[str]:
    columns = changed_columns(diff)
    body = []
    for change in diff.rows_changed:
        for side, row in (("prima", change.old), ("dopo", change.new)):
            cells = [md_cell(v) for v in change.key] + [side]
            cells += [md_changed_value(row[c]) if c in change.changed else md_cell(row[c]) for c in columns]
            body.append(cells)
    return md_table(diff.key + [""] + columns, body)


def md_table_section(diff: TableDiff, label_old: str, label_new: str) -> list[str]:
    lines = [f"## {diff.name}", "", f"{summary_text(diff, label_old, label_new)}; {key_description(diff)}.", ""]
    if diff.rows_changed:
        lines += ["### Righe modificate (prima / dopo; in grassetto i valori cambiati)", ""]
        lines += md_changed_rows(diff) + [""]
    if diff.rows_added:
        lines += [f"### Righe aggiunte (in {label_new})", ""] + md_plain_rows(diff.rows_added, diff.new_columns) + [""]
    if diff.rows_removed:
        lines += [f"### Righe rimosse (presenti in {label_old})", ""]
        lines += md_plain_rows(diff.rows_removed, diff.old_columns) + [""]
    return lines


def md_summary(diffs: list[TableDiff], label_old: str, label_new: str) -> str:
    """The summary: one line per table."""
    rows = [[md_cell(d.name), md_cell(summary_text(d, label_old, label_new))] for d in diffs]
    lines = [f"# Confronto delle tabelle elaborate: {md_cell(label_old)} → {md_cell(label_new)}", "",
             "## Riepilogo", ""] + md_table(["Tabella", "Esito"], rows)
    return "\n".join(lines) + "\n"


def unchanged_names(diffs: list[TableDiff]) -> list[str]:
    return [d.name for d in diffs if d.status == UNCHANGED]


def render_markdown(diffs: list[TableDiff], label_old: str, label_new: str) -> str:
    lines = [md_summary(diffs, label_old, label_new)]
    for diff in diffs:
        if diff.status != UNCHANGED:
            lines += md_table_section(diff, label_old, label_new)
    names = unchanged_names(diffs)
    lines += ["## Tabelle invariate", "", (", ".join(names) if names else "nessuna") + "", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


# --------------------------------------------------------------------------- HTML

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


def html_plain_rows(rows: list[Row], columns: list[str], css_class: str) -> list[str]:
    lines = ["<table>", "<thead><tr>" + "".join(f"<th>{esc(c)}</th>" for c in columns) + "</tr></thead>", "<tbody>"]
    for row in rows:
        lines.append(f'<tr class="{css_class}">' + "".join(f"<td>{esc(row.get(c, ''))}</td>" for c in columns) + "</tr>")
    return lines + ["</tbody>", "</table>"]


def html_changed_cell(value: str, css_class: str) -> str:
    return f'<td class="{css_class}">{esc(value) if value else "<em>(vuoto)</em>"}</td>'


def html_change(change: RowChange, columns: list[str]) -> list[str]:
    """Two rows, prima and dopo, key cells spanning both, changed cells highlighted."""
    lines = ['<tbody class="change">']
    for side, row, css_class in (("prima", change.old, "old"), ("dopo", change.new, "new")):
        cells = "".join(f'<td rowspan="2">{esc(v)}</td>' for v in change.key) if side == "prima" else ""
        cells += f'<td class="lato">{side}</td>'
        cells += "".join(html_changed_cell(row[c], css_class) if c in change.changed else f"<td>{esc(row[c])}</td>"
                         for c in columns)
        lines.append(f"<tr>{cells}</tr>")
    return lines + ["</tbody>"]


def html_changed_rows(diff: TableDiff) -> list[str]:
    columns = changed_columns(diff)
    header = "".join(f"<th>{esc(c)}</th>" for c in diff.key + [""] + columns)
    lines = ["<table>", f"<thead><tr>{header}</tr></thead>"]
    for change in diff.rows_changed:
        lines += html_change(change, columns)
    return lines + ["</table>"]


def html_table_section(diff: TableDiff, label_old: str, label_new: str) -> list[str]:
    lines = [f'<h2 id="{esc(diff.name)}">{esc(diff.name)}</h2>',
             f'<p class="nota">{esc(summary_text(diff, label_old, label_new))}; {esc(key_description(diff))}.</p>']
    if diff.rows_changed:
        lines += ["<h3>Righe modificate (prima / dopo)</h3>"] + html_changed_rows(diff)
    if diff.rows_added:
        lines += [f"<h3>Righe aggiunte (in {esc(label_new)})</h3>"]
        lines += html_plain_rows(diff.rows_added, diff.new_columns, "added")
    if diff.rows_removed:
        lines += [f"<h3>Righe rimosse (presenti in {esc(label_old)})</h3>"]
        lines += html_plain_rows(diff.rows_removed, diff.old_columns, "removed")
    return lines


def html_summary(diffs: list[TableDiff], label_old: str, label_new: str) -> list[str]:
    lines = ["<h2>Riepilogo</h2>", "<table>", "<thead><tr><th>Tabella</th><th>Esito</th></tr></thead>", "<tbody>"]
    for d in diffs:
        css_class = "invariata" if d.status == UNCHANGED else "modificata"
        name = esc(d.name) if d.status == UNCHANGED else f'<a href="#{esc(d.name)}">{esc(d.name)}</a>'
        lines.append(f'<tr><td>{name}</td><td class="{css_class}">{esc(summary_text(d, label_old, label_new))}</td></tr>')
    return lines + ["</tbody>", "</table>"]


def render_html(diffs: list[TableDiff], label_old: str, label_new: str) -> str:
    title = f"Confronto delle tabelle elaborate: {label_old} → {label_new}"
    lines = ["<!DOCTYPE html>", '<html lang="it">', "<head>", '<meta charset="utf-8">',
             f"<title>{esc(title)}</title>", f"<style>\n{CSS}\n</style>", "</head>", "<body>",
             f"<h1>{esc(title)}</h1>"]
    lines += html_summary(diffs, label_old, label_new)
    for diff in diffs:
        if diff.status != UNCHANGED:
            lines += html_table_section(diff, label_old, label_new)
    names = unchanged_names(diffs)
    lines += ["<h2>Tabelle invariate</h2>", f"<p>{esc(', '.join(names)) if names else 'nessuna'}</p>",
              "</body>", "</html>"]
    return "\n".join(lines) + "\n"


def write_diff_report(diffs: list[TableDiff], label_old: str, label_new: str, md_path: Path, html_path: Path) -> None:
    """Write the Markdown and the self-contained HTML report (UTF-8, `\\n`)."""
    for path, text in ((md_path, render_markdown(diffs, label_old, label_new)),
                       (html_path, render_html(diffs, label_old, label_new))):
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")


# --------------------------------------------------------------------------- loading a side

PROCESSED_MEMBER = re.compile(r"^data/processed/(\d{4})/([^/]+)\.csv$")


def decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ComparisonError(f"{where} non è testo UTF-8") from None


def archive_year(names: list[str], year: int) -> int:
    """The year of the processed tables in an archive: the only one, or the requested one."""
    years = sorted({int(m.group(1)) for m in map(PROCESSED_MEMBER.match, names) if m})
    return years[0] if len(years) == 1 else year


def tables_from_archive(path: Path, year: int) -> dict[str, str]:
    try:
        contents = read_members(path)
    except ArchiveError as err:
        raise ComparisonError(str(err)) from None
    year = archive_year(list(contents), year)
    tables = {}
    for name, data in contents.items():
        match = PROCESSED_MEMBER.match(name)
        if match and int(match.group(1)) == year:
            tables[match.group(2)] = decode(data, f"{path}:{name}")
    if not tables:
        raise ComparisonError(f"l'archivio {path} non contiene tabelle data/processed/{year}/*.csv")
    return tables


def tables_from_folder(folder: Path, year: int) -> dict[str, str]:
    """The folder's *.csv files; a checkout or extracted archive is read at data/processed/<year>/."""
    nested = folder / "data" / "processed" / str(year)
    if not any(folder.glob("*.csv")) and nested.is_dir():
        folder = nested
    tables = {p.stem: decode(p.read_bytes(), str(p)) for p in sorted(folder.glob("*.csv"))}
    if not tables:
        raise ComparisonError(f"nessuna tabella CSV nella cartella {folder}")
    return tables


def git(repo_dir: Path, *args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(repo_dir), *args], capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError) as err:
        raise ComparisonError(f"impossibile eseguire git: {err}") from None


def resolve_commit(ref: str, repo_dir: Path) -> str | None:
    if ref.startswith("-"):
        return None
    done = git(repo_dir, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    return done.stdout.decode().strip() if done.returncode == 0 else None


def tables_from_git(ref: str, commit: str, repo_dir: Path, year: int) -> dict[str, str]:
    folder = f"data/processed/{year}/"
    listing = git(repo_dir, "ls-tree", "-z", "--name-only", commit, "--", folder)
    names = [n for n in listing.stdout.decode("utf-8").split("\0") if n.endswith(".csv")]
    tables = {}
    for name in sorted(names):
        shown = git(repo_dir, "show", f"{commit}:{name}")
        if shown.returncode != 0:
            raise ComparisonError(f"impossibile leggere {name} al riferimento git «{ref}»")
        tables[PurePosixPath(name).stem] = decode(shown.stdout, f"{ref}:{name}")
    if not tables:
        raise ComparisonError(f"nessuna tabella {folder}*.csv al riferimento git «{ref}»")
    return tables


def is_archive_path(side: str) -> bool:
    return side.endswith((".tar.gz", ".tgz")) and Path(side).is_file()


def side_label(side: str) -> str:
    """A short label: the archive's or folder's name, or the ref as given."""
    path = Path(side)
    if is_archive_path(side):
        return re.sub(r"\.(tar\.gz|tgz)$", "", path.name)
    if path.is_dir():
        return path.resolve().name or side
    return side


def load_tables(side: str, repo_dir: Path, year: int) -> tuple[str, dict[str, str]]:
    """(label, tables) for one side: an archive, a folder, a year in the working tree, or a git ref."""
    repo_dir = Path(repo_dir)
    if is_archive_path(side):
        return side_label(side), tables_from_archive(Path(side), year)
    if Path(side).is_dir():
        return side_label(side), tables_from_folder(Path(side), year)
    if re.fullmatch(r"\d{4}", side):
        folder = repo_dir / "data" / "processed" / side
        if not folder.is_dir():
            raise ComparisonError(f"nessuna cartella {folder} per l'anno {side}")
        return f"lavoro-{side}", tables_from_folder(folder, int(side))
    commit = resolve_commit(side, repo_dir)
    if commit is None:
        raise ComparisonError(f"«{side}» non è un archivio .tar.gz, una cartella, un anno né un riferimento git "
                              f"noto nel repository {repo_dir}")
    return side, tables_from_git(side, commit, repo_dir, year)
