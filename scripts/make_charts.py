"""Charts stage: every chart of the plan (catalogue.CHARTS), each drawn by the call its entry names
(resolved by core/calls.py) from the processed tables, the rule's params and the comuni's boundaries.

By hand (from the project folder): python scripts/make_charts.py plan=cremasco_2019
"""

from pianoabitativo import catalogue
from pianoabitativo.core.calls import Resolver
from pianoabitativo.core.runner import run
from pianoabitativo.core.tableio import read_processed


def main(smk):
    from pianoabitativo.charts.save import save_figure

    inp, out, params = smk.input, smk.output, smk.params
    sources = {
        "table": lambda name: read_processed(getattr(inp, name)),
        "path": lambda name: str(getattr(inp, name)),
        "param": lambda name: getattr(params, name),
    }
    values = Resolver(catalogue.CHART_VALUES, sources)
    for chart in catalogue.CHARTS:
        save_figure(values.invoke(chart.build), getattr(out, f"{chart.name}_png"), getattr(out, f"{chart.name}_svg"))


run(main, globals(), "charts")
