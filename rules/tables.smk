# Stage 2, tables: the plan's machine tables and key figures (stable CSVs that reviewers diff),
# from the interim tables only.


def published_table(table):
    """A processed table: kept, and shown in the report (the checks in a category of their own)."""
    checks = table.name == catalogue.CHECKS
    return shown(
        paths.processed("{plan}", table.name),
        "verifiche" if checks else "tabella",
        "Verifiche sui dati" if checks else "Tabelle elaborate",
        tabella=table.label,
    )


rule tables:
    input:
        **{key: paths.interim("{plan}", key) for key in catalogue.INPUTS},
        code=paths.code(
            "core", "catalogue", "inputs/interim.py", "schemas", "tables/build.py"
        ),
        declared_totals=str(rules.validate_inputs.output.declared_totals),
        boundaries=str(rules.validate_inputs.output.boundaries),
        checks=str(rules.validate_inputs.output.checks),
    output:
        **{
            t.name: published_table(t)
            for t in catalogue.PROCESSED_TABLES
            if t.name != catalogue.KEY_FIGURES
        },
        boundaries=kept(paths.processed_boundaries("{plan}")),
    log:
        paths.log("{plan}", "tables"),
    benchmark:
        paths.benchmark("{plan}", "tables")
    params:
        inputs=list(catalogue.INPUTS),
        province=facts("ambito", "province"),
        region=facts("ambito", "region"),
        population_column=facts("istat", "population_column"),
        sub_ambiti=facts("ambito", "sub_ambiti"),
    message:
        "Tabelle del piano {wildcards.plan} (data/processed/{wildcards.plan})"
    script:
        "../scripts/build_tables.py"


rule key_figures:
    input:
        **plain_named(rules.tables.output),
        **{
            key: paths.interim("{plan}", key)
            for key in (
                "densita_riferimento",
                "famiglie",
                "famiglie_componenti",
                "enti_gestori",
                "progetti",
            )
        },
        code=paths.code(
            "core", "catalogue", "inputs/interim.py", "schemas", "tables/keyfigures.py"
        ),
        declared_totals=str(rules.validate_inputs.output.declared_totals),
    output:
        figures=shown(
            paths.key_figures("{plan}"),
            "cifre_chiave",
            "Tabelle elaborate",
            tabella=catalogue.processed_table(catalogue.KEY_FIGURES).label,
        ),
    log:
        paths.log("{plan}", "key_figures"),
    benchmark:
        paths.benchmark("{plan}", "key_figures")
    params:
        province=facts("ambito", "province"),
        region=facts("ambito", "region"),
        short_name=facts("ambito", "short_name"),
        aler=facts("ambito", "aler"),
    message:
        "Cifre chiave del piano {wildcards.plan}"
    script:
        "../scripts/key_figures.py"


rule datapackage:
    input:
        **{
            t.name: paths.processed("{plan}", t.name)
            for t in catalogue.PROCESSED_TABLES
        },
        register=str(rules.validate_inputs.output.register),
        code=paths.code("catalogue", "inputs/interim.py", "tables/datapackage.py"),
    output:
        package=shown(
            data_package("{plan}"),
            "datapackage",
            "Tabelle elaborate",
            tabella="Descrizione dei dati aperti (datapackage.json)",
        ),
    log:
        paths.log("{plan}", "datapackage"),
    benchmark:
        paths.benchmark("{plan}", "datapackage")
    params:
        # the facts the description quotes: a change to another fact does not rerun it
        facts=lambda wc: {
            "year": PLANS[wc.plan]["year"],
            "ambito": {k: PLANS[wc.plan]["ambito"][k] for k in ("name", "capofila")},
            "dates": {"approval": PLANS[wc.plan]["dates"]["approval"]},
            "open_data_licence": PLANS[wc.plan].get("open_data_licence"),
        },
    message:
        "Descrizione dei dati aperti del piano {wildcards.plan} (datapackage.json)"
    script:
        "../scripts/data_package.py"
