# Stage 3, charts: PNG for the documents, SVG for reuse, one style file for all.


def chart_inputs(chart):
    """The processed tables a chart is drawn from (the catalogue says which), and the boundaries for a map."""
    files = {table: paths.processed(PLAN, table) for table in chart.tables}
    if chart.boundaries:
        files["boundaries"] = paths.processed_boundaries(PLAN)
    return files


rule chart:
    input:
        unpack(lambda wc: chart_inputs(catalogue.CHARTS_BY_NAME[wc.chart])),
        code=paths.code("core", "catalogue", "charts", "assets/piano.mplstyle"),
    output:
        png=paths.chart(PLAN, "{chart}", "png"),
        svg=paths.chart(PLAN, "{chart}", "svg"),
    log:
        paths.log(PLAN, "chart_{chart}"),
    benchmark:
        paths.benchmark(PLAN, "chart_{chart}")
    wildcard_constraints:
        chart="|".join(c.name for c in catalogue.CHARTS),
    params:
        attribution=config["boundaries"]["attribution"],
        # the capofila comune and the comuni that give their name to a sub-ambito are named on the map
        labelled_comuni=sorted(
            set(config["ambito"]["sub_ambiti"])
            | {config["ambito"]["capofila"].removeprefix("Comune di ")}
        ),
    message:
        "Grafico «{wildcards.chart}» del piano {PLAN}"
    script:
        "../scripts/make_chart.py"
