# Stage 3, charts: every chart of a plan in one job (PNG for the documents, SVG for reuse), one style
# file for all; each drawn from the processed tables the catalogue names.


def chart_inputs(wildcards):
    """The processed tables the charts are drawn from (the catalogue says which), and the boundaries for the map."""
    files = {
        table: paths.processed(wildcards.plan, table)
        for chart in catalogue.CHARTS
        for table in chart.tables
    }
    if any(chart.boundaries for chart in catalogue.CHARTS):
        files["boundaries"] = paths.processed_boundaries(wildcards.plan)
    return files


def map_facts(wildcards):
    """Attribution, capofila and named comuni of the density map."""
    return {
        "attribution": PLANS[wildcards.plan]["boundaries"]["attribution"],
        "capofila": PLANS[wildcards.plan]["ambito"]["capofila"],
        "labelled_comuni": labelled_comuni(wildcards),
    }


def labelled_comuni(wildcards):
    """The capofila comune and the comuni that give their name to a sub-ambito: named on the map."""
    ambito = PLANS[wildcards.plan]["ambito"]
    return sorted(
        set(ambito.get("sub_ambiti") or [])
        | {ambito["capofila"].removeprefix("Comune di ")}
    )


rule charts:
    input:
        unpack(chart_inputs),
    output:
        **{
            f"{c.name}_png": shown(
                paths.chart("{plan}", c.name, "png"),
                "grafico",
                "Grafici",
                grafico=c.name,
            )
            for c in catalogue.CHARTS
        },
        **{
            f"{c.name}_svg": kept(paths.chart("{plan}", c.name, "svg"))
            for c in catalogue.CHARTS
        },
        benchmark=finished("charts"),
    log:
        paths.log("{plan}", "charts"),
    params:
        code=paths.code_version(
            "core",
            "catalogue",
            "look",
            "charts",
            "assets/piano.mplstyle",
            "scripts/make_charts.py",
        ),
        map=map_facts,
    message:
        "Grafici del piano {wildcards.plan}"
    run:
        worker.run_script(
            "make_charts",
            input,
            output,
            params,
            wildcards,
            threads,
            resources,
            log,
            rule,
        )
