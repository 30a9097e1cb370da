"""Generated prose: Italian agreement for 0, 1 and many; sentences that follow the data, not the 2019 plan."""

from __future__ import annotations

import pandas as pd
import pytest

from pianoabitativo import catalogue
from pianoabitativo.fragments import demography, housing, wording

DENSITY_2019 = {
    "n_comuni": 48,
    "popolazione": 162323,
    "superficie_km2": 573.04,
    "densita": 283.27,
    "densita_provincia": 202.94,
    "densita_regione": 419.85,
    "n_comuni_sotto_media_provinciale": 22,
    "n_comuni_sopra_media_provinciale": 26,
    "n_comuni_sopra_media_regionale": 9,
}
COMUNI_2019 = pd.DataFrame({"densita": [320.03, 469.39, 150.0]})


@pytest.mark.parametrize(
    "n, noun, expected",
    [
        (0, wording.COMUNE, "nessun comune"),
        (1, wording.COMUNE, "1 comune"),
        (48, wording.COMUNE, "48 comuni"),
        (0, wording.ALLOGGIO, "nessun alloggio"),
        (1, wording.ALLOGGIO, "1 alloggio"),
        (2, wording.ALLOGGIO, "2 alloggi"),
        (0, wording.UNITA, "nessun'unità"),
        (1, wording.UNITA, "1 unità"),
        (1703, wording.UNITA, "1.703 unità"),
        (0, wording.ENTE_PROPRIETARIO, "nessun ente proprietario"),
        (24, wording.ENTE_PROPRIETARIO, "24 enti proprietari"),
        (0, wording.Noun("sfratto", "sfratti"), "nessuno sfratto"),
        (0, wording.Noun("abitazione", "abitazioni", feminine=True), "nessun'abitazione"),
    ],
)
def test_count_agrees_for_zero_one_and_many(n, noun, expected):
    assert wording.count(n, noun) == expected


def test_count_in_words_for_one():
    assert wording.count(1, wording.COMUNE, words=True) == "un comune"
    assert wording.count(1, wording.UNITA, words=True) == "un'unità"
    assert wording.count(1, wording.Noun("sfratto", "sfratti"), words=True) == "uno sfratto"
    assert wording.count(1, wording.FAMIGLIA, words=True) == "una famiglia"
    assert wording.count(3, wording.AVVISO_PUBBLICO, words=True) == "3 avvisi pubblici"
    assert wording.agree(1, "figura", "figurano") == "figura" and wording.agree(0, "figura", "figurano") == "figurano"


@pytest.mark.parametrize(
    "density, expected",
    [
        (
            283.27,
            "più alta della media della provincia (202,94 ab/km²) ma più bassa di quella della regione (419,85 ab/km²)",
        ),
        (500.0, "più alta sia della media della provincia (202,94 ab/km²) sia di quella della regione (419,85 ab/km²)"),
        (
            150.5,
            "più bassa sia della media della provincia (202,94 ab/km²) sia di quella della regione (419,85 ab/km²)",
        ),
        (
            202.944,
            "pari alla media della provincia (202,94 ab/km²) e più bassa di quella della regione (419,85 ab/km²)",
        ),
    ],
)
def test_density_against_the_averages(density, expected):
    assert wording.density_against_averages(density, 202.94, 419.85) == expected


def test_density_above_the_province_of_a_metropolitan_area_but_below_the_region():
    assert wording.density_against_averages(1500.0, 2000.0, 420.0) == (
        "più bassa della media della provincia (2.000,00 ab/km²) ma più alta di quella della regione (420,00 ab/km²)"
    )


def test_density_paragraphs_of_the_reference_plan():
    text = demography.density_paragraphs(DENSITY_2019, COMUNI_2019, "cremasco", "01/01/2018")
    assert text.startswith(
        "L'ambito cremasco riunisce 48 comuni, nei quali al 01/01/2018 risiedevano 162.323 "
        "abitanti. Il territorio misura 573,04 km², con una densità di 283,27 abitanti per km²: "
        "più alta della media della provincia (202,94 ab/km²) ma più bassa"
    )
    assert (
        "In 22 comuni la densità è inferiore alla media provinciale; negli altri 26 la supera, e in 9 di questi "
        "supera anche la media regionale (@fig-mappa)."
    ) in text


@pytest.mark.parametrize(
    "below, above, above_region, expected",
    [
        (
            47,
            1,
            0,
            "In 47 comuni la densità è inferiore alla media provinciale; nell'altro la supera, ma non supera la "
            "media regionale",
        ),
        (46, 2, 0, "negli altri 2 la supera, ma in nessuno di questi supera la media regionale"),
        (45, 3, 1, "negli altri 3 la supera, e in uno di questi supera anche la media regionale"),
        (44, 4, 4, "negli altri 4 la supera, e in tutti supera anche la media regionale"),
        (1, 47, 5, "In un comune la densità è inferiore alla media provinciale; negli altri 47"),
        (0, 48, 10, "In tutti i 48 comuni la densità supera la media provinciale, e in 10 di questi supera anche"),
        (48, 0, 0, "In tutti i 48 comuni la densità è inferiore alla media provinciale (@fig-mappa)."),
    ],
)
def test_density_classes_sentence_never_prints_a_wrong_count(below, above, above_region, expected):
    figures = {
        **DENSITY_2019,
        "n_comuni_sotto_media_provinciale": below,
        "n_comuni_sopra_media_provinciale": above,
        "n_comuni_sopra_media_regionale": above_region,
    }
    text = demography.density_classes_sentence(figures, COMUNI_2019)
    assert expected in text
    assert " 0 " not in text and "altri 1 " not in text


def test_a_comune_exactly_at_the_provincial_average_reaches_it():
    text = demography.density_classes_sentence(DENSITY_2019, pd.DataFrame({"densita": [202.94, 500.0]}))
    assert "negli altri 26 la raggiunge o la supera" in text


def test_households_paragraph_of_the_reference_plan():
    figures = {
        "famiglie_provincia": 153296,
        "famiglie_ambito": 68130,
        "quota_famiglie_ambito": 0.4444,
        "famiglie_casalasco": 16088,
        "famiglie_cremasco": 68130,
        "famiglie_cremonese": 69078,
        "quota_famiglie_casalasco": 0.1049,
        "quota_famiglie_cremasco": 0.4444,
        "quota_famiglie_cremonese": 0.4506,
        "componenti_medi_min": 2.11,
        "componenti_medi_max": 2.78,
    }
    text = demography.households_paragraph(figures, "cremasco", "31/12/2016")
    assert (
        "In provincia si contano 153.296 famiglie: 68.130 nell'ambito cremasco (44%), 16.088 nell'ambito "
        "casalasco (10%) e 69.078 nell'ambito cremonese (45%)."
    ) in text
    assert "da un minimo di 2,11 a un massimo di 2,78" in text


def test_households_paragraph_names_the_districts_of_the_data_own_first():
    from pianoabitativo.tables import keyfigures

    households = pd.DataFrame(
        {"ambito": ["Bergamo", "Alto Sebino", "Valle Seriana"], "famiglie": [60000, 13000, 27000]}
    )
    sizes = pd.DataFrame({"statistica": ["minimo", "massimo"], "componenti_medi": [2.3, 2.3]})
    figures = keyfigures.household_figures(households, sizes, "Valle Seriana")
    assert figures["famiglie_ambito"] == 27000
    text = demography.households_paragraph(figures, "Valle Seriana", "31/12/2020")
    assert (
        "In provincia si contano 100.000 famiglie: 27.000 nell'ambito valle seriana (27%), 13.000 nell'ambito "
        "alto sebino (13%) e 60.000 nell'ambito bergamo (60%)."
    ) in text  # own first, then alphabetical
    assert "cremasco" not in text and "casalasco" not in text
    assert "è 2,30 in tutto il territorio" in text


def test_households_paragraph_with_the_ambito_alone():
    figures = {
        "famiglie_provincia": 5000,
        "famiglie_ambito": 5000,
        "quota_famiglie_ambito": 1.0,
        "famiglie_lodigiano": 5000,
        "quota_famiglie_lodigiano": 1.0,
        "componenti_medi_min": 2.1,
        "componenti_medi_max": 2.4,
    }
    text = demography.households_paragraph(figures, "lodigiano", "31/12/2020")
    assert "Nell'ambito lodigiano si contano 5.000 famiglie." in text


SUBAMBITI_COLUMNS = ["sub_ambito", "n_comuni", "popolazione", "superficie_km2", "densita"]


def test_no_subambiti_no_section_and_no_column():
    empty = pd.DataFrame(columns=SUBAMBITI_COLUMNS)
    assert demography.subambiti_section(empty, DENSITY_2019, "01/01/2018") == ""
    comuni = pd.DataFrame(
        {
            "comune": ["Zeta", "Alfa"],
            "codice_istat": ["019002", "019005"],
            "sub_ambito": ["", ""],
            "popolazione": [3866, 4877],
            "superficie_km2": [12.08, 10.39],
            "densita": [320.03, 469.39],
            "classe_densita": [catalogue.BETWEEN_AVERAGES, catalogue.ABOVE_REGION],
        }
    )
    table = demography.comuni_fragment(comuni, "01/01/2018")
    assert "Sub-ambito" not in table
    assert table.index("| Alfa | 019005 | 4.877 |") < table.index("| Zeta |")


def test_subambiti_section_holds_paragraph_table_and_figure():
    one = pd.DataFrame([["Città di Crema", 1, 34267, 34.52, 992.67]], columns=SUBAMBITI_COLUMNS)
    text = demography.subambiti_section(one, DENSITY_2019, "01/01/2018")
    assert "in un'unica aggregazione territoriale" in text and "{#tbl-subambiti " in text
    assert "(gen/fig_popolazione_densita_subambiti.png){#fig-subambiti" in text


def test_owners_paragraph_for_some_one_and_no_comuni_without_stock():
    figures = {
        "n_comuni": 48,
        "n_comuni_senza_patrimonio": 26,
        "quota_comuni_senza_patrimonio": 0.5417,
        "quota_popolazione_comuni_proprietari": 0.724,
        "quota_popolazione_comuni_non_proprietari": 0.276,
        "aler_comuni_gestiti": 7,
    }
    assert "Dei 48 comuni dell'ambito, 26 (54%) non figurano" in housing.owners_paragraph(figures)
    one = housing.owners_paragraph({**figures, "n_comuni_senza_patrimonio": 1, "quota_comuni_senza_patrimonio": 0.0208})
    assert "Dei 48 comuni dell'ambito, uno (2%) non figura tra" in one
    assert housing.owners_paragraph({**figures, "n_comuni_senza_patrimonio": 0}).startswith("Tutti i 48 comuni")
    stock = pd.DataFrame({"ente_proprietario": ["ALER X", "Comune di Izano"]})
    assert "ente gestore per 7 comuni" in housing.survey_paragraph(figures, stock, "ALER X")
    alone = housing.survey_paragraph({**figures, "aler_comuni_gestiti": 1}, stock, "ALER X")
    assert "come ente proprietario di alloggi pubblici e come ente gestore per 1 comune." in alone
    assert "gestore" not in housing.survey_paragraph({**figures, "aler_comuni_gestiti": 0}, stock, "ALER X")


def test_stock_assignable_assigned_and_notices_sentences():
    figures = {
        "n_enti_proprietari": 24,
        "patrimonio_totale_unita": 1703,
        "patrimonio_alloggi_sap": 1688,
        "patrimonio_alloggi_sas": 15,
        "n_g_assegnabili": 50,
        "n_enti_con_assegnabili": 11,
        "n_k_assegnate": 28,
        "n_enti_k": 8,
    }
    assert housing.stock_sentence(figures).startswith(
        "Gli enti proprietari sono 24, per complessive 1.703 unità: 1.688 alloggi SAP e 15 alloggi SAS"
    )
    assert "e nessun alloggio SAS" in housing.stock_sentence({**figures, "patrimonio_alloggi_sas": 0})
    assert "e 1 alloggio SAS" in housing.stock_sentence({**figures, "patrimonio_alloggi_sas": 1})
    assert "saranno prevedibilmente assegnabili 50 unità destinate a SAP, di 11 enti" in housing.assignable_sentence(
        figures, 2019
    )
    assert "sarà prevedibilmente assegnabile 1 unità destinata a SAP, di un solo" in housing.assignable_sentence(
        {**figures, "n_g_assegnabili": 1, "n_enti_con_assegnabili": 1}, 2019
    )
    assert "di un solo ente proprietario" in housing.assignable_sentence({**figures, "n_enti_con_assegnabili": 1}, 2019)
    assert housing.assigned_sentence(figures, 2018) == (
        "Nel 2018 sono state assegnate 28 unità destinate a SAP, da 8 enti proprietari (@tbl-assegnate).\n"
    )
    assert "è stata assegnata 1 unità destinata a SAP" in housing.assigned_sentence(
        {**figures, "n_k_assegnate": 1, "n_enti_k": 1}, 2018
    )
    one = pd.DataFrame({f"misura_{n}": [int(n == 2)] for n in range(1, 6)})
    assert "ha pubblicato un avviso pubblico" in housing.notices_sentence(one)
    listed = housing.activated_measures(one)
    assert listed.startswith("La misura attivata è:") and "Misura 2" in listed and "Misura 1" not in listed


def test_turnover_names_the_owners_without_a_comune():
    turnover = pd.DataFrame(
        {"ente_proprietario": ["ALER X", "Comune di Soncino"], "comune": ["", "Soncino"], "unita": [4, 3]}
    )
    text = housing.turnover_fragment(turnover, catalogue.category("e_avvicendamento"))
    assert text.startswith(
        "Nell'ambito se ne prevedono 7 (@tbl-turnover). Per le unità di ALER X la piattaforma non indica il comune"
    )
    complete = housing.turnover_fragment(
        turnover.assign(comune=["Crema", "Soncino"]), catalogue.category("e_avvicendamento")
    )
    assert "non indica" not in complete
    single = housing.turnover_fragment(turnover.iloc[[1]], catalogue.category("e_avvicendamento"))
    assert single.startswith("Nell'ambito se ne prevedono 3") and "non indica" not in single
