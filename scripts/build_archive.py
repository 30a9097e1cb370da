"""Write the year's archive: every input, source and output of the plan, with environment and manifest."""

from pathlib import Path

from pianoabitativo.archive import build_archive, collect_environment
from pianoabitativo.render import detect_engine
from pianoabitativo.workflow import script_main


def main(smk):
    files = sorted({str(p) for group in (smk.input.sources, smk.input.documents, smk.input.tables,
                                         smk.input.fragments, smk.input.charts) for p in group})
    members = {name: Path(name) for name in files}
    environment = collect_environment(Path("."), detect_engine(smk.params.engine))
    build_archive(members, environment, Path(smk.output.archive), int(smk.params.epoch))


script_main(main, snakemake)  # noqa: F821
