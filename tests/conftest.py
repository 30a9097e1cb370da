"""Shared fixtures: the real 2019 inputs, loaded once; whole plans built once per test session.

A whole build costs seconds to a minute, so the builds that many test files only read are made once per
session, whichever pytest-xdist worker asks first (the others wait on a file lock and reuse it):
`reference_build` (the reference plan, built with `make plan` as a person runs it) and `three_plans`.
They are read-only: a test that changes anything in a build works on its own copy
(inputs_support.copy_built, which keeps the files' times and Snakemake's records, so nothing reruns
that would not rerun in the original).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

import inputs_support  # noqa: F401 - imported first: Quarto confined (PIANO_TEST_QUARTO) before any test looks
from pianoabitativo.core.config import load_plan

ROOT = Path(__file__).resolve().parents[1]

# The commands the tests run (make, snakemake) run as a person at a terminal runs them, not as sub-makes of
# `make test`: a sub-make prints «make[1]: Entering directory …» and inherits the caller's flags.
for _name in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS", "MAKEOVERRIDES"):
    os.environ.pop(_name, None)


# Files whose tests wait (a Slurm cluster's polling) or build whole plans the others do not share go
# first: pytest-xdist hands out whole files (--dist loadfile) in collection order, so a long file
# started last would keep one worker busy while the other has nothing left to do.
FIRST = ("test_slurm.py", "test_input_robustness.py", "test_previous_plan.py", "test_engines.py", "test_faults.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: index for index, name in enumerate(FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(FIRST)))  # stable: the rest as collected


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


# --- builds shared by the whole session ----------------------------------------------------------


def session_folder(tmp_path_factory) -> Path:
    """A folder of this test session that every pytest-xdist worker sees (each worker's own basetemp is
    a subfolder of the session's); without xdist, the session's basetemp."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def built_once(
    tmp_path_factory, name: str, build: Callable[[Path], subprocess.CompletedProcess]
) -> tuple[Path, subprocess.CompletedProcess]:
    """`build(project)` run once per session for all workers: (the project folder, what its command
    printed). A failed build fails every test that uses it, each with the build's own message."""
    shared = session_folder(tmp_path_factory) / "condivisi"
    shared.mkdir(exist_ok=True)
    project, record = shared / name / "progetto", shared / f"{name}.json"
    with (shared / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if this worker dies
        if not record.exists():
            shutil.rmtree(project.parent, ignore_errors=True)
            try:
                done = build(project)
                saved = {"args": done.args, "returncode": done.returncode, "stdout": done.stdout, "stderr": done.stderr}
            except Exception as err:  # an assertion of the build, or a command that could not start
                saved = {"error": f"{type(err).__name__}: {err}"}
            record.write_text(json.dumps(saved), encoding="utf-8")
        saved = json.loads(record.read_text(encoding="utf-8"))
    if "error" in saved:
        pytest.fail(f"the shared build «{name}» failed: {saved['error']}", pytrace=False)
    return project, subprocess.CompletedProcess(saved["args"], saved["returncode"], saved["stdout"], saved["stderr"])


@pytest.fixture(scope="session")
def reference_build(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """A copy of the project where `make plan` built the reference plan cremasco_2019 (every stage, the
    three documents), and what that `make plan` printed. Read-only: copy it (copy_built) to change it."""
    from inputs_support import copy_project_for_make, make

    def build(project: Path) -> subprocess.CompletedProcess:
        copy_project_for_make(project)
        built = make(project, "plan")
        assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
        return built

    return built_once(tmp_path_factory, "riferimento", build)


@pytest.fixture(scope="session")
def three_plans(tmp_path_factory) -> Path:
    """A copy of the project building three plans in one `make plan` run: the reference cremasco_2019,
    its next year cremasco_2020 (started with `make nuovo-piano`, tests/fixtures/cremasco_2020) and the
    invented ambito tormense_2019 (tests/fixtures/tormense_2019, no sub-ambiti, a merged comune).
    Read-only."""

    from inputs_support import copy_project_for_make, install_tormense, make, start_next_year

    def build(project: Path) -> subprocess.CompletedProcess:
        copy_project_for_make(project)
        started = start_next_year(project)
        assert "Creato il piano «cremasco_2020»" in started.stdout and "BOZZA" in started.stdout
        assert max(len(line) for line in started.stdout.splitlines()) <= 80, started.stdout  # a terminal's width
        install_tormense(project)
        built = make(project, "plan")
        assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
        return built

    project, _ = built_once(tmp_path_factory, "tre_piani", build)
    return project
