"""The data register: where every raw file came from, how sure it is, and its sha256.

`data/raw/<plan>/register.csv` has one row per raw file, with Italian column names (`COLUMNS`: file,
descrizione, fonte, fonte_breve, data_riferimento, come_ottenuto, affidabilita, note, licenza, sha256).
The pipeline refuses to run on a file that is not registered or whose bytes changed since it was
registered; `python -m pianoabitativo.inputs.register data/raw/<plan>` records the new checksums after
the staff have replaced a file (and updated its source), and rewrites a register written before in
Italian: the English headers (`reference_date`, `certainty`, …) and the English reliability values
(`CONFIRMED`, `as printed`, …) are declared aliases (`RegisterColumn.aliases`, `CERTAINTY_ALIASES`),
read as they are until then.

In code the columns keep English keys (`row["source"]`, `row["certainty"]`); only the file speaks Italian.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..core.errors import Problem, problem_lines, wrapped
from ..core.files import sha256_file, write_text_atomically


@dataclass(frozen=True)
class RegisterColumn:
    key: str  # the name in code
    header: str  # the header written in the file (Italian)
    meaning: str  # what the staff write in it (Italian: messages, docs/inputs.md)
    aliases: tuple[str, ...] = ()  # other headers read as this column (the English ones of old registers)
    required: bool = True  # must be in the header (the optional ones came later)
    filled: bool = False  # a registered file's cell must not be empty


COLUMNS: tuple[RegisterColumn, ...] = (
    RegisterColumn("file", "file", "il percorso del file, relativo alla cartella del piano", filled=True),
    RegisterColumn("description", "descrizione", "che cosa contiene il file", ("description",)),
    RegisterColumn(
        "source", "fonte", "da dove vengono i dati: ente, pubblicazione, indirizzo", ("source",), filled=True
    ),
    RegisterColumn(
        "short_source",
        "fonte_breve",
        "la fonte in poche parole, come la cita il piano nelle «Fonti dei dati» (vuota: il piano cita la «fonte»)",
        ("short_source",),
        required=False,
    ),
    RegisterColumn(
        "reference_date",
        "data_riferimento",
        "la data a cui si riferiscono i dati (AAAA-MM-GG o GG/MM/AAAA), non quella in cui il file è stato scaricato",
        ("reference_date", "data di riferimento"),
        filled=True,
    ),
    RegisterColumn(
        "how_obtained",
        "come_ottenuto",
        "come il file è stato ottenuto (esportato dalla piattaforma, scaricato, copiato, trascritto a mano…)",
        ("how_obtained",),
        filled=True,
    ),
    RegisterColumn(
        "certainty",
        "affidabilita",
        "quanto sono sicuri i dati: «certo», «come pubblicato», «ricostruito», "
        "«non verificato» o «inventato»; se una colonna fa eccezione: «certo; colonna: valore»",
        ("certainty", "affidabilità"),
        filled=True,
    ),
    RegisterColumn(
        "notes", "note", "spiegazioni libere sulla provenienza e l'affidabilità", ("notes", "nota"), required=False
    ),
    RegisterColumn("licence", "licenza", "la licenza d'uso dei dati", ("licence", "license")),
    RegisterColumn("sha256", "sha256", "l'impronta del file, scritta dal comando di registrazione", ("checksum",)),
)
COLUMN_KEYS = [c.key for c in COLUMNS]
NOT_DATA = {"register.csv"}

# affidabilita: value -> what it means (docs, messages), and how the plan's «Fonti dei dati» says it of
# a file's data («dati … verificati sulla fonte») and of one column («il dato è ricostruito, …»)
CERTAINTY: dict[str, tuple[str, str, str]] = {
    "certo": ("verificato sulla fonte originale", "verificati sulla fonte", "verificato sulla fonte"),
    "come pubblicato": (
        "trascritto da un atto pubblicato, come vi è stampato, senza altra verifica",
        "riportati come pubblicati, senza altra verifica",
        "riportato come pubblicato, senza altra verifica",
    ),
    "ricostruito": (
        "dedotto o ricostruito da chi ha preparato il file, non trovato in una fonte",
        "ricostruiti, non tratti da una fonte",
        "ricostruito, non tratto da una fonte",
    ),
    "non verificato": (
        "preso da una fonte che non è stato possibile controllare su una fonte indipendente",
        "non verificati su una fonte indipendente",
        "non verificato su una fonte indipendente",
    ),
    "inventato": (
        "dati inventati, solo per le prove del programma",
        "inventati per le prove del programma",
        "inventato per le prove del programma",
    ),
}
# the values of registers written before (English, or the fixtures' phrase), read as the Italian ones
CERTAINTY_ALIASES: dict[str, str] = {
    **{value: value for value in CERTAINTY},
    "certain": "certo",
    "confirmed": "certo",
    "verificato": "certo",
    "confermato": "certo",
    "as printed": "come pubblicato",
    "as published": "come pubblicato",
    "come stampato": "come pubblicato",
    "inferred": "ricostruito",
    "reconstructed": "ricostruito",
    "dedotto": "ricostruito",
    "not verified": "non verificato",
    "unverified": "non verificato",
    "invented": "inventato",
    "dati inventati per i test": "inventato",
    "dati inventati": "inventato",
}


@dataclass(frozen=True)
class Certainty:
    """An «affidabilita» cell read: the value for the whole file, the columns that differ, the rest as a note."""

    value: str
    columns: dict[str, str] = field(default_factory=dict)
    note: str = ""

    def text(self) -> str:
        """The cell as the register writes it: «certo», «certo; sub_ambito: ricostruito»."""
        return "; ".join([self.value, *(f"{column}: {value}" for column, value in self.columns.items())])


def _leading_value(text: str) -> tuple[str | None, str]:
    """(value, rest) when the text starts with an allowed value or one of its aliases; (None, text) if not."""
    plain = " ".join(text.split())
    low = plain.lower()
    for alias in sorted(CERTAINTY_ALIASES, key=len, reverse=True):
        if low.startswith(alias) and (len(low) == len(alias) or not low[len(alias)].isalnum()):
            return CERTAINTY_ALIASES[alias], plain[len(alias) :].strip(" :,.-–—")
    return None, text


def parse_certainty(text: str) -> Certainty | None:
    """«certo», «certo; sub_ambito: ricostruito», or an old register's «CONFIRMED: …» (the rest kept as a
    note); None when the cell does not start with an allowed value."""
    segments = [s.strip() for s in text.split(";")]
    value, rest = _leading_value(segments[0])
    if value is None:
        return None
    columns, notes = {}, [rest]
    for segment in segments[1:]:
        name, colon, judged = segment.partition(":")
        judged_value, judged_rest = _leading_value(judged) if colon else (None, "")
        if judged_value and not judged_rest and re.fullmatch(r"[\w.-]+", name.strip()):
            columns[name.strip()] = judged_value
        else:
            notes.append(segment)
    return Certainty(value, columns, "; ".join(n for n in notes if n))


def reference_day(text: str) -> dt.date | None:
    """A «data_riferimento»: 2019-06-25 or 25/06/2019; None if it is neither."""
    for form in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text.strip(), form).date()
        except ValueError:
            pass
    return None


def _plain(name: str) -> str:
    """A header compared as a name: case, accents, spaces and punctuation do not count."""
    decomposed = unicodedata.normalize("NFKD", name)
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in decomposed if not unicodedata.combining(c)).lower())


_KEY_OF_HEADER = {_plain(name): c.key for c in COLUMNS for name in (c.header, c.key, *c.aliases)}


def register_encoding(raw: bytes) -> str:
    """«utf-8» or «cp1252» (a register saved by Excel on Windows); UnicodeDecodeError if neither."""
    try:
        raw.decode("utf-8-sig")
        return "utf-8"
    except UnicodeDecodeError:
        raw.decode("cp1252")
        return "cp1252"


def _register_table(path: Path) -> tuple[dict[str, str], list[dict]]:
    """(key -> header as written, rows by key). A header of an old register (English) is read as its
    Italian column; a column the register does not know keeps its own header; a short row's missing
    fields read as empty text (never None), cells beyond the header are dropped."""
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig" if register_encoding(raw) == "utf-8" else "cp1252")
    reader = csv.reader(io.StringIO(text, newline=""))
    written = next(reader, [])
    keys: list[str] = []
    for cell in written:
        key = _KEY_OF_HEADER.get(_plain(cell), cell)
        keys.append(cell if key in keys else key)  # a second column of one meaning stays as written
    rows = [dict(zip(keys, record + [""] * (len(keys) - len(record)))) for record in reader if record]
    return dict(zip(keys, written)), rows


def read_register(path: Path) -> list[dict]:
    """The register's rows, by the columns' keys in code (UTF-8, or Windows-1252 as Excel saves it).
    UnicodeDecodeError for bytes valid in neither."""
    return _register_table(path)[1]


def inside(name: str) -> bool:
    """Is a registered name a plain relative path inside the raw folder (no «..», not absolute)?"""
    pure = PurePosixPath(name)
    return (
        bool(name)
        and not pure.is_absolute()
        and ".." not in pure.parts
        and "\\" not in name
        and not name.startswith("~")
    )


def data_files(raw_dir: Path, register_name: str = "register.csv") -> list[str]:
    """Every file under the plan's raw folder that must be registered (docs and the register excluded)."""
    not_data = NOT_DATA | {register_name}
    return sorted(
        p.relative_to(raw_dir).as_posix()
        for p in raw_dir.rglob("*")
        if p.is_file()
        and p.relative_to(raw_dir).as_posix() not in not_data
        and p.name not in NOT_DATA
        and p.suffix != ".md"
    )


def header_meaning(key: str) -> str:
    return next(c.meaning for c in COLUMNS if c.key == key)


def _cell_problems(display: str, row: dict, i: int, header: dict[str, str]) -> list[Problem]:
    """Empty provenance, a date that is not a date, a reliability that is not one of the allowed values."""
    problems = []
    for column in COLUMNS:
        if column.filled and column.key != "file" and not row[column.key].strip():
            problems.append(
                Problem(display, "campo obbligatorio vuoto", row=i, column=header[column.key], expected=column.meaning)
            )
    date = row["reference_date"].strip()
    if date and reference_day(date) is None:
        problems.append(
            Problem(
                display,
                "data di riferimento non valida",
                row=i,
                column=header["reference_date"],
                expected="una data come 2019-06-25 o 25/06/2019",
                found=date,
            )
        )
    certainty = row["certainty"].strip()
    if certainty and parse_certainty(certainty) is None:
        problems.append(
            Problem(
                display,
                "affidabilità non riconosciuta",
                row=i,
                column=header["certainty"],
                expected=header_meaning("certainty"),
                found=certainty if len(certainty) <= 40 else certainty[:40] + "…",
            )
        )
    return problems


def register_problems(raw_dir: Path, register_name: str = "register.csv") -> list[Problem]:
    reg_path = raw_dir / register_name
    display = reg_path.as_posix()
    headers = ", ".join(c.header for c in COLUMNS if c.required)
    if not reg_path.exists():
        return [Problem(display, "registro dei dati mancante", expected="un file con le colonne " + headers)]
    try:
        header, rows = _register_table(reg_path)
    except (UnicodeDecodeError, csv.Error) as err:
        return [
            Problem(
                display,
                f"registro dei dati illeggibile ({type(err).__name__})",
                expected="un file CSV in UTF-8 (o Windows-1252) separato da virgole",
            )
        ]
    problems = []
    missing_cols = [c.header for c in COLUMNS if c.required and rows and c.key not in header]
    if missing_cols:
        return [
            Problem(
                display,
                "colonne mancanti nel registro: " + ", ".join(missing_cols),
                expected=headers,
                found=", ".join(header.values()),
            )
        ]
    header = {c.key: header.get(c.key, c.header) for c in COLUMNS} | header
    for row in rows:
        for column in COLUMNS:
            row.setdefault(column.key, "")
    registered = {}
    for i, row in enumerate(rows, start=2):
        name = row["file"].strip()
        if not name:
            problems.append(
                Problem(
                    display,
                    "campo obbligatorio vuoto",
                    row=i,
                    column=header["file"],
                    expected="il percorso del file, relativo alla cartella del piano",
                )
            )
            continue
        if name in registered:
            problems.append(
                Problem(
                    display,
                    f"il file «{name}» è registrato due volte",
                    row=i,
                    column=header["file"],
                    expected=f"una sola riga per file (c'è già la riga {registered[name]})",
                )
            )
            continue
        registered[name] = i
        if not inside(name):
            problems.append(
                Problem(
                    display,
                    f"il file «{name}» è fuori dalla cartella dei dati del piano",
                    row=i,
                    column=header["file"],
                    expected="un percorso relativo alla cartella del piano, senza «..»",
                )
            )
            continue
        path = raw_dir / name
        problems += _cell_problems(display, row, i, header)
        command = register_command(raw_dir)
        if not path.is_file():
            problems.append(
                Problem(display, f"il file registrato «{row['file']}» non esiste", row=i, column=header["file"])
            )
        elif not row["sha256"].strip():
            problems.append(
                Problem(
                    display,
                    f"checksum del file «{row['file']}» non ancora registrato: eseguire " + command,
                    row=i,
                    column=header["sha256"],
                    expected="lo sha256 del file",
                )
            )
        elif sha256_file(path) != row["sha256"].strip():
            problems.append(
                Problem(
                    display,
                    f"il file «{row['file']}» è cambiato dopo la registrazione: aggiornare "
                    "fonte e data nel registro, poi eseguire " + command,
                    row=i,
                    column=header["sha256"],
                    expected=row["sha256"],
                    found=sha256_file(path),
                )
            )
    for name in data_files(raw_dir, register_name):
        if name not in registered:
            problems.append(
                Problem(
                    display,
                    f"il file «{name}» non è nel registro dei dati",
                    expected="una riga per ogni file di data/raw",
                )
            )
    return problems


def register_command(raw_dir: Path) -> str:
    """The command that records a plan's checksums, as the staff type it (make registra, in the Makefile)."""
    return f"`make registra PIANO={raw_dir.name}`"


def register_csv(rows: list[dict]) -> str:
    """The register's rows as CSV text, sorted by file, under the Italian headers in their order (columns the
    staff added are kept, after them, with their own headers)."""
    extra = [k for row in rows for k in row if k not in COLUMN_KEYS]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    keys = COLUMN_KEYS + list(dict.fromkeys(extra))
    writer.writerow([c.header for c in COLUMNS] + keys[len(COLUMNS) :])
    writer.writerows([row.get(k, "") for k in keys] for row in sorted(rows, key=lambda r: r["file"]))
    return buffer.getvalue()


def write_register(path: Path, rows: list[dict]) -> None:
    write_text_atomically(path, register_csv(rows))


def in_italian(row: dict) -> dict:
    """A row with an old register's reliability value («CONFIRMED: …», «as printed; …») written as the
    Italian value, the rest of the cell moved to «note»; a row already in Italian (or not understood) as it is."""
    judged = parse_certainty(row.get("certainty", ""))
    if judged is None or judged.text() == row["certainty"]:
        return row
    notes = "; ".join(n for n in (row.get("notes", "").strip(), judged.note) if n)
    return {**row, "certainty": judged.text(), "notes": notes}


def update_checksums(raw_dir: Path, register_name: str = "register.csv") -> list[str]:
    """Record the current sha256 of every registered file, the register written in Italian (an old register's
    English headers and values converted); return the files whose checksum changed."""
    path = raw_dir / register_name
    rows = [in_italian(row) for row in read_register(path)]
    changed = []
    for row in rows:
        name = row["file"].strip()
        target = raw_dir / name
        if (
            name
            and inside(name)
            and not target.is_symlink()
            and target.is_file()
            and sha256_file(target) != row.get("sha256", "")
        ):
            row["sha256"] = sha256_file(target)
            changed.append(row["file"])
    write_register(path, rows)
    return changed


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(
            "uso: make registra PIANO=<piano>  (oppure python -m pianoabitativo.inputs.register data/raw/<piano>)",
            file=sys.stderr,
        )
        return 2
    raw_dir = Path(argv[0])
    register = raw_dir / "register.csv"
    if not register.is_file():
        print(f"registro dei dati mancante: {register.as_posix()}", file=sys.stderr)
        return 1
    try:
        encoding = register_encoding(register.read_bytes())
        header = _register_table(register)[0]
        changed = update_checksums(raw_dir)
    except UnicodeDecodeError as err:
        print(
            f"{register.as_posix()}: registro dei dati illeggibile (byte 0x{err.object[err.start]:02x} non valido "
            "né in UTF-8 né in Windows-1252); atteso: un file CSV in UTF-8 separato da virgole",
            file=sys.stderr,
        )
        return 1
    except csv.Error as err:
        print(
            f"{register.as_posix()}: registro dei dati illeggibile ({err}); atteso: un file CSV in UTF-8 separato "
            "da virgole",
            file=sys.stderr,
        )
        return 1
    if encoding != "utf-8":
        print(f"registro convertito da Windows-1252 in UTF-8: {register.as_posix()}")
    if any(header.get(c.key, c.header) != c.header for c in COLUMNS):
        print(f"registro riscritto in italiano: {register.as_posix()}")
    if not changed:
        print("checksum aggiornati: nessuno")
    else:
        shown = ", ".join(changed[:3]) + (f" e altri {len(changed) - 3}" if len(changed) > 3 else "")
        print("\n".join(wrapped(f"checksum aggiornati ({len(changed)} file): {shown}", "", "  ")))
    problems = [p for p in register_problems(raw_dir) if p.column != "sha256"]
    if problems:  # rows the staff still have to write by hand
        print("\n".join(problem_lines(problems)), file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    from ..core.runner import run_step

    raise SystemExit(run_step(lambda: main(sys.argv[1:]), "registro dei dati", commit_together=False))
