"""Write the running header for each format and the HTML stylesheet into report/gen/<year>/."""

from pathlib import Path

from pianoabitativo import render
from pianoabitativo.workflow import script_main


def main(smk):
    left = smk.params.ambito.split(" ")  # "Ambito / Distrettuale / Cremasco", as on the plan's letterhead
    right = [smk.params.capofila] + smk.params.role.replace(" per ", "\nper ").split("\n")
    render.write_header_typst(Path(smk.output.typst), left, right)
    render.write_header_html(Path(smk.output.html), left, right)
    render.write_reference_docx(Path(smk.output.docx), left, right)
    render.write_stylesheet(Path(smk.output.css))


script_main(main, snakemake)  # noqa: F821
