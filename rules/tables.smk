# Stage 2, tables: the plan's machine tables and key figures (stable CSVs that reviewers diff),
# from the interim tables only.


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
            t.name: kept(paths.processed("{plan}", t.name))
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
        figures=kept(paths.key_figures("{plan}")),
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
