"""Report stage: the running header for each format and the HTML stylesheet (report/gen/<plan>/).

By hand (from the project folder): python scripts/report_style.py
"""

from pathlib import Path

from pianoabitativo.core.runner import run
from pianoabitativo.render import header


def main(smk):
    params, out = smk.params, smk.output
    left = params.ambito.split(" ")  # "Ambito / Distrettuale / Cremasco", as on the plan's letterhead
    right = [params.capofila] + params.role.replace(" per ", "\nper ").split("\n")
    header.write_header_typst(Path(out.typst), left, right)
    header.write_header_html(Path(out.html), left, right)
    header.write_reference_docx(Path(out.docx), left, right)
    header.write_stylesheet(Path(out.css))


run(main, globals(), "report_style")
