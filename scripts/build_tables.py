"""Compute the plan's machine tables (data/processed/<year>/) from the validated inputs."""

import pandas as pd

from pianoabitativo import tables as T
from pianoabitativo.checks import checks_frame
from pianoabitativo.workflow import checked_inputs, reference_densities, script_main


def main(smk):
    config, out = smk.config, smk.output
    inputs, results = checked_inputs(config)
    provincial, regional = reference_densities(inputs, config)
    stock = inputs.tables["patrimonio"]
    units, turnover = inputs.frame("unita"), inputs.frame("turnover")
    comuni = T.comuni_table(inputs.frame("comuni_ambito"), inputs.frame("popolazione"),
                            config["istat"]["population_column"], stock.frame, provincial, regional)
    reconciliation = [T.totals_reconciliation(T.stock_table(stock.frame), stock.declared_totals, "a_patrimonio"),
                      T.totals_reconciliation(inputs.frame("assegnazioni")[["alloggi_assegnati", "in_deroga"]],
                                              inputs.tables["assegnazioni"].declared_totals,
                                              "k_assegnate_anno_precedente"),
                      T.totals_reconciliation(inputs.frame("assegnabili_dichiarate")[["unita"]],
                                              inputs.tables["assegnabili_dichiarate"].declared_totals,
                                              "g_assegnabili_dichiarate")]
    frames = {
        "comuni": comuni,
        "subambiti": T.subambiti_table(comuni, config["ambito"]["sub_ambiti"]),
        "a_patrimonio": T.stock_table(stock.frame),
        "a_patrimonio_totali": pd.concat(reconciliation, ignore_index=True),
        "e_turnover": T.turnover_table(turnover),
        "g_assegnabili": T.assignable_units(units, turnover),
        "g_assegnabili_per_categoria": T.assignable_by_category(units, turnover),
        "h_i_j_scelte_comunali": T.municipal_choices(inputs.frame("scelte_comunali")),
        "k_assegnate_anno_precedente": T.assigned_last_year(inputs.frame("assegnazioni")),
        "l_misure": T.measures_table(inputs.frame("misure_avvisi")),
        "m_riqualificazione": T.upgrading_funds(inputs.frame("riqualificazione")),
        "verifiche": checks_frame(results),
    }
    for letter, name in T.CATEGORIES.items():
        frames[name] = T.units_in_category(units, letter)
    for name, frame in frames.items():
        T.write_csv(frame, getattr(out, name))


script_main(main, snakemake)  # noqa: F821
