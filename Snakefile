# Piano annuale dell'offerta dei servizi abitativi, as code.
#
# Flow, one stage per file in rules/ and one folder per stage in src/pianoabitativo/:
#   data/raw/<plan>      --inputs-->   data/interim/<plan>     validated, typed, normalised; checks
#   data/interim/<plan>  --tables-->   data/processed/<plan>   machine tables, key figures
#   data/processed       --charts, fragments-->  report/gen/<plan>
#   report/gen/<plan>    --render-->   output/piano_<plan>.{html,pdf,docx}   --archive-->  archive/
#
# Run: .venv/bin/snakemake --cores all        (only what depends on a changed file or value reruns)

import os
import sys

from pianoabitativo import catalogue
from pianoabitativo.core import paths
from pianoabitativo.core.config import prepare_config, source_date_epoch
from pianoabitativo.core.errors import DataError


configfile: "config.yaml"


try:
    prepare_config(
        config
    )  # JSON-schema check (src/pianoabitativo/schemas/config.schema.yaml)
except DataError as err:  # a plain located message, not a traceback
    sys.exit(err.report())

PLAN = config["year"]
# every embedded date comes from the approval date, never the clock; inherited by every step
EPOCH = source_date_epoch(config)
os.environ.update({"SOURCE_DATE_EPOCH": str(EPOCH), "TZ": "UTC"})


rule all:
    input:
        [paths.document(PLAN, fmt) for fmt in catalogue.FORMATS],


include: "rules/inputs.smk"
include: "rules/tables.smk"
include: "rules/charts.smk"
include: "rules/report.smk"
include: "rules/archive.smk"
