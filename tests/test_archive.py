"""Archive: deterministic bytes, manifest verification, rebuild from the archive, CLI verify."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from inputs_support import git
from pianoabitativo.archive.cli import main
from pianoabitativo.archive.environment import collect_environment
from pianoabitativo.archive.members import ArchiveError, build_archive
from pianoabitativo.archive.rebuild import RebuildError, rebuild_and_compare
from pianoabitativo.archive.verify import verify_manifest
from pianoabitativo.core.files import sha256_file

EPOCH = 1561420800  # 2019-06-25, the approval date
ENV = {"python": "3.11.7", "packages": {"pandas": "2.3.3"}, "git": None}
SNAKEMAKE_1_CORE = [sys.executable, "-m", "snakemake", "--cores", "1", "--quiet"]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    return path


def members_of(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar if m.isreg()}


def rewrite_tar(out: Path, contents: dict[str, bytes]) -> None:
    """A plain (non-deterministic is fine) tar.gz with exactly these members: used to tamper."""
    with tarfile.open(out, "w:gz") as tar:
        for name, data in contents.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


@pytest.fixture
def small_members(tmp_path: Path) -> dict[str, Path]:
    src = tmp_path / "src"
    return {
        "config.yaml": write(src / "config.yaml", "year: 2019\n"),
        "data/raw/2019/unita.csv": write(src / "unita.csv", "codice_unita;comune\n019035;Crema\n"),
        "data/processed/2019/comuni.csv": write(src / "comuni.csv", "codice_istat,comune\n019035,Crema\n"),
        "output/piano_2019.html": write(src / "piano.html", "<p>Città di Crema</p>\n"),
    }


@pytest.fixture
def built(tmp_path: Path, small_members: dict[str, Path]) -> Path:
    out = tmp_path / "archivio" / "piano_2019.tar.gz"
    build_archive(small_members, ENV, out, EPOCH)
    return out


# --------------------------------------------------------------------------- building


def test_same_inputs_give_identical_bytes(tmp_path, small_members):
    first, second = tmp_path / "a.tar.gz", tmp_path / "b.tar.gz"
    build_archive(small_members, ENV, first, EPOCH)
    # rebuild from members given in another order, with file mtimes changed
    for path in small_members.values():
        path.touch()
    build_archive(dict(reversed(list(small_members.items()))), ENV, second, EPOCH)
    assert sha256_file(first) == sha256_file(second)


def test_archive_layout_is_normalised(built):
    raw = built.read_bytes()
    assert raw[:2] == b"\x1f\x8b"
    assert int.from_bytes(raw[4:8], "little") == EPOCH  # gzip header mtime
    assert raw[3] & 0x08 == 0  # FNAME flag: no original file name stored
    with tarfile.open(built, "r:gz") as tar:
        infos = tar.getmembers()
    names = [i.name for i in infos]
    assert names == sorted(names)
    assert set(names) == {
        "MANIFEST.sha256",
        "environment.json",
        "config.yaml",
        "data/raw/2019/unita.csv",
        "data/processed/2019/comuni.csv",
        "output/piano_2019.html",
    }
    for info in infos:
        assert info.isreg()
        assert (info.mtime, info.uid, info.gid, info.uname, info.gname, info.mode) == (EPOCH, 0, 0, "", "", 0o644)


def test_environment_and_manifest_members(built, small_members):
    contents = members_of(built)
    env_text = contents["environment.json"].decode()
    assert env_text.endswith("}\n")
    assert json.loads(env_text) == ENV
    assert env_text == json.dumps(ENV, sort_keys=True, indent=2) + "\n"
    lines = contents["MANIFEST.sha256"].decode().splitlines()
    names = [line.split("  ", 1)[1] for line in lines]
    assert names == sorted(set(contents) - {"MANIFEST.sha256"})
    for line in lines:
        digest, name = line.split("  ", 1)
        assert digest == hashlib.sha256(contents[name]).hexdigest()


def test_build_refuses_unsafe_or_reserved_names(tmp_path):
    f = write(tmp_path / "f.txt", "x\n")
    for bad in ("../f.txt", "/etc/f.txt", "a/../../f.txt", "MANIFEST.sha256"):
        with pytest.raises(ArchiveError):
            build_archive({bad: f}, ENV, tmp_path / "x.tar.gz", EPOCH)
    assert not (tmp_path / "x.tar.gz").exists()


# --------------------------------------------------------------------------- verifying


def test_untouched_archive_verifies(built):
    assert verify_manifest(built) == []


def test_one_flipped_byte_names_exactly_that_file(tmp_path, built):
    contents = members_of(built)
    data = bytearray(contents["data/processed/2019/comuni.csv"])
    data[-3] ^= 0x01
    contents["data/processed/2019/comuni.csv"] = bytes(data)
    tampered = tmp_path / "tampered.tar.gz"
    rewrite_tar(tampered, contents)  # old manifest kept
    problems = verify_manifest(tampered)
    assert len(problems) == 1
    assert problems[0].startswith("modificato: data/processed/2019/comuni.csv (sha256 atteso ")
    assert hashlib.sha256(bytes(data)).hexdigest() in problems[0]


def test_removed_and_added_members_are_reported(tmp_path, built):
    contents = members_of(built)
    del contents["output/piano_2019.html"]
    contents["output/extra.txt"] = b"non previsto\n"
    changed = tmp_path / "changed.tar.gz"
    rewrite_tar(changed, contents)
    assert verify_manifest(changed) == [
        "aggiunto (non nel manifesto): output/extra.txt",
        "mancante: output/piano_2019.html",
    ]


def test_missing_manifest_is_reported(tmp_path, built):
    contents = members_of(built)
    del contents["MANIFEST.sha256"]
    rewrite_tar(tmp_path / "m.tar.gz", contents)
    problems = verify_manifest(tmp_path / "m.tar.gz")
    assert len(problems) == 1 and "MANIFEST.sha256" in problems[0]


def test_truncated_archive_gives_a_clear_message(tmp_path, built):
    truncated = tmp_path / "truncated.tar.gz"
    raw = built.read_bytes()
    truncated.write_bytes(raw[: len(raw) // 2])
    problems = verify_manifest(truncated)
    assert len(problems) == 1
    assert problems[0].startswith("archivio illeggibile o troncato: ")
    assert str(truncated) in problems[0]


def test_not_an_archive_and_missing_file(tmp_path):
    junk = write(tmp_path / "junk.tar.gz", "questo non è un archivio\n")
    assert verify_manifest(junk)[0].startswith("archivio illeggibile o troncato")
    assert verify_manifest(tmp_path / "nessuno.tar.gz") == [f"archivio non trovato: {tmp_path / 'nessuno.tar.gz'}"]


# --------------------------------------------------------------------------- environment


def test_collect_environment(tmp_path):
    repo = tmp_path / "repo"
    write(repo / "a.txt", "1\n")
    git(repo, "init", "-q")
    git(repo, "add", "a.txt")
    git(repo, "commit", "-q", "-m", "init")
    env = collect_environment(repo, "embedded")
    assert env["python"] == ".".join(map(str, sys.version_info[:3]))
    assert env["packages"]["pandas"] and env["packages"]["snakemake"]
    assert env["git"] == {"commit": git(repo, "rev-parse", "HEAD"), "dirty": False}
    assert env["quarto"] is None  # only looked up when the engine is quarto
    assert env["render_engine"] == "embedded"
    assert env["render_engine_version"] == f"pandoc {env['pandoc']}, typst {env['packages']['typst']}"
    assert env == collect_environment(repo, "embedded")  # no clock, nothing that varies per call
    write(repo / "a.txt", "2\n")
    assert collect_environment(repo, "embedded")["git"]["dirty"] is True
    assert collect_environment(tmp_path / "not-a-repo-dir", "embedded")["git"] is None


def test_environment_records_quarto_and_its_version(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    write(bin_dir / "quarto", "#!/bin/sh\necho 1.10.18\n")
    (bin_dir / "quarto").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    env = collect_environment(tmp_path / "not-a-repo-dir", "quarto")
    assert (env["render_engine"], env["render_engine_version"], env["quarto"]) == ("quarto", "1.10.18", "1.10.18")


# --------------------------------------------------------------------------- rebuilding

# The tiny workflow takes the scheduler correction the project's Snakefile takes (core/scheduling.py): without
# it, Snakemake's one-second timers hold each of its runs a second or two longer, for nothing.
SNAKEFILE = """
from pianoabitativo.core.scheduling import one_pending_reevaluation

one_pending_reevaluation()

rule all:
    input: "data/processed/2019/x.csv", "output/y.txt"

rule process:
    input: "data/raw/x.csv"
    output: "data/processed/2019/x.csv"
    run:
        lines = open(input[0], encoding="utf-8").read().splitlines()
        with open(output[0], "w", encoding="utf-8", newline="\\n") as out:
            out.write("\\n".join([lines[0]] + sorted(lines[1:])) + "\\n")

rule report:
    input: "data/processed/2019/x.csv"
    output: "output/y.txt"
    run:
        rows = open(input[0], encoding="utf-8").read().splitlines()[1:]
        with open(output[0], "w", encoding="utf-8", newline="\\n") as out:
            out.write(f"righe: {len(rows)}\\n")
"""


@pytest.fixture(scope="module")
def workflow(tmp_path_factory) -> dict[str, Path]:
    """A tiny 2-rule workflow, run once so that its outputs exist: archive name -> file."""
    root = tmp_path_factory.mktemp("workflow")
    write(root / "Snakefile", SNAKEFILE)
    write(root / "data/raw/x.csv", "codice,valore\n019035,3\n019001,1\n")
    subprocess.run(SNAKEMAKE_1_CORE, cwd=root, check=True, capture_output=True)
    assert (root / "output/y.txt").read_text() == "righe: 2\n"
    names = ["Snakefile", "data/raw/x.csv", "data/processed/2019/x.csv", "output/y.txt"]
    return {name: root / name for name in names}


@pytest.mark.workflow
def test_rebuild_reproduces_every_output(tmp_path, workflow):
    archive = tmp_path / "wf.tar.gz"
    build_archive(workflow, ENV, archive, EPOCH)
    results = rebuild_and_compare(archive, tmp_path / "rebuild", SNAKEMAKE_1_CORE)
    assert results == [("data/processed/2019/x.csv", True), ("output/y.txt", True)]
    assert (tmp_path / "rebuild" / "rebuild.log").exists()


@pytest.mark.workflow
def test_rebuild_detects_an_output_the_workflow_does_not_produce(tmp_path, workflow):
    forged = write(tmp_path / "forged_y.txt", "righe: 3\n")
    extra = write(tmp_path / "extra.txt", "mai prodotto\n")
    members = dict(workflow, **{"output/y.txt": forged, "output/extra.txt": extra})
    archive = tmp_path / "forged.tar.gz"
    build_archive(members, ENV, archive, EPOCH)
    assert verify_manifest(archive) == []  # manifest consistent: only the rebuild can tell
    results = rebuild_and_compare(archive, tmp_path / "rebuild", SNAKEMAKE_1_CORE)
    assert results == [("data/processed/2019/x.csv", True), ("output/extra.txt", False), ("output/y.txt", False)]


@pytest.mark.workflow
def test_rebuild_uses_the_archived_package_not_the_installed_one(tmp_path):
    root = tmp_path / "wf"
    write(
        root / "Snakefile",
        'import pianoabitativo\n\nrule all:\n    output: "output/origin.txt"\n'
        '    run:\n        open(output[0], "w").write(pianoabitativo.ORIGIN + "\\n")\n',
    )
    write(root / "src/pianoabitativo/__init__.py", 'ORIGIN = "archivio"\n')
    write(root / "output/origin.txt", "archivio\n")
    members = {name: root / name for name in ("Snakefile", "src/pianoabitativo/__init__.py", "output/origin.txt")}
    archive = tmp_path / "wf.tar.gz"
    build_archive(members, ENV, archive, EPOCH)
    assert rebuild_and_compare(archive, tmp_path / "rebuild", SNAKEMAKE_1_CORE) == [("output/origin.txt", True)]


@pytest.mark.workflow
def test_rebuild_failure_names_exit_status_and_log(tmp_path, workflow):
    archive = tmp_path / "wf.tar.gz"
    build_archive(workflow, ENV, archive, EPOCH)
    failing = [sys.executable, "-c", "import sys; print('qualcosa non va'); sys.exit(3)"]
    with pytest.raises(RebuildError) as caught:
        rebuild_and_compare(archive, tmp_path / "rebuild", failing)
    message = str(caught.value)
    assert "codice di uscita 3" in message and "rebuild.log" in message and "qualcosa non va" in message
    assert "qualcosa non va" in (tmp_path / "rebuild" / "rebuild.log").read_text()


def test_rebuild_refuses_unsafe_member_names(tmp_path):
    evil = tmp_path / "evil.tar.gz"
    rewrite_tar(evil, {"Snakefile": b"", "../fuori.txt": b"x"})
    with pytest.raises(ArchiveError, match="fuori.txt"):
        rebuild_and_compare(evil, tmp_path / "w", SNAKEMAKE_1_CORE)
    assert not (tmp_path / "fuori.txt").exists()
    absolute = tmp_path / "absolute.tar.gz"
    rewrite_tar(absolute, {"/tmp/assoluto.txt": b"x"})
    with pytest.raises(ArchiveError, match="assoluto"):
        rebuild_and_compare(absolute, tmp_path / "w2", SNAKEMAKE_1_CORE)


def test_rebuild_refuses_a_non_empty_workdir(tmp_path, built):
    write(tmp_path / "busy" / "old.txt", "x")
    with pytest.raises(ArchiveError, match="vuota"):
        rebuild_and_compare(built, tmp_path / "busy", SNAKEMAKE_1_CORE)


# --------------------------------------------------------------------------- CLI


def test_cli_verify_manifest_only(built, capsys):
    assert main(["verify", "--no-rebuild", str(built)]) == 0
    assert "Manifesto: OK" in capsys.readouterr().out


def test_cli_verify_reports_tampering(tmp_path, built, capsys):
    contents = members_of(built)
    contents["config.yaml"] = b"year: 2020\n"
    rewrite_tar(tmp_path / "t.tar.gz", contents)
    assert main(["verify", "--no-rebuild", str(tmp_path / "t.tar.gz")]) == 1
    out = capsys.readouterr().out
    assert "modificato: config.yaml" in out and "NON superata" in out


@pytest.mark.workflow
def test_cli_verify_with_rebuild(tmp_path, workflow, capsys):
    archive = tmp_path / "wf.tar.gz"
    build_archive(workflow, ENV, archive, EPOCH)
    assert main(["verify", str(archive)]) == 0
    out = capsys.readouterr().out
    assert "identico  output/y.txt" in out and "Esito: archivio verificato" in out


def test_cli_bad_archive_is_one_line_exit_2(tmp_path, built, capsys):
    truncated = tmp_path / "cut.tar.gz"
    truncated.write_bytes(built.read_bytes()[:100])
    assert main(["verify", str(truncated)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "troncato" in err and "Traceback" not in err
    assert main(["verify", str(tmp_path / "assente.tar.gz")]) == 2
    assert "archivio non trovato" in capsys.readouterr().err


@pytest.mark.workflow
def test_cli_runs_as_python_dash_m(built):
    done = subprocess.run(
        [sys.executable, "-m", "pianoabitativo.archive", "verify", "--no-rebuild", str(built)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "Manifesto: OK" in done.stdout and "Esito: archivio verificato" in done.stdout


def test_gzip_stream_is_plain_gzip(built):
    # any tool can read it: gzip -> tar
    with tarfile.open(fileobj=io.BytesIO(gzip.decompress(built.read_bytes()))) as tar:
        assert "MANIFEST.sha256" in tar.getnames()


@pytest.mark.workflow
def test_make_verify_keeps_the_log_it_names_when_the_rebuild_fails(tmp_path, workflow, monkeypatch, capsys):
    """The rebuild runs in a temporary folder that is removed: the log the message names must outlive it."""
    from pianoabitativo.archive import cli

    archive = tmp_path / "piano_x.tar.gz"
    build_archive(workflow, ENV, archive, EPOCH)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli, "SNAKEMAKE_CMD", [sys.executable, "-c", "print('qualcosa non va'); raise SystemExit(3)"])
    assert cli.main(["verify", str(archive)]) != 0
    err = capsys.readouterr().err
    named = re.search(r"registro completo: (\S+)", err)
    assert named, err
    assert named.group(1) == "logs/verifica_piano_x.log"
    assert "qualcosa non va" in (tmp_path / named.group(1)).read_text(encoding="utf-8")
