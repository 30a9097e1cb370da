# Stage 4, report: text fragments and key figures for the .qmd (one job: plain Quarto Markdown), the
# formats' look (one job: running headers, reference.docx, stylesheet), then the documents (one job, the
# formats of render/formats.py in turn), each format in a staging folder that holds the plan's .qmd beside
# its own generated files only.

from pianoabitativo.render.style_files import style_file_names


rule report_fragments:
    input:
        **{
            t.name: paths.processed("{plan}", t.name)
            for t in catalogue.PROCESSED_TABLES
        },
        # the data register's rows, for «Fonti dei dati» (provenance, not a table: it has no processed form)
        register=paths.interim_file("{plan}", "registro.csv"),
        qmd=paths.report_source("{plan}"),  # its passages still to verify make the plan a draft
    output:
        **{name: kept(paths.fragment("{plan}", name)) for name in catalogue.FRAGMENTS},
        metadata=kept(paths.metadata("{plan}")),
        benchmark=finished("report_fragments"),
    log:
        paths.log("{plan}", "report_fragments"),
    params:
        code=paths.code_version(
            "core",
            "catalogue",
            "fragments",
            "scripts/report_fragments.py",
        ),
        max_listed_units=catalogue.MAX_LISTED_UNITS,
        facts=lambda wc: {
            k: PLANS[wc.plan].get(k)
            for k in (
                "year",
                "ambito",
                "dates",
                "regional_notice_number",
                "triennial_plan",
                "quota_rounding",
                "quota_base",
                "inputs",
                "boundaries",
                "unconfirmed",
            )
        },
        register_path=lambda wc: (
            paths.raw_dir(wc.plan) / PLANS[wc.plan].get("register", "register.csv")
        ).as_posix(),
        plan_file=lambda wc: paths.plan_facts(wc.plan),
    message:
        "Testi e tabelle dei documenti del piano {wildcards.plan}"
    run:
        worker.run_script(
            "report_fragments",
            input,
            output,
            params,
            wildcards,
            threads,
            resources,
            log,
            rule,
        )


rule report_style:
    input:
        # a draft's appendix, "" for an approved plan: a draft says BOZZA on every page
        da_verificare=paths.fragment("{plan}", "da_verificare"),
    output:
        **{
            name: kept(f"{paths.gen_dir('{plan}')}/{name}")
            for name in style_file_names()
        },
        benchmark=finished("report_style"),
    log:
        paths.log("{plan}", "report_style"),
    params:
        code=paths.code_version(
            "core",
            "look",
            "render",
            "assets",
            "scripts/report_style.py",
        ),
        ambito=lambda wc: PLANS[wc.plan]["ambito"],
    message:
        "Intestazione e stile dei documenti del piano {wildcards.plan}"
    run:
        worker.run_script(
            "report_style",
            input,
            output,
            params,
            wildcards,
            threads,
            resources,
            log,
            rule,
        )


rule render:
    input:
        qmd=paths.report_source("{plan}"),
        project="report/_quarto.yml",
        fragments=plain(rules.report_fragments.output),
        style=plain(rules.report_style.output),
        charts=[paths.chart("{plan}", c.name, "png") for c in catalogue.CHARTS],
    output:
        **{
            fmt: shown(
                paths.document("{plan}", fmt), "documento", "Documenti", formato=fmt
            )
            for fmt in catalogue.FORMATS
        },
        benchmark=finished("render"),
    log:
        paths.log("{plan}", "render"),
    params:
        code=paths.code_version(
            "core",
            "look",
            "render",
            "assets",
            "fragments/draft.py",
            "scripts/render_document.py",
        ),
        formats=list(catalogue.FORMATS),
        engine=config["render"]["engine"],
        # what will render ("quarto 1.10.18", "embedded"): installing or upgrading Quarto reruns the render
        renderer=engine_in_use(config["render"]["engine"]),
        epoch=epoch,
        staging=lambda wc: paths.staging_dir(wc.plan),
    message:
        "Composizione dei documenti del piano {wildcards.plan}"
    run:
        worker.run_script(
            "render_document",
            input,
            output,
            params,
            wildcards,
            threads,
            resources,
            log,
            rule,
        )
