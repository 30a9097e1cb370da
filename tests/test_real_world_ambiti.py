"""Real-world ambiti: no sub-ambiti, populations supplied by a registered file, notices counted before a
merger, population columns of any year, dates checked against the plan's year, Italian config messages.

Each case copies the real 2019 inputs to a temporary folder, changes one thing and runs the inputs
stage in-process (`checked_inputs`), as the workflow's validate_inputs rule does.
"""

from __future__ import annotations

import re
from pathlib import Path

import jsonschema
import pytest

from inputs_support import PLAN, PLAN_FILE, PLATFORM, RAW, copy_inputs, edit_csv, register_added, replace_text
from pianoabitativo import catalogue
from pianoabitativo.core.config import _config_problem, load_plan
from pianoabitativo.core.errors import DataError
from pianoabitativo.inputs.checks import ERROR, WARNING, checks_frame
from pianoabitativo.inputs.interim import read_interim
from pianoabitativo.inputs.register import update_checksums
from pianoabitativo.inputs.stage import checked_inputs, validate_and_write
from pianoabitativo.tables import build

COMUNI = f"{RAW}/ambito/comuni_ambito_cremasco.csv"
POPOLAZIONE = f"{RAW}/istat/popolazione_residente_provCR_2018_2021.csv"
SUPPLIED = "istat/popolazione_integrazioni.csv"
MISURE = f"{PLATFORM}/misure_avvisi.csv"
FONTE = "ISTAT, bilancio demografico 2018 (dato rettificato), comunicazione del Comune del 12/03/2019"


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A copy of the 2019 inputs; the current folder is the copy (paths in messages are relative)."""
    copy_inputs(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_stage(tmp: Path):
    update_checksums(tmp / RAW)
    facts = load_plan(PLAN)
    inputs, results = checked_inputs(facts, Path(RAW))
    return facts, inputs, {r.check: r for r in results}


def refused(tmp: Path) -> list[str]:
    with pytest.raises(DataError) as err:
        run_stage(tmp)
    return [p.describe() for p in err.value.problems]


def comuni_table(inputs, facts):
    densities = dict(
        zip(inputs.frame("densita_riferimento")["territorio"], inputs.frame("densita_riferimento")["densita"])
    )
    return build.comuni_table(
        inputs.frame("comuni_ambito"),
        inputs.frame("popolazione"),
        facts["istat"]["population_column"],
        inputs.frame("patrimonio"),
        densities[facts["ambito"]["province"]],
        densities[facts["ambito"]["region"]],
        inputs.frame("popolazione_integrazioni"),
    )


def drop_columns(*headers: str):
    def change(rows):
        for header in headers:
            i = rows[0].index(header)
            for row in rows:
                del row[i]

    return change


def set_value(header: str, code: str, value: str, key_header: str = "istat_code"):
    def change(rows):
        key, col = rows[0].index(key_header), rows[0].index(header)
        next(r for r in rows[1:] if r[key] == code)[col] = value

    return change


def without_sub_ambiti(tmp: Path) -> None:
    replace_text(
        tmp / PLAN_FILE,
        "  sub_ambiti: [Bagnolo Cremasco, Castelleone, Città di Crema, Pandino, Sergnano, Soncino]\n",
        "",
    )


def add_supplements(tmp: Path, rows: list[list[str]]) -> None:
    path = tmp / RAW / SUPPLIED
    path.write_text(
        "\n".join(";".join(r) for r in [["codice_istat", "comune", "popolazione", "fonte", "nota"], *rows]) + "\n",
        encoding="utf-8",
    )
    replace_text(
        tmp / PLAN_FILE,
        "  progetti: riferimenti/progetti_ambito.csv\n",
        f"  progetti: riferimenti/progetti_ambito.csv\n  popolazione_integrazioni: {SUPPLIED}\n",
    )
    register_added(tmp / RAW, SUPPLIED, like="istat/popolazione_residente_provCR_2018_2021.csv")


# --- 1. an ambito without sub-ambiti ---------------------------------------------------------


def test_ambito_without_sub_ambiti_and_without_the_column_builds(project):
    without_sub_ambiti(project)
    edit_csv(project / COMUNI, drop_columns("sub_ambito", "sub_ambito_status"), delimiter=",")
    facts, inputs, checks = run_stage(project)
    assert facts["ambito"]["sub_ambiti"] == []
    assert checks["sub_ambiti"].passed and checks["sub_ambiti"].severity == ERROR
    assert "non ha sub-ambiti" in checks["sub_ambiti"].description
    comuni = comuni_table(inputs, facts)
    assert list(comuni.columns) == [c for c, _ in catalogue.processed_table("comuni").columns]
    assert len(comuni) == 48 and comuni["popolazione"].sum() == 162323
    assert (comuni["sub_ambito"] == "").all()
    sub = build.subambiti_table(comuni, facts["ambito"]["sub_ambiti"])
    assert sub.empty and list(sub.columns) == [c for c, _ in catalogue.processed_table("subambiti").columns]


def test_empty_sub_ambito_cells_with_an_empty_list(project):
    replace_text(
        project / PLAN_FILE,
        "sub_ambiti: [Bagnolo Cremasco, Castelleone, Città di Crema, Pandino, Sergnano, Soncino]",
        "sub_ambiti: []",
    )
    edit_csv(project / COMUNI, lambda rows: [r.__setitem__(2, "") for r in rows[1:]], delimiter=",")
    _, _, checks = run_stage(project)
    assert checks["sub_ambiti"].passed


def test_sub_ambito_named_in_the_file_but_not_in_the_plan_is_an_error(project):
    without_sub_ambiti(project)
    problems = refused(project)
    assert len(problems) == 48
    assert any(
        "riga 2, colonna «sub_ambito»" in p
        and "sub-ambito «Pandino» indicato, ma il file del piano non prevede sub-ambiti" in p
        for p in problems
    )


def test_comune_without_sub_ambito_when_the_plan_has_them(project):
    edit_csv(project / COMUNI, set_value("sub_ambito", "019002", ""), delimiter=",")
    problems = refused(project)
    assert any("riga 2, colonna «sub_ambito»" in p and "Agnadello: sub-ambito mancante" in p for p in problems)


# --- 2. population supplied or corrected by a registered file --------------------------------


def test_no_supplements_writes_an_empty_interim_table(project):
    update_checksums(project / RAW)
    facts = load_plan(PLAN)
    out = {key: f"interim/{key}.csv" for key in catalogue.INPUTS}
    results = validate_and_write(
        facts, Path(RAW), out, "interim/totali.csv", "interim/confini.geojson", "interim/verifiche.csv"
    )
    assert (
        Path(out["popolazione_integrazioni"]).read_text(encoding="utf-8")
        == "codice_istat,comune,popolazione,fonte,nota,riga\n"
    )
    assert read_interim(out["popolazione_integrazioni"], "popolazione_integrazioni").empty
    assert len(results) == 16


def test_comune_missing_from_istat_is_refused_then_supplied(project):
    # a comune created by a merger has no population in ISTAT's file for the year before
    edit_csv(project / POPOLAZIONE, set_value("pop_res_18", "019002", "", key_header="pro_com_t"), delimiter=",")
    problems = refused(project)
    assert any(
        "Agnadello (019002): nessuna popolazione ISTAT in «pop_res_18»" in p and "popolazione_integrazioni" in p
        for p in problems
    )

    add_supplements(project, [["019002", "Agnadello", "3866", FONTE, "comune nato da fusione"]])
    facts, inputs, checks = run_stage(project)
    check = checks["popolazione_istat"]
    assert check.problems == [] and not check.passed and check.outcome_severity == WARNING
    assert check.details == [
        f"{RAW}/{SUPPLIED}, riga 2, colonna «popolazione»: Agnadello (019002): popolazione 3.866 fornita da "
        f"{RAW}/{SUPPLIED}, assente dal file ISTAT («pop_res_18»); fonte: {FONTE}; nota: comune nato da fusione"
    ]
    row = checks_frame(list(checks.values())).set_index("controllo").loc["popolazione_istat"]
    assert (row.gravita, row.esito) == ("avviso", "non superato")
    comuni = comuni_table(inputs, facts).set_index("comune")
    assert comuni.loc["Agnadello", "popolazione"] == 3866 and comuni["popolazione"].sum() == 162323


def test_late_istat_correction_replaces_the_value_and_names_the_istat_one(project):
    add_supplements(project, [["019035", "Crema", "34270", FONTE, ""]])
    edit_csv(project / COMUNI, set_value("population_2018_01_01", "019035", "34270"), delimiter=",")
    facts, inputs, checks = run_stage(project)
    detail = checks["popolazione_istat"].details[0]
    assert "riga 2" in detail and "Crema (019035): popolazione 34.270" in detail
    assert "al posto di 34.264 del file ISTAT" in detail and f"fonte: {FONTE}" in detail
    comuni = comuni_table(inputs, facts).set_index("comune")
    assert comuni.loc["Crema", "popolazione"] == 34270 and comuni["popolazione"].sum() == 162323 + 6


def test_supplement_for_a_comune_outside_the_ambito_is_an_error(project):
    add_supplements(project, [["019036", "Cremona", "72680", FONTE, ""]])
    problems = refused(project)
    assert any(
        f"{SUPPLIED}, riga 2, colonna «codice_istat»" in p and "019036 (Cremona) non è un comune dell'ambito" in p
        for p in problems
    )


def test_supplements_need_a_source_and_registration(project):
    add_supplements(project, [["019035", "Crema", "34270", "", ""]])
    problems = refused(project)
    assert any(f"{SUPPLIED}, riga 2, colonna «fonte»: cella vuota" in p for p in problems)
    (project / RAW / SUPPLIED).write_text(
        "codice_istat;comune;popolazione;fonte\n019035;Crema;34270;x\n", encoding="utf-8"
    )
    with pytest.raises(DataError) as err:  # changed after registration, not re-signed
        checked_inputs(load_plan(PLAN), Path(RAW))
    assert any(
        "popolazione_integrazioni.csv» è cambiato dopo la registrazione" in p.describe() for p in err.value.problems
    )


# --- 3. notices counted before a merger ------------------------------------------------------


def test_notice_counted_before_a_merger_is_a_warning(project):
    edit_csv(project / MISURE, lambda rows: rows[1].__setitem__(8, "49"))
    _, inputs, checks = run_stage(project)
    check = checks["misure_comuni"]
    assert check.problems == [] and check.outcome_severity == WARNING
    assert check.details == [
        f"{MISURE}, riga 2, colonna «Comuni ambito»: l'avviso 11/2017 conta 49 comuni "
        "dell'ambito, l'ambito ne ha oggi 48: è il dato dell'avviso, anteriore a un "
        "cambiamento dei comuni (es. una fusione); la tabella l) lo riporta com'è"
    ]
    assert build.measures_table(inputs.frame("misure_avvisi"))["comuni_ambito"].tolist() == [49, 48, 48]


def test_notice_counting_fewer_comuni_than_today_is_refused_without_claiming_a_merger(project):
    """A merger only makes an older count higher: 47 for an ambito of 48 is a mistake, not history."""
    edit_csv(project / MISURE, lambda rows: rows[1].__setitem__(8, "47"))
    problems = refused(project)
    assert problems == [
        f"{MISURE}, riga 2, colonna «Comuni ambito»: I comuni aderenti agli avvisi non superano i "
        "comuni dell'ambito: l'avviso 11/2017 conta 47 comuni dell'ambito, meno dei 48 che l'ambito "
        "ha oggi (una fusione di comuni renderebbe il numero dell'avviso più alto, non più basso); "
        "atteso: almeno 48, il numero dei comuni dell'ambito; trovato: «47»"
    ]


def test_adherents_above_the_notices_own_count_stay_an_error(project):
    edit_csv(project / MISURE, lambda rows: (rows[1].__setitem__(8, "49"), rows[1].__setitem__(7, "50")))
    problems = refused(project)
    assert any("riga 2, colonna «Comuni aderenti»" in p and "50 comuni aderenti su 49" in p for p in problems)


# --- 4. the population column of any year ----------------------------------------------------


def test_population_column_derived_from_the_reference_date(project):
    replace_text(
        project / PLAN_FILE,
        "istat:\n  colonna_popolazione: pop_res_18  # colonna del file della popolazione "
        "(di solito dedotta dalla data)\n",
        "",
    )
    facts, inputs, checks = run_stage(project)
    assert facts["istat"]["population_column"] == "pop_res_18"
    assert checks["popolazione_istat"].passed


def test_a_later_year_and_a_new_istat_column(project):
    replace_text(
        project / PLAN_FILE,
        "  colonna_popolazione: pop_res_18  # colonna del file della popolazione (di solito dedotta dalla data)\n",
        "  {}\n",
    )
    replace_text(project / PLAN_FILE, "istat:\n  {}\n", "")
    replace_text(project / PLAN_FILE, "riferimento_popolazione: 2018-01-01", "riferimento_popolazione: 2019-01-01")
    edit_csv(
        project / POPOLAZIONE,
        lambda rows: [r.append("pop_res_22" if i == 0 else "1000") for i, r in enumerate(rows)],
        delimiter=",",
    )
    facts, inputs, checks = run_stage(project)
    assert facts["istat"]["population_column"] == "pop_res_19"
    frame = inputs.frame("popolazione")
    assert list(frame.columns)[2:] == ["pop_res_18", "pop_res_19", "pop_res_20", "pop_res_21", "pop_res_22"]
    assert str(frame["pop_res_22"].dtype) == "Int64"
    comuni = comuni_table(inputs, facts).set_index("comune")
    assert comuni.loc["Agnadello", "popolazione"] == 3896  # pop_res_19
    # the comuni file's own column is dated 2018-01-01: not compared, and said so
    check = checks["popolazione_istat"]
    assert check.problems == [] and check.outcome_severity == WARNING
    assert (
        "«population_2018_01_01» è riferita al 2018-01-01, la popolazione del piano al 2019-01-01" in check.details[0]
    )


def test_comuni_file_population_column_under_other_names(project):
    edit_csv(project / COMUNI, lambda rows: rows[0].__setitem__(4, "popolazione"), delimiter=",")
    edit_csv(project / COMUNI, set_value("popolazione", "019002", "3867"), delimiter=",")
    problems = refused(project)
    assert any("riga 2, colonna «popolazione»" in p and "Agnadello ha 3.867 abitanti" in p for p in problems)


def test_missing_population_column_names_the_reference_date(project):
    replace_text(project / PLAN_FILE, "colonna_popolazione: pop_res_18", "colonna_popolazione: pop_res_17")
    problems = refused(project)
    assert any("«pop_res_17» (popolazione al 2018-01-01, date.riferimento_popolazione" in p for p in problems)


# --- 5. dates against the plan's year --------------------------------------------------------


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (
            "approvazione: 2019-06-25",
            "approvazione: 2019-02-30",
            "chiave «date.approvazione»: data non valida; atteso: una data AAAA-MM-GG; trovato: «2019-02-30»",
        ),
        (
            "assegnabili_entro: 2019-12-31",
            "assegnabili_entro: 2020-12-31",
            "chiave «date.assegnabili_entro»: data fuori dall'anno del piano; atteso: una data del 2019",
        ),
        (
            "scadenza_piano_successivo: 2019-12-31",
            "scadenza_piano_successivo: 2018-12-31",
            "chiave «date.scadenza_piano_successivo»: data fuori dall'anno del piano",
        ),
        (
            "approvazione: 2019-06-25",
            "approvazione: 2020-01-15",
            "chiave «date.approvazione»: data di approvazione incompatibile con l'anno del piano; atteso: una data del "
            "2018 o del 2019",
        ),
        (
            "riferimento_famiglie: 2016-12-31",
            "riferimento_famiglie: 2019-07-01",
            "chiave «date.riferimento_famiglie»: data di riferimento successiva all'approvazione del piano",
        ),
        ("colonna_popolazione: pop_res_18  #", "#", None),  # no explicit column, 1 January: fine
    ],
)
def test_dates_are_checked_against_the_plan_year(project, old, new, expected):
    replace_text(project / PLAN_FILE, old, new)
    if expected is None:
        replace_text(project / PLAN_FILE, "istat:\n  #", "# istat:\n  #")
        assert load_plan(PLAN)["istat"]["population_column"] == "pop_res_18"
        return
    with pytest.raises(DataError) as err:
        load_plan(PLAN)
    lines = [p.describe() for p in err.value.problems]
    assert any(line.startswith(PLAN_FILE) and expected in line for line in lines), lines


def test_population_reference_not_on_1_january_needs_an_explicit_column(project):
    replace_text(project / PLAN_FILE, "istat:\n  colonna_popolazione: pop_res_18", "# istat: none")
    replace_text(project / PLAN_FILE, "riferimento_popolazione: 2018-01-01", "riferimento_popolazione: 2018-06-30")
    with pytest.raises(DataError) as err:
        load_plan(PLAN)
    assert "istat.colonna_popolazione" in err.value.problems[0].describe()


# --- 6. every config message in Italian ------------------------------------------------------

SCHEMA = {
    "type": "object",
    "properties": {
        "a": {"type": "array", "minItems": 2},
        "b": {"type": "array", "maxItems": 1},
        "c": {"type": "array", "uniqueItems": True},
        "d": {"const": 45},
        "e": {"type": "string", "minLength": 1},
        "f": {"type": "string", "maxLength": 3},
        "g": {"type": "integer", "multipleOf": 5},
        "h": {"type": "integer", "exclusiveMinimum": 0},
        "i": {"not": {"type": "string"}},
        "j": {"type": "object", "minProperties": 1},
        "k": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
        "l": {"type": "object", "dependentRequired": {"x": ["y"]}},
        "m": False,
        "n": {"type": "object", "propertyNames": {"pattern": "^[a-z]+$"}},
    },
}
BAD = {
    "a": [1],
    "b": [1, 2],
    "c": ["x", "x"],
    "d": 44,
    "e": "",
    "f": "abcd",
    "g": 7,
    "h": 0,
    "i": "x",
    "j": {},
    "k": [1],
    "l": {"x": 1},
    "m": 1,
    "n": {"A": 1},
}
ENGLISH = re.compile(r"\b(is|not|should|valid|expected|too|non-empty|does|of|under|any)\b")


def test_every_schema_message_is_in_italian():
    validator = jsonschema.Draft202012Validator(SCHEMA)
    errors = list(validator.iter_errors(BAD))
    assert len(errors) == len(BAD)
    for err in errors:
        for problem in _config_problem(err, "plans/x.yaml"):
            text = problem.describe()
            assert text.startswith("plans/x.yaml: chiave «"), text
            message = text.split(": ", 1)[1].split("; trovato")[0]
            assert not ENGLISH.search(message.replace("«", " ").replace("»", " ")), (err.validator, text)
