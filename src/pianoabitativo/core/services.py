"""Housing services (SAP, SAS, SAT) and per-comune quotas: the sums both the cross-checks and the tables use.

`assignable_rows` is the one place where the listed units b-f and the expected turnover are counted by
owner, comune, service and category; `quota_units` turns a comune's quota in percent into units with the
plan's own rule (plans/<plan>.yaml: quota_rounding), computed exactly (no binary floating point).
"""

from __future__ import annotations

import math
from fractions import Fraction

import pandas as pd

from .. import catalogue

TURNOVER = next(c.code for c in catalogue.CATEGORIES if c.unit_code is None)
COLUMNS = ["ente_proprietario", "comune", "servizio", "categoria", "unita"]


def service_of(frame: pd.DataFrame) -> pd.Series:
    """The service of each row: the «Servizio» cell, SAP where the input has none."""
    if "servizio" not in frame:
        return pd.Series(catalogue.SAP, index=frame.index, dtype=object)
    return frame["servizio"].fillna("").astype(str).replace("", catalogue.SAP)


def assignable_rows(units: pd.DataFrame, turnover: pd.DataFrame) -> pd.DataFrame:
    """ente_proprietario, comune, servizio, categoria (catalogue code), unita: units assignable in the year,
    listed (b-f) and by turnover, with no zero rows; sorted."""
    listed = units.assign(servizio=service_of(units))
    listed = (
        listed.groupby(["ente_proprietario", "comune", "servizio", "categoria"]).size().rename("unita").reset_index()
    )
    listed["categoria"] = listed["categoria"].map(lambda c: catalogue.category_of_unit(c).code)
    moving = turnover.assign(servizio=service_of(turnover), categoria=TURNOVER, comune=turnover["comune"].fillna(""))
    frame = pd.concat([listed[COLUMNS], moving[COLUMNS]], ignore_index=True)
    frame = frame[frame["unita"] > 0].astype({"unita": "int64"})
    return frame.sort_values(COLUMNS[:4]).reset_index(drop=True)


def owned_by_comune(owner: str, comune: str) -> bool:
    """Is this owner the comune itself («Comune di X» for comune X)?"""
    return bool(comune) and owner.strip().casefold() == f"comune di {comune}".casefold()


def quota_units(base: int, percent: float, rounding: str) -> int:
    """The units of a quota of `percent` % of `base` units, rounded as the plan says (down, nearest, up)."""
    exact = Fraction(int(base)) * Fraction(str(percent)) / 100
    if rounding == "down":
        return math.floor(exact)
    if rounding == "up":
        return math.ceil(exact)
    if rounding == "nearest":
        return math.floor(exact + Fraction(1, 2))
    raise ValueError(f"quota_rounding: {rounding}")


def sat_stock(stock_services: pd.DataFrame) -> dict[str, int] | None:
    """Owner -> SAT units, when the stock declares SAT (a_patrimonio_servizi); None otherwise."""
    sat = stock_services[stock_services["servizio"] == catalogue.SAT]
    return dict(zip(sat["ente_proprietario"], sat["unita"].astype(int))) if len(sat) else None
