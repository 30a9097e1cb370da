"""Chart: per owner, the units the previous plan foresaw as assignable against those assigned in that year.

Two horizontal bars per owner (foreseen: light, assigned: dark), owners with the most units on top, each
bar labelled with its number. A plan without a previous one to compare gets a chart that says so (the
document does not show it: the workflow's files are the same for every plan).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from pianoabitativo import look
from pianoabitativo.catalogue import YEAR_ROW
from pianoabitativo.core.formatting import format_int

from .style import MUTED_INK, PLAN_BLUE, bar_height_in, in_plan_style, label_bar_ends, new_figure, style_value_axis

FORESEEN_COLOUR = look.colour("light-blue")  # the light blue of the catalogue's turnover units: what was expected
BAR = 0.38


def _drawing_order(owners: pd.DataFrame) -> pd.DataFrame:
    """Largest (foreseen or assigned) first, then by name; reversed for barh (bottom-up)."""
    ordered = owners.assign(_m=owners[["previste", "assegnate"]].max(axis=1)).sort_values(
        ["_m", "ente_proprietario"], ascending=[False, True]
    )
    return ordered.iloc[::-1].reset_index(drop=True)


@in_plan_style
def foreseen_and_assigned(owners: pd.DataFrame, key_figures: pd.DataFrame) -> Figure:
    """owners: confronto_enti.csv; key_figures: confronto_cifre_chiave.csv (its year row names the years)."""
    if owners.empty or key_figures.empty:
        fig = new_figure(1.2)
        text = (
            "Nessun piano precedente da confrontare"
            if key_figures.empty
            else "Nessuna unità prevista dal piano precedente né assegnata"
        )
        fig.text(0.5, 0.5, text, ha="center", va="center", color=MUTED_INK)
        return fig
    year_row = key_figures.loc[key_figures["chiave"] == YEAR_ROW].iloc[0]
    previous_year, assigned_year = int(year_row.precedente), int(year_row.corrente) - 1
    table = _drawing_order(owners)
    y = np.arange(len(table))
    fig = new_figure(bar_height_in(len(table), per_bar=0.42, extra=1.5))
    fig.suptitle(f"Unità previste dal piano {previous_year} e assegnate nel {assigned_year}", x=0.02, ha="left")
    ax = fig.subplots()
    foreseen = ax.barh(
        y + BAR / 2,
        table["previste"],
        height=BAR,
        color=FORESEEN_COLOUR,
        label=f"Previste come assegnabili dal piano {previous_year}",
    )
    assigned = ax.barh(
        y - BAR / 2, table["assegnate"], height=BAR, color=PLAN_BLUE, label=f"Assegnate nel {assigned_year}"
    )
    style_value_axis(ax)
    top = max(int(table["previste"].max()), int(table["assegnate"].max()), 1)
    ax.set_xlim(0, top * 1.15)
    for offset, values in ((BAR / 2, table["previste"]), (-BAR / 2, table["assegnate"])):
        label_bar_ends(ax, y + offset, values, [format_int(value) for value in values], fontsize=7.5)
    ax.set_yticks(y, table["ente_proprietario"])
    ax.set_ylim(-0.6, len(table) - 0.4)
    ax.set_xlabel("Unità abitative")
    fig.legend(handles=[foreseen, assigned], loc="outside lower center", ncols=2)
    return fig
