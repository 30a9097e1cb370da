"""Broken inputs are refused with located, plain-Italian messages; never with a traceback.

Each case starts from a copy of the real 2019 inputs, breaks one thing and runs
`python -m pianoabitativo.inputs.preflight config.yaml` there. Unless the case is about
the data register itself, checksums are re-recorded after the change so that the
only problem left is the one under test. Every case asserts exit status 1, no
traceback, and the words a user needs to find and fix the problem: the file,
"riga N" where there is one, the column, what was expected and what was found.

The CLI runs are independent, so they are started together (two at a time) by
one module-scoped fixture; each parametrized test then checks its own result.

A few cases also go through the real workflow (Snakemake): the good build stays
untouched and no personal value reaches anything the workflow writes.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from openpyxl import Workbook

from inputs_support import (
    INPUTS_ACCEPTED,
    PLAN_FILE,
    PLATFORM,
    PROCESSED,
    RAW,
    TRACEBACK,
    copy_built,
    copy_inputs,
    edit_csv,
    files_containing,
    normalised,
    problem_items,
    read_rows,
    register_added,
    replace_text,
    run_snakemake,
    run_validate,
    set_cell,
    sha256_tree,
)
from pianoabitativo.inputs.register import update_checksums

pytestmark = pytest.mark.workflow  # every case runs the pre-flight command or Snakemake in a copy

PATRIMONIO = f"{PLATFORM}/patrimonio_enti.csv"
UNITA = f"{PLATFORM}/unita_abitative.csv"
TURNOVER = f"{PLATFORM}/turnover_previsto.csv"
ASSEGNAZIONI = f"{PLATFORM}/assegnazioni_anno_precedente.csv"
MISURE = f"{PLATFORM}/misure_avvisi.csv"
ENTI_GESTORI = f"{PLATFORM}/enti_gestori.csv"
COMUNI_AMBITO = f"{RAW}/ambito/comuni_ambito_cremasco.csv"
BOUNDARIES = f"{RAW}/istat/confini_comuni_cremasco_2023.geojson"
REGISTER = f"{RAW}/register.csv"
CODICE_FISCALE = "RSSMRA80A01H501U"
PERSON = "Mario Bianchi"


@dataclass
class Case:
    id: str
    mutate: Callable[[Path], None]
    expect: list[str]  # each must occur in the output (one problem line may hold several)
    same_line: bool = True  # all of `expect` on one problem line (else anywhere in the output)
    lines: int | None = None  # exact number of problem lines, when the case is about counting them
    absent: list[str] = field(default_factory=list)  # must not occur in the output
    rerecord: bool = True  # re-record the register's checksums after the change
    config: str = "config.yaml"


# --- mutations -------------------------------------------------------------------------------


def remove_file(rel: str):
    return lambda tmp: (tmp / rel).unlink()


def write_bytes(rel: str, data: bytes):
    return lambda tmp: (tmp / rel).write_bytes(data)


def cell(rel: str, row: int, column: str, value: str, delimiter: str = ";"):
    return lambda tmp: set_cell(tmp / rel, row, column, value, delimiter)


def rows_edit(rel: str, change, delimiter: str = ";"):
    return lambda tmp: edit_csv(tmp / rel, change, delimiter)


def text_edit(rel: str, old: str, new: str):
    return lambda tmp: replace_text(tmp / rel, old, new)


def add_column(rel: str, header: str, value: str):
    def change(rows):
        rows[0].append(header)
        for row in rows[1:]:
            row.append(value)

    return rows_edit(rel, change)


def drop_column(rel: str, header: str):
    def change(rows):
        i = rows[0].index(header)
        for row in rows:
            del row[i]

    return rows_edit(rel, change)


def header_only(rel: str):
    return rows_edit(rel, lambda rows: rows.__delitem__(slice(1, None)))


def append_row(rel: str, row: list[str]):
    return rows_edit(rel, lambda rows: rows.append(row))


def recoded(rel: str, encoding: str):
    def mutate(tmp):
        path = tmp / rel
        path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))

    return mutate


def xlsx_of(tmp: Path, rel_csv: str) -> Path:
    """Write the CSV's rows as a one-sheet workbook next to it (numbers as numbers); return its path."""
    rows = read_rows(tmp / rel_csv)
    book = Workbook()
    sheet = book.active
    sheet.title = "Foglio1"
    for row in rows:
        sheet.append([int(v) if v.isdigit() else (v or None) for v in row])
    path = (tmp / rel_csv).with_suffix(".xlsx")
    book.save(path)
    return path


def as_xlsx(rel_csv: str, key: str, truncate: bool = False, sheet: str | None = None):
    """Replace an input by a workbook (registered with the CSV's source), optionally truncated."""

    def mutate(tmp):
        path = xlsx_of(tmp, rel_csv)
        if truncate:
            data = path.read_bytes()
            path.write_bytes(data[: len(data) // 2])
        old = rel_csv.removeprefix(RAW + "/")
        new = Path(old).with_suffix(".xlsx").as_posix()
        entry = f"{{file: {new}, sheet: {sheet}}}" if sheet else new
        replace_text(tmp / PLAN_FILE, f"{key}: {old}", f"{key}: {entry}")
        register_added(tmp / RAW, new, like=old)

    return mutate


def move_total_up(rows):
    rows.insert(3, rows.pop())


def without_boundary(code: str):
    def mutate(tmp):
        path = tmp / BOUNDARIES
        data = json.loads(path.read_text(encoding="utf-8"))
        data["features"] = [f for f in data["features"] if f["properties"]["codice_istat"] != code]
        path.write_text(json.dumps(data), encoding="utf-8")

    return mutate


def register_row_for_missing_file(tmp):
    text = (tmp / REGISTER).read_text(encoding="utf-8")
    last = text.splitlines()[-1]
    (tmp / REGISTER).write_text(
        text + last.replace("riferimenti/progetti_ambito.csv", "riferimenti/progetti_2018.csv", 1) + "\n",
        encoding="utf-8",
    )


def append_text(rel: str, text: str):
    def mutate(tmp):
        with (tmp / rel).open("a", encoding="utf-8") as out:
            out.write(text)

    return mutate


def several(*mutations):
    def mutate(tmp):
        for m in mutations:
            m(tmp)

    return mutate


def pipe_separated(rel: str):
    def mutate(tmp):
        path = tmp / rel
        path.write_text(path.read_text(encoding="utf-8").replace(";", "|"), encoding="utf-8")

    return mutate


# --- the matrix ------------------------------------------------------------------------------

CASES = [
    # files that cannot be read
    Case("file_mancante", remove_file(ENTI_GESTORI), ["enti_gestori.csv", "file mancante"]),
    Case("file_vuoto", write_bytes(ENTI_GESTORI, b""), ["enti_gestori.csv", "il file è vuoto"]),
    Case(
        "solo_intestazione",
        header_only(PATRIMONIO),
        ["patrimonio_enti.csv", "nessuna riga di dati", "almeno 1 riga di dati", "trovato: «0 righe»"],
    ),
    Case(
        "codifica_utf16",
        recoded(TURNOVER, "utf-16"),
        ["turnover_previsto.csv", "codifica non riconosciuta", "UTF-16", "UTF-8 o Windows-1252"],
    ),
    Case(
        "byte_non_validi",
        write_bytes(
            TURNOVER,
            "Ragione Sociale Ente Proprietario;Comune;Numero unità immobiliari\nComune di Soncino;Soncino;3\n".encode()
            + b"Comune di Vailate;Vai\x81\x8date;1\n",
        ),
        ["turnover_previsto.csv", "riga 3", "codifica non riconosciuta", "0x81", "UTF-8 o Windows-1252"],
    ),
    Case(
        "separatore_pipe",
        pipe_separated(TURNOVER),
        [
            "turnover_previsto.csv",
            "riga 1",
            "separatore",
            "«;», «,» o tabulazione",
            "Ragione Sociale Ente Proprietario|Comune",
        ],
    ),
    Case(
        "xlsx_troncato",
        as_xlsx(PATRIMONIO, "patrimonio", truncate=True),
        ["patrimonio_enti.xlsx", "file Excel illeggibile o troncato", "una cartella di lavoro .xlsx integra"],
    ),
    Case(
        "xlsx_foglio_mancante",
        as_xlsx(PATRIMONIO, "patrimonio", sheet="Foglio9"),
        ["patrimonio_enti.xlsx", "il foglio «Foglio9» non esiste", "Foglio1"],
    ),
    Case(
        "estensione_ods",
        text_edit(
            PLAN_FILE, "enti_gestori: piattaforma/enti_gestori.csv", "enti_gestori: piattaforma/enti_gestori.ods"
        ),
        [PLAN_FILE, "dati.enti_gestori", ".csv", ".xlsx"],
    ),
    Case(
        "estensione_json",
        text_edit(PLAN_FILE, "progetti: riferimenti/progetti_ambito.csv", "progetti: riferimenti/progetti_ambito.json"),
        [PLAN_FILE, "dati.progetti", ".csv", ".xlsx"],
    ),
    # header
    Case(
        "colonna_mancante",
        drop_column(PATRIMONIO, "N. alloggi SAS"),
        ["patrimonio_enti.csv", "colonna «N. alloggi SAS»", "colonna mancante", "atteso: le colonne"],
    ),
    Case(
        "colonna_rinominata",
        rows_edit(UNITA, lambda rows: rows[0].__setitem__(2, "Municipio")),
        ["unita_abitative.csv", "colonna «Comune»", "colonna mancante", "Municipio"],
    ),
    Case(
        "colonna_in_piu",
        add_column(TURNOVER, "Note", ""),
        ["turnover_previsto.csv", "colonna «Note»", "colonna non prevista"],
    ),
    # cells
    Case(
        "testo_in_intero",
        cell(PATRIMONIO, 11, "N. alloggi SAP", "sei"),
        ["patrimonio_enti.csv", "riga 11", "colonna «N. alloggi SAP»", "un numero intero", "trovato: «sei»"],
    ),
    Case(
        "conteggio_negativo",
        cell(TURNOVER, 5, "Numero unità immobiliari", "-3"),
        ["turnover_previsto.csv", "riga 5", "colonna «Numero unità immobiliari»", "≥ 0", "trovato: «-3»"],
    ),
    Case(
        "decimale_in_intero",
        cell(ASSEGNAZIONI, 5, "N. alloggi SAP assegnati", "21,5"),
        [
            "assegnazioni_anno_precedente.csv",
            "riga 5",
            "colonna «N. alloggi SAP assegnati»",
            "un numero intero",
            "trovato: «21,5»",
        ],
    ),
    Case(
        "cella_vuota",
        cell(UNITA, 7, "Comune", ""),
        ["unita_abitative.csv", "riga 7", "colonna «Comune»", "cella vuota"],
    ),
    Case(
        "categoria_non_prevista",
        cell(UNITA, 4, "Categoria", "g"),
        ["unita_abitative.csv", "riga 4", "colonna «Categoria»", "tra: b, c, d, e, f", "trovato: «g»"],
    ),
    Case(
        "codice_istat_5_cifre",
        cell(COMUNI_AMBITO, 2, "istat_code", "19002", ","),
        ["comuni_ambito_cremasco.csv", "riga 2", "colonna «istat_code»", "6 cifre", "trovato: «19002»"],
    ),
    Case(
        "totale_non_ultimo",
        rows_edit(PATRIMONIO, move_total_up),
        ["patrimonio_enti.csv", "riga 4", "la riga «Totale» non è l'ultima"],
    ),
    Case(
        "tre_celle_sbagliate",
        several(
            cell(PATRIMONIO, 3, "Totale unità", "diciotto"),
            cell(PATRIMONIO, 8, "N. alloggi SAS", "-5"),
            cell(PATRIMONIO, 20, "N. alloggi SAP", "6,5"),
        ),
        [
            "3 problemi",
            "riga 3, colonna «Totale unità»",
            "riga 8, colonna «N. alloggi SAS»",
            "riga 20, colonna «N. alloggi SAP»",
        ],
        same_line=False,
        lines=3,
    ),
    Case(
        "due_file_insieme",
        several(cell(TURNOVER, 3, "Numero unità immobiliari", "due"), write_bytes(ENTI_GESTORI, b"")),
        ["2 problemi", "turnover_previsto.csv, riga 3", "enti_gestori.csv: il file è vuoto"],
        same_line=False,
        lines=2,
    ),
    Case(
        "colonna_ripetuta",
        add_column(ENTI_GESTORI, "Ente gestore", "ALER"),
        ["enti_gestori.csv", "colonna «Ente gestore»", "colonna ripetuta"],
    ),
    # keys
    Case(
        "codice_unita_ripetuto",
        append_row(UNITA, ["ALER Brescia-Cremona-Mantova", "3155982", "Castelleone", "b", "Carenza manutentiva"]),
        [
            "unita_abitative.csv",
            "riga 41",
            "colonna «Codice I.D. unità immobiliare»",
            "valore ripetuto",
            "riga 2",
            "trovato: «3155982»",
        ],
    ),
    Case(
        "codice_unita_due_categorie",
        append_row(UNITA, ["ALER Brescia-Cremona-Mantova", "3155982", "Castelleone", "e", "Libero"]),
        [
            "unita_abitative.csv",
            "riga 41",
            "colonna «Codice I.D. unità immobiliare»",
            "valore ripetuto",
            "trovato: «3155982»",
        ],
    ),
    # cross-checks
    Case(
        "comune_sconosciuto",
        cell(UNITA, 3, "Comune", "Castelnuovo"),
        [
            "unita_abitative.csv",
            "riga 3",
            "colonna «Comune»",
            "«Castelnuovo» non è un comune dell'ambito",
            "non è nell'elenco ISTAT",
        ],
    ),
    Case(
        "comune_fuori_ambito",
        cell(UNITA, 6, "Comune", "Cremona"),
        ["unita_abitative.csv", "riga 6", "colonna «Comune»", "«Cremona» non è un comune dell'ambito"],
        absent=["non è nell'elenco ISTAT"],
    ),
    Case(
        "ente_unita_senza_patrimonio",
        cell(UNITA, 20, "Ragione Sociale Ente Proprietario", "Comune di Capergnanica"),
        [
            "unita_abitative.csv",
            "riga 20",
            "colonna «Ragione Sociale Ente Proprietario»",
            "«Comune di Capergnanica» non ha patrimonio nella tabella a)",
        ],
    ),
    Case(
        "ente_turnover_senza_patrimonio",
        append_row(TURNOVER, ["Comune di Capergnanica", "Capergnanica", "1"]),
        ["turnover_previsto.csv", "riga 7", "«Comune di Capergnanica» non ha patrimonio nella tabella a)"],
    ),
    Case(
        "codice_nome_istat_discordi",
        cell(COMUNI_AMBITO, 2, "name", "Agnadelo", ","),
        ["comuni_ambito_cremasco.csv", "riga 2", "il codice 019002 è «Agnadello» per l'ISTAT, non «Agnadelo»"],
    ),
    Case(
        "popolazione_diversa_da_istat",
        cell(COMUNI_AMBITO, 2, "population_2018_01_01", "3867", ","),
        [
            "comuni_ambito_cremasco.csv",
            "riga 2",
            "Agnadello ha 3.867 abitanti nell'elenco dell'ambito e 3.866 nel file ISTAT",
        ],
    ),
    Case(
        "sub_ambito_non_previsto",
        cell(COMUNI_AMBITO, 2, "sub_ambito", "Rivolta d'Adda", ","),
        ["comuni_ambito_cremasco.csv", "riga 2", "sub-ambito «Rivolta d'Adda» non previsto nel file del piano"],
    ),
    Case(
        "comune_senza_confine",
        without_boundary("019002"),
        ["confini_comuni_cremasco_2023.geojson", "manca il confine del comune 019002"],
    ),
    Case(
        "aderenti_oltre_ambito",
        cell(MISURE, 2, "Comuni aderenti", "50"),
        ["misure_avvisi.csv", "riga 2", "50 comuni aderenti su 48"],
    ),
    Case(
        "avviso_con_meno_comuni",
        cell(MISURE, 2, "Comuni ambito", "47"),
        [
            "misure_avvisi.csv",
            "riga 2",
            "colonna «Comuni ambito»",
            "conta 47 comuni dell'ambito, meno dei 48",
            "atteso: almeno 48",
        ],
        absent=["anteriore a un cambiamento"],
    ),
    # privacy
    Case(
        "colonna_codice_fiscale",
        add_column(UNITA, "Codice Fiscale", CODICE_FISCALE),
        ["unita_abitative.csv", "colonna «Codice Fiscale»", "dati personali", "il file è rifiutato"],
        lines=1,
        absent=[CODICE_FISCALE],
    ),
    Case(
        "valore_codice_fiscale",
        cell(UNITA, 9, "Stato unità immobiliare", CODICE_FISCALE),
        [
            "unita_abitative.csv",
            "riga 9",
            "colonna «Stato unità immobiliare»",
            "forma di un codice fiscale",
            "trovato: «RSSM…»",
        ],
        absent=[CODICE_FISCALE],
    ),
    Case(
        "codici_fiscali_in_piu_righe",
        several(*(cell(UNITA, r, "Stato unità immobiliare", f"{CODICE_FISCALE} (inquilino)") for r in (9, 10, 12))),
        [
            "unita_abitative.csv",
            "riga 9",
            "colonna «Stato unità immobiliare»",
            "e in altre 2 righe: 10, 12",
            "trovato: «RSSM…»",
        ],
        lines=1,
        absent=[CODICE_FISCALE],
    ),
    Case(
        "colonne_nome_cognome",
        several(add_column(ASSEGNAZIONI, "Nome", "Mario"), add_column(ASSEGNAZIONI, "Cognome", "Bianchi")),
        [
            "assegnazioni_anno_precedente.csv, colonna «Nome»",
            "assegnazioni_anno_precedente.csv, colonna «Cognome»",
            "2 problemi",
        ],
        same_line=False,
        lines=2,
        absent=["Bianchi;", "«Bianchi»"],
    ),
    # the data register
    Case(
        "file_non_registrato",
        lambda tmp: (tmp / PLATFORM / "patrimonio_enti_copia.csv").write_text("x;y\n"),
        ["register.csv", "«piattaforma/patrimonio_enti_copia.csv» non è nel registro"],
        rerecord=False,
    ),
    Case(
        "file_cambiato_senza_registro",
        cell(PATRIMONIO, 11, "N. alloggi SAS", "1"),
        [
            "register.csv",
            "riga 10",
            "colonna «sha256»",
            "«piattaforma/patrimonio_enti.csv» è cambiato dopo la registrazione",
            "make registra PIANO=cremasco_2019",
        ],
        rerecord=False,
    ),
    Case(
        "registro_file_inesistente",
        register_row_for_missing_file,
        ["register.csv", "riga 19", "colonna «file»", "«riferimenti/progetti_2018.csv» non esiste"],
        rerecord=False,
    ),
    Case("registro_mancante", remove_file(REGISTER), ["register.csv", "registro dei dati mancante"], rerecord=False),
    Case(
        "registro_riga_corta",
        several(
            lambda tmp: (tmp / PLATFORM / "nuovo.csv").write_text("x;y\n1;2\n", encoding="utf-8"),
            append_text(REGISTER, "piattaforma/nuovo.csv,un file nuovo\n"),
        ),
        ["register.csv", "riga 19", "colonna «fonte»", "campo obbligatorio vuoto"],
        rerecord=False,
    ),
    Case(
        "registro_riga_doppia",
        lambda tmp: (tmp / REGISTER).write_text(
            (tmp / REGISTER).read_text(encoding="utf-8")
            + (tmp / REGISTER).read_text(encoding="utf-8").splitlines()[5]
            + "\n",
            encoding="utf-8",
        ),
        ["register.csv", "riga 19", "registrato due volte", "riga 6"],
        rerecord=False,
    ),
    # configuration
    Case(
        "config_anno_testo",
        text_edit(PLAN_FILE, "anno: 2019", 'anno: "duemila"'),
        [PLAN_FILE, "chiave «anno»", "un numero intero", "trovato: «duemila»"],
    ),
    Case(
        "config_chiave_sconosciuta",
        append_text(PLAN_FILE, "anno_piano: 2019\n"),
        [PLAN_FILE, "chiave «anno_piano» non prevista", "solo le chiavi anno"],
    ),
    Case(
        "config_date_non_mappa",
        text_edit(PLAN_FILE, "date:   # AAAA-MM-GG\n", "date: 2019-06-25\nold_dates:\n"),
        [PLAN_FILE, "«date»", "tipo di valore sbagliato", "una mappa di chiavi"],
        same_line=False,
    ),
    Case(
        "config_input_sconosciuto",
        lambda tmp: replace_text(tmp / PLAN_FILE, "  progetti:", "  contratti: piattaforma/contratti.csv\n  progetti:"),
        [PLAN_FILE, "dati.contratti", "input sconosciuto", "uno di: assegnabili_dichiarate"],
    ),
    Case(
        "config_piano_senza_dati",
        text_edit("config.yaml", "plans: [cremasco_2019]", "plans: [cremasco_2020]"),
        ["plans/cremasco_2020.yaml", "file di configurazione mancante", "plans"],
    ),
    Case(
        "config_yaml_rotto",
        text_edit("config.yaml", "plans: [cremasco_2019]", "plans: [cremasco_2019"),
        ["config.yaml", "YAML non valido"],
    ),
    Case(
        "config_mancante",
        lambda tmp: None,
        ["configurazione.yaml", "file di configurazione mancante"],
        config="configurazione.yaml",
    ),
    # boundaries
    Case(
        "confini_non_geojson",
        write_bytes(BOUNDARIES, b"[1, 2, 3]"),
        ["confini_comuni_cremasco_2023.geojson", "non è una FeatureCollection", "trovato: «list»"],
    ),
    Case(
        "confini_json_rotto",
        lambda tmp: (tmp / BOUNDARIES).write_bytes((tmp / BOUNDARIES).read_bytes()[:500]),
        ["confini_comuni_cremasco_2023.geojson", "GeoJSON non leggibile"],
    ),
]


def prepare(case: Case, base: Path) -> Path:
    tmp = copy_inputs(base / case.id)
    case.mutate(tmp)
    if case.rerecord and (tmp / REGISTER).exists():
        update_checksums(tmp / RAW)
    return tmp


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict[str, subprocess.CompletedProcess | Exception]:
    base = tmp_path_factory.mktemp("matrix")

    def one(case: Case):
        try:
            return run_validate(prepare(case, base), case.config)
        except Exception as err:  # a broken mutation fails only its own case
            return err

    return {case.id: one(case) for case in CASES}  # each a warm fork (run_validate): a fraction of a second


def test_matrix_is_large_enough():
    assert len(CASES) >= 30
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_broken_input_is_refused_with_a_located_message(case: Case, results):
    result = results[case.id]
    if isinstance(result, Exception):
        raise result
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    assert "Dati di input non validi" in result.stderr, output
    problem_lines = problem_items(result.stderr)  # each problem whole, though wrapped at 80 columns
    assert max(len(line) for line in output.splitlines()) <= 80, output
    if case.same_line:
        assert any(all(word in line for word in case.expect) for line in problem_lines), (
            f"no problem holds all of {case.expect}:\n{output}"
        )
    else:
        for word in case.expect:
            assert word in normalised(output), f"{word!r} missing:\n{output}"
    if case.lines is not None:
        assert len(problem_lines) == case.lines, output
    for word in case.absent:
        assert word not in output, f"{word!r} must not be printed:\n{output}"


def test_good_inputs_pass(tmp_path):
    result = run_validate(copy_inputs(tmp_path), fresh=True)  # the command in a new Python, as make runs it
    assert result.returncode == 0, result.stderr
    assert "nessun errore" in result.stdout


def test_the_matrix_sees_what_a_new_python_prints(tmp_path):
    """The matrix runs the pre-flight in warm forks (tests/warm.py); a new Python prints the same bytes."""
    case = next(c for c in CASES if c.id == "testo_in_intero")
    project = prepare(case, tmp_path)
    warm, fresh = run_validate(project), run_validate(project, fresh=True)
    assert (warm.returncode, warm.stdout, warm.stderr) == (fresh.returncode, fresh.stdout, fresh.stderr)
    assert warm.returncode == 1 and "riga" in warm.stderr


# --- through the workflow --------------------------------------------------------------------

TARGET = f"{PROCESSED}/comuni.csv"
WRITTEN = ("data/processed", "data/interim", "output", "report/gen", "logs")


@pytest.fixture(scope="module")
def built_project(reference_build, tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A copy of the project with a good build of comuni.csv and the rest (conftest.reference_build)."""
    tmp = copy_built(reference_build[0], tmp_path_factory.mktemp("workflow") / "progetto")
    result = run_snakemake(tmp, INPUTS_ACCEPTED, TARGET)
    assert result.returncode == 0, result.stdout + result.stderr
    hashes = sha256_tree(tmp / PROCESSED)
    assert "comuni.csv" in hashes and "verifiche.csv" in hashes
    return tmp, hashes


def break_with_personal_data(tmp: Path) -> None:
    edit_csv(
        tmp / UNITA,
        lambda rows: [
            row.extend(["Nome", "Codice Fiscale"]) if i == 0 else row.extend([PERSON, CODICE_FISCALE])
            for i, row in enumerate(rows)
        ],
    )


WORKFLOW_CASES = [
    (
        "testo_in_intero",
        cell(PATRIMONIO, 11, "N. alloggi SAP", "sei"),
        ["patrimonio_enti.csv, riga 11, colonna «N. alloggi SAP»", "trovato: «sei»"],
    ),
    (
        "comune_fuori_ambito",
        cell(UNITA, 6, "Comune", "Cremona"),
        ["unita_abitative.csv, riga 6, colonna «Comune»", "«Cremona» non è un comune dell'ambito"],
    ),
    (
        "dati_personali",
        break_with_personal_data,
        ["unita_abitative.csv, colonna «Nome»", "unita_abitative.csv, colonna «Codice Fiscale»", "dati personali"],
    ),
]


@pytest.mark.parametrize("case_id, mutate, expect", WORKFLOW_CASES, ids=[c[0] for c in WORKFLOW_CASES])
def test_workflow_refuses_broken_input_and_keeps_the_good_build(built_project, case_id, mutate, expect):
    tmp, good = built_project
    originals = {p: p.read_bytes() for p in (tmp / RAW).rglob("*") if p.is_file()}
    try:
        mutate(tmp)
        update_checksums(tmp / RAW)
        result = run_snakemake(tmp, INPUTS_ACCEPTED, TARGET)
        output = result.stdout + result.stderr
        assert result.returncode != 0, output
        for word in expect:
            assert word in normalised(output), f"{word!r} missing:\n{output}"
        # Snakemake reports the failed job; no traceback of our code may reach the user
        assert TRACEBACK not in output, output
        assert sha256_tree(tmp / PROCESSED) == good
        if case_id == "dati_personali":
            for value in (CODICE_FISCALE, PERSON):
                assert files_containing(tmp, value, WRITTEN) == [], value
                assert value not in output
    finally:  # the next case starts again from the good inputs
        for path, data in originals.items():
            path.write_bytes(data)
