"""Which plans may be archived: `approved_plans`, called by `make archivia` (pianoabitativo/run.py).

`make archivia` (pianoabitativo/run.py) calls `approved_plans` before Snakemake. A plan is archived only when approved: nothing in its plan file under
`da_verificare`, no passage of its .qmd marked to verify (fragments/draft.py). Each draft is refused
with one Italian sentence naming what is still unconfirmed (wrapped at 80 columns); the approved plans
are written to FILE (`plans: [...]`), which `make archive` hands to Snakemake, so that they are archived
all the same. Exit 1 if a draft was refused, 0 otherwise.
"""

from __future__ import annotations

import sys

from ..console import wrapped
from ..core import paths
from ..core.config import load_plan
from ..fragments.draft import plan_draft_items, refusal


def plan_items(plan: str) -> list:
    """What is still to confirm in a plan (empty: approved); its quotas as the last `make piano` tabled them."""
    choices = paths.processed(plan, "h_i_scelte_per_comune")
    return plan_draft_items(load_plan(plan), paths.report_source(plan), choices)


def approved_plans(plans: list[str]) -> tuple[list[str], int]:
    """The approved plans among `plans`, and how many drafts were refused (each named on the console)."""
    approved, drafts = [], 0
    for plan in plans:
        items = plan_items(plan)
        if items:
            drafts += 1
            print("\n".join(wrapped(refusal(plan, items))), file=sys.stderr)
        else:
            approved.append(plan)
    return approved, drafts
