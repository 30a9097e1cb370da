"""A new plan from an existing one (make nuovo-piano), and next year's plan built from it end to end."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from inputs_support import CHILD_ENV, ROOT, copy_project
from pianoabitativo.inputs.register import read_register, write_register
from pianoabitativo.newplan import moved_date, new_plan_facts, plans_with

FIXTURE = ROOT / "tests" / "fixtures" / "cremasco_2020"


def test_dates_move_by_the_years_between_the_plans():
    text = "year: 2019\ndates:\n  approval: 2019-06-25            # Assemblea\n  population_reference: 2018-01-01\n"
    moved = new_plan_facts(text, 2019, 2020)
    assert "year: 2020\n" in moved
    assert "  approval: 2020-06-25  # DA VERIFICARE  (era 2019-06-25)" in moved
    assert "  population_reference: 2019-01-01  # DA VERIFICARE  (era 2018-01-01)" in moved
    assert moved_date("2020-02-29", 1) == "2021-02-28"


def test_the_new_plan_is_added_to_the_plans_built():
    assert plans_with("# c\nplans: [cremasco_2019]\n", "cremasco_2020") == "# c\nplans: [cremasco_2019, cremasco_2020]\n"
    assert plans_with("plans: [a, b]\n", "a") == "plans: [a, b]\n"


def make(project: Path, *args: str) -> subprocess.CompletedProcess:
    """`make` in a copy of the project, with the already installed environment."""
    return subprocess.run(["make", "-o", ".venv/.installed", *args], cwd=project, env=CHILD_ENV,
                          capture_output=True, text=True, timeout=900)


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader(path).pages).split())


@pytest.fixture(scope="module")
def next_year(tmp_path_factory) -> Path:
    """A copy of the project where the 2020 plan was started with make nuovo-piano, filled and built."""
    project = copy_project(tmp_path_factory.mktemp("nuovo") / "progetto")
    for name in ("Makefile", "pyproject.toml", "requirements.lock"):
        shutil.copy2(ROOT / name, project / name)
    os.symlink(ROOT / ".venv", project / ".venv")
    started = make(project, "nuovo-piano", "DA=cremasco_2019", "A=cremasco_2020")
    assert started.returncode == 0, started.stdout + started.stderr
    assert "Creato il piano «cremasco_2020»" in started.stdout and "DA VERIFICARE" in started.stdout
    old, new = project / "data/raw/cremasco_2019", project / "data/raw/cremasco_2020"
    for path in old.rglob("*"):  # this year's exports: last year's files, then the ones that changed
        if path.is_file() and path.name != "register.csv":
            (new / path.relative_to(old)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, new / path.relative_to(old))
    for path in FIXTURE.rglob("*.csv"):
        shutil.copy2(path, new / path.relative_to(FIXTURE))
    rows = read_register(new / "register.csv")
    for row in rows:
        row.update(reference_date="2020-06-25", how_obtained="fixture di prova (tests/fixtures/cremasco_2020)",
                   certainty="dati inventati per i test")
    write_register(new / "register.csv", rows)
    signed = subprocess.run([sys.executable, "-m", "pianoabitativo.inputs.register", str(new)], cwd=project,
                            env=CHILD_ENV, capture_output=True, text=True)
    assert signed.returncode == 0, signed.stdout + signed.stderr
    built = make(project, "plan")
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    return project


def figures(project: Path, plan: str) -> dict[str, str]:
    lines = (project / "data" / "processed" / plan / "cifre_chiave.csv").read_text(encoding="utf-8").splitlines()
    return dict(line.split(",", 1) for line in lines[1:])


@pytest.mark.e2e
def test_next_year_has_its_own_figures(next_year):
    fig = figures(next_year, "cremasco_2020")
    assert fig["popolazione"] == "161144"  # ISTAT residents at 1 January 2019 (pop_res_19)
    assert (fig["n_d_nuova_edificazione"], fig["n_f_conferite_privati"], fig["n_e_libere"]) == ("2", "1", "12")
    assert (fig["n_g_assegnabili"], fig["n_k_assegnate"], fig["n_k_in_deroga"]) == ("47", "24", "1")


@pytest.mark.e2e
def test_both_plans_build_in_one_run_and_the_reference_is_unchanged(next_year):
    for plan in ("cremasco_2019", "cremasco_2020"):
        for fmt in ("pdf", "html", "docx"):
            assert (next_year / "output" / f"piano_{plan}.{fmt}").stat().st_size > 10_000
    committed = {p.name: p.read_bytes() for p in (ROOT / "data/processed/cremasco_2019").glob("*.csv")}
    rebuilt = {p.name: p.read_bytes() for p in (next_year / "data/processed/cremasco_2019").glob("*.csv")}
    assert rebuilt == committed


@pytest.mark.e2e
def test_next_years_document_carries_no_figure_or_date_of_the_previous_plan(next_year):
    text = pdf_text(next_year / "output" / "piano_cremasco_2020.pdf")
    assert "anno 2020" in text and "25 giugno 2020" in text
    assert "Nel 2019 un alloggio è stato assegnato in deroga" in text
    assert "162.323" not in text and "25 giugno 2019" not in text and "anno 2019" not in text
    old = pdf_text(next_year / "output" / "piano_cremasco_2019.pdf")
    assert "161.144" not in old and "162.323" in old
