"""Report stage: the look of each output format (report/gen/<plan>/, named in the .qmd): the running
headers of the PDF (header.typ) and of the HTML (header.html), the Word reference document
(reference.docx), the HTML stylesheet (piano.css); which format needs which is render/formats.py.

A draft (its appendix «Da verificare prima dell'approvazione» is not empty) says BOZZA on every page.

By hand (from the project folder): python scripts/report_style.py plan=cremasco_2019
"""

from pathlib import Path

from pianoabitativo.core.runner import run
from pianoabitativo.fragments.draft import appendix_says_draft
from pianoabitativo.render.style_files import header_lines, style_file_names, write_style_file


def main(smk):
    draft = appendix_says_draft(Path(smk.input.da_verificare))
    left, right = header_lines(smk.params.ambito)
    for name in style_file_names():
        write_style_file(name, Path(smk.output[name]), left, right, draft)


run(main, globals(), "report_style")
