"""Compute the key figures the plan's text quotes (data/processed/<year>/cifre_chiave.csv)."""

from pianoabitativo import keyfigures as K
from pianoabitativo.tables import CATEGORIES, write_csv
from pianoabitativo.workflow import checked_inputs, read_processed, reference_densities, script_main


def main(smk):
    config, tab = smk.config, smk.input
    inputs, _ = checked_inputs(config)
    provincial, regional = reference_densities(inputs, config)
    figures = {}
    figures.update(K.demography_figures(read_processed(tab.comuni), read_processed(tab.subambiti),
                                        provincial, regional))
    figures.update(K.household_figures(inputs.frame("famiglie"), inputs.frame("famiglie_componenti"),
                                       config["ambito"]["short_name"]))
    figures.update(K.housing_figures(
        stock=read_processed(tab.a_patrimonio),
        declared_stock=inputs.tables["patrimonio"].declared_totals,
        units_by_category={name: read_processed(getattr(tab, name)) for name in CATEGORIES.values()},
        turnover=read_processed(tab.e_turnover),
        assignable=read_processed(tab.g_assegnabili),
        assigned=read_processed(tab.k_assegnate_anno_precedente),
        notices=read_processed(tab.l_misure),
        managers=inputs.frame("enti_gestori"),
        aler=config["ambito"]["aler"]))
    figures.update(K.project_figures(inputs.frame("progetti")))
    write_csv(K.key_figures_frame(figures), smk.output.figures)


script_main(main, snakemake)  # noqa: F821
