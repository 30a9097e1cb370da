# Stage 4: text fragments for the .qmd, then one render per format.

rule report_fragments:
    """Key figures as Italian text (cifre.yml), tables as captioned Markdown, notes, running header."""
    input:
        **rules.tables.output,
        figures=paths.key_figures(YEAR),
    output:
        metadata=f"{paths.gen_dir(YEAR)}/cifre.yml",
        **{name: paths.fragment(YEAR, name) for name in paths.FRAGMENTS},
    log:
        paths.log(YEAR, "report_fragments"),
    script:
        "../scripts/report_fragments.py"
