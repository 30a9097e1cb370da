"""Chart: housing stock per owner (SAP + SAS), with a broken axis when one or two owners dwarf the rest.

Scale choice. ALER (1.006 units) and the Comune di Crema (358) dwarf the other
22 owners (2-58 units). A log axis would keep everyone visible, but a mayor
reads bar length as quantity and a log axis misleads exactly that reading. On a
plain linear axis the 22 small owners would be slivers of a few pixels. So the
axis is *broken*: a left panel from 0 that shows the small owners at a readable
scale, a right panel that carries on for the one or two owners past the break,
with the usual diagonal break marks, and every bar labelled with its exact
total so nobody has to read the scale across the break.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from pianoabitativo.core.formatting import format_int

from .style import (
    MUTED_INK,
    PLAN_BLUE,
    PLAN_GREEN,
    PLAN_ORANGE,
    bar_height_in,
    in_plan_style,
    label_bar_ends,
    new_figure,
    style_value_axis,
)

BREAK_MIN_RATIO = 3.0  # break only if the big owners are >= 3x the rest


def _owners_past_break(totals: Sequence[float]) -> int:
    """How many of the largest owners sit past the axis break (0 = no break).

    Looks for the biggest ratio between consecutive totals among the top
    three; the owners above that gap go to the right-hand panel.
    """
    ordered = sorted(totals, reverse=True)
    best_k, best_ratio = 0, BREAK_MIN_RATIO
    for k in range(1, min(3, len(ordered) - 1) + 1):
        below = ordered[k]
        ratio = ordered[k - 1] / below if below > 0 else math.inf
        if ratio >= best_ratio:
            best_k, best_ratio = k, ratio
    return best_k


def _round_up_to_magnitude(value: float) -> float:
    """66.7 -> 70, 412 -> 500: rounded up to a multiple of its power of ten."""
    if value <= 0:
        return 1.0
    step = 10 ** math.floor(math.log10(value))
    return math.ceil(value / step) * step


def _round_down_to_magnitude(value: float) -> float:
    """304 -> 300, 0.85 -> 0.8: rounded down to a multiple of its power of ten."""
    if value <= 0:
        return 0.0
    step = 10 ** math.floor(math.log10(value))
    return math.floor(value / step) * step


def _owner_value_label(total: int, sas: int, sat: int = 0) -> str:
    """'1.006 (di cui 9 SAS)', '310 (di cui 8 SAS e 6 SAT)' or '58'."""
    text = format_int(total)
    parts = [f"{format_int(n)} {s}" for n, s in ((sas, "SAS"), (sat, "SAT")) if n]
    return f"{text} (di cui {' e '.join(parts)})" if parts else text


def _stock_table(patrimonio: pd.DataFrame, sat: dict[str, int] | None = None) -> pd.DataFrame:
    """The owners sorted for drawing (smallest first = bottom), totals checked; with «alloggi_sat» when the
    stock declares SAT (sat: owner -> units, from a_patrimonio_servizi)."""
    table = patrimonio[["ente_proprietario", "totale_unita", "alloggi_sap", "alloggi_sas"]].copy()
    parts = table["alloggi_sap"] + table["alloggi_sas"]
    if sat is not None:
        table["alloggi_sat"] = [int(sat.get(o, 0)) for o in table["ente_proprietario"]]
        parts = parts + table["alloggi_sat"]
    mismatch = parts != table["totale_unita"]
    if mismatch.any():
        owners = ", ".join(table.loc[mismatch, "ente_proprietario"])
        raise ValueError(f"SAP + SAS{' + SAT' if sat is not None else ''} differs from totale_unita for: {owners}")
    return table.sort_values(["totale_unita", "ente_proprietario"], ascending=[True, False]).reset_index(drop=True)


def _draw_stock_bars(ax: Axes, table: pd.DataFrame) -> tuple:
    """Stacked SAP + SAS (+ SAT) bars on one axes; returns the containers."""
    y = np.arange(len(table))
    sap = ax.barh(y, table["alloggi_sap"], height=0.68, color=PLAN_BLUE, label="SAP (servizi abitativi pubblici)")
    sas = ax.barh(
        y,
        table["alloggi_sas"],
        left=table["alloggi_sap"],
        height=0.68,
        color=PLAN_ORANGE,
        label="SAS (servizi abitativi sociali)",
    )
    if "alloggi_sat" not in table:
        return sap, sas
    sat = ax.barh(
        y,
        table["alloggi_sat"],
        left=table["alloggi_sap"] + table["alloggi_sas"],
        height=0.68,
        color=PLAN_GREEN,
        label="SAT (servizi abitativi transitori)",
    )
    return sap, sas, sat


def _draw_break_marks(left: Axes, right: Axes) -> None:
    """The two diagonal strokes that say 'the axis is interrupted here'."""
    mark = dict(
        marker=[(-1, -1.6), (1, 1.6)],
        markersize=8,
        linestyle="none",
        color=MUTED_INK,
        mec=MUTED_INK,
        mew=0.9,
        clip_on=False,
    )
    left.plot([1], [0], transform=left.transAxes, **mark)
    right.plot([0], [0], transform=right.transAxes, **mark)


@in_plan_style
def stock_by_owner_and_service(patrimonio: pd.DataFrame, services: pd.DataFrame) -> Figure:
    """stock_by_owner, with each owner's SAT units when the plan's stock by service declares them
    (a_patrimonio_servizi.csv)."""
    from pianoabitativo.core.services import sat_stock

    return stock_by_owner(patrimonio, sat_stock(services))


def stock_by_owner(patrimonio: pd.DataFrame, sat: dict[str, int] | None = None) -> Figure:
    """Stacked SAP + SAS (+ SAT, when the stock declares it) units per owner, sorted by total, with a broken
    axis if needed."""
    table = _stock_table(patrimonio, sat)
    sat_units = table["alloggi_sat"] if "alloggi_sat" in table else [0] * len(table)
    labels = [_owner_value_label(t, s, v) for t, s, v in zip(table["totale_unita"], table["alloggi_sas"], sat_units)]

    fig = new_figure(bar_height_in(len(table), per_bar=0.235, extra=1.35))
    fig.suptitle("Patrimonio abitativo per ente proprietario", x=0.02, ha="left")
    n_big = _owners_past_break(table["totale_unita"])
    if n_big:
        first = _draw_broken_stock_axes(fig, table, labels, n_big)
    else:
        first = _draw_single_stock_axes(fig, table, labels)

    first.set_yticks(np.arange(len(table)), table["ente_proprietario"])
    first.set_ylim(-0.6, len(table) - 0.4)
    first.set_xlabel("Unità abitative")
    services = 3 if "alloggi_sat" in table else 2
    fig.legend(handles=first.containers[:services], loc="outside lower center", ncols=services)
    return fig


def _draw_single_stock_axes(fig: Figure, table: pd.DataFrame, labels: Sequence[str]) -> Axes:
    """One linear axis from 0 (used when no owner dwarfs the others)."""
    totals = table["totale_unita"].astype(float)
    ax = fig.subplots()
    _draw_stock_bars(ax, table)
    style_value_axis(ax)
    ax.set_xlim(0, totals.max() * 1.3)
    label_bar_ends(ax, np.arange(len(table)), totals, labels, fontsize=8)
    return ax


def _draw_broken_stock_axes(fig: Figure, table: pd.DataFrame, labels: Sequence[str], n_big: int) -> Axes:
    """Left panel 0..just past the small owners, right panel for the n_big largest; returns the left one."""
    totals = table["totale_unita"].astype(float)
    y = np.arange(len(table))
    small, big = slice(0, len(table) - n_big), slice(len(table) - n_big, len(table))
    left_end = _round_up_to_magnitude(totals.iloc[small].max() * 1.15)
    right_start = max(left_end, _round_down_to_magnitude(totals.iloc[big].min() * 0.85))

    ax, ax_big = fig.subplots(1, 2, sharey=True, gridspec_kw={"width_ratios": [3, 2]})
    for panel in (ax, ax_big):
        _draw_stock_bars(panel, table)
        style_value_axis(panel)
    ax.set_xlim(0, left_end)
    ax_big.set_xlim(right_start, totals.iloc[big].max() * 1.45)
    ax_big.xaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))
    ax_big.tick_params(axis="y", labelleft=False)
    label_bar_ends(ax, y[small], totals.iloc[small], labels[small], fontsize=8)
    label_bar_ends(ax_big, y[big], totals.iloc[big], labels[big], fontsize=8)
    _draw_break_marks(ax, ax_big)
    return ax
