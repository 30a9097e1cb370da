# Stage 1, inputs: the only reader of data/raw. Register, schemas, privacy and cross-checks, once;
# then typed, normalised interim tables for the stages after it.


rule validate_inputs:
    input:
        **paths.raw_inputs(config),
        code=paths.code("core", "catalogue", "inputs", "schemas"),
    output:
        **{key: paths.interim(PLAN, key) for key in config["inputs"]},
        declared_totals=paths.interim_file(PLAN, paths.INTERIM_DECLARED_TOTALS),
        boundaries=paths.interim_file(PLAN, paths.INTERIM_BOUNDARIES),
        checks=paths.interim_file(PLAN, "verifiche.csv"),
    log:
        paths.log(PLAN, "validate_inputs"),
    benchmark:
        paths.benchmark(PLAN, "validate_inputs")
    params:
        config={
            k: config.get(k)
            for k in (
                "year",
                "ambito",
                "istat",
                "comune_aliases",
                "inputs",
                "boundaries",
                "register",
            )
        },
        raw_dir=paths.raw_dir(PLAN).as_posix(),
    message:
        "Controllo dei dati di input del piano {PLAN}"
    script:
        "../scripts/validate_inputs.py"
