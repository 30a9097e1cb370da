"""Read the tabular files users really have into a grid of strings.

CSV in UTF-8 (with or without BOM) or Windows-1252, separated by `;`, `,` or
tab; `.xlsx` (first sheet or a named one). Everything comes back as text: the
schema (validation.py) decides what each cell must be. Anything unreadable is
a DataError naming the file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import DataError, Problem

DELIMITERS = (";", ",", "\t")


@dataclass
class Grid:
    file: str
    header: list[str]
    rows: list[list[str]]  # rows[i] is spreadsheet row i + 2
    encoding: str
    delimiter: str | None
    other_sheets: list[Grid] = field(default_factory=list)  # a workbook's other sheets, for the privacy guard


def decode_text(raw: bytes, file: str) -> tuple[str, str]:
    """Bytes -> (text, encoding name). UTF-8 (BOM allowed) first, then Windows-1252."""
    if not raw.strip():
        raise DataError([Problem(file, "il file è vuoto", expected="un'intestazione e almeno le righe dei dati")])
    if b"\x00" in raw:
        raise DataError(
            [
                Problem(
                    file,
                    "codifica non riconosciuta (contiene byte nulli: forse UTF-16 o un file binario)",
                    expected="testo CSV in UTF-8 o Windows-1252",
                )
            ]
        )
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as err:
        # the line of the offending byte is the spreadsheet row (quoted line breaks aside)
        row = raw.count(b"\n", 0, err.start) + 1
        line_start = raw.rfind(b"\n", 0, err.start) + 1
        around = raw[max(line_start, err.start - 12) : err.start + 4].split(b"\n")[0]
        raise DataError(
            [
                Problem(
                    file,
                    f"codifica non riconosciuta (byte 0x{raw[err.start]:02x}, non valido "
                    "né in UTF-8 né in Windows-1252)",
                    row=row,
                    expected="testo CSV in UTF-8 o Windows-1252",
                    found=around.decode("cp1252", "replace").strip(),
                )
            ]
        ) from None


def normalise_header(cell: str) -> str:
    """Header cell -> comparable key: case, spaces, line breaks and punctuation ignored."""
    text = " ".join(cell.replace("\ufeff", "").split()).casefold()
    return "".join(ch for ch in text if ch.isalnum() or ch == " ").strip()


def _parse_csv(text: str, delimiter: str) -> list[list[str]]:
    return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def choose_delimiter(text: str, known_headers: set[str]) -> str:
    """The delimiter under which the header row holds most of the columns we know."""

    def score(delim: str) -> tuple[int, int]:
        rows = _parse_csv(text, delim)
        header = rows[0] if rows else []
        known = sum(normalise_header(cell) in known_headers for cell in header)
        return known, len(header)

    return max(DELIMITERS, key=score)


def read_csv_grid(path: Path, known_headers: set[str], display: str) -> Grid:
    text, encoding = decode_text(path.read_bytes(), display)
    delimiter = choose_delimiter(text, known_headers)
    try:
        rows = _parse_csv(text, delimiter)
    except csv.Error as err:  # e.g. a NUL or a quote the csv module cannot place
        raise DataError(
            [Problem(display, f"CSV non leggibile ({err})", expected="testo CSV in UTF-8 o Windows-1252")]
        ) from None
    header, body = rows[0], rows[1:]
    if not any(cell.strip() for cell in header):
        raise DataError([Problem(display, "la prima riga è vuota", expected="una prima riga con i nomi delle colonne")])
    if len(header) == 1 and normalise_header(header[0]) not in known_headers:
        # every input has several columns: one cell means the columns are separated by something else
        raise DataError(
            [
                Problem(
                    display,
                    "separatore delle colonne non riconosciuto (la prima riga è una cella sola)",
                    row=1,
                    expected="colonne separate da «;», «,» o tabulazione",
                    found=header[0][:80],
                )
            ]
        )
    # a spreadsheet shows blank lines too: keep their numbering, skip their content
    body = [row if any(cell.strip() for cell in row) else [] for row in body]
    while body and not body[-1]:
        body.pop()
    return Grid(display, [cell.strip() for cell in header], body, encoding, delimiter)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "X" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_xlsx_grid(path: Path, sheet: str | None, display: str) -> Grid:
    from openpyxl import load_workbook  # imported here: only xlsx inputs need it

    unreadable = DataError(
        [
            Problem(
                display,
                "file Excel illeggibile o troncato",
                expected="una cartella di lavoro .xlsx integra (salvata da Excel o LibreOffice)",
            )
        ]
    )
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - zip, XML and openpyxl errors all mean the same to the user
        raise unreadable from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise DataError(
                [
                    Problem(
                        display,
                        f"il foglio «{sheet}» non esiste",
                        expected="uno dei fogli: " + ", ".join(book.sheetnames),
                    )
                ]
            )
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        values = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        # the other sheets (hidden ones too) are not used, but travel with the file: the privacy guard reads them
        others = []
        for other in book.worksheets:
            if other.title == ws.title or not hasattr(other, "iter_rows"):
                continue
            cells = [[_cell_text(v) for v in row] for row in other.iter_rows(values_only=True)]
            state = " nascosto" if getattr(other, "sheet_state", "visible") != "visible" else ""
            others.append(
                Grid(f"{display}, foglio{state} «{other.title}»", cells[0] if cells else [], cells[1:], "xlsx", None)
            )
    except DataError:
        raise
    except Exception:  # noqa: BLE001 - a sheet that breaks off half way
        raise unreadable from None
    finally:
        book.close()
    if not values or not any(values[0]):
        raise DataError([Problem(display, "il foglio è vuoto", expected="un'intestazione e le righe dei dati")])
    header = values[0]
    while header and header[-1] == "":
        header = header[:-1]
    # cells right of the header are kept: a value there is reported, not silently dropped
    body = [row if any(row) else [] for row in values[1:]]
    while body and not body[-1]:
        body.pop()
    return Grid(display, header, body, "xlsx", None, others)


def read_grid(path: Path, known_headers: set[str], display: str, sheet: str | None = None) -> Grid:
    """Read a CSV or XLSX file into a Grid; DataError for anything we cannot read."""
    if not path.exists():
        raise DataError(
            [Problem(display, "file mancante", expected="il file indicato nel file del piano (plans/<piano>.yaml)")]
        )
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return read_xlsx_grid(path, sheet, display)
    if suffix in (".csv", ".txt"):
        return read_csv_grid(path, known_headers, display)
    raise DataError(
        [
            Problem(
                display,
                f"formato «{suffix or 'senza estensione'}» non supportato",
                expected="un file .csv (UTF-8 o Windows-1252, separato da ; o ,) o .xlsx",
            )
        ]
    )
