"""Inputs that cannot lie, escape or leak: robustness round 2.

Each case starts from a copy of the real 2019 inputs, breaks one thing (re-signing the register,
so that the only problem left is the one under test) and runs the pre-flight there: exit status 1,
no traceback, one problem line naming the file, the row and the column where there is one. A
selection goes through direct `snakemake` in a copy of the whole project with a good build: the
run fails with the same message and every previous output (interim, processed, charts, fragments)
stays byte for byte as it was. Scale and internal errors are tested at the end.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from openpyxl import Workbook

from inputs_support import (
    CHILD_ENV,
    INPUTS_ACCEPTED,
    PLAN_FILE,
    PLATFORM,
    RAW,
    TRACEBACK,
    copy_built,
    copy_inputs,
    edit_csv,
    normalised,
    problem_items,
    read_rows,
    register_added,
    replace_text,
    run_snakemake,
    run_validate,
    set_cell,
)
from pianoabitativo.inputs.register import update_checksums

PATRIMONIO = f"{PLATFORM}/patrimonio_enti.csv"
UNITA = f"{PLATFORM}/unita_abitative.csv"
TURNOVER = f"{PLATFORM}/turnover_previsto.csv"
ASSEGNAZIONI = f"{PLATFORM}/assegnazioni_anno_precedente.csv"
SCELTE = f"{PLATFORM}/scelte_comunali.csv"
ENTI_GESTORI = f"{PLATFORM}/enti_gestori.csv"
COMUNI_AMBITO = f"{RAW}/ambito/comuni_ambito_cremasco.csv"
POPOLAZIONE = f"{RAW}/istat/popolazione_residente_provCR_2018_2021.csv"
BOUNDARIES = f"{RAW}/istat/confini_comuni_cremasco_2023.geojson"
REGISTER = f"{RAW}/register.csv"
CODICE_FISCALE = "RSSMRA80A01H501U"
EMAIL = "mario.rossi@example.it"
PHONE = "+39 333 1234567"


@dataclass
class Case:
    id: str
    mutate: Callable[[Path], None]
    expect: list[str]  # all on one problem line
    absent: list[str] = field(default_factory=list)
    also: list[str] = field(default_factory=list)  # anywhere in the output


# --- mutations -------------------------------------------------------------------------------


def cell(rel: str, row: int, column: str, value: str, delimiter: str = ";"):
    return lambda tmp: set_cell(tmp / rel, row, column, value, delimiter)


def rows_edit(rel: str, change, delimiter: str = ";"):
    return lambda tmp: edit_csv(tmp / rel, change, delimiter)


def plan_edit(old: str, new: str):
    return lambda tmp: replace_text(tmp / PLAN_FILE, old, new)


def add_column(rel: str, header: str, value: str, delimiter: str = ";"):
    def change(rows):
        rows[0].append(header)
        for row in rows[1:]:
            row.append(value)

    return rows_edit(rel, change, delimiter)


def insert_before_total(rel: str, row: list[str]):
    return rows_edit(rel, lambda rows: rows.insert(len(rows) - 1, row))


def several(*mutations):
    def mutate(tmp):
        for m in mutations:
            m(tmp)

    return mutate


def boundary_geometry(geometry):
    def mutate(tmp):
        path = tmp / BOUNDARIES
        data = json.loads(path.read_text(encoding="utf-8"))
        data["features"][0]["geometry"] = geometry
        path.write_text(json.dumps(data), encoding="utf-8")

    return mutate


def outside_copy(rel: str, name: str):
    """A copy of a raw file outside the plan's raw folder (next to the project)."""

    def mutate(tmp):
        (tmp.parent / name).write_bytes((tmp / rel).read_bytes())

    return mutate


def symlink_out(rel: str):
    """The raw file replaced by a symbolic link to a copy outside the project."""

    def mutate(tmp):
        target = tmp.parent / f"fuori_{tmp.name}.csv"
        target.write_bytes((tmp / rel).read_bytes())
        (tmp / rel).unlink()
        os.symlink(target, tmp / rel)

    return mutate


def workbook_with_hidden_sheet(tmp: Path) -> None:
    """patrimonio as .xlsx whose second, hidden sheet lists tenants with their codice fiscale."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Foglio1"
    for row in read_rows(tmp / PATRIMONIO):
        sheet.append([int(v) if v.isdigit() else v for v in row])
    hidden = book.create_sheet("Inquilini")
    hidden.append(["Alloggio", "Nominativo", "Codice"])
    hidden.append(["3155982", "Mario Rossi", CODICE_FISCALE])
    hidden.sheet_state = "hidden"
    book.save(tmp / PLATFORM / "patrimonio_enti.xlsx")
    replace_text(
        tmp / PLAN_FILE, "patrimonio: piattaforma/patrimonio_enti.csv", "patrimonio: piattaforma/patrimonio_enti.xlsx"
    )
    register_added(tmp / RAW, "piattaforma/patrimonio_enti.xlsx", like="piattaforma/patrimonio_enti.csv")


def population_both(code_row: int, istat_row: int, value: str):
    return several(
        cell(COMUNI_AMBITO, code_row, "population_2018_01_01", value, ","),
        cell(POPOLAZIONE, istat_row, "pop_res_18", value, ","),
    )


# --- the matrix ------------------------------------------------------------------------------

CASES = [
    # 1. what later steps assume
    Case(
        "totale_non_sap_piu_sas",
        cell(PATRIMONIO, 3, "Totale unità", "19"),
        ["patrimonio_enti.csv", "riga 3", "colonna «Totale unità»", "non è la somma", "trovato: «19»"],
    ),
    Case(
        "confine_senza_geometria",
        boundary_geometry(None),
        ["confini_comuni_cremasco_2023.geojson", "elemento n. 1", "geometria mancante"],
    ),
    Case(
        "confine_punto",
        boundary_geometry({"type": "Point", "coordinates": [9.6, 45.3]}),
        ["confini_comuni_cremasco_2023.geojson", "elemento n. 1", "geometria di tipo «Point»", "Polygon"],
    ),
    Case(
        "confine_anello_aperto",
        boundary_geometry({"type": "Polygon", "coordinates": [[[9.6, 45.3], [9.7, 45.3], [9.7, 45.4], [9.6, 45.4]]]}),
        ["confini_comuni_cremasco_2023.geojson", "elemento n. 1", "non è chiuso"],
    ),
    Case(
        "conteggio_enorme",
        cell(TURNOVER, 3, "Numero unità immobiliari", "99999999999999999999"),
        [
            "turnover_previsto.csv",
            "riga 3",
            "colonna «Numero unità immobiliari»",
            "≥ 0 e ≤ 100.000",
            "trovato: «99999999999999999999»",
        ],
    ),
    Case(
        "data_inesistente",
        plan_edit("approvazione: 2019-06-25", "approvazione: 2019-02-30"),
        [PLAN_FILE, "date.approvazione", "data non valida", "2019-02-30"],
    ),
    # 2. only registered files, only inside the plan's raw folder
    Case(
        "percorso_con_punti",
        plan_edit("enti_gestori: piattaforma/enti_gestori.csv", "enti_gestori: ../../../enti_gestori.csv"),
        [PLAN_FILE, "chiave «dati.enti_gestori»", "fuori dalla cartella", "trovato: «../../../enti_gestori.csv»"],
    ),
    Case(
        "percorso_assoluto",
        plan_edit("enti_gestori: piattaforma/enti_gestori.csv", "enti_gestori: /etc/hosts.csv"),
        [PLAN_FILE, "chiave «dati.enti_gestori»", "fuori dalla cartella", "trovato: «/etc/hosts.csv»"],
    ),
    Case(
        "confini_fuori",
        several(
            outside_copy(BOUNDARIES, "confini.geojson"),
            plan_edit("file: istat/confini_comuni_cremasco_2023.geojson", "file: ../../../../confini.geojson"),
        ),
        [PLAN_FILE, "chiave «confini.file»", "fuori dalla cartella"],
    ),
    Case(
        "collegamento_fuori", symlink_out(ENTI_GESTORI), ["enti_gestori.csv", "collegamento simbolico che porta fuori"]
    ),
    Case(
        "input_in_processed",
        plan_edit(
            "patrimonio: piattaforma/patrimonio_enti.csv", "patrimonio: ../../processed/cremasco_2019/a_patrimonio.csv"
        ),
        [PLAN_FILE, "chiave «dati.patrimonio»", "fuori dalla cartella"],
    ),
    Case(
        "input_non_registrato",
        several(
            lambda tmp: (tmp / PLATFORM / "register.csv").write_bytes((tmp / ENTI_GESTORI).read_bytes()),
            plan_edit("enti_gestori: piattaforma/enti_gestori.csv", "enti_gestori: piattaforma/register.csv"),
        ),
        ["piattaforma/register.csv", "non è nel registro dei dati", "dati.enti_gestori"],
    ),
    Case(
        "input_mancante",
        lambda tmp: (tmp / ENTI_GESTORI).unlink(),
        ["enti_gestori.csv", "file mancante", "dati.enti_gestori"],
    ),
    # 3. wrong numbers
    Case(
        "totale_mancante",
        rows_edit(PATRIMONIO, lambda rows: rows.pop()),
        ["patrimonio_enti.csv", "colonna «Ragione Sociale Ente Proprietario»", "manca la riga «Totale»"],
    ),
    Case(
        "totale_complessivo",
        insert_before_total(PATRIMONIO, ["Totale complessivo", "1711", "1696", "15"]),
        ["patrimonio_enti.csv", "riga 26", "riga di totale non prevista", "trovato: «Totale complessivo»"],
    ),
    Case(
        "totale_in_tabella_senza_totale",
        rows_edit(TURNOVER, lambda rows: rows.append(["Totale", "", "9"])),
        ["turnover_previsto.csv", "riga 7", "riga di totale non prevista", "nessuna riga di totale"],
    ),
    Case(
        "comune_maiuscolo_ripetuto",
        insert_before_total(PATRIMONIO, ["Comune di CREMA", "1", "1", "0"]),
        ["patrimonio_enti.csv", "riga 26", "valore ripetuto", "trovato: «Comune di CREMA»"],
    ),
    Case(
        "comune_alias_ripetuto",
        insert_before_total(PATRIMONIO, ["Comune di Vaiano", "1", "1", "0"]),
        ["patrimonio_enti.csv", "riga 26", "valore ripetuto", "nomi alternativi"],
    ),
    Case(
        "deroga_oltre_assegnati",
        cell(ASSEGNAZIONI, 5, "di cui in deroga", "25"),
        [
            "assegnazioni_anno_precedente.csv",
            "riga 5",
            "colonna «di cui in deroga»",
            "supera",
            "al massimo 21",
            "trovato: «25»",
        ],
    ),
    Case(
        "quota_150",
        cell(SCELTE, 2, "Valore", "150"),
        [
            "scelte_comunali.csv",
            "riga 2",
            "colonna «Valore»",
            "≥ 0 e ≤ 10 (una percentuale tra 0 e 10",
            "trovato: «150»",
        ],
    ),  # the quota for the Forze di Polizia and VVF: at most 10% (R.R. 3/2019)
    Case(
        "popolazione_zero",
        population_both(2, 3, "0"),
        [
            "comuni_ambito_cremasco.csv",
            "riga 2",
            "Agnadello (019002)",
            "non plausibile",
            "popolazione_residente_provCR_2018_2021.csv, riga 3, colonna «pop_res_18»",
        ],
    ),
    Case(
        "popolazione_miliardo",
        population_both(2, 3, "1000000000"),
        ["popolazione_residente_provCR_2018_2021.csv", "riga 3", "colonna «pop_res_18»", "≥ 0 e ≤ 3.000.000"],
        also=["comuni_ambito_cremasco.csv, riga 2, colonna «population_2018_01_01»"],
    ),
    Case(
        "popolazione_discorde",
        cell(COMUNI_AMBITO, 2, "population_2018_01_01", "3867", ","),
        [
            "comuni_ambito_cremasco.csv",
            "riga 2",
            "3.867",
            "3.866 nel file ISTAT",
            "popolazione_residente_provCR_2018_2021.csv, riga 3, colonna «pop_res_18»",
        ],
    ),
    # 4. personal data
    Case(
        "colonna_email",
        add_column(COMUNI_AMBITO, "email", EMAIL, ","),
        ["comuni_ambito_cremasco.csv", "colonna «email»", "dati personali"],
        absent=[EMAIL],
    ),
    Case(
        "colonna_telefono",
        add_column(POPOLAZIONE, "telefono", "0373 123456", ","),
        ["popolazione_residente_provCR_2018_2021.csv", "colonna «telefono»", "dati personali"],
        absent=["0373 123456"],
    ),
    Case(
        "colonna_intestatario",
        add_column(COMUNI_AMBITO, "Intestatario", "Mario Rossi", ","),
        ["comuni_ambito_cremasco.csv", "colonna «Intestatario»", "dati personali"],
        absent=["Mario Rossi"],
    ),
    Case(
        "colonna_cod_fisc",
        add_column(COMUNI_AMBITO, "Cod. Fisc.", "", ","),
        ["comuni_ambito_cremasco.csv", "colonna «Cod. Fisc.»", "dati personali"],
    ),
    Case(
        "valore_email",
        cell(UNITA, 9, "Stato unità immobiliare", f"contattare {EMAIL}"),
        ["unita_abitative.csv", "riga 9", "colonna «Stato unità immobiliare»", "indirizzo e-mail", "trovato: «mari…»"],
        absent=[EMAIL],
    ),
    Case(
        "valore_telefono",
        cell(UNITA, 10, "Stato unità immobiliare", f"tel. {PHONE}"),
        ["unita_abitative.csv", "riga 10", "colonna «Stato unità immobiliare»", "numero di telefono"],
        absent=[PHONE],
    ),
    Case(
        "valore_in_colonna_ignorata",
        add_column(COMUNI_AMBITO, "note", f"referente {CODICE_FISCALE}", ","),
        ["comuni_ambito_cremasco.csv", "riga 2", "colonna «note»", "codice fiscale", "e in altre"],
        absent=[CODICE_FISCALE],
    ),
    Case(
        "file_registrato_non_usato",
        several(
            lambda tmp: (tmp / PLATFORM / "inquilini.csv").write_text(
                f"Alloggio;Note\n1;{CODICE_FISCALE}\n", encoding="utf-8"
            ),
            lambda tmp: register_added(tmp / RAW, "piattaforma/inquilini.csv", like="piattaforma/enti_gestori.csv"),
        ),
        ["piattaforma/inquilini.csv", "riga 2", "colonna «Note»", "codice fiscale"],
        absent=[CODICE_FISCALE],
    ),
    Case(
        "foglio_nascosto",
        workbook_with_hidden_sheet,
        ["patrimonio_enti.xlsx, foglio nascosto «Inquilini»", "colonna «Nominativo»", "dati personali"],
        absent=[CODICE_FISCALE, "Mario Rossi"],
        also=["foglio nascosto «Inquilini», riga 2, colonna «Codice»: valore che ha la forma di un codice fiscale"],
    ),
]


def prepare(case: Case, base: Path) -> Path:
    tmp = copy_inputs(base / case.id / "progetto")
    case.mutate(tmp)
    if (tmp / REGISTER).exists():
        update_checksums(tmp / RAW)
    return tmp


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict[str, subprocess.CompletedProcess | Exception]:
    base = tmp_path_factory.mktemp("robustness")

    def one(case: Case):
        try:
            return run_validate(prepare(case, base))
        except Exception as err:  # a broken mutation fails only its own case
            return err

    return {case.id: one(case) for case in CASES}  # each a warm fork (run_validate): a fraction of a second


@pytest.mark.workflow
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_preflight_refuses_with_a_located_message(case: Case, results):
    result = results[case.id]
    if isinstance(result, Exception):
        raise result
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output and "errore interno" not in output.casefold(), output
    assert "Dati di input non validi" in result.stderr, output
    lines = problem_items(result.stderr)  # each problem whole, though wrapped at 80 columns
    assert any(all(word in line for word in case.expect) for line in lines), (
        f"no problem holds all of {case.expect}:\n{output}"
    )
    for word in case.also:
        assert word in normalised(output), f"{word!r} missing:\n{output}"
    for word in case.absent:
        assert word not in output, f"{word!r} must not be printed:\n{output}"


@pytest.mark.workflow
def test_register_in_windows_1252_with_accents_is_read(tmp_path):
    tmp = copy_inputs(tmp_path)
    register = tmp / REGISTER
    text = register.read_text(encoding="utf-8").replace("Stock per owner", "Consistenza è per ente", 1)
    register.write_bytes(text.encode("cp1252"))
    with (tmp / ENTI_GESTORI).open("a", encoding="utf-8") as changed:  # a changed file: re-signed too
        changed.write("\n")
    done = subprocess.run(
        [sys.executable, "-m", "pianoabitativo.inputs.register", RAW],
        cwd=tmp,
        env=CHILD_ENV,
        capture_output=True,
        encoding="utf-8",
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert TRACEBACK not in done.stdout + done.stderr
    assert "convertito da Windows-1252 in UTF-8" in done.stdout
    assert "piattaforma/enti_gestori.csv" in done.stdout
    assert "Consistenza è per ente" in register.read_text(encoding="utf-8")
    result = run_validate(tmp)
    assert result.returncode == 0, result.stdout + result.stderr


# --- through direct snakemake: same message, previous outputs unchanged ----------------------

TARGETS = (
    INPUTS_ACCEPTED,
    "data/processed/cremasco_2019/cifre_chiave.csv",
    "report/gen/cremasco_2019/fig_mappa_densita.png",
    "report/gen/cremasco_2019/cifre.yml",
)
WRITTEN = ("data/interim", "data/processed", "report/gen", "output")


def tree_hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for folder in WRITTEN
        for p in sorted((root / folder).rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def built(reference_build, tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A copy of the built reference plan (conftest.reference_build): the targets are up to date."""
    tmp = copy_built(reference_build[0], tmp_path_factory.mktemp("built") / "progetto")
    result = run_snakemake(tmp, *TARGETS)
    assert result.returncode == 0, result.stdout + result.stderr
    hashes = tree_hashes(tmp)
    assert any(k.startswith("data/processed/") for k in hashes) and any(k.endswith(".png") for k in hashes)
    return tmp, hashes


# One case of each kind runs in make test: a figure that does not add up (the job refuses), a path of the
# plan file that leaves the project and a link that points out of it (refused before any job), a missing
# input, personal data (never written anywhere); the others only in make test-completo (CI).
WORKFLOW_CASES = [
    "totale_non_sap_piu_sas",
    "percorso_assoluto",
    "collegamento_fuori",
    "input_mancante",
    "colonna_email",
    *(
        pytest.param(case_id, marks=pytest.mark.completo)
        for case_id in (
            "confine_punto",
            "conteggio_enorme",
            "percorso_con_punti",
            "confini_fuori",
            "input_in_processed",
            "totale_complessivo",
            "comune_maiuscolo_ripetuto",
            "deroga_oltre_assegnati",
            "quota_150",
            "popolazione_zero",
            "foglio_nascosto",
        )
    ),
]
BY_ID = {c.id: c for c in CASES}


def _snapshot(tmp: Path) -> dict[Path, bytes | str]:
    """Every raw file and the plan's facts, to restore after a case (symbolic links as their target)."""
    files = [p for p in (tmp / RAW).rglob("*") if p.is_file() or p.is_symlink()] + [tmp / PLAN_FILE]
    return {p: (os.readlink(p) if p.is_symlink() else p.read_bytes()) for p in files}


def _restore(tmp: Path, snapshot: dict[Path, bytes | str]) -> None:
    for p in [p for p in (tmp / RAW).rglob("*") if (p.is_file() or p.is_symlink()) and p not in snapshot]:
        p.unlink()
    for p, data in snapshot.items():
        if p.is_symlink() or p.exists():
            p.unlink()
        p.write_bytes(data) if isinstance(data, bytes) else os.symlink(data, p)


@pytest.mark.workflow
@pytest.mark.parametrize("case_id", WORKFLOW_CASES)
def test_direct_snakemake_refuses_and_keeps_every_previous_output(built, case_id):
    tmp, good = built
    case = BY_ID[case_id]
    snapshot = _snapshot(tmp)
    try:
        case.mutate(tmp)
        update_checksums(tmp / RAW)
        time.sleep(0.01)
        result = run_snakemake(tmp, *TARGETS)
        output = result.stdout + result.stderr
        assert result.returncode != 0, output
        assert "Nothing to be done" not in output
        assert TRACEBACK not in output, output
        assert any(all(word in line for word in case.expect) for line in problem_items(output)), (
            f"no problem holds all of {case.expect}:\n{output}"
        )
        for word in case.absent:
            assert word not in output
        assert tree_hashes(tmp) == good
    finally:
        _restore(tmp, snapshot)


@pytest.mark.workflow
def test_internal_error_is_one_line_naming_step_and_log_and_keeps_outputs(built):
    """A bug half way through a step (simulated in the copy's script, after some tables were written) is
    «errore interno» naming the step and its log, not a traceback; no output of the step changes."""
    tmp, good = built
    script = tmp / "scripts/build_tables.py"
    original = script.read_bytes()
    text = original.decode("utf-8")
    marker = "    write_bytes_atomically(out.verifiche"
    assert marker in text
    try:
        script.write_text(
            text.replace(marker, '    raise RuntimeError("guasto simulato")\n' + marker, 1), encoding="utf-8"
        )
        result = run_snakemake(tmp, *TARGETS)
        output = result.stdout + result.stderr
        assert result.returncode != 0, output
        assert "Errore interno nel passo «tables plan=cremasco_2019» (RuntimeError: guasto simulato)" in normalised(
            output
        ), output
        assert "logs/cremasco_2019/tables.log" in output
        assert TRACEBACK not in output, output
        assert TRACEBACK in (tmp / "logs/cremasco_2019/tables.log").read_text(encoding="utf-8")
        assert tree_hashes(tmp) == good
    finally:
        script.write_bytes(original)


# --- scale -------------------------------------------------------------------------------------


def test_repeated_unit_codes_are_reported_in_linear_time():
    from pianoabitativo.core.errors import DataError
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
    rows = [["ALER", "3155982" if i % 2 else str(1000000 + i), "Crema", "b", ""] for i in range(4000)]
    start = time.perf_counter()
    with pytest.raises(DataError) as err:
        apply_schema(Grid("unita.csv", header, rows, "utf-8", ";"), load_schema(schema_path("unita")))
    assert time.perf_counter() - start < 5
    assert len(err.value.problems) == 1999
    assert "riga 3" in err.value.problems[0].describe() and "riga 5" in err.value.problems[0].describe()
