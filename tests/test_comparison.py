"""The comparison with the previous plan: where its tables are found, the confronto_* tables, the wording.

Fast: small frames written here and the reference plan's committed processed tables as the previous plan.
The next-year plan built end to end is in test_previous_plan.py.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from pianoabitativo import catalogue
from pianoabitativo.archive.members import tar_gz_bytes
from pianoabitativo.archive.rebuild import archived_plans, is_output
from pianoabitativo.core.errors import DataError
from pianoabitativo.core.tableio import read_processed
from pianoabitativo.fragments import comparison as comparison_fragments
from pianoabitativo.fragments.wording import change_words
from pianoabitativo.tables import comparison as comparison_tables
from pianoabitativo.tables.previous import (
    FIRST_PLAN,
    IN_ARCHIVE,
    IN_TREE,
    NOT_FOUND,
    PreviousSources,
    check_previous_plan,
    locate_previous,
    previous_plan_problems,
    read_previous,
)

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "data/processed/cremasco_2019"
FACTS_2020 = {"year": 2020, "ambito": {"name": "Ambito Distrettuale Cremasco"}, "previous_plan": "cremasco_2019"}
QMD = (ROOT / "report/piano_cremasco_2019.qmd").read_text(encoding="utf-8")


def reference(name: str) -> pd.DataFrame:
    return read_processed(REFERENCE / f"{name}.csv")


# --- the previous plan's owners, units and key figures against this plan's -----------------------------


def test_an_owner_of_only_one_of_the_two_years_is_compared_with_zero_and_flagged():
    foreseen = pd.DataFrame(
        {"ente_proprietario": ["ALER", "ALER", "Comune di A"], "comune": ["", "A", "A"], "unita": [4, 6, 2]}
    )
    assigned = pd.DataFrame(
        {"ente_proprietario": ["Comune di A", "Comune di B"], "alloggi_assegnati": [3, 1], "in_deroga": [0, 0]}
    )
    owners = comparison_tables.owners_comparison(foreseen, assigned)
    assert owners.to_dict("records") == [
        {
            "ente_proprietario": "ALER",
            "previste": 10,
            "assegnate": 0,
            "differenza": -10,
            "nel_piano_precedente": True,
            "tra_le_assegnate": False,
        },
        {
            "ente_proprietario": "Comune di A",
            "previste": 2,
            "assegnate": 3,
            "differenza": 1,
            "nel_piano_precedente": True,
            "tra_le_assegnate": True,
        },
        {
            "ente_proprietario": "Comune di B",
            "previste": 0,
            "assegnate": 1,
            "differenza": 1,
            "nel_piano_precedente": False,
            "tra_le_assegnate": True,
        },
    ]
    text = comparison_fragments.owners_fragment(owners, 2019, 2019)
    assert "| ALER | 10 | – | 10 in meno |" in text and "| Comune di B | – | 1 | 1 in più |" in text
    assert "| **Totale** | **12** | **4** | **8 in meno** |" in text
    assert (
        "Il trattino indica un dato assente: un ente proprietario non figura tra quelli con unità assegnabili "
        "nel piano 2019 e un ente proprietario non figura tra quelli che hanno comunicato assegnazioni per il "
        "2019."
    ) in text
    assert comparison_fragments.promised_sentence(owners, 2019, 2019) == (
        "Il piano 2019 prevedeva 12 unità assegnabili, di 2 enti proprietari; nel 2019 ne sono state assegnate 4, "
        "di cui 3 da un ente proprietario che ne aveva previste e 1 da un ente proprietario che non ne aveva previste "
        "(@tbl-confronto-enti, @fig-confronto).\n"
    )
    assert comparison_fragments.owners_outcome_sentence(owners) == (
        "Tra gli enti proprietari che ne prevedevano, uno ne ha assegnate più del previsto e uno ne ha assegnate "
        "meno del previsto.\n"
    )


def test_the_promise_sentence_agrees_for_zero_one_and_many():
    def owners(foreseen, assigned):
        frame = pd.DataFrame({"ente_proprietario": ["A"], "previste": [foreseen], "assegnate": [assigned]})
        return frame.assign(differenza=frame["assegnate"] - frame["previste"])

    assert comparison_fragments.promised_sentence(owners(1, 0), 2019, 2019) == (
        "Il piano 2019 prevedeva 1 unità assegnabile, di un ente proprietario; nel 2019 non ne è stata assegnata "
        "nessuna.\n"
    )
    assert comparison_fragments.promised_sentence(owners(0, 1), 2019, 2019).startswith(
        "Il piano 2019 non prevedeva unità assegnabili; nel 2019 ne è stata assegnata una ("
    )
    assert comparison_fragments.promised_sentence(owners(3, 1), 2019, 2019).startswith(
        "Il piano 2019 prevedeva 3 unità assegnabili, di un ente proprietario; nel 2019 ne è stata assegnata una, "
        "da un ente proprietario che ne aveva previste ("
    )
    assert comparison_fragments.owners_outcome_sentence(owners(3, 3)) == (
        "L'unico ente proprietario che ne prevedeva ne ha assegnate quante previste.\n"
    )
    assert change_words(7) == "7 in più" and change_words(-1200) == "1.200 in meno" and change_words(0) == "invariato"


def test_units_are_matched_by_code_in_any_category():
    def units(codes):
        return pd.DataFrame({"ente_proprietario": "A", "codice_unita": codes, "comune": "A"})

    empty = units([])
    before = {c.table: empty for c in catalogue.LISTED_CATEGORIES}
    before.update(b_carenza_manutentiva=units(["1", "2", "3"]), e_libere=units(["4"]))
    after = {c.table: empty for c in catalogue.LISTED_CATEGORIES}
    after.update(b_carenza_manutentiva=units(["1"]), c_ristrutturazione=units(["2", "9"]))  # 2 moved from b to c
    table = comparison_tables.units_comparison(before, after).set_index("categoria")
    assert table.loc["b"].tolist() == [3, 1, 2, 1, 0]  # listed before, now, again, no longer, new
    assert table.loc["c"].tolist() == [0, 2, 0, 0, 1]
    assert table.loc["e_libera"].tolist() == [1, 0, 0, 1, 0]
    assert comparison_fragments.units_sentence(table.reset_index(), 2019, 2020).startswith(
        "Delle 4 unità elencate nelle lettere da b a f del piano 2019, 2 sono elencate anche in questo piano e 2 non "
        "lo sono più; nel piano 2020 c'è una sola unità nuova ("
    )


def test_key_figures_side_by_side_with_the_reference_as_previous_plan():
    previous = reference("cifre_chiave")
    current = previous.copy()
    current.loc[current["chiave"] == "n_g_assegnabili", "valore"] = "47"
    table = comparison_tables.key_figures_comparison(previous, current, 2019, 2020).set_index("chiave")
    assert table.loc["anno"].tolist() == [2019, 2020, 1]
    assert table.loc["patrimonio_totale_unita"].tolist() == [1703, 1703, 0]  # 1.703: the reference's rows
    assert table.loc["n_g_assegnabili"].tolist() == [50, 47, -3]
    assert table.loc["n_e_turnover"].tolist() == [11, 11, 0]
    assert list(table.index[1:]) == [f.key for f in catalogue.COMPARED_FIGURES]
    sentence = comparison_fragments.key_figures_sentence(table.reset_index())
    assert sentence == (
        "Rispetto al piano 2019, il patrimonio abitativo resta di 1.703 unità; le unità assegnabili "
        "nell'anno (lettera g) passano da 50 a 47 (3 in meno) e quelle assegnate nell'anno precedente "
        "(lettera k) restano 28 (@tbl-confronto-cifre).\n"
    )
    with pytest.raises(DataError) as missing:
        comparison_tables.key_figures_comparison(previous[previous["chiave"] != "n_k_assegnate"], current, 2019, 2020)
    assert "cifra chiave «n_k_assegnate» mancante" in " ".join(str(missing.value).split())


# --- the section's heading, numbered as the .qmd numbers its sections ---------------------------------


def test_the_section_is_numbered_after_the_last_section_before_it_in_the_qmd():
    heading = comparison_fragments.section_heading
    assert heading(QMD) == "## 3. Confronto con il piano precedente"  # part II: 1., 2., then this one
    one_more = QMD.replace("## 2. I servizi abitativi\n", "## 2. Le politiche abitative\n\n## 3. I servizi abitativi\n")
    assert one_more != QMD
    assert heading(one_more) == "## 4. Confronto con il piano precedente"
    # a part numbers its sections from 1: those of another part, or after the include, do not count
    other_parts = "# I. Premessa\n## 1. X\n# II. Contenuti\n{{< include gen/sezione_confronto.md >}}\n## 1. Y\n"
    assert heading(other_parts) == "## Confronto con il piano precedente"


# --- a first plan, a previous plan not found ------------------------------------------------------------


def test_a_first_plan_says_so_in_one_sentence_and_nothing_in_the_appendix():
    sources = comparison_tables.sources_table(PreviousSources(None, FIRST_PLAN), None)
    assert sources.empty
    section = comparison_fragments.comparison_section(
        comparison_tables.empty_table("confronto_cifre_chiave"),
        comparison_tables.empty_table("confronto_enti"),
        comparison_tables.empty_table("confronto_unita"),
        sources,
        2019,
        QMD,
    )
    assert section == (
        "Il piano 2019 non indica un piano annuale precedente: non contiene quindi il confronto con il "
        "piano precedente.\n"
    )
    assert comparison_fragments.sources_paragraph(sources, "x.csv") == ""
    assert (REFERENCE / "confronto_fonte.csv").read_text() == "piano_precedente,percorso,esito,sha256\n"


def test_a_previous_plan_not_found_is_one_sentence_and_the_appendix_names_where_it_was_looked_for():
    sources = comparison_tables.sources_table(
        PreviousSources(
            "cremasco_2019",
            NOT_FOUND,
            looked_for=("data/processed/cremasco_2019/", "archive/piano_cremasco_2019.tar.gz"),
        ),
        None,
    )
    section = comparison_fragments.comparison_section(
        comparison_tables.empty_table("confronto_cifre_chiave"),
        comparison_tables.empty_table("confronto_enti"),
        comparison_tables.empty_table("confronto_unita"),
        sources,
        2020,
        QMD,
    )
    assert section.count(".") == 1 and "«cremasco_2019», ma le sue tabelle non sono state trovate" in section
    assert comparison_fragments.sources_paragraph(sources, "x.csv") == (
        "Per il confronto con il piano precedente sono state cercate le tabelle elaborate del piano «cremasco_2019» "
        "in `data/processed/cremasco_2019/` e `archive/piano_cremasco_2019.tar.gz`: non sono state trovate.\n"
    )


# --- where the previous plan's tables are found, and which previous plans are refused -------------------


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plans").mkdir()
    return tmp_path


def install_reference(project: Path) -> None:
    folder = project / "data/processed/cremasco_2019"
    folder.mkdir(parents=True)
    for name in (*catalogue.PREVIOUS_PLAN_TABLES, "datapackage"):
        suffix = ".json" if name == "datapackage" else ".csv"
        (folder / f"{name}{suffix}").write_bytes((REFERENCE / f"{name}{suffix}").read_bytes())
    (project / "plans/cremasco_2019.yaml").write_bytes((ROOT / "plans/cremasco_2019.yaml").read_bytes())


def test_previous_tables_are_looked_for_in_the_tree_then_in_the_archive(project):
    assert locate_previous({"previous_plan": None}, "x").kind == FIRST_PLAN
    missing = locate_previous(FACTS_2020, "cremasco_2020")
    assert (missing.kind, missing.files) == (NOT_FOUND, {})
    assert missing.looked_for == ("data/processed/cremasco_2019/", "archive/piano_cremasco_2019.tar.gz")
    assert locate_previous(FACTS_2020, "cremasco_2020", frozenset({"cremasco_2019"})).kind == IN_TREE  # built now
    install_reference(project)
    found = locate_previous(FACTS_2020, "cremasco_2020")
    assert (
        found.kind == IN_TREE
        and found.files["previous_g_assegnabili"] == "data/processed/cremasco_2019/g_assegnabili.csv"
    )
    previous = read_previous(found, found.files)
    assert (previous.year, previous.ambito) == (2019, "Ambito Distrettuale Cremasco")
    assert int(previous.tables["g_assegnabili"]["unita"].sum()) == 50
    assert previous.read[0] == (
        "data/processed/cremasco_2019/cifre_chiave.csv",
        hashlib.sha256((REFERENCE / "cifre_chiave.csv").read_bytes()).hexdigest(),
    )
    # the same tables inside the previous plan's archive
    members = {p.relative_to(project).as_posix(): p.read_bytes() for p in project.rglob("*") if p.is_file()}
    (project / "archive").mkdir()
    (project / "archive/piano_cremasco_2019.tar.gz").write_bytes(tar_gz_bytes(members, 0))
    for path in (project / "data/processed/cremasco_2019").iterdir():
        path.unlink()
    (project / "plans/cremasco_2019.yaml").unlink()
    archived = locate_previous(FACTS_2020, "cremasco_2020")
    assert archived.kind == IN_ARCHIVE and archived.files == {"previous_archive": "archive/piano_cremasco_2019.tar.gz"}
    from_archive = read_previous(archived, archived.files)
    assert from_archive.tables["g_assegnabili"].equals(previous.tables["g_assegnabili"])
    assert from_archive.read[0][0] == "archive/piano_cremasco_2019.tar.gz" and len(from_archive.read) == 1
    paragraph = comparison_fragments.sources_paragraph(
        comparison_tables.sources_table(archived, from_archive), "data/processed/cremasco_2020/c.csv"
    )
    assert "lette dall'archivio `archive/piano_cremasco_2019.tar.gz`" in paragraph


def test_a_previous_plan_of_another_ambito_or_year_or_itself_is_refused(project):
    install_reference(project)
    other = {"year": 2020, "ambito": {"name": "Ambito Distrettuale Tormense"}, "previous_plan": "cremasco_2019"}
    with pytest.raises(DataError) as refused:
        check_previous_plan("tormense_2020", other)
    assert refused.value.problems[0].describe() == (
        "plans/tormense_2020.yaml: chiave «piano_precedente»: il piano precedente «cremasco_2019» è di un altro ambito "
        "e non si può confrontare con questo; atteso: un piano dell'Ambito Distrettuale Tormense; trovato: «Ambito "
        "Distrettuale Cremasco»"
    )
    problems = previous_plan_problems(
        "cremasco_2018", {**FACTS_2020, "year": 2018}, "cremasco_2019", 2019, "Ambito Distrettuale Cremasco"
    )
    assert [(p.message, p.expected) for p in problems] == [
        ("chiave «piano_precedente»: il piano «cremasco_2019» non è dell'anno prima", "un piano del 2017")
    ]
    assert previous_plan_problems(
        "cremasco_2021", {**FACTS_2020, "year": 2021}, "cremasco_2019", 2019, "Ambito Distrettuale Cremasco"
    )  # two years apart: g and k of different years
    with pytest.raises(DataError) as itself:
        locate_previous({"previous_plan": "cremasco_2020"}, "cremasco_2020")
    assert "il piano indica se stesso come piano precedente" in itself.value.problems[0].message
    check_previous_plan("cremasco_2020", FACTS_2020)  # the same ambito, the year before: accepted
    # without its facts, the datapackage.json's keywords name the ambito and the year: checked against each other
    (project / "plans/cremasco_2019.yaml").unlink()
    package = project / "data/processed/cremasco_2019/datapackage.json"
    described = json.loads(package.read_text(encoding="utf-8"))
    described["keywords"][-2] = "Ambito Distrettuale Tormense"
    package.write_text(json.dumps(described), encoding="utf-8")
    found = locate_previous(FACTS_2020, "cremasco_2020")
    assert read_previous(found, found.files).ambito == "Ambito Distrettuale Tormense"


def test_the_rebuild_keeps_another_plans_tables_as_inputs():
    config = {"config.yaml": b"plans: [cremasco_2020]\n"}
    plans = archived_plans(config)
    prefixes = ("data/processed/", "report/gen/", "output/")
    assert plans == ["cremasco_2020"]
    assert is_output("data/processed/cremasco_2020/confronto_enti.csv", prefixes, plans)
    assert not is_output("data/processed/cremasco_2019/g_assegnabili.csv", prefixes, plans)
    assert is_output("output/piano_cremasco_2020.pdf", prefixes, plans)
    assert not is_output("archive/piano_cremasco_2019.tar.gz", prefixes, plans)
