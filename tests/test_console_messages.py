"""What a person reads when something is wrong, without running the workflow: YAML typos in Italian at the
line to correct, long lists of problems summarised, every line within 80 columns, the missing files of a
plan with no data yet one line per folder, `make nuovo-piano` refusing in one line and writing nothing,
the run lock, and Snakemake's command line without its English line about the profile."""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

import pytest

from inputs_support import ROOT, problem_items
from pianoabitativo.core import runlock
from pianoabitativo.core.config import read_yaml_mapping
from pianoabitativo.core.errors import DataError, Problem
from pianoabitativo.inputs.locations import path_problems

PLAN_TEXT = (ROOT / "plans" / "cremasco_2019.yaml").read_text(encoding="utf-8")


def typo(old: str, new: str) -> tuple[str, int]:
    """The reference plan file with one line changed, and the number of that line."""
    assert PLAN_TEXT.count(old) == 1, old
    text = PLAN_TEXT.replace(old, new)
    return text, next(
        i for i, line in enumerate(text.splitlines(), start=1) if new in line and not line.startswith("#")
    )


TYPOS = {
    "tabulazione": (typo("  capofila: Comune di Crema", "\tcapofila: Comune di Crema"), "tabulazione nel rientro"),
    "due_punti_mancanti": (
        typo("  capofila: Comune di Crema", "  capofila Comune di Crema"),
        "manca «:» tra il nome della chiave e il valore",
    ),
    "chiave_in_cima_senza_due_punti": (typo("anno: 2019", "anno 2019"), "manca «:»"),
    "spazio_dopo_i_due_punti": (
        typo("  approvazione: 2019-06-25", "  approvazione:2019-06-25"),
        "manca lo spazio dopo «:»",
    ),
    "parentesi_aperta": (typo("Sergnano, Soncino]", "Sergnano, Soncino"), "parentesi aperta e non chiusa"),
    "virgolette_aperte": (
        typo("  nome: Ambito Distrettuale Cremasco", '  nome: "Ambito Distrettuale Cremasco'),
        "virgolette aperte e non chiuse",
    ),
    "rientro_sbagliato": (typo("  nome_breve: cremasco", "   nome_breve: cremasco"), "rientro sbagliato (3 spazi)"),
}


@pytest.mark.parametrize("name", TYPOS)
def test_a_yaml_typo_is_reported_in_italian_at_its_line(name, tmp_path):
    (text, line), phrase = TYPOS[name]
    path = tmp_path / "piano.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_yaml_mapping(path, "il file del piano")
    [problem] = caught.value.problems
    assert problem.row == line, problem.describe()
    assert phrase in problem.message, problem.describe()
    report = caught.value.report()
    assert all(len(row) <= 80 for row in report.splitlines()), report
    for english in ("could not", "found", "mapping values", "while scanning", "expected <"):
        assert english not in report, report


def test_two_thousand_repeated_codes_are_a_few_lines():
    from pianoabitativo.inputs.grid import Grid
    from pianoabitativo.inputs.load import load_schema, schema_path
    from pianoabitativo.inputs.schema import apply_schema

    header = [
        "Ragione Sociale Ente Proprietario",
        "Codice I.D. unità immobiliare",
        "Comune",
        "Categoria",
        "Stato unità immobiliare",
    ]
    rows = [["ALER", "3155982", "Crema", "b", ""] for _ in range(2001)]  # 2.000 repetitions of row 2's code
    with pytest.raises(DataError) as caught:
        apply_schema(Grid("unita_abitative.csv", header, rows, "utf-8", ";"), load_schema(schema_path("unita")))
    assert len(caught.value.problems) == 2000
    report = caught.value.report()
    lines = report.splitlines()
    assert len(lines) <= 12, report
    assert all(len(line) <= 80 for line in lines), report
    items = problem_items(report)
    assert len(items) == 3, report  # the first two in full, then the others in one
    assert "riga 3" in items[0] and "riga 4" in items[1] and "trovato: «3155982»" in items[0]
    assert items[2].startswith("e altri 1.998 casi di «valore ripetuto (deve essere unico)» in unita_abitative.csv")
    assert "righe 5–2.002" in items[2] and "trovato: «3155982»" in items[2], items[2]


def test_a_few_problems_of_one_kind_are_each_shown():
    problems = [Problem("a.csv", "cella vuota", row=r, column="Comune") for r in (3, 8, 20)]
    assert len(problem_items(DataError(problems).report())) == 3


def test_a_plan_with_no_data_yet_is_one_line_per_folder(tmp_path, monkeypatch):
    facts = {
        "inputs": {
            "patrimonio": "piattaforma/patrimonio_enti.csv",
            "unita": "piattaforma/unita_abitative.csv",
            "turnover": "piattaforma/turnover_previsto.csv",
            "comuni_ambito": "ambito/comuni_ambito_cremasco.csv",
        },
        "boundaries": {"file": "istat/confini.geojson"},
    }
    monkeypatch.chdir(tmp_path)
    raw = Path("data/raw/nuovo_2020")
    (raw / "istat").mkdir(parents=True)
    (raw / "istat" / "confini.geojson").write_text("{}", encoding="utf-8")
    (raw / "register.csv").write_text(
        "file,description,source,reference_date,how_obtained,certainty,licence,sha256\nistat/confini.geojson,,,,,,,\n",
        encoding="utf-8",
    )
    items = problem_items(DataError(path_problems(facts, "nuovo_2020", raw)).report())
    assert items == [
        f"{raw.as_posix()}/piattaforma/: mancano tutti i 3 file attesi (patrimonio_enti.csv, unita_abitative.csv "
        "e turnover_previsto.csv, elencati in plans/nuovo_2020.yaml)",
        f"{raw.as_posix()}/ambito/comuni_ambito_cremasco.csv: file mancante; atteso: il file indicato in "
        "plans/nuovo_2020.yaml, chiave «dati.comuni_ambito»",
    ]


# --- make nuovo-piano refuses in one line and writes nothing ------------------------------------


@pytest.fixture()
def small_project(tmp_path, monkeypatch) -> Path:
    for name in (
        "config.yaml",
        "plans/cremasco_2019.yaml",
        "report/piano_cremasco_2019.qmd",
        "data/raw/cremasco_2019/register.csv",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes((ROOT / name).read_bytes())
    monkeypatch.chdir(tmp_path)
    return tmp_path


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(
    "target, phrase",
    [
        ("Cremasco_2020", "Nome del nuovo piano non valido: «Cremasco_2020»"),
        ("cremasco2020", "Nome del nuovo piano non valido"),
        ("cremasco_20", "Nome del nuovo piano non valido"),
        ("2020_cremasco", "Nome del nuovo piano non valido"),
        ("cremasco_2019", "Il piano «cremasco_2019» esiste già (plans/cremasco_2019.yaml)"),
    ],
)
def test_nuovo_piano_refuses_in_one_message_and_writes_nothing(small_project, target, phrase):
    from pianoabitativo.newplan import main

    before = tree(small_project)
    with pytest.raises(SystemExit) as stopped:
        main(["cremasco_2019", target])
    message = str(stopped.value.code)
    assert phrase in " ".join(message.split()), message
    assert len(message.splitlines()) <= 3 and all(len(line) <= 80 for line in message.splitlines()), message
    assert tree(small_project) == before


def test_nuovo_piano_accepts_an_ambito_of_several_words(small_project):
    from pianoabitativo.newplan import refusal

    assert refusal("cremasco_2019", "alto_cremasco_2021") is None
    assert "esiste già" in refusal("cremasco_2019", "cremasco_2019")
    assert "non esiste" in refusal("bergamo_2019", "bergamo_2020")


# --- one run at a time -------------------------------------------------------------------------


def test_the_run_lock_is_exclusive_and_freed_with_its_holder(tmp_path):
    lock = tmp_path / "build" / "produzione.lock"
    held = runlock.acquire(wait=False, lock_file=lock)
    assert held is not None
    assert runlock.acquire(wait=False, lock_file=lock) is None  # another run (another open file) is refused
    os.close(held)  # the holder ends: the system frees the lock, nothing is left behind
    runlock._held.remove(held)
    again = runlock.acquire(wait=False, lock_file=lock)
    assert again is not None
    os.close(again)
    runlock._held.remove(again)


def test_snakemakes_line_about_the_profile_is_left_out_and_nothing_else(monkeypatch):
    """snakemake.cli.parse_args prints «Using profile ...» with a bare print (Snakemake 9): if an upgrade moves
    or renames parse_args, this test fails here."""
    from snakemake import cli

    from pianoabitativo.core.snakemake_main import PROFILE_NOTICE, parse_args_quietly

    assert callable(cli.parse_args) and callable(cli.args_to_api)
    monkeypatch.chdir(ROOT)
    said = io.StringIO()
    with contextlib.redirect_stderr(said):
        parser, args = parse_args_quietly(
            ["--cores", "1", "--profile", "profiles/default", "--workflow-profile", "none", "-n"]
        )
    assert said.getvalue() == ""
    assert args.rerun_incomplete is True  # read from profiles/default: a run stopped half way is redone
    assert PROFILE_NOTICE.fullmatch("Using profile profiles/default for setting default command line arguments.")
    assert PROFILE_NOTICE.fullmatch(
        "Using workflow specific profile profiles/default for setting default command line arguments."
    )


def test_a_long_value_going_on_below_is_not_blamed_for_a_later_typo():
    from pianoabitativo.core.yamltext import likely_typo

    text = "year: 2019\nnote: un testo lungo\n  che continua qui\nambito:\n  name: X\n  capofila Comune\n"
    assert likely_typo(text, 6)[0] == 6
