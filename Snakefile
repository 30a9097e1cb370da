# Piano annuale dell'offerta dei servizi abitativi, as code.
#
# Flow: data/raw/<year> --validate--> data/processed/<year> (tables, key figures)
#       --> report/gen/<year> (charts, text fragments) --> output/piano_<year>.{html,pdf,docx}
#
# Run: .venv/bin/snakemake --cores all        (only what depends on a changed file reruns)

import glob
import os
import sys

from pianoabitativo import paths
from pianoabitativo.config import prepare_config, source_date_epoch
from pianoabitativo.errors import DataError

configfile: "config.yaml"
try:
    prepare_config(config)  # JSON-schema check of config.yaml (schemas/config.schema.yaml)
except DataError as err:  # a plain located message, not a traceback
    sys.exit(err.report())

YEAR = config["year"]
EPOCH = source_date_epoch(config)  # every embedded date comes from the approval date, never the clock
os.environ.update({"SOURCE_DATE_EPOCH": str(EPOCH), "TZ": "UTC"})  # inherited by every step


rule all:
    input:
        [paths.document(YEAR, fmt) for fmt in paths.FORMATS],


include: "rules/inputs.smk"
include: "rules/tables.smk"
include: "rules/charts.smk"
include: "rules/report.smk"
include: "rules/archive.smk"
