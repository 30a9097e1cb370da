"""The plan's machine tables, computed from validated inputs.

Functions take DataFrames and return tidy DataFrames (one row per comune, per
owner, per unit), sorted, with a fixed column order and no total rows: totals
and Italian formatting are added when the report is built.
"""

from __future__ import annotations

import pandas as pd

from .. import catalogue
from ..catalogue import density_class

TURNOVER = next(c.code for c in catalogue.CATEGORIES if c.unit_code is None)


def density(population: float, area_km2: float) -> float:
    return round(population / area_km2, 2)


def reference_density(densities: pd.DataFrame, territory: str) -> float:
    """The average density of a province or region, from the reference-density table."""
    return float(dict(zip(densities["territorio"], densities["densita"]))[territory])


def reference_densities(densities: pd.DataFrame, province: str, region: str) -> tuple[float, float]:
    """(provincial, regional) average density from the reference-density table."""
    return reference_density(densities, province), reference_density(densities, region)


def comuni_table(
    comuni: pd.DataFrame,
    population: pd.DataFrame,
    population_column: str,
    stock: pd.DataFrame,
    provincial: float,
    regional: float,
    supplied: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """comuni.csv: one row per comune of the Ambito, with ISTAT population and density class.

    supplied: popolazione_integrazioni (codice_istat, popolazione): replaces ISTAT's value where given.
    """
    pop = (
        dict(zip(population["codice_istat"], population[population_column])) if population_column in population else {}
    )
    if supplied is not None:
        pop.update(zip(supplied["codice_istat"], supplied["popolazione"]))
    owners = set(stock.loc[stock["alloggi_sap"] > 0, "ente_proprietario"])
    frame = pd.DataFrame(
        {
            "codice_istat": comuni["codice_istat"],
            "comune": comuni["comune"],
            "sub_ambito": comuni["sub_ambito"],
            "popolazione": [int(pop[c]) for c in comuni["codice_istat"]],
            "superficie_km2": comuni["superficie_km2"].round(2),
        }
    )
    frame["densita"] = [density(p, a) for p, a in zip(frame["popolazione"], frame["superficie_km2"])]
    frame["classe_densita"] = [density_class(d, provincial, regional) for d in frame["densita"]]
    frame["proprietario_sap"] = [f"Comune di {c}" in owners for c in frame["comune"]]
    return frame.sort_values("codice_istat").reset_index(drop=True)


def subambiti_table(comuni: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """subambiti.csv: sums of the per-comune figures, in the configured order (no rows without sub-ambiti)."""
    columns = ["sub_ambito", "n_comuni", "popolazione", "superficie_km2", "densita"]
    if not order:
        return pd.DataFrame(
            {
                "sub_ambito": pd.Series(dtype=object),
                "n_comuni": pd.Series(dtype="int64"),
                "popolazione": pd.Series(dtype="int64"),
                "superficie_km2": pd.Series(dtype="float64"),
                "densita": pd.Series(dtype="float64"),
            }
        )[columns]
    grouped = comuni.groupby("sub_ambito").agg(
        n_comuni=("comune", "size"), popolazione=("popolazione", "sum"), superficie_km2=("superficie_km2", "sum")
    )
    grouped = grouped.reindex(order).reset_index()
    grouped["superficie_km2"] = grouped["superficie_km2"].round(2)
    grouped["densita"] = [density(p, a) for p, a in zip(grouped["popolazione"], grouped["superficie_km2"])]
    return grouped[columns]


def stock_table(stock: pd.DataFrame) -> pd.DataFrame:
    """a_patrimonio.csv: the owners' rows, without the export's Totale line."""
    columns = ["ente_proprietario", "totale_unita", "alloggi_sap", "alloggi_sas"]
    return (
        stock[columns].sort_values("ente_proprietario").reset_index(drop=True).astype({c: "int64" for c in columns[1:]})
    )


def totals_reconciliation(frame: pd.DataFrame, declared: dict, table: str) -> pd.DataFrame:
    """One row per numeric column: declared total (if any), computed sum, difference."""
    rows = []
    for column in frame.columns:
        if pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column]):
            computed = int(frame[column].sum())
            value = declared.get(column)
            rows.append(
                {
                    "tabella": table,
                    "colonna": column,
                    "dichiarato": "" if value is None else int(value),
                    "calcolato": computed,
                    "differenza": "" if value is None else int(value) - computed,
                }
            )
    return pd.DataFrame(rows, columns=["tabella", "colonna", "dichiarato", "calcolato", "differenza"])


def declared_totals_table(
    by_owner: pd.DataFrame,
    stock: pd.DataFrame,
    assignments: pd.DataFrame,
    declared_assignable: pd.DataFrame,
    declared: dict[str, dict],
) -> pd.DataFrame:
    """a_patrimonio_totali.csv: the totals the platform's exports declare against the sums of their rows
    (by_owner: a_patrimonio; stock, assignments, declared_assignable: the interim inputs; declared: the
    declared totals by input). SAT is reconciled when the stock declares it."""
    if stock["alloggi_sat"].notna().any():
        sat = stock.sort_values("ente_proprietario")["alloggi_sat"].astype("int64").to_numpy()
        by_owner = by_owner.assign(alloggi_sat=sat)
    reconciliation = [
        totals_reconciliation(by_owner, declared.get("patrimonio", {}), "a_patrimonio"),
        totals_reconciliation(
            assignments[["alloggi_assegnati", "in_deroga"]],
            declared.get("assegnazioni", {}),
            "k_assegnate_anno_precedente",
        ),
        totals_reconciliation(
            declared_assignable[["unita"]], declared.get("assegnabili_dichiarate", {}), "g_assegnabili_dichiarate"
        ),
    ]
    return pd.concat(reconciliation, ignore_index=True)


def _unit_sort(frame: pd.DataFrame) -> pd.DataFrame:
    key = frame["codice_unita"].str.zfill(12)
    return (
        frame.assign(_k=key)
        .sort_values(["ente_proprietario", "comune", "_k"])
        .drop(columns="_k")
        .reset_index(drop=True)
    )


def units_in_category(units: pd.DataFrame, unit_code: str) -> pd.DataFrame:
    """b_...f_ tables: ente_proprietario, codice_unita, comune of the units listed under one category."""
    selected = units.loc[units["categoria"] == unit_code, ["ente_proprietario", "codice_unita", "comune"]]
    return _unit_sort(selected)


def turnover_table(turnover: pd.DataFrame) -> pd.DataFrame:
    """e_turnover.csv: units expected to free up by turnover (comune empty where not given), every service
    together (by service: e_turnover_servizi.csv)."""
    frame = turnover[["ente_proprietario", "comune", "unita"]].astype({"unita": "int64"})
    frame = frame.groupby(["ente_proprietario", "comune"], as_index=False, sort=False)["unita"].sum()
    return frame.sort_values(["ente_proprietario", "comune"]).reset_index(drop=True)


def assignable_by_category(units: pd.DataFrame, turnover: pd.DataFrame) -> pd.DataFrame:
    """ente_proprietario, comune, categoria, unita: listed units b-f and turnover, by the catalogue's codes."""
    listed = units.groupby(["ente_proprietario", "comune", "categoria"]).size().rename("unita").reset_index()
    listed["categoria"] = listed["categoria"].map(lambda c: catalogue.category_of_unit(c).code)
    moving = turnover_table(turnover).assign(categoria=TURNOVER)
    frame = pd.concat([listed, moving[["ente_proprietario", "comune", "categoria", "unita"]]], ignore_index=True)
    frame = frame[frame["unita"] > 0].astype({"unita": "int64"})
    return frame.sort_values(["ente_proprietario", "comune", "categoria"]).reset_index(drop=True)


def assignable_units(units: pd.DataFrame, turnover: pd.DataFrame) -> pd.DataFrame:
    """g_assegnabili.csv: units assignable in the year (sum of b-f, art. 4 R.R. 4/2017) per owner and comune."""
    by_category = assignable_by_category(units, turnover)
    frame = by_category.groupby(["ente_proprietario", "comune"], as_index=False)["unita"].sum()
    return frame.sort_values(["ente_proprietario", "comune"]).reset_index(drop=True)


def assigned_last_year(assignments: pd.DataFrame) -> pd.DataFrame:
    """k_assegnate_anno_precedente.csv."""
    frame = assignments[["ente_proprietario", "alloggi_assegnati", "in_deroga"]]
    return (
        frame.astype({"alloggi_assegnati": "int64", "in_deroga": "int64"})
        .sort_values("ente_proprietario")
        .reset_index(drop=True)
    )


def measures_table(notices: pd.DataFrame) -> pd.DataFrame:
    """l_misure.csv: one row per notice, measures 1-5 as 0/1, adhering comuni out of the Ambito's."""
    frame = notices.copy()
    for n in range(1, 6):
        frame[f"misura_{n}"] = frame[f"misura_{n}"].astype(int)
    # notices are named MM/YYYY: sort them in time
    frame["_k"] = frame["avviso"].str[3:] + frame["avviso"].str[:2]
    frame = frame.sort_values("_k").drop(columns="_k")
    columns = ["avviso", "dgr"] + [f"misura_{n}" for n in range(1, 6)] + ["comuni_aderenti", "comuni_ambito"]
    return frame[columns].astype({"comuni_aderenti": "int64", "comuni_ambito": "int64"}).reset_index(drop=True)


def municipal_choices(choices: pd.DataFrame) -> pd.DataFrame:
    """h_i_j_scelte_comunali.csv: one row per choice a comune made."""
    return choices[["comune", "scelta", "valore"]].sort_values(["scelta", "comune"]).reset_index(drop=True)


def upgrading_funds(funds: pd.DataFrame) -> pd.DataFrame:
    """m_riqualificazione.csv."""
    frame = funds[["ente", "esito_anno_precedente", "candidatura_anno_corrente"]].copy()
    frame["candidatura_anno_corrente"] = frame["candidatura_anno_corrente"].astype(int)
    return frame.sort_values("ente").reset_index(drop=True)
