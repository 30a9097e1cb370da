# Stage 2, tables: the plan's machine tables, key figures and datapackage.json (stable files that reviewers
# diff), from the interim tables only, in one job; and the comparison with the previous plan (confronto_*), from
# the previous plan's processed tables (tables/previous.py).

import functools

from pianoabitativo.tables.previous import locate_previous


def published_table(table):
    """A processed table: kept, and shown in the report (the checks in a category of their own)."""
    checks = table.name == catalogue.CHECKS
    caption = {catalogue.CHECKS: "verifiche", catalogue.KEY_FIGURES: "cifre_chiave"}
    return shown(
        paths.processed("{plan}", table.name),
        caption.get(table.name, "tabella"),
        "Verifiche sui dati" if checks else "Tabelle elaborate",
        tabella=table.label,
    )


@functools.lru_cache(maxsize=None)
def previous_sources(plan):
    """Where the previous plan's tables are (its folder, built in this run or not, or its archive)."""
    return locate_previous(PLANS[plan], plan, frozenset(PLANS))


try:  # a plan that names itself as its previous one: refused before any job (it would be a cycle)
    for _plan in PLANS:
        previous_sources(_plan)
except DataError as err:
    sys.exit(err.report())


rule tables:
    input:
        unpack(lambda wc: previous_sources(wc.plan).files),
        **plain_named(rules.validate_inputs.output),
    output:
        **{t.name: published_table(t) for t in catalogue.PROCESSED_TABLES},
        boundaries=kept(paths.processed_boundaries("{plan}")),
        package=shown(
            paths.data_package("{plan}"),
            "datapackage",
            "Tabelle elaborate",
            tabella="Descrizione dei dati aperti (datapackage.json)",
        ),
        benchmark=finished("tables"),
    log:
        paths.log("{plan}", "tables"),
    params:
        code=paths.code_version(
            "core",
            "catalogue",
            "inputs/interim.py",
            "schemas",
            "tables",
            "archive/members.py",
            "scripts/build_tables.py",
        ),
        inputs=list(catalogue.INPUTS),
        province=facts("ambito", "province"),
        region=facts("ambito", "region"),
        population_column=facts("istat", "population_column"),
        sub_ambiti=facts("ambito", "sub_ambiti"),
        short_name=facts("ambito", "short_name"),
        aler=facts("ambito", "aler"),
        quota_rounding=facts("quota_rounding"),  # a comune's quota in percent -> units
        quota_base=facts("quota_base"),
        # the previous plan: whether and where its tables were found (its files are inputs: previous_*)
        previous=lambda wc: previous_sources(wc.plan).param(),
        # the facts datapackage.json quotes
        open_data=lambda wc: {
            "year": PLANS[wc.plan]["year"],
            "ambito": {k: PLANS[wc.plan]["ambito"][k] for k in ("name", "capofila")},
            "dates": {"approval": PLANS[wc.plan]["dates"]["approval"]},
            "open_data_licence": PLANS[wc.plan].get("open_data_licence"),
        },
    message:
        "Tabelle del piano {wildcards.plan} (data/processed/{wildcards.plan})"
    run:
        worker.run_script(
            "build_tables",
            input,
            output,
            params,
            wildcards,
            threads,
            resources,
            log,
            rule,
        )
