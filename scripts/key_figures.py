"""Tables stage: the figures the plan's text quotes (data/processed/<plan>/cifre_chiave.csv).

By hand (from the project folder): python scripts/key_figures.py
"""

from pianoabitativo import catalogue
from pianoabitativo.core.runner import run
from pianoabitativo.core.tableio import read_processed, write_csv
from pianoabitativo.inputs.interim import read_declared_totals, read_interim
from pianoabitativo.tables import keyfigures as K
from pianoabitativo.tables.build import reference_densities


def main(smk):
    inp, params = smk.input, smk.params
    densities = read_interim(inp.densita_riferimento, "densita_riferimento")
    provincial, regional = reference_densities(densities, params.province, params.region)
    figures = {}
    figures.update(K.demography_figures(read_processed(inp.comuni), read_processed(inp.subambiti),
                                        provincial, regional))
    figures.update(K.household_figures(read_interim(inp.famiglie, "famiglie"),
                                       read_interim(inp.famiglie_componenti, "famiglie_componenti"),
                                       params.short_name))
    figures.update(K.housing_figures(
        stock=read_processed(inp.a_patrimonio),
        declared_stock=read_declared_totals(inp.declared_totals).get("patrimonio", {}),
        units_by_category={c.table: read_processed(getattr(inp, c.table)) for c in catalogue.LISTED_CATEGORIES},
        turnover=read_processed(inp.e_turnover),
        assignable=read_processed(inp.g_assegnabili),
        assigned=read_processed(inp.k_assegnate_anno_precedente),
        notices=read_processed(inp.l_misure),
        managers=read_interim(inp.enti_gestori, "enti_gestori"),
        aler=params.aler))
    figures.update(K.project_figures(read_interim(inp.progetti, "progetti")))
    write_csv(K.key_figures_frame(figures), smk.output.figures)


run(main, globals(), "key_figures")
