"""Charts of the plan: DataFrames in, matplotlib Figures out.

One module per chart, named for the figure it returns, plus the shared style
and the saving:

- :mod:`.style`: the plan style context, colours, figure/axis helpers, Italian tick formatters;
- :mod:`.subambiti`: population and density per sub-ambito;
- :mod:`.stock`: housing stock per owner (broken axis);
- :mod:`.assignable`: assignable units per comune and category;
- :mod:`.density_map`: the comuni's density classes on a map;
- :mod:`.save`: :func:`~.save.save_figure`, byte-identical PNG/SVG.

Every chart function takes data already read and returns a Figure built on the
Agg canvas (no pyplot, no global backend switch, no file reading), drawn inside
the one plan style. Categories, density classes and their colours come from
:mod:`pianoabitativo.catalogue`.
"""
