"""The plan as the law asks for it today (issue 19): SAP, SAS and SAT units, choices per comune.

The invented plan gerundo_2021 (tests/fixtures/gerundo_2021, README.md there: every figure below is
computed by hand in its table) is built end to end; the fast tests hold the pieces: the quota rule, the
optional columns and their checks, the wording for zero, one and many.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from inputs_support import ROOT, copy_project, pdf_text, run_snakemake, run_validate
from pianoabitativo import catalogue
from pianoabitativo.core.errors import DataError
from pianoabitativo.core.services import assignable_rows, quota_units
from pianoabitativo.fragments import housing
from pianoabitativo.fragments import services as service_fragments
from pianoabitativo.inputs.schema import load_schema, read_table
from pianoabitativo.tables import services as service_tables

PLAN = "gerundo_2021"
FIXTURE = ROOT / "tests" / "fixtures" / PLAN
SCHEMAS = ROOT / "src" / "pianoabitativo" / "schemas" / "inputs"


def install(project: Path) -> Path:
    spec = importlib.util.spec_from_file_location("make_gerundo", FIXTURE / "make_fixture.py")
    fixture = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fixture)
    raw = fixture.install(project)
    config = project / "config.yaml"
    config.write_text(
        re.sub(r"(?m)^plans:.*$", f"plans: [{PLAN}]", config.read_text(encoding="utf-8")), encoding="utf-8"
    )
    return raw


def sign(raw: Path) -> None:
    from pianoabitativo.inputs.register import update_checksums

    update_checksums(raw)


# --- fast: the quota rule ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "percent", "down", "nearest", "up"),
    [
        (5, 10, 0, 1, 1),  # 0,5: a half goes up only with «nearest» and «up»
        (6, 7.5, 0, 0, 1),  # 0,45
        (15, 10, 1, 2, 2),  # 1,5
        (20, 10, 2, 2, 2),  # exact
        (7, 9.99, 0, 1, 1),  # 0,6993
        (0, 10, 0, 0, 0),
    ],
)
def test_a_quota_in_percent_becomes_units_by_the_plans_rule(base, percent, down, nearest, up):
    assert [quota_units(base, percent, r) for r in ("down", "nearest", "up")] == [down, nearest, up]


def test_the_rule_is_stated_in_words():
    text = service_fragments.rule_sentence("down", "assignable_sap")
    assert "arrotondando per difetto (all'unità inferiore)" in text
    assert "unità destinate a SAP del comune assegnabili nell'anno" in text


# --- fast: the optional columns and the new input -----------------------------------------------------


def _table(tmp_path: Path, key: str, text: str):
    path = tmp_path / f"{key}.csv"
    path.write_text(text, encoding="utf-8")
    return read_table(path, load_schema(SCHEMAS / f"{key}.yaml"), path.name)


def test_stock_with_sat_counts_it_in_the_total(tmp_path):
    head = "Ragione Sociale Ente Proprietario;Totale unità;N. alloggi SAP;N. alloggi SAS;N. alloggi SAT\n"
    table = _table(tmp_path, "patrimonio", head + "ALER;10;6;2;2\nTotale;10;6;2;2\n")
    assert table.frame["alloggi_sat"].tolist() == [2] and table.declared_totals["alloggi_sat"] == 2
    with pytest.raises(DataError) as err:
        _table(tmp_path, "patrimonio", head + "ALER;8;6;2;2\nTotale;8;6;2;2\n")
    [problem] = err.value.problems
    assert (problem.row, problem.column) == (2, "Totale unità")
    assert "«N. alloggi SAT»" in problem.expected and problem.expected.startswith("10 ")


def test_stock_without_sat_is_read_as_in_2019(tmp_path):
    head = "Ragione Sociale Ente Proprietario;Totale unità;N. alloggi SAP;N. alloggi SAS\n"
    table = _table(tmp_path, "patrimonio", head + "ALER;8;6;2\nTotale;8;6;2\n")
    assert table.frame["alloggi_sat"].isna().all()
    assert service_tables.stock_by_service(table.frame)["servizio"].tolist() == ["SAP", "SAS"]


def test_service_absent_means_sap_and_anything_but_sap_or_sas_is_refused(tmp_path):
    head = "Ragione Sociale Ente Proprietario;Codice I.D. unità immobiliare;Comune;Categoria"
    plain = _table(tmp_path, "unita", head + "\nALER;1;Crema;b\n")
    assert plain.frame["servizio"].tolist() == ["SAP"]
    with pytest.raises(DataError) as err:
        _table(tmp_path, "unita", head + ";Servizio\nALER;1;Crema;b;SAT\n")
    [problem] = err.value.problems
    assert (problem.row, problem.column, problem.found) == (2, "Servizio", "SAT") and "SAP, SAS" in problem.expected


def test_turnover_released_by_police_at_most_the_rows_units(tmp_path):
    head = (
        "Ragione Sociale Ente Proprietario;Comune;Servizio;Numero unità immobiliari;"
        "di cui rilasciate da Forze di Polizia e VVF\n"
    )
    table = _table(tmp_path, "turnover", head + "ALER;Crema;SAP;3;1\nALER;Crema;SAS;1;\n")
    assert table.frame["forze_polizia_vvf"].tolist()[0] == 1 and pd.isna(table.frame["forze_polizia_vvf"][1])
    with pytest.raises(DataError) as err:
        _table(tmp_path, "turnover", head + "ALER;Crema;SAP;3;4\n")
    [problem] = err.value.problems
    assert (problem.row, problem.column) == (2, "di cui rilasciate da Forze di Polizia e VVF")
    assert problem.expected == "al massimo 3 («Numero unità immobiliari»)"


def test_a_quota_above_ten_percent_is_refused_with_its_row(tmp_path):
    with pytest.raises(DataError) as err:
        _table(
            tmp_path,
            "scelte_comunali",
            "Comune;Scelta;Valore\nCrema;soglia_indigenza_pct;30\nCrema;quota_forze_polizia_vvf_pct;12\n",
        )
    [problem] = err.value.problems
    assert (problem.row, problem.column, problem.found) == (3, "Valore", "12")
    assert "tra 0 e 10" in problem.expected


# --- fast: tables and wording ------------------------------------------------------------------------


def test_assignable_rows_by_owner_comune_service_and_category():
    units = pd.DataFrame(
        {
            "ente_proprietario": ["A", "A", "B"],
            "codice_unita": ["1", "2", "3"],
            "comune": ["X", "X", "Y"],
            "categoria": ["b", "e", "e"],
            "servizio": ["SAS", "SAP", "SAP"],
        }
    )
    turnover = pd.DataFrame(
        {"ente_proprietario": ["A", "A"], "comune": ["X", ""], "unita": [2, 0], "servizio": ["SAS", "SAP"]}
    )
    rows = assignable_rows(units, turnover)
    assert rows.values.tolist() == [
        ["A", "X", "SAP", "e_libera", 1],
        ["A", "X", "SAS", "b", 1],
        ["A", "X", "SAS", "e_avvicendamento", 2],
        ["B", "Y", "SAP", "e_libera", 1],
    ]


def test_units_of_several_services_are_counted_in_words():
    assert housing.services_sentence(1, 1) == "È un'unità SAS."
    assert housing.services_sentence(3, 3) == "Sono tutte SAS."
    assert housing.services_sentence(3, 1) == "Una di esse è SAS, le altre SAP."
    assert housing.services_sentence(2, 1) == "Una di esse è SAS, l'altra SAP."
    assert housing.services_sentence(5, 2) == "2 di esse sono SAS, le altre SAP."


def test_new_sections_are_empty_without_their_data():
    empty_contingent = pd.DataFrame({"ente_proprietario": [], "comune": [], "unita": []})
    assert service_fragments.contingent_section(empty_contingent) == ""
    per_comune = pd.DataFrame({c: [] for c, _ in catalogue.processed_table("h_i_scelte_per_comune").columns})
    assert service_fragments.choices_section(per_comune, "down", "assignable") == ""
    by_service = pd.DataFrame(
        {"ente_proprietario": ["A"], "comune": ["X"], "servizio": ["SAP"], "categoria": ["b"], "unita": [1]}
    )
    assert service_fragments.comuni_service_section(by_service, sas=False) == ""


def test_choices_of_a_2019_plan_stay_sentences():
    per_comune = pd.DataFrame(
        [
            {
                "comune": "Castelleone",
                "unita_totali": 10,
                "unita_sap": 10,
                "unita_proprie_sap": 3,
                "soglia_indigenza_pct": float("nan"),
                "quota_forze_polizia_vvf_pct": 10.0,
                "quota_base_unita": pd.NA,
                "quota_forze_polizia_vvf_unita": pd.NA,
                "categoria_aggiuntiva": "",
                "categoria_aggiuntiva_motivazione": "",
            }
        ]
    )
    assert service_fragments.choices_section(per_comune, catalogue.QUOTA_PERCENT_ONLY, None) == ""


def test_contingent_of_one_unit_and_of_many():
    one = pd.DataFrame({"ente_proprietario": ["Comune di X"], "comune": ["X"], "unita": [1]})
    assert service_fragments.contingent_section(one).startswith(
        "Ai servizi abitativi transitori è destinata 1 unità, di un solo ente proprietario, in 1 comune ("
    )
    many = pd.DataFrame({"ente_proprietario": ["A", "B"], "comune": ["X", "Y"], "unita": [2, 3]})
    assert service_fragments.contingent_section(many).startswith(
        "Ai servizi abitativi transitori sono destinate 5 unità, di 2 enti proprietari, in 2 comuni ("
    )


# --- the inputs stage on the fixture: its checks, and a missing plan fact ------------------------------


@pytest.fixture
def inputs_copy(tmp_path) -> Path:
    project = copy_project(tmp_path / "progetto")
    install(project)
    return project


@pytest.mark.workflow
def test_fixture_passes_its_checks_and_a_sas_unit_without_sas_stock_stops_it(inputs_copy):
    passed = run_validate(inputs_copy)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "19 controlli eseguiti" in passed.stdout
    raw = inputs_copy / "data/raw" / PLAN
    units = raw / "piattaforma/unita_abitative.csv"
    units.write_text(
        units.read_text(encoding="utf-8").replace("7730011;Spino d'Adda;e;SAP", "7730011;Spino d'Adda;e;SAS"),
        encoding="utf-8",
    )
    sign(raw)
    refused = run_validate(inputs_copy)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    text = " ".join((refused.stdout + refused.stderr).split())
    assert "unita_abitative.csv, riga 13, colonna «Servizio»" in text
    assert "unità SAS di «Comune di Spino d'Adda», che nella tabella a) non ha alloggi SAS" in text


@pytest.mark.workflow
def test_a_quota_without_the_plans_rule_is_not_refused(inputs_copy):
    plan = inputs_copy / "plans" / f"{PLAN}.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("quota_rounding: nearest\n", ""), encoding="utf-8")
    passed = run_validate(inputs_copy)  # the plan builds, as a draft with the proposed rule (below)
    assert passed.returncode == 0 and "Traceback" not in passed.stderr, passed.stdout + passed.stderr


def test_without_its_quota_rule_a_plan_uses_the_proposed_one_and_stays_a_draft():
    from pianoabitativo.fragments.draft import has_quotas, quota_rule_items

    assert catalogue.quota_rule({}) == ("down", "assignable", True)
    assert catalogue.quota_rule({"quota_rounding": "up"}) == ("up", "assignable", True)
    assert catalogue.quota_rule({"quota_rounding": "nearest", "quota_base": "assignable_sap"}) == (
        "nearest",
        "assignable_sap",
        False,
    )
    assert catalogue.quota_rule({"quota_rounding": "percent_only"}) == ("percent_only", None, False)
    [item] = quota_rule_items({}, quotas=True)
    assert item.what == "arrotondamento_quote" and "per difetto" in item.value
    assert "base_quote" in item.where
    assert quota_rule_items({}, quotas=False) == []
    assert quota_rule_items({"quota_rounding": "down", "quota_base": "assignable"}, quotas=True) == []
    sentence = service_fragments.rule_sentence("down", "assignable", proposed=True)
    assert "[da verificare: arrotondando per difetto (all'unità inferiore), regola proposta" in sentence
    choices = pd.DataFrame({"comune": ["Pandino"], "quota_forze_polizia_vvf_pct": [10.0]})
    assert has_quotas(choices) and not has_quotas(choices.assign(quota_forze_polizia_vvf_pct=[None]))


# --- end to end --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("gerundo") / "progetto")
    install(project)
    run = run_snakemake(project)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return project


def processed(project: Path, table: str) -> pd.DataFrame:
    return pd.read_csv(project / "data/processed" / PLAN / f"{table}.csv", dtype=str, keep_default_na=False)


@pytest.mark.e2e
def test_stock_by_service_with_sat(built):
    stock = (
        processed(built, "a_patrimonio_servizi")
        .pivot(index="ente_proprietario", columns="servizio", values="unita")
        .astype(int)
    )
    assert stock.loc["ALER Brescia-Cremona-Mantova"].to_dict() == {"SAP": 296, "SAS": 8, "SAT": 6}
    assert stock.loc["Comune di Rivolta d'Adda"].to_dict() == {"SAP": 35, "SAS": 3, "SAT": 2}
    assert stock.sum().to_dict() == {"SAP": 372, "SAS": 15, "SAT": 8}
    totals = processed(built, "a_patrimonio_totali").set_index("colonna")
    assert totals.loc["alloggi_sat", ["dichiarato", "calcolato", "differenza"]].tolist() == ["8", "8", "0"]


@pytest.mark.e2e
def test_assignable_by_owner_and_service(built):
    g = processed(built, "g_assegnabili_servizi").astype({"unita": int})
    by_owner = g.pivot_table(index="ente_proprietario", columns="servizio", values="unita", aggfunc="sum", fill_value=0)
    assert by_owner.to_dict("index") == {
        "ALER Brescia-Cremona-Mantova": {"SAP": 8, "SAS": 4},
        "Comune di Pandino": {"SAP": 1, "SAS": 1},
        "Comune di Rivolta d'Adda": {"SAP": 3, "SAS": 1},
        "Comune di Spino d'Adda": {"SAP": 1, "SAS": 0},
        "Comune di Vailate": {"SAP": 1, "SAS": 0},
    }
    by_comune = g.pivot_table(index="comune", columns="servizio", values="unita", aggfunc="sum", fill_value=0)
    assert by_comune.to_dict("index") == {
        "": {"SAP": 4, "SAS": 0},
        "Pandino": {"SAP": 2, "SAS": 3},
        "Rivolta d'Adda": {"SAP": 4, "SAS": 2},
        "Spino d'Adda": {"SAP": 2, "SAS": 1},
        "Vailate": {"SAP": 2, "SAS": 0},
    }
    sas_categories = sorted(set(g.loc[g["servizio"] == "SAS", "categoria"]))
    assert sas_categories == ["b", "c", "e_avvicendamento", "e_libera", "f"]
    turnover = processed(built, "e_turnover_servizi").astype({"unita": int, "forze_polizia_vvf": int})
    assert (turnover["unita"].sum(), turnover["forze_polizia_vvf"].sum()) == (8, 2)
    # the 2019 tables still add up every service
    assert processed(built, "g_assegnabili")["unita"].astype(int).sum() == 20
    assert processed(built, "e_turnover")["unita"].astype(int).sum() == 8


@pytest.mark.e2e
def test_choices_per_comune_with_the_quota_in_units(built):
    choices = processed(built, "h_i_scelte_per_comune").set_index("comune")
    assert list(choices.index) == ["Pandino", "Rivolta d'Adda", "Vailate"]  # Spino d'Adda made none
    columns = [
        "unita_totali",
        "unita_sap",
        "unita_proprie_sap",
        "soglia_indigenza_pct",
        "quota_forze_polizia_vvf_pct",
        "quota_base_unita",
        "quota_forze_polizia_vvf_unita",
    ]
    assert choices.loc["Pandino", columns].tolist() == ["5", "2", "1", "", "10.00", "5", "1"]  # 0,5 -> 1
    assert choices.loc["Rivolta d'Adda", columns].tolist() == ["6", "4", "3", "30.00", "7.50", "6", "0"]  # 0,45
    assert choices.loc["Vailate", columns].tolist() == ["2", "2", "1", "25.00", "", "", ""]
    assert choices.loc["Pandino", "categoria_aggiuntiva"] == "Genitori soli con figli minori"
    contingent = processed(built, "j_servizi_transitori")
    assert contingent["unita"].astype(int).sum() == 5 and contingent["comune"].nunique() == 3
    checks = processed(built, "verifiche").set_index("controllo")
    for check in ("servizi_unita", "scelte_comuni", "contingente_sat"):
        assert checks.loc[check, "esito"] == "superato", check


@pytest.mark.e2e
def test_data_package_describes_the_new_tables(built):
    import json

    package = json.loads((built / "data/processed" / PLAN / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    choices = resources["h-i-scelte-per-comune"]
    assert choices["schema"]["primaryKey"] == ["comune"] and choices["schema"]["missingValues"] == [""]
    assert choices["title"] == "h), i) Scelte di ciascun comune, con la quota in unità"
    assert resources["g-assegnabili-servizi"]["schema"]["primaryKey"] == [
        "ente_proprietario",
        "comune",
        "servizio",
        "categoria",
    ]


@pytest.mark.e2e
def test_document_states_services_choices_and_contingent(built):
    text = pdf_text(built / "output" / f"piano_{PLAN}.pdf").replace("\u2019", "'")
    for sentence in (
        "per complessive 395 unità: 372 alloggi SAP, 15 alloggi SAS e 8 alloggi SAT",
        "Nell'ambito ne sono state rilevate 3 (Tabella 2). Una di esse è SAS, le altre SAP.",
        "Nell'ambito ne è stata rilevata una (Tabella 7). È un'unità SAS.",
        "Di queste, 2 saranno rilasciate da appartenenti alle Forze di Polizia",
        "saranno prevedibilmente assegnabili 20 unità, destinate a SAP o a SAS (14 SAP e 6 SAS), di 5 enti proprietari",
        "Le unità assegnabili nell'anno si trovano in 4 comuni",
        "3 comuni hanno compiuto per l'anno almeno una delle scelte",
        "arrotondando all'unità più vicina (per eccesso da mezza unità in su)",
        "il Comune di Pandino (pari al 10% delle unità: 1 unità)",
        "Solo il Comune di Rivolta d'Adda (2 unità) ha indicato per il 2021 unità da destinare ai servizi "
        "abitativi transitori",
        "Ai servizi abitativi transitori sono destinate 5 unità, di 2 enti proprietari, in 3 comuni",
    ):
        assert sentence in text, sentence
    for header in (
        "Alloggi SAT",
        "Unità SAS",
        "Quota (unità)",
        "di cui rilasciate da Forze di Polizia e VVF",
        "Alloggi SAP, SAS e SAT per ente proprietario",
    ):
        assert header in text, header
    assert "Spino d'Adda" in text and "7,5%" in text


@pytest.mark.e2e
def test_fixture_rebuilds_to_the_same_bytes(built, tmp_path):
    """Same inputs, same bytes: a second clean copy gives the same processed tables and documents."""
    other = copy_project(tmp_path / "altro")
    install(other)
    run = run_snakemake(other)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    for folder in (f"data/processed/{PLAN}", "output"):
        first = {p.name: p.read_bytes() for p in sorted((built / folder).glob("*.*"))}
        second = {p.name: p.read_bytes() for p in sorted((other / folder).glob("*.*"))}
        assert first == second, folder
    shutil.rmtree(other)


def test_diff_shows_the_new_columns_in_italian():
    from pianoabitativo.diff.phrases import shown_value

    assert shown_value("h_i_scelte_per_comune", "quota_forze_polizia_vvf_pct", "7.50") == "7,50"
    assert shown_value("h_i_scelte_per_comune", "quota_forze_polizia_vvf_unita", "") == ""
    assert shown_value("e_turnover_servizi", "servizio", "SAS") == "SAS"


@pytest.mark.e2e
def test_archive_holds_the_new_input_and_tables(built):
    from pianoabitativo.archive.members import read_members

    run = run_snakemake(built, f"archive/piano_{PLAN}.tar.gz")
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    names = set(read_members(built / "archive" / f"piano_{PLAN}.tar.gz"))
    assert f"data/raw/{PLAN}/piattaforma/servizi_transitori.csv" in names
    for table in catalogue.SERVICE_TABLES:
        assert f"data/processed/{PLAN}/{table.name}.csv" in names, table.name


def test_sentences_for_one_and_many():
    one = pd.DataFrame(
        {"ente_proprietario": ["Comune di X"], "comune": ["X"], "servizio": ["SAS"], "categoria": ["b"], "unita": [1]}
    )
    assert service_fragments.assignable_service_sentence(one, 2027).startswith(
        "Sommando le unità delle lettere da b a f, nel 2027 sarà prevedibilmente assegnabile 1 unità, destinata "
        "a SAP o a SAS (1 SAS), di un solo ente proprietario ("
    )
    turnover = pd.DataFrame(
        {"ente_proprietario": ["A"], "comune": [""], "servizio": ["SAP"], "unita": [1], "forze_polizia_vvf": [1]}
    )
    text = service_fragments.turnover_service_fragment(turnover, "Unità", "turnover")
    assert text.startswith(
        "Nell'ambito se ne prevede una (@tbl-turnover). Sarà rilasciata da appartenenti alle Forze di Polizia"
    )
    assert "| A | non indicato | SAP | 1 | 1 |" in text
    columns = [c for c, _ in catalogue.processed_table("h_i_scelte_per_comune").columns]
    row = dict(zip(columns, ["X", 15, 15, 4, 30.0, 10.0, 15, 1, "", ""]))
    text = service_fragments.choices_section(pd.DataFrame([row]), "down", "assignable")
    assert text.startswith("Un solo comune ha compiuto per l'anno almeno una delle scelte")
    assert "arrotondando per difetto (all'unità inferiore)" in text
    assert "| X | 30% | 4 | 10% | 15 | 1 | – |" in text
    assert "motivazione" not in text  # no further category, no list of motivations


@pytest.mark.workflow
def test_choices_are_checked_against_the_comunes_own_units_and_motivations(inputs_copy):
    raw = inputs_copy / "data/raw" / PLAN
    choices = raw / "piattaforma/scelte_comunali.csv"
    text = choices.read_text(encoding="utf-8")
    choices.write_text(text + "Spino d'Adda;categoria_aggiuntiva_motivazione;una ragione\n", encoding="utf-8")
    sign(raw)
    refused = run_validate(inputs_copy)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    message = " ".join((refused.stdout + refused.stderr).split())
    assert "scelte_comunali.csv, riga 9, colonna «Scelta»" in message
    assert "Spino d'Adda: motivazione di una categoria aggiuntiva che il comune non ha indicato" in message
    # a soglia not above 20%, a further category without motivation: avvisi, the plan goes on
    choices.write_text(
        text.replace("Vailate;soglia_indigenza_pct;25", "Vailate;soglia_indigenza_pct;20")
        .replace("Pandino;categoria_aggiuntiva_motivazione;", "Pandino;unita_servizi_transitori;0\n#")
        .replace("\n#nel comune i nuclei con un solo genitore in affitto sono cresciuti negli ultimi tre anni\n", "\n"),
        encoding="utf-8",
    )
    sign(raw)
    passed = run_validate(inputs_copy)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    written = run_snakemake(inputs_copy, f"data/interim/{PLAN}/verifiche.csv")  # the pre-flight writes nothing
    assert written.returncode == 0, written.stdout + written.stderr
    checks = pd.read_csv(
        inputs_copy / "data/interim" / PLAN / "verifiche.csv", dtype=str, keep_default_na=False
    ).set_index("controllo")
    assert (checks.loc["scelte_comuni", "gravita"], checks.loc["scelte_comuni", "esito"]) == ("avviso", "non superato")
    detail = checks.loc["scelte_comuni", "dettaglio"]
    assert "Vailate: soglia di indigenza del 20%, non superiore al 20% regionale" in detail
    assert "Pandino: categoria aggiuntiva «Genitori soli con figli minori» senza motivazione" in detail
    # Pandino's choice of 0 units for the SAT services against the 2 of ALER's contingent in Pandino
    assert checks.loc["contingente_sat", "esito"] == "non superato"
    assert (
        "scelte_comunali.csv, riga 4, colonna «Valore»: Pandino: 0 unità per i servizi transitori tra le "
        "scelte, 2 unità nel contingente"
    ) in checks.loc["contingente_sat", "dettaglio"]
