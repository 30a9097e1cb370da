"""Faults a real office meets, through `make piano` as a person runs it (pianoabitativo/run.py):
Ctrl-C in the middle of a run (once: the started steps finish; twice: everything stops at once), a job's
process killed, two `make piano` from two terminals, a `snakemake` by hand during a run. Each time the
next `make piano` just works, with the same documents as an uninterrupted build, and the console never
shows Snakemake's English (IncompleteFilesException, --rerun-incomplete, LockException) or a traceback.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest

from inputs_support import CHILD_ENV, copy_built, copy_project_for_make, make, normalised
from pianoabitativo.core import runlock
from pianoabitativo.core.worker import KILLED

pytestmark = [pytest.mark.e2e, pytest.mark.workflow]

PLAN = "cremasco_2019"
DOCUMENTS = [f"output/piano_{PLAN}.{fmt}" for fmt in ("pdf", "html", "docx")]
ENGLISH = (
    "IncompleteFilesException",
    "rerun-incomplete",
    "LockException",
    "Traceback",
    "Using profile",
    "FileNotFoundError",
    "Terminating processes",
    "Will exit after",
)
RENDER_LINE = f"- Composizione dei documenti del piano {PLAN}"


def digests(project: Path) -> dict[str, str]:
    return {d: hashlib.sha256((project / d).read_bytes()).hexdigest() for d in DOCUMENTS}


def assert_plain(out: str) -> None:
    for english in ENGLISH:
        assert english not in out, out
    assert max(len(line) for line in out.splitlines()) <= 80, out


class Run:
    """`make piano` started in a session of its own (as a terminal's job), its output collected as it comes."""

    def __init__(self, project: Path):
        self.process = subprocess.Popen(
            ["make", "-o", ".venv/.installed", "piano"],
            cwd=project,
            env=CHILD_ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=lambda: self.lines.extend(self.process.stdout), daemon=True)
        self.reader.start()

    def wait_for(self, text: str, timeout: float = 300) -> None:
        end = time.monotonic() + timeout
        while not any(text in line for line in self.lines):
            assert self.process.poll() is None or any(text in line for line in self.lines), self.output()
            assert time.monotonic() < end, self.output()
            time.sleep(0.05)

    def ctrl_c(self) -> None:
        """What a terminal does on Ctrl-C: SIGINT to the foreground process group (make, and what it ran)."""
        os.killpg(self.process.pid, signal.SIGINT)

    def finish(self, timeout: float = 600) -> int:
        status = self.process.wait(timeout)
        self.reader.join(10)
        return status

    def output(self) -> str:
        return "".join(self.lines)


@pytest.fixture(scope="module")
def reference(reference_build) -> dict[str, str]:
    """The documents of an uninterrupted `make piano` (conftest.reference_build: the same code on the same
    machine, the same bytes)."""
    project, built = reference_build
    assert built.returncode == 0, built.stdout + built.stderr
    return digests(project)


@pytest.fixture()
def project(tmp_path) -> Path:
    return copy_project_for_make(tmp_path / "progetto")


def rerun_gives_the_reference(project: Path, reference: dict[str, str]) -> str:
    again = make(project, "piano")
    out = again.stdout + again.stderr
    assert again.returncode == 0, out
    assert_plain(out)
    assert digests(project) == reference
    return out


def test_ctrl_c_finishes_the_started_steps_and_the_next_run_completes(project, reference):
    run = Run(project)
    run.wait_for("- Tabelle del piano")
    run.ctrl_c()
    status = run.finish()
    out = run.output()
    assert status != 0, out
    assert "Interruzione richiesta" in normalised(out), out
    assert "Produzione interrotta: i passi già finiti restano" in normalised(out), out
    assert "non è riuscito" not in out, out  # an interruption is not a failed step to explain
    assert_plain(out.replace("make: *** [Makefile", "make: [Makefile"))
    rerun_gives_the_reference(project, reference)


@pytest.fixture()
def edited(reference_build, tmp_path) -> Path:
    """A built project (a copy of conftest.reference_build) whose .qmd was then edited (the documents are
    there, and must be redone); the edit is undone by `undo_edit` after the fault, so that the next run
    must give the reference again."""
    project = copy_built(reference_build[0], tmp_path / "progetto")
    qmd = project / "report" / f"piano_{PLAN}.qmd"
    qmd.write_text(qmd.read_text(encoding="utf-8") + "\nUna frase aggiunta e poi tolta.\n", encoding="utf-8")
    return project


def undo_edit(project: Path) -> None:
    qmd = project / "report" / f"piano_{PLAN}.qmd"
    qmd.write_text(qmd.read_text(encoding="utf-8").replace("\nUna frase aggiunta e poi tolta.\n", ""), encoding="utf-8")


def test_ctrl_c_twice_stops_at_once_and_the_next_run_redoes_what_was_half_done(edited, reference):
    project = edited
    run = Run(project)
    run.wait_for(RENDER_LINE)
    time.sleep(0.3)  # the documents are being composed
    run.ctrl_c()
    time.sleep(0.2)
    run.ctrl_c()
    status = run.finish()
    out = run.output()
    assert status != 0, out
    assert "Produzione fermata subito" in normalised(out), out
    # Snakemake was killed with the render job running: it marked that job's outputs incomplete (and without
    # rerun-incomplete in profiles/default the next run would refuse with IncompleteFilesException)
    assert any((project / ".snakemake" / "incomplete").rglob("*")), out
    undo_edit(project)
    again = rerun_gives_the_reference(project, reference)
    assert RENDER_LINE in again.splitlines(), again  # redone, not kept


def test_a_killed_job_is_said_in_italian_and_the_next_run_redoes_it(edited, reference):
    project = edited
    run = Run(project)
    root = psutil.Process(run.process.pid)
    killed = None
    end = time.monotonic() + 300
    while killed is None and time.monotonic() < end and run.process.poll() is None:
        for process in root.children(recursive=True):
            try:
                parent = process.parent()
                if parent is not None and "forkserver" in " ".join(parent.cmdline()):
                    process.kill()  # kill -9 of the job's own process
                    killed = process.pid
                    break
            except psutil.Error:
                continue
        time.sleep(0.02)
    status = run.finish()
    out = run.output()
    assert killed is not None, out
    assert status != 0, out
    assert normalised(KILLED) in normalised(out), out
    assert "restano come erano" in out
    assert_plain(out.replace("make: *** [Makefile", "make: [Makefile"))
    undo_edit(project)
    rerun_gives_the_reference(project, reference)


def test_two_runs_at_once_the_second_waits_and_neither_breaks_the_other(project, reference):
    first = Run(project)
    first.wait_for("- Controllo dei dati di input del piano")  # the first holds the lock (its Snakemake runs)
    second = Run(project)
    by_hand = subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "1"],
        cwd=project,
        env=CHILD_ENV,
        capture_output=True,
        text=True,
        timeout=300,
    )
    statuses = first.finish(), second.finish()
    out_first, out_second = first.output(), second.output()
    assert statuses == (0, 0), out_first + out_second
    assert runlock.BUSY in normalised(out_second) and "si attende che finisca" in normalised(out_second), out_second
    assert f"Niente da rifare per il piano {PLAN}: è aggiornato." in out_second, out_second
    for out in (out_first, out_second):
        assert_plain(out)
    # a snakemake started by hand meanwhile: refused in one Italian line, nothing touched
    assert by_hand.returncode != 0
    assert f"{runlock.BUSY}: riprovi quando è finita." in by_hand.stderr, by_hand.stderr
    assert "LockException" not in by_hand.stderr and "Traceback" not in by_hand.stderr
    assert digests(project) == reference


@pytest.mark.completo  # the recovery from incomplete outputs of Ctrl-C twice, which make test runs
def test_a_snakemake_killed_outright_leaves_nothing_that_stops_the_next_run(edited, reference):
    """A closed terminal or a power cut: Snakemake itself gone without a word (SIGKILL to its whole group)."""
    project = edited
    run = Run(project)
    run.wait_for(RENDER_LINE)
    time.sleep(0.3)
    root = psutil.Process(run.process.pid)
    snakemake = next(p for p in root.children(recursive=True) if "snakemake_main" in " ".join(p.cmdline()))
    os.killpg(snakemake.pid, signal.SIGKILL)
    run.finish()
    assert any((project / ".snakemake" / "incomplete").rglob("*")), run.output()
    undo_edit(project)
    rerun_gives_the_reference(project, reference)
