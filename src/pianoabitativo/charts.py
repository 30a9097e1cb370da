"""Charts of the plan: DataFrames in, matplotlib Figures out.

Every chart function takes data already read and returns a Figure built on the
Agg canvas (no pyplot, no global backend switch, no file reading). All of them
draw inside the one plan style, ``assets/piano.mplstyle``. Every number shown
on a chart goes through :mod:`pianoabitativo.formatting`, so labels read
"1.006" and "283,18" whatever the machine locale. :func:`save_figure` writes
byte-identical PNG/SVG files for identical data.
"""

from __future__ import annotations

import contextlib
import functools
import io
import math
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from importlib import resources
from pathlib import Path

import matplotlib
import matplotlib.style
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath
from matplotlib.ticker import FuncFormatter, MaxNLocator

from pianoabitativo.core.files import write_bytes_atomically
from pianoabitativo.core.formatting import format_int, format_number

# --------------------------------------------------------------------------
# Style and shared constants
# --------------------------------------------------------------------------

STYLE_PATH = Path(str(resources.files("pianoabitativo") / "assets" / "piano.mplstyle"))
SVG_HASH_SALT = "pianoabitativo"
TEXT_WIDTH_IN = 6.3  # 16 cm: A4 minus 2.5 cm margins

INK = "#262626"
MUTED_INK = "#595959"
GRID = "#d9d9d9"
PLAN_BLUE = "#1f4e79"
PLAN_ORANGE = "#c55a11"

UNKNOWN_COMUNE_LABEL = "Comune non indicato"

# Fixed order and colours of the assignable-unit categories (the platform's
# letters). Blues: units free now or soon; oranges: units that need works;
# grey/green: new or private units. The order never depends on the data.
CATEGORY_ORDER: tuple[str, ...] = ("b", "c", "d", "e_libera", "e_turnover", "f")
CATEGORY_LABELS: dict[str, str] = {
    "b": "b) carenza manutentiva",
    "c": "c) ristrutturazione",
    "d": "d) nuova edificazione",
    "e_libera": "e) libere",
    "e_turnover": "e) avvicendamento",
    "f": "f) conferite da privati",
}
# Other spellings of the same category (tables.py writes turnover as "e_avvicendamento").
CATEGORY_ALIASES: dict[str, str] = {"e_avvicendamento": "e_turnover"}
CATEGORY_COLOURS: dict[str, str] = {
    "b": "#c55a11",
    "c": "#f4b183",
    "d": "#7f7f7f",
    "e_libera": "#1f4e79",
    "e_turnover": "#8fb4d9",
    "f": "#548235",
}

# Density classes of the map, light to dark.
DENSITY_CLASS_COLOURS: tuple[str, str, str] = ("#d6e3f0", "#7fa7cf", "#1f4e79")
MAP_BORDER = "#7f7f7f"

@contextlib.contextmanager
def use_plan_style() -> Iterator[None]:
    """Context in which matplotlib uses the plan style (and nothing else)."""
    with matplotlib.style.context(["default", str(STYLE_PATH)]):
        yield


def _in_plan_style(function: Callable[..., Figure]) -> Callable[..., Figure]:
    """Decorator: build the figure inside :func:`use_plan_style`."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with use_plan_style():
            return function(*args, **kwargs)

    return wrapper


def _new_figure(height_in: float, width_in: float = TEXT_WIDTH_IN) -> Figure:
    """A constrained-layout Figure attached to an Agg canvas."""
    fig = Figure(figsize=(width_in, height_in), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _italian_int_formatter() -> FuncFormatter:
    """Tick formatter: 10000 -> '10.000'."""
    return FuncFormatter(lambda value, _pos: format_int(value))


def _style_value_axis(ax: Axes, *, integer: bool = True) -> None:
    """Horizontal-bar value axis: Italian ticks, light vertical grid, no y spine."""
    ax.xaxis.set_major_formatter(_italian_int_formatter())
    if integer:
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 5, 10], integer=True))
    ax.grid(axis="x", color=GRID, linewidth=0.6)
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)


def _bar_height_in(n_bars: int, per_bar: float = 0.27, extra: float = 1.3) -> float:
    """Figure height that keeps bars and their labels uncramped."""
    return round(extra + per_bar * n_bars, 2)


# --------------------------------------------------------------------------
# 1. Population and density per sub-ambito
# --------------------------------------------------------------------------


def _subambito_label(name: str, n_comuni: int) -> str:
    """'Sergnano (13 comuni)', 'Città di Crema (1 comune)'."""
    noun = "comune" if int(n_comuni) == 1 else "comuni"
    return f"{name}\n({format_int(n_comuni)} {noun})"


@_in_plan_style
def population_density_by_subambito(subambiti: pd.DataFrame) -> Figure:
    """Two panels: residents and density (ab/km²) per sub-ambito, largest first."""
    data = subambiti.sort_values(["popolazione", "sub_ambito"], ascending=[True, True])
    labels = [_subambito_label(s, n) for s, n in zip(data["sub_ambito"], data["n_comuni"])]
    y = np.arange(len(data))

    fig = _new_figure(_bar_height_in(len(data), per_bar=0.5, extra=1.1))
    ax_pop, ax_den = fig.subplots(1, 2, sharey=True)
    fig.suptitle("Popolazione e densità abitativa per sub-ambito", x=0.02, ha="left")

    _draw_labelled_bars(ax_pop, y, data["popolazione"], [format_int(v) for v in data["popolazione"]])
    ax_pop.set_title("Popolazione residente (abitanti)")
    _draw_labelled_bars(ax_den, y, data["densita"], [format_number(v, 2) for v in data["densita"]])
    ax_den.set_title("Densità (ab/km²)")

    ax_pop.set_yticks(y, labels)
    ax_den.tick_params(axis="y", labelleft=False)
    return fig


def _draw_labelled_bars(ax: Axes, y: np.ndarray, values: Iterable[float], labels: Sequence[str]) -> None:
    """Horizontal bars in plan blue with their value written after the end."""
    values = np.asarray(list(values), dtype=float)
    bars = ax.barh(y, values, height=0.62, color=PLAN_BLUE)
    ax.bar_label(bars, labels=labels, padding=3, fontsize=8.5, color=INK)
    ax.set_xlim(0, values.max() * 1.28)
    _style_value_axis(ax)


# --------------------------------------------------------------------------
# 2. Housing stock per owner (SAP + SAS)
# --------------------------------------------------------------------------

# Scale choice for the stock chart. ALER (1.006 units) and the Comune di Crema
# (358) dwarf the other 22 owners (2-58 units). A log axis would keep everyone
# visible, but a mayor reads bar length as quantity and a log axis misleads
# exactly that reading. On a plain linear axis the 22 small owners would be
# slivers of a few pixels. So the axis is *broken*: a left panel from 0 that
# shows the small owners at a readable scale, a right panel that carries on
# for the one or two owners past the break, with the usual diagonal break
# marks, and every bar labelled with its exact total so nobody has to read the
# scale across the break.
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


def _owner_value_label(total: int, sas: int) -> str:
    """'1.006 (di cui 9 SAS)' or '58'."""
    text = format_int(total)
    return f"{text} (di cui {format_int(sas)} SAS)" if sas else text


def _stock_table(patrimonio: pd.DataFrame) -> pd.DataFrame:
    """The owners sorted for drawing (smallest first = bottom), totals checked."""
    table = patrimonio[["ente_proprietario", "totale_unita", "alloggi_sap", "alloggi_sas"]].copy()
    mismatch = table["alloggi_sap"] + table["alloggi_sas"] != table["totale_unita"]
    if mismatch.any():
        owners = ", ".join(table.loc[mismatch, "ente_proprietario"])
        raise ValueError(f"SAP + SAS differs from totale_unita for: {owners}")
    return table.sort_values(["totale_unita", "ente_proprietario"], ascending=[True, False]).reset_index(drop=True)


def _draw_stock_bars(ax: Axes, table: pd.DataFrame) -> tuple:
    """Stacked SAP + SAS bars on one axes; returns the two containers."""
    y = np.arange(len(table))
    sap = ax.barh(y, table["alloggi_sap"], height=0.68, color=PLAN_BLUE,
                  label="SAP (servizi abitativi pubblici)")
    sas = ax.barh(y, table["alloggi_sas"], left=table["alloggi_sap"], height=0.68,
                  color=PLAN_ORANGE, label="SAS (servizi abitativi sociali)")
    return sap, sas


def _draw_break_marks(left: Axes, right: Axes) -> None:
    """The two diagonal strokes that say 'the axis is interrupted here'."""
    mark = dict(marker=[(-1, -1.6), (1, 1.6)], markersize=8, linestyle="none",
                color=MUTED_INK, mec=MUTED_INK, mew=0.9, clip_on=False)
    left.plot([1], [0], transform=left.transAxes, **mark)
    right.plot([0], [0], transform=right.transAxes, **mark)


@_in_plan_style
def stock_by_owner(patrimonio: pd.DataFrame) -> Figure:
    """Stacked SAP + SAS units per owner, sorted by total, with a broken axis if needed."""
    table = _stock_table(patrimonio)
    labels = [_owner_value_label(t, s) for t, s in zip(table["totale_unita"], table["alloggi_sas"])]

    fig = _new_figure(_bar_height_in(len(table), per_bar=0.235, extra=1.35))
    fig.suptitle("Patrimonio abitativo per ente proprietario", x=0.02, ha="left")
    n_big = _owners_past_break(table["totale_unita"])
    if n_big:
        first = _draw_broken_stock_axes(fig, table, labels, n_big)
    else:
        first = _draw_single_stock_axes(fig, table, labels)

    first.set_yticks(np.arange(len(table)), table["ente_proprietario"])
    first.set_ylim(-0.6, len(table) - 0.4)
    first.set_xlabel("Unità abitative")
    fig.legend(handles=first.containers[:2], loc="outside lower center", ncols=2)
    return fig


def _draw_single_stock_axes(fig: Figure, table: pd.DataFrame, labels: Sequence[str]) -> Axes:
    """One linear axis from 0 (used when no owner dwarfs the others)."""
    totals = table["totale_unita"].astype(float)
    ax = fig.subplots()
    _draw_stock_bars(ax, table)
    _style_value_axis(ax)
    ax.set_xlim(0, totals.max() * 1.3)
    _label_owner_bars(ax, np.arange(len(table)), totals, labels)
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
        _style_value_axis(panel)
    ax.set_xlim(0, left_end)
    ax_big.set_xlim(right_start, totals.iloc[big].max() * 1.45)
    ax_big.xaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))
    ax_big.tick_params(axis="y", labelleft=False)
    _label_owner_bars(ax, y[small], totals.iloc[small], labels[small])
    _label_owner_bars(ax_big, y[big], totals.iloc[big], labels[big])
    _draw_break_marks(ax, ax_big)
    return ax


def _label_owner_bars(ax: Axes, y: np.ndarray, totals: Iterable[float], labels: Sequence[str]) -> None:
    """Write each owner's total just after its bar."""
    for yy, total, text in zip(y, totals, labels):
        ax.annotate(text, xy=(total, yy), xytext=(3, 0), textcoords="offset points",
                    va="center", ha="left", fontsize=8, color=INK)


# --------------------------------------------------------------------------
# 3. Assignable units per comune and category
# --------------------------------------------------------------------------


def _units_by_comune(units: pd.DataFrame) -> pd.DataFrame:
    """Comuni × categories (fixed order, zeros filled), largest total first."""
    categoria = units["categoria"].replace(CATEGORY_ALIASES)
    unknown = set(categoria) - set(CATEGORY_ORDER)
    if unknown:
        raise ValueError(f"Unknown categories: {sorted(unknown)}")
    comune = units["comune"].fillna("").astype(str).str.strip()
    comune = comune.where(comune != "", UNKNOWN_COMUNE_LABEL)
    table = (
        units.assign(comune=comune, categoria=categoria)
        .pivot_table(index="comune", columns="categoria", values="unita", aggfunc="sum", fill_value=0)
        .reindex(columns=list(CATEGORY_ORDER), fill_value=0)
        .astype(int)
    )
    order = sorted(
        table.index,
        key=lambda c: (c == UNKNOWN_COMUNE_LABEL, -table.loc[c].sum(), c),
    )
    return table.loc[order]


def _segment_text_colour(hex_colour: str) -> str:
    """White on dark fills, ink on light ones (relative luminance)."""
    r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return "white" if 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5 else INK


@_in_plan_style
def assignable_by_comune_and_category(units: pd.DataFrame) -> Figure:
    """Stacked horizontal bars of assignable units per comune, by category."""
    table = _units_by_comune(units)
    drawn = table.iloc[::-1]  # barh draws bottom-up: largest comune on top
    y = np.arange(len(drawn))
    totals = drawn.sum(axis=1)

    fig = _new_figure(_bar_height_in(len(drawn), per_bar=0.3, extra=1.6))
    ax = fig.subplots()
    fig.suptitle("Unità abitative assegnabili per comune e categoria", x=0.02, ha="left")

    left = np.zeros(len(drawn))
    for category in CATEGORY_ORDER:
        counts = drawn[category].to_numpy()
        if counts.sum() == 0:
            continue  # absent category: no bar, no legend entry, colours unchanged
        colour = CATEGORY_COLOURS[category]
        bars = ax.barh(y, counts, left=left, height=0.66, color=colour,
                       label=CATEGORY_LABELS[category], gid=f"categoria-{category}")
        ax.bar_label(bars, labels=[format_int(c) if c else "" for c in counts],
                     label_type="center", fontsize=7.5, color=_segment_text_colour(colour))
        left += counts

    for yy, total in zip(y, totals):
        ax.annotate(format_int(total), xy=(total, yy), xytext=(4, 0), textcoords="offset points",
                    va="center", ha="left", fontsize=8.5, fontweight="bold", color=INK)

    ax.set_yticks(y, drawn.index)
    _italicise_unknown_comune(ax)
    ax.set_ylim(-0.6, len(drawn) - 0.4)
    ax.set_xlim(0, totals.max() * 1.12)
    _style_value_axis(ax)
    ax.set_xlabel("Unità abitative")
    n_drawn = sum(1 for c in CATEGORY_ORDER if drawn[c].sum() > 0)
    fig.legend(loc="outside lower center", ncols=2 if n_drawn <= 4 else 3)
    return fig


def _italicise_unknown_comune(ax: Axes) -> None:
    """Set the 'Comune non indicato' tick label apart (italic, muted)."""
    for label in ax.get_yticklabels():
        if label.get_text() == UNKNOWN_COMUNE_LABEL:
            label.set_fontstyle("italic")
            label.set_color(MUTED_INK)


# --------------------------------------------------------------------------
# 4. Density map
# --------------------------------------------------------------------------


def density_class(density: float, provincial_average: float, regional_average: float) -> int:
    """0 below the provincial average, 2 above the regional one, 1 in between (bounds included)."""
    if density < provincial_average:
        return 0
    if density > regional_average:
        return 2
    return 1


def density_class_labels(provincial_average: float, regional_average: float) -> tuple[str, str, str]:
    """Legend texts of the three classes, thresholds in Italian format."""
    prov = format_number(provincial_average, 2)
    reg = format_number(regional_average, 2)
    return (
        f"inferiore a {prov} ab/km² (media provinciale)",
        f"tra {prov} e {reg} ab/km²",
        f"superiore a {reg} ab/km² (media regionale)",
    )


def _signed_area(ring: np.ndarray) -> float:
    """Shoelace area, positive for counter-clockwise rings."""
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))


def _polygons(geometry: dict) -> list[list[list[list[float]]]]:
    """GeoJSON Polygon or MultiPolygon as a list of polygons (lists of rings)."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    raise ValueError(f"Unsupported geometry type: {geometry['type']}")


def geometry_path(geometry: dict) -> MplPath:
    """One matplotlib Path for a (Multi)Polygon; outer rings CCW, holes CW so holes stay empty."""
    vertices: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for polygon in _polygons(geometry):
        for index, coords in enumerate(polygon):
            ring = np.asarray(coords, dtype=float)
            if len(ring) < 3:
                continue
            clockwise_wanted = index > 0
            if (_signed_area(ring) < 0) != clockwise_wanted:
                ring = ring[::-1]
            ring_codes = np.full(len(ring), MplPath.LINETO, dtype=MplPath.code_type)
            ring_codes[0] = MplPath.MOVETO
            ring_codes[-1] = MplPath.CLOSEPOLY
            vertices.append(ring)
            codes.append(ring_codes)
    return MplPath(np.concatenate(vertices), np.concatenate(codes))


def _label_point(geometry: dict) -> tuple[float, float]:
    """Centroid of the largest outer ring (where a comune's name goes)."""
    rings = [np.asarray(p[0], dtype=float) for p in _polygons(geometry)]
    ring = max(rings, key=lambda r: abs(_signed_area(r)))
    x, y = ring[:, 0], ring[:, 1]
    cross = x * np.roll(y, -1) - np.roll(x, -1) * y
    area6 = 3.0 * cross.sum()
    return float(((x + np.roll(x, -1)) * cross).sum() / area6), float(((y + np.roll(y, -1)) * cross).sum() / area6)


def _features_by_code(boundaries: dict, codes: Iterable[str]) -> dict[str, dict]:
    """Boundary features keyed by ISTAT code; every comune must have exactly one."""
    features = {f["properties"]["codice_istat"]: f for f in boundaries["features"]}
    wanted = set(codes)
    missing = sorted(wanted - set(features))
    extra = sorted(set(features) - wanted)
    if missing or extra:
        raise ValueError(f"Boundaries and comuni differ: missing {missing}, without data {extra}")
    return features


def _draw_scale_bar(ax: Axes, km: float, mid_lat: float) -> None:
    """A plain 'km' bar in the lower-left corner of the map."""
    deg_lon = km / (111.320 * math.cos(math.radians(mid_lat)))
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    start_x = x0 + 0.02 * (x1 - x0)
    bar_y = y0 + 0.03 * (y1 - y0)
    ax.plot([start_x, start_x + deg_lon], [bar_y, bar_y], color=INK, linewidth=1.6,
            solid_capstyle="butt")
    ax.text(start_x + deg_lon / 2, bar_y + 0.012 * (y1 - y0), f"{format_int(km)} km",
            ha="center", va="bottom", fontsize=7.5, color=INK)


def _map_bounds(features: Iterable[dict]) -> tuple[float, float, float, float]:
    """lon_min, lon_max, lat_min, lat_max over all the rings."""
    points = np.concatenate([np.asarray(ring, dtype=float)
                             for f in features for polygon in _polygons(f["geometry"]) for ring in polygon])
    return points[:, 0].min(), points[:, 0].max(), points[:, 1].min(), points[:, 1].max()


MAP_MARGIN = 0.03  # share of the extent left blank around the comuni
MAP_FURNITURE_IN = 1.55  # title, attribution and legend below the map


@_in_plan_style
def density_map(
    comuni: pd.DataFrame,
    boundaries: dict,
    provincial_average: float,
    regional_average: float,
    attribution: str,
    *,
    labelled_comuni: Sequence[str] = (),
) -> Figure:
    """Choropleth of the comuni in three density classes, with legend and attribution."""
    codes = comuni["codice_istat"].astype(str).str.zfill(6).tolist()  # survives a read without dtype=str
    features = _features_by_code(boundaries, codes)
    classes = [density_class(d, provincial_average, regional_average) for d in comuni["densita"]]

    lon0, lon1, lat0, lat1 = _map_bounds(features.values())
    pad_lon, pad_lat = MAP_MARGIN * (lon1 - lon0), MAP_MARGIN * (lat1 - lat0)
    mid_lat = (lat0 + lat1) / 2
    aspect = 1 / math.cos(math.radians(mid_lat))  # a degree of longitude is shorter than one of latitude
    map_ratio = (lat1 - lat0 + 2 * pad_lat) * aspect / (lon1 - lon0 + 2 * pad_lon)
    fig = _new_figure(round((TEXT_WIDTH_IN - 0.2) * map_ratio + MAP_FURNITURE_IN, 2))
    ax = fig.subplots()
    fig.suptitle("Densità di popolazione dei comuni (ab/km²)", x=0.02, ha="left")

    for code, cls in zip(codes, classes):
        ax.add_patch(PathPatch(geometry_path(features[code]["geometry"]), facecolor=DENSITY_CLASS_COLOURS[cls],
                               edgecolor=MAP_BORDER, linewidth=0.4, gid=code))
    ax.set_xlim(lon0 - pad_lon, lon1 + pad_lon)
    ax.set_ylim(lat0 - pad_lat, lat1 + pad_lat)
    ax.set_aspect(aspect)
    ax.set_axis_off()

    names = dict(zip(codes, comuni["comune"]))
    for code in labelled_comuni:
        if code in features:
            _label_comune(ax, features[code]["geometry"], names[code], bold=code == "019035")

    _draw_scale_bar(ax, 5, mid_lat)
    ax.text(1.0, 0.0, attribution, transform=ax.transAxes, ha="right", va="bottom",
            fontsize=7, color=MUTED_INK)
    handles = [Patch(facecolor=c, edgecolor=MAP_BORDER, linewidth=0.4, label=t)
               for c, t in zip(DENSITY_CLASS_COLOURS, density_class_labels(provincial_average, regional_average))]
    fig.legend(handles=handles, loc="outside lower left", ncols=1)
    return fig


def _label_comune(ax: Axes, geometry: dict, name: str, *, bold: bool) -> None:
    """Comune name at its centroid, with a white halo to stay legible on any fill."""
    x, y = _label_point(geometry)
    ax.text(x, y, name, ha="center", va="center", fontsize=8 if bold else 7.5,
            fontweight="bold" if bold else "normal", color=INK,
            path_effects=[patheffects.withStroke(linewidth=2.2, foreground="white")])


# --------------------------------------------------------------------------
# Saving
# --------------------------------------------------------------------------

PNG_METADATA = {"Software": None}  # matplotlib otherwise writes its version
SVG_METADATA = {"Date": None, "Creator": None}  # otherwise: today's date and the version


def _figure_bytes(fig: Figure, **savefig_options) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, **savefig_options)
    return buffer.getvalue()


def save_figure(fig: Figure, png_path: str | os.PathLike, svg_path: str | os.PathLike | None = None,
                dpi: int = 200) -> None:
    """Write fig as PNG (and SVG), byte-identical for identical data, then close it."""
    try:
        with use_plan_style(), matplotlib.rc_context({"svg.hashsalt": SVG_HASH_SALT}):
            write_bytes_atomically(png_path, _figure_bytes(fig, format="png", dpi=dpi, metadata=PNG_METADATA))
            if svg_path is not None:
                write_bytes_atomically(svg_path, _figure_bytes(fig, format="svg", metadata=SVG_METADATA))
    finally:
        _close(fig)


def _close(fig: Figure) -> None:
    """Release the figure (also when pyplot created it)."""
    from matplotlib import pyplot as plt  # only to drop a pyplot-managed figure

    plt.close(fig)
