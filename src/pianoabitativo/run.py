"""`make piano`: one production of the plans, safe against a second run, Ctrl-C and a closed terminal.

`python -m pianoabitativo.run [--solo-controllo] [config.yaml] [target ...]` (make piano, make controlla,
make archivia):
1. takes the project's run lock (core/runlock.py): a `make piano` started while another runs says so
   in one line and waits for it, then runs (and usually finds everything done);
2. reads each plan's facts (plans/<plan>.yaml): a plan file that cannot be read is named with its
   problems and left out, because Snakemake reads them all before it builds anything (make archivia:
   then each draft is named and left out, archive/drafts.py);
3. runs Snakemake on the other plans (`--config plans=[...]`, nothing written to share between runs),
   through core/snakemake_main.py (Snakemake's command line without its English line about the
   profile), with the default profile (its console, and `keep-going`) and without Snakemake's own lock
   (ours is held for it). Snakemake runs every stage: each plan's inputs are checked once, by its
   validate_inputs job, which prints a refused plan's problems in plain Italian; the other plans are
   built all the same, and the console's last lines name the refused plans and where the other plans'
   documents are (console.py).
`--solo-controllo` (make controlla) runs the pre-flight instead (inputs/preflight.py: every plan's inputs
checked, nothing written), under the same lock.

Snakemake runs in a session of its own, so that the terminal's Ctrl-C reaches this process and not the
jobs: the first Ctrl-C asks Snakemake to stop after the steps already started (SIGTERM, its graceful
stop), so that every step either finishes or never starts; a second one stops it at once (SIGKILL to its
process group). Either way every output is written whole or not at all (core/files.py), and what was
left half done is redone by the next `make piano` (`rerun-incomplete` in profiles/default), without a
word about Snakemake. A closed terminal (SIGHUP) or a SIGTERM counts as the first Ctrl-C.
The exit status is 1 if a plan was refused (by Snakemake's jobs or before), 130 if interrupted, 0 otherwise.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from .console import wrapped
from .core import runlock
from .core.runner import run_step

SNAKEMAKE = [
    sys.executable,
    "-m",
    "pianoabitativo.core.snakemake_main",
    "--cores",
    "all",
    "--profile",
    "profiles/default",
    "--workflow-profile",
    "none",
    "--nolock",
]
INTERRUPTED = 130  # a shell's status for a command stopped by Ctrl-C

WAITING = f"{runlock.BUSY} (avviata da un altro terminale): si attende che finisca, poi si riprende da qui."
STOPPING = (
    "Interruzione richiesta: si finiscono i passi già avviati, poi la produzione si ferma "
    "(Ctrl-C di nuovo per fermarla subito)."
)
STOPPED = (
    "Produzione interrotta: i passi già finiti restano, nessun file è rimasto a metà; "
    "il prossimo `make piano` fa il resto."
)
STOPPED_NOW = (
    "Produzione fermata subito: nessun file è rimasto a metà (i documenti dei passi interrotti "
    "sono quelli di prima); il prossimo `make piano` rifà quei passi."
)
STOPPED_BEFORE = "Produzione interrotta durante il controllo dei dati: nulla è cambiato."
CONTROL = "pre-flight dei dati di input"
FACTS = "lettura dei fatti dei piani"


def say(text: str) -> None:
    """One message for the person at the terminal (nothing if the terminal has gone)."""
    try:
        print("\n".join(wrapped(text)), file=sys.stderr, flush=True)
    except OSError:
        pass


def run_snakemake(plans: list[str], lock_fd: int, targets: list[str]) -> int:
    """Snakemake on `plans`, in its own session; its exit status (INTERRUPTED if stopped by a signal)."""
    command = SNAKEMAKE + [*targets, "--config", f"plans=[{', '.join(plans)}]"]  # --config takes what follows
    requests: list[int] = []
    started: list[subprocess.Popen] = []

    def stop(signum, frame) -> None:
        requests.append(signum)
        for child in started:
            if len(requests) == 1:
                say(STOPPING)
                child.send_signal(signal.SIGTERM)
            elif signum == signal.SIGINT:
                try:
                    os.killpg(child.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)
    child = subprocess.Popen(
        command, env={**os.environ, runlock.HELD: str(lock_fd)}, pass_fds=(lock_fd,), start_new_session=True
    )
    started.append(child)
    if requests:  # a Ctrl-C before Snakemake existed
        say(STOPPING)
        child.send_signal(signal.SIGTERM)
    status = child.wait()
    if requests:
        killed = any(r == signal.SIGINT for r in requests[1:])
        say(STOPPED_NOW if killed else STOPPED)
        return INTERRUPTED
    return status if status >= 0 else 1


def main(argv: list[str]) -> int:
    check_only = "--solo-controllo" in argv  # make controlla: the pre-flight alone, under the same lock
    argv = [a for a in argv if a != "--solo-controllo"]
    config = Path(argv[0] if argv else "config.yaml")
    targets = argv[1:]
    lock_fd = runlock.acquire(wait=True, announce=lambda: say(WAITING))
    from .inputs.preflight import check_plans, readable_plans

    try:
        if check_only:
            _, refused = run_step(lambda: check_plans(config), CONTROL)
            return 1 if refused else 0
        ready, refused = run_step(lambda: readable_plans(config), FACTS)
    except KeyboardInterrupt:
        say(STOPPED_BEFORE)
        return INTERRUPTED
    if "archives" in targets and ready:  # make archivia: only approved plans, each draft named
        from .archive.drafts import approved_plans

        ready, drafts = run_step(lambda: approved_plans(ready), "scelta dei piani da archiviare")
        refused = refused or bool(drafts)
    if not ready:
        return 1 if refused else 0
    built = run_snakemake(ready, lock_fd, targets)
    return built or (1 if refused else 0)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:  # Ctrl-C while waiting for the other run
        say("Attesa interrotta: nulla è cambiato.")
        sys.exit(INTERRUPTED)
