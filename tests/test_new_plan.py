"""A new plan from an existing one (make nuovo-piano): next year's plan and another ambito's, as drafts.

Fast tests run `create_plan` in a copy of the project's plan, raw folder and text; the e2e ones read the
next year's plan built in one `make plan` run with the reference plan and another ambito (conftest.three_plans).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from inputs_support import ROOT, pdf_text
from pianoabitativo.core import plankeys
from pianoabitativo.core.config import load_plan
from pianoabitativo.fragments.draft import divs, has_class
from pianoabitativo.inputs.register import read_register
from pianoabitativo.newplan import create_plan, moved_date, plans_with

SOURCE = "cremasco_2019"


@pytest.fixture()
def started(tmp_path, monkeypatch) -> Path:
    """A copy of what nuovo-piano reads (config, the plan file, its raw folder and text), as the cwd."""
    for name in ("config.yaml", f"plans/{SOURCE}.yaml", f"report/piano_{SOURCE}.qmd"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "data/raw" / SOURCE, tmp_path / "data/raw" / SOURCE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def unconfirmed(plan: str) -> dict[str, dict]:
    return {entry["fact"]: entry for entry in load_plan(plan)["unconfirmed"]}


def ambito_prose(text: str) -> list[str]:
    """The sentences of the ambito's own prose (inside `.testo-ambito` divs) of a .qmd."""
    lines = text.split("\n")
    prose = " ".join(
        line
        for start, end, rest in divs(lines)
        if has_class(rest, "testo-ambito")
        for line in lines[start + 1 : end]
        if not line.startswith(":::")
    )
    prose = re.sub(r"\{\{<.*?>\}\}", " ", prose)
    return [s.strip() for s in re.split(r"(?<=[.;:])\s+", " ".join(prose.split())) if len(s.strip()) > 40]


def test_dates_move_by_the_years_between_the_plans():
    assert moved_date("2019-06-25", 1) == "2020-06-25"
    assert moved_date("2020-02-29", 1) == "2021-02-28"


def test_the_new_plan_is_added_to_the_plans_built():
    assert (
        plans_with("# c\nplans: [cremasco_2019]\n", "cremasco_2020") == "# c\nplans: [cremasco_2019, cremasco_2020]\n"
    )
    assert plans_with("plans: [a, b]\n", "a") == "plans: [a, b]\n"


def test_next_year_proposes_the_plans_own_dates_and_keeps_the_data_reference_dates(started):
    lines = create_plan(SOURCE, "cremasco_2020")
    assert max(len(line) for line in lines) <= 80
    facts, text = load_plan("cremasco_2020"), (started / "plans/cremasco_2020.yaml").read_text(encoding="utf-8")
    assert facts["year"] == 2020 and facts["previous_plan"] == SOURCE and "piano_precedente: cremasco_2019" in text
    assert "year:" not in text and "anno: 2020" in text and "da_verificare:" in text  # the Italian keys
    dates, todo = facts["dates"], unconfirmed("cremasco_2020")
    # proposed, moved by a year, and listed to verify
    assert dates["approval"] == "2020-06-25" and "dates.approval" in todo
    assert dates["regional_notice"] == "2020-04-02" and {"dates.regional_notice", "regional_notice_number"} <= set(todo)
    assert "Comunicato regionale" in todo["regional_notice_number"]["where"]
    assert dates["capofila_confirmation"] == "2020-04-05" and "dates.capofila_confirmation" in todo
    assert {"triennial_plan", "dates.piano_di_zona_approval", "dates.population_reference"} <= set(todo)
    # the households file is copied unchanged: its reference date stays, confirmed; so does a past event's
    assert dates["households_reference"] == "2016-12-31" and "dates.households_reference" not in todo
    assert dates["capofila_designation"] == "2018-04-05" and "dates.capofila_designation" not in todo
    assert dates["piano_di_zona_approval"] == "2018-06-30"  # kept (the Piano di Zona may still be in force), to verify
    assert facts["ambito"] == load_plan(SOURCE)["ambito"] and facts["comune_aliases"] == {"Vaiano": "Vaiano Cremasco"}


def test_next_year_copies_the_reference_inputs_with_their_provenance_and_awaits_the_exports(started):
    create_plan(SOURCE, "cremasco_2020")
    old, new = started / "data/raw" / SOURCE, started / "data/raw/cremasco_2020"
    rows = {row["file"]: row for row in read_register(new / "register.csv")}
    before = {row["file"]: row for row in read_register(old / "register.csv")}
    assert rows.keys() == before.keys()
    for name, row in rows.items():
        if name.startswith("piattaforma/"):  # awaited: listed, without date, provenance or checksum
            assert not (new / name).exists()
            assert row["reference_date"] == row["sha256"] == row["how_obtained"] == ""
            assert row["source"] == row["short_source"] == ""  # last year's named last year's export
        else:  # copied unchanged, with its own provenance and reference date
            assert (new / name).read_bytes() == (old / name).read_bytes()
            assert row == before[name]
    assert rows["riferimenti/famiglie_ambiti_provincia_2016.csv"]["reference_date"] == "2016-12-31"
    assert rows["istat/elenco_comuni_provCR.csv"]["reference_date"] == "2024-01-01"
    assert (new / "ambito/PROVENANCE.md").is_file()


def test_next_year_marks_the_ambitos_own_prose_to_verify(started):
    create_plan(SOURCE, "cremasco_2020")
    text = (started / "report/piano_cremasco_2020.qmd").read_text(encoding="utf-8")
    lines = text.split("\n")
    marked = [(s, e) for s, e, rest in divs(lines) if has_class(rest, "da-verificare")]
    own = [(s, e) for s, e, rest in divs(lines) if has_class(rest, "testo-ambito")]
    assert len(marked) == len(own) == 3
    assert all(o[0] < m[0] and m[1] < o[1] for o, m in zip(own, marked))  # each passage marked inside its div
    assert "testo ripreso dal piano cremasco_2019" in text and "{{< include gen/da_verificare.md >}}" in text
    assert ambito_prose(text) == ambito_prose((ROOT / f"report/piano_{SOURCE}.qmd").read_text(encoding="utf-8"))


def test_another_ambito_carries_no_fact_of_the_source_ambito(started):
    lines = create_plan(SOURCE, "tormense_2019")
    assert max(len(line) for line in lines) <= 80 and "di un altro ambito" in lines[0]
    text = (started / "plans/tormense_2019.yaml").read_text(encoding="utf-8")
    facts, todo = load_plan("tormense_2019"), unconfirmed("tormense_2019")
    for value in (
        "Cremasco",
        "cremasco",
        "Crema",
        "Vaiano",
        "Bagnolo",
        "2019-06-25",
        "2018-04-05",
        "2018-06-30",
        "Openpolis",
    ):
        assert value not in text, value
    assert "piano_precedente" not in text and "previous_plan" not in facts
    assert facts["ambito"]["name"] == facts["ambito"]["capofila"] == "" and facts["ambito"]["sub_ambiti"] == []
    assert facts["dates"]["approval"] is None and facts["comune_aliases"] == {}
    assert {
        "ambito.name",
        "ambito.capofila",
        "ambito.sub_ambiti",
        "comune_aliases",
        "boundaries.file",
        "boundaries.attribution",
        "inputs.comuni_ambito",
        "dates.approval",
        "dates.capofila_designation",
        "dates.piano_di_zona_approval",
        "triennial_plan",
    } <= set(todo)
    assert facts["inputs"]["comuni_ambito"] == "ambito/comuni_ambito_tormense.csv"  # renamed for the new ambito
    # generic facts stay: the region, the capofila's role, the regional notice of the same year
    assert facts["ambito"]["region"] == "Regione Lombardia" and facts["regional_notice_number"] == 45
    rows = read_register(started / "data/raw/tormense_2019/register.csv")
    assert all(row["sha256"] == row["source"] == row["reference_date"] == "" for row in rows)
    assert "ambito/comuni_ambito_tormense.csv" in {row["file"] for row in rows}
    assert not [p for p in (started / "data/raw/tormense_2019").rglob("*") if p.is_file() and p.name != "register.csv"]


def test_another_ambito_replaces_the_source_ambitos_prose_with_placeholders(started):
    create_plan(SOURCE, "tormense_2019")
    source = (ROOT / f"report/piano_{SOURCE}.qmd").read_text(encoding="utf-8")
    text = (started / "report/piano_tormense_2019.qmd").read_text(encoding="utf-8")
    sentences = ambito_prose(source)
    assert len(sentences) > 20
    plain = " ".join(re.sub(r"\{\{<.*?>\}\}", " ", text).split())
    assert [s for s in sentences if s in " ".join(re.sub(r"\{\{<.*?>\}\}", " ", source).split())] == sentences
    assert not [s for s in sentences if s in plain]
    assert text.count("«Testo da scrivere: ") == 3 and 'motivo="testo da scrivere per il nuovo ambito"' in text
    for generic in (
        "Regione Lombardia gestisce il sistema dei servizi abitativi pubblici",
        "Il Piano triennale collega le politiche abitative",
    ):
        assert generic in text


def test_nothing_is_overwritten(started):
    create_plan(SOURCE, "cremasco_2020")
    before = {p: p.read_bytes() for p in Path(".").rglob("*") if p.is_file() and ".git" not in p.parts}
    with pytest.raises(SystemExit, match="esiste già"):
        create_plan(SOURCE, "cremasco_2020")
    assert {p: p.read_bytes() for p in Path(".").rglob("*") if p.is_file() and ".git" not in p.parts} == before


def test_the_plan_file_keys_have_one_italian_name_each():
    schema = plankeys.plan_schema()["properties"]
    names = [prop.get("x-italiano") for prop in schema.values()]
    assert None not in names and len(set(names)) == len(names)
    assert plankeys.italian_path("previous_plan") == "piano_precedente"
    assert plankeys.italian_path("unconfirmed") == "da_verificare"
    assert plankeys.internal_path("date.approvazione") == "dates.approval"


@pytest.fixture(scope="module")
def next_year(three_plans) -> Path:
    """A copy of the project where the 2020 plan was started with make nuovo-piano, filled and built
    (in one `make plan` run with the reference plan and another ambito: conftest.three_plans)."""
    return three_plans


def figures(project: Path, plan: str) -> dict[str, str]:
    lines = (project / "data" / "processed" / plan / "cifre_chiave.csv").read_text(encoding="utf-8").splitlines()
    return dict(line.split(",", 1) for line in lines[1:])


@pytest.mark.e2e
def test_next_year_has_its_own_figures(next_year):
    fig = figures(next_year, "cremasco_2020")
    assert fig["popolazione"] == "161144"  # ISTAT residents at 1 January 2019 (pop_res_19)
    assert (fig["n_d_nuova_edificazione"], fig["n_f_conferite_privati"], fig["n_e_libere"]) == ("2", "1", "12")
    assert (fig["n_g_assegnabili"], fig["n_k_assegnate"], fig["n_k_in_deroga"]) == ("47", "24", "1")


@pytest.mark.e2e
def test_both_plans_build_in_one_run_and_the_reference_is_unchanged(next_year):
    for plan in ("cremasco_2019", "cremasco_2020"):
        for fmt in ("pdf", "html", "docx"):
            assert (next_year / "output" / f"piano_{plan}.{fmt}").stat().st_size > 10_000
    committed = {p.name: p.read_bytes() for p in (ROOT / "data/processed/cremasco_2019").glob("*.csv")}
    rebuilt = {p.name: p.read_bytes() for p in (next_year / "data/processed/cremasco_2019").glob("*.csv")}
    assert rebuilt == committed


@pytest.mark.e2e
def test_next_years_draft_states_no_guessed_fact(next_year):
    text = pdf_text(next_year / "output" / "piano_cremasco_2020.pdf")
    assert "anno 2020" in text and "Proposta di piano, non ancora approvata dall'Assemblea dei Sindaci" in text.replace(
        "\u2019", "'"
    )
    assert "Nel 2019 un alloggio è stato assegnato in deroga" in text
    assert "162.323" not in text and "25 giugno 2019" not in text and "anno 2019" not in text
    # every guessed fact is printed marked, never plain
    assert "Documento approvato" not in text
    for guessed in ("2 aprile 2020", "5 aprile 2020", "31 dicembre 2020", "2018-2020", "30 giugno 2018"):
        assert f"[da verificare: {guessed}]" in text, guessed
        assert text.count(guessed) == text.count(f"[da verificare: {guessed}]") + text.count(
            f"valore proposto: {guessed}"
        ), guessed
    assert "un anno di transizione" not in text and "[da verificare: se per il 2020 sia in vigore" in text
    # the households data are those of 31/12/2016, copied unchanged: never said to be of 2017
    assert "31/12/2016" in text and "31/12/2017" not in text
    old = pdf_text(next_year / "output" / "piano_cremasco_2019.pdf")
    assert "161.144" not in old and "162.323" in old
