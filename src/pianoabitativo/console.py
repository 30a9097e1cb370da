"""What `make plan` and `snakemake` print: one Italian line per step, where the documents are, and on
failure one plain message naming the file to look at and the step's log.

Snakemake's own console handler stays; the Snakefile calls `install(workflow)`, which gives it
- a filter: Snakemake's scheduling chatter («Select jobs to execute...», «Complete log(s)», the
  `RuleException` of a script that has already printed its own Italian message, the «Error in rule»
  block that lists every input, «Restored previous version of ...») leaves the console;
- a formatter: a job is its rule's `message:`, one line, no timestamp.
Everything still goes to Snakemake's own log (.snakemake/log/), and `snakemake --verbose` shows
the console as Snakemake prints it. The filter also remembers the steps that failed, so that the
Snakefile's `onerror:` can name them (`failure_lines`); `onsuccess:` prints `summary_lines`.
"""

from __future__ import annotations

import csv
import logging
import re
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

WIDTH = 80
NOTHING_TO_DO = "Nothing to be done (all requested files are present and up to date)."
CHATTER = re.compile(
    r"Select jobs to execute\.\.\.|Execute \d+ jobs\.\.\.|Building DAG of jobs\.\.\.|Using shell: \S+"
    r"|Assuming unrestricted shared filesystem usage\.|Complete log\(s\): .*|Elapsed time: .*"
    r"|Shutting down, this might take some time\.|Exiting because a job execution failed\..*"
    r"|WorkflowError:\s*At least one job did not complete successfully\.|Cannot restore .+: no backup found\."
    r"|Config file \S+ is extended by additional config specified via the command line\.",
    re.S,
)
# a script job that failed: its script printed the Italian message already; the rest is Snakemake's wrapper
SCRIPT_FAILED = re.compile(
    r"RuleException:\s*(CalledProcessError in file .*/\.snakemake/scripts/|StepFailed in file )", re.S
)
RESTORED = re.compile(r"Restored previous version of (.+) \(updating job failed\)\.")
# a run asked to stop (SIGTERM: `make piano` after a Ctrl-C, pianoabitativo/run.py; or a Ctrl-C of its own):
# `make piano` tells the person in Italian, and the run's end is not a failure to explain
STOPPING = re.compile(
    r"Will exit after finishing currently running jobs \(scheduler\)\."
    r"|Terminating processes on user request, this might take some time\."
    r"|Cancelling snakemake on user request\."
)
# Snakemake's lock (a snakemake by hand beside a `make piano` is stopped before, by our own lock)
LOCKED = re.compile(r"LockException:?\s*Error: Directory cannot be locked\.", re.S)
LOCKED_TEXT = (
    "La cartella del progetto è bloccata da un'esecuzione di Snakemake interrotta bruscamente. "
    "Se nessun'altra è in corso: `.venv/bin/snakemake --unlock`, poi di nuovo `make piano`."
)


def wrapped(text: str, indent: str = "", width: int = WIDTH, continuation: str | None = None) -> list[str]:
    """A paragraph as lines no wider than `width`, continuation lines indented two more spaces
    (or by `continuation`)."""
    return textwrap.wrap(
        text,
        width,
        initial_indent=indent,
        subsequent_indent=indent + "  " if continuation is None else continuation,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [indent]


@dataclass
class Failure:
    rule: str
    step: str  # the rule's message, as the console showed it
    wildcards: dict
    logs: list[str]


# Snakemake's counts of a run (job stats, cores, «3 of 12 steps done», «Finished jobid»): shown by a dry run
# (`snakemake -n` lists what would be done), left out of a real one, where each step is its own line
PROGRESS_EVENTS = {"run_info", "resources_info", "progress", "job_finished"}


def is_dry_run(workflow) -> bool:
    """Asked at each message: the workflow knows it is a dry run only once it runs."""
    try:
        return bool(workflow.dryrun)
    except AttributeError:
        return False


class Console(logging.Filter):
    """The filter on Snakemake's console handler, and what it remembers of the run."""

    def __init__(self, quiet: bool = True, workflow=None):
        super().__init__()
        self.quiet = quiet  # False under --verbose: remember, but let everything through
        self.workflow = workflow
        self.steps: dict = {}  # jobid -> (message, wildcards)
        self.failures: list[Failure] = []
        self.restored: list[str] = []
        self.stopping = False  # asked to stop: the end of the run is not a failure to explain

    def filter(self, record: logging.LogRecord) -> bool:
        event = str(getattr(record, "event", "") or "")
        if event == "job_info":
            self.steps[record.jobid] = (record.rule_msg, dict(getattr(record, "wildcards", {}) or {}))
            # an aggregate rule (all, archives) has no output and no message: nothing to tell
            return not self.quiet or bool(record.rule_msg or record.output)
        if event == "job_error":
            message, wildcards = self.steps.get(record.jobid, (None, {}))
            logs = [entry.split(" (")[0] for entry in record.log or []]
            self.failures.append(Failure(record.rule_name, message or record.rule_name, wildcards, logs))
            return not self.quiet
        if event in ("job_started", "workflow_started"):  # «Execute 2 jobs...», the host banner
            return not self.quiet
        if event in PROGRESS_EVENTS:
            return not self.quiet or is_dry_run(self.workflow)
        if event not in ("", "error"):
            return True
        text = record.getMessage().strip()
        if STOPPING.fullmatch(text):
            self.stopping = True
            return not self.quiet
        restored = RESTORED.fullmatch(text)
        if restored:
            self.restored.append(restored.group(1))
            return not self.quiet
        return not self.quiet or not (CHATTER.fullmatch(text) or SCRIPT_FAILED.search(text))

    def failure_lines(
        self, where_to_look: Callable[[str, dict], str | None], snakemake_logs: Iterable[str] = ()
    ) -> list[str]:
        """The plain message of a failed run: each failed step, the file to look at, its log (nothing for a
        run asked to stop: `make piano` has said so)."""
        if self.stopping:
            return []
        lines = []
        for failure in self.failures:
            lines += wrapped(f"Il passo «{failure.step}» non è riuscito (il motivo è scritto sopra).")
            where = where_to_look(failure.rule, failure.wildcards)
            if where:
                lines += wrapped(f"File da controllare: {where}", "  ")
            for log in failure.logs:
                lines += wrapped(f"Registro del passo: {log}", "  ")
        if not lines:
            logs = ", ".join(snakemake_logs)
            lines += wrapped(
                "La produzione si è fermata: il motivo è scritto sopra"
                + (f"; registro completo: {logs}." if logs else ".")
            )
        lines += wrapped("I documenti e le tabelle prodotti in precedenza restano come erano.")
        return lines


class ConsoleFormatter(logging.Formatter):
    """A job is its rule's message on one line; «nothing to do» says where the documents are."""

    def __init__(self, inner: logging.Formatter, workflow, summary: Callable[[], list[str]]):
        super().__init__()
        self.inner, self.workflow, self.summary = inner, workflow, summary

    @property
    def dryrun(self) -> bool:
        return is_dry_run(self.workflow)

    def format(self, record: logging.LogRecord) -> str:
        event = str(getattr(record, "event", "") or "")
        if event == "job_info":
            if record.rule_msg:
                return "\n".join(wrapped(str(record.rule_msg), "- "))
            outputs = list(record.output or [])
            more = f" (e altri {len(outputs) - 1} file)" if len(outputs) > 1 else ""
            return "\n".join(wrapped(f"passo «{record.rule_name}»: {outputs[0] if outputs else ''}{more}", "- "))
        if not event and not self.dryrun and record.getMessage().strip() == NOTHING_TO_DO:
            plans = sorted(getattr(self.workflow, "config", {}).get("plans") or [])
            return "\n".join(wrapped(up_to_date(plans)) + self.summary())
        if LOCKED.match(record.getMessage().strip()):
            return "\n".join(wrapped(LOCKED_TEXT))
        return self.inner.format(record)


def up_to_date(plans: list[str]) -> str:
    """«Nothing to be done», naming the plans it is about (after a refused plan, not «everything»)."""
    if not plans:
        return "Niente da rifare: tutto è aggiornato."
    if len(plans) == 1:
        return f"Niente da rifare per il piano {plans[0]}: è aggiornato."
    if len(plans) <= 3:
        return f"Niente da rifare per i piani {', '.join(plans[:-1])} e {plans[-1]}: sono aggiornati."
    return f"Niente da rifare: i {len(plans)} piani sono aggiornati."


def install(workflow, summary: Callable[[], list[str]] = lambda: []) -> Console:
    """Put the console filter (and, unless --verbose, the formatter) on Snakemake's console handler."""
    from snakemake.logging import logger

    verbose = bool(getattr(getattr(workflow, "output_settings", None), "verbose", False))
    console = Console(quiet=not verbose, workflow=workflow)
    for handler in logger.handlers:
        if handler.name != "DefaultStreamHandler":
            continue
        for old in [f for f in handler.filters if isinstance(f, Console)]:  # a Snakefile read twice
            handler.removeFilter(old)
        handler.addFilter(console)
        if not verbose:
            inner = handler.formatter.inner if isinstance(handler.formatter, ConsoleFormatter) else handler.formatter
            handler.setFormatter(ConsoleFormatter(inner, workflow, summary))
    return console


def show(lines: list[str], error: bool = False) -> None:
    """Lines for the person at the console (and Snakemake's log)."""
    from snakemake.logging import logger

    if any(lines):
        (logger.error if error else logger.info)("\n".join(lines))


def warnings_in(checks_csv: str | Path) -> int:
    """How many checks did not pass (esito «non superato») in a plan's verifiche.csv."""
    path = Path(checks_csv)
    if not path.is_file():
        return 0
    with path.open(encoding="utf-8", newline="") as handle:
        return sum(1 for row in csv.DictReader(handle) if row.get("esito") == "non superato")


def summary_lines(plans: dict[str, list[str]], checks: dict[str, str]) -> list[str]:
    """Where each plan's documents are (those that exist), and its checks' file if some did not pass.

    plans: plan -> its document paths; checks: plan -> its processed verifiche.csv.
    """
    lines = []
    for plan, documents in plans.items():
        present = [d for d in documents if Path(d).is_file()]
        if not present:
            continue
        lines.append(f"Documenti del piano {plan}:")
        lines += [f"  {document}" for document in present]
        warnings = warnings_in(checks.get(plan, ""))
        if warnings:
            noun = "avviso" if warnings == 1 else "avvisi"
            lines.append(f"  {warnings} {noun} sui dati (appendice «Verifiche sui dati»):")
            lines.append(f"  {checks[plan]}")
    return lines
