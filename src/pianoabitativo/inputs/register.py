"""The data register: where every raw file came from, and its sha256.

`data/raw/<year>/register.csv` has one row per raw file. The pipeline refuses
to run on a file that is not registered or whose bytes changed since it was
registered; `python -m pianoabitativo.inputs.register data/raw/<year>` records the new
checksums after the staff have replaced a file (and updated its source).
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path, PurePosixPath

from ..core.errors import DataError, Problem, problem_lines, wrapped
from ..core.files import sha256_file, write_text_atomically

COLUMNS = ["file", "description", "source", "reference_date", "how_obtained", "certainty", "licence", "sha256"]
NOT_DATA = {"register.csv"}


def register_encoding(raw: bytes) -> str:
    """«utf-8» or «cp1252» (a register saved by Excel on Windows); UnicodeDecodeError if neither."""
    try:
        raw.decode("utf-8-sig")
        return "utf-8"
    except UnicodeDecodeError:
        raw.decode("cp1252")
        return "cp1252"


def read_register(path: Path) -> list[dict]:
    """The register's rows (UTF-8, or Windows-1252 as Excel saves it); a short row's missing fields read as
    empty text (never None). UnicodeDecodeError for bytes valid in neither."""
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig" if register_encoding(raw) == "utf-8" else "cp1252")
    rows = list(csv.DictReader(io.StringIO(text, newline=""), restval=""))
    for row in rows:
        row.pop(None, None)  # cells beyond the header
    return rows


def inside(name: str) -> bool:
    """Is a registered name a plain relative path inside the raw folder (no «..», not absolute)?"""
    pure = PurePosixPath(name)
    return bool(name) and not pure.is_absolute() and ".." not in pure.parts and "\\" not in name \
        and not name.startswith("~")


def data_files(raw_dir: Path, register_name: str = "register.csv") -> list[str]:
    """Every file under the year's raw folder that must be registered (docs and the register excluded)."""
    not_data = NOT_DATA | {register_name}
    return sorted(p.relative_to(raw_dir).as_posix() for p in raw_dir.rglob("*")
                  if p.is_file() and p.relative_to(raw_dir).as_posix() not in not_data and p.name not in NOT_DATA
                  and p.suffix != ".md")


def register_problems(raw_dir: Path, register_name: str = "register.csv") -> list[Problem]:
    reg_path = raw_dir / register_name
    display = reg_path.as_posix()
    if not reg_path.exists():
        return [Problem(display, "registro dei dati mancante", expected="un file con le colonne " + ", ".join(COLUMNS))]
    try:
        rows = read_register(reg_path)
    except (UnicodeDecodeError, csv.Error) as err:
        return [Problem(display, f"registro dei dati illeggibile ({type(err).__name__})",
                        expected="un file CSV in UTF-8 (o Windows-1252) separato da virgole")]
    problems = []
    header = list(rows[0].keys()) if rows else []
    missing_cols = [c for c in COLUMNS if rows and c not in header]
    if missing_cols:
        return [Problem(display, "colonne mancanti nel registro", expected=", ".join(COLUMNS),
                        found=", ".join(header))]
    registered = {}
    for i, row in enumerate(rows, start=2):
        name = row["file"].strip()
        if not name:
            problems.append(Problem(display, "campo obbligatorio vuoto", row=i, column="file",
                                    expected="il percorso del file, relativo alla cartella dell'anno"))
            continue
        if name in registered:
            problems.append(Problem(display, f"il file «{name}» è registrato due volte", row=i, column="file",
                                    expected=f"una sola riga per file (c'è già la riga {registered[name]})"))
            continue
        registered[name] = i
        if not inside(name):
            problems.append(Problem(display, f"il file «{name}» è fuori dalla cartella dei dati del piano", row=i,
                                    column="file", expected="un percorso relativo alla cartella del piano, senza «..»"))
            continue
        path = raw_dir / name
        for col in ("source", "reference_date", "how_obtained", "certainty"):
            if not row[col].strip():
                problems.append(Problem(display, "campo obbligatorio vuoto", row=i, column=col,
                                        expected="la provenienza del file"))
        if not path.is_file():
            problems.append(Problem(display, f"il file registrato «{row['file']}» non esiste", row=i, column="file"))
        elif not row["sha256"].strip():
            problems.append(Problem(display, f"checksum non ancora registrato: eseguire {register_command(raw_dir)}",
                                    row=i, column="sha256", expected=f"lo sha256 del file «{row['file']}»"))
        elif sha256_file(path) != row["sha256"].strip():
            problems.append(Problem(display, f"il file «{row['file']}» è cambiato dopo la registrazione: aggiornare "
                                    f"fonte e data nel registro, poi eseguire {register_command(raw_dir)}",
                                    row=i, column="sha256", expected=row["sha256"], found=sha256_file(path)))
    for name in data_files(raw_dir, register_name):
        if name not in registered:
            problems.append(Problem(display, f"il file «{name}» non è nel registro dei dati",
                                    expected="una riga per ogni file di data/raw"))
    return problems


def register_command(raw_dir: Path) -> str:
    """The command that records a plan's checksums, as the staff type it (make registra, in the Makefile)."""
    return f"`make registra PIANO={raw_dir.name}`"


def check_register(raw_dir: Path, register_name: str = "register.csv") -> None:
    problems = register_problems(raw_dir, register_name)
    if problems:
        raise DataError(problems)


def register_csv(rows: list[dict]) -> str:
    """The register's rows as CSV text, sorted by file, the register's columns first (columns the staff
    added are kept, after them)."""
    extra = [k for row in rows for k in row if k not in COLUMNS]
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS + list(dict.fromkeys(extra)), restval="",
                            lineterminator="\n")
    writer.writeheader()
    writer.writerows(sorted(rows, key=lambda r: r["file"]))
    return buffer.getvalue()


def write_register(path: Path, rows: list[dict]) -> None:
    write_text_atomically(path, register_csv(rows))


def update_checksums(raw_dir: Path, register_name: str = "register.csv") -> list[str]:
    """Record the current sha256 of every registered file; return the files that changed."""
    path = raw_dir / register_name
    rows = read_register(path)
    changed = []
    for row in rows:
        name = row["file"].strip()
        target = raw_dir / name
        if name and inside(name) and not target.is_symlink() and target.is_file() \
                and sha256_file(target) != row["sha256"]:
            row["sha256"] = sha256_file(target)
            changed.append(row["file"])
    write_register(path, rows)
    return changed


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("uso: make registra PIANO=<piano>  (oppure python -m pianoabitativo.inputs.register "
              "data/raw/<piano>)", file=sys.stderr)
        return 2
    raw_dir = Path(argv[0])
    register = raw_dir / "register.csv"
    if not register.is_file():
        print(f"registro dei dati mancante: {register.as_posix()}", file=sys.stderr)
        return 1
    try:
        encoding = register_encoding(register.read_bytes())
        changed = update_checksums(raw_dir)
    except UnicodeDecodeError as err:
        print(f"{register.as_posix()}: registro dei dati illeggibile (byte 0x{err.object[err.start]:02x} non valido "
              "né in UTF-8 né in Windows-1252); atteso: un file CSV in UTF-8 separato da virgole", file=sys.stderr)
        return 1
    except csv.Error as err:
        print(f"{register.as_posix()}: registro dei dati illeggibile ({err}); atteso: un file CSV in UTF-8 separato "
              "da virgole", file=sys.stderr)
        return 1
    if encoding != "utf-8":
        print(f"registro convertito da Windows-1252 in UTF-8: {register.as_posix()}")
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
