# Stage 2, tables: the plan's machine tables, key figures and datapackage.json (stable files that reviewers
# diff), from the interim tables only, in one job.


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


rule tables:
    input:
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
    log:
        paths.log("{plan}", "tables"),
    params:
        code=paths.code_version(
            "core",
            "catalogue",
            "inputs/interim.py",
            "schemas",
            "tables",
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
