"""`python -m <module> <args>` as a command line runs it, in a process forked from a warm interpreter.

A fresh Python running the pre-flight spends most of its time importing pandas and the package; the
input matrices run about a hundred pre-flights. Here each one is a process of its own, forked from a
forkserver (Python's multiprocessing) that imported those modules once: its own working folder,
environment, argv, exit status, and its own file descriptors 1 and 2 (what it prints, and what its
subprocesses print, is captured as a subprocess's would be). The module runs as `python -m` runs it
(runpy, run_name "__main__") and exits as an interpreter does (its atexit functions run), so what is
tested is the command, its messages, its files and its exit status.

One difference from a new interpreter: the modules imported by the forkserver are already imported
(their import-time code ran once, in the forkserver, with the environment of the test run).
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import runpy
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

# what the pre-flight and Snakemake import that costs time (pianoabitativo.core.preload: pandas, the
# stages); not the command's own module, which runpy runs afresh as __main__
PRELOAD = ["pianoabitativo.core.preload", "pianoabitativo.inputs.stage", "pianoabitativo.console", "snakemake.cli"]


def _child(module: str, args: list[str], cwd: str, env: dict[str, str], out: str, err: str) -> None:
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    for fd, path in ((1, out), (2, err)):
        target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(target, fd)
        os.close(target)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115 - fd 1 stays open
    sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115
    sys.argv = [module, *args]
    code: int = 0
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            code = stop.code or 0
        else:  # sys.exit("message"): printed, status 1, as Python does
            print(stop.code, file=sys.stderr)
            code = 1
    except BaseException:  # as Python does: the traceback on stderr, status 1
        traceback.print_exc()
        code = 1
    finally:
        atexit._run_exitfuncs()  # what an interpreter does at exit (logging flushes its files); a process
        sys.stdout.flush()  # of multiprocessing would skip it
        sys.stderr.flush()
    os._exit(code)


def run_module(
    module: str, args: list[str], cwd: Path, env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess:
    """What `python -m module args` run in `cwd` with `env` prints and returns (subprocess.run's result,
    text decoded as UTF-8)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)  # takes effect when the forkserver starts (once per test process)
    with tempfile.TemporaryDirectory(prefix="warm-") as folder:
        out, err = Path(folder, "stdout"), Path(folder, "stderr")
        process = context.Process(target=_child, args=(module, args, str(cwd), dict(env), str(out), str(err)))
        process.start()
        process.join(timeout)
        if process.exitcode is None:
            process.kill()
            process.join()
            raise subprocess.TimeoutExpired([sys.executable, "-m", module, *args], timeout)
        return subprocess.CompletedProcess(
            [sys.executable, "-m", module, *args],
            process.exitcode,
            out.read_text(encoding="utf-8", errors="replace"),
            err.read_text(encoding="utf-8", errors="replace"),
        )
