"""The edge between Snakemake (or a person at the shell) and the package's functions.

A script in scripts/ ends with `run(main, globals())`: under Snakemake it gets the
job's `snakemake` object; run by hand (`python scripts/build_tables.py [plan]`)
it builds the same object from the Snakefile, like PyPSA-Eur's `mock_snakemake`,
so that a colleague can debug one step without running the workflow.
Either way the log goes to the rule's log file and a data error prints as a
plain Italian list of problems, never as a traceback.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Callable

from .errors import run_reporting_data_errors


def mock_snakemake(rule: str, **wildcards: str):
    """The `snakemake` object Snakemake would give the script of `rule` (run from the project folder)."""
    import snakemake.api  # noqa: F401 - loads snakemake.workflow in the order Snakemake expects
    from snakemake.dag import DAG
    from snakemake.jobs import Job
    from snakemake.logging import LoggerManager, logger
    from snakemake.script import Snakemake
    from snakemake.settings.types import (ConfigSettings, DAGSettings, OutputSettings, ResourceSettings,
                                          StorageSettings, WorkflowSettings)
    from snakemake.workflow import Workflow

    if not Path("Snakefile").is_file():
        raise SystemExit("Eseguire lo script dalla cartella del progetto (quella che contiene lo Snakefile).")
    workflow = Workflow(config_settings=ConfigSettings(), resource_settings=ResourceSettings(),
                        workflow_settings=WorkflowSettings(), logger_manager=LoggerManager(logger, OutputSettings()),
                        storage_settings=StorageSettings(), dag_settings=DAGSettings(rerun_triggers=[]),
                        storage_provider_settings=dict())
    workflow.include(Path("Snakefile").resolve())
    workflow.global_resources = {}
    job_rule = workflow.get_rule(rule)
    job = Job(job_rule, DAG(workflow, rules=[job_rule]), wildcards)
    return Snakemake(job.input, job.output, job.params, job.wildcards, job.threads, job.resources, job.log,
                     workflow.config, job.rule.name, None)


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
        logging.basicConfig(filename=log_path, filemode="w", level=logging.INFO,
                            format="%(levelname)s %(name)s: %(message)s")
    else:
        logging.basicConfig(stream=sys.stderr, level=logging.INFO)
    run_reporting_data_errors(lambda: main(smk), log_path)
