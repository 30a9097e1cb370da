# Stage 4: text fragments for the .qmd, then one render per format.

rule report_fragments:
    """Key figures as Italian text (cifre.yml), tables as captioned Markdown, notes, running header."""
    input:
        code=paths.code("fragments", "formatting"),
        **rules.tables.output,
        figures=paths.key_figures(YEAR),
    output:
        metadata=f"{paths.gen_dir(YEAR)}/cifre.yml",
        **{name: paths.fragment(YEAR, name) for name in paths.FRAGMENTS},
    log:
        paths.log(YEAR, "report_fragments"),
    script:
        "../scripts/report_fragments.py"


rule report_style:
    """Running header (Typst, HTML, DOCX reference) and stylesheet, from the ambito and capofila in config."""
    input:
        code=paths.code("render", assets=("piano.css",)),
    output:
        typst=f"{paths.gen_dir(YEAR)}/header.typ",
        html=f"{paths.gen_dir(YEAR)}/header.html",
        docx=f"{paths.gen_dir(YEAR)}/reference.docx",
        css=f"{paths.gen_dir(YEAR)}/piano.css",
    params:
        ambito=config["ambito"]["name"],
        capofila=config["ambito"]["capofila"],
        role=config["ambito"]["capofila_role"],
    log:
        paths.log(YEAR, "report_style"),
    script:
        "../scripts/report_style.py"


rule render:
    """One document from report/piano_<year>.qmd: Quarto when installed (or asked), else pandoc + Typst."""
    input:
        code=paths.code("render", assets=("crossref.lua", "callout.lua", "images.lua", "piano.typ.template", "piano.html.template", "piano.css")),
        qmd=paths.report_source(YEAR),
        project="report/_quarto.yml",
        fragments=rules.report_fragments.output,
        style=rules.report_style.output,
        charts=expand(paths.chart(YEAR, "{chart}", "png"), chart=paths.CHARTS),
    output:
        document="output/piano_{year}.{fmt}",
    wildcard_constraints:
        fmt="|".join(paths.FORMATS),
        year=str(YEAR),
    params:
        engine=config["render"]["engine"],
        epoch=EPOCH,
    resources:
        quarto=1,
    log:
        "logs/{year}/render_{fmt}.log",
    script:
        "../scripts/render_document.py"
