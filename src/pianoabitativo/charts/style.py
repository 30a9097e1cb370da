"""The plan's chart style: style file, colours, figure and axis helpers, Italian number ticks.

Every number shown on a chart goes through :mod:`pianoabitativo.core.formatting`,
so labels read "1.006" and "283,18" whatever the machine locale.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterable, Iterator

import matplotlib
import matplotlib.style
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from pianoabitativo import look
from pianoabitativo.core.files import package_file
from pianoabitativo.core.formatting import format_int

STYLE_PATH = package_file("assets", "piano.mplstyle")
TEXT_WIDTH_IN = 6.3  # 16 cm: A4 minus 2.5 cm margins

INK = look.colour("ink")
MUTED_INK = look.colour("muted-ink")
GRID = look.colour("grid")
PLAN_BLUE = look.colour("accent")
PLAN_ORANGE = look.colour("orange")
PLAN_GREEN = look.colour("green")  # SAT (transitional housing), the green of category f


@contextlib.contextmanager
def use_plan_style() -> Iterator[None]:
    """Context in which matplotlib uses the plan style (and nothing else): sizes from the style file,
    colours and font from the plan's look (look.py)."""
    with matplotlib.style.context(["default", str(STYLE_PATH), look.chart_rc()]):
        yield


def in_plan_style(function: Callable[..., Figure]) -> Callable[..., Figure]:
    """Decorator: build the figure inside :func:`use_plan_style`."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with use_plan_style():
            return function(*args, **kwargs)

    return wrapper


def new_figure(height_in: float, width_in: float = TEXT_WIDTH_IN) -> Figure:
    """A constrained-layout Figure attached to an Agg canvas."""
    fig = Figure(figsize=(width_in, height_in), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def italian_int_formatter() -> FuncFormatter:
    """Tick formatter: 10000 -> '10.000'."""
    return FuncFormatter(lambda value, _pos: format_int(value))


def style_value_axis(ax: Axes, *, integer: bool = True) -> None:
    """Horizontal-bar value axis: Italian ticks, light vertical grid, no y spine."""
    ax.xaxis.set_major_formatter(italian_int_formatter())
    if integer:
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 5, 10], integer=True))
    ax.grid(axis="x", color=GRID, linewidth=0.6)
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)


def bar_height_in(n_bars: int, per_bar: float = 0.27, extra: float = 1.3) -> float:
    """Figure height that keeps bars and their labels uncramped."""
    return round(extra + per_bar * n_bars, 2)


def label_bar_ends(
    ax: Axes,
    ys: Iterable[float],
    ends: Iterable[float],
    texts: Iterable[str],
    *,
    fontsize: float,
    gap: float = 3,
    bold: bool = False,
) -> None:
    """Write each text just after the end of its horizontal bar (at `end`, on the bar's `y`), `gap` points
    to the right, in the plan's ink."""
    weight = {"fontweight": "bold"} if bold else {}
    for y, end, text in zip(ys, ends, texts):
        ax.annotate(
            text,
            xy=(end, y),
            xytext=(gap, 0),
            textcoords="offset points",
            va="center",
            ha="left",
            fontsize=fontsize,
            color=INK,
            **weight,
        )
