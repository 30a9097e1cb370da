"""What the warm worker also imports when a run draws the charts of several plans (core/worker.py).

matplotlib with its font list, and the charts' modules: about half a second, which only the charts
jobs use. With one plan there is one charts job at most, which imports them itself: preloading them
would only move that time before the first job, and spend it for nothing in the runs that draw no
chart (a changed text, a changed fact). Importing is all this module does.
"""

import matplotlib

matplotlib.use("Agg")  # no display: the charts draw on Agg canvases anyway (charts/__init__.py)

import matplotlib.font_manager  # noqa: E402

import pianoabitativo.charts.assignable  # noqa: E402, F401
import pianoabitativo.charts.comparison  # noqa: E402, F401
import pianoabitativo.charts.density_map  # noqa: E402, F401
import pianoabitativo.charts.save  # noqa: E402, F401
import pianoabitativo.charts.stock  # noqa: E402, F401
import pianoabitativo.charts.subambiti  # noqa: E402, F401

matplotlib.font_manager.fontManager.findfont("DejaVu Sans")  # the font list, read once for every chart
