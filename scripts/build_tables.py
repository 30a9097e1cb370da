"""Tables stage: the plan's machine tables (data/processed/<plan>/) from the interim tables.

By hand (from the project folder): python scripts/build_tables.py
"""

from pathlib import Path

import pandas as pd

from pianoabitativo import catalogue
from pianoabitativo.core.files import write_bytes_atomically
from pianoabitativo.core.runner import run
from pianoabitativo.core.tableio import write_csv
from pianoabitativo.inputs.interim import read_declared_totals, read_interim
from pianoabitativo.tables import build as T


def main(smk):
    inp, out, params = smk.input, smk.output, smk.params
    frame = {key: read_interim(getattr(inp, key), key).drop(columns="riga") for key in params.inputs}
    declared = read_declared_totals(inp.declared_totals)
    provincial, regional = T.reference_densities(frame["densita_riferimento"], params.province, params.region)
    units, turnover = frame["unita"], frame["turnover"]
    comuni = T.comuni_table(frame["comuni_ambito"], frame["popolazione"], params.population_column,
                            frame["patrimonio"], provincial, regional, frame["popolazione_integrazioni"])
    stock = T.stock_table(frame["patrimonio"])
    reconciliation = [
        T.totals_reconciliation(stock, declared.get("patrimonio", {}), "a_patrimonio"),
        T.totals_reconciliation(frame["assegnazioni"][["alloggi_assegnati", "in_deroga"]],
                                declared.get("assegnazioni", {}), "k_assegnate_anno_precedente"),
        T.totals_reconciliation(frame["assegnabili_dichiarate"][["unita"]],
                                declared.get("assegnabili_dichiarate", {}), "g_assegnabili_dichiarate"),
    ]
    frames = {
        "comuni": comuni,
        "subambiti": T.subambiti_table(comuni, params.sub_ambiti),
        "a_patrimonio": stock,
        "a_patrimonio_totali": pd.concat(reconciliation, ignore_index=True),
        "e_turnover": T.turnover_table(turnover),
        "g_assegnabili": T.assignable_units(units, turnover),
        "g_assegnabili_per_categoria": T.assignable_by_category(units, turnover),
        "h_i_j_scelte_comunali": T.municipal_choices(frame["scelte_comunali"]),
        "k_assegnate_anno_precedente": T.assigned_last_year(frame["assegnazioni"]),
        "l_misure": T.measures_table(frame["misure_avvisi"]),
        "m_riqualificazione": T.upgrading_funds(frame["riqualificazione"]),
    }
    for category in catalogue.LISTED_CATEGORIES:
        frames[category.table] = T.units_in_category(units, category.unit_code)
    for name, table in frames.items():
        write_csv(table, getattr(out, name))
    # the inputs stage's verdict and the comuni's boundaries, published with the tables
    write_bytes_atomically(out.verifiche, Path(inp.checks).read_bytes())
    write_bytes_atomically(out.boundaries, Path(inp.boundaries).read_bytes())


run(main, globals(), "tables")
