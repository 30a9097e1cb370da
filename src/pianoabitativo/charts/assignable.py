"""Chart: assignable units per comune, stacked by category (the catalogue's b-f, in its order and colours)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from pianoabitativo.catalogue import CATEGORIES
from pianoabitativo.core.formatting import format_int

from .style import INK, MUTED_INK, bar_height_in, in_plan_style, label_bar_ends, new_figure, style_value_axis

UNKNOWN_COMUNE_LABEL = "Comune non indicato"
CATEGORY_CODES: tuple[str, ...] = tuple(c.code for c in CATEGORIES)  # chart order, never from the data


def _units_by_comune(units: pd.DataFrame) -> pd.DataFrame:
    """Comuni × category codes (catalogue order, zeros filled), largest total first."""
    unknown = set(units["categoria"]) - set(CATEGORY_CODES)
    if unknown:
        raise ValueError(f"Unknown categories: {sorted(unknown)}")
    comune = units["comune"].fillna("").astype(str).str.strip()
    comune = comune.where(comune != "", UNKNOWN_COMUNE_LABEL)
    table = (
        units.assign(comune=comune)
        .pivot_table(index="comune", columns="categoria", values="unita", aggfunc="sum", fill_value=0)
        .reindex(columns=list(CATEGORY_CODES), fill_value=0)
        .astype(int)
    )
    order = sorted(
        table.index,
        key=lambda c: (c == UNKNOWN_COMUNE_LABEL, -table.loc[c].sum(), c),
    )
    return table.loc[order]


def _segment_text_colour(hex_colour: str) -> str:
    """White on dark fills, ink on light ones (relative luminance)."""
    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return "white" if 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5 else INK


@in_plan_style
def assignable_by_comune_and_category(units: pd.DataFrame) -> Figure:
    """Stacked horizontal bars of assignable units per comune, by category.

    units: columns comune, categoria (a catalogue category code) and unita; one
    or more rows per comune and category (they are summed).
    """
    table = _units_by_comune(units)
    drawn = table.iloc[::-1]  # barh draws bottom-up: largest comune on top
    y = np.arange(len(drawn))
    totals = drawn.sum(axis=1)

    fig = new_figure(bar_height_in(len(drawn), per_bar=0.3, extra=1.6))
    ax = fig.subplots()
    fig.suptitle("Unità abitative assegnabili per comune e categoria", x=0.02, ha="left")

    left = np.zeros(len(drawn))
    for category in CATEGORIES:
        counts = drawn[category.code].to_numpy()
        if counts.sum() == 0:
            continue  # absent category: no bar, no legend entry, colours unchanged
        bars = ax.barh(
            y,
            counts,
            left=left,
            height=0.66,
            color=category.colour,
            label=category.chart_label,
            gid=f"categoria-{category.code}",
        )
        ax.bar_label(
            bars,
            labels=[format_int(c) if c else "" for c in counts],
            label_type="center",
            fontsize=7.5,
            color=_segment_text_colour(category.colour),
        )
        left += counts

    label_bar_ends(ax, y, totals, [format_int(total) for total in totals], fontsize=8.5, gap=4, bold=True)

    ax.set_yticks(y, drawn.index)
    _italicise_unknown_comune(ax)
    ax.set_ylim(-0.6, len(drawn) - 0.4)
    ax.set_xlim(0, totals.max() * 1.12)
    style_value_axis(ax)
    ax.set_xlabel("Unità abitative")
    n_drawn = sum(1 for code in CATEGORY_CODES if drawn[code].sum() > 0)
    fig.legend(loc="outside lower center", ncols=2 if n_drawn <= 4 else 3)
    return fig


def _italicise_unknown_comune(ax: Axes) -> None:
    """Set the 'Comune non indicato' tick label apart (italic, muted)."""
    for label in ax.get_yticklabels():
        if label.get_text() == UNKNOWN_COMUNE_LABEL:
            label.set_fontstyle("italic")
            label.set_color(MUTED_INK)
