# Stage 3, charts: PNG for the documents, SVG for reuse, one style file for all.


def chart_inputs(wildcards):
    """The processed tables a chart is drawn from (the catalogue says which), and the boundaries for a map."""
    chart = catalogue.CHARTS_BY_NAME[wildcards.chart]
    files = {table: paths.processed(wildcards.plan, table) for table in chart.tables}
    if chart.boundaries:
        files["boundaries"] = paths.processed_boundaries(wildcards.plan)
    return files


def map_facts(wildcards):
    """Attribution, capofila and named comuni of the density map; nothing for the other charts."""
    if not catalogue.CHARTS_BY_NAME[wildcards.chart].boundaries:
        return {}
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


rule chart:
    input:
        unpack(chart_inputs),
        code=paths.code("core", "catalogue", "charts", "assets/piano.mplstyle"),
    output:
        png=shown(
            paths.chart("{plan}", "{chart}", "png"),
            "grafico",
            "Grafici",
            grafico="{chart}",
        ),
        svg=kept(paths.chart("{plan}", "{chart}", "svg")),
    log:
        paths.log("{plan}", "chart_{chart}"),
    benchmark:
        paths.benchmark("{plan}", "chart_{chart}")
    wildcard_constraints:
        chart="|".join(c.name for c in catalogue.CHARTS),
    params:
        # the map's facts reach the map only: another chart does not rerun when they change
        map=map_facts,
    message:
        "Grafico «{wildcards.chart}» del piano {wildcards.plan}"
    script:
        "../scripts/make_chart.py"
