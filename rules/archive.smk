# Stage 5, archive: one deterministic file per plan holding everything that made it (make archive).

import glob


def archive_sources(wildcards):
    """Workflow code, config, the plan's facts, report source and raw folder: what a rebuild needs."""
    plan = wildcards.plan
    patterns = [
        "Snakefile",
        "config.yaml",
        "Makefile",
        "pyproject.toml",
        "requirements.lock",
        "rules/*.smk",
        "profiles/*/config.yaml",
        "scripts/*.py",
        "report/_quarto.yml",
        "report/captions/*.rst",
        paths.report_source(plan),
        paths.plan_facts(plan),
    ]
    files = [f for pattern in patterns for f in glob.glob(pattern)]
    files += glob.glob("src/pianoabitativo/**/*", recursive=True)
    # the console's Snakemake logger plugin (profiles/default: logger:), so that the rebuild finds it
    files += glob.glob("src/snakemake_logger_plugin_*/**/*", recursive=True)
    files += glob.glob(f"{paths.raw_dir(plan).as_posix()}/**/*", recursive=True)
    return sorted({f for f in files if os.path.isfile(f) and "__pycache__" not in f})


rule archive:
    input:
        sources=archive_sources,
        documents=[paths.document("{plan}", fmt) for fmt in catalogue.FORMATS],
        tables=plain(rules.tables.output),
        # the document's generated inputs: text fragments and key figures, and the formats' style files
        fragments=[
            *plain(rules.report_fragments.output),
            *plain(rules.report_style.output),
        ],
        charts=plain(rules.charts.output),
        # the previous plan's tables (or archive) the comparison was computed from: make verify rebuilds it
        previous=lambda wc: sorted(previous_sources(wc.plan).files.values()),
    output:
        archive=kept(paths.archive("{plan}")),
        benchmark=finished("archive"),
    log:
        paths.log("{plan}", "archive"),
    params:
        epoch=epoch,
        engine=config["render"]["engine"],
        # a draft is never archived: its unconfirmed facts and quota rule here, its marked passages in its
        # .qmd (sources)
        facts=lambda wc: {
            k: PLANS[wc.plan].get(k)
            for k in ("ambito", "dates", "unconfirmed", "quota_rounding", "quota_base")
        },
        qmd=lambda wc: paths.report_source(wc.plan),
    message:
        "Archivio del piano {wildcards.plan}: {output.archive}"
    run:
        worker.run_script(
            "build_archive",
            input,
            output,
            params,
            wildcards,
            threads,
            resources,
            log,
            rule,
        )


rule archives:
    input:
        [paths.archive(plan) for plan in PLANS],
        [paths.benchmark(plan, "archive") for plan in PLANS],
