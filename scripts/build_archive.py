"""Archive stage: every input, source and output of one plan in one file, with environment and manifest.

The archived config.yaml names this plan only, so that a rebuild from the archive needs nothing else.

By hand (from the project folder): python scripts/build_archive.py plan=cremasco_2019
"""

import tempfile
from pathlib import Path

from pianoabitativo.archive.environment import collect_environment
from pianoabitativo.archive.members import build_archive
from pianoabitativo.core.runner import run
from pianoabitativo.fragments.draft import plan_draft_items, refusal
from pianoabitativo.render.engine import detect_engine


def single_plan_config(plan: str, engine: str) -> str:
    return (
        f"# Archived with the plan {plan}: the config that rebuilds it from this archive alone.\n"
        f"plans: [{plan}]\n\nrender:\n  engine: {engine}\n"
    )


def main(smk):
    choices = next((t for t in smk.input.tables if Path(t).stem == "h_i_scelte_per_comune"), None)
    items = plan_draft_items(smk.params.facts, smk.params.qmd, choices)
    if items:  # make archive leaves drafts out; a direct request for one is refused the same way
        raise SystemExit(refusal(smk.wildcards.plan, items))
    files = sorted(
        {
            str(p)
            for group in (
                smk.input.sources,
                smk.input.documents,
                smk.input.tables,
                smk.input.fragments,
                smk.input.charts,
                smk.input.previous,
            )
            for p in group
        }
    )
    members = {name: Path(name) for name in files}
    environment = collect_environment(Path("."), detect_engine(smk.params.engine))
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "config.yaml"
        config.write_text(single_plan_config(smk.wildcards.plan, smk.params.engine), encoding="utf-8")
        members["config.yaml"] = config
        build_archive(members, environment, Path(smk.output.archive), int(smk.params.epoch))


run(main, globals(), "archive")
