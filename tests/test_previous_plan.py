"""Year over year, end to end: next year's plan (tests/fixtures/cremasco_2020) against the reference plan.

The expected figures are computed here by hand, with the csv module, from the fixture's CSVs and the
reference plan's committed processed tables (data/processed/cremasco_2019/), not by the package.
A second copy of the project builds cremasco_2020 alone: the previous plan's tables missing, then found in
the tree, then changed, then read from an archive; the archive of the 2020 plan records and rebuilds them;
a previous plan of another ambito is refused.
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from inputs_support import (
    CHILD_ENV,
    ROOT,
    confirm_everything,
    copy_project_for_make,
    make,
    replace_text,
    run_snakemake,
    start_next_year,
)
from inputs_support import pdf_text as pdf_words

pytestmark = pytest.mark.e2e

FIXTURE = ROOT / "tests/fixtures/cremasco_2020/piattaforma"
REFERENCE = ROOT / "data/processed/cremasco_2019"
LISTED = ("b_carenza_manutentiva", "c_ristrutturazione", "d_nuova_edificazione", "e_libere", "f_conferite_privati")


def pdf_text(path: Path) -> str:
    """The PDF's text with Typst's typographic apostrophes as typed."""
    return pdf_words(path).replace("’", "'")


def rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")), delimiter=delimiter))


def table(project: Path, name: str, plan: str = "cremasco_2020") -> list[dict[str, str]]:
    return rows(project / "data/processed" / plan / f"{name}.csv")


# --- by hand, from the fixture and the reference --------------------------------------------------------


def foreseen_2019() -> dict[str, int]:
    """The reference plan's g per owner (data/processed/cremasco_2019/g_assegnabili.csv)."""
    by_owner: dict[str, int] = {}
    for row in rows(REFERENCE / "g_assegnabili.csv"):
        by_owner[row["ente_proprietario"]] = by_owner.get(row["ente_proprietario"], 0) + int(row["unita"])
    return by_owner


def assigned_in_2019() -> dict[str, int]:
    """The fixture's k (assegnazioni_anno_precedente.csv, as the platform exports it, with its Totale row)."""
    return {
        r["Ragione Sociale Ente Proprietario"]: int(r["N. alloggi SAP assegnati"])
        for r in rows(FIXTURE / "assegnazioni_anno_precedente.csv", ";")
        if r["Ragione Sociale Ente Proprietario"] != "Totale"
    }


def codes_2019() -> dict[str, set[str]]:
    return {name: {r["codice_unita"] for r in rows(REFERENCE / f"{name}.csv")} for name in LISTED}


def codes_2020() -> dict[str, set[str]]:
    letters = {
        "b": "b_carenza_manutentiva",
        "c": "c_ristrutturazione",
        "d": "d_nuova_edificazione",
        "e": "e_libere",
        "f": "f_conferite_privati",
    }
    codes: dict[str, set[str]] = {name: set() for name in LISTED}
    for r in rows(FIXTURE / "unita_abitative.csv", ";"):
        codes[letters[r["Categoria"]]].add(r["Codice I.D. unità immobiliare"])
    return codes


def test_the_hand_computed_figures_are_what_the_fixture_says():
    foreseen, assigned = foreseen_2019(), assigned_in_2019()
    assert sum(foreseen.values()) == 50 and foreseen["ALER Brescia-Cremona-Mantova"] == 29 and len(foreseen) == 11
    assert sum(assigned.values()) == 24 and assigned["Comune di Crema"] == 18 and set(assigned) <= set(foreseen)
    before, now = codes_2019(), codes_2020()
    every_before, every_now = set().union(*before.values()), set().union(*now.values())
    assert (len(every_before), len(every_now), len(every_before & every_now)) == (39, 36, 33)


# --- next year, built with the reference in one run (conftest.three_plans) ------------------------------


def test_next_year_compares_its_owners_with_the_promises_of_the_reference(three_plans):
    foreseen, assigned = foreseen_2019(), assigned_in_2019()
    owners = {r["ente_proprietario"]: r for r in table(three_plans, "confronto_enti")}
    assert set(owners) == set(foreseen) | set(assigned)
    for owner, row in owners.items():
        expected = (foreseen.get(owner, 0), assigned.get(owner, 0))
        assert (int(row["previste"]), int(row["assegnate"])) == expected, owner
        assert int(row["differenza"]) == expected[1] - expected[0]
        assert row["tra_le_assegnate"] == str(owner in assigned)
    aler = owners["ALER Brescia-Cremona-Mantova"]  # foreseen 29 in 2019, none assigned: present in one year only
    assert (aler["previste"], aler["assegnate"], aler["nel_piano_precedente"], aler["tra_le_assegnate"]) == (
        "29",
        "0",
        "True",
        "False",
    )


def test_next_year_counts_the_units_listed_again_and_the_new_ones(three_plans):
    before, now = codes_2019(), codes_2020()
    every_before, every_now = set().union(*before.values()), set().union(*now.values())
    got = {r["categoria"]: r for r in table(three_plans, "confronto_unita")}
    for code, name in zip(("b", "c", "d", "e_libera", "f"), LISTED):
        expected = [
            len(before[name]),
            len(now[name]),
            len(before[name] & every_now),
            len(before[name] - every_now),
            len(now[name] - every_before),
        ]
        assert [
            int(got[code][c])
            for c in ("piano_precedente", "piano_corrente", "ancora_elencate", "non_piu_elencate", "nuove")
        ] == expected, code
    assert [int(got["e_libera"][c]) for c in ("piano_precedente", "non_piu_elencate")] == [18, 6]


def test_next_year_sets_the_key_figures_side_by_side(three_plans):
    figures = {
        r["chiave"]: (int(r["precedente"]), int(r["corrente"]), int(r["differenza"]))
        for r in table(three_plans, "confronto_cifre_chiave")
    }
    reference = {r["chiave"]: r["valore"] for r in rows(REFERENCE / "cifre_chiave.csv")}
    assert figures["anno"] == (2019, 2020, 1)
    for key, (before, _, _) in figures.items():
        if key != "anno":
            assert before == int(reference[key]), key
    assert figures["n_g_assegnabili"] == (50, 47, -3)
    assert figures["n_k_assegnate"] == (28, 24, -4)
    assert figures["patrimonio_totale_unita"] == (1703, 1703, 0)  # the same stock export in both years
    assert (figures["n_e_libere"], figures["n_d_nuova_edificazione"], figures["n_f_conferite_privati"]) == (
        (18, 12, -6),
        (0, 2, 2),
        (0, 1, 1),
    )
    sources = table(three_plans, "confronto_fonte")
    assert {r["percorso"]: r["sha256"] for r in sources}[
        "data/processed/cremasco_2019/g_assegnabili.csv"
    ] == hashlib.sha256((REFERENCE / "g_assegnabili.csv").read_bytes()).hexdigest()


def test_next_years_documents_carry_the_section(three_plans):
    text = pdf_text(three_plans / "output/piano_cremasco_2020.pdf")
    assert "Confronto con il piano precedente" in text
    assert (
        "Il piano 2019 prevedeva 50 unità assegnabili, di 11 enti proprietari; nel 2019 ne sono state "
        "assegnate 24, tutte da enti proprietari che ne avevano previste"
    ) in text
    assert (
        "Rispetto al piano 2019, il patrimonio abitativo resta di 1.703 unità; le unità assegnabili nell'anno "
        "(lettera g) passano da 50 a 47 (3 in meno) e quelle assegnate nell'anno precedente (lettera k) passano "
        "da 28 a 24 (4 in meno)"
    ) in text
    assert (
        "Delle 39 unità elencate nelle lettere da b a f del piano 2019, 33 sono elencate anche in questo piano "
        "e 6 non lo sono più; nel piano 2020 le unità nuove sono 3"
    ) in text
    assert "lette dalla cartella data/processed/cremasco_2019/" in text
    html = (three_plans / "output/piano_cremasco_2020.html").read_text(encoding="utf-8")
    assert "Confronto con il piano precedente" in html and "ALER Brescia-Cremona-Mantova 29 previste e nessuna" in html
    import zipfile

    docx = zipfile.ZipFile(three_plans / "output/piano_cremasco_2020.docx").read("word/document.xml").decode()
    assert "Confronto con il piano precedente" in docx and "Previste dal piano 2019" in docx


def test_the_reference_plan_says_it_has_no_previous_plan(three_plans):
    text = pdf_text(three_plans / "output/piano_cremasco_2019.pdf")
    assert (
        "Il piano 2019 non indica un piano annuale precedente: non contiene quindi il confronto con il piano "
        "precedente."
    ) in text
    assert "Confronto con il piano precedente" not in text


# --- next year alone: previous tables missing, found, changed, archived; another ambito -----------------


@pytest.fixture(scope="module")
def alone(tmp_path_factory) -> Path:
    """cremasco_2020 started from the reference and built alone, without the reference's tables."""
    project = copy_project_for_make(tmp_path_factory.mktemp("anno_dopo") / "progetto")
    start_next_year(project)
    (project / "config.yaml").write_text("plans: [cremasco_2020]\n", encoding="utf-8")
    built = run_snakemake(project)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    return project


def rebuilt(project: Path) -> None:
    done = run_snakemake(project)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def test_a_previous_plan_not_found_says_so_and_where_it_was_looked_for(alone):
    text = pdf_text(alone / "output/piano_cremasco_2020.pdf")
    assert (
        "Il piano 2020 indica come precedente il piano «cremasco_2019», ma le sue tabelle non sono state trovate"
    ) in text
    assert "Confronto con il piano precedente" not in text
    assert (
        "sono state cercate le tabelle elaborate del piano «cremasco_2019» in data/processed/cremasco_2019/ e "
        "archive/piano_cremasco_2019.tar.gz: non sono state trovate"
    ) in text.replace(" :", ":")  # code spans
    assert [r["esito"] for r in table(alone, "confronto_fonte")] == ["non trovato", "non trovato"]


def test_the_previous_tables_found_and_changed_rerun_the_section(alone):
    shutil.copytree(REFERENCE, alone / "data/processed/cremasco_2019")  # found later: the tables job reruns
    rebuilt(alone)
    assert sum(int(r["previste"]) for r in table(alone, "confronto_enti")) == 50
    assert "Il piano 2019 prevedeva 50 unità" in pdf_text(alone / "output/piano_cremasco_2020.pdf")
    # one cell of the previous plan's g changed: ALER's units in Castelleone, 7 -> 9
    replace_text(
        alone / "data/processed/cremasco_2019/g_assegnabili.csv",
        "ALER Brescia-Cremona-Mantova,Castelleone,7",
        "ALER Brescia-Cremona-Mantova,Castelleone,9",
    )
    rebuilt(alone)
    owners = {r["ente_proprietario"]: r for r in table(alone, "confronto_enti")}
    assert owners["ALER Brescia-Cremona-Mantova"]["previste"] == "31"
    assert "Il piano 2019 prevedeva 52 unità" in pdf_text(alone / "output/piano_cremasco_2020.pdf")


@pytest.mark.completo  # make verify's rebuild: tests/test_end_to_end.py verifies the reference plan's archive
def test_next_years_archive_holds_the_previous_tables_it_read_and_verify_rebuilds_the_section(alone):
    """The archive of the 2020 plan (approved: everything confirmed) holds the previous plan's tables it read
    (the changed ones of the test before), and make verify rebuilds the section from them."""
    confirm_everything(alone, "cremasco_2020")
    archived = run_snakemake(alone, "archive/piano_cremasco_2020.tar.gz")
    assert archived.returncode == 0, archived.stdout[-3000:] + archived.stderr[-3000:]
    verified = subprocess.run(
        [sys.executable, "-m", "pianoabitativo.archive", "verify", "archive/piano_cremasco_2020.tar.gz"],
        cwd=alone,
        env=CHILD_ENV,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert verified.returncode == 0, verified.stdout[-3000:] + verified.stderr[-3000:]
    assert "identico  data/processed/cremasco_2020/confronto_enti.csv" in verified.stdout
    assert "data/processed/cremasco_2019/g_assegnabili.csv" not in verified.stdout  # an input, not a result


def test_the_previous_tables_are_read_from_the_previous_plans_archive(alone, tmp_path):
    from pianoabitativo.archive.members import tar_gz_bytes

    folder = alone / "data/processed/cremasco_2019"
    if not folder.is_dir():
        shutil.copytree(REFERENCE, folder)
    members = {f"data/processed/cremasco_2019/{p.name}": p.read_bytes() for p in REFERENCE.iterdir()}
    members["plans/cremasco_2019.yaml"] = (ROOT / "plans/cremasco_2019.yaml").read_bytes()
    (alone / "archive").mkdir(exist_ok=True)
    (alone / "archive/piano_cremasco_2019.tar.gz").write_bytes(tar_gz_bytes(members, 0))
    shutil.move(folder, tmp_path / "moved")  # no longer in the tree: read from the archive
    rebuilt(alone)
    sources = table(alone, "confronto_fonte")
    assert [r["percorso"] for r in sources] == ["archive/piano_cremasco_2019.tar.gz"]
    assert "Il piano 2019 prevedeva 50 unità" in pdf_text(alone / "output/piano_cremasco_2020.pdf")
    assert "lette dall'archivio archive/piano_cremasco_2019.tar.gz" in pdf_text(
        alone / "output/piano_cremasco_2020.pdf"
    )


def test_a_previous_plan_of_another_ambito_is_refused(alone):
    folder = alone / "data/processed/cremasco_2019"  # the previous tables in the tree, not in an archive
    if not folder.is_dir():
        shutil.copytree(REFERENCE, folder)
    (alone / "archive/piano_cremasco_2019.tar.gz").unlink(missing_ok=True)
    document = (alone / "output/piano_cremasco_2020.pdf").read_bytes()
    replace_text(
        alone / "plans/cremasco_2019.yaml", "nome: Ambito Distrettuale Cremasco", "nome: Ambito Distrettuale Tormense"
    )
    refused = make(alone, "plan")  # make plan reads plans/cremasco_2019.yaml before Snakemake
    assert refused.returncode != 0
    assert (
        "plans/cremasco_2020.yaml: chiave «piano_precedente»: il piano precedente «cremasco_2019» è di un altro "
        "ambito e non si può confrontare con questo; atteso: un piano dell'Ambito Distrettuale Cremasco; "
        "trovato: «Ambito Distrettuale Tormense»"
    ) in " ".join(refused.stderr.split())  # wrapped at 80
    assert "Traceback" not in refused.stdout + refused.stderr
    # Snakemake alone (no pre-flight): the tables job reads the previous plan's facts and its datapackage.json
    disagreeing = run_snakemake(alone)
    assert disagreeing.returncode != 0, disagreeing.stderr[-2000:]
    log = " ".join((alone / "logs/cremasco_2020/tables.log").read_text(encoding="utf-8").split())  # unwrapped
    assert (
        "data/processed/cremasco_2019/datapackage.json: anno o ambito del piano precedente «cremasco_2019» "
        "diversi da quelli di plans/cremasco_2019.yaml"
    ) in log
    replace_text(
        folder / "datapackage.json",
        '"Ambito Distrettuale Cremasco",\n    "2019"',
        '"Ambito Distrettuale Tormense",\n    "2019"',
    )
    job = run_snakemake(alone)
    assert job.returncode != 0 and "Traceback" not in job.stdout + job.stderr
    log = " ".join((alone / "logs/cremasco_2020/tables.log").read_text(encoding="utf-8").split())
    assert "il piano precedente «cremasco_2019» è di un altro ambito e non si può confrontare con questo" in log
    assert (alone / "output/piano_cremasco_2020.pdf").read_bytes() == document  # the last documents kept
