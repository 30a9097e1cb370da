# Stage 2, tables: the plan's machine tables and key figures (stable CSVs that reviewers diff),
# from the interim tables only.

INTERIM = {key: paths.interim(PLAN, key) for key in config["inputs"]}


rule tables:
    input:
        **INTERIM,
        code=paths.code(
            "core", "catalogue", "inputs/interim.py", "schemas", "tables/build.py"
        ),
        declared_totals=rules.validate_inputs.output.declared_totals,
        boundaries=rules.validate_inputs.output.boundaries,
        checks=rules.validate_inputs.output.checks,
    output:
        **{
            t.name: paths.processed(PLAN, t.name)
            for t in catalogue.PROCESSED_TABLES
            if t.name != catalogue.KEY_FIGURES
        },
        boundaries=paths.processed_boundaries(PLAN),
    log:
        paths.log(PLAN, "tables"),
    benchmark:
        paths.benchmark(PLAN, "tables")
    params:
        inputs=list(config["inputs"]),
        province=config["ambito"]["province"],
        region=config["ambito"]["region"],
        population_column=config["istat"]["population_column"],
        sub_ambiti=config["ambito"]["sub_ambiti"],
    message:
        "Tabelle del piano {PLAN} (data/processed/{PLAN})"
    script:
        "../scripts/build_tables.py"


rule key_figures:
    input:
        **rules.tables.output,
        **{
            key: INTERIM[key]
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
        declared_totals=rules.validate_inputs.output.declared_totals,
    output:
        figures=paths.key_figures(PLAN),
    log:
        paths.log(PLAN, "key_figures"),
    benchmark:
        paths.benchmark(PLAN, "key_figures")
    params:
        province=config["ambito"]["province"],
        region=config["ambito"]["region"],
        short_name=config["ambito"]["short_name"],
        aler=config["ambito"]["aler"],
    message:
        "Cifre chiave del piano {PLAN}"
    script:
        "../scripts/key_figures.py"
