"""Charts stage: every chart of the plan (params.charts, from the catalogue) from the processed tables.

By hand (from the project folder): python scripts/make_charts.py plan=cremasco_2019
"""

import json
from pathlib import Path

from pianoabitativo.core.runner import run
from pianoabitativo.core.tableio import read_processed


def figure_for(name: str, smk):
    inp = smk.input
    if name == "popolazione_densita_subambiti":
        from pianoabitativo.charts.subambiti import population_density_by_subambito

        return population_density_by_subambito(read_processed(inp.subambiti))
    if name == "patrimonio_enti":
        from pianoabitativo.charts.stock import stock_by_owner
        from pianoabitativo.core.services import sat_stock

        return stock_by_owner(read_processed(inp.a_patrimonio), sat_stock(read_processed(inp.a_patrimonio_servizi)))
    if name == "assegnabili_comuni":
        from pianoabitativo.charts.assignable import assignable_by_comune_and_category

        return assignable_by_comune_and_category(read_processed(inp.g_assegnabili_per_categoria))
    if name == "mappa_densita":
        from pianoabitativo.charts.density_map import density_map

        figures = read_processed(inp.cifre_chiave).set_index("chiave")["valore"]
        comuni = read_processed(inp.comuni)
        labelled = comuni.loc[comuni["comune"].isin(smk.params.map["labelled_comuni"]), "codice_istat"]
        capofila = comuni.loc[comuni["comune"] == smk.params.map["capofila"].removeprefix("Comune di "), "codice_istat"]
        return density_map(
            comuni,
            json.loads(Path(inp.boundaries).read_text(encoding="utf-8")),
            float(figures["densita_provincia"]),
            float(figures["densita_regione"]),
            smk.params.map["attribution"],
            labelled_comuni=list(labelled),
            bold_comuni=list(capofila),
        )
    if name == "confronto_previsti_assegnati":
        from pianoabitativo.charts.comparison import foreseen_and_assigned

        return foreseen_and_assigned(read_processed(inp.confronto_enti), read_processed(inp.confronto_cifre_chiave))
    raise ValueError(f"grafico sconosciuto: {name}")


def main(smk):
    from pianoabitativo.charts.save import save_figure

    for name in smk.params.charts:
        save_figure(figure_for(name, smk), getattr(smk.output, f"{name}_png"), getattr(smk.output, f"{name}_svg"))


run(main, globals(), "charts")
