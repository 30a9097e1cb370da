"""One vocabulary of column types (core/columntypes.py) for the input schemas and the processed tables."""

from __future__ import annotations

import pandas as pd
import yaml

from pianoabitativo import catalogue
from pianoabitativo.core import columntypes
from pianoabitativo.core.files import package_file
from pianoabitativo.core.tableio import csv_text, processed_from_text


def test_every_schema_and_every_processed_table_types_its_columns_from_the_one_vocabulary():
    schemas = sorted(package_file("schemas", "inputs").glob("*.yaml"))
    assert len(schemas) == len(catalogue.INPUTS)
    declared = set()
    for path in schemas:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        declared |= {c.get("type", columntypes.TEXT) for c in spec["columns"] + spec.get("pattern_columns", [])}
        for form in (spec.get("value_rules") or {}).get("rules", {}).values():
            declared.add(form.get("type", columntypes.TEXT))
    assert declared <= set(columntypes.INPUT_TYPES)
    processed = {kind for table in catalogue.PROCESSED_TABLES for _, kind in table.columns}
    assert processed <= set(columntypes.TYPES)
    assert {columntypes.INTEGER, columntypes.NULLABLE_INTEGER, columntypes.FLAG} <= processed


def test_a_processed_table_reads_back_as_it_was_written():
    written = pd.DataFrame(
        {
            "comune": ["Crema", "Soncino"],
            "unita_totali": pd.Series([12, 0], dtype="int64"),
            "quota_base_unita": pd.Series([3, None], dtype="Int64"),
            "soglia_indigenza_pct": [20.5, None],
        }
    )
    text = csv_text(written)
    assert text.splitlines()[1:] == ["Crema,12,3,20.50", "Soncino,0,,"]
    table = catalogue.processed_table("h_i_scelte_per_comune")
    types = table.types
    assert [columntypes.column_type(types[c]).dtype for c in written.columns] == ["object", "int64", "Int64", "float64"]
    read = processed_from_text(text, "h_i_scelte_per_comune")
    pd.testing.assert_frame_equal(read, written)


def test_input_columns_are_held_nullable_and_flags_read_as_written():
    assert columntypes.nullable(columntypes.INTEGER) == columntypes.NULLABLE_INTEGER
    assert columntypes.nullable(columntypes.CODE) == columntypes.CODE
    values = pd.Series([True, None, False], dtype=object)
    flags = columntypes.from_values(values, columntypes.FLAG)
    assert flags.tolist() == [True, False, False] and flags.dtype == bool
    text = pd.Series([columntypes.TRUE, columntypes.FALSE, columntypes.FALSE])
    assert columntypes.from_text(text, columntypes.FLAG).tolist() == [True, False, False]
    assert columntypes.from_values(pd.Series(["019035", None]), columntypes.CODE).tolist() == ["019035", ""]
