"""Archive stage: every input, source and output of the plan in one file, with environment and manifest.

By hand (from the project folder): python scripts/build_archive.py
"""

from pathlib import Path

from pianoabitativo.archive.environment import collect_environment
from pianoabitativo.archive.members import build_archive
from pianoabitativo.core.runner import run
from pianoabitativo.render.engine import detect_engine


def main(smk):
    files = sorted({str(p) for group in (smk.input.sources, smk.input.documents, smk.input.tables,
                                         smk.input.fragments, smk.input.charts) for p in group})
    members = {name: Path(name) for name in files}
    environment = collect_environment(Path("."), detect_engine(smk.params.engine))
    build_archive(members, environment, Path(smk.output.archive), int(smk.params.epoch))


run(main, globals(), "archive")
