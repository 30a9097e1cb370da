# Stage 2: the plan's machine tables and key figures (stable CSVs that reviewers diff).

rule tables:
    """Tidy tables per comune, sub-ambito, owner and unit; reconciliation of declared totals; data checks."""
    input:
        code=paths.code(),
        **paths.raw_inputs(config),
        validated=rules.validate_inputs.output.stamp,
    output:
        **{name: paths.processed(YEAR, name) for name in paths.PROCESSED_TABLES},
    log:
        paths.log(YEAR, "tables"),
    script:
        "../scripts/build_tables.py"


rule key_figures:
    """The figures the text quotes: totals, counts, shares, density classes."""
    input:
        code=paths.code("keyfigures"),
        **paths.raw_inputs(config),
        **rules.tables.output,
    output:
        figures=paths.key_figures(YEAR),
    log:
        paths.log(YEAR, "key_figures"),
    script:
        "../scripts/key_figures.py"
