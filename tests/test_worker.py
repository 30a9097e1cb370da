"""How a job runs its script (core/worker.py): in its own process, forked from the run's warm worker.

What the workflow relies on: the script gets its `snakemake` object as under `script:`, a failure
becomes StepFailed (with the script's own message already printed), a process that dies does not
take the next jobs with it, jobs started from several threads at once all complete (Snakemake runs
jobs from its threads), and each job's benchmark file has Snakemake's columns with the job's own
figures.
"""

from __future__ import annotations

import csv
import threading

import pytest
from snakemake.iocontainers import Namedlist

from pianoabitativo.core import worker

pytestmark = pytest.mark.workflow

WRITES = """
from pathlib import Path
Path(snakemake.output.result).write_text(f"{snakemake.wildcards.plan}:{snakemake.params.value}", encoding="utf-8")
"""
FAILS = """
import sys
print("Errore nei dati: colonna «N. alloggi» mancante", file=sys.stderr)
raise SystemExit(1)
"""
DIES = """
import os, signal
os.kill(os.getpid(), signal.SIGKILL)
"""
SEES = """
import sys
from pathlib import Path
Path(snakemake.output.result).write_text(str("matplotlib" in sys.modules), encoding="utf-8")
"""


@pytest.fixture()
def project(tmp_path, monkeypatch):
    (tmp_path / "scripts").mkdir()
    for name, text in {"writes": WRITES, "fails": FAILS, "dies": DIES, "sees": SEES}.items():
        (tmp_path / "scripts" / f"{name}.py").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    # a process has one forkserver: the one tests/warm.py may have started in this test process would serve
    # these jobs with its own preload; the worker starts its own
    worker.stop_server()
    yield tmp_path
    worker.stop()


def job(script: str, plan: str, benchmark: str | None = None) -> None:
    worker.run_script(
        script,
        Namedlist(),
        Namedlist(fromdict={"result": f"{plan}.txt"}),
        Namedlist(fromdict={"value": 42}),
        Namedlist(fromdict={"plan": plan}),
        1,
        Namedlist(),
        Namedlist(),
        "prova",
        benchmark=benchmark,
    )


def test_a_job_gets_its_snakemake_object_and_writes_its_benchmark(project):
    job("writes", "cremasco_2019", benchmark="benchmarks/cremasco_2019/prova.tsv")
    assert (project / "cremasco_2019.txt").read_text(encoding="utf-8") == "cremasco_2019:42"
    with open(project / "benchmarks/cremasco_2019/prova.tsv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert list(rows[0]) == worker.BENCHMARK_COLUMNS and len(rows) == 1
    assert 0 < float(rows[0]["s"]) < 60 and 0 <= float(rows[0]["cpu_time"]) < 60
    assert 20 < float(rows[0]["max_rss"]) < 300  # MB: the warm worker's imports are shared, not copied


def test_a_failing_script_is_a_failed_step_with_its_message_printed(project, capfd):
    with pytest.raises(worker.StepFailed, match="scripts/fails.py"):
        job("fails", "cremasco_2019", benchmark="benchmarks/cremasco_2019/fallito.tsv")
    assert "colonna «N. alloggi» mancante" in capfd.readouterr().err
    assert not (project / "benchmarks/cremasco_2019/fallito.tsv").exists()


def test_a_job_whose_process_dies_fails_alone(project):
    with pytest.raises(worker.StepFailed, match="scripts/dies.py"):
        job("dies", "cremasco_2019")
    job("writes", "tormense_2019")  # the next job gets a working pool
    assert (project / "tormense_2019.txt").read_text(encoding="utf-8") == "tormense_2019:42"


def test_jobs_started_from_many_threads_all_complete(project):
    plans = [f"t{k:03d}_2019" for k in range(12)]
    failures = []

    def one(plan):
        try:
            job("writes", plan)
        except Exception as err:  # noqa: BLE001 - collected and asserted below
            failures.append((plan, err))

    threads = [threading.Thread(target=one, args=(plan,)) for plan in plans]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert failures == []
    assert all((project / f"{plan}.txt").read_text(encoding="utf-8") == f"{plan}:42" for plan in plans)


@pytest.mark.parametrize(("plans", "preloaded"), [(1, "False"), (2, "True")])
def test_matplotlib_is_warm_only_where_several_plans_draw_charts(project, plans, preloaded):
    """A single plan's jobs start without matplotlib (its one charts job imports it, the others never need
    it); several plans' charts jobs find it imported once by the warm server (core/preload_charts.py)."""
    worker.warm_for(plans)
    try:
        job("sees", "p")
    finally:
        worker.warm_for(2)  # as before the test: everything preloaded
    assert (project / "p.txt").read_text(encoding="utf-8") == preloaded


def test_every_step_declares_the_record_of_its_success_and_all_asks_for_it():
    """A step that failed runs again (rules/inputs.smk): each rule that runs a script declares its
    benchmark as its output «benchmark», and `all` asks for those of every step of a plan's documents."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    texts = [(root / "Snakefile").read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in sorted((root / "rules").glob("*.smk"))]
    steps = {}
    for text in texts:
        for block in re.split(r"^(?=rule \w+:)", text, flags=re.M):
            name = re.match(r"rule (\w+):", block)
            if name and "worker.run_script(" in block:
                steps[name.group(1)] = re.search(r'benchmark=finished\("(\w+)"\)', block)
    assert len(steps) == 7, sorted(steps)
    assert {name: found and found.group(1) for name, found in steps.items()} == {name: name for name in steps}
    plan_steps = re.search(r"^PLAN_STEPS = \[(.*?)\]", texts[0], flags=re.M | re.S).group(1)
    assert set(re.findall(r'"(\w+)"', plan_steps)) == set(steps) - {"archive"}
    archives = re.search(r"^rule archives:\n(.*?)(?:^\S|\Z)", "\n".join(texts), flags=re.M | re.S).group(1)
    assert 'paths.benchmark(plan, "archive")' in archives
