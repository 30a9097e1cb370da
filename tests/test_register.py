"""The data register in Italian: its columns and reliability values, the English registers written before
(read as they are, converted by the register command), and «Fonti dei dati» said from it for any ambito."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import yaml

from pianoabitativo.core.config import load_plan
from pianoabitativo.fragments.sources import sources_fragment
from pianoabitativo.inputs import register

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw" / "cremasco_2019"
TORMENSE = ROOT / "tests" / "fixtures" / "tormense_2019"
ENGLISH = ["file", "description", "source", "reference_date", "how_obtained", "certainty", "licence", "sha256"]


def english_register(rows: list[dict]) -> str:
    """The register as it was written before: English headers, English reliability values."""
    values = {"certo": "CONFIRMED", "come pubblicato": "as printed", "non verificato": "NOT VERIFIED"}
    lines = [",".join(ENGLISH)]
    for row in rows:
        certainty = values.get(row["certainty"], "list and codes CONFIRMED; sub_ambito INFERRED")
        cells = [row[k] if k != "certainty" else certainty + ": " + row["file"] for k in ENGLISH]
        lines.append(",".join(f'"{c}"' for c in cells))
    return "\n".join(lines) + "\n"


def test_the_reference_register_is_in_italian():
    with (RAW / "register.csv").open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header == [
        "file",
        "descrizione",
        "fonte",
        "fonte_breve",
        "data_riferimento",
        "come_ottenuto",
        "affidabilita",
        "note",
        "licenza",
        "sha256",
    ]
    rows = register.read_register(RAW / "register.csv")
    assert {r["certainty"] for r in rows} == {
        "certo",
        "certo; sub_ambito: ricostruito",
        "come pubblicato",
        "non verificato",
    }
    assert register.register_problems(RAW) == []


def test_reliability_values_and_the_aliases_of_older_registers():
    assert register.parse_certainty("certo") == register.Certainty("certo")
    assert register.parse_certainty("certo; sub_ambito: ricostruito") == register.Certainty(
        "certo", {"sub_ambito": "ricostruito"}
    )
    assert register.parse_certainty("Non verificato") == register.Certainty("non verificato")
    assert register.parse_certainty("CONFIRMED: ISTAT's own list") == register.Certainty(
        "certo", note="ISTAT's own list"
    )
    assert register.parse_certainty("as printed; ALER's 4 units") == register.Certainty(
        "come pubblicato", note="ALER's 4 units"
    )
    assert register.parse_certainty("dati inventati per i test") == register.Certainty("inventato")
    assert register.parse_certainty("certissimo") is None
    assert register.parse_certainty("list and codes CONFIRMED") is None
    assert register.reference_day("25/06/2019") == register.reference_day("2019-06-25") is not None
    assert register.reference_day("giugno 2019") is None


def test_an_english_register_reads_as_the_italian_one_and_one_command_converts_it(tmp_path):
    raw = tmp_path / "cremasco_2019"
    shutil.copytree(RAW, raw)
    italian = register.read_register(raw / "register.csv")
    (raw / "register.csv").write_text(english_register(italian), encoding="utf-8")
    old = register.read_register(raw / "register.csv")
    assert [r["source"] for r in old] == [r["source"] for r in italian]
    problems = [p.describe() for p in register.register_problems(raw)]
    assert problems == [
        f"{(raw / 'register.csv').as_posix()}, riga 2, colonna «certainty»: affidabilità non "
        f"riconosciuta; atteso: {register.header_meaning('certainty')}; trovato: «list and codes "
        "CONFIRMED; sub_ambito INF…»"
    ]
    assert register.main([str(raw)]) == 1  # converted, but the first row's reliability is still to be written
    converted = register.read_register(raw / "register.csv")
    assert (raw / "register.csv").read_text(encoding="utf-8").startswith("file,descrizione,fonte,fonte_breve,")
    assert converted[1]["certainty"] == "certo"
    assert converted[1]["notes"] == "istat/confini_comuni_cremasco_2023.geojson"
    assert converted[4]["certainty"] == "come pubblicato"
    assert [r["sha256"] for r in converted] == [r["sha256"] for r in italian]


def test_register_cells_are_checked_and_named_by_their_header(tmp_path):
    raw = tmp_path / "cremasco_2019"
    shutil.copytree(RAW, raw)
    rows = register.read_register(raw / "register.csv")
    rows[0]["reference_date"] = "gennaio 2018"
    rows[1]["certainty"] = "sicuro"
    rows[2]["source"] = ""
    register.write_register(raw / "register.csv", rows)
    problems = [p.describe() for p in register.register_problems(raw)]
    assert any("riga 2, colonna «data_riferimento»: data di riferimento non valida" in p for p in problems)
    assert any(
        "riga 3, colonna «affidabilita»: affidabilità non riconosciuta" in p and "«certo»" in p for p in problems
    )
    assert any("riga 4, colonna «fonte»: campo obbligatorio vuoto" in p for p in problems)


# --- «Fonti dei dati» --------------------------------------------------------------------------


def test_sources_of_the_reference_plan_come_from_its_register():
    text = sources_fragment(
        register.read_register(RAW / "register.csv"), load_plan("cremasco_2019"), "data/raw/cremasco_2019/register.csv"
    )
    assert "`data/raw/cremasco_2019/register.csv`" in text and "data/raw/2019/" not in text
    assert (
        "- Comuni dell'ambito, sub-ambiti e superfici: dati al 01/01/2018, verificati sulla fonte; per "
        "l'appartenenza ai sub-ambiti il dato è ricostruito, non tratto da una fonte. Fonte: elenco dei comuni: "
        "Accordo di Programma del Piano di Zona e Comunità Sociale Cremasca; codici: ISTAT; superfici: ISTAT, "
        "censimento 2011.\n"
    ) in text
    assert (
        "- Popolazione residente: dati al 01/01/2018, verificati sulla fonte. Fonte: ISTAT, popolazione residente.\n"
    ) in text
    assert (
        "- Densità medie di provincia e regione: dati al 01/01/2018, non verificati su una fonte indipendente."
    ) in text
    assert (
        "- Famiglie per ambito e componenti medi delle famiglie: dati al 31/12/2016, non verificati su una "
        "fonte indipendente."
    ) in text


def test_sources_of_another_ambito_say_only_what_its_register_says():
    facts = yaml.safe_load((TORMENSE / "plan.yaml").read_text(encoding="utf-8"))
    text = sources_fragment(
        register.read_register(TORMENSE / "raw/register.csv"), facts, "data/raw/tormense_2019/register.csv"
    )
    assert "`data/raw/tormense_2019/register.csv`" in text
    for claim in ("sub-ambiti", "censimento 2011", "verificati sulla fonte", "Piattaforma", "cremasco_2019/register"):
        assert claim not in text, claim
    assert "- Comuni dell'ambito e superfici: dati al 01/01/2018, inventati per le prove del programma." in text
    # no «fonte_breve»: the register's «fonte» is cited as it is
    assert (
        "Fonte: dati inventati per i test: somma dei residenti ISTAT al 1/1/2018 di Palazzo Pignano e Torlino "
        "Vimercati."
    ) in text


def test_a_reliability_not_understood_claims_nothing():
    rows = [{"file": "istat/p.csv", "source": "ISTAT", "reference_date": "2018-01-01", "certainty": "boh"}]
    facts = {"inputs": {"popolazione": "istat/p.csv"}}
    assert sources_fragment(rows, facts, "r.csv").endswith(
        "- Popolazione residente: dati al 01/01/2018. Fonte: ISTAT.\n"
    )
