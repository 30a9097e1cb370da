"""Render the plan to one format; the log records which engine did it."""

import logging
from pathlib import Path

from pianoabitativo.render import RenderError, render
from pianoabitativo.workflow import script_main


def main(smk):
    try:
        engine = render(Path(smk.input.qmd), smk.wildcards.fmt, Path(smk.output.document),
                        engine=smk.params.engine, source_date_epoch=int(smk.params.epoch))
    except RenderError as err:
        raise SystemExit(f"Errore di composizione del documento: {err}") from None
    logging.info("rendered %s with the %s engine", smk.output.document, engine)


script_main(main, snakemake)  # noqa: F821
