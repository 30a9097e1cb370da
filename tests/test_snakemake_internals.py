"""Every private hook into Snakemake (or Python) that the workflow relies on, each named by a test.

Upgrading Snakemake is then a test run: if an upgrade removes or changes one of these, the test that
names it fails, instead of the workflow silently losing a correction or breaking at a user's desk.
"""

from __future__ import annotations

import inspect
import multiprocessing

import pytest


def test_scheduler_reevaluation_hook_exists_and_is_patched():
    """core/scheduling.py replaces JobScheduler._schedule_reevalutation (sic, Snakemake's spelling).

    If Snakemake renames or removes it, one_pending_reevaluation() returns False and the Snakefile would
    go on without the correction (a run of a hundred plans would again spend a core on scheduling).
    """
    from snakemake.scheduling.job_scheduler import JobScheduler

    from pianoabitativo.core.scheduling import one_pending_reevaluation

    assert hasattr(JobScheduler, "_schedule_reevalutation"), (
        "Snakemake no longer has JobScheduler._schedule_reevalutation: review core/scheduling.py "
        "(is the timer chain fixed upstream? then drop the patch)"
    )
    assert inspect.signature(JobScheduler._schedule_reevalutation).parameters.keys() >= {"self", "delay"}
    assert one_pending_reevaluation() is True
    assert getattr(JobScheduler, "_one_pending_reevaluation", False) is True
    # the scheduler still wakes through the semaphore the patch releases
    assert "_open_jobs" in inspect.getsource(JobScheduler.__init__)


def test_script_object_constructor_takes_the_positional_arguments_we_pass():
    """core/worker.py and core/runner.py build snakemake.script.Snakemake positionally."""
    from snakemake.script import Snakemake

    names = list(inspect.signature(Snakemake.__init__).parameters)[1:11]
    assert names == [
        "input_",
        "output",
        "params",
        "wildcards",
        "threads",
        "resources",
        "log",
        "config",
        "rulename",
        "bench_iteration",
    ], f"snakemake.script.Snakemake now takes {names}"


def test_workflow_constructor_takes_the_settings_mock_snakemake_passes():
    """core/runner.mock_snakemake builds a Workflow by hand, for scripts run without Snakemake."""
    import snakemake.api  # noqa: F401 - snakemake.workflow imports in this order only
    from snakemake.workflow import Workflow

    params = inspect.signature(Workflow.__init__).parameters
    for name in (
        "config_settings",
        "resource_settings",
        "workflow_settings",
        "logger_manager",
        "storage_settings",
        "dag_settings",
        "storage_provider_settings",
    ):
        assert name in params, f"snakemake.workflow.Workflow no longer takes {name}"


def test_forkserver_can_be_stopped():
    """core/worker.py stops the warm worker's forkserver with the private forkserver._stop()."""
    from multiprocessing import forkserver

    assert callable(getattr(forkserver, "_forkserver", None) and forkserver._forkserver._stop)
    assert "forkserver" in multiprocessing.get_all_start_methods()


@pytest.mark.parametrize(
    ("message", "source", "printed_by"),
    [
        ("Select jobs to execute...", "Select jobs to execute...", "scheduling/job_scheduler.py"),
        ("Execute 3 jobs...", 'f"Execute {len(run)} jobs..."', "scheduling/job_scheduler.py"),
        ("Building DAG of jobs...", "Building DAG of jobs...", "workflow.py"),
        (
            "Complete log(s): /tmp/x/.snakemake/log/2026-12-05T000000.snakemake.log",
            "Complete log(s): {log_paths}",
            "logging.py",
        ),
        (
            "Restored previous version of output/piano_x.pdf (updating job failed).",
            "Restored previous version of ",
            "jobs.py",
        ),
    ],
)
def test_console_still_recognises_snakemake_messages(message, source, printed_by):
    """console.py tells Snakemake's English lines by their wording: Snakemake must still word them so."""
    from pathlib import Path

    import snakemake

    from pianoabitativo import console

    text = (Path(snakemake.__file__).parent / printed_by).read_text(encoding="utf-8")
    assert source in text, f"Snakemake's {printed_by} no longer prints «{source}»: review console.py"
    assert console.CHATTER.fullmatch(message) or console.RESTORED.fullmatch(message)
