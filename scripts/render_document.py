"""Render stage: the plan in each format (params.formats: render/formats.py's, in turn); the log records
which engine made each one, and the console gets one line naming it. The documents are committed together: if one format fails, none replaces its
previous version.

Each format is rendered from a staging folder (build/<plan>/<format>/) holding a copy of the .qmd, the
report project file and, under gen/, this plan's generated files (fragments, charts, the formats' style
files) and the package files both engines read there (render/style_files.py: the Typst `article`
partial gen/typst-template.typ, named by the .qmd's template-partials; the quotes filter) and nothing else: the document
cannot pull in another plan's figures, and Quarto works there only. The staging folder is a
Quarto project of its own (its _quarto.yml), so Quarto's .quarto/ and its temporary files stay in
it and Quarto reads the staged copies, never report/. Quarto's, pandoc's and Typst's warnings go
to the rule's log.

By hand (from the project folder): python scripts/render_document.py plan=cremasco_2019
"""

import logging
import shutil
import sys
from pathlib import Path

from pianoabitativo.console import wrapped
from pianoabitativo.core.runner import run
from pianoabitativo.fragments.draft import staged_text
from pianoabitativo.render.callouts import with_typst_boxes
from pianoabitativo.render.engine import engine_name, render
from pianoabitativo.render.errors import RenderError
from pianoabitativo.render.style_files import STAGED_FILES


def staged_document(smk, fmt: str) -> Path:
    """A fresh staging folder with the .qmd, _quarto.yml and gen/ (this plan's files); the staged .qmd."""
    staging = Path(smk.params.staging) / fmt
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "gen").mkdir(parents=True)
    qmd = staging / Path(smk.input.qmd).name
    # the text as rendered: passages still to verify marked, the ambito's own prose unmarked (fragments/draft.py),
    # boxed notes as Typst boxes in the PDF (render/callouts.py)
    text = staged_text(Path(smk.input.qmd).read_text(encoding="utf-8"))
    qmd.write_text(with_typst_boxes(text), encoding="utf-8")
    shutil.copyfile(smk.input.project, staging / Path(smk.input.project).name)
    for generated in [*smk.input.fragments, *smk.input.style, *smk.input.charts]:
        target = staging / "gen" / Path(generated).name
        if target.suffix == ".md":
            target.write_text(with_typst_boxes(Path(generated).read_text(encoding="utf-8")), encoding="utf-8")
        else:
            shutil.copyfile(generated, target)
    for name, content in STAGED_FILES.items():  # package files, not outputs: typst-template.typ, quotes.lua
        (staging / "gen" / name).write_bytes(content())
    return qmd


def main(smk):
    engines = []
    for fmt in smk.params.formats:
        document = getattr(smk.output, fmt)
        try:
            engine = render(
                staged_document(smk, fmt),
                fmt,
                Path(document),
                engine=smk.params.engine,
                source_date_epoch=int(smk.params.epoch),
            )
        except RenderError as err:
            raise SystemExit(f"Errore di composizione del documento {document}: {err}") from None
        logging.info("rendered %s with the %s engine (%s)", document, engine, engine_name(engine))
        engines.append(engine)
    for name in dict.fromkeys(engine_name(engine) for engine in engines):  # the console: which engine
        line = f"- Documenti del piano {smk.wildcards.plan} composti con {name}"
        print("\n".join(wrapped(line)), file=sys.stderr)


run(main, globals(), "render")
