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

import os
import sys

from pianoabitativo import catalogue
from pianoabitativo.core import paths
from pianoabitativo.core.config import (
    facts_for_inputs,
    load_plans,
    prepare_config,
    source_date_epoch,
)
from pianoabitativo.core.errors import DataError


configfile: "config.yaml"


try:
    prepare_config(config)  # JSON-schema checks (src/pianoabitativo/schemas/)
    PLANS = load_plans(config)  # plan name -> its facts (plans/<plan>.yaml)
except DataError as err:  # a plain located message, not a traceback
    sys.exit(err.report())

os.environ["TZ"] = (
    "UTC"  # every embedded date comes from a plan's approval date (params.epoch), never the clock
)


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


rule all:
    input:
        [paths.document(plan, fmt) for plan in PLANS for fmt in catalogue.FORMATS],


include: "rules/inputs.smk"
include: "rules/tables.smk"
include: "rules/charts.smk"
include: "rules/report.smk"
include: "rules/archive.smk"
