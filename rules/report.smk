# Stage 4, report: text fragments, running header and stylesheet for the .qmd (one job), then the
# documents (one job, the three formats in turn), each format in a staging folder that holds the plan's
# .qmd beside its own generated files only.


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
        header_typst=kept(f"{paths.gen_dir('{plan}')}/header.typ"),
        header_html=kept(f"{paths.gen_dir('{plan}')}/header.html"),
        reference_docx=kept(f"{paths.gen_dir('{plan}')}/reference.docx"),
        css=kept(f"{paths.gen_dir('{plan}')}/piano.css"),
    log:
        paths.log("{plan}", "report_fragments"),
    params:
        code=paths.code_version(
            "core",
            "catalogue",
            "fragments",
            "render/header.py",
            "render/docx.py",
            "render/epoch.py",
            "render/errors.py",
            "assets/piano.css",
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
        "Testi, tabelle e intestazione dei documenti del piano {wildcards.plan}"
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


rule render:
    input:
        qmd=paths.report_source("{plan}"),
        project="report/_quarto.yml",
        fragments=plain(rules.report_fragments.output),
        charts=[paths.chart("{plan}", c.name, "png") for c in catalogue.CHARTS],
    output:
        **{
            fmt: shown(
                paths.document("{plan}", fmt), "documento", "Documenti", formato=fmt
            )
            for fmt in catalogue.FORMATS
        },
    log:
        paths.log("{plan}", "render"),
    params:
        code=paths.code_version(
            "core",
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
