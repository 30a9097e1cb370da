# Stage 1: nothing is built on inputs that are unregistered, malformed, personal or self-contradictory.

rule validate_inputs:
    """Check the register (sha256), every file against schemas/inputs/, personal data, cross-checks."""
    input:
        code=paths.code(),
        **paths.raw_inputs(config),
        schemas=expand("schemas/inputs/{key}.yaml", key=list(config["inputs"])),
    output:
        stamp=f"data/interim/{YEAR}/inputs_validated.tsv",
    log:
        paths.log(YEAR, "validate_inputs"),
    script:
        "../scripts/validate_inputs.py"
