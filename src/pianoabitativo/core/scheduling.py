"""One correction to Snakemake's local scheduler (9.x), applied by the Snakefile.

After every round of job selection the scheduler starts a one-second timer that wakes it for another
round (its job-rate limiter, `--max-jobs-per-timespan`, default 100/1s), and every round so woken
starts another timer. Each finished job thus adds a chain of rounds, once a second, that lasts until
the run ends: after a few hundred jobs the scheduler runs hundreds of rounds a second, each measuring
the inputs of the ready jobs, and Snakemake's own process becomes the bottleneck (with a hundred plans
it used a whole core; bench/run.py measures it). Here a scheduler keeps at most one such timer
pending: a round still happens at least once per timespan, and whenever a job finishes, as before.
The timer is a daemon thread, so it never holds the end of a run.
"""

from __future__ import annotations

import threading


def one_pending_reevaluation() -> bool:
    """Patch JobScheduler._schedule_reevalutation (sic) to keep one timer pending; False if not there."""
    try:
        from snakemake.scheduling.job_scheduler import JobScheduler
    except ImportError:
        return False
    if not hasattr(JobScheduler, "_schedule_reevalutation"):
        return False
    if getattr(JobScheduler, "_one_pending_reevaluation", False):
        return True
    lock = threading.Lock()

    def schedule_reevaluation(self, delay) -> None:
        with lock:
            if getattr(self, "_reevaluation_pending", False):
                return
            self._reevaluation_pending = True

        def wake() -> None:
            with lock:
                self._reevaluation_pending = False
            self._open_jobs.release()

        timer = threading.Timer(delay, wake)
        timer.daemon = True
        timer.start()

    JobScheduler._schedule_reevalutation = schedule_reevaluation
    JobScheduler._one_pending_reevaluation = True
    return True
