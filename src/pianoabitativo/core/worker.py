"""How a job of the workflow runs its script: in a process forked from a warm worker, not a fresh Python.

A job of ours does little work (a few small tables, one chart, one pandoc call) and, as a fresh
interpreter, would spend most of its time importing pandas, matplotlib and the package. So each rule
says `run: worker.run_script("make_charts", ...)`: Snakemake runs that line in one of its threads
(profiles/default sets `force-use-threads`), and it hands the job to a process pool whose processes
are forked, one per job, from a forkserver (Python's multiprocessing) started once per run with
core/preload.py already imported (and core/preload_charts.py, where several plans draw charts:
warm_for). The process runs scripts/make_charts.py exactly as Snakemake's `script:` would (with the
job's `snakemake` object). It is a process of its own: its own memory, globals, log and exit status; a
failure there cannot touch the other jobs or Snakemake.
(A pool, not multiprocessing.Process: Process objects are not safe to start and join from several
threads at once, and Snakemake runs jobs from several threads.)

The child measures itself and, once the script has succeeded, writes the rule's benchmark file,
benchmarks/<plan>/<rule>.benchmark.tsv (Snakemake's columns: s, h:m:s, max_rss, ..., cpu_time), because
Snakemake's `benchmark:` would measure its own process for a `run:` rule. The rules declare it as an
output: the record that the job succeeded (rules/inputs.smk). Scripts still run by hand as before
(`python scripts/make_charts.py plan=cremasco_2019`).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import runpy
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from .errors import wrapped

PRELOAD = ["__main__", "pianoabitativo.core.preload"]  # __main__: Snakemake's own, imported once, not per job
PRELOAD_CHARTS = "pianoabitativo.core.preload_charts"  # matplotlib: where several plans draw charts (warm_for)
BENCHMARK_COLUMNS = [
    "s",
    "h:m:s",
    "max_rss",
    "max_vms",
    "max_uss",
    "max_pss",
    "io_in",
    "io_out",
    "mean_load",
    "cpu_time",
]

# what the console says of a job whose process was killed (kill -9, out of memory): nothing else would
KILLED = (
    "Il passo è stato fermato dall'esterno prima di finire (processo terminato, o memoria esaurita): "
    "i suoi risultati non sono stati scritti; il prossimo `make piano` lo rifà."
)

_pool: ProcessPoolExecutor | None = None
_lock = threading.Lock()
_preload: list[str] = [*PRELOAD, PRELOAD_CHARTS]  # what the warm server imports: everything, unless warm_for says


# the exit status of a script that refused its plan's data (scripts/validate_inputs.py: the problems printed)
REFUSED = 3


class StepFailed(Exception):
    """A job's script stopped with an error. It has printed the reason (and written it to its log)."""


class InputsRefused(StepFailed):
    """A job's script refused its plan's data (exit status REFUSED), having printed the problems. Its message
    names the plan, «piano «x» rifiutato», for the console (console.py) to name the plans refused at the end."""


def warm_for(plans: int) -> None:
    """Before the first job (the Snakefile, once it knows its plans): what the warm server of a run of
    `plans` plans imports. matplotlib and the charts (core/preload_charts.py) only for several plans,
    whose charts jobs share them; a single plan's one charts job imports them itself, and a run that draws
    no chart (a changed text or fact: most runs of one plan) does not spend half a second on them."""
    global _preload
    _preload = [*PRELOAD, PRELOAD_CHARTS] if plans > 1 else list(PRELOAD)


def _workers() -> ProcessPoolExecutor:
    """The pool of the run, created at its first job: one fresh process per job, forked from the warm server."""
    global _pool
    with _lock:
        if _pool is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(_preload)
            _pool = ProcessPoolExecutor(
                max_workers=max(os.cpu_count() or 1, 2), mp_context=context, max_tasks_per_child=1
            )
        return _pool


def run_script(
    script: str, input, output, params, wildcards, threads, resources, log, rule: str, benchmark: str | None = None
) -> None:
    """Run scripts/<script>.py for one job, in its own process forked from the warm worker; StepFailed if it fails.

    The job's benchmark file, written only when the script has succeeded, is its output «benchmark» (the
    record that it finished, rules/inputs.smk), unless given."""
    from snakemake.script import Snakemake

    if benchmark is None:
        benchmark = dict(output.items()).get("benchmark")
    smk = Snakemake(input, output, params, wildcards, threads, resources, log, {}, rule, None)
    try:
        status = _workers().submit(_job, f"scripts/{script}.py", smk, benchmark).result()
    except BrokenProcessPool:  # the job's process died (killed, out of memory): the next job gets a new pool
        _discard_pool()
        print("\n".join(wrapped(KILLED, "", "")), file=sys.stderr, flush=True)
        status = "interrotto"
    if status == REFUSED:
        raise InputsRefused(f"scripts/{script}.py: piano «{dict(wildcards).get('plan', '')}» rifiutato")
    if status != 0:
        raise StepFailed(f"scripts/{script}.py (esito {status})")


def _discard_pool() -> None:
    global _pool
    with _lock:
        broken, _pool = _pool, None
    if broken is not None:
        broken.shutdown(wait=False, cancel_futures=True)


def _job(script: str, smk, benchmark: str | None) -> int:
    """In the job's process: the script with its `snakemake` object, then its benchmark record; the exit status."""
    started, cpu_before = time.perf_counter(), _cpu_seconds()
    try:
        runpy.run_path(script, init_globals={"snakemake": smk}, run_name="__main__")
    except SystemExit as stop:  # the script's edge (core/runner.py) has printed and logged the reason
        if stop.code not in (None, 0):
            if not isinstance(stop.code, int):  # a message, which Python would print on its way out
                print(console_lines(str(stop.code)), file=sys.stderr)
            return stop.code if isinstance(stop.code, int) else 1
    finally:
        logging.shutdown()  # the log file complete before Snakemake reads it
        sys.stdout.flush()
        sys.stderr.flush()
    if benchmark:
        write_benchmark(benchmark, time.perf_counter() - started, _cpu_seconds() - cpu_before, _max_rss_mb())
    return 0


def console_lines(message: str) -> str:
    """A step's message as the console shows it: each line within 80 columns (continuations indented)."""
    return "\n".join(
        part for line in message.splitlines() for part in (wrapped(line, "", "  ") if len(line) > 80 else [line])
    )


def _cpu_seconds() -> float:
    """User and system time of this process and of the programs it ran (pandoc)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _max_rss_mb() -> float:
    """The peak resident memory of this process or of the largest program it ran, in MB."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return max(own.ru_maxrss, children.ru_maxrss) / 1024


def write_benchmark(path: str, seconds: float, cpu: float, max_rss: float) -> None:
    """A benchmark file as Snakemake writes it (the columns it cannot measure are NA)."""
    hours, rest = divmod(int(seconds), 3600)
    values = {
        "s": f"{seconds:.4f}",
        "h:m:s": f"{hours}:{rest // 60:02d}:{rest % 60:02d}",
        "max_rss": f"{max_rss:.2f}",
        "cpu_time": f"{cpu:.2f}",
    }
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(
        "\t".join(BENCHMARK_COLUMNS) + "\n" + "\t".join(values.get(c, "NA") for c in BENCHMARK_COLUMNS) + "\n",
        encoding="utf-8",
    )


def stop() -> None:
    """At the end of a run: the pool's processes, then the warm server, ended and collected (so that their
    CPU time counts as the run's)."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is None:
        return
    pool.shutdown(wait=True)
    stop_server()


def stop_server() -> None:
    """The warm server (this process's forkserver: one per process, whoever started it), ended and
    collected, if it runs; the next pool starts a new one, with the preload of its run."""
    from multiprocessing import forkserver

    server = forkserver._forkserver  # noqa: SLF001 - the stdlib has no public way to stop it
    if getattr(server, "_forkserver_pid", None):
        server._stop()  # noqa: SLF001
