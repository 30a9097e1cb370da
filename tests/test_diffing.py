"""Diff of processed tables: keyed comparison, report wording, loading each kind of side, CLI diff."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from inputs_support import git
from pianoabitativo import catalogue
from pianoabitativo.archive.cli import main
from pianoabitativo.archive.members import build_archive
from pianoabitativo.diff.compare import (
    CHANGED,
    ONLY_NEW,
    ONLY_OLD,
    UNCHANGED,
    ComparisonError,
    TableDiff,
    compare_tables,
)
from pianoabitativo.diff.phrases import summary_text
from pianoabitativo.diff.report import write_diff_report
from pianoabitativo.diff.report_html import render_html
from pianoabitativo.diff.report_markdown import render_markdown
from pianoabitativo.diff.sources import load_tables

YEAR = 2019

TABLES = {
    "a_patrimonio": "ente_proprietario,totale_unita,alloggi_sap,alloggi_sas\n"
    "ALER Brescia-Cremona-Mantova,1006,997,9\n"
    "Comune di Bagnolo Cremasco,18,18,0\n",
    "b_carenza_manutentiva": "codice_unita,ente_proprietario,comune\n"
    "3155976,ALER Brescia-Cremona-Mantova,Castelleone\n"
    "3155982,ALER Brescia-Cremona-Mantova,Castelleone\n",
    "e_libere": "codice_unita,ente_proprietario,comune\n"
    "3160011,ALER Brescia-Cremona-Mantova,Crema\n"
    "3160012,ALER Brescia-Cremona-Mantova,Crema\n",
    "comuni": "codice_istat,comune,sub_ambito,note\n019001,Agnadello,Pandino,\n019035,Crema,Città di Crema,\n",
}


def write_tables(folder: Path, tables: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in tables.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8", newline="\n")
    return folder


def moved_unit(tables: dict[str, str]) -> dict[str, str]:
    """Unit 3160012 moves from e_libere to b_carenza_manutentiva (rows kept sorted)."""
    new = dict(tables)
    new["e_libere"] = tables["e_libere"].replace("3160012,ALER Brescia-Cremona-Mantova,Crema\n", "")
    new["b_carenza_manutentiva"] = tables["b_carenza_manutentiva"] + "3160012,ALER Brescia-Cremona-Mantova,Crema\n"
    return new


def by_name(diffs: list[TableDiff]) -> dict[str, TableDiff]:
    return {d.name: d for d in diffs}


# --------------------------------------------------------------------------- comparing


def test_unit_moving_between_categories(tmp_path):
    old = write_tables(tmp_path / "old", TABLES)
    new = shutil.copytree(old, tmp_path / "new")
    write_tables(new, moved_unit(TABLES))
    _, old_tables = load_tables(str(old), tmp_path, YEAR)
    _, new_tables = load_tables(str(new), tmp_path, YEAR)
    diffs = by_name(compare_tables(old_tables, new_tables))

    e = diffs["e_libere"]
    assert e.status == CHANGED
    assert (e.rows_removed, e.rows_added, e.rows_changed) == (
        [{"codice_unita": "3160012", "ente_proprietario": "ALER Brescia-Cremona-Mantova", "comune": "Crema"}],
        [],
        [],
    )
    b = diffs["b_carenza_manutentiva"]
    assert [r["codice_unita"] for r in b.rows_added] == ["3160012"]
    assert (b.rows_removed, b.rows_changed) == ([], [])
    assert diffs["a_patrimonio"].status == diffs["comuni"].status == UNCHANGED

    summaries = {name: summary_text(d, "old", "new") for name, d in diffs.items()}
    assert summaries == {
        "a_patrimonio": "invariata",
        "b_carenza_manutentiva": "1 riga aggiunta",
        "comuni": "invariata",
        "e_libere": "1 riga rimossa",
    }

    write_diff_report(list(diffs.values()), "old", "new", tmp_path / "r.md", tmp_path / "r.html")
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    # each table by its Italian name (catalogue label) and its file
    assert "| e) Unità libere | e_libere.csv | 1 riga rimossa |" in md
    assert (
        "| b) Unità in carenza manutentiva, assegnabili nello stato di fatto | b_carenza_manutentiva.csv | 1 riga aggiunta |"
        in md
    )
    assert (
        "## Tabelle invariate\n\n- a) Consistenza del patrimonio (a_patrimonio.csv)\n"
        "- Comuni dell'ambito (comuni.csv)\n" in md
    )
    assert "## e) Unità libere (e_libere.csv)" in md
    assert md.count("3160012") == 2  # once removed from e_libere, once added to b_carenza_manutentiva


def test_changed_value_shows_old_and_new(tmp_path):
    new = dict(TABLES, a_patrimonio=TABLES["a_patrimonio"].replace("1006,997,9", "1007,998,9"))
    diffs = by_name(compare_tables(TABLES, new))
    a = diffs["a_patrimonio"]
    assert a.status == CHANGED and not a.rows_added and not a.rows_removed
    [change] = a.rows_changed
    assert change.key == ("ALER Brescia-Cremona-Mantova",)
    assert change.changed == {"totale_unita": ("1006", "1007"), "alloggi_sap": ("997", "998")}
    assert summary_text(a, "x", "y") == "1 riga modificata"

    md = render_markdown(list(diffs.values()), "2019-approvato", "2019-rettifica")
    # numbers of typed columns in Italian format (core/formatting.py)
    assert "| ALER Brescia-Cremona-Mantova | prima | **1.006** | **997** | 9 |" in md
    assert "| ALER Brescia-Cremona-Mantova | dopo | **1.007** | **998** | 9 |" in md
    html = render_html(list(diffs.values()), "2019-approvato", "2019-rettifica")
    assert '<td class="old">1.006</td>' in html and '<td class="new">1.007</td>' in html
    assert "a) Consistenza del patrimonio <small>(a_patrimonio.csv)</small>" in html
    assert "<td>9</td>" in html  # unchanged cell shown, not highlighted
    assert "<script" not in html and "<style>" in html


def test_summary_wording_for_several_kinds_of_change():
    old = "codice_unita,comune\n1,Crema\n2,Crema\n3,Crema\n4,Crema\n"
    new = "codice_unita,comune\n1,Ricengo\n2,Ricengo\n3,Ricengo\n5,Crema\n6,Crema\n"
    [d] = compare_tables({"e_libere": old}, {"e_libere": new})
    assert summary_text(d, "a", "b") == "3 righe modificate, 2 aggiunte, 1 rimossa"


def test_codes_stay_strings_and_empty_stays_empty():
    new = dict(
        TABLES, comuni=TABLES["comuni"].replace("019035,Crema,Città di Crema,", "019035,Crema,Città di Crema,capofila")
    )
    d = by_name(compare_tables(TABLES, new))["comuni"]
    [change] = d.rows_changed
    assert change.key == ("019035",)
    assert change.changed == {"note": ("", "capofila")}
    assert change.old["codice_istat"] == "019035"
    md = render_markdown([d], "a", "b")
    assert "| 019035 | prima | Crema | Città di Crema | ***(vuoto)*** |" in md


def test_cells_are_shown_in_italian_and_codes_stay_as_they_are():
    from pianoabitativo.diff.phrases import shown_value

    assert shown_value("comuni", "popolazione", "34264") == "34.264"
    assert shown_value("comuni", "densita", "992.58") == "992,58"
    assert shown_value("comuni", "superficie_km2", "1234.5") == "1.234,5"
    assert shown_value("comuni", "codice_istat", "019035") == "019035"  # a code, not a number
    assert shown_value("comuni", "proprietario_sap", "True") == "sì"
    assert shown_value("a_patrimonio_totali", "dichiarato", "") == ""
    assert shown_value("comuni", "popolazione", "34.264 ab") == "34.264 ab"  # not a number: as it is
    assert shown_value("tabella_sconosciuta", "x", "1006") == "1006"
    new = dict(TABLES, comuni=TABLES["comuni"].replace("019001,Agnadello", "019001,Agnadello di Sopra"))
    md = render_markdown(compare_tables(TABLES, new), "a", "b")
    assert "| 019001 | prima | **Agnadello** |" in md


def test_rows_are_matched_on_the_catalogue_key():
    for table in catalogue.PROCESSED_TABLES:
        columns = [column for column, _ in table.columns]
        other = next(c for c in columns if c not in table.key)
        old = ",".join(columns) + "\n" + ",".join(f"v_{c}" for c in columns) + "\n"
        new = old.replace(f"v_{other}", "nuovo")
        [d] = compare_tables({table.name: old}, {table.name: new})
        assert (d.key, d.key_is_whole_row) == (list(table.key), False), table.name
        [change] = d.rows_changed
        assert change.changed == {other: (f"v_{other}", "nuovo")}


def test_unknown_table_falls_back_to_whole_row():
    old = {"nuova_tabella": "x,y\n1,a\n2,b\n"}
    new = {"nuova_tabella": "x,y\n1,a\n2,c\n"}
    [d] = compare_tables(old, new)
    assert d.key_is_whole_row
    assert d.rows_removed == [{"x": "2", "y": "b"}] and d.rows_added == [{"x": "2", "y": "c"}]
    assert d.rows_changed == []


def test_columns_and_tables_only_on_one_side():
    old = {"l_misure": "avviso,importo\nA1,100\n", "verifiche": "controllo,esito\nsomma,ok\n"}
    new = {"l_misure": "avviso,importo,note\nA1,100,x\n", "cifre_chiave": "chiave,valore\nn,1\n"}
    diffs = by_name(compare_tables(old, new))
    assert diffs["l_misure"].columns_added == ["note"]
    assert summary_text(diffs["l_misure"], "a", "b") == "colonne aggiunte: note"
    assert diffs["verifiche"].status == ONLY_OLD
    assert summary_text(diffs["verifiche"], "a", "b") == "presente solo in a (1 riga)"
    assert diffs["cifre_chiave"].status == ONLY_NEW


def test_report_is_deterministic(tmp_path):
    diffs = compare_tables(TABLES, moved_unit(TABLES))
    write_diff_report(diffs, "a", "b", tmp_path / "1.md", tmp_path / "1.html")
    write_diff_report(compare_tables(TABLES, moved_unit(TABLES)), "a", "b", tmp_path / "2.md", tmp_path / "2.html")
    assert (tmp_path / "1.md").read_bytes() == (tmp_path / "2.md").read_bytes()
    assert (tmp_path / "1.html").read_bytes() == (tmp_path / "2.html").read_bytes()


# --------------------------------------------------------------------------- loading sides


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repo whose processed tables were committed, then changed in the working tree."""
    root = tmp_path / "repo"
    processed = write_tables(root / "data" / "processed" / str(YEAR), TABLES)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "piano approvato")
    write_tables(processed, dict(TABLES, a_patrimonio=TABLES["a_patrimonio"].replace(",18,18,0", ",19,19,0")))
    git(root, "commit", "-q", "-am", "rettifica")
    write_tables(processed, moved_unit(TABLES))  # uncommitted
    return root


def test_git_ref_against_working_tree(repo):
    label_old, old = load_tables("HEAD~1", repo, YEAR)
    label_new, new = load_tables(str(YEAR), repo, YEAR)
    assert (label_old, label_new) == ("HEAD~1", "lavoro-2019")
    assert old == TABLES
    diffs = by_name(compare_tables(old, new))
    assert [r["codice_unita"] for r in diffs["e_libere"].rows_removed] == ["3160012"]
    assert [r["codice_unita"] for r in diffs["b_carenza_manutentiva"].rows_added] == ["3160012"]
    assert diffs["a_patrimonio"].status == UNCHANGED  # the working tree reverted the rettifica
    _, head = load_tables("HEAD", repo, YEAR)
    [change] = compare_tables(old, head)[0].rows_changed
    assert change.changed == {"totale_unita": ("18", "19"), "alloggi_sap": ("18", "19")}


def test_archive_side(tmp_path, repo):
    processed = repo / "data" / "processed" / str(YEAR)
    members = {f"data/processed/{YEAR}/{p.name}": p for p in processed.glob("*.csv")}
    members["config.yaml"] = tmp_path / "config.yaml"
    members["config.yaml"].write_text("year: 2019\n")
    archive = tmp_path / "piano_2019.tar.gz"
    build_archive(members, {}, archive, 0)
    label, tables = load_tables(str(archive), repo, 2030)  # year read from the members
    assert label == "piano_2019"
    assert tables == moved_unit(TABLES)


def test_unknown_side_is_a_clear_error(repo):
    with pytest.raises(ComparisonError, match="«nessun-ramo»"):
        load_tables("nessun-ramo", repo, YEAR)
    with pytest.raises(ComparisonError, match="«mancante.tar.gz»"):
        load_tables("mancante.tar.gz", repo, YEAR)
    with pytest.raises(ComparisonError, match="2018"):
        load_tables("2018", repo, YEAR)


# --------------------------------------------------------------------------- CLI


def test_cli_diff_writes_reports(repo, tmp_path, capsys):
    out = tmp_path / "diff"
    assert main(["diff", "HEAD~1", "2019", "--repo", str(repo), "--plan", "2019", "--out", str(out)]) == 0
    stdout = capsys.readouterr().out
    lines = stdout.splitlines()
    assert "|" not in stdout and "---" not in stdout  # a plain summary, not the report's Markdown table
    assert max(len(line) for line in lines if str(tmp_path) not in line) <= 80, stdout
    # HEAD~1 -> working tree: a_patrimonio back as at HEAD~1, one unit moved from e) to b)
    assert lines[1] == "2 tabelle su 4 sono cambiate: 1 riga aggiunta, 1 rimossa, 0 modificate.", stdout
    assert "- e) Unità libere: 1 riga rimossa" in lines
    assert "- b) Unità in carenza manutentiva, assegnabili nello stato di fatto: 1 riga aggiunta" in " ".join(
        stdout.split()
    ), stdout  # a long table name wraps: the phrase, not the line
    assert f"  {out / 'diff_HEAD-1_lavoro-2019.html'}" in lines and f"  {out / 'diff_HEAD-1_lavoro-2019.md'}" in lines
    assert (out / "diff_HEAD-1_lavoro-2019.md").is_file()
    assert (out / "diff_HEAD-1_lavoro-2019.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_cli_diff_plan_from_config(repo, tmp_path, capsys):
    (repo / "config.yaml").write_text("plans: ['2019']\n")
    assert main(["diff", "HEAD", "HEAD~1", "--repo", str(repo), "--out", str(tmp_path / "d")]) == 0
    out = capsys.readouterr().out
    assert "1 tabella su" in out and "è cambiata: 0 righe aggiunte, 0 rimosse, 1 modificata." in out, out
    assert "- a) Consistenza del patrimonio: 1 riga modificata" in out.splitlines()


def test_cli_diff_unknown_ref_is_one_line_exit_2(repo, tmp_path, capsys):
    assert main(["diff", "HEAD", "v9.9", "--repo", str(repo), "--plan", "2019", "--out", str(tmp_path / "d")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "«v9.9»" in err and "Traceback" not in err
