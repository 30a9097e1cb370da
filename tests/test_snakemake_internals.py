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


def test_the_scheduler_still_calls_the_patched_method_and_wakes_on_its_semaphore():
    """The patch only matters if the scheduler calls _schedule_reevalutation and waits on _open_jobs."""
    from snakemake.scheduling import job_scheduler

    source = inspect.getsource(job_scheduler.JobScheduler)
    assert "self._schedule_reevalutation(" in source, "the scheduler no longer calls _schedule_reevalutation"
    assert "self._open_jobs.acquire(" in source or "self._open_jobs.wait(" in source
    assert "self._open_jobs.release()" in source


def test_forkserver_pid_tells_whether_it_runs():
    """core/worker.stop_server() reads forkserver._forkserver._forkserver_pid: if renamed, the server is never stopped."""
    from multiprocessing import forkserver

    assert hasattr(forkserver._forkserver, "_forkserver_pid")


def test_mock_snakemake_builds_a_job_as_snakemake_does():
    """core/runner.mock_snakemake: DAG(workflow, rules=...), Job(rule, dag, wildcards), Workflow.include,
    .get_rule, .global_resources, .config; the Snakefile asks workflow.is_main_process."""
    import snakemake.api  # noqa: F401 - snakemake.workflow imports in this order only
    from snakemake.dag import DAG
    from snakemake.jobs import Job
    from snakemake.workflow import Workflow

    assert {"workflow", "rules"} <= set(inspect.signature(DAG.__init__).parameters)
    assert list(inspect.signature(Job.__init__).parameters)[1:4] == ["rule", "dag", "wildcards_dict"]
    for name in ("include", "get_rule", "config", "is_main_process"):
        assert hasattr(Workflow, name), f"snakemake.workflow.Workflow no longer has {name}"
    assert "self.global_resources = " in inspect.getsource(Workflow), "Workflow.global_resources is gone"


# --- the console: a logger plugin (the interface is public); what it borrows from snakemake.logging ----------


def test_a_logger_plugin_that_writes_to_the_terminal_replaces_snakemakes_console():
    """snakemake.logging.LoggerManager adds its DefaultStreamHandler only if no plugin writes to the stream:
    with the profile's `logger: [pianoabitativo]` the console is the plugin's alone (not printed twice)."""
    import logging

    from snakemake.logging import LoggerManager
    from snakemake.settings.types import OutputSettings

    logger = logging.getLogger("pianoabitativo-test-logger")
    from snakemake_interface_logger_plugins.settings import LogHandlerSettingsBase

    settings = OutputSettings(log_handler_settings={"pianoabitativo": LogHandlerSettingsBase()})
    manager = LoggerManager(logger, settings)
    try:
        names = [handler.name for handler in logger.handlers]
        assert "DefaultStreamHandler" not in names, names
        assert [type(h).__name__ for h in manager.get_log_handlers()] == ["LogHandler"]
    finally:
        manager.stop()


def test_the_plugin_writes_as_snakemakes_default_console():
    """The plugin builds Snakemake's own ColorizingTextHandler, DefaultFilter and DefaultFormatter (public
    names of snakemake.logging, not of the plugin interface) with these arguments."""
    from snakemake import logging as snakemake_logging

    def params(cls):
        return list(inspect.signature(cls.__init__).parameters)[1:]

    assert params(snakemake_logging.DefaultFilter) == ["quiet", "debug_dag", "verbose", "dryrun", "printshellcmds"]
    assert params(snakemake_logging.DefaultFormatter) == ["quiet", "show_failed_logs"]
    assert params(snakemake_logging.ColorizingTextHandler)[:2] == ["nocolor", "stream"]


@pytest.mark.parametrize(
    ("event", "fields", "logged_by"),
    [
        ("JOB_INFO", ("jobid=", "rule_msg=", "rule_name=", "output=", "wildcards="), "jobs.py"),
        ("JOB_ERROR", ("rule_name=", "jobid=", "log="), "jobs.py"),
        ("ERROR", ("exception=",), "exceptions.py"),
    ],
)
def test_the_console_reads_the_fields_snakemake_gives_its_events(event, fields, logged_by):
    """console.Console reads these fields of Snakemake's structured records (job_info, job_error, error)."""
    from pathlib import Path

    import snakemake

    text = (Path(snakemake.__file__).parent / logged_by).read_text(encoding="utf-8")
    around = text[text.index(f"event=LogEvent.{event}") - 1500 : text.index(f"event=LogEvent.{event}") + 1500]
    for field in fields:
        assert field in around, f"Snakemake's {event} record no longer has {field.rstrip('=')}: review console.py"


# --- the English messages the console still tells by their wording (Snakemake gives no event for them) ------


@pytest.mark.parametrize(
    ("message", "source", "printed_by"),
    [
        ("Select jobs to execute...", "Select jobs to execute...", "scheduling/job_scheduler.py"),
        ("Execute 3 jobs...", 'f"Execute {len(run)} jobs..."', "scheduling/job_scheduler.py"),
        ("Building DAG of jobs...", "Building DAG of jobs...", "workflow.py"),
        ("Using shell: /usr/bin/bash", 'f"Using shell: {shell_exec}"', "workflow.py"),
        ("Assuming unrestricted shared filesystem usage.", "Assuming unrestricted shared filesystem usage.", "api.py"),
        (
            "Complete log(s): /tmp/x/.snakemake/log/2026-12-05T000000.snakemake.log",
            "Complete log(s): {log_paths}",
            "logging.py",
        ),
        ("Elapsed time: 0:00:12.3", 'f"Elapsed time: {datetime.now() - self.start_time}"', "workflow.py"),
        (
            "Shutting down, this might take some time.",
            "Shutting down, this might take some time.",
            "scheduling/job_scheduler.py",
        ),
        (
            "Exiting because a job execution failed. Look above for error messages",
            "Exiting because a job execution failed. Look above for error messages",
            "scheduling/job_scheduler.py",
        ),
        (
            "WorkflowError:\nAt least one job did not complete successfully.",
            "At least one job did not complete successfully.",
            "workflow.py",
        ),
        (
            "Config file config.yaml is extended by additional config specified via the command line.",
            '"Config file {} is {} by additional config specified via the command line."',
            "workflow.py",
        ),
        (
            "Cannot restore output/x.pdf: no backup found.",
            'f"Cannot restore {path}: no backup found."',
            "persistence/__init__.py",
        ),
    ],
)
def test_console_still_recognises_snakemake_chatter(message, source, printed_by):
    """console.CHATTER tells Snakemake's English lines by their wording: Snakemake must still word them so."""
    from pathlib import Path

    import snakemake

    from pianoabitativo import console

    text = (Path(snakemake.__file__).parent / printed_by).read_text(encoding="utf-8")
    assert source in text, f"Snakemake's {printed_by} no longer prints «{source}»: review console.CHATTER"
    assert console.CHATTER.fullmatch(message)


@pytest.mark.parametrize(
    ("message", "source", "printed_by"),
    [
        (
            "Will exit after finishing currently running jobs (scheduler).",
            "Will exit after finishing currently running jobs (scheduler).",
            "scheduling/job_scheduler.py",
        ),
        (
            "Terminating processes on user request, this might take some time.",
            "Terminating processes on user request, this might take some time.",
            "scheduling/job_scheduler.py",
        ),
        ("Cancelling snakemake on user request.", "Cancelling snakemake on user request.", "exceptions.py"),
    ],
)
def test_console_still_recognises_that_a_run_was_asked_to_stop(message, source, printed_by):
    """console.STOPPING: after a Ctrl-C (`make piano` sends SIGTERM) the end of the run is not a failure."""
    from pathlib import Path

    import snakemake

    from pianoabitativo import console

    text = (Path(snakemake.__file__).parent / printed_by).read_text(encoding="utf-8")
    assert source in text, f"Snakemake's {printed_by} no longer prints «{source}»: review console.STOPPING"
    assert console.STOPPING.fullmatch(message)


def test_console_still_recognises_a_restored_output():
    """console.RESTORED: «Restored previous version of ... (updating job failed).» (jobs.py), remembered."""
    from pathlib import Path

    import snakemake

    from pianoabitativo import console

    text = (Path(snakemake.__file__).parent / "jobs.py").read_text(encoding="utf-8")
    assert 'f"Restored previous version of {fmt_iofile(f)} "' in text and '"(updating job failed)."' in text
    assert console.RESTORED.fullmatch("Restored previous version of output/piano_x.pdf (updating job failed).")


def test_nothing_to_be_done_is_snakemakes_own_constant():
    """console.NOTHING_TO_DO (turned into «Niente da rifare ...» and the documents) is Snakemake's message."""
    from snakemake.common import NOTHING_TO_BE_DONE_MSG

    from pianoabitativo import console

    assert console.NOTHING_TO_DO == NOTHING_TO_BE_DONE_MSG


def test_a_failed_step_and_a_locked_folder_are_told_by_the_exception_snakemake_names():
    """print_exception logs an `error` event with the exception's class name: the RuleException of a job whose
    script failed (StepFailed, core/worker.py, which has printed the Italian reason) leaves the console, and
    Snakemake's LockException becomes one Italian line."""
    import logging

    from snakemake.exceptions import LockException, RuleException

    from pianoabitativo import console

    assert LockException.__name__ == "LockException" and RuleException.__name__ == "RuleException"

    def error(exception: str, msg: str) -> logging.LogRecord:
        rec = logging.LogRecord("snakemake", logging.ERROR, __file__, 1, msg, None, None)
        rec.__dict__.update(event="error", exception=exception)
        return rec

    step = error("RuleException", 'StepFailed in file "/p/rules/report.smk", line 91:\nscripts/render.py (esito 1)')
    assert not console.Console().filter(step)
    assert console.Console().filter(error("MissingInputException", "Missing input files for rule x"))
    locked = error("LockException", "Error: Directory cannot be locked. ...")
    assert "bloccata" in console.ConsoleFormatter(logging.Formatter()).format(locked)
