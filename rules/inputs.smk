# Stage 1, inputs: the only reader of data/raw. Register, schemas, privacy and cross-checks, once;
# then typed, normalised interim tables for the stages after it.
#
# Every result of every rule is flagged update(): Snakemake does not delete it before the job runs
# and restores it if the job fails, and each script commits its outputs together only when the
# whole step succeeded (core/files.py), so a failure leaves the previous results as they were.
# But Snakemake (9.27) records a failed job's restored outputs as made by that job, newer than its
# inputs: the next run would find the plan up to date, its refused data accepted. So each job has one
# output more, not flagged: its benchmark (benchmarks/<plan>/<rule>.benchmark.tsv, written by core/worker.py
# when the step has succeeded), which Snakemake removes when the job fails; `all` (and `archives`)
# ask for it, so the next run finds it missing and runs the job again. No other rule reads it
# (plain(), plain_named()).

from pianoabitativo.inputs.locations import inside_folder


def kept(path):
    """An output that survives a failed job (see above)."""
    return update(path)


def finished(rule_name):
    """The job's benchmark, also the record that it succeeded (see above): the output «benchmark»."""
    return paths.benchmark("{plan}", rule_name)


def shown(path, caption, category, **labels):
    """A kept output that `snakemake --report` also shows, with its Italian caption (report/captions/)."""
    return report(
        kept(path),
        caption=f"../report/captions/{caption}.rst",
        category=category,
        labels={"piano": "{plan}", **labels},
    )


def plain(files):
    """Another rule's results as this rule's inputs, without their output flags (nor its benchmark)."""
    return list(plain_named(files).values())


def plain_named(files):
    """Like plain(), keeping the outputs' names."""
    return {name: str(f) for name, f in files.items() if name != "benchmark"}


# Every configured raw file must be a regular, registered file inside data/raw/<plan>/: the job checks it
# before it opens any file (inputs/locations.py) and refuses the plan with a located Italian message. Its
# inputs are the plan's raw files that are there, inside that folder: a plan whose files have not arrived
# yet (or name a path outside it) is refused by its own job, and the other plans are built all the same
# (`make piano` runs Snakemake with --keep-going); a file that arrives later changes the inputs, so the job
# reruns.
def raw_inputs_present(wildcards):
    plan = wildcards.plan
    root = paths.raw_dir(plan).resolve()
    return {
        key: path
        for key, path in paths.raw_inputs(PLANS[plan], plan).items()
        if inside_folder(path, root)
    }


rule validate_inputs:
    input:
        unpack(raw_inputs_present),
    output:
        **{key: kept(paths.interim("{plan}", key)) for key in catalogue.INPUTS},
        declared_totals=kept(
            paths.interim_file("{plan}", paths.INTERIM_DECLARED_TOTALS)
        ),
        boundaries=kept(paths.interim_file("{plan}", paths.INTERIM_BOUNDARIES)),
        checks=kept(paths.interim_file("{plan}", "verifiche.csv")),
        register=kept(paths.interim_file("{plan}", "registro.csv")),
        benchmark=finished("validate_inputs"),
    log:
        paths.log("{plan}", "validate_inputs"),
    params:
        code=paths.code_version(
            "core", "catalogue", "inputs", "schemas", "scripts/validate_inputs.py"
        ),
        facts=lambda wc: facts_for_inputs(PLANS[wc.plan]),
        raw_dir=lambda wc: paths.raw_dir(wc.plan).as_posix(),
    message:
        "Controllo dei dati di input del piano {wildcards.plan}"
    run:
        worker.run_script(
            "validate_inputs",
            input,
            output,
            params,
            wildcards,
            threads,
            resources,
            log,
            rule,
        )
