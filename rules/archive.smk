# Stage 5: one deterministic file holding everything that made the year's plan (make archive).

ARCHIVE_SOURCES = sorted(
    set(glob.glob("Snakefile") + glob.glob("config.yaml") + glob.glob("Makefile") + glob.glob("pyproject.toml")
        + glob.glob("requirements.lock") + glob.glob("rules/*.smk") + glob.glob("scripts/*.py")
        + glob.glob("schemas/**/*.yaml", recursive=True) + glob.glob("report/_quarto.yml")
        + glob.glob(paths.report_source(YEAR))
        + [p for p in glob.glob("src/pianoabitativo/**/*", recursive=True)
           if os.path.isfile(p) and "__pycache__" not in p]
        + [p for p in glob.glob(f"data/raw/{YEAR}/**/*", recursive=True) if os.path.isfile(p)])
)


rule archive:
    """archive/piano_<year>.tar.gz: raw inputs, register, config, code, report sources, tables, charts,
    documents, environment.json and MANIFEST.sha256 (sha256 of every member)."""
    input:
        sources=ARCHIVE_SOURCES,
        documents=rules.all.input,
        tables=list(rules.tables.output) + [paths.key_figures(YEAR)],
        fragments=list(rules.report_fragments.output) + list(rules.report_style.output),
        charts=expand(paths.chart(YEAR, "{chart}", "{ext}"), chart=paths.CHARTS, ext=["png", "svg"]),
    output:
        archive=f"archive/piano_{YEAR}.tar.gz",
    params:
        epoch=EPOCH,
        engine=config["render"]["engine"],
    log:
        paths.log(YEAR, "archive"),
    script:
        "../scripts/build_archive.py"
