"""A new plan from an existing one (make nuovo-piano), and next year's plan built from it end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from inputs_support import ROOT, pdf_text
from pianoabitativo.newplan import moved_date, new_plan_facts, plans_with


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


@pytest.fixture(scope="module")
def next_year(three_plans) -> Path:
    """A copy of the project where the 2020 plan was started with make nuovo-piano, filled and built
    (in one `make plan` run with the reference plan and another ambito: conftest.three_plans)."""
    return three_plans


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
