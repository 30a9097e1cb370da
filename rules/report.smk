# Stage 4, report: text fragments and running header for the .qmd, then one render per format,
# each in a staging folder that holds the plan's .qmd beside its own generated files only.


rule report_fragments:
    input:
        **{
            t.name: paths.processed("{plan}", t.name)
            for t in catalogue.PROCESSED_TABLES
        },
        code=paths.code("core", "catalogue", "fragments"),
    output:
        **{name: kept(paths.fragment("{plan}", name)) for name in catalogue.FRAGMENTS},
        metadata=kept(paths.metadata("{plan}")),
    log:
        paths.log("{plan}", "report_fragments"),
    benchmark:
        paths.benchmark("{plan}", "report_fragments")
    params:
        tables=[t.name for t in catalogue.PROCESSED_TABLES],
        max_listed_units=catalogue.MAX_LISTED_UNITS,
        facts=lambda wc: {
            k: PLANS[wc.plan].get(k)
            for k in (
                "year",
                "ambito",
                "dates",
                "regional_notice_number",
                "triennial_plan",
            )
        },
    message:
        "Testi e tabelle del documento del piano {wildcards.plan}"
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
        typst=kept(f"{paths.gen_dir('{plan}')}/header.typ"),
        html=kept(f"{paths.gen_dir('{plan}')}/header.html"),
        docx=kept(f"{paths.gen_dir('{plan}')}/reference.docx"),
        css=kept(f"{paths.gen_dir('{plan}')}/piano.css"),
    log:
        paths.log("{plan}", "report_style"),
    benchmark:
        paths.benchmark("{plan}", "report_style")
    params:
        ambito=facts("ambito", "name"),
        capofila=facts("ambito", "capofila"),
        role=facts("ambito", "capofila_role"),
    message:
        "Intestazione e stile dei documenti del piano {wildcards.plan}"
    script:
        "../scripts/report_style.py"


rule render:
    input:
        code=paths.code("core", "render", "assets"),
        qmd=paths.report_source("{plan}"),
        project="report/_quarto.yml",
        fragments=plain(rules.report_fragments.output),
        style=plain(rules.report_style.output),
        charts=[paths.chart("{plan}", c.name, "png") for c in catalogue.CHARTS],
    output:
        document=shown(
            paths.document("{plan}", "{fmt}"),
            "documento",
            "Documenti",
            formato="{fmt}",
        ),
    log:
        paths.log("{plan}", "render_{fmt}"),
    benchmark:
        paths.benchmark("{plan}", "render_{fmt}")
    wildcard_constraints:
        fmt="|".join(catalogue.FORMATS),
    resources:
        quarto=1,
    params:
        engine=config["render"]["engine"],
        epoch=epoch,
        staging=lambda wc: f"{paths.staging_dir(wc.plan)}/{wc.fmt}",
    message:
        "Composizione del documento {output.document}"
    script:
        "../scripts/render_document.py"
