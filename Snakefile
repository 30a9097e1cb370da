# Piano annuale dell'offerta dei servizi abitativi, as code.
#
# Flow, one stage per file in rules/ and one folder per stage in src/pianoabitativo/:
#   data/raw/<plan>      --inputs-->   data/interim/<plan>     validated, typed, normalised; checks
#   data/interim/<plan>  --tables-->   data/processed/<plan>   machine tables, key figures
#   data/processed       --charts, fragments-->  report/gen/<plan>
#   report/gen/<plan>    --render-->   output/piano_<plan>.{html,pdf,docx}   --archive-->  archive/
#
# config.yaml names the plans to build; plans/<plan>.yaml holds each plan's facts.
# Run: .venv/bin/snakemake --cores all        (only what depends on a changed file or value reruns)
#
# Each job runs its script (scripts/) in a process forked from a warm worker that has pandas (matplotlib
# too, for several plans) and the package loaded once per run (src/pianoabitativo/core/worker.py):
# `run: worker.run_script(...)`, with `force-use-threads` (profiles/default). A rule's params.code is the
# digest of the code it runs.

import os
import sys

from pianoabitativo import catalogue, console
from pianoabitativo.core import paths, runlock, worker
from pianoabitativo.core.config import (
    facts_for_inputs,
    load_plans,
    prepare_config,
    source_date_epoch,
)
from pianoabitativo.core.errors import DataError
from pianoabitativo.core.scheduling import one_pending_reevaluation
from pianoabitativo.render.engine import engine_in_use


# The console, for people (src/pianoabitativo/console.py, Snakemake's logger through the plugin
# src/snakemake_logger_plugin_pianoabitativo, selected in profiles/default): one line per step (its
# message:), at the end where the documents are; on failure, the file to look at and the step's log; a
# plan whose inputs are refused (by its validate_inputs job) is named, and the other plans are built.
def where_to_look(rule, wildcards):
    """The file a person corrects when a step fails (None: the step's log says it all)."""
    plan = wildcards.get("plan")
    look = {
        "validate_inputs": lambda: f"{paths.raw_dir(plan).as_posix()}/ (file indicato sopra)",
        "render": lambda: paths.report_source(plan),
    }
    return look[rule]() if plan and rule in look else None


# One production at a time (core/runlock.py): `make piano` holds the lock for this Snakemake; a snakemake
# started by hand takes it, or stops with one Italian line while another run holds it.
if (
    workflow.is_main_process
    and not runlock.held_by_parent()
    and runlock.acquire(wait=False) is None
):
    sys.exit(f"{runlock.BUSY}: riprovi quando è finita.")


configfile: "config.yaml"


try:
    prepare_config(config)  # JSON-schema checks (src/pianoabitativo/schemas/)
    PLANS = load_plans(config)  # plan name -> its facts (plans/<plan>.yaml)
except DataError as err:  # a plain located message, not a traceback
    sys.exit(err.report())

console.install(
    documents={
        plan: [paths.document(plan, fmt) for fmt in catalogue.FORMATS] for plan in PLANS
    },
    checks={plan: paths.processed(plan, catalogue.CHECKS) for plan in PLANS},
    where_to_look=where_to_look,
)

one_pending_reevaluation()  # Snakemake's scheduler would wake up ever more often (core/scheduling.py)
worker.warm_for(len(PLANS))  # what the jobs' warm server imports once (core/worker.py)

os.environ["TZ"] = (
    "UTC"  # every embedded date comes from a plan's approval date (params.epoch), never the clock
)


report: "report/captions/workflow.rst"  # snakemake --report: results with Italian captions


wildcard_constraints:
    plan="|".join(PLANS),


def facts(key, *keys):
    """A param: the value of a plan's fact (plans/<plan>.yaml), so that changing it reruns the rule."""

    def value(wildcards):
        found = PLANS[wildcards.plan].get(key)
        for k in keys:
            found = found.get(k) if isinstance(found, dict) else None
        return found

    return value


def epoch(wildcards):
    return source_date_epoch(PLANS[wildcards.plan])


onsuccess:
    worker.stop()
    console.finish(True)


onerror:
    worker.stop()
    console.finish(False, log)


# The steps of a plan's documents. Each step's benchmark is also the record that it succeeded
# (rules/inputs.smk): a step that failed last time has none, and `all` asks for it, so it runs again.
PLAN_STEPS = [
    "validate_inputs",
    "tables",
    "charts",
    "report_fragments",
    "report_style",
    "render",
]


rule all:
    input:
        [paths.document(plan, fmt) for plan in PLANS for fmt in catalogue.FORMATS],
        [paths.data_package(plan) for plan in PLANS],
        [paths.benchmark(plan, step) for plan in PLANS for step in PLAN_STEPS],


include: "rules/inputs.smk"
include: "rules/tables.smk"
include: "rules/charts.smk"
include: "rules/report.smk"
include: "rules/archive.smk"
