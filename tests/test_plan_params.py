"""Every fact of a plan reaches exactly the steps that use it, and the documents show the new value.

For each key of plans/<plan>.yaml (and config.yaml's renderer) the test edits the value in a built
copy of the project and asks Snakemake (dry run) which jobs it would rerun: those that use the value
and what follows them, nothing else. Then it builds for real and reads the new values in the PDF.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from inputs_support import PLAN_FILE, copy_built, replace_text, run_snakemake

pytestmark = pytest.mark.e2e

DOCUMENTS = {"render", "all"}
# the fragments; then the formats' style files (their input, the draft's appendix, is rewritten)
TEXT = {"report_fragments", "report_style"} | DOCUMENTS
CHARTS = {"charts"} | DOCUMENTS
# the tables' job also writes datapackage.json, which quotes the year, ambito, capofila and approval date:
# those facts rerun it, and with it everything drawn or written from the tables
TABLES = {"tables", "charts"} | TEXT
EVERYTHING = {"validate_inputs"} | TABLES

# (file, old text, new text, the jobs Snakemake must schedule)
CHANGES = [
    (PLAN_FILE, "  approvazione: 2019-06-25", "  approvazione: 2019-06-26", TABLES),
    (PLAN_FILE, "numero_comunicato_regionale: 45", "numero_comunicato_regionale: 46", TEXT),
    (PLAN_FILE, "  scadenza_piano_successivo: 2019-12-31", "  scadenza_piano_successivo: 2019-12-20", TEXT),
    (PLAN_FILE, "  conferma_capofila: 2019-04-05", "  conferma_capofila: 2019-04-08", TEXT),
    (PLAN_FILE, "  nome: Ambito Distrettuale Cremasco", "  nome: Ambito Territoriale Cremasco", TABLES),
    (PLAN_FILE, "  ruolo_capofila: Ente Capofila per il Piano di Zona", "  ruolo_capofila: Ente Capofila", TEXT),
    (PLAN_FILE, "  capofila: Comune di Crema", "  capofila: Comune di Sergnano", TABLES),
    (
        PLAN_FILE,
        '  attribuzione: "Confini: Openpolis su dati ISTAT, CC BY 4.0"',
        '  attribuzione: "Confini: ISTAT, CC BY 4.0"',
        CHARTS | TEXT,
    ),  # and «Fonti dei dati»
    (
        PLAN_FILE,
        "numero_comunicato_regionale: 45",
        "numero_comunicato_regionale: 45\npiano_triennale: {approvazione: 2019-03-01, primo_anno: 2019}",
        TEXT,
    ),
    (
        PLAN_FILE,
        "sub_ambiti: [Bagnolo Cremasco, Castelleone, Città di Crema, Pandino, Sergnano, Soncino]",
        "sub_ambiti: [Soncino, Castelleone, Città di Crema, Pandino, Sergnano, Bagnolo Cremasco]",
        EVERYTHING,
    ),
    ("config.yaml", "  engine: auto", "  engine: embedded", DOCUMENTS),
    # code is an input too: a rule's params.code is the digest of the scripts and modules it runs
    ("scripts/make_charts.py", "for chart in catalogue.CHARTS:", "for chart in list(catalogue.CHARTS):", CHARTS),
]


def snakemake(project: Path, *args: str) -> subprocess.CompletedProcess:
    return run_snakemake(project, *args, cores=2, timeout=900)


def scheduled(project: Path) -> set[str]:
    """The rules of the jobs a dry run would execute (from Snakemake's «Job stats» table)."""
    result = snakemake(project, "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
    table = result.stdout.split("Job stats:")[1].split("\n\n")[0] if "Job stats:" in result.stdout else ""
    return {m.group(1) for m in re.finditer(r"^(\w+)\s+\d+$", table, re.M)} - {"total"}


@pytest.fixture(scope="module")
def built(reference_build, tmp_path_factory) -> Path:
    """A copy of the built reference plan (conftest.reference_build)."""
    return copy_built(reference_build[0], tmp_path_factory.mktemp("parametri") / "progetto")


@pytest.mark.parametrize("file, old, new, expected", CHANGES, ids=[c[2].strip()[:40] for c in CHANGES])
def test_a_changed_fact_reruns_what_uses_it_and_nothing_else(built, tmp_path, file, old, new, expected):
    original = (built / file).read_text(encoding="utf-8")
    try:
        replace_text(built / file, old, new)
        assert scheduled(built) == expected
    finally:
        (built / file).write_text(original, encoding="utf-8")
    assert scheduled(built) == set()


def test_new_facts_reach_the_documents(built, tmp_path):
    project = tmp_path / "copia"
    shutil.copytree(built, project, symlinks=True)
    replace_text(project / PLAN_FILE, "  approvazione: 2019-06-25", "  approvazione: 2019-06-26")
    replace_text(project / PLAN_FILE, "numero_comunicato_regionale: 45", "numero_comunicato_regionale: 46")
    replace_text(project / PLAN_FILE, "  nome: Ambito Distrettuale Cremasco", "  nome: Ambito Territoriale Cremasco")
    result = snakemake(project)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    from pypdf import PdfReader

    text = " ".join(
        " ".join(
            (p.extract_text() or "") for p in PdfReader(project / "output" / "piano_cremasco_2019.pdf").pages
        ).split()
    )
    assert "26 giugno 2019" in text and "25 giugno 2019" not in text
    assert "Comunicato regionale n. 46" in text
    assert "Ambito Territoriale Cremasco" in text and "Ambito Distrettuale Cremasco" not in text
