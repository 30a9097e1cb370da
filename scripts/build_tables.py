"""Tables stage: the plan's machine tables (data/processed/<plan>/) from the interim tables, the figures
its text quotes (cifre_chiave.csv) and their description for an open-data portal (datapackage.json).

One job: each processed table is built by the call its catalogue entry names (catalogue.ProcessedTable.build,
resolved by core/calls.py); the key figures are computed from the tables as published (the CSVs' text, read back typed),
the description from the catalogue, the plan's facts and the data register's rows
(data/interim/<plan>/registro.csv, written by the inputs stage). The comparison with the previous plan
(confronto_*.csv) reads that plan's processed tables, the rule's inputs named previous_* (tables/previous.py).
By hand (from the project folder): python scripts/build_tables.py plan=cremasco_2019
"""

from pathlib import Path

import pandas as pd

from pianoabitativo import catalogue
from pianoabitativo.core.calls import Resolver
from pianoabitativo.core.errors import DataError
from pianoabitativo.core.files import write_bytes_atomically, write_text_atomically
from pianoabitativo.core.runner import run
from pianoabitativo.core.tableio import csv_text, processed_from_text, write_csv
from pianoabitativo.inputs.interim import read_declared_totals, read_interim, read_register_rows
from pianoabitativo.tables import keyfigures
from pianoabitativo.tables.comparison import comparison_tables
from pianoabitativo.tables.datapackage import data_package, data_package_json
from pianoabitativo.tables.previous import PreviousSources, previous_plan_problems, read_previous


def resolver(frame: dict[str, pd.DataFrame], declared: dict, params) -> Resolver:
    """The tables stage's names (catalogue.Call): the interim inputs, the rule's params, the declared totals,
    and each processed table built by its catalogue entry, on first use."""
    calls = {f"table.{t.name}": t.build for t in catalogue.PROCESSED_TABLES if t.build is not None}
    sources = {"input": frame.__getitem__, "param": lambda name: getattr(params, name)}
    return Resolver(calls | catalogue.TABLE_VALUES, sources, {"declared_totals": declared})


def key_figures(values: Resolver, table: dict[str, pd.DataFrame], params) -> pd.DataFrame:
    """cifre_chiave.csv: the figures the plan's text quotes, from the published tables and a few interim ones."""
    provincial, regional = values["provincial_density"], values["regional_density"]
    figures = {}
    figures.update(keyfigures.demography_figures(table["comuni"], table["subambiti"], provincial, regional))
    figures.update(
        keyfigures.household_figures(values["input.famiglie"], values["input.famiglie_componenti"], params.short_name)
    )
    figures.update(
        keyfigures.housing_figures(
            stock=table["a_patrimonio"],
            declared_stock=values["declared_totals"].get("patrimonio", {}),
            units_by_category={c.table: table[c.table] for c in catalogue.LISTED_CATEGORIES},
            turnover=table["e_turnover"],
            assignable=table["g_assegnabili"],
            assigned=table["k_assegnate_anno_precedente"],
            notices=table["l_misure"],
            managers=values["input.enti_gestori"],
            aler=params.aler,
        )
    )
    figures.update(keyfigures.project_figures(values["input.progetti"]))
    return keyfigures.key_figures_frame(figures)


def previous_plan_comparison(smk, published: dict, figures: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The confronto_* tables: this plan against the previous one (params.previous says where its tables
    were found; they are the rule's inputs named previous_*), refused if of another ambito or year."""
    facts = smk.params.open_data
    sources = PreviousSources(
        smk.params.previous["plan"], smk.params.previous["kind"], looked_for=tuple(smk.params.previous["looked_for"])
    )
    files = {name: str(getattr(smk.input, name)) for name in smk.input.keys() if name.startswith("previous_")}
    previous = read_previous(sources, files)
    if previous is not None:
        problems = previous_plan_problems(smk.wildcards.plan, facts, previous.plan, previous.year, previous.ambito)
        if problems:
            raise DataError(problems)
    return comparison_tables(sources, previous, published, figures, int(facts["year"]))


def main(smk):
    inp, out, params = smk.input, smk.output, smk.params
    frame = {key: read_interim(getattr(inp, key), key).drop(columns="riga") for key in params.inputs}
    values = resolver(frame, read_declared_totals(inp.declared_totals), params)
    published = {}
    for table in catalogue.PROCESSED_TABLES:  # each by its catalogue entry's call
        if table.build is not None:
            text = csv_text(values[f"table.{table.name}"])
            write_bytes_atomically(getattr(out, table.name), text.encode("utf-8"))
            published[table.name] = processed_from_text(text, table.name)  # as the stages after this one read it
    # the inputs stage's verdict and the comuni's boundaries, published with the tables
    write_bytes_atomically(out.verifiche, Path(inp.checks).read_bytes())
    write_bytes_atomically(out.boundaries, Path(inp.boundaries).read_bytes())
    figures = key_figures(values, published, params)
    write_csv(figures, out.cifre_chiave)
    for name, table in previous_plan_comparison(smk, published, figures).items():
        write_csv(table, getattr(out, name))
    descriptor = data_package(smk.wildcards.plan, params.open_data, read_register_rows(inp.register))
    write_text_atomically(out.package, data_package_json(descriptor))


run(main, globals(), "tables")
