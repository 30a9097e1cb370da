"""Key figures and report fragments from the 2019 processed tables: Italian text, computed totals, visible notes."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from pianoabitativo import catalogue
from pianoabitativo.core.tableio import read_processed
from pianoabitativo.fragments import checks as FC
from pianoabitativo.fragments import housing
from pianoabitativo.fragments import metadata as FM
from pianoabitativo.tables import keyfigures

PROCESSED = Path(__file__).resolve().parents[1] / "data" / "processed" / "cremasco_2019"


def table(name: str) -> pd.DataFrame:
    return read_processed(str(PROCESSED / f"{name}.csv"))


@pytest.fixture(scope="module")
def figures():
    frame = table("cifre_chiave")
    return dict(zip(frame["chiave"], frame["valore"].astype(str)))


def test_demography_figures_from_the_per_comune_table():
    fig = keyfigures.demography_figures(table("comuni"), table("subambiti"), 202.94, 419.85)
    assert (fig["popolazione"], fig["superficie_km2"], fig["densita"]) == (162323, 573.04, 283.27)
    assert (
        fig["n_comuni_sotto_media_provinciale"],
        fig["n_comuni_sopra_media_provinciale"],
        fig["n_comuni_sopra_media_regionale"],
    ) == (22, 26, 9)
    assert (fig["n_comuni_proprietari_sap"], fig["n_comuni_senza_patrimonio"]) == (22, 26)
    assert fig["quota_popolazione_comuni_proprietari"] == 0.724


def test_household_shares():
    households = pd.DataFrame({"ambito": ["Cremasco", "Casalasco", "Cremonese"], "famiglie": [68130, 16088, 69078]})
    sizes = pd.DataFrame({"statistica": ["minimo", "massimo"], "componenti_medi": [2.11, 2.78]})
    fig = keyfigures.household_figures(households, sizes, "cremasco")
    assert fig["famiglie_provincia"] == 153296 and fig["famiglie_ambito"] == 68130
    assert fig["quota_famiglie_casalasco"] == 0.1049


def test_key_figures_file_has_the_totals_the_text_quotes(figures):
    assert figures["patrimonio_totale_unita"] == "1703" and figures["patrimonio_dichiarato_totale_unita"] == "1711"
    assert figures["n_g_assegnabili"] == "50" and figures["n_k_assegnate"] == "28"
    assert figures["n_b_carenza_manutentiva"] == "19" and figures["n_e_turnover"] == "11"


def test_metadata_formats_every_figure_the_italian_way(config, figures):
    typed = {k: (float(v) if "." in v else int(v)) if v else "" for k, v in figures.items()}
    meta = FM.metadata(config, typed)
    piano = meta["piano"]
    assert piano["popolazione"] == "162.323" and piano["densita"] == "283,27"
    assert piano["patrimonio_dichiarato_totale_unita"] == "1.711" and piano["quota_famiglie_ambito"] == "44%"
    assert piano["data_approvazione"] == "25 giugno 2019" and piano["anno_precedente"] == "2018"
    assert meta["subtitle"] == "Ambito Distrettuale Cremasco · anno 2019"
    text = FM.metadata_yaml(meta)
    assert yaml.safe_load(text)["piano"]["popolazione"] == "162.323"  # stays a string, not a float


def test_stock_table_fragment_prints_the_computed_total():
    text = housing.stock_fragment(table("a_patrimonio"))
    assert "| ALER Brescia-Cremona-Mantova | 1.006 | 997 | 9 |" in text
    assert "| **Totale (somma delle righe)** | **1.703** | **1.688** | **15** |" in text
    assert re.search(r'\{#tbl-patrimonio tbl-colwidths="\[\d+(,\d+){3}\]"\}$', text.rstrip())


def test_declared_total_mismatch_becomes_a_visible_note():
    rec = table("a_patrimonio_totali")
    note = housing.totals_note(rec[rec["tabella"] == "a_patrimonio"], "patrimonio", "consistenza del patrimonio")
    assert note.startswith("::: {.callout-warning}\n## Totale dichiarato diverso")  # plain Quarto Markdown
    assert "dichiarato **1.711**, somma delle righe **1.703**" in note and "@tbl-patrimonio" in note
    assert housing.totals_note(rec[rec["tabella"] == "k_assegnate_anno_precedente"], "assegnate", "k") == ""


def test_empty_categories_become_sentences_and_full_ones_tables():
    assert housing.units_fragment(table("d_nuova_edificazione"), catalogue.category("d")).startswith("Nessun ente")
    libere = housing.units_fragment(table("e_libere"), catalogue.category("e_libera"), status="Libero")
    assert "| Comune di Izano | 16323472 | Izano | Libero |" in libere


def test_assignable_fragment_groups_per_owner():
    text = housing.assignable_fragment(table("g_assegnabili"))
    assert "| ALER Brescia-Cremona-Mantova | più comuni | 29 |" in text
    assert "| Comune di Vaiano Cremasco | Vaiano Cremasco | 2 |" in text and "| **Totale** |  | **50** |" in text


def test_measures_and_choices():
    text = housing.measures_fragment(table("l_misure"))
    assert "| 11/2018 | 6465/17, 606/18 | X | X | X | X | X | 39 su 48 |" in text
    choices = table("h_i_j_scelte_comunali")
    quota = housing.choice_sentence(choices, catalogue.CHOICES[2], 2019)
    # the percentage qualifies the quota, not the comune (issue 17: «Castelleone (pari al 10% delle unità)»)
    assert quota == (
        "Solo il Comune di Castelleone ha individuato per il 2019 una quota per le Forze di Polizia e "
        "il Corpo Nazionale dei Vigili del Fuoco, pari al 10% delle unità.\n"
    )
    two = pd.concat([choices, choices.assign(comune="Crema", valore="5")])
    assert housing.choice_sentence(two, catalogue.CHOICES[2], 2019).endswith(
        ": il Comune di Castelleone (pari al 10% delle unità) e il Comune di Crema (pari al 5% delle unità).\n"
    )
    assert catalogue.CHOICES[0].code == "soglia_indigenza_pct"
    assert housing.choice_sentence(choices, catalogue.CHOICES[0], 2019) == (
        "Nessun comune ha individuato per il 2019 una soglia "
        "superiore a quella prevista dalla norma regionale per "
        "l'assegnazione ai nuclei in condizione di indigenza.\n"
    )


def test_checks_appendix_lists_the_three_warnings():
    text = FC.checks_fragment(table("verifiche"))
    assert "3 controlli non sono stati superati" in text
    assert "Comune di Cremosano" in text and "Comune di Cremona" in text and "{#tbl-verifiche " in text
