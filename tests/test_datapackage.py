"""The open-data description of the processed tables: a Frictionless Data Package that validates."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from frictionless import validate

from pianoabitativo import catalogue
from pianoabitativo.inputs.interim import read_register_rows
from pianoabitativo.inputs.register import read_register, register_csv
from pianoabitativo.tables.datapackage import data_package, data_package_json

ROOT = Path(__file__).resolve().parents[1]
PROCESSED = ROOT / "data" / "processed" / "cremasco_2019"
REGISTER = ROOT / "data" / "raw" / "cremasco_2019" / "register.csv"


@pytest.fixture
def package(tmp_path, config) -> Path:
    """The committed 2019 tables and their datapackage.json in a folder of their own."""
    for table in PROCESSED.glob("*.csv"):
        shutil.copy2(table, tmp_path / table.name)
    register = read_register(REGISTER)
    path = tmp_path / "datapackage.json"
    path.write_text(data_package_json(data_package("cremasco_2019", config, register)), encoding="utf-8")
    return path


def test_the_committed_tables_validate_against_their_description(package):
    report = validate(str(package))
    assert report.valid, [e.message for task in report.tasks for e in task.errors][:5]


def test_every_processed_table_is_described_with_its_key_and_types(package, config):
    import json

    descriptor = json.loads(package.read_text(encoding="utf-8"))
    resources = {r["path"]: r for r in descriptor["resources"]}
    assert set(resources) == {f"{t.name}.csv" for t in catalogue.PROCESSED_TABLES}
    comuni = resources["comuni.csv"]["schema"]
    assert comuni["primaryKey"] == ["codice_istat"]
    types = {f["name"]: f["type"] for f in comuni["fields"]}
    assert (types["codice_istat"], types["popolazione"], types["densita"], types["proprietario_sap"]) == (
        "string",
        "integer",
        "number",
        "boolean",
    )
    assert resources["a_patrimonio.csv"]["title"] == "a) Consistenza del patrimonio"
    assert len(descriptor["sources"]) == 17 and descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["created"] == "2019-06-25T12:00:00Z"
    assert data_package_json(data_package("cremasco_2019", config, [])) == data_package_json(
        data_package("cremasco_2019", config, [])
    )


def test_a_wrong_cell_fails_validation(package):
    comuni = package.parent / "comuni.csv"
    comuni.write_text(comuni.read_text(encoding="utf-8").replace(",34264,", ",34.264 ab,"), encoding="utf-8")
    report = validate(str(package))
    assert not report.valid
    assert any(e.type == "type-error" for task in report.tasks for e in task.errors)


def test_the_register_reaches_the_tables_stage_unchanged(tmp_path):
    """The inputs stage copies the register to data/interim/<plan>/registro.csv (only it reads data/raw)."""
    rows = read_register(REGISTER)
    copied = tmp_path / "registro.csv"
    copied.write_text(register_csv(rows), encoding="utf-8")
    assert read_register_rows(copied) == sorted(rows, key=lambda r: r["file"])


def test_the_committed_description_is_the_pipelines_and_validates(config):
    """data/processed/cremasco_2019/datapackage.json, written by rule tables, beside the committed tables."""
    committed = PROCESSED / "datapackage.json"
    register = read_register(REGISTER)
    assert committed.read_text(encoding="utf-8") == data_package_json(data_package("cremasco_2019", config, register))
    report = validate(str(committed))
    assert report.valid, [e.message for task in report.tasks for e in task.errors][:5]
