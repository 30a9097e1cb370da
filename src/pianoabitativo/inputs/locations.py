"""Where a plan may read from: only registered, regular files inside its own raw folder.

Every path the plan's facts name (plans/<plan>.yaml: each of `inputs`, `boundaries.file`,
`register`) is resolved and must lie inside data/raw/<plan>/ (no «..», no absolute path, no
symbolic link leading out of it), be a regular file and be listed in the data register. Any
symbolic link under data/raw/<plan>/ that leads out of it is refused too.

The inputs stage checks it before opening any file (its validate_inputs job, whichever way the plan
is run, and the pre-flight of `make controlla`), so every way of running the plan gives the same
message and nothing outside the plan's raw folder is ever read; the job's inputs are only the
configured files that are there, inside the folder (`inside_folder`), so that a plan refused for its
paths does not stop Snakemake from building the others.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath

from ..core import paths
from ..core.config import input_entry, plan_file
from ..core.errors import DataError, Problem
from ..core.files import package_file
from ..core.plankeys import italian_path
from .register import read_register

SCHEMA_DIR = package_file("schemas", "inputs")


def configured_files(facts: dict) -> list[tuple[str, str]]:
    """(key in the plan's facts, path relative to the raw folder) for every file the plan reads."""
    entries = [(f"inputs.{key}", str(input_entry(facts, key)[0])) for key in facts.get("inputs", {})]
    entries.append(("boundaries.file", str((facts.get("boundaries") or {}).get("file", ""))))
    entries.append(("register", str(facts.get("register", "register.csv"))))
    return entries


def _leaves(path: Path, root: Path) -> bool:
    """Does `path`, with every symbolic link followed, lie outside `root` (already resolved)?"""
    try:
        path.resolve().relative_to(root)
    except ValueError:
        return True
    return False


def inside_folder(path: str | Path, root: Path) -> bool:
    """Is `path` an existing file inside `root` (already resolved), with every symbolic link followed?"""
    path = Path(path)
    return path.is_file() and not _leaves(path, root)


def _registered_names(raw_dir: Path, register: str) -> set[str] | None:
    """The files the register lists (normalised), or None if it cannot be read (reported elsewhere)."""
    try:
        return {
            PurePosixPath(r["file"].strip()).as_posix() for r in read_register(raw_dir / register) if r["file"].strip()
        }
    except (OSError, ValueError, DataError, KeyError):
        return None


def path_problems(facts: dict, plan: str, raw_dir: Path | None = None) -> list[Problem]:
    """Every configured path that is outside the plan's raw folder, missing, not a file or not registered."""
    raw_dir = Path(raw_dir) if raw_dir is not None else paths.raw_dir(plan)
    facts_file = plan_file(plan).as_posix()
    if not raw_dir.is_dir():
        return [
            Problem(
                raw_dir.as_posix(),
                "cartella dei dati del piano mancante",
                expected="i file di input del piano in data/raw/<piano>/ (piano elencato in config.yaml, "
                "chiave «plans»)",
            )
        ]
    root = raw_dir.resolve()
    outside = f"un percorso relativo dentro {raw_dir.as_posix()}/ (senza «..», senza percorso assoluto)"
    problems: list[Problem] = []
    safe: list[tuple[str, str, Path]] = []
    for key, rel in configured_files(facts):
        name = key.removeprefix("inputs.")
        if key.startswith("inputs.") and not (SCHEMA_DIR / f"{name}.yaml").is_file():
            known = sorted(p.stem for p in SCHEMA_DIR.glob("*.yaml"))
            problems.append(
                Problem(
                    facts_file,
                    f"chiave «{italian_path(key)}»: input sconosciuto (nessuno schema schemas/inputs/{name}.yaml)",
                    expected="uno di: " + ", ".join(known),
                )
            )
            continue
        pure = PurePosixPath(rel)
        if (
            not rel.strip()
            or pure.is_absolute()
            or PureWindowsPath(rel).is_absolute()
            or "\\" in rel
            or ".." in pure.parts
            or rel.startswith("~")
        ):
            problems.append(
                Problem(
                    facts_file,
                    f"chiave «{italian_path(key)}»: percorso fuori dalla cartella dei dati del piano "
                    "(si leggono solo i file registrati di quella cartella)",
                    expected=outside,
                    found=rel,
                )
            )
            continue
        path = raw_dir / pure
        if _leaves(path, root):
            problems.append(
                Problem(
                    path.as_posix(),
                    f"collegamento simbolico che porta fuori dalla cartella dei dati "
                    f"del piano (chiave «{italian_path(key)}» di {facts_file})",
                    expected="un file vero e proprio dentro " + raw_dir.as_posix() + "/",
                )
            )
            continue
        safe.append((key, pure.as_posix(), path))
    for link in sorted(p for p in raw_dir.rglob("*") if p.is_symlink()):
        if _leaves(link, root) and all(link != path for _, _, path in safe):
            problems.append(
                Problem(
                    link.as_posix(),
                    "collegamento simbolico che porta fuori dalla cartella dei dati del piano",
                    expected="solo file veri e propri dentro " + raw_dir.as_posix() + "/",
                )
            )
    register = str(facts.get("register", "register.csv"))
    registered = _registered_names(raw_dir, register) if (raw_dir / register).is_file() else None
    missing = [(key, path) for key, _, path in safe if key != "register" and not path.exists()]
    problems += missing_file_problems(missing, [path for key, _, path in safe if key != "register"], facts_file)
    for key, rel, path in safe:
        if not path.exists():
            if key == "register":
                problems.append(
                    Problem(
                        path.as_posix(),
                        "registro dei dati mancante",
                        expected="il registro indicato in "
                        + facts_file
                        + ", chiave «"
                        + italian_path("register")
                        + "»",
                    )
                )
        elif not path.is_file():
            problems.append(
                Problem(
                    path.as_posix(),
                    "non è un file (è una cartella o un file speciale)",
                    expected=f"il file indicato in {facts_file}, chiave «{italian_path(key)}»",
                )
            )
        elif key != "register" and registered is not None and rel not in registered:
            problems.append(
                Problem(
                    path.as_posix(),
                    f"il file non è nel registro dei dati (chiave «{italian_path(key)}» di "
                    f"{facts_file}): si usano solo file registrati",
                    expected=f"una riga per il file in {(raw_dir / register).as_posix()}",
                )
            )
    return problems


FOLDER_NAMES_SHOWN = 2  # a folder's missing files: the first names, then how many more


def missing_file_problems(missing: list[tuple[str, Path]], configured: list[Path], facts_file: str) -> list[Problem]:
    """The missing files, one problem per folder where several are missing (a plan whose exports have not
    arrived yet: one line per folder, not one per file), one per file where a single one is."""
    by_folder: dict[Path, list[tuple[str, Path]]] = {}
    for key, path in missing:
        by_folder.setdefault(path.parent, []).append((key, path))
    problems = []
    for folder, files in by_folder.items():
        if len(files) == 1:
            key, path = files[0]
            problems.append(
                Problem(
                    path.as_posix(),
                    "file mancante",
                    expected=f"il file indicato in {facts_file}, chiave «{italian_path(key)}»",
                )
            )
            continue
        expected = sum(1 for path in configured if path.parent == folder)
        names = [path.name for _, path in files]
        if len(names) <= FOLDER_NAMES_SHOWN + 1:
            shown = ", ".join(names[:-1]) + " e " + names[-1]
        else:
            shown = ", ".join(names[:FOLDER_NAMES_SHOWN]) + f" e altri {len(names) - FOLDER_NAMES_SHOWN}"
        count = (
            f"mancano tutti i {expected} file attesi"
            if len(files) == expected
            else f"mancano {len(files)} dei {expected} file attesi"
        )
        problems.append(Problem(folder.as_posix() + "/", f"{count} ({shown}, elencati in {facts_file})"))
    return problems
