"""The whole workflow, run as a user runs it, in temporary copies of the project.

One clean run builds the plan (`make plan`, conftest.reference_build); its PDF must read like the plan
(key figures, notes, numbered tables); a second clean run (Snakemake itself) in another directory, with
another locale and time zone, must give byte-identical files; an archive must verify and must
fail, naming the file, when one byte changes; a diff must show exactly one moved unit.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from inputs_support import run_snakemake

ROOT = Path(__file__).resolve().parents[1]
_IGNORED = shutil.ignore_patterns(
    ".venv", ".git", ".snakemake", "output", "logs", "gen", "__pycache__", ".pytest_cache", "*.egg-info", "interim"
)


def COPY_IGNORE(folder: str, names: list[str]) -> set[str]:  # noqa: N802 - the copytree ignore of this module
    """The build folders; the archives at the top only (src/pianoabitativo/archive/ is code the archive packs)."""
    return set(_IGNORED(folder, names)) | ({"archive"} if Path(folder) == ROOT else set())


OUTPUT_DIRS = ("data/processed", "report/gen", "output")

pytestmark = pytest.mark.e2e


def copy_project(dest: Path) -> Path:
    shutil.copytree(ROOT, dest, ignore=COPY_IGNORE)
    shutil.rmtree(dest / "data" / "processed")  # must be regenerated, not copied
    return dest


def run(cmd: list[str], cwd: Path, **env) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **env}
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=full_env, timeout=900)


def snakemake(cwd: Path, *targets: str, **env) -> subprocess.CompletedProcess:
    """`python -m snakemake --cores 2 targets` in `cwd`: in a warm fork, or in a new Python where the test
    sets the environment (a time zone, a locale)."""
    return run_snakemake(cwd, *targets, cores=2, env={**os.environ, **env}, fresh=bool(env), timeout=900)


def digests(base: Path) -> dict[str, str]:
    files = [p for d in OUTPUT_DIRS for p in (base / d).rglob("*") if p.is_file()]
    return {p.relative_to(base).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


@pytest.fixture(scope="module")
def built(reference_build, tmp_path_factory) -> Path:
    """A copy of the reference plan built by `make plan` (conftest.reference_build)."""
    from inputs_support import copy_built

    project, result = reference_build
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return copy_built(project, tmp_path_factory.mktemp("run_a") / "piano")


def test_the_three_documents_are_produced(built):
    for ext in ("html", "pdf", "docx"):
        assert (built / "output" / f"piano_cremasco_2019.{ext}").stat().st_size > 10_000


def test_processed_tables_equal_the_committed_ones(built):
    """Every committed file of data/processed/<plan>/: the CSVs, the boundaries and datapackage.json."""
    committed = {p.name: p.read_bytes() for p in (ROOT / "data" / "processed" / "cremasco_2019").glob("*")}
    rebuilt = {p.name: p.read_bytes() for p in (built / "data" / "processed" / "cremasco_2019").glob("*")}
    assert "datapackage.json" in rebuilt
    assert rebuilt.keys() == committed.keys()
    stale = [name for name in committed if committed[name] != rebuilt[name]]
    assert not stale, f"data/processed/cremasco_2019 is out of date for {stale}: rerun snakemake and commit"


def test_the_built_data_package_validates_with_frictionless(built):
    from frictionless import validate

    report = validate(str(built / "data" / "processed" / "cremasco_2019" / "datapackage.json"))
    assert report.valid, [e.message for task in report.tasks for e in task.errors][:5]


def test_pdf_reads_like_the_plan(built):
    text = " ".join(pdf_text(built / "output" / "piano_cremasco_2019.pdf").split())
    for expected in [
        "Ambito Distrettuale Cremasco",
        "Comune di Crema",
        "Indice",
        "I. Premessa",
        "162.323",
        "573,04",
        "283,27",
        "992,58",
        "34,52",
        "1.703",
        "1.688",
        "1.711",
        "1.696",
        "Totale dichiarato diverso dalla somma delle righe",
        "Tabella 1",
        "Figura 1",
        "Verifiche sui dati",
        "Comune di Cremosano",
        "25 giugno 2019",
    ]:
        assert expected in text, f"{expected!r} missing from the PDF text"
    assert "{{<" not in text and "@tbl-" not in text


def test_docx_and_html_carry_the_same_figures(built):
    with zipfile.ZipFile(built / "output" / "piano_cremasco_2019.docx") as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    html = (built / "output" / "piano_cremasco_2019.html").read_text(encoding="utf-8")
    for expected in ["162.323", "1.703", "1.711", "992,58", "Tabella"]:
        assert expected in body and expected in html


def test_nothing_reruns_without_changes_and_only_the_render_after_editing_the_report(built):
    dry = snakemake(built, "-n")
    assert "Nothing to be done" in dry.stdout + dry.stderr
    qmd = built / "report" / "piano_cremasco_2019.qmd"
    qmd.write_text(qmd.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    try:
        dry = snakemake(built, "-n", "--quiet", "rules")
        out = dry.stdout + dry.stderr
        assert "render" in out and "tables" not in out and "chart" not in out
    finally:
        qmd.write_text(qmd.read_text(encoding="utf-8")[:-1], encoding="utf-8")


def test_two_clean_runs_give_identical_bytes(built, tmp_path):
    other = copy_project(tmp_path / "elsewhere" / "piano")
    result = snakemake(other, TZ="America/New_York", LANG="en_US.UTF-8", LC_ALL="C")
    assert result.returncode == 0, result.stderr[-3000:]
    first, second = digests(built), digests(other)
    assert first.keys() == second.keys()
    different = sorted(name for name in first if first[name] != second[name])
    assert not different, f"not reproducible: {different}"


def test_archive_is_deterministic_verifies_and_a_changed_byte_is_named(built, tmp_path):
    result = snakemake(built, "archives")
    assert result.returncode == 0, result.stderr[-3000:]
    archive = built / "archive" / "piano_cremasco_2019.tar.gz"
    first_digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    archive.unlink()
    again = snakemake(built, "archives")
    assert again.returncode == 0 and hashlib.sha256(archive.read_bytes()).hexdigest() == first_digest
    cli = [sys.executable, "-m", "pianoabitativo.archive", "verify", str(archive)]
    ok = run(cli, built)
    assert ok.returncode == 0, ok.stdout[-3000:] + ok.stderr[-3000:]
    assert "DIVERSO" not in ok.stdout

    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(tampered, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name == "data/processed/cremasco_2019/a_patrimonio.csv":
                data = data.replace(b"1006", b"1007")
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    bad = run([sys.executable, "-m", "pianoabitativo.archive", "verify", "--no-rebuild", str(tampered)], built)
    assert bad.returncode != 0
    assert "data/processed/cremasco_2019/a_patrimonio.csv" in bad.stdout + bad.stderr


def test_diff_shows_exactly_one_unit_moved_from_free_to_maintenance(built, tmp_path):
    moved = copy_project(tmp_path / "moved" / "piano")
    units = moved / "data" / "raw" / "cremasco_2019" / "piattaforma" / "unita_abitative.csv"
    text = units.read_text(encoding="utf-8")
    assert "Comune di Izano;16323472;Izano;e;Libero" in text
    units.write_text(
        text.replace("Comune di Izano;16323472;Izano;e;Libero", "Comune di Izano;16323472;Izano;b;Carenza manutentiva"),
        encoding="utf-8",
    )
    from pianoabitativo.inputs.register import update_checksums

    update_checksums(moved / "data" / "raw" / "cremasco_2019")
    result = snakemake(moved, "data/processed/cremasco_2019/cifre_chiave.csv")
    assert result.returncode == 0, result.stderr[-3000:]
    out = tmp_path / "diff"
    diff = run(
        [
            sys.executable,
            "-m",
            "pianoabitativo.archive",
            "diff",
            str(built / "data" / "processed" / "cremasco_2019"),
            str(moved / "data" / "processed" / "cremasco_2019"),
            "--out",
            str(out),
        ],
        built,
    )
    assert diff.returncode == 0, diff.stderr
    report = next(out.glob("*.md")).read_text(encoding="utf-8")
    assert "16323472" in report
    changed = {
        line.split("|")[2].strip().removesuffix(".csv")
        for line in report.splitlines()
        if line.startswith("| ") and "invariata" not in line and "Tabella" not in line and "---" not in line
    }
    assert {"b_carenza_manutentiva", "e_libere"} <= changed
    assert "a_patrimonio" not in changed and "comuni" not in changed
