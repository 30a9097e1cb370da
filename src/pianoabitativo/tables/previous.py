"""The previous plan's processed tables: where they are, read back typed, and whether they may be compared.

A plan names the plan approved the year before (`previous_plan` in plans/<plan>.yaml). Its tables are
looked for, in this order, in the working tree (data/processed/<previous>/, or built in the same run)
and in its archive (archive/piano_<previous>.tar.gz, members data/processed/<previous>/...). Where
they were found is decided when the workflow is read (`locate_previous`): the files become inputs of
the tables rule and the outcome one of its params, so changing them, or finding them later, reruns it.

The previous plan must be of the same ambito and of the year before: its facts (plans/<previous>.yaml,
in the tree or in the archive) and its datapackage.json (whose keywords name the ambito and the year)
are checked; anything else is refused with a located Italian message.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

import pandas as pd
import yaml

from .. import catalogue
from ..core import paths, plankeys
from ..core.config import plan_file
from ..core.errors import DataError, Problem
from ..core.files import sha256_bytes
from ..core.tableio import processed_from_text

FIRST_PLAN, IN_TREE, IN_ARCHIVE, NOT_FOUND = "primo piano", "cartella", "archivio", "non trovato"
FACTS, PACKAGE, ARCHIVE = "previous_facts", "previous_package", "previous_archive"


@dataclass(frozen=True)
class PreviousSources:
    """Where the previous plan's tables were found (or looked for), decided when the workflow is read."""

    plan: str | None  # None: a first plan
    kind: str  # FIRST_PLAN, IN_TREE, IN_ARCHIVE or NOT_FOUND
    files: dict[str, str] = field(default_factory=dict)  # input name -> path (inputs of the rules)
    looked_for: tuple[str, ...] = ()  # where the tables were looked for, in order

    def param(self) -> dict:
        """What the rules take as a param (a change reruns them)."""
        return {"plan": self.plan, "kind": self.kind, "looked_for": list(self.looked_for)}


def table_input(name: str) -> str:
    return f"previous_{name}"


def locate_previous(facts: dict, plan: str, built: set[str] | frozenset[str] = frozenset()) -> PreviousSources:
    """Where the previous plan's tables are: built in this run or in the tree, else in its archive.

    built: the plans of this run (their tables are outputs of the run, not yet files)."""
    previous = facts.get("previous_plan") or None
    if previous is None:
        return PreviousSources(None, FIRST_PLAN)
    if previous == plan:
        raise DataError(
            [
                Problem(
                    plan_file(plan).as_posix(),
                    "chiave «piano_precedente»: il piano indica se stesso come piano precedente",
                    expected="il piano approvato l'anno prima, o nessuno",
                    found=previous,
                )
            ]
        )
    folder, archive = paths.processed_dir(previous), paths.archive(previous)
    looked_for = (f"{folder}/", archive)
    tables = {table_input(t): paths.processed(previous, t) for t in catalogue.PREVIOUS_PLAN_TABLES}
    if previous in built or all(os.path.isfile(f) for f in tables.values()):
        extra = {
            name: path
            for name, path in ((FACTS, plan_file(previous).as_posix()), (PACKAGE, paths.data_package(previous)))
            if previous in built or os.path.isfile(path)
        }
        return PreviousSources(previous, IN_TREE, {**tables, **extra}, looked_for)
    if os.path.isfile(archive):  # the archive holds the plan's facts and datapackage.json too
        return PreviousSources(previous, IN_ARCHIVE, {ARCHIVE: archive}, looked_for)
    return PreviousSources(previous, NOT_FOUND, {}, looked_for)


@dataclass
class PreviousPlan:
    """The previous plan's tables as read, its year and ambito, and the files read with their sha256."""

    plan: str
    year: int
    ambito: str
    tables: dict[str, pd.DataFrame]
    read: list[tuple[str, str]]  # (path, sha256), in the order read


def _member_reader(archive: str):
    from ..archive.members import ArchiveError, read_members

    try:
        members = read_members(archive)
    except ArchiveError as err:
        raise DataError(
            [
                Problem(
                    archive,
                    f"archivio del piano precedente illeggibile ({err})",
                    expected="l'archivio prodotto da make archive",
                )
            ]
        ) from None
    return members


def read_previous(sources: PreviousSources, files: dict[str, str]) -> PreviousPlan | None:
    """The previous plan's tables (files: the rule's inputs by name); None when there is none to read."""
    if sources.kind not in (IN_TREE, IN_ARCHIVE):
        return None
    previous = sources.plan
    read: list[tuple[str, str]] = []
    if sources.kind == IN_ARCHIVE:
        archive = files[ARCHIVE]
        members = _member_reader(archive)
        read.append((archive, sha256_bytes(open(archive, "rb").read())))

        def content(path: str) -> bytes | None:
            return members.get(path)
    else:

        def content(path: str) -> bytes | None:
            return open(path, "rb").read() if os.path.isfile(path) else None

    tables = {}
    for name in catalogue.PREVIOUS_PLAN_TABLES:
        path = paths.processed(previous, name)
        data = content(path)
        if data is None:
            raise DataError(
                [
                    Problem(
                        files.get(ARCHIVE, path),
                        f"tabella del piano precedente mancante: {path}",
                        expected="le tabelle elaborate del piano precedente",
                    )
                ]
            )
        if sources.kind == IN_TREE:
            read.append((path, sha256_bytes(data)))
        tables[name] = _typed(data, name, path)
    facts_path = plan_file(previous).as_posix()
    facts = content(facts_path) if sources.kind == IN_ARCHIVE else _file_bytes(files.get(FACTS))
    package = content(paths.data_package(previous)) if sources.kind == IN_ARCHIVE else _file_bytes(files.get(PACKAGE))
    year, ambito = previous_identity(previous, facts, package, files.get(ARCHIVE, facts_path))
    return PreviousPlan(previous, year, ambito, tables, read)


def _file_bytes(path: str | None) -> bytes | None:
    return open(path, "rb").read() if path and os.path.isfile(path) else None


def _typed(data: bytes, name: str, path: str) -> pd.DataFrame:
    table = catalogue.processed_table(name)
    try:
        frame = processed_from_text(data.decode("utf-8"), name)
    except (UnicodeDecodeError, ValueError, pd.errors.ParserError) as err:
        raise DataError(
            [
                Problem(
                    path,
                    f"tabella del piano precedente illeggibile ({type(err).__name__})",
                    expected="una tabella elaborata da questo programma",
                )
            ]
        ) from None
    missing = [c for c, _ in table.columns if c not in frame]
    if missing:
        raise DataError(
            [
                Problem(
                    path,
                    "tabella del piano precedente con colonne mancanti",
                    column=missing[0],
                    expected=", ".join(c for c, _ in table.columns),
                )
            ]
        )
    return frame


def previous_identity(previous: str, facts: bytes | None, package: bytes | None, where: str) -> tuple[int, str]:
    """(year, ambito name) of the previous plan, from its facts and its datapackage.json; both must agree."""
    found: list[tuple[str, int, str]] = []  # (file, year, ambito)
    if facts is not None:
        try:
            data = plankeys.to_internal(yaml.safe_load(facts.decode("utf-8")))
            found.append((plan_file(previous).as_posix(), int(data["year"]), str(data["ambito"]["name"])))
        except (yaml.YAMLError, UnicodeDecodeError, KeyError, TypeError, ValueError):
            pass
    if package is not None:
        try:
            keywords = json.loads(package.decode("utf-8"))["keywords"]
            found.append((paths.data_package(previous), int(keywords[-1]), str(keywords[-2])))
        except (ValueError, KeyError, IndexError, TypeError, UnicodeDecodeError):
            pass
    if not found:
        raise DataError(
            [
                Problem(
                    where,
                    f"impossibile stabilire anno e ambito del piano precedente «{previous}»",
                    expected=f"{plan_file(previous).as_posix()} o {paths.data_package(previous)}",
                )
            ]
        )
    file, year, ambito = found[0]
    for other, other_year, other_ambito in found[1:]:
        if (other_year, other_ambito) != (year, ambito):
            raise DataError(
                [
                    Problem(
                        other,
                        f"anno o ambito del piano precedente «{previous}» diversi da quelli di {file}",
                        expected=f"{year}, {ambito}",
                        found=f"{other_year}, {other_ambito}",
                    )
                ]
            )
    return year, ambito


def previous_plan_problems(plan: str, facts: dict, previous: str, year: int, ambito: str) -> list[Problem]:
    """Why the previous plan cannot be compared with this one (another ambito, not an earlier year)."""
    file = plan_file(plan).as_posix()
    problems = []
    if ambito != facts["ambito"]["name"]:
        problems.append(
            Problem(
                file,
                f"chiave «piano_precedente»: il piano precedente «{previous}» è di un altro "
                "ambito e non si può confrontare con questo",
                expected=f"un piano dell'{facts['ambito']['name']}",
                found=ambito,
            )
        )
    if year != int(facts["year"]) - 1:  # its g (foreseen for its year) is compared with this plan's k (that year)
        problems.append(
            Problem(
                file,
                f"chiave «piano_precedente»: il piano «{previous}» non è dell'anno prima",
                expected=f"un piano del {int(facts['year']) - 1}",
                found=str(year),
            )
        )
    return problems


def check_previous_plan(plan: str, facts: dict) -> None:
    """The early check (pre-flight): the previous plan's facts in the tree against this plan's; DataError."""
    previous = facts.get("previous_plan") or None
    if previous is None:
        return
    locate_previous(facts, plan)  # refuses a plan that names itself
    path = plan_file(previous)
    if not path.is_file():
        return
    year, ambito = previous_identity(previous, path.read_bytes(), None, path.as_posix())
    problems = previous_plan_problems(plan, facts, previous, year, ambito)
    if problems:
        raise DataError(problems)
