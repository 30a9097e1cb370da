# Stage 5, archive: one deterministic file holding everything that made the plan (make archive).

import glob


def archive_sources(plan):
    """Workflow code, config, report sources and the plan's raw folder: what a rebuild needs."""
    patterns = [
        "Snakefile",
        "config.yaml",
        "Makefile",
        "pyproject.toml",
        "requirements.lock",
        "rules/*.smk",
        "scripts/*.py",
        "report/_quarto.yml",
        paths.report_source(plan),
    ]
    files = [f for pattern in patterns for f in glob.glob(pattern)]
    files += glob.glob("src/pianoabitativo/**/*", recursive=True)
    files += glob.glob(f"{paths.raw_dir(plan).as_posix()}/**/*", recursive=True)
    return sorted({f for f in files if os.path.isfile(f) and "__pycache__" not in f})


rule archive:
    input:
        sources=archive_sources(PLAN),
        documents=rules.all.input,
        tables=list(rules.tables.output) + [paths.key_figures(PLAN)],
        fragments=list(rules.report_fragments.output) + list(rules.report_style.output),
        charts=[
            paths.chart(PLAN, c.name, ext)
            for c in catalogue.CHARTS
            for ext in catalogue.CHART_FORMATS
        ],
    output:
        archive=paths.archive(PLAN),
    log:
        paths.log(PLAN, "archive"),
    benchmark:
        paths.benchmark(PLAN, "archive")
    params:
        epoch=EPOCH,
        engine=config["render"]["engine"],
    message:
        "Archivio del piano {PLAN}: {output.archive}"
    script:
        "../scripts/build_archive.py"
