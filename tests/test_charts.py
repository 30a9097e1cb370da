"""Charts drawn from the repository's real 2019 raw files.

The raw files are read here with plain pandas only to build the chart inputs;
the charts package itself never reads files.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.colors import to_rgba
from matplotlib.patches import PathPatch
from matplotlib.text import Text

from pianoabitativo.catalogue import ABOVE_REGION, DENSITY_CLASSES, category, density_class
from pianoabitativo.charts.assignable import assignable_by_comune_and_category
from pianoabitativo.charts.density_map import density_map
from pianoabitativo.charts.save import save_figure
from pianoabitativo.charts.stock import stock_by_owner
from pianoabitativo.charts.subambiti import population_density_by_subambito

RAW = Path(__file__).resolve().parents[1] / "data" / "raw" / "cremasco_2019"
PROVINCIAL_AVERAGE = 202.94
REGIONAL_AVERAGE = 419.85
ATTRIBUTION = "Confini: Openpolis su dati ISTAT, CC BY 4.0"
CREMA = "019035"


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def comuni_raw() -> pd.DataFrame:
    return pd.read_csv(RAW / "ambito" / "comuni_ambito_cremasco.csv", dtype={"istat_code": str})


@pytest.fixture(scope="module")
def subambiti(comuni_raw) -> pd.DataFrame:
    table = (
        comuni_raw.groupby("sub_ambito")
        .agg(
            n_comuni=("name", "size"), popolazione=("population_2018_01_01", "sum"), superficie_km2=("area_km2", "sum")
        )
        .reset_index()
    )
    table["densita"] = table["popolazione"] / table["superficie_km2"]
    return table


@pytest.fixture(scope="module")
def patrimonio() -> pd.DataFrame:
    raw = pd.read_csv(RAW / "piattaforma" / "patrimonio_enti.csv", sep=";")
    raw.columns = ["ente_proprietario", "totale_unita", "alloggi_sap", "alloggi_sas"]
    return raw[raw["ente_proprietario"] != "Totale"].reset_index(drop=True)


@pytest.fixture(scope="module")
def units() -> pd.DataFrame:
    listed = pd.read_csv(RAW / "piattaforma" / "unita_abitative.csv", sep=";", dtype=str, keep_default_na=False)
    listed = pd.DataFrame(
        {
            "comune": listed["Comune"].replace({"Vaiano": "Vaiano Cremasco"}),
            "categoria": listed["Categoria"].replace({"e": "e_libera"}),
            "unita": 1,
        }
    )
    turnover = pd.read_csv(RAW / "piattaforma" / "turnover_previsto.csv", sep=";", dtype=str, keep_default_na=False)
    turnover = pd.DataFrame(
        {
            "comune": turnover["Comune"],
            "categoria": "e_avvicendamento",  # the turnover code, as the processed data writes it
            "unita": turnover["Numero unità immobiliari"].astype(int),
        }
    )
    return pd.concat([listed, turnover], ignore_index=True)


@pytest.fixture(scope="module")
def declared_assignable_total() -> int:
    declared = pd.read_csv(RAW / "piattaforma" / "assegnabili_dichiarate.csv", sep=";")
    return int(declared.loc[declared.iloc[:, 0] == "Totale", "Numero unità immobiliari"].iloc[0])


@pytest.fixture(scope="module")
def map_comuni(comuni_raw) -> pd.DataFrame:
    return comuni_raw.rename(
        columns={"istat_code": "codice_istat", "name": "comune", "density_2018_per_km2": "densita"}
    )[["codice_istat", "comune", "densita"]]


@pytest.fixture(scope="module")
def boundaries() -> dict:
    return json.loads((RAW / "istat" / "confini_comuni_cremasco_2023.geojson").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def population_fig(subambiti):
    return population_density_by_subambito(subambiti)


@pytest.fixture(scope="module")
def stock_fig(patrimonio):
    return stock_by_owner(patrimonio)


@pytest.fixture(scope="module")
def units_fig(units):
    return assignable_by_comune_and_category(units)


@pytest.fixture(scope="module")
def map_fig(map_comuni, boundaries):
    # the workflow labels the capofila and the sub-ambito namesakes (scripts/make_charts.py)
    labelled = ["019035", "019005", "019025", "019067", "019094", "019097"]
    return density_map(
        map_comuni, boundaries, PROVINCIAL_AVERAGE, REGIONAL_AVERAGE, ATTRIBUTION, labelled_comuni=labelled
    )


# ---------------------------------------------------------------- helpers


def texts_of(fig) -> list[str]:
    """Every visible text of the figure, tick labels included (needs a draw)."""
    fig.canvas.draw()
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


def tick_labels(axis) -> list[str]:
    return [t.get_text() for t in axis.get_ticklabels() if t.get_text()]


ENGLISH_NUMBER = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+\.\d{1,2}$")  # '1,006' or '992.58'


# ---------------------------------------------------------------- population / density


def test_population_chart_shows_crema_in_italian_format(population_fig):
    texts = texts_of(population_fig)
    assert "34.264" in texts  # Crema's residents at 1 Jan 2018
    assert "992,58" in texts  # Crema's density
    assert "36.016" in texts  # Pandino sub-ambito, the largest
    assert not [t for t in texts if ENGLISH_NUMBER.match(t)]


def test_population_chart_has_italian_ticks_and_subambito_labels(population_fig, subambiti):
    population_fig.canvas.draw()
    ax_pop, ax_den = population_fig.axes
    assert "10.000" in tick_labels(ax_pop.xaxis)
    assert "1.000" in tick_labels(ax_den.xaxis)
    y_labels = tick_labels(ax_pop.yaxis)
    assert len(y_labels) == len(subambiti) == 6
    assert "Città di Crema\n(1 comune)" in y_labels
    assert "Sergnano\n(13 comuni)" in y_labels
    assert y_labels[-1].startswith("Pandino")  # most populous drawn on top


# ---------------------------------------------------------------- stock by owner


def test_stock_chart_labels_totals_and_sas(stock_fig):
    texts = texts_of(stock_fig)
    assert "1.006 (di cui 9 SAS)" in texts
    assert "358 (di cui 5 SAS)" in texts
    assert "5 (di cui 1 SAS)" in texts  # Trigolo
    assert "58" in texts
    assert not [t for t in texts if ENGLISH_NUMBER.match(t)]


def test_stock_chart_is_sorted_stacked_and_broken(stock_fig, patrimonio):
    stock_fig.canvas.draw()
    ax_small, ax_big = stock_fig.axes
    owners_bottom_up = tick_labels(ax_small.yaxis)
    assert len(owners_bottom_up) == 24
    assert owners_bottom_up[-1] == "ALER Brescia-Cremona-Mantova"
    assert owners_bottom_up[-2] == "Comune di Crema"
    by_owner = patrimonio.set_index("ente_proprietario")
    totals = [by_owner.loc[o, "totale_unita"] for o in owners_bottom_up]
    assert totals == sorted(totals)

    sap, sas = ax_small.containers[:2]
    for owner, sap_bar, sas_bar in zip(owners_bottom_up, sap, sas):
        assert sap_bar.get_width() == by_owner.loc[owner, "alloggi_sap"]
        assert sas_bar.get_x() == by_owner.loc[owner, "alloggi_sap"]  # SAS stacked after SAP
        assert sas_bar.get_width() == by_owner.loc[owner, "alloggi_sas"]

    # Broken axis: the small owners fit the left panel, ALER and Crema cross it.
    left_end = ax_small.get_xlim()[1]
    assert 58 < left_end < 358
    assert ax_big.get_xlim()[0] > left_end
    assert "1.200" in tick_labels(ax_big.xaxis)
    legend = [t.get_text() for t in stock_fig.legends[0].get_texts()]
    assert legend == ["SAP (servizi abitativi pubblici)", "SAS (servizi abitativi sociali)"]


# ---------------------------------------------------------------- assignable units


def test_assignable_chart_categories_in_fixed_order(units_fig):
    ax = units_fig.axes[0]
    legend = [t.get_text() for t in units_fig.legends[0].get_texts()]
    assert legend == ["b) carenza manutentiva", "c) ristrutturazione", "e) libere", "e) avvicendamento"]
    assert [c.get_label() for c in ax.containers] == legend
    for container, code in zip(ax.containers, ["b", "c", "e_libera", "e_avvicendamento"]):
        assert container.get_label() == category(code).chart_label
        assert to_rgba(container.patches[0].get_facecolor()) == to_rgba(category(code).colour)


def test_assignable_chart_order_and_colours_do_not_depend_on_rows(units):
    shuffled = units.sample(frac=1, random_state=3).reset_index(drop=True)
    fig = assignable_by_comune_and_category(shuffled)
    assert [c.get_label() for c in fig.axes[0].containers] == [
        "b) carenza manutentiva",
        "c) ristrutturazione",
        "e) libere",
        "e) avvicendamento",
    ]
    with pytest.raises(ValueError, match="z_unknown"):
        assignable_by_comune_and_category(units.assign(categoria="z_unknown"))
    old_spelling = units.assign(categoria=units["categoria"].replace({"e_avvicendamento": "e_turnover"}))
    with pytest.raises(ValueError, match="e_turnover"):  # only the catalogue's codes, no aliases
        assignable_by_comune_and_category(old_spelling)
    only_turnover = assignable_by_comune_and_category(units[units["categoria"] == "e_avvicendamento"])
    (container,) = only_turnover.axes[0].containers
    assert to_rgba(container.patches[0].get_facecolor()) == to_rgba(category("e_avvicendamento").colour)
    assert container.patches[0].get_gid() == "categoria-e_avvicendamento"  # the SVG group id


def test_assignable_chart_totals_match_platform(units_fig, declared_assignable_total):
    texts = texts_of(units_fig)
    ax = units_fig.axes[0]
    comuni_bottom_up = tick_labels(ax.yaxis)
    assert comuni_bottom_up[0] == "Comune non indicato"  # ALER turnover without comune, listed last
    assert comuni_bottom_up[-1] == "Crema"
    assert "Vaiano" not in comuni_bottom_up
    drawn_total = sum(bar.get_width() for container in ax.containers for bar in container)
    assert drawn_total == declared_assignable_total == 50
    assert "13" in texts  # Crema: 8 b) + 5 e) libere


# ---------------------------------------------------------------- density map


def test_map_shades_48_comuni_by_class(map_fig, map_comuni):
    ax = map_fig.axes[0]
    patches = {p.get_gid(): p for p in ax.patches if isinstance(p, PathPatch) and p.get_gid()}
    assert len(patches) == 48
    assert set(patches) == set(map_comuni["codice_istat"])

    legend_colours = [to_rgba(h.get_facecolor()) for h in map_fig.legends[0].legend_handles]
    density = map_comuni.set_index("codice_istat")["densita"]
    class_index = {code: i for i, code in enumerate(DENSITY_CLASSES)}  # legend: lightest first
    expected = {code: density_class(d, PROVINCIAL_AVERAGE, REGIONAL_AVERAGE) for code, d in density.items()}
    for code, patch in patches.items():
        assert to_rgba(patch.get_facecolor()) == legend_colours[class_index[expected[code]]], code

    drawn_counts = [sum(to_rgba(p.get_facecolor()) == c for p in patches.values()) for c in legend_colours]
    data_counts = [
        int((density < PROVINCIAL_AVERAGE).sum()),
        int(((density >= PROVINCIAL_AVERAGE) & (density <= REGIONAL_AVERAGE)).sum()),
        int((density > REGIONAL_AVERAGE).sum()),
    ]
    assert drawn_counts == data_counts
    assert sum(data_counts) == 48 and min(data_counts) > 0
    assert expected[CREMA] == ABOVE_REGION


def test_map_legend_attribution_labels_and_aspect(map_fig):
    texts = texts_of(map_fig)
    assert ATTRIBUTION in texts
    legend = [t.get_text() for t in map_fig.legends[0].get_texts()]
    assert legend[0] == "inferiore a 202,94 ab/km² (media provinciale)"
    assert "202,94" in legend[1] and "419,85" in legend[1]
    assert legend[2] == "superiore a 419,85 ab/km² (media regionale)"
    assert {"Crema", "Bagnolo Cremasco", "Castelleone", "Pandino", "Sergnano", "Soncino"} <= set(texts)
    ax = map_fig.axes[0]
    assert ax.get_aspect() == pytest.approx(1 / math.cos(math.radians(45.35)), rel=0.01)


def test_map_refuses_comuni_without_boundary(map_comuni, boundaries):
    extra = pd.concat([map_comuni, pd.DataFrame([{"codice_istat": "019999", "comune": "X", "densita": 1.0}])])
    with pytest.raises(ValueError, match="019999"):
        density_map(extra, boundaries, PROVINCIAL_AVERAGE, REGIONAL_AVERAGE, ATTRIBUTION)


# ---------------------------------------------------------------- saving


def _save(fig, folder: Path) -> tuple[bytes, bytes]:
    folder.mkdir()
    save_figure(fig, folder / "chart.png", folder / "chart.svg")
    assert sorted(p.name for p in folder.iterdir()) == ["chart.png", "chart.svg"]  # no temp files left
    return (folder / "chart.png").read_bytes(), (folder / "chart.svg").read_bytes()


@pytest.mark.parametrize("build", ["stock", "map"])
def test_saving_twice_gives_identical_bytes(build, tmp_path, patrimonio, map_comuni, boundaries):
    def make():
        if build == "stock":
            return stock_by_owner(patrimonio)
        return density_map(map_comuni, boundaries, PROVINCIAL_AVERAGE, REGIONAL_AVERAGE, ATTRIBUTION)

    png1, svg1 = _save(make(), tmp_path / "first")
    png2, svg2 = _save(make(), tmp_path / "second")
    assert png1 == png2
    assert svg1 == svg2
    assert png1.startswith(b"\x89PNG") and b"Software" not in png1
    assert b"<dc:date>" not in svg1 and b"Matplotlib v" not in svg1


def test_population_chart_of_an_ambito_without_subambiti_says_so():
    empty = pd.DataFrame(columns=["sub_ambito", "n_comuni", "popolazione", "superficie_km2", "densita"])
    fig = population_density_by_subambito(empty)
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert texts == ["L'ambito non è articolato in sub-ambiti"]
