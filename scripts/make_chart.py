"""Draw one chart of the plan (the `chart` wildcard names it) from the processed tables."""

import json

from pianoabitativo import charts
from pianoabitativo.workflow import read_processed, script_main


def figure_for(name: str, smk):
    tab = smk.input
    if name == "popolazione_densita_subambiti":
        return charts.population_density_by_subambito(read_processed(tab.subambiti))
    if name == "patrimonio_enti":
        return charts.stock_by_owner(read_processed(tab.patrimonio))
    if name == "assegnabili_comuni":
        frame = read_processed(tab.assegnabili)
        return charts.assignable_by_comune_and_category(frame.groupby(["comune", "categoria"], as_index=False)["unita"].sum())
    if name == "mappa_densita":
        figures = read_processed(tab.figures).set_index("chiave")["valore"]
        with open(tab.boundaries, encoding="utf-8") as f:
            boundaries = json.load(f)
        comuni = read_processed(tab.comuni)
        return charts.density_map(comuni, boundaries, float(figures["densita_provincia"]),
                                  float(figures["densita_regione"]), smk.config["boundaries"]["attribution"],
                                  labelled_comuni=labelled_comuni(comuni, smk.config))
    raise ValueError(f"unknown chart {name}")


def labelled_comuni(comuni, config) -> list[str]:
    """ISTAT codes of the capofila comune and of the comuni that give their name to a sub-ambito."""
    names = set(config["ambito"]["sub_ambiti"]) | {config["ambito"]["capofila"].removeprefix("Comune di ")}
    return list(comuni.loc[comuni["comune"].isin(names), "codice_istat"])


def main(smk):
    charts.save_figure(figure_for(smk.wildcards.chart, smk), smk.output.png, smk.output.svg)


script_main(main, snakemake)  # noqa: F821
