"""The tables of the housing services (SAP, SAS, SAT) and of the per-comune choices (issue 19).

New tables beside the 2019 ones, which stay as they were: the stock by owner and service, every assignable
unit with its category and service, the turnover by service (and the units released by the Forze di Polizia
and Vigili del Fuoco), the assignable units by owner, comune, service and category, one row per comune that
made a choice (with its quota in units under the plan's rule) and the SAT contingent.
"""

from __future__ import annotations

import pandas as pd

from .. import catalogue
from ..core.columntypes import column_type
from ..core.services import assignable_rows, owned_by_comune, quota_units, service_of


def stock_by_service(stock: pd.DataFrame) -> pd.DataFrame:
    """a_patrimonio_servizi.csv: ente_proprietario, servizio, unita; SAT only when the stock file declares it."""
    columns = {catalogue.SAP: "alloggi_sap", catalogue.SAS: "alloggi_sas"}
    if "alloggi_sat" in stock and stock["alloggi_sat"].notna().any():
        columns[catalogue.SAT] = "alloggi_sat"
    rows = [
        {"ente_proprietario": owner, "servizio": service, "unita": int(0 if pd.isna(value) else value)}
        for owner, record in zip(stock["ente_proprietario"], stock.to_dict("records"))
        for service, column in columns.items()
        for value in [record[column]]
    ]
    frame = pd.DataFrame(rows, columns=["ente_proprietario", "servizio", "unita"]).astype({"unita": "int64"})
    order = {s: i for i, s in enumerate(catalogue.SERVICES)}
    return frame.sort_values(
        ["ente_proprietario", "servizio"], key=lambda c: c.map(order) if c.name == "servizio" else c
    ).reset_index(drop=True)


def units_with_service(units: pd.DataFrame) -> pd.DataFrame:
    """unita_servizi.csv: every listed unit with its category (catalogue code) and service."""
    frame = units.assign(servizio=service_of(units))
    frame["categoria"] = frame["categoria"].map(lambda c: catalogue.category_of_unit(c).code)
    frame = frame[["ente_proprietario", "codice_unita", "comune", "categoria", "servizio"]]
    key = frame["codice_unita"].str.zfill(12)
    return (
        frame.assign(_k=key)
        .sort_values(["ente_proprietario", "comune", "_k"])
        .drop(columns="_k")
        .reset_index(drop=True)
    )


def turnover_by_service(turnover: pd.DataFrame) -> pd.DataFrame:
    """e_turnover_servizi.csv: ente_proprietario, comune, servizio, unita, forze_polizia_vvf (empty cell: 0)."""
    frame = turnover.assign(servizio=service_of(turnover), comune=turnover["comune"].fillna(""))
    released = frame["forze_polizia_vvf"] if "forze_polizia_vvf" in frame else pd.Series(0, index=frame.index)
    frame = frame.assign(forze_polizia_vvf=released.fillna(0))
    frame = frame[["ente_proprietario", "comune", "servizio", "unita", "forze_polizia_vvf"]]
    return (
        frame.astype({"unita": "int64", "forze_polizia_vvf": "int64"})
        .sort_values(["ente_proprietario", "comune", "servizio"])
        .reset_index(drop=True)
    )


def assignable_by_service(units: pd.DataFrame, turnover: pd.DataFrame) -> pd.DataFrame:
    """g_assegnabili_servizi.csv: ente_proprietario, comune, servizio, categoria, unita."""
    return assignable_rows(units, turnover)


def _percent(choices: pd.DataFrame, comune: str, code: str) -> float | None:
    from ..inputs.cells import parse_number  # the form the inputs stage validated

    found = choices.loc[(choices["comune"] == comune) & (choices["scelta"] == code), "valore"]
    return parse_number(found.iloc[0]) if len(found) else None


def _text(choices: pd.DataFrame, comune: str, code: str) -> str:
    found = choices.loc[(choices["comune"] == comune) & (choices["scelta"] == code), "valore"]
    return str(found.iloc[0]) if len(found) else ""


PER_COMUNE_CHOICES = (
    "soglia_indigenza_pct",
    "quota_forze_polizia_vvf_pct",
    "categoria_aggiuntiva",
    "categoria_aggiuntiva_motivazione",
)


def choices_by_comune(
    choices: pd.DataFrame, assignable: pd.DataFrame, rounding: str | None, base: str | None
) -> pd.DataFrame:
    """h_i_scelte_per_comune.csv: one row per comune that set a soglia, a quota or a further category, with the
    units its choices apply to and its quota in units (empty when the plan states quotas in percent only).

    assignable: g_assegnabili_servizi (units without a comune are not attributed to any comune).
    """
    table = catalogue.processed_table("h_i_scelte_per_comune")
    comuni = sorted(set(choices.loc[choices["scelta"].isin(PER_COMUNE_CHOICES), "comune"]))
    rows = []
    for comune in comuni:
        here = assignable[assignable["comune"] == comune]
        sap = here[here["servizio"] == catalogue.SAP]
        own = sap[[owned_by_comune(o, comune) for o in sap["ente_proprietario"]]]
        quota = _percent(choices, comune, "quota_forze_polizia_vvf_pct")
        converts = quota is not None and rounding in catalogue.QUOTA_ROUNDINGS
        quota_base = (
            (int(sap["unita"].sum()) if base == "assignable_sap" else int(here["unita"].sum())) if converts else None
        )
        rows.append(
            {
                "comune": comune,
                "unita_totali": int(here["unita"].sum()),
                "unita_sap": int(sap["unita"].sum()),
                "unita_proprie_sap": int(own["unita"].sum()),
                "soglia_indigenza_pct": _percent(choices, comune, "soglia_indigenza_pct"),
                "quota_forze_polizia_vvf_pct": quota,
                "quota_base_unita": quota_base,
                "quota_forze_polizia_vvf_unita": quota_units(quota_base, quota, rounding) if converts else None,
                "categoria_aggiuntiva": _text(choices, comune, "categoria_aggiuntiva"),
                "categoria_aggiuntiva_motivazione": _text(choices, comune, "categoria_aggiuntiva_motivazione"),
            }
        )
    frame = pd.DataFrame(rows, columns=[c for c, _ in table.columns])
    return frame.astype({column: column_type(kind).dtype for column, kind in table.columns if kind != catalogue.TEXT})


def choices_by_comune_by_plan_rule(
    choices: pd.DataFrame, assignable: pd.DataFrame, quota_rounding: str | None, quota_base: str | None
) -> pd.DataFrame:
    """choices_by_comune with the plan's quota rule (plans/<plan>.yaml: quota_rounding, quota_base), or the
    one proposed when it states none (catalogue.quota_rule)."""
    rounding, base, _ = catalogue.quota_rule({"quota_rounding": quota_rounding, "quota_base": quota_base})
    return choices_by_comune(choices, assignable, rounding, base)


def transitional_contingent(contingent: pd.DataFrame) -> pd.DataFrame:
    """j_servizi_transitori.csv: ente_proprietario, comune, unita."""
    frame = contingent[["ente_proprietario", "comune", "unita"]].astype({"unita": "int64"})
    return frame.sort_values(["ente_proprietario", "comune"]).reset_index(drop=True)
