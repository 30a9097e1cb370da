"""What `make plan` and `snakemake` print: one Italian line per step, where the documents are, and on
failure one plain message naming the file to look at and the step's log.

Snakemake hands every record to the logger plugin of this project (src/snakemake_logger_plugin_pianoabitativo,
selected by `logger:` in profiles/default), which writes the console in place of Snakemake's default stream
handler with
- a filter (`Console`): Snakemake's scheduling chatter («Select jobs to execute...», the `RuleException` of a
  script that has already printed its own Italian message, the «Error in rule» block that lists every input,
  «Restored previous version of ...») leaves the console; it remembers the steps, the failures and the plans
  refused, so that the end of the run can name them (`Console.end_lines`);
- a formatter (`ConsoleFormatter`): a job is its rule's `message:`, one line, no timestamp.
It tells Snakemake's records by their structured event (job_info, job_error, progress, ...) wherever Snakemake
gives one; the few messages that are only English text are matched here by their wording, and each is named by
a test in tests/test_snakemake_internals.py. Everything still goes to Snakemake's own log (.snakemake/log/), and
`snakemake --verbose` shows the console as Snakemake prints it. The Snakefile tells the console what the plans
are (`install`) and asks for the end of the run from its `onsuccess:`/`onerror:` (`finish`).
"""

from __future__ import annotations

import csv
import logging
import re
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

WIDTH = 80
# Snakemake's English lines that carry no event of their own, told by their wording (each named by a test in
# tests/test_snakemake_internals.py, which fails if Snakemake words it otherwise)
NOTHING_TO_DO = "Nothing to be done (all requested files are present and up to date)."  # snakemake.common
CHATTER = re.compile(
    r"Select jobs to execute\.\.\.|Execute \d+ jobs\.\.\.|Building DAG of jobs\.\.\.|Using shell: \S+"
    r"|Assuming unrestricted shared filesystem usage\.|Complete log\(s\): .*|Elapsed time: .*"
    r"|Shutting down, this might take some time\.|Exiting because a job execution failed\..*"
    r"|WorkflowError:\s*At least one job did not complete successfully\.|Cannot restore .+: no backup found\."
    r"|Config file \S+ is (extended|replaced) by additional config specified via the command line\.",
    re.S,
)
RESTORED = re.compile(r"Restored previous version of (.+) \(updating job failed\)\.")
# a run asked to stop (SIGTERM: `make piano` after a Ctrl-C, pianoabitativo/run.py; or a Ctrl-C of its own):
# `make piano` tells the person in Italian, and the run's end is not a failure to explain
STOPPING = re.compile(
    r"Will exit after finishing currently running jobs \(scheduler\)\."
    r"|Terminating processes on user request, this might take some time\."
    r"|Cancelling snakemake on user request\."
)
# Told by the exception Snakemake names in an `error` event (print_exception): a job whose script failed
# (core/worker.StepFailed: the script has printed the Italian reason; the rest is Snakemake's wrapper), and
# Snakemake's lock (a snakemake by hand beside a `make piano` is stopped before, by our own lock)
STEP_FAILED = ("RuleException", "StepFailed")
# a job that refused its plan's data (core/worker.InputsRefused, our own message): the plan is named at the end
REFUSED = re.compile(r"InputsRefused\b.*?: piano «([^»]*)» rifiutato", re.S)
LOCKED = "LockException"
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


@dataclass
class Run:
    """What the Snakefile tells the console of the run (`install`): the plans, their documents and checks,
    and the file a person corrects when a step fails."""

    documents: dict[str, list[str]] = field(default_factory=dict)  # plan -> its document paths
    checks: dict[str, str] = field(default_factory=dict)  # plan -> its processed verifiche.csv
    where_to_look: Callable[[str, dict], str | None] = lambda rule, wildcards: None

    @property
    def plans(self) -> list[str]:
        return list(self.documents)


RUN = Run()  # set by the Snakefile (install), read by the console as the records come
PLUGIN: list[object] = []  # the logger plugin's handler in this process, if Snakemake uses it (not on Slurm)


def install(
    documents: dict[str, list[str]],
    checks: dict[str, str],
    where_to_look: Callable[[str, dict], str | None] = lambda rule, wildcards: None,
) -> Run:
    """The Snakefile's word on its plans, for the summary and the end of the run (see `Run`)."""
    global RUN
    RUN = Run(dict(documents), dict(checks), where_to_look)
    return RUN


END = "pianoabitativo_end"  # the attribute of the record that asks for the end of the run


@dataclass
class End:
    success: bool
    logs: list[str]  # Snakemake's own log of the run (.snakemake/log/)


def finish(success: bool, logs: Iterable[str] = ()) -> None:
    """From the Snakefile's onsuccess:/onerror: the console prints the end of the run (the documents, or what
    failed and why), after every record logged before (Snakemake hands them to the console in order)."""
    from snakemake.logging import logger

    if PLUGIN:
        (logger.info if success else logger.error)("", extra={END: End(success, list(logs))})
    elif success:  # Snakemake's own console (profiles/slurm): where the documents are, all the same
        logger.info("\n".join([""] + summary_lines(RUN.documents, RUN.checks)))


def step_failed(record: logging.LogRecord, text: str) -> bool:
    """The error event of a job whose script failed (StepFailed or InputsRefused, core/worker.py)."""
    exception, ours = STEP_FAILED
    return getattr(record, "exception", None) == exception and (ours in text or bool(REFUSED.search(text)))


class Console(logging.Filter):
    """The console's filter, and what it remembers of the run."""

    def __init__(self, quiet: bool = True, dryrun: bool = False):
        super().__init__()
        self.quiet = quiet  # False under --verbose: remember, but let everything through
        self.dryrun = dryrun
        self.steps: dict = {}  # jobid -> (message, wildcards)
        self.failures: list[Failure] = []
        self.restored: list[str] = []
        self.stopping = False  # asked to stop: the end of the run is not a failure to explain
        self.refused: list[str] = []  # plans whose data a job refused (their problems printed by the job)

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
            return not self.quiet or self.dryrun
        if event not in ("", "error"):
            return True
        text = record.getMessage().strip()
        refused = REFUSED.search(text) if getattr(record, "exception", None) == STEP_FAILED[0] else None
        if refused and refused.group(1) not in self.refused:
            self.refused.append(refused.group(1))
        if STOPPING.fullmatch(text):
            self.stopping = True
            return not self.quiet
        restored = RESTORED.fullmatch(text)
        if restored:
            self.restored.append(restored.group(1))
            return not self.quiet
        return not self.quiet or not (CHATTER.fullmatch(text) or step_failed(record, text))

    def failure_lines(
        self, where_to_look: Callable[[str, dict], str | None], snakemake_logs: Iterable[str] = ()
    ) -> list[str]:
        """The plain message of a failed run: each failed step (but the refusals of a plan's data, named apart),
        the file to look at, its log (nothing for a run asked to stop: `make piano` has said so)."""
        if self.stopping:
            return []
        lines = []
        for failure in self.failures:
            if failure.wildcards.get("plan") in self.refused:
                continue
            lines += wrapped(f"Il passo «{failure.step}» non è riuscito (il motivo è scritto sopra).")
            where = where_to_look(failure.rule, failure.wildcards)
            if where:
                lines += wrapped(f"File da controllare: {where}", "  ")
            for log in failure.logs:
                lines += wrapped(f"Registro del passo: {log}", "  ")
        if not lines and not self.refused:
            logs = ", ".join(snakemake_logs)
            lines += wrapped(
                "La produzione si è fermata: il motivo è scritto sopra"
                + (f"; registro completo: {logs}." if logs else ".")
            )
        if lines:
            lines += wrapped("I documenti e le tabelle prodotti in precedenza restano come erano.")
        return lines

    def end_lines(self, end: End, run: Run) -> list[str]:
        """The end of a run: where the documents are; after a failure, the failed steps, the plans refused (their
        problems are printed above), and the documents of the plans that were built or were up to date."""
        if end.success:
            return [""] + summary_lines(run.documents, run.checks)
        if self.stopping:
            return []
        lines = self.failure_lines(run.where_to_look, end.logs)
        failed = {f.wildcards.get("plan") for f in self.failures} | set(self.refused)
        others = [plan for plan in run.plans if plan not in failed]
        if self.refused and len(run.plans) > 1:  # one plan alone: its problems' heading has said it
            lines += refusal_lines(self.refused, bool(others))
        if lines and others:
            worked = {wildcards.get("plan") for _, wildcards in self.steps.values()}
            idle = [plan for plan in others if plan not in worked]
            lines += wrapped(up_to_date(idle)) if idle else []
            lines += summary_lines({p: run.documents[p] for p in others}, run.checks)
        return [""] + lines if lines else []


def refusal_lines(refused: list[str], others: bool) -> list[str]:
    """«Non si produce il piano «x» finché ...»: the plans whose inputs were refused, after their problems."""
    names = ", ".join(f"«{plan}»" for plan in refused)
    closing = f"Non si produce il piano {names}" if len(refused) == 1 else f"Non si producono i piani {names}"
    closing += " finché i dati indicati sopra non sono corretti"
    closing += "; gli altri piani si producono." if others else "."
    return wrapped(closing, continuation="")


class ConsoleFormatter(logging.Formatter):
    """A job is its rule's message on one line; «nothing to do» says where the documents are."""

    def __init__(self, inner: logging.Formatter, dryrun: bool = False, run: Callable[[], Run] = lambda: RUN):
        super().__init__()
        self.inner, self.dryrun, self.run = inner, dryrun, run

    def format(self, record: logging.LogRecord) -> str:
        event = str(getattr(record, "event", "") or "")
        if event == "job_info":
            if record.rule_msg:
                return "\n".join(wrapped(str(record.rule_msg), "- "))
            outputs = list(record.output or [])
            more = f" (e altri {len(outputs) - 1} file)" if len(outputs) > 1 else ""
            return "\n".join(wrapped(f"passo «{record.rule_name}»: {outputs[0] if outputs else ''}{more}", "- "))
        if not event and not self.dryrun and record.getMessage().strip() == NOTHING_TO_DO:
            run = self.run()
            return "\n".join(wrapped(up_to_date(sorted(run.plans))) + summary_lines(run.documents, run.checks))
        if getattr(record, "exception", None) == LOCKED:
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


def warnings_in(checks_csv: str | Path) -> int:
    """How many checks did not pass (esito «non superato») in a plan's verifiche.csv."""
    path = Path(checks_csv)
    if not path.is_file():
        return 0
    with path.open(encoding="utf-8", newline="") as handle:
        return sum(1 for row in csv.DictReader(handle) if row.get("esito") == "non superato")


def is_draft(plan: str) -> bool:
    """Whether the plan's documents, as last built, are a draft (their appendice «Da verificare prima
    dell'approvazione», report/gen/<plan>/da_verificare.md, is not empty)."""
    from .core.paths import fragment
    from .fragments.draft import appendix_says_draft

    return appendix_says_draft(Path(fragment(plan, "da_verificare")))


def summary_lines(plans: dict[str, list[str]], checks: dict[str, str]) -> list[str]:
    """Where each plan's documents are (those that exist), and its checks' file if some did not pass.

    plans: plan -> its document paths; checks: plan -> its processed verifiche.csv.
    """
    lines = []
    for plan, documents in plans.items():
        present = [d for d in documents if Path(d).is_file()]
        if not present:
            continue
        draft = is_draft(plan)
        lines.append(f"Documenti del piano {plan}" + (" (BOZZA, non ancora approvato):" if draft else ":"))
        lines += [f"  {document}" for document in present]
        warnings = warnings_in(checks.get(plan, ""))
        if warnings:
            noun = "avviso" if warnings == 1 else "avvisi"
            lines.append(f"  {warnings} {noun} sui dati (appendice «Verifiche sui dati»):")
            lines.append(f"  {checks[plan]}")
    return lines
