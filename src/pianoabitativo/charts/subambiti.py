"""Chart: population and density per sub-ambito."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from pianoabitativo.core.formatting import format_int, format_number

from .style import INK, PLAN_BLUE, bar_height_in, in_plan_style, new_figure, style_value_axis


def _subambito_label(name: str, n_comuni: int) -> str:
    """'Sergnano (13 comuni)', 'Città di Crema (1 comune)'."""
    noun = "comune" if int(n_comuni) == 1 else "comuni"
    return f"{name}\n({format_int(n_comuni)} {noun})"


@in_plan_style
def population_density_by_subambito(subambiti: pd.DataFrame) -> Figure:
    """Two panels: residents and density (ab/km²) per sub-ambito, largest first.

    An ambito without sub-ambiti gets a small figure saying so (the document does not show it).
    """
    if subambiti.empty:
        return _no_subambiti_figure()
    data = subambiti.sort_values(["popolazione", "sub_ambito"], ascending=[True, True])
    labels = [_subambito_label(s, n) for s, n in zip(data["sub_ambito"], data["n_comuni"])]
    y = np.arange(len(data))

    fig = new_figure(bar_height_in(len(data), per_bar=0.5, extra=1.1))
    ax_pop, ax_den = fig.subplots(1, 2, sharey=True)
    fig.suptitle("Popolazione e densità abitativa per sub-ambito", x=0.02, ha="left")

    _draw_labelled_bars(ax_pop, y, data["popolazione"], [format_int(v) for v in data["popolazione"]])
    ax_pop.set_title("Popolazione residente (abitanti)")
    _draw_labelled_bars(ax_den, y, data["densita"], [format_number(v, 2) for v in data["densita"]])
    ax_den.set_title("Densità (ab/km²)")

    ax_pop.set_yticks(y, labels)
    ax_den.tick_params(axis="y", labelleft=False)
    return fig


def _no_subambiti_figure() -> Figure:
    fig = new_figure(1.0)
    ax = fig.subplots()
    ax.set_axis_off()
    ax.text(
        0.5, 0.5, "L'ambito non è articolato in sub-ambiti", ha="center", va="center", color=INK, transform=ax.transAxes
    )
    return fig


def _draw_labelled_bars(ax: Axes, y: np.ndarray, values: Iterable[float], labels: Sequence[str]) -> None:
    """Horizontal bars in plan blue with their value written after the end."""
    values = np.asarray(list(values), dtype=float)
    bars = ax.barh(y, values, height=0.62, color=PLAN_BLUE)
    ax.bar_label(bars, labels=labels, padding=3, fontsize=8.5, color=INK)
    ax.set_xlim(0, values.max() * 1.28)
    style_value_axis(ax)
