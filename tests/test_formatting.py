"""Italian numbers whatever the OS locale."""

import datetime as dt
import locale

import pytest

from pianoabitativo.core.formatting import (
    format_date_long,
    format_date_short,
    format_int,
    format_number,
    format_percent,
)
from pianoabitativo.inputs.cells import parse_integer, parse_number


@pytest.mark.parametrize("value, text", [(1006, "1.006"), (162323, "162.323"), (15, "15"), (1703.0, "1.703")])
def test_integers_use_a_dot_for_thousands(value, text):
    assert format_int(value) == text


@pytest.mark.parametrize(
    "value, decimals, text",
    [(283.2671, 2, "283,27"), (34.52, 2, "34,52"), (573.04, 0, "573"), (992.575, 2, "992,58"), (1234.5, 1, "1.234,5")],
)
def test_decimals_use_a_comma(value, decimals, text):
    assert format_number(value, decimals) == text


def test_percent_and_dates():
    assert format_percent(0.4444) == "44%" and format_percent(0.724) == "72%"
    assert format_date_long(dt.date(2019, 6, 25)) == "25 giugno 2019"
    assert format_date_short(dt.date(2018, 1, 1)) == "01/01/2018"


def test_formatting_ignores_the_process_locale():
    saved = locale.setlocale(locale.LC_ALL)
    try:
        for name in ("C", "en_US.UTF-8"):
            try:
                locale.setlocale(locale.LC_ALL, name)
            except locale.Error:
                continue
            assert format_number(283.18) == "283,18" and format_int(1711) == "1.711"
    finally:
        locale.setlocale(locale.LC_ALL, saved)


@pytest.mark.parametrize("text, value", [("1.006", 1006), ("1006", 1006), ("28", 28), ("1.711,0", 1711)])
def test_parse_integer_reads_italian_thousands(text, value):
    assert parse_integer(text) == value


@pytest.mark.parametrize("text, value", [("34,52", 34.52), ("202.94", 202.94), ("1.234,5", 1234.5), ("2,11", 2.11)])
def test_parse_number_reads_both_decimal_marks(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["35x", "1,5", "", "1.00.0"])
def test_parse_integer_rejects_non_integers(text):
    with pytest.raises(ValueError):
        parse_integer(text)
