"""The edge between Snakemake (or a person at the shell) and the package's functions.

A script in scripts/ ends with `run(main, globals())`: under Snakemake it gets the
job's `snakemake` object; run by hand (`python scripts/build_tables.py [plan]`)
it builds the same object from the Snakefile, like PyPSA-Eur's `mock_snakemake`,
so that a colleague can debug one step without running the workflow.
Either way the log goes to the rule's log file and a data error prints as a
plain Italian list of problems, never as a traceback. Any other exception is a bug
in our code: the console gets one line, «errore interno» naming the step and the
log, and the traceback goes to the log only. The step's outputs are committed
together (core/files.py): after a failure the previous ones stay as they were.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .errors import DataError, wrapped
from .files import outputs_committed_together

T = TypeVar("T")


def mock_snakemake(rule: str, **wildcards: str):
    """The `snakemake` object Snakemake would give the script of `rule` (run from the project folder)."""
    import snakemake.api  # noqa: F401 - loads snakemake.workflow in the order Snakemake expects
    from snakemake.dag import DAG
    from snakemake.jobs import Job
    from snakemake.logging import LoggerManager, logger
    from snakemake.script import Snakemake
    from snakemake.settings.types import (
        ConfigSettings,
        DAGSettings,
        OutputSettings,
        ResourceSettings,
        StorageSettings,
        WorkflowSettings,
    )
    from snakemake.workflow import Workflow

    if not Path("Snakefile").is_file():
        raise SystemExit("Eseguire lo script dalla cartella del progetto (quella che contiene lo Snakefile).")
    workflow = Workflow(
        config_settings=ConfigSettings(),
        resource_settings=ResourceSettings(),
        workflow_settings=WorkflowSettings(),
        logger_manager=LoggerManager(logger, OutputSettings()),
        storage_settings=StorageSettings(),
        dag_settings=DAGSettings(rerun_triggers=[]),
        storage_provider_settings=dict(),
    )
    workflow.include(Path("Snakefile").resolve())
    workflow.global_resources = {}
    job_rule = workflow.get_rule(rule)
    job = Job(job_rule, DAG(workflow, rules=[job_rule]), wildcards)
    return Snakemake(
        job.input,
        job.output,
        job.params,
        job.wildcards,
        job.threads,
        job.resources,
        job.log,
        workflow.config,
        job.rule.name,
        None,
    )


def wildcards_from_argv(argv: list[str]) -> dict[str, str]:
    """`name=value` arguments of a script run by hand."""
    pairs = [a.split("=", 1) for a in argv if "=" in a]
    return {k: v for k, v in pairs}


def run(main: Callable[[object], None], namespace: dict, rule: str) -> None:
    """Run a script's `main(snakemake)`: with Snakemake's object, or a mocked one when run by hand."""
    smk = namespace.get("snakemake")
    if smk is None:
        smk = mock_snakemake(rule, **wildcards_from_argv(sys.argv[1:]))
    log_path = smk.log[0] if smk.log else None
    if log_path:
        Path(log_path).parent.mkdir(parents=True, exist_ok=True)
        # force: in a job forked from the warm worker (core/worker.py) the root logger has handlers already
        logging.basicConfig(
            filename=log_path,
            filemode="w",
            level=logging.INFO,
            format="%(levelname)s %(name)s: %(message)s",
            force=True,
        )
    else:
        logging.basicConfig(stream=sys.stderr, level=logging.INFO, force=True)
    wildcards = dict(getattr(smk, "wildcards", {}) or {})
    step = rule + "".join(f" {k}={v}" for k, v in wildcards.items())
    run_step(lambda: main(smk), step, log_path)


def _append_to_log(log_path: str | None, text: str) -> None:
    if log_path:
        Path(log_path).parent.mkdir(parents=True, exist_ok=True)
        with open(log_path, "a", encoding="utf-8") as log:
            log.write(text if text.endswith("\n") else text + "\n")


def internal_error_message(step: str, err: BaseException, log_path: str | None) -> str:
    """The one line a user reads for a bug in our code (the traceback is in the log)."""
    where = f"; dettagli nel registro {log_path}" if log_path else ""
    detail = str(err).splitlines()[0][:200] if str(err) else ""
    return (
        f"Errore interno nel passo «{step}» ({type(err).__name__}{': ' + detail if detail else ''}){where}. "
        "I risultati precedenti restano invariati; segnalare l'errore con il registro."
    )


def run_step(body: Callable[[], T], step: str, log_path: str | None = None, commit_together: bool = True) -> T:
    """The edge of every script and command: run `body` with its outputs committed together
    (unless `commit_together` is False: a tool that reads back what it wrote); what `body` returns.

    DataError: the located problems in Italian, exit 1. Any other exception: «errore interno»
    naming the step and the log (the traceback goes to the log, or to stderr if there is none), exit 1.
    """
    try:
        if commit_together:
            with outputs_committed_together():
                return body()
        return body()
    except DataError as err:
        text = err.report()
        print(text, file=sys.stderr)
        _append_to_log(log_path, text)
        raise SystemExit(1) from None
    except SystemExit as stop:
        if isinstance(stop.code, str):  # a plain message for the console: the log keeps it too
            _append_to_log(log_path, stop.code)
        raise
    except KeyboardInterrupt:
        raise
    except Exception as err:  # noqa: BLE001 - the edge: no bare traceback on the console
        _append_to_log(log_path, traceback.format_exc())
        if not log_path:
            log_path = _fallback_log(step)
        print("\n".join(wrapped(internal_error_message(step, err, log_path), "", "  ")), file=sys.stderr)
        raise SystemExit(1) from None


def _fallback_log(step: str) -> str | None:
    """A command without a rule log (the pre-flight) keeps the traceback in logs/<step>.log."""
    name = "".join(c if c.isalnum() or c in "-_" else "_" for c in step)
    path = Path("logs") / f"{name}.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(traceback.format_exc(), encoding="utf-8")
    except OSError:
        return None
    return path.as_posix()
