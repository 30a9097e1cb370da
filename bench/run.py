"""Benchmark of the workflow on the machine it runs on (make bench): what a plan costs, and what it cannot cost less than.

    .venv/bin/python bench/run.py                   # every case; writes bench/results.csv and bench/jobs.csv
    .venv/bin/python bench/run.py --plans 1,10      # a shorter run (no 100-plan case)
    .venv/bin/python bench/run.py --cores 2 --keep  # keep the temporary projects (their path is printed)

Everything runs in temporary copies of the project (tests/inputs_support.copy_project_for_make); the
repository is not touched except bench/*.csv. One run measures:

floors     - no-op of a one-rule Snakemake workflow (the least a Snakemake run costs);
           - `python -c "import pandas, matplotlib"` (the least a job of ours that reads a table costs);
           - one pandoc call (markdown -> HTML, pypandoc-binary's pandoc);
           - one Typst call (`python -c "import typst; typst.compile(...)"`, the typst package).
one plan   - cremasco_2019 (the reference plan): cold full build; no-op rerun; a prose edit of the .qmd
             (only the render job reruns); one raw file edited and re-registered
             (`python -m pianoabitativo.inputs.register`), which reruns the whole chain.
many plans - N copies of the invented ambito tormense_2019 (tests/fixtures/tormense_2019) under other
             plan names, built cold in one run, for N in --plans (default 1, 10, 100); for each N also
             the DAG (a dry run before building) and the no-op rerun after it.
start      - the first `make plan` on a fresh clone (git clone of the committed HEAD into a temporary
             folder, ../shared beside it): `make setup` (venv, uv, the locked packages) then `make plan`,
             with the uv and pip caches as they are on this machine (warm: the usual case) and with empty
             ones (cold: every package downloaded). Target: 30 s (warm).
tests      - `make test-fast` (target 20 s) and `make test` (target 180 s) in that fresh clone, with the
             Quarto of `make quarto` on PATH where it is installed, as `make test` puts it.

--only workflow,start,tests picks the groups (default: all three; workflow = floors, one plan, many
plans). A partial run replaces the rows of the groups it measured in bench/results.csv and keeps the
others (each row has its date).

For each case: wall time, CPU (user+sys of Snakemake and everything it waited for), CPU per plan,
the peak memory of the largest job (max_rss of the rules' benchmark files, benchmarks/<plan>/<rule>.benchmark.tsv)
and the ratio of the wall time to each floor; for start and tests, the target and whether it is met
(target_s, verdict: pass or fail). bench/jobs.csv: per rule, the largest max_rss and the mean
time and CPU of its jobs, from the 1-plan and the largest many-plan run.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import importlib.util
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from inputs_support import CHILD_ENV, copy_project_for_make  # noqa: E402

VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
SNAKEMAKE = [PYTHON, "-m", "snakemake"]
FIXTURE = "tormense_2019"
MEMORY_LIMIT_MB = 300


# --- measuring ---------------------------------------------------------------------------------


def timed(
    cmd: list[str],
    cwd: Path,
    log: Path | None = None,
    env: dict | None = None,
    stdin: str | None = None,
    check: bool = True,
) -> tuple[float, float]:
    """Run cmd; (wall seconds, CPU seconds of it and every child it waited for). Fails loudly, unless
    check is False (then a failure is printed and the figures are still returned)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env or CHILD_ENV, capture_output=True, text=True, input=stdin)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if log is not None:
        log.write_text(done.stdout + done.stderr, encoding="utf-8")
    if done.returncode != 0:
        message = f"bench: {' '.join(cmd)} failed in {cwd}:\n{(done.stdout + done.stderr)[-4000:]}"
        if check:
            raise SystemExit(message)
        print(message, flush=True)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def best_of(runs: int, cmd: list[str], cwd: Path, **kw) -> tuple[float, float]:
    """The fastest of a few runs (floors are small: the least noisy figure)."""
    return min((timed(cmd, cwd, **kw) for _ in range(runs)), key=lambda r: r[0])


def job_benchmarks(project: Path) -> list[dict]:
    """Every rule benchmark file of the project: plan, rule, s, cpu_time, max_rss (MB)."""
    rows = []
    for path in sorted((project / "benchmarks").glob("*/*.benchmark.tsv")):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                rows.append(
                    {
                        "plan": path.parent.name,
                        "job": path.name.removesuffix(".benchmark.tsv"),
                        "rule": path.name.removesuffix(".benchmark.tsv"),
                        "s": float(row["s"]),
                        "cpu_time": float(row["cpu_time"]),
                        "max_rss": float(row["max_rss"]) if row["max_rss"] not in ("", "NA") else 0.0,
                    }
                )
    return rows


# --- projects ----------------------------------------------------------------------------------


def snakemake(project: Path, cores: int, *extra: str) -> list[str]:
    return [*SNAKEMAKE, "--cores", str(cores), *extra]


def set_plans(project: Path, plans: list[str]) -> None:
    config = project / "config.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        re.sub(r"^plans:.*$", f"plans: [{', '.join(plans)}]", text, count=1, flags=re.M), encoding="utf-8"
    )


def install_fixture(project: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_fixture", ROOT / f"tests/fixtures/{FIXTURE}/make_fixture.py")
    fixture = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fixture)
    fixture.install(project)


def many_plans(dest: Path, count: int) -> tuple[Path, list[str]]:
    """A project building `count` copies of the invented tormense_2019 (plans t001_2019, t002_2019, ...)."""
    project = copy_project_for_make(dest)
    install_fixture(project)
    names = [f"t{k:03d}_2019" for k in range(1, count + 1)]
    for name in names:
        shutil.copy2(project / "plans" / f"{FIXTURE}.yaml", project / "plans" / f"{name}.yaml")
        shutil.copytree(project / "data/raw" / FIXTURE, project / "data/raw" / name)
        shutil.copy2(project / "report" / f"piano_{FIXTURE}.qmd", project / "report" / f"piano_{name}.qmd")
    set_plans(project, names)
    return project, names


# --- floors ------------------------------------------------------------------------------------


def floors(work: Path) -> dict[str, float]:
    one_rule = work / "floor_snakemake"
    one_rule.mkdir()
    (one_rule / "Snakefile").write_text(
        'rule a:\n    output:\n        "a.txt"\n    shell:\n        "touch {output}"\n', encoding="utf-8"
    )
    timed([*SNAKEMAKE, "--cores", "1"], one_rule)
    snakemake_noop, _ = best_of(3, [*SNAKEMAKE, "--cores", "1"], one_rule)

    imports, _ = best_of(3, [PYTHON, "-c", "import pandas, matplotlib"], work)

    pandoc_path = subprocess.run(
        [PYTHON, "-c", "import pypandoc; print(pypandoc.get_pandoc_path())"], capture_output=True, text=True, check=True
    ).stdout.strip()
    (work / "floor.md").write_text("# Piano\n\nUna tabella:\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", encoding="utf-8")
    pandoc, _ = best_of(3, [pandoc_path, "floor.md", "-f", "markdown", "-t", "html", "-o", "floor.html"], work)

    (work / "floor.typ").write_text(
        "= Piano\n\nUna tabella:\n#table(columns: 2, [a], [b], [1], [2])\n", encoding="utf-8"
    )
    typst, _ = best_of(3, [PYTHON, "-c", "import typst; typst.compile('floor.typ', output='floor.pdf')"], work)
    return {"snakemake_noop": snakemake_noop, "import_pandas_matplotlib": imports, "pandoc": pandoc, "typst": typst}


# --- cases -------------------------------------------------------------------------------------


def row(
    case: str,
    plans: int,
    wall: float,
    cpu: float | None,
    jobs: list[dict] | None,
    floor: dict[str, float],
    note: str = "",
) -> dict:
    biggest = max(jobs, key=lambda j: j["max_rss"]) if jobs else None
    out = {
        "case": case,
        "plans": plans,
        "wall_s": round(wall, 2),
        "cpu_s": "" if cpu is None else round(cpu, 2),
        "cpu_per_plan_s": "" if cpu is None or not plans else round(cpu / plans, 2),
        "wall_per_plan_s": round(wall / plans, 2) if plans else "",
        "jobs": len(jobs) if jobs else "",
        "max_job_rss_mb": round(biggest["max_rss"], 1) if biggest else "",
        "max_job": f"{biggest['plan']}/{biggest['job']}" if biggest else "",
        "jobs_over_300mb": sum(j["max_rss"] > MEMORY_LIMIT_MB for j in jobs) if jobs else "",
    }
    for name, value in floor.items():
        out[f"x_{name}"] = round(wall / value, 1) if value else ""
    out["note"] = note
    return out


def show(r: dict) -> None:
    ratios = "  ".join(f"{k[2:]}×{r[k]}" for k in r if k.startswith("x_"))
    cpu = f"cpu {r['cpu_s']:>7}s ({r['cpu_per_plan_s']}s/plan)" if r["cpu_s"] != "" else ""
    mem = f"peak job {r['max_job_rss_mb']} MB ({r['max_job']})" if r["max_job_rss_mb"] != "" else ""
    target = f"target {r['target_s']:.0f}s: {r['verdict']}" if "target_s" in r else ""
    print(
        f"{r['case']:<26} {r['plans']:>4} plans  wall {r['wall_s']:>8.2f}s  {cpu}  {mem}{target}"
        + (f"\n{'':<26} wall / floor: {ratios}" if ratios else ""),
        flush=True,
    )


def one_plan_cases(work: Path, cores: int, floor: dict) -> tuple[list[dict], list[dict]]:
    project = copy_project_for_make(work / "uno")
    plan = "cremasco_2019"
    set_plans(project, [plan])
    rows = []
    wall, cpu = timed(snakemake(project, cores), project, log=work / "uno_cold.log")
    jobs = job_benchmarks(project)
    rows.append(row("cold_full_plan", 1, wall, cpu, jobs, floor, "cremasco_2019, every job"))
    show(rows[-1])
    wall, cpu = timed(snakemake(project, cores), project, log=work / "uno_noop.log")
    rows.append(row("noop_rerun", 1, wall, cpu, None, floor, "nothing to do"))
    show(rows[-1])

    qmd = project / "report" / f"piano_{plan}.qmd"
    qmd.write_text(qmd.read_text(encoding="utf-8") + "\nUna frase aggiunta per il benchmark.\n", encoding="utf-8")
    wall, cpu = timed(snakemake(project, cores), project, log=work / "uno_prose.log")
    rows.append(row("prose_edit", 1, wall, cpu, None, floor, "the .qmd: only the render job reruns"))
    show(rows[-1])

    raw = project / "data/raw" / plan
    misure = raw / "piattaforma/misure_avvisi.csv"
    text = misure.read_text(encoding="utf-8")
    misure.write_text(text.replace(";39;48", ";40;48", 1), encoding="utf-8")  # one comune more joined a notice
    timed([PYTHON, "-m", "pianoabitativo.inputs.register", str(raw.relative_to(project))], project)
    wall, cpu = timed(snakemake(project, cores), project, log=work / "uno_raw.log")
    rows.append(
        row(
            "raw_file_edit",
            1,
            wall,
            cpu,
            None,
            floor,
            "piattaforma/misure_avvisi.csv re-registered: the whole chain reruns",
        )
    )
    show(rows[-1])
    return rows, jobs


def documents_of(project: Path, plan: str) -> dict[str, str]:
    """The sha256 of a plan's three documents."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted((project / "output").glob(f"piano_{plan}.*"))
    }


def many_plan_cases(work: Path, cores: int, counts: list[int], floor: dict) -> tuple[list[dict], list[dict]]:
    """N copies built cold in one run; the first copy's documents must be the bytes it has when built alone."""
    rows, last_jobs = [], []
    alone = None
    if 1 not in counts:
        project, names = many_plans(work / "piani_solo", 1)
        timed(snakemake(project, cores), project, log=work / "cold_solo.log")
        alone = documents_of(project, names[0])
        shutil.rmtree(project, ignore_errors=True)
    for count in counts:
        project, names = many_plans(work / f"piani_{count}", count)
        wall, _ = timed(snakemake(project, cores, "--dry-run", "--quiet"), project, log=work / f"dag_{count}.log")
        rows.append(row("dag_dry_run", count, wall, None, None, floor, "snakemake --dry-run before building"))
        show(rows[-1])
        wall, cpu = timed(snakemake(project, cores), project, log=work / f"cold_{count}.log")
        last_jobs = job_benchmarks(project)
        documents = documents_of(project, names[0])
        alone = alone or documents
        same = (
            "same documents as built alone"
            if documents == alone and len(documents) == 3
            else "DOCUMENTS DIFFER from the plan built alone"
        )
        rows.append(
            row(
                "cold_many_plans",
                count,
                wall,
                cpu,
                last_jobs,
                floor,
                f"{count} copies of the invented {FIXTURE}; {names[0]}: {same}",
            )
        )
        show(rows[-1])
        wall, cpu = timed(snakemake(project, cores), project, log=work / f"noop_{count}.log")
        rows.append(row("noop_many_plans", count, wall, cpu, None, floor, "nothing to do"))
        show(rows[-1])
        if count != counts[-1]:
            shutil.rmtree(project, ignore_errors=True)
    return rows, last_jobs


# --- start and tests: a fresh clone, as a newcomer gets it -------------------------------------

TARGETS = {"first_make_plan_fresh_clone": 30.0, "make_test_fast": 20.0, "make_test": 180.0}
MAKE_VARIABLES = ("MAKELEVEL", "MAKEFLAGS", "MFLAGS", "MAKEOVERRIDES")  # `make bench` runs these makes as a person


def fresh_clone(work: Path, name: str) -> Path:
    """The committed HEAD cloned into work/name/pianoabitativo, with ../shared beside it as in a checkout."""
    parent = work / name
    parent.mkdir()
    clone = parent / "pianoabitativo"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, capture_output=True)
    if (ROOT.parent / "shared").is_dir():
        os.symlink(ROOT.parent / "shared", parent / "shared")
    return clone


def clean_env(**extra: str) -> dict[str, str]:
    return {**{k: v for k, v in CHILD_ENV.items() if k not in MAKE_VARIABLES}, **extra}


def load() -> str:
    """The machine's load before a measurement (other work slows it: the figure says how busy it was)."""
    return f"load average {os.getloadavg()[0]:.1f} before"


def judged(r: dict, target: float) -> dict:
    """The row with its target and whether the wall time meets it."""
    return {**r, "target_s": target, "verdict": "pass" if r["wall_s"] <= target else "fail"}


def start_cases(work: Path) -> tuple[list[dict], Path]:
    """The first `make plan` on a fresh clone, with warm caches then cold ones; the warm clone is returned
    (its .venv set up) for the tests' measurements."""
    rows = []
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    engine = "Quarto" if shutil.which("quarto") else "the embedded engine"  # make plan uses the PATH as it is
    cases = [("first_make_plan_fresh_clone", "clone_caldo", {}, "uv and pip caches as they are on this machine")]
    cold_cache = work / "cache_vuota"
    cases.append(
        (
            "first_make_plan_fresh_clone_cold",
            "clone_freddo",
            {"UV_CACHE_DIR": str(cold_cache / "uv"), "PIP_NO_CACHE_DIR": "1"},
            "empty uv and pip caches: every package downloaded",
        )
    )
    warm = None
    for case, name, extra, what in cases:
        clone = fresh_clone(work, name)
        warm = warm or clone
        env = clean_env(**extra)
        busy = load()
        setup, setup_cpu = timed(["make", "setup"], clone, log=work / f"{name}_setup.log", env=env)
        plan, plan_cpu = timed(["make", "plan"], clone, log=work / f"{name}_plan.log", env=env)
        note = (
            f"git clone of {head.strip()}; make setup {setup:.1f} s + make plan {plan:.1f} s ({engine}); {what}; {busy}"
        )
        r = row(case, 1, setup + plan, setup_cpu + plan_cpu, None, {}, note)
        rows.append(judged(r, TARGETS["first_make_plan_fresh_clone"]) if case in TARGETS else r)
        show(rows[-1])
        if clone != warm:
            shutil.rmtree(clone.parent, ignore_errors=True)
    return rows, warm


def pytest_summary(log: Path) -> str:
    """pytest's last line («412 passed, 3 skipped in 170.2s»), without its decoration."""
    lines = [line.strip("= ") for line in log.read_text(encoding="utf-8").splitlines() if " in " in line]
    return next((line for line in reversed(lines) if re.search(r"\d+ (passed|failed)", line)), "no pytest summary")


def test_cases(work: Path, clone: Path | None) -> list[dict]:
    """`make test-fast` and `make test` in a fresh clone (the warm one of start_cases, or a new one)."""
    if clone is None:
        clone = fresh_clone(work, "clone_test")
        timed(["make", "setup"], clone, log=work / "clone_test_setup.log", env=clean_env())
    quarto = Path.home() / ".cache/quarto-1.10.18/bin/quarto"
    with_quarto = "Quarto 1.10.18 for the engine tests" if quarto.exists() else "no Quarto (its half skipped)"
    rows = []
    for case, target in (("make_test_fast", "test-fast"), ("make_test", "test")):
        log = work / f"{case}.log"
        busy = load()
        wall, cpu = timed(["make", target], clone, log=log, env=clean_env(), check=False)
        note = f"{pytest_summary(log)}; {os.cpu_count()} cores; {busy}"
        if case == "make_test":
            note += f"; ruff and snakefmt included; {with_quarto}"
        rows.append(judged(row(case, 0, wall, cpu, None, {}, note), TARGETS[case]))
        show(rows[-1])
    return rows


def per_rule(jobs: list[dict], source: str) -> list[dict]:
    out = []
    for rule in sorted({j["rule"] for j in jobs}):
        mine = [j for j in jobs if j["rule"] == rule]
        biggest = max(mine, key=lambda j: j["max_rss"])
        out.append(
            {
                "source": source,
                "rule": rule,
                "jobs": len(mine),
                "max_rss_mb": round(biggest["max_rss"], 1),
                "max_rss_job": f"{biggest['plan']}/{biggest['job']}",
                "mean_s": round(sum(j["s"] for j in mine) / len(mine), 2),
                "mean_cpu_s": round(sum(j["cpu_time"] for j in mine) / len(mine), 2),
                "over_300mb": sum(j["max_rss"] > MEMORY_LIMIT_MB for j in mine),
            }
        )
    return out


def machine() -> str:
    model = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor(),
        )
        if Path("/proc/cpuinfo").exists()
        else ""
    )
    memory = ""
    if Path("/proc/meminfo").exists():
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f"{kb / 1024 / 1024:.0f} GB RAM"
    snakemake_version = subprocess.run([*SNAKEMAKE, "--version"], capture_output=True, text=True).stdout.strip()
    return (
        f"{os.cpu_count()} cores ({model}), {memory}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, Snakemake {snakemake_version}"
    )


def write_csv(path: Path, rows: list[dict], extra: dict) -> None:
    fields = list(extra) + list(dict.fromkeys(k for r in rows for k in r))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for r in rows:
            writer.writerow({**extra, **r})


GROUPS = ("workflow", "start", "tests")
CASES_OF = {
    "start": lambda case: case.startswith("first_make_plan_fresh_clone"),
    "tests": lambda case: case in {"make_test", "make_test_fast"},
    "workflow": lambda case: (
        not case.startswith("first_make_plan_fresh_clone") and case not in {"make_test", "make_test_fast"}
    ),  # floors, one plan, many plans
}


def kept_rows(path: Path, groups: list[str]) -> list[dict]:
    """The rows of a previous results.csv that this run does not measure again."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [r for r in csv.DictReader(handle) if not any(CASES_OF[g](r["case"]) for g in groups)]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--plans", default="1,10,100", help="plan counts of the many-plan runs (default 1,10,100)")
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--only", default=",".join(GROUPS), help=f"groups to measure (default {','.join(GROUPS)})")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.csv")
    parser.add_argument("--jobs-out", type=Path, default=ROOT / "bench" / "jobs.csv")
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects")
    args = parser.parse_args(argv)
    counts = [int(c) for c in args.plans.split(",") if c.strip()]
    groups = [g.strip() for g in args.only.split(",") if g.strip()]
    unknown = sorted(set(groups) - set(GROUPS))
    if unknown:
        parser.error(f"--only: unknown group {', '.join(unknown)} (known: {', '.join(GROUPS)})")

    work = Path(tempfile.mkdtemp(prefix="piano_bench_"))
    started = time.perf_counter()
    print(f"bench: {machine()}\nbench: working in {work}", flush=True)
    rows: list[dict] = []
    one_jobs: list[dict] = []
    many_jobs: list[dict] = []
    try:
        if "workflow" in groups:
            floor = floors(work)
            print("floors: " + "  ".join(f"{k} {v:.3f}s" for k, v in floor.items()), flush=True)
            rows += [row(f"floor_{k}", 0, v, None, None, floor) for k, v in floor.items()]
            one, one_jobs = one_plan_cases(work, args.cores, floor)
            many, many_jobs = many_plan_cases(work, args.cores, counts, floor) if counts else ([], [])
            rows += one + many
        clone = None
        if "start" in groups:
            start, clone = start_cases(work)
            rows += start
        if "tests" in groups:
            rows += test_cases(work, clone)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    total = time.perf_counter() - started
    extra = {"date": dt.date.today().isoformat(), "machine": machine(), "cores_used": args.cores}
    measured = kept_rows(args.out, groups) + [{**extra, **r} for r in rows]
    measured.sort(key=lambda r: next(n for n, g in enumerate(GROUPS) if CASES_OF[g](r["case"])))  # stable
    write_csv(args.out, measured, {})
    if "workflow" in groups:
        jobs_rows = per_rule(one_jobs, "cold_full_plan cremasco_2019")
        if many_jobs:
            jobs_rows += per_rule(many_jobs, f"cold_many_plans {counts[-1]}")
        write_csv(args.jobs_out, jobs_rows, {"date": extra["date"]})
        over = [r for r in jobs_rows if r["over_300mb"]]
        print(
            f"\nbench: {total:.0f}s in all; "
            f"{args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}, "
            f"{args.jobs_out.relative_to(ROOT) if args.jobs_out.is_relative_to(ROOT) else args.jobs_out}"
        )
        print(
            "memory: "
            + (
                "no job over 300 MB"
                if not over
                else "over 300 MB: " + ", ".join(f"{r['rule']} ({r['max_rss_mb']} MB)" for r in over)
            )
        )
    else:
        print(f"\nbench: {total:.0f}s in all; {args.out}")
    summary(rows, counts if "workflow" in groups else [])
    return 0


def summary(rows: list[dict], counts: list[int]) -> None:
    """The targets of the issue, held or not, from this run's figures."""
    cold = {r["plans"]: r for r in rows if r["case"] == "cold_many_plans"}
    dag = {r["plans"]: r for r in rows if r["case"] == "dag_dry_run"}
    noop = {r["plans"]: r for r in rows if r["case"] == "noop_many_plans"}
    big = max(counts) if counts else None
    lines = []
    if big:
        lines.append(f"per-plan CPU in a {big}-plan run <= 5 s: {cold[big]['cpu_per_plan_s']} s")
        if 10 in cold and big > 10:
            growth = (cold[big]["wall_s"] / big) / (cold[10]["wall_s"] / 10)
            lines.append(f"wall per plan, {big} vs 10 plans <= 1.1x: {growth:.2f}x")
        lines.append(f"DAG of {big} plans < 10 s: {dag[big]['wall_s']} s")
        lines.append(f"no-op of {big} plans < 10 s: {noop[big]['wall_s']} s")
        lines.append(
            f"documents of a plan built among {big}: "
            + ("the same bytes as built alone" if "same documents" in cold[big]["note"] else "DIFFERENT")
        )
    peak = max((r["max_job_rss_mb"] for r in rows if r["max_job_rss_mb"] != ""), default="")
    if peak != "":
        lines.append(f"no job over 300 MB: largest {peak} MB")
    for r in rows:
        if "target_s" in r:
            lines.append(f"{r['case']} <= {r['target_s']:.0f} s: {r['wall_s']} s ({r['verdict']})")
        elif r["case"] == "first_make_plan_fresh_clone_cold":
            lines.append(f"{r['case']} (no target, for the record): {r['wall_s']} s")
    print("targets:\n  " + "\n  ".join(lines))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
