"""Italian number and date formatting, independent of the OS locale.

Babel carries its own CLDR data, so "1.006" and "283,18" come out the same on
every machine whatever LANG says. Machine CSVs never go through this module:
it is for the documents only.
"""

from __future__ import annotations

import datetime as _dt
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = "it_IT"


def _half_up(value: float, decimals: int) -> Decimal:
    """Round like a person does (283.185 -> 283.19), not like binary floats."""
    quantum = Decimal(1).scaleb(-decimals)
    return Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)


def format_int(value: int | float) -> str:
    """1006 -> '1.006'."""
    return format_decimal(int(_half_up(value, 0)), format="#,##0", locale=LOCALE)


def format_number(value: float, decimals: int = 2) -> str:
    """283.176 -> '283,18'; always exactly `decimals` decimals."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(_half_up(value, decimals), format=pattern, locale=LOCALE)


def format_percent(share: float, decimals: int = 0) -> str:
    """0.4796 -> '48%' (the plan writes percentages without a space)."""
    return format_number(share * 100, decimals) + "%"


def format_date_long(day: _dt.date) -> str:
    """date(2019, 6, 25) -> '25 giugno 2019'."""
    return format_date(day, format="d MMMM y", locale=LOCALE)


def format_date_short(day: _dt.date) -> str:
    """date(2018, 1, 1) -> '01/01/2018'."""
    return day.strftime("%d/%m/%Y")
