"""Tables stage: the plan's machine tables (data/processed/<plan>/) from the interim tables, the figures
its text quotes (cifre_chiave.csv) and their description for an open-data portal (datapackage.json).

One job: the key figures are computed from the tables as published (the CSVs' text, read back typed),
the description from the catalogue, the plan's facts and the data register's rows
(data/interim/<plan>/registro.csv, written by the inputs stage). The comparison with the previous plan
(confronto_*.csv) reads that plan's processed tables, the rule's inputs named previous_* (tables/previous.py).
By hand (from the project folder): python scripts/build_tables.py plan=cremasco_2019
"""

from pathlib import Path

import pandas as pd

from pianoabitativo import catalogue
from pianoabitativo.core.errors import DataError
from pianoabitativo.core.files import write_bytes_atomically, write_text_atomically
from pianoabitativo.core.runner import run
from pianoabitativo.core.tableio import csv_text, processed_from_text, write_csv
from pianoabitativo.inputs.interim import read_declared_totals, read_interim, read_register_rows
from pianoabitativo.tables import build as T
from pianoabitativo.tables import keyfigures as K
from pianoabitativo.tables import services as S
from pianoabitativo.tables.comparison import comparison_tables
from pianoabitativo.tables.datapackage import data_package, data_package_json
from pianoabitativo.tables.previous import PreviousSources, previous_plan_problems, read_previous


def processed_tables(
    frame: dict[str, pd.DataFrame], declared: dict, densities: tuple[float, float], params
) -> dict[str, pd.DataFrame]:
    """Every processed table but the key figures, by name, from the interim tables and declared totals."""
    provincial, regional = densities
    units, turnover = frame["unita"], frame["turnover"]
    comuni = T.comuni_table(
        frame["comuni_ambito"],
        frame["popolazione"],
        params.population_column,
        frame["patrimonio"],
        provincial,
        regional,
        frame["popolazione_integrazioni"],
    )
    stock = T.stock_table(frame["patrimonio"])
    with_sat = frame["patrimonio"]["alloggi_sat"].notna().any()  # SAT reconciled when the stock declares it
    reconciled = (
        stock.assign(
            alloggi_sat=frame["patrimonio"].sort_values("ente_proprietario")["alloggi_sat"].astype("int64").to_numpy()
        )
        if with_sat
        else stock
    )
    reconciliation = [
        T.totals_reconciliation(reconciled, declared.get("patrimonio", {}), "a_patrimonio"),
        T.totals_reconciliation(
            frame["assegnazioni"][["alloggi_assegnati", "in_deroga"]],
            declared.get("assegnazioni", {}),
            "k_assegnate_anno_precedente",
        ),
        T.totals_reconciliation(
            frame["assegnabili_dichiarate"][["unita"]],
            declared.get("assegnabili_dichiarate", {}),
            "g_assegnabili_dichiarate",
        ),
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
    frames.update(service_tables(frame, params))
    return frames


def quota_rule(params) -> tuple[str, str | None]:
    """The plan's quota rule (rounding, base), or the one proposed when it states none (catalogue.quota_rule)."""
    rounding, base, _ = catalogue.quota_rule({"quota_rounding": params.quota_rounding, "quota_base": params.quota_base})
    return rounding, base


def service_tables(frame: dict[str, pd.DataFrame], params) -> dict[str, pd.DataFrame]:
    """The tables of the housing services SAP/SAS/SAT and of the per-comune choices (tables/services.py)."""
    units, turnover = frame["unita"], frame["turnover"]
    by_service = S.assignable_by_service(units, turnover)
    return {
        "a_patrimonio_servizi": S.stock_by_service(frame["patrimonio"]),
        "unita_servizi": S.units_with_service(units),
        "e_turnover_servizi": S.turnover_by_service(turnover),
        "g_assegnabili_servizi": by_service,
        "h_i_scelte_per_comune": S.choices_by_comune(frame["scelte_comunali"], by_service, *quota_rule(params)),
        "j_servizi_transitori": S.transitional_contingent(frame["servizi_transitori"]),
    }


def key_figures(
    frame: dict[str, pd.DataFrame],
    declared: dict,
    densities: tuple[float, float],
    table: dict[str, pd.DataFrame],
    params,
) -> pd.DataFrame:
    """cifre_chiave.csv: the figures the plan's text quotes, from the published tables and a few interim ones."""
    provincial, regional = densities
    figures = {}
    figures.update(K.demography_figures(table["comuni"], table["subambiti"], provincial, regional))
    figures.update(K.household_figures(frame["famiglie"], frame["famiglie_componenti"], params.short_name))
    figures.update(
        K.housing_figures(
            stock=table["a_patrimonio"],
            declared_stock=declared.get("patrimonio", {}),
            units_by_category={c.table: table[c.table] for c in catalogue.LISTED_CATEGORIES},
            turnover=table["e_turnover"],
            assignable=table["g_assegnabili"],
            assigned=table["k_assegnate_anno_precedente"],
            notices=table["l_misure"],
            managers=frame["enti_gestori"],
            aler=params.aler,
        )
    )
    figures.update(K.project_figures(frame["progetti"]))
    return K.key_figures_frame(figures)


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
    declared = read_declared_totals(inp.declared_totals)
    densities = T.reference_densities(frame["densita_riferimento"], params.province, params.region)
    published = {}
    for name, table in processed_tables(frame, declared, densities, params).items():
        text = csv_text(table)
        write_bytes_atomically(getattr(out, name), text.encode("utf-8"))
        published[name] = processed_from_text(text, name)  # as the stages after this one will read it
    # the inputs stage's verdict and the comuni's boundaries, published with the tables
    write_bytes_atomically(out.verifiche, Path(inp.checks).read_bytes())
    write_bytes_atomically(out.boundaries, Path(inp.boundaries).read_bytes())
    figures = key_figures(frame, declared, densities, published, params)
    write_csv(figures, out.cifre_chiave)
    for name, table in previous_plan_comparison(smk, published, figures).items():
        write_csv(table, getattr(out, name))
    descriptor = data_package(smk.wildcards.plan, params.open_data, read_register_rows(inp.register))
    write_text_atomically(out.package, data_package_json(descriptor))


run(main, globals(), "tables")
