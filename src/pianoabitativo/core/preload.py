"""What the warm worker of a run (core/worker.py) imports once, before it forks any job.

Everything a job's script imports that costs time to load: pandas, matplotlib with its font list,
Snakemake's job object (to unpickle it), the package's stages. Importing is all this module does;
nothing here reads a plan's files, so no job can see another's data.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.font_manager  # noqa: E402
import matplotlib.pyplot  # noqa: E402, F401 - charts/save.py closes figures through pyplot
import pandas  # noqa: E402, F401
import snakemake.script  # noqa: E402, F401 - each job's `snakemake` object is unpickled from it

import pianoabitativo.archive.environment  # noqa: E402, F401
import pianoabitativo.archive.members  # noqa: E402, F401
import pianoabitativo.charts.assignable  # noqa: E402, F401
import pianoabitativo.charts.density_map  # noqa: E402, F401
import pianoabitativo.charts.save  # noqa: E402, F401
import pianoabitativo.charts.stock  # noqa: E402, F401
import pianoabitativo.charts.subambiti  # noqa: E402, F401
import pianoabitativo.core.runner  # noqa: E402, F401
import pianoabitativo.fragments.checks  # noqa: E402, F401
import pianoabitativo.fragments.context  # noqa: E402, F401
import pianoabitativo.fragments.demography  # noqa: E402, F401
import pianoabitativo.fragments.figures  # noqa: E402, F401
import pianoabitativo.fragments.housing  # noqa: E402, F401
import pianoabitativo.fragments.metadata  # noqa: E402, F401
import pianoabitativo.inputs.stage  # noqa: E402, F401
import pianoabitativo.render.engine  # noqa: E402, F401
import pianoabitativo.render.style_files  # noqa: E402, F401
import pianoabitativo.tables.build  # noqa: E402, F401
import pianoabitativo.tables.datapackage  # noqa: E402, F401
import pianoabitativo.tables.keyfigures  # noqa: E402, F401

matplotlib.font_manager.fontManager.findfont("DejaVu Sans")  # the font list, read once for every chart
