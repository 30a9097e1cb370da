"""Saving a chart: PNG (and SVG) files that are byte-identical for identical data."""

from __future__ import annotations

import io
import os
import sys

import matplotlib
from matplotlib import cbook
from matplotlib.figure import Figure

from pianoabitativo.core.files import write_bytes_atomically

from .style import use_plan_style

SVG_HASH_SALT = "pianoabitativo"  # fixed ids inside the SVG
PNG_METADATA = {"Software": None}  # matplotlib otherwise writes its version
SVG_METADATA = {"Date": None, "Creator": None}  # otherwise: today's date and the version


def _figure_bytes(fig: Figure, **savefig_options) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, **savefig_options)
    return buffer.getvalue()


def save_figure(
    fig: Figure, png_path: str | os.PathLike, svg_path: str | os.PathLike | None = None, dpi: int = 200
) -> None:
    """Write fig as PNG (and SVG), byte-identical for identical data, atomically; then close it."""
    try:
        with use_plan_style(), matplotlib.rc_context({"svg.hashsalt": SVG_HASH_SALT}):
            _fix_layout(fig, dpi)
            write_bytes_atomically(png_path, _figure_bytes(fig, format="png", dpi=dpi, metadata=PNG_METADATA))
            if svg_path is not None:
                write_bytes_atomically(svg_path, _figure_bytes(fig, format="svg", metadata=SVG_METADATA))
    finally:
        _close(fig)


def _fix_layout(fig: Figure, dpi: int) -> None:
    """Lay the figure out once, at the PNG's resolution, and keep that layout for both files.

    Otherwise each savefig lays it out twice (constrained layout before drawing, and again while
    drawing): four layouts per chart, most of the time a chart takes to save."""
    engine = fig.get_layout_engine()
    if engine is None:
        return
    with cbook._setattr_cm(fig, dpi=dpi):  # noqa: SLF001 - how savefig itself sets the resolution
        fig.draw_without_rendering()
    fig.set_layout_engine("none")


def _close(fig: Figure) -> None:
    """Release the figure: the charts' own figures need nothing (no pyplot holds them); one pyplot created
    (where pyplot is in use, as in a notebook) is dropped from pyplot's list."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close(fig)
