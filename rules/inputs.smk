# Stage 1, inputs: the only reader of data/raw. Register, schemas, privacy and cross-checks, once;
# then typed, normalised interim tables for the stages after it.


rule validate_inputs:
    input:
        unpack(lambda wc: paths.raw_inputs(PLANS[wc.plan], wc.plan)),
        code=paths.code("core", "catalogue", "inputs", "schemas"),
        facts=paths.plan_facts("{plan}"),
    output:
        **{key: paths.interim("{plan}", key) for key in catalogue.INPUTS},
        declared_totals=paths.interim_file("{plan}", paths.INTERIM_DECLARED_TOTALS),
        boundaries=paths.interim_file("{plan}", paths.INTERIM_BOUNDARIES),
        checks=paths.interim_file("{plan}", "verifiche.csv"),
    log:
        paths.log("{plan}", "validate_inputs"),
    benchmark:
        paths.benchmark("{plan}", "validate_inputs")
    params:
        facts=lambda wc: PLANS[wc.plan],
        raw_dir=lambda wc: paths.raw_dir(wc.plan).as_posix(),
    message:
        "Controllo dei dati di input del piano {wildcards.plan}"
    script:
        "../scripts/validate_inputs.py"
