"""The 2019 data through each table function, with the values the plan must print."""

from __future__ import annotations

import pandas as pd
import pytest

from pianoabitativo import catalogue
from pianoabitativo.core.tableio import write_csv
from pianoabitativo.inputs.checks import declared_vs_computed
from pianoabitativo.tables import build


@pytest.fixture(scope="module")
def inputs(inputs_2019):
    return inputs_2019[0]


@pytest.fixture(scope="module")
def comuni(inputs, config):
    densities = dict(
        zip(inputs.frame("densita_riferimento")["territorio"], inputs.frame("densita_riferimento")["densita"])
    )
    provincial, regional = densities[config["ambito"]["province"]], densities[config["ambito"]["region"]]
    return build.comuni_table(
        inputs.frame("comuni_ambito"),
        inputs.frame("popolazione"),
        "pop_res_18",
        inputs.frame("patrimonio"),
        provincial,
        regional,
    )


def test_comuni_have_istat_population_and_crema_uses_the_corrected_area(comuni):
    assert len(comuni) == 48
    assert comuni["popolazione"].sum() == 162323
    crema = comuni.set_index("comune").loc["Crema"]
    assert (crema.codice_istat, crema.popolazione, crema.superficie_km2, crema.densita) == (
        "019035",
        34264,
        34.52,
        992.58,
    )
    assert comuni["codice_istat"].is_monotonic_increasing


def test_density_classes_against_the_provincial_and_regional_averages(comuni):
    counts = comuni["classe_densita"].value_counts().to_dict()
    assert counts == {catalogue.BELOW_PROVINCE: 22, catalogue.BETWEEN_AVERAGES: 17, catalogue.ABOVE_REGION: 9}
    assert comuni.set_index("comune").loc["Ticengo", "classe_densita"] == catalogue.BELOW_PROVINCE


def test_comuni_owning_sap_are_the_district_owners_of_table_a(comuni):
    owners = set(comuni.loc[comuni["proprietario_sap"], "comune"])
    assert len(owners) == 22
    assert {"Crema", "Soncino", "Trigolo"} <= owners and "Cremosano" not in owners and "Cremona" not in owners


def test_subambiti_are_sums_of_their_comuni(comuni, config):
    sub = build.subambiti_table(comuni, config["ambito"]["sub_ambiti"]).set_index("sub_ambito")
    assert list(sub.index) == config["ambito"]["sub_ambiti"]
    assert sub.loc["Città di Crema"].tolist() == [1, 34264, 34.52, 992.58]
    assert sub.loc["Castelleone"].tolist() == [8, 20006, 113.79, 175.82]
    assert sub.loc["Sergnano"].tolist() == [13, 25638, 94.43, 271.50]
    assert sub["n_comuni"].sum() == 48 and round(sub["superficie_km2"].sum(), 2) == 573.04


def test_stock_table_sums_to_1703_not_the_declared_1711(inputs):
    stock_in = inputs.tables["patrimonio"]
    stock = build.stock_table(stock_in.frame)
    assert len(stock) == 24 and "Totale" not in set(stock["ente_proprietario"])
    assert stock[["totale_unita", "alloggi_sap", "alloggi_sas"]].sum().tolist() == [1703, 1688, 15]
    assert stock_in.declared_totals == {"totale_unita": 1711, "alloggi_sap": 1696, "alloggi_sas": 15}
    assert declared_vs_computed(stock, stock_in.declared_totals) == [
        ("totale_unita", 1711, 1703),
        ("alloggi_sap", 1696, 1688),
    ]


def test_units_by_category_keep_codes_as_text(inputs):
    units = inputs.frame("unita")
    b = build.units_in_category(units, "b")
    assert len(b) == 19 and b["codice_unita"].map(type).eq(str).all()
    assert list(build.units_in_category(units, "c")["codice_unita"]) == ["3154145", "3155212"]
    assert build.units_in_category(units, "d").empty and build.units_in_category(units, "f").empty
    e = build.units_in_category(units, "e").set_index("codice_unita")
    assert len(e) == 18 and e.loc["3168113", "comune"] == "Vaiano Cremasco"  # "Vaiano" in the export
    assert e.loc["16323472", "ente_proprietario"] == "Comune di Izano"


def test_assignable_units_are_the_sum_of_b_to_f_per_owner(inputs):
    g = build.assignable_units(inputs.frame("unita"), inputs.frame("turnover"))
    per_owner = g.groupby("ente_proprietario")["unita"].sum()
    assert per_owner.sum() == 50
    assert per_owner["ALER Brescia-Cremona-Mantova"] == 29  # 18 b + 2 c + 5 e + 4 turnover
    assert per_owner["Comune di Trescore Cremasco"] == 3 and per_owner["Comune di Castelleone"] == 3
    aler = g[g["ente_proprietario"] == "ALER Brescia-Cremona-Mantova"].set_index("comune")["unita"]
    assert aler.to_dict() == {
        "": 4,
        "Castelleone": 7,
        "Crema": 10,
        "Offanengo": 2,
        "Pandino": 4,
        "Sergnano": 1,
        "Vaiano Cremasco": 1,
    }


def test_assignable_by_category(inputs):
    frame = build.assignable_by_category(inputs.frame("unita"), inputs.frame("turnover"))
    crema = frame[frame["comune"] == "Crema"].groupby("categoria")["unita"].sum().to_dict()
    assert crema == {"b": 8, "e_libera": 5}
    assert frame["unita"].sum() == 50


def test_assigned_last_year_and_measures(inputs):
    k = build.assigned_last_year(inputs.frame("assegnazioni"))
    assert k["alloggi_assegnati"].sum() == 28 and k["in_deroga"].sum() == 0
    assert k.set_index("ente_proprietario").loc["Comune di Crema", "alloggi_assegnati"] == 21
    measures = build.measures_table(inputs.frame("misure_avvisi"))
    assert list(measures["avviso"]) == ["11/2017", "06/2018", "11/2018"]
    assert measures.iloc[1][["misura_1", "misura_2", "misura_3", "misura_4", "misura_5"]].tolist() == [0, 1, 0, 1, 1]
    assert measures["comuni_aderenti"].tolist() == [39, 38, 39]


def test_totals_reconciliation_reports_declared_and_computed(inputs):
    stock = inputs.tables["patrimonio"]
    rec = build.totals_reconciliation(build.stock_table(stock.frame), stock.declared_totals, "a_patrimonio")
    assert rec.set_index("colonna").loc["totale_unita", ["dichiarato", "calcolato", "differenza"]].tolist() == [
        1711,
        1703,
        8,
    ]
    assert rec.set_index("colonna").loc["alloggi_sas", "differenza"] == 0


def test_write_csv_is_plain_and_stable(tmp_path):
    frame = pd.DataFrame({"comune": ["Crema"], "superficie_km2": [34.52], "codice_istat": ["019035"]})
    write_csv(frame, tmp_path / "x.csv")
    assert (tmp_path / "x.csv").read_bytes() == b"comune,superficie_km2,codice_istat\nCrema,34.52,019035\n"
