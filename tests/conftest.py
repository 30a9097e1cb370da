"""Shared fixtures: the real 2019 inputs, loaded once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pianoabitativo.core.config import load_plan

ROOT = Path(__file__).resolve().parents[1]

# The commands the tests run (make, snakemake) run as a person at a terminal runs them, not as sub-makes of
# `make test`: a sub-make prints «make[1]: Entering directory …» and inherits the caller's flags.
for _name in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS", "MAKEOVERRIDES"):
    os.environ.pop(_name, None)


@pytest.fixture(scope="session")
def config() -> dict:
    """The facts of the reference plan (plans/cremasco_2019.yaml), validated."""
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return load_plan("cremasco_2019")
    finally:
        os.chdir(cwd)


@pytest.fixture(scope="session")
def inputs_2019(config):
    """Validated 2019 inputs and the results of every cross-check."""
    from pianoabitativo.inputs.stage import checked_inputs

    cwd = os.getcwd()
    os.chdir(ROOT)  # the register and raw paths are relative to the project root, as in the workflow
    try:
        return checked_inputs(config, Path("data/raw/cremasco_2019"))
    finally:
        os.chdir(cwd)


@pytest.fixture(scope="session")
def three_plans(tmp_path_factory) -> Path:
    """A copy of the project building three plans in one `make plan` run: the reference cremasco_2019,
    its next year cremasco_2020 (started with `make nuovo-piano`, tests/fixtures/cremasco_2020) and the
    invented ambito tormense_2019 (tests/fixtures/tormense_2019, no sub-ambiti, a merged comune)."""

    from inputs_support import copy_project_for_make, install_tormense, make, start_next_year

    project = copy_project_for_make(tmp_path_factory.mktemp("tre_piani") / "progetto")
    started = start_next_year(project)
    assert "Creato il piano «cremasco_2020»" in started.stdout and "BOZZA" in started.stdout
    assert max(len(line) for line in started.stdout.splitlines()) <= 80, started.stdout  # a terminal's width
    install_tormense(project)
    built = make(project, "plan")
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    return project
