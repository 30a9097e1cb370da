"""Chart: the comuni on a map, shaded by density class (the catalogue's classes and colours).

Boundaries come as an already-parsed GeoJSON FeatureCollection of (Multi)Polygons
in lon/lat, one feature per comune keyed by ``properties.codice_istat``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath

from pianoabitativo import look
from pianoabitativo.catalogue import DENSITY_CLASS_COLOURS, DENSITY_CLASSES, density_class
from pianoabitativo.core.formatting import format_int, format_number

from .style import INK, MUTED_INK, TEXT_WIDTH_IN, in_plan_style, new_figure

CLASS_COLOURS: dict[str, str] = dict(zip(DENSITY_CLASSES, DENSITY_CLASS_COLOURS))  # class code -> fill
MAP_BORDER = look.colour("grey")
MAP_MARGIN = 0.03  # share of the extent left blank around the comuni
MAP_FURNITURE_IN = 1.55  # title, attribution and legend below the map
ALL_NAMES_UP_TO = 12  # an ambito of at most this many comuni has every comune named on the map


def density_class_labels(provincial_average: float, regional_average: float) -> tuple[str, str, str]:
    """Legend texts of the three classes (lightest first), thresholds in Italian format."""
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
    ax.plot([start_x, start_x + deg_lon], [bar_y, bar_y], color=INK, linewidth=1.6, solid_capstyle="butt")
    ax.text(
        start_x + deg_lon / 2,
        bar_y + 0.012 * (y1 - y0),
        f"{format_int(km)} km",
        ha="center",
        va="bottom",
        fontsize=7.5,
        color=INK,
    )


def _map_bounds(features: Iterable[dict]) -> tuple[float, float, float, float]:
    """lon_min, lon_max, lat_min, lat_max over all the rings."""
    points = np.concatenate(
        [np.asarray(ring, dtype=float) for f in features for polygon in _polygons(f["geometry"]) for ring in polygon]
    )
    return points[:, 0].min(), points[:, 0].max(), points[:, 1].min(), points[:, 1].max()


@in_plan_style
def density_map(
    comuni: pd.DataFrame,
    boundaries: dict,
    provincial_average: float,
    regional_average: float,
    attribution: str,
    *,
    labelled_comuni: Sequence[str] = (),
    bold_comuni: Sequence[str] = (),
) -> Figure:
    """Choropleth of the comuni in three density classes, with legend and attribution.

    comuni: columns codice_istat, comune, densita; labelled_comuni: ISTAT codes whose name is written (every
    comune when there are at most ALL_NAMES_UP_TO); bold_comuni: codes named in bold (the capofila).
    """
    codes = comuni["codice_istat"].astype(str).str.zfill(6).tolist()  # survives a read without dtype=str
    features = _features_by_code(boundaries, codes)
    classes = [density_class(d, provincial_average, regional_average) for d in comuni["densita"]]

    lon0, lon1, lat0, lat1 = _map_bounds(features.values())
    pad_lon, pad_lat = MAP_MARGIN * (lon1 - lon0), MAP_MARGIN * (lat1 - lat0)
    mid_lat = (lat0 + lat1) / 2
    aspect = 1 / math.cos(math.radians(mid_lat))  # a degree of longitude is shorter than one of latitude
    map_ratio = (lat1 - lat0 + 2 * pad_lat) * aspect / (lon1 - lon0 + 2 * pad_lon)
    fig = new_figure(round((TEXT_WIDTH_IN - 0.2) * map_ratio + MAP_FURNITURE_IN, 2))
    ax = fig.subplots()
    fig.suptitle("Densità di popolazione dei comuni (ab/km²)", x=0.02, ha="left")

    for code, cls in zip(codes, classes):
        ax.add_patch(
            PathPatch(
                geometry_path(features[code]["geometry"]),
                facecolor=CLASS_COLOURS[cls],
                edgecolor=MAP_BORDER,
                linewidth=0.4,
                gid=code,
            )
        )
    ax.set_xlim(lon0 - pad_lon, lon1 + pad_lon)
    ax.set_ylim(lat0 - pad_lat, lat1 + pad_lat)
    ax.set_aspect(aspect)
    ax.set_axis_off()

    names = dict(zip(codes, comuni["comune"]))
    named = codes if len(codes) <= ALL_NAMES_UP_TO else [*labelled_comuni, *bold_comuni]
    for code in dict.fromkeys(named):
        if code in features:
            _label_comune(ax, features[code]["geometry"], names[code], bold=code in bold_comuni)

    _draw_scale_bar(ax, 5, mid_lat)
    ax.text(1.0, 0.0, attribution, transform=ax.transAxes, ha="right", va="bottom", fontsize=7, color=MUTED_INK)
    handles = [
        Patch(facecolor=c, edgecolor=MAP_BORDER, linewidth=0.4, label=t)
        for c, t in zip(DENSITY_CLASS_COLOURS, density_class_labels(provincial_average, regional_average))
    ]
    fig.legend(handles=handles, loc="outside lower left", ncols=1)
    return fig


def _label_comune(ax: Axes, geometry: dict, name: str, *, bold: bool) -> None:
    """Comune name at its centroid, with a white halo to stay legible on any fill."""
    x, y = _label_point(geometry)
    ax.text(
        x,
        y,
        name,
        ha="center",
        va="center",
        fontsize=8 if bold else 7.5,
        fontweight="bold" if bold else "normal",
        color=INK,
        path_effects=[patheffects.withStroke(linewidth=2.2, foreground="white")],
    )


def read_boundaries(path: str) -> dict:
    """The comuni's boundaries as published with the processed tables (GeoJSON)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def plan_density_map(comuni: pd.DataFrame, boundaries: dict, key_figures: pd.DataFrame, map_facts: dict) -> Figure:
    """The plan's density map: the averages from its key figures; named on the map the comuni of
    map_facts["labelled_comuni"], in bold its capofila (map_facts: the charts rule's param `map`)."""
    figures = key_figures.set_index("chiave")["valore"]
    labelled = comuni.loc[comuni["comune"].isin(map_facts["labelled_comuni"]), "codice_istat"]
    capofila = comuni.loc[comuni["comune"] == map_facts["capofila"].removeprefix("Comune di "), "codice_istat"]
    return density_map(
        comuni,
        boundaries,
        float(figures["densita_provincia"]),
        float(figures["densita_regione"]),
        map_facts["attribution"],
        labelled_comuni=list(labelled),
        bold_comuni=list(capofila),
    )
