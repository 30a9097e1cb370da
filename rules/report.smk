# Stage 4, report: text fragments and running header for the .qmd, then one render per format.


rule report_fragments:
    input:
        **{t.name: paths.processed(PLAN, t.name) for t in catalogue.PROCESSED_TABLES},
        code=paths.code("core", "catalogue", "fragments"),
    output:
        **{name: paths.fragment(PLAN, name) for name in catalogue.FRAGMENTS},
        metadata=paths.metadata(PLAN),
    log:
        paths.log(PLAN, "report_fragments"),
    benchmark:
        paths.benchmark(PLAN, "report_fragments")
    params:
        year=config["year"],
        tables=[t.name for t in catalogue.PROCESSED_TABLES],
        facts={
            k: config.get(k)
            for k in ("year", "ambito", "dates", "regional_notice_number")
        },
    message:
        "Testi e tabelle del documento del piano {PLAN}"
    script:
        "../scripts/report_fragments.py"


rule report_style:
    input:
        code=paths.code(
            "core",
            "render/header.py",
            "render/docx.py",
            "render/epoch.py",
            "render/errors.py",
            "assets/piano.css",
        ),
    output:
        typst=f"{paths.gen_dir(PLAN)}/header.typ",
        html=f"{paths.gen_dir(PLAN)}/header.html",
        docx=f"{paths.gen_dir(PLAN)}/reference.docx",
        css=f"{paths.gen_dir(PLAN)}/piano.css",
    log:
        paths.log(PLAN, "report_style"),
    benchmark:
        paths.benchmark(PLAN, "report_style")
    params:
        ambito=config["ambito"]["name"],
        capofila=config["ambito"]["capofila"],
        role=config["ambito"]["capofila_role"],
    message:
        "Intestazione e stile dei documenti del piano {PLAN}"
    script:
        "../scripts/report_style.py"


rule render:
    input:
        code=paths.code("core", "render", "assets"),
        qmd=paths.report_source(PLAN),
        project="report/_quarto.yml",
        fragments=rules.report_fragments.output,
        style=rules.report_style.output,
        charts=[paths.chart(PLAN, c.name, "png") for c in catalogue.CHARTS],
    output:
        document=paths.document(PLAN, "{fmt}"),
    log:
        paths.log(PLAN, "render_{fmt}"),
    benchmark:
        paths.benchmark(PLAN, "render_{fmt}")
    wildcard_constraints:
        fmt="|".join(catalogue.FORMATS),
    resources:
        quarto=1,
    params:
        engine=config["render"]["engine"],
        epoch=EPOCH,
    message:
        "Composizione del documento {output.document}"
    script:
        "../scripts/render_document.py"
