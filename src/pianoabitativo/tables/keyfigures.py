"""The key figures the plan's text quotes, computed from the processed tables.

`key_figures` returns machine values (ints, floats, shares as fractions) keyed
by stable names; cifre_chiave.csv stores them for reviewers and the report
fragments turn them into Italian text.
"""

from __future__ import annotations

import pandas as pd

from ..catalogue import ABOVE_REGION, BELOW_PROVINCE, district_key


def demography_figures(comuni: pd.DataFrame, subambiti: pd.DataFrame, provincial: float, regional: float) -> dict:
    population = int(comuni["popolazione"].sum())
    area = round(float(comuni["superficie_km2"].sum()), 2)
    classes = comuni["classe_densita"].value_counts()
    owners = comuni[comuni["proprietario_sap"]]
    return {
        "n_comuni": len(comuni),
        "n_subambiti": len(subambiti),
        "popolazione": population,
        "superficie_km2": area,
        "densita": round(population / area, 2),
        "densita_provincia": provincial,
        "densita_regione": regional,
        "n_comuni_sotto_media_provinciale": int(classes.get(BELOW_PROVINCE, 0)),
        "n_comuni_sopra_media_provinciale": int(len(comuni) - classes.get(BELOW_PROVINCE, 0)),
        "n_comuni_sopra_media_regionale": int(classes.get(ABOVE_REGION, 0)),
        "n_comuni_proprietari_sap": len(owners),
        "n_comuni_senza_patrimonio": len(comuni) - len(owners),
        "quota_comuni_senza_patrimonio": round((len(comuni) - len(owners)) / len(comuni), 4),
        "quota_popolazione_comuni_proprietari": round(int(owners["popolazione"].sum()) / population, 4),
        "quota_popolazione_comuni_non_proprietari": round(1 - int(owners["popolazione"].sum()) / population, 4),
    }


def household_figures(households: pd.DataFrame, sizes: pd.DataFrame, district: str) -> dict:
    total = int(households["famiglie"].sum())
    figures = {"famiglie_provincia": total}
    for name, value in zip(households["ambito"], households["famiglie"]):
        key = district_key(name)
        figures[f"famiglie_{key}"] = int(value)
        figures[f"quota_famiglie_{key}"] = round(int(value) / total, 4)
    figures["famiglie_ambito"] = figures[f"famiglie_{district_key(district)}"]
    figures["quota_famiglie_ambito"] = figures[f"quota_famiglie_{district_key(district)}"]
    stats = dict(zip(sizes["statistica"], sizes["componenti_medi"]))
    figures["componenti_medi_min"] = float(stats["minimo"])
    figures["componenti_medi_max"] = float(stats["massimo"])
    return figures


def housing_figures(
    stock: pd.DataFrame,
    declared_stock: dict,
    units_by_category: dict[str, pd.DataFrame],
    turnover: pd.DataFrame,
    assignable: pd.DataFrame,
    assigned: pd.DataFrame,
    notices: pd.DataFrame,
    managers: pd.DataFrame,
    aler: str,
) -> dict:
    figures = {
        "n_enti_proprietari": len(stock),
        "patrimonio_totale_unita": int(stock["totale_unita"].sum()),
        "patrimonio_alloggi_sap": int(stock["alloggi_sap"].sum()),
        "patrimonio_alloggi_sas": int(stock["alloggi_sas"].sum()),
    }
    for column in ("totale_unita", "alloggi_sap", "alloggi_sas"):
        declared = declared_stock.get(column)
        figures[f"patrimonio_dichiarato_{column}"] = "" if declared is None else int(declared)
        figures[f"patrimonio_differenza_{column}"] = (
            "" if declared is None else int(declared) - figures[f"patrimonio_{column}"]
        )
    for name, frame in units_by_category.items():
        figures[f"n_{name}"] = len(frame)
    figures["n_e_turnover"] = int(turnover["unita"].sum())
    figures["n_e_totale"] = figures["n_e_libere"] + figures["n_e_turnover"]
    figures["n_g_assegnabili"] = int(assignable["unita"].sum())
    figures["n_enti_con_assegnabili"] = int(assignable["ente_proprietario"].nunique())
    figures["n_k_assegnate"] = int(assigned["alloggi_assegnati"].sum())
    figures["n_k_in_deroga"] = int(assigned["in_deroga"].sum())
    figures["n_enti_k"] = len(assigned)
    figures["n_avvisi_misure"] = len(notices)
    managed = managers.loc[managers["ente_gestore"] == aler, "comuni_gestiti"]
    figures["aler_comuni_gestiti"] = int(managed.iloc[0]) if len(managed) else 0
    return figures


def project_figures(projects: pd.DataFrame) -> dict:
    return {f"progetto_{i}": int(v) for i, v in zip(projects["indicatore"], projects["valore"])}


def key_figures_frame(figures: dict) -> pd.DataFrame:
    """cifre_chiave.csv: chiave, valore (sorted by key; floats with their own precision)."""
    return (
        pd.DataFrame({"chiave": list(figures), "valore": [str(v) for v in figures.values()]})
        .sort_values("chiave")
        .reset_index(drop=True)
    )
