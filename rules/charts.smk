# Stage 3: charts (PNG for the documents, SVG for reuse), one style file for all.

rule chart:
    """One chart of the plan from the processed tables (PNG + SVG)."""
    input:
        code=paths.code("charts", "formatting", assets=("piano.mplstyle",)),
        comuni=paths.processed(YEAR, "comuni"),
        subambiti=paths.processed(YEAR, "subambiti"),
        patrimonio=paths.processed(YEAR, "a_patrimonio"),
        assegnabili=paths.processed(YEAR, "g_assegnabili_per_categoria"),
        figures=paths.key_figures(YEAR),
        boundaries=paths.raw_inputs(config)["boundaries"],
    output:
        png=paths.chart(YEAR, "{chart}", "png"),
        svg=paths.chart(YEAR, "{chart}", "svg"),
    wildcard_constraints:
        chart="|".join(paths.CHARTS),
    log:
        paths.log(YEAR, "chart_{chart}"),
    script:
        "../scripts/make_chart.py"
