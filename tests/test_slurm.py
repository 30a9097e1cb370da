"""Plans on a Slurm cluster (profiles/slurm): one sbatch job per plan, through snakemake-executor-plugin-slurm.

The end-to-end test starts a real single-node Slurm on this machine (tests/slurm/start.sh: munged,
slurmctld, slurmd; Debian packages slurm-wlm and munge, which .ci/run installs when it runs as root)
and builds two plans through it: the reference cremasco_2019 and the invented tormense_2019
(tests/fixtures/tormense_2019). It is skipped, with the reason, where Slurm cannot be started
(not root, no slurmctld, a Slurm already configured on the machine). No accounting database: the
profile asks squeue for job states (slurm.conf keeps finished jobs visible with MinJobAge).

The fast test checks that every rule that runs code is grouped and has its resources in the profile.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from inputs_support import CHILD_ENV, ROOT, copy_project_for_make

PROFILE = ROOT / "profiles" / "slurm" / "config.yaml"
SLURM_DIR = ROOT / "tests" / "slurm"
PLANS = ("cremasco_2019", "tormense_2019")


def rules_that_run_code() -> set[str]:
    """The rules of the Snakefile and rules/*.smk with a script:, shell: or run: (jobs Slurm would run)."""
    found = set()
    for path in [ROOT / "Snakefile", *sorted((ROOT / "rules").glob("*.smk"))]:
        for block in re.split(r"^(?=rule \w+:)", path.read_text(encoding="utf-8"), flags=re.M):
            name = re.match(r"rule (\w+):", block)
            body = re.split(r"^\S", block.partition("\n")[2], maxsplit=1, flags=re.M)[0]  # to the next top-level line
            if name and re.search(r"^\s+(script|shell|run|notebook|wrapper):", body, flags=re.M):
                found.add(name.group(1))
    return found


def test_profile_groups_every_rule_of_a_plan_and_declares_its_resources():
    profile = yaml.safe_load(PROFILE.read_text(encoding="utf-8"))
    rules = rules_that_run_code()
    assert {"validate_inputs", "tables", "charts", "report_fragments", "render"} <= rules
    assert profile["executor"] == "slurm"
    assert set(profile["groups"]) >= rules, f"rules not grouped: {sorted(rules - set(profile['groups']))}"
    assert set(profile["groups"].values()) == {"piano"} and profile["group-components"] == {"piano": 1}
    missing = sorted(r for r in rules if not {"mem_mb", "runtime"} <= set(profile["set-resources"].get(r, {})))
    assert not missing, f"rules without mem_mb and runtime in set-resources: {missing}"


def test_lock_pins_the_slurm_executor_plugin():
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
    assert any(line.startswith("snakemake-executor-plugin-slurm==") for line in lock)
    assert any(line.startswith("snakemake-executor-plugin-slurm-jobstep==") for line in lock)


# --- end to end: a real single-node Slurm -------------------------------------------------------


def _slurm_unavailable() -> str | None:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "Slurm test cluster needs root (slurmd runs as root)"
    for binary in ("slurmctld", "slurmd", "sbatch", "squeue", "munged"):
        if shutil.which(binary) is None and not Path("/usr/sbin", binary).exists():
            return f"{binary} not found (Debian: apt-get install slurm-wlm munge)"
    try:
        import snakemake_executor_plugin_slurm  # noqa: F401
    except ImportError:
        return "snakemake-executor-plugin-slurm not installed (requirements.lock)"
    return None


@pytest.fixture(scope="module")
def slurm(tmp_path_factory):
    """A running single-node Slurm; stopped (by pid) at the end of the module."""
    reason = _slurm_unavailable()
    if reason:
        pytest.skip(reason)
    state = tmp_path_factory.mktemp("slurm")
    env = {**CHILD_ENV, "PATH": CHILD_ENV.get("PATH", "") + ":/usr/sbin:/sbin"}
    started = subprocess.run(
        ["bash", str(SLURM_DIR / "start.sh"), str(state)], env=env, capture_output=True, text=True, timeout=120
    )
    if started.returncode == 3:
        pytest.skip(started.stderr.strip().splitlines()[-1])
    assert started.returncode == 0, started.stdout + started.stderr
    yield env
    subprocess.run(["bash", str(SLURM_DIR / "stop.sh"), str(state)], env=env, capture_output=True, timeout=60)


def _install_tormense(project: Path) -> None:
    from inputs_support import install_tormense

    install_tormense(project)


@pytest.mark.slurm
@pytest.mark.completo  # a cluster on this machine: about a minute, mostly waiting for Slurm
@pytest.mark.e2e
@pytest.mark.workflow
def test_two_plans_on_slurm_one_job_per_plan(slurm, tmp_path):
    project = copy_project_for_make(tmp_path / "progetto")
    _install_tormense(project)
    run = subprocess.run(
        [
            str(ROOT / ".venv/bin/snakemake"),
            "--profile",
            "profiles/slurm",
            "--workflow-profile",
            "none",
            "--slurm-init-seconds-before-status-checks",
            "2",
            "--slurm-keep-successful-logs",
            "--retries",
            "0",
            "--latency-wait",
            "5",
        ],
        cwd=project,
        env=slurm,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-6000:]

    for plan in PLANS:
        for fmt in ("pdf", "html", "docx"):
            assert (project / "output" / f"piano_{plan}.{fmt}").stat().st_size > 10_000, (plan, fmt)
    committed = {p.name: p.read_bytes() for p in (ROOT / "data/processed/cremasco_2019").glob("*.csv")}
    rebuilt = {p.name: p.read_bytes() for p in (project / "data/processed/cremasco_2019").glob("*.csv")}
    assert rebuilt == committed

    # one Slurm job per plan, both completed; each job's log names its plan only. The Snakemake that
    # submits runs no rule itself (the executor is not local), so every output above was made inside them.
    run_id = re.search(r"SLURM run ID: (\S+)", run.stderr).group(1)
    jobs = subprocess.run(
        ["squeue", "--states=all", "--noheader", "--name", run_id, "--format=%i|%T"],
        env=slurm,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.split()
    assert len(jobs) == len(PLANS) and all(j.endswith("|COMPLETED") for j in jobs), jobs
    logs = sorted((project / ".snakemake" / "slurm_logs").glob("group_piano*/*.log"))
    assert len(logs) == len(PLANS), logs
    named = [{p for p in PLANS if p in log.read_text(encoding="utf-8", errors="replace")} for log in logs]
    assert sorted(map(sorted, named)) == [[p] for p in sorted(PLANS)], named

    # nothing left to do: a second run submits no job
    again = subprocess.run(
        [str(ROOT / ".venv/bin/snakemake"), "--profile", "profiles/slurm", "--workflow-profile", "none"],
        cwd=project,
        env=slurm,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0, again.stderr[-3000:]
    second_id = re.search(r"SLURM run ID: (\S+)", again.stderr).group(1)
    submitted = subprocess.run(
        ["squeue", "--states=all", "--noheader", "--name", second_id, "--format=%i"],
        env=slurm,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.split()
    assert submitted == [], submitted
