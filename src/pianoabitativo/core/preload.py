"""What the warm worker of a run (core/worker.py) imports once, before it forks any job.

Everything every job's script imports that costs time to load: pandas (each stage's modules read or
write tables with it), Snakemake's job object (to unpickle it), the package's stages. The charts' matplotlib is in
core/preload_charts.py, imported only where a run draws the charts of several plans. Importing is all
this module does; nothing here reads a plan's files, so no job can see another's data.
"""

import pandas  # noqa: F401
import snakemake.script  # noqa: F401 - each job's `snakemake` object is unpickled from it

import pianoabitativo.archive.environment  # noqa: F401
import pianoabitativo.archive.members  # noqa: F401
import pianoabitativo.core.runner  # noqa: F401
import pianoabitativo.fragments.checks  # noqa: F401
import pianoabitativo.fragments.context  # noqa: F401
import pianoabitativo.fragments.demography  # noqa: F401
import pianoabitativo.fragments.figures  # noqa: F401
import pianoabitativo.fragments.housing  # noqa: F401
import pianoabitativo.fragments.metadata  # noqa: F401
import pianoabitativo.inputs.stage  # noqa: F401
import pianoabitativo.render.engine  # noqa: F401
import pianoabitativo.render.style_files  # noqa: F401
import pianoabitativo.tables.build  # noqa: F401
import pianoabitativo.tables.datapackage  # noqa: F401
import pianoabitativo.tables.keyfigures  # noqa: F401
