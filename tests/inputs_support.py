"""Helpers shared by the input tests: temporary copies of the project, CSV edits, register rows, runs.

Every test works on a copy of the real 2019 inputs under tmp_path; nothing in the
repository is touched. The package is installed in editable mode, so the copies
use the schemas of the repository (inputs.SCHEMA_DIR is relative to the package).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from pianoabitativo.inputs.register import read_register, update_checksums, write_register

ROOT = Path(__file__).resolve().parents[1]
YEAR = 2019
PLAN = "cremasco_2019"
PLAN_FILE = f"plans/{PLAN}.yaml"
RAW = f"data/raw/{PLAN}"
PROCESSED = f"data/processed/{PLAN}"
# the record that the plan's inputs were accepted (rules/inputs.smk): a refusal removes it, so a target
# naming it makes Snakemake check the inputs again after a refusal
INPUTS_ACCEPTED = f"benchmarks/{PLAN}/validate_inputs.benchmark.tsv"
PLATFORM = f"{RAW}/piattaforma"
TRACEBACK = "Traceback (most recent call last)"
IGNORE_BUILD = shutil.ignore_patterns("__pycache__", ".snakemake", "gen", ".quarto")


def copy_inputs(dest: Path) -> Path:
    """config.yaml, the plan's facts and its raw files: enough for `python -m pianoabitativo.inputs.preflight`."""
    (dest / "plans").mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "config.yaml", dest / "config.yaml")
    shutil.copy2(ROOT / PLAN_FILE, dest / PLAN_FILE)
    shutil.copytree(ROOT / RAW, dest / RAW)
    return dest


def copy_project(dest: Path) -> Path:
    """What the workflow needs (no .venv, .git, output, .snakemake, processed or generated files).

    The library source is copied for the archive, which packs it; the code that runs (and whose
    digest each rule takes as params.code) is the installed package's.
    """
    copy_inputs(dest)
    shutil.copy2(ROOT / "Snakefile", dest / "Snakefile")
    for folder in ("rules", "scripts", "report", "profiles", "src/pianoabitativo"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, dest / folder, ignore=IGNORE_BUILD)
    return dest


# --- editing files ---------------------------------------------------------------------------


def read_rows(path: Path, delimiter: str = ";", encoding: str = "utf-8") -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding=encoding), newline=""), delimiter=delimiter))


def write_rows(
    path: Path, rows: list[list[str]], delimiter: str = ";", encoding: str = "utf-8", bom: bool = False
) -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode(encoding))


def edit_csv(path: Path, change: Callable[[list[list[str]]], object], delimiter: str = ";") -> None:
    """Read a UTF-8 CSV, let `change` edit its rows in place (rows[0] is the header), write it back."""
    rows = read_rows(path, delimiter)
    change(rows)
    write_rows(path, rows, delimiter)


def set_cell(path: Path, row: int, column: str, value: str, delimiter: str = ";") -> None:
    """Set one cell; `row` as a spreadsheet shows it (the header is row 1)."""

    def change(rows):
        rows[row - 1][rows[0].index(column)] = value

    edit_csv(path, change, delimiter)


def replace_text(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8", newline="")


# --- the data register -----------------------------------------------------------------------


def register_renamed(raw_dir: Path, renames: dict[str, str]) -> None:
    """Point register rows at new file names (source fields kept), then record every checksum."""
    path = raw_dir / "register.csv"
    rows = read_register(path)
    for row in rows:
        row["file"] = renames.get(row["file"], row["file"])
    write_register(path, rows)
    update_checksums(raw_dir)


def register_added(raw_dir: Path, new: str, like: str) -> None:
    """Register a new file with the source fields of an existing row, then record every checksum."""
    path = raw_dir / "register.csv"
    rows = read_register(path)
    template = next(r for r in rows if r["file"] == like)
    rows.append({**template, "file": new, "sha256": ""})
    write_register(path, rows)
    update_checksums(raw_dir)


# --- Quarto ----------------------------------------------------------------------------------
# `make test` sets PIANO_TEST_QUARTO (to the Quarto of `make quarto`, or empty: the one on PATH): Quarto then
# renders only where the engine is what a test is about (tests/test_engines.py, the real-Quarto halves of
# test_render.py and test_drafts.py, through quarto_on_path and quarto_env). It is taken off the PATH of
# the whole session here, before any test looks for it, so every other build renders with the embedded
# engine (render.engine: auto, without Quarto). Without the variable (`make test-completo`, or pytest by
# hand) the PATH stays as it is: with Quarto on it, every build renders with Quarto.


def _confine_quarto() -> str | None:
    """The Quarto executable the tests may use (None: none); off the PATH if PIANO_TEST_QUARTO is set.
    Only a Quarto installation's own bin/ folder (quarto beside quarto.js) leaves the PATH: a quarto
    linked into a folder of other tools (/usr/local/bin) stays, and those builds render with it."""
    if "PIANO_TEST_QUARTO" not in os.environ:
        return shutil.which("quarto")
    quarto = os.environ["PIANO_TEST_QUARTO"] or shutil.which("quarto")
    folders = os.environ.get("PATH", "").split(os.pathsep)
    os.environ["PATH"] = os.pathsep.join(d for d in folders if not (Path(d) / "quarto.js").is_file())
    return str(Path(quarto).resolve()) if quarto and Path(quarto).is_file() else None


QUARTO = _confine_quarto()
QUARTO_MISSING = (
    "no `quarto` executable (make quarto installs Quarto 1.10.18 from ../shared/tools/quarto, where "
    "make test finds it; or put a Quarto on PATH)"
)


def quarto_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """An environment (CHILD_ENV by default) with QUARTO's folder first on PATH (if there is a QUARTO)."""
    env = dict(CHILD_ENV if env is None else env)
    if QUARTO:
        env["PATH"] = os.pathsep.join([str(Path(QUARTO).parent), env.get("PATH", "")])
    return env


@contextlib.contextmanager
def quarto_on_path():
    """QUARTO's folder first on this process's PATH (for render() called in-process), then as before."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", quarto_env(dict(os.environ))["PATH"])
        yield


# --- running ---------------------------------------------------------------------------------

# UTF-8 both ways, whatever locale another test left the test process in
CHILD_ENV = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUTF8": "1"}


def problem_items(text: str) -> list[str]:
    """The problems of a report as a person reads them: each «  - » item with its continuation lines (a
    located message is wrapped at 80 columns), white space made single. Tests look for phrases in these."""
    items: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("  - "):
            items.append([line[4:]])
        elif items and line.startswith("    "):
            items[-1].append(line)
        elif items and items[-1] is not None:
            items.append(None)  # the item ended
    return [" ".join(" ".join(item).split()) for item in items if item]


def normalised(text: str) -> str:
    """Console text with white space made single: a wrapped phrase is found whole."""
    return " ".join(text.split())


def run_validate(cwd: Path, config: str = "config.yaml", fresh: bool = False) -> subprocess.CompletedProcess:
    """`python -m pianoabitativo.inputs.preflight config` in `cwd`: by default in a process forked from a
    warm interpreter (tests/warm.py: the matrices run a hundred of them), or in a new Python (fresh)."""
    if not fresh:
        from warm import run_module

        return run_module("pianoabitativo.inputs.preflight", [config], cwd, CHILD_ENV)
    return subprocess.run(
        [sys.executable, "-m", "pianoabitativo.inputs.preflight", config],
        cwd=cwd,
        env=CHILD_ENV,
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        timeout=120,
    )


def run_snakemake(
    cwd: Path, *args: str, cores: int = 1, env: dict | None = None, fresh: bool = False, timeout: float = 600
) -> subprocess.CompletedProcess:
    """`python -m snakemake --cores N args` in `cwd` (environment: CHILD_ENV unless given): in a warm fork
    (tests/warm.py), or in a new Python (fresh: where the environment must shape the interpreter itself,
    as a time zone or a locale does)."""
    command, env = ["--cores", str(cores), *args], CHILD_ENV if env is None else env
    if not fresh:
        from warm import run_module

        return run_module("snakemake", command, cwd, env, timeout=timeout)
    return subprocess.run(
        [sys.executable, "-m", "snakemake", *command],
        cwd=cwd,
        env=env,
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
    )


def sha256_tree(folder: Path, pattern: str = "*.csv") -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob(pattern))}


def files_containing(root: Path, needle: str, folders: tuple[str, ...]) -> list[str]:
    """Every file under the given folders of `root` whose bytes contain `needle` (UTF-8 or cp1252)."""
    forms = {needle.encode("utf-8"), needle.encode("cp1252", errors="ignore")}
    hits = []
    for folder in folders:
        for path in (root / folder).rglob("*"):
            if path.is_file() and any(form in path.read_bytes() for form in forms):
                hits.append(path.relative_to(root).as_posix())
    return hits


# --- whole plans built through `make` in a copy of the project -------------------------------

NEXT_YEAR_FIXTURE = ROOT / "tests" / "fixtures" / "cremasco_2020"


def copy_project_for_make(dest: Path) -> Path:
    """copy_project plus what `make` needs; the installed .venv is linked, not rebuilt."""
    project = copy_project(dest)
    for name in ("Makefile", "pyproject.toml", "requirements.lock"):
        shutil.copy2(ROOT / name, project / name)
    os.symlink(ROOT / ".venv", project / ".venv")
    return project


def copy_built(built: Path, dest: Path) -> Path:
    """A copy of a built project (conftest.reference_build, three_plans) to change: every file with its
    times, Snakemake's records (.snakemake/) and the link to .venv, so that Snakemake finds up to date
    exactly what was up to date in the original."""
    shutil.copytree(built, dest, symlinks=True)
    return dest


def make(project: Path, *args: str) -> subprocess.CompletedProcess:
    """`make` in a copy of the project, with the already installed environment."""
    return subprocess.run(
        ["make", "-o", ".venv/.installed", *args],
        cwd=project,
        env=CHILD_ENV,
        capture_output=True,
        text=True,
        timeout=900,
    )


def start_next_year(project: Path) -> subprocess.CompletedProcess:
    """cremasco_2020 started with `make nuovo-piano` (which names cremasco_2019 as its previous plan, test_new_plan.py),
    its files filled from tests/fixtures/cremasco_2020 and signed."""
    started = make(project, "nuovo-piano", "DA=cremasco_2019", "A=cremasco_2020")
    assert started.returncode == 0, started.stdout + started.stderr
    old, new = project / "data/raw/cremasco_2019", project / "data/raw/cremasco_2020"
    # this year's platform exports (the only files nuovo-piano awaits): last year's, then the ones that changed
    for path in (old / "piattaforma").rglob("*"):
        if path.is_file():
            (new / path.relative_to(old)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, new / path.relative_to(old))
    for path in NEXT_YEAR_FIXTURE.rglob("*.csv"):
        shutil.copy2(path, new / path.relative_to(NEXT_YEAR_FIXTURE))
    rows = read_register(new / "register.csv")
    for row in rows:
        if row["file"].startswith("piattaforma/"):  # the rows of the others came with their files
            row.update(
                source="fixture di prova: esportazioni inventate per il 2020 (tests/fixtures/cremasco_2020)",
                reference_date="2020-06-25",
                how_obtained="fixture di prova (tests/fixtures/cremasco_2020)",
                certainty="dati inventati per i test",
            )
    write_register(new / "register.csv", rows)
    signed = subprocess.run(
        [sys.executable, "-m", "pianoabitativo.inputs.register", str(new)],
        cwd=project,
        env=CHILD_ENV,
        capture_output=True,
        text=True,
    )
    assert signed.returncode == 0, signed.stdout + signed.stderr
    return started


def confirm_everything(project: Path, plan: str) -> None:
    """As docs/guida.md says: delete each da_verificare entry, and each passage's two fence lines."""
    facts = project / f"plans/{plan}.yaml"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text[: text.index("# Fatti ancora da verificare")], encoding="utf-8")
    qmd = project / f"report/piano_{plan}.qmd"
    lines = qmd.read_text(encoding="utf-8").split("\n")
    kept, skip_next_close = [], False
    for line in lines:
        if line.startswith("::: {.da-verificare"):
            skip_next_close = True
            continue
        if skip_next_close and line == ":::":
            skip_next_close = False
            continue
        kept.append(line)
    qmd.write_text("\n".join(kept), encoding="utf-8")


def pdf_text(path: Path) -> str:
    """The PDF's text, white space made single. Typst's hyphens come out as soft hyphens (U+00AD): one at
    a line end splits a word (joined again), any other is a hyphen ('Brescia-Cremona-Mantova')."""
    from pypdf import PdfReader

    text = " ".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return " ".join(re.sub(r"\u00ad\s+", "", text).replace("\u00ad", "-").split())


def install_tormense(project: Path) -> None:
    """Add the invented second ambito (tests/fixtures/tormense_2019) to a project copy and to its plans."""
    import importlib.util

    from pianoabitativo.newplan import plans_with

    spec = importlib.util.spec_from_file_location("make_fixture", ROOT / "tests/fixtures/tormense_2019/make_fixture.py")
    fixture = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fixture)
    fixture.install(project)
    config = project / "config.yaml"
    config.write_text(plans_with(config.read_text(encoding="utf-8"), "tormense_2019"), encoding="utf-8")


def git(repo: Path, *args: str) -> str:
    """git in `repo` with a test identity and no signing; its output, stripped."""
    return subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.org"]
        + ["-c", "commit.gpgsign=false", *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
