"""Tables stage: datapackage.json, the processed tables described for an open-data portal.

Fields, types and keys from the catalogue, the plan's facts, the sources from the data register's
rows (data/interim/<plan>/registro.csv, written by the inputs stage).
By hand (from the project folder): python scripts/data_package.py
"""

from pianoabitativo.core.files import write_text_atomically
from pianoabitativo.core.runner import run
from pianoabitativo.inputs.interim import read_register_rows
from pianoabitativo.tables.datapackage import data_package, data_package_json


def main(smk):
    descriptor = data_package(smk.wildcards.plan, smk.params.facts, read_register_rows(smk.input.register))
    write_text_atomically(smk.output.package, data_package_json(descriptor))


run(main, globals(), "datapackage")
