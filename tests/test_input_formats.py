"""The good 2019 inputs in every supported format give byte-identical processed tables.

Variants of the platform extracts (data/raw/cremasco_2019/piattaforma) and the reference
tables (data/raw/cremasco_2019/riferimenti), each built through the real workflow in a
copy of the project and compared with the committed data/processed/cremasco_2019/*.csv:

  utf8_punto_e_virgola   the files as they are (UTF-8, `;`)
  cp1252_italiano        Windows-1252, `;`, CRLF, Italian decimals (202,94) and thousands (1.006)
  utf8_bom_virgola       UTF-8 with BOM, `,` separators, cells quoted where needed
  xlsx                   every platform extract as a one-sheet .xlsx (numbers as numbers, unit codes
                         as text cells), plans/cremasco_2019.yaml pointing at the workbooks

Numbers are rewritten only in the columns the schema types as integer or number:
unit codes and ISTAT codes stay as written. New file names are registered with
the source fields of the file they replace.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook

from inputs_support import (
    CHILD_ENV,
    PLAN_FILE,
    PLATFORM,
    PROCESSED,
    RAW,
    ROOT,
    copy_project,
    read_rows,
    register_renamed,
    replace_text,
    run_snakemake,
    write_rows,
)
from pianoabitativo.inputs.grid import normalise_header
from pianoabitativo.inputs.load import SCHEMA_DIR
from pianoabitativo.inputs.register import update_checksums
from pianoabitativo.inputs.schema import load_schema, read_table

CONVERTED = ("piattaforma", "riferimenti")
COMMITTED = ROOT / PROCESSED


def input_keys() -> dict[str, str]:
    """File (relative to data/raw/cremasco_2019) -> input key, from plans/cremasco_2019.yaml."""
    config = yaml.safe_load((ROOT / PLAN_FILE).read_text(encoding="utf-8"))
    return {entry if isinstance(entry, str) else entry["file"]: key for key, entry in config["dati"].items()}


def column_types(rel: str) -> list[str]:
    """The schema type of each column of a raw CSV, in the file's order ("text" for unknown columns)."""
    schema = load_schema(SCHEMA_DIR / f"{input_keys()[rel]}.yaml")
    by_header = {k: c.type for c in schema.columns for k in c.keys()}
    header = read_rows(ROOT / RAW / rel)[0]
    return [by_header.get(normalise_header(h), "text") for h in header]


def converted_files() -> list[str]:
    return sorted(
        p.relative_to(ROOT / RAW).as_posix() for folder in CONVERTED for p in (ROOT / RAW / folder).glob("*.csv")
    )


def italian(value: str, kind: str) -> str:
    """'1006' -> '1.006'; '202.94' -> '202,94'; '1234.5' -> '1.234,5' (numbers only; text unchanged)."""
    if kind not in ("integer", "number") or not value:
        return value
    whole, _, decimals = value.partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    text = sign + ".".join([digits, *groups])
    return text + ("," + decimals if decimals else "")


def cell_value(value: str, kind: str):
    """A CSV cell as an .xlsx cell: numbers as numbers, everything else (codes too) as text, empty as empty."""
    if value == "":
        return None
    if kind == "integer":
        return int(value)
    if kind == "number":
        return float(value)
    return value


# --- variants: each rewrites the files of a fresh project copy -------------------------------


def utf8_as_is(tmp: Path) -> None:
    return None


def cp1252_italian(tmp: Path) -> None:
    for rel in converted_files():
        kinds = column_types(rel)
        rows = read_rows(tmp / RAW / rel)
        rows = [rows[0]] + [[italian(v, k) for v, k in zip(row, kinds)] for row in rows[1:]]
        buffer = io.StringIO(newline="")
        csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
        (tmp / RAW / rel).write_bytes(buffer.getvalue().encode("cp1252"))
    update_checksums(tmp / RAW)


def utf8_bom_comma(tmp: Path) -> None:
    for rel in converted_files():
        write_rows(tmp / RAW / rel, read_rows(tmp / RAW / rel), delimiter=",", bom=True)
    update_checksums(tmp / RAW)


def xlsx_workbooks(tmp: Path) -> None:
    renames = {}
    for rel in converted_files():
        if not rel.startswith("piattaforma/"):
            continue
        kinds = column_types(rel)
        rows = read_rows(tmp / RAW / rel)
        book = Workbook()
        sheet = book.active
        sheet.title = "Foglio1"
        sheet.append(rows[0])
        for row in rows[1:]:
            sheet.append([cell_value(v, k) for v, k in zip(row, kinds)])
        new = Path(rel).with_suffix(".xlsx").as_posix()
        book.save(tmp / RAW / new)
        (tmp / RAW / rel).unlink()
        key = input_keys()[rel]
        # one input names its sheet, the others are read from the first sheet
        entry = f"{{file: {new}, sheet: Foglio1}}" if key == "patrimonio" else new
        replace_text(tmp / PLAN_FILE, f"  {key}: {rel}\n", f"  {key}: {entry}\n")
        renames[rel] = new
    register_renamed(tmp / RAW, renames)


VARIANTS = {
    "utf8_punto_e_virgola": utf8_as_is,
    "cp1252_italiano": cp1252_italian,
    "utf8_bom_virgola": utf8_bom_comma,
    "xlsx": xlsx_workbooks,
}


def test_variants_really_differ(tmp_path):
    """Guard against a converter that silently writes the original bytes."""
    a = copy_project(tmp_path / "a")
    b = copy_project(tmp_path / "b")
    cp1252_italian(a)
    utf8_bom_comma(b)
    patrimonio = (a / PLATFORM / "patrimonio_enti.csv").read_bytes()
    assert b"1.006;997" in patrimonio and b"\r\n" in patrimonio
    assert "unità".encode("cp1252") in patrimonio
    assert b"202,94" in (a / RAW / "riferimenti/densita_medie_riferimento.csv").read_bytes()
    assert (a / PLATFORM / "unita_abitative.csv").read_bytes().count(b"3155982") == 1  # codes untouched
    assert (
        (b / PLATFORM / "patrimonio_enti.csv")
        .read_bytes()
        .startswith(b"\xef\xbb\xbfRagione Sociale Ente Proprietario,")
    )


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.workflow
def test_every_format_gives_the_committed_tables(tmp_path, variant):
    tmp = copy_project(tmp_path)
    VARIANTS[variant](tmp)
    result = run_snakemake(tmp, f"{PROCESSED}/cifre_chiave.csv")
    assert result.returncode == 0, result.stdout + result.stderr
    built = {p.name: p.read_bytes() for p in sorted((tmp / PROCESSED).glob("*.csv"))}
    committed = {p.name: p.read_bytes() for p in sorted(COMMITTED.glob("*.csv"))}
    assert sorted(built) == sorted(committed)
    for name, data in committed.items():
        got = built[name]
        if variant == "xlsx" and name == "verifiche.csv":
            # the checks name the file they found something in: the same rows, now in the workbooks
            got = got.replace(b".xlsx", b".csv")
        assert got == data, f"{name} differs in variant {variant}"


# --- the reader on its own (in-process, fast) ------------------------------------------------


def read(path: Path, key: str, sheet: str | None = None):
    return read_table(path, load_schema(SCHEMA_DIR / f"{key}.yaml"), path.name, sheet)


@pytest.mark.parametrize(
    "rows, expected",
    [
        (["Provincia di Cremona;202,94", "Città metropolitana;1.006"], 1006.0),  # Italian file: 1.006 is a thousand
        (["Provincia di Cremona;202.94", "Città metropolitana;1.006"], 1.006),  # machine file: a decimal point
        (["Provincia di Cremona;1.234,5", "Città metropolitana;1.006"], 1006.0),
        (["Città metropolitana;1.006", "Regione Lombardia;419"], 1.006),  # nothing tells: a lone dot is decimal
    ],
)
def test_a_number_reads_as_the_rest_of_its_file(tmp_path, rows, expected):
    path = tmp_path / "densita.csv"
    path.write_text("Territorio;Densità (ab/km²)\n" + "\n".join(rows) + "\n", encoding="utf-8")
    frame = read(path, "densita_riferimento").frame
    assert frame.loc[frame["territorio"] == "Città metropolitana", "densita"].item() == expected


def test_separators_quoting_and_workbooks_read_alike(tmp_path):
    rows = read_rows(ROOT / RAW / "piattaforma/patrimonio_enti.csv")
    variants = {}
    for name, delimiter, quoting in (
        ("tab", "\t", csv.QUOTE_MINIMAL),
        ("quoted", ",", csv.QUOTE_ALL),
        ("semicolon", ";", csv.QUOTE_NONNUMERIC),
    ):
        buffer = io.StringIO(newline="")
        csv.writer(buffer, delimiter=delimiter, quoting=quoting, lineterminator="\r\n").writerows(rows)
        (tmp_path / f"{name}.csv").write_text(buffer.getvalue(), encoding="utf-8")
        variants[name] = tmp_path / f"{name}.csv"
    book = Workbook()
    sheet = book.active
    sheet.title = "Patrimonio"
    for row in rows:  # integers stored as floats, as some spreadsheets do
        sheet.append([float(v) if v.isdigit() else v for v in row])
    book.create_sheet("Note").append(["esportato dalla piattaforma"])
    book.save(tmp_path / "patrimonio.xlsx")
    reference = read(ROOT / RAW / "piattaforma/patrimonio_enti.csv", "patrimonio")
    tables = {name: read(path, "patrimonio") for name, path in variants.items()}
    tables["xlsx"] = read(tmp_path / "patrimonio.xlsx", "patrimonio", sheet="Patrimonio")
    for name, table in tables.items():
        assert table.frame.equals(reference.frame), name
        assert table.declared_totals == reference.declared_totals, name
        assert table.rows == reference.rows, name


@pytest.mark.workflow
def test_docs_inputs_is_up_to_date():
    """docs/inputs.md lists the schemas and cross-checks as they are (regenerate: scripts/document_inputs.py)."""
    result = subprocess.run(
        [sys.executable, "scripts/document_inputs.py", "--check"],
        cwd=ROOT,
        env=CHILD_ENV,
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
