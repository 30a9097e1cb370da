"""Render stage: the plan in one format; the log records which engine did it.

By hand (from the project folder): python scripts/render_document.py fmt=pdf
"""

import logging
from pathlib import Path

from pianoabitativo.core.runner import run
from pianoabitativo.render.engine import render
from pianoabitativo.render.errors import RenderError


def main(smk):
    try:
        engine = render(Path(smk.input.qmd), smk.wildcards.fmt, Path(smk.output.document),
                        engine=smk.params.engine, source_date_epoch=int(smk.params.epoch))
    except RenderError as err:
        raise SystemExit(f"Errore di composizione del documento: {err}") from None
    logging.info("rendered %s with the %s engine", smk.output.document, engine)


run(main, globals(), "render")
