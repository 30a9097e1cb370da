"""The console of `make plan`, for people: one Italian line per step, where the documents are, and on failure
one plain message naming the file to correct and the log; a failed render keeps the previous documents."""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
from pathlib import Path

import pytest

from inputs_support import PLATFORM, copy_built, make, normalised, set_cell
from pianoabitativo.console import Console, ConsoleFormatter, summary_lines
from pianoabitativo.inputs.register import update_checksums

PLAN = "cremasco_2019"
DOCUMENTS = [f"output/piano_{PLAN}.{fmt}" for fmt in ("pdf", "html", "docx")]


def record(msg: str = "", **extra) -> logging.LogRecord:
    rec = logging.LogRecord("snakemake", logging.INFO, __file__, 1, msg, None, None)
    rec.__dict__.update(extra)
    return rec


def tables_step(**extra) -> logging.LogRecord:
    """Snakemake's event for the start of a plan's tables job."""
    return record(
        event="job_info",
        jobid=3,
        rule_msg="Tabelle del piano cremasco_2019",
        output=["a.csv"],
        wildcards={"plan": PLAN},
        rule_name="tables",
        **extra,
    )


def test_snakemake_chatter_leaves_the_console_and_a_step_is_its_message():
    console = Console()
    assert not console.filter(record("Select jobs to execute..."))
    assert not console.filter(record("Execute 2 jobs...", event="job_started"))
    assert not console.filter(record("Complete log(s): /tmp/x/.snakemake/log/a.snakemake.log"))
    assert not console.filter(
        record(
            'RuleException:\nStepFailed in file "/p/rules/report.smk", line 91:\nscripts/render.py (esito 1)',
            event="error",
            exception="RuleException",
        )
    )
    assert console.filter(
        record("MissingInputException: file gen/x.md", event="error", exception="MissingInputException")
    )  # not ours to hide
    step = tables_step()
    assert console.filter(step)
    assert not console.filter(record(event="job_info", jobid=0, rule_msg=None, output=[], rule_name="all"))
    formatter = ConsoleFormatter(logging.Formatter())
    assert formatter.format(step) == "- Tabelle del piano cremasco_2019"


def test_a_failed_step_is_named_with_the_file_to_correct_and_its_log():
    console = Console()
    console.filter(
        record(
            event="job_info",
            jobid=1,
            rule_msg=f"Composizione del documento {DOCUMENTS[0]}",
            output=[DOCUMENTS[0]],
            wildcards={"plan": PLAN, "fmt": "pdf"},
            rule_name="render",
        )
    )
    assert not console.filter(
        record(
            "Error in rule render, jobid: 1",
            event="job_error",
            jobid=1,
            rule_name="render",
            log=[f"logs/{PLAN}/render_pdf.log"],
        )
    )
    assert not console.filter(record(f"Restored previous version of {DOCUMENTS[0]} (updating job failed)."))
    lines = console.failure_lines(lambda rule, wc: f"report/piano_{wc['plan']}.qmd" if rule == "render" else None)
    text = "\n".join(lines)
    assert f"Composizione del documento {DOCUMENTS[0]}" in " ".join(text.split())
    assert f"File da controllare: report/piano_{PLAN}.qmd" in text
    assert f"Registro del passo: logs/{PLAN}/render_pdf.log" in text
    assert all(len(line) <= 80 for line in lines)


def test_the_summary_names_the_documents_and_the_checks_with_warnings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "output").mkdir()
    for document in DOCUMENTS[:2]:
        (tmp_path / document).write_bytes(b"x")
    checks = tmp_path / "verifiche.csv"
    checks.write_text(
        "controllo,descrizione,gravita,esito,dettaglio\na,A,avviso,non superato,\nb,B,errore,superato,\n",
        encoding="utf-8",
    )
    lines = summary_lines({PLAN: DOCUMENTS}, {PLAN: "verifiche.csv"})
    assert lines == [
        f"Documenti del piano {PLAN}:",
        f"  {DOCUMENTS[0]}",
        f"  {DOCUMENTS[1]}",
        "  1 avviso sui dati (appendice «Verifiche sui dati»):",
        "  verifiche.csv",
    ]


def test_the_summary_says_a_draft_is_a_draft(tmp_path, monkeypatch):
    """A plan with something still to verify (its appendix fragment is not empty) is named a draft at the end
    of the run, where the person reads where the documents are; an approved plan's empty appendix is not."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "output").mkdir()
    (tmp_path / DOCUMENTS[0]).write_bytes(b"x")
    appendix = tmp_path / "report" / "gen" / PLAN / "da_verificare.md"
    appendix.parent.mkdir(parents=True)
    appendix.write_text("", encoding="utf-8")
    assert summary_lines({PLAN: DOCUMENTS}, {})[0] == f"Documenti del piano {PLAN}:"
    appendix.write_text("## Da verificare prima dell'approvazione\n", encoding="utf-8")
    assert summary_lines({PLAN: DOCUMENTS}, {}) == [
        f"Documenti del piano {PLAN} (BOZZA, non ancora approvato):",
        f"  {DOCUMENTS[0]}",
    ]


def test_the_end_of_a_run_names_the_refused_plan_and_where_the_other_plans_documents_are(tmp_path, monkeypatch):
    """make piano with a plan whose inputs are refused: Snakemake builds the others (--keep-going); at the end the
    refused plan is named once (its problems are printed above by its own step), then the other plan's documents."""
    from pianoabitativo.console import End, Run

    monkeypatch.chdir(tmp_path)
    (tmp_path / "output").mkdir()
    for document in DOCUMENTS:
        (tmp_path / document).write_bytes(b"x")
    other = [f"output/piano_cremasco_2020.{fmt}" for fmt in ("pdf", "html", "docx")]
    (tmp_path / other[0]).write_bytes(b"x")  # last year's document of the refused plan: not named
    from pianoabitativo.core.worker import InputsRefused

    run = Run({PLAN: DOCUMENTS, "cremasco_2020": other}, {}, lambda rule, wc: None)
    console = Console()
    console.filter(
        record(
            event="job_info",
            jobid=7,
            rule_msg="Controllo dei dati di input del piano cremasco_2020",
            output=["x.csv"],
            wildcards={"plan": "cremasco_2020"},
            rule_name="validate_inputs",
        )
    )
    # the job's script printed the problems and exited with worker.REFUSED: Snakemake prints the exception
    refusal = InputsRefused("scripts/validate_inputs.py: piano «cremasco_2020» rifiutato")
    said = f'RuleException:\n{type(refusal).__name__} in file "/p/rules/inputs.smk", line 74:\n{refusal}'
    assert not console.filter(record(said, event="error", exception="RuleException"))  # not on the console
    console.filter(record(event="job_error", jobid=7, rule_name="validate_inputs", log=["logs/x.log"]))
    assert console.refused == ["cremasco_2020"]
    lines = console.end_lines(End(False, []), run)
    assert lines[0] == ""
    text = " ".join(" ".join(lines).split())
    assert "Non si produce il piano «cremasco_2020» finché i dati indicati sopra non sono corretti; gli altri " in text
    assert "non è riuscito" not in text  # a refusal is not a failed step to explain
    assert f"Niente da rifare per il piano {PLAN}: è aggiornato." in lines  # no step of it ran
    assert lines[-4:] == [f"Documenti del piano {PLAN}:"] + [f"  {d}" for d in DOCUMENTS]
    # a plan alone, refused: its problems' heading has said it all, nothing contradicts it
    alone = Run({"cremasco_2020": other}, {})
    assert console.end_lines(End(False, []), alone) == []
    # a step that failed otherwise (killed, an internal error) is not a refusal: it is explained
    killed = Console()
    killed.filter(record(event="job_info", jobid=7, rule_msg="Controllo", output=["x"], wildcards={"plan": PLAN}))
    killed.filter(record(event="job_error", jobid=7, rule_name="validate_inputs", log=["logs/x.log"]))
    assert "Il passo «Controllo» non è riuscito (il motivo è scritto sopra)." in killed.end_lines(End(False, []), run)
    assert console.end_lines(End(True, []), Run({PLAN: DOCUMENTS}, {}))[1] == f"Documenti del piano {PLAN}:"


def test_the_console_is_a_snakemake_logger_plugin_that_replaces_its_console():
    """profiles/default selects `logger: [pianoabitativo]`; Snakemake finds the plugin by its module name and,
    as it writes to the terminal, adds no default stream handler of its own (snakemake.logging.LoggerManager)."""
    import yaml
    from snakemake.settings.types import OutputSettings
    from snakemake_interface_logger_plugins.registry import LoggerPluginRegistry

    from inputs_support import ROOT

    profile = yaml.safe_load((ROOT / "profiles/default/config.yaml").read_text(encoding="utf-8"))
    assert profile["logger"] == ["pianoabitativo"]
    plugin = LoggerPluginRegistry().get_plugin("pianoabitativo")
    handler = plugin.log_handler(OutputSettings(), None)
    assert handler.writes_to_stream and not handler.writes_to_file
    assert handler.has_filter and handler.has_formatter and not handler.needs_rulegraph
    step = tables_step(reason="")
    assert handler.stream.filter(step) and handler.stream.format(step) == "- Tabelle del piano cremasco_2019"
    assert not handler.stream.filter(record("Select jobs to execute..."))
    verbose = plugin.log_handler(OutputSettings(verbose=True), None)
    assert verbose.stream.format(step).endswith("Job 3: Tabelle del piano cremasco_2019\nReason: ")


def test_the_plugin_imports_without_the_package():
    """Snakemake imports every installed logger plugin at each start: an archive's rebuild (make verifica) runs
    with the archived src/ first on the path, whatever pianoabitativo that is, so the plugin's module must not
    import it (only its handler does, when the profile selects it)."""
    import subprocess
    import sys

    code = (
        "import sys, snakemake_logger_plugin_pianoabitativo as plugin\n"
        "assert not any(m.split('.')[0] == 'pianoabitativo' for m in sys.modules), 'imported'\n"
        "assert plugin.LogHandler"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_make_piano_reads_the_plans_facts_without_pandas():
    """Before Snakemake starts, `make piano` (pianoabitativo/run.py) reads each plan's facts: with the plan
    vocabulary (catalogue, column types) but not pandas, whose import would add a quarter of a second to
    every `make piano`, an unchanged one included."""
    import subprocess
    import sys

    from inputs_support import ROOT

    code = (
        "import sys\nfrom pathlib import Path\nfrom pianoabitativo.inputs.preflight import readable_plans\n"
        "print(readable_plans(Path('config.yaml')), 'pandas' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["(['cremasco_2019'],", "[])", "False"], done.stdout


# --- make plan, as a person runs it ---------------------------------------------------------------


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def planned(reference_build, tmp_path_factory):
    """A copy of the project built by `make plan` (conftest.reference_build), and what `make plan` printed."""
    built, run = reference_build
    return copy_built(built, tmp_path_factory.mktemp("console") / "progetto"), run


@pytest.mark.e2e
def test_make_plan_says_one_line_per_step_and_where_the_documents_are(planned):
    project, built = planned
    out = built.stdout + built.stderr
    assert built.returncode == 0, out[-3000:]
    lines = out.splitlines()
    assert len(lines) < 40, out
    assert max(len(line) for line in lines) <= 80, out  # a terminal's width
    for document in DOCUMENTS:
        assert f"  {document}" in lines
    assert f"  data/processed/{PLAN}/verifiche.csv" in lines  # the 2019 data carry warnings
    assert "- Composizione dei documenti del piano cremasco_2019" in lines
    engine = "Quarto" if shutil.which("quarto") else "il motore integrato"  # which engine made them
    assert any(line.startswith(f"- Documenti del piano {PLAN} composti con {engine}") for line in lines), out
    assert lines[-1].strip() == f"data/processed/{PLAN}/verifiche.csv"
    for noise in ("Complete log", "Select jobs", "localrule", "input:", "Job stats", "Traceback", "Reason"):
        assert noise not in out


@pytest.mark.e2e
def test_a_broken_qmd_fails_plainly_and_the_previous_documents_stay(planned):
    project, built = planned
    assert built.returncode == 0
    before = {document: digest(project / document) for document in DOCUMENTS}
    qmd = project / "report" / f"piano_{PLAN}.qmd"
    text = qmd.read_text(encoding="utf-8")
    broken, n = re.subn(r"\{\{< include gen/[^ ]+ >\}\}", "{{< include gen/frammento_che_manca.md >}}", text, count=1)
    assert n == 1
    qmd.write_text(broken, encoding="utf-8")
    try:
        failed = make(project, "plan")
    finally:
        qmd.write_text(text, encoding="utf-8")
    out = failed.stdout + failed.stderr
    assert failed.returncode != 0
    assert "frammento_che_manca.md" in out
    assert f"File da controllare: report/piano_{PLAN}.qmd" in out
    assert re.search(rf"Registro del passo: logs/{PLAN}/render\.log", out), out
    assert "restano come erano" in out
    for noise in ("RuleException", ".snakemake/scripts", "message: None", "Traceback", "WorkflowError"):
        assert noise not in out, out
    assert {document: digest(project / document) for document in DOCUMENTS} == before


@pytest.mark.e2e
def test_snakemake_report_holds_the_documents_charts_tables_and_checks(planned):
    import subprocess
    import sys
    import zipfile

    from inputs_support import CHILD_ENV

    project, built = planned
    assert built.returncode == 0
    made = subprocess.run(
        [sys.executable, "-m", "snakemake", "--report", "rapporto.zip"],
        cwd=project,
        env=CHILD_ENV,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert made.returncode == 0, made.stderr[-3000:]
    # every result was made by a Snakemake job (the pre-flight writes nothing), so Snakemake knows how
    assert "Missing metadata" not in made.stderr, made.stderr
    with zipfile.ZipFile(project / "rapporto.zip") as report:
        names = report.namelist()
        page = report.read(next(n for n in names if n.endswith("report.html"))).decode("utf-8")
    results = {Path(n).name for n in names}
    assert {f"piano_{PLAN}.{fmt}" for fmt in ("pdf", "html", "docx")} <= results
    assert {"fig_mappa_densita.png", "fig_patrimonio_enti.png"} <= results
    assert {"comuni.csv", "a_patrimonio.csv", "cifre_chiave.csv", "verifiche.csv", "datapackage.json"} <= results
    for italian in (
        "Documenti",
        "Grafici",
        "Tabelle elaborate",
        "Verifiche sui dati",
        "Piano annuale dell'offerta dei servizi abitativi pubblici e sociali",
    ):
        assert italian in page


@pytest.mark.e2e
def test_a_new_plan_without_its_data_does_not_stop_the_complete_ones(planned):
    """make nuovo-piano, then make plan before next year's files arrive: this year's plan is built (here
    after a prose edit), next year's is named with what it lacks, and the run ends in error. The next
    make plan, the files still missing, says which plan is up to date (not «tutto è aggiornato»)."""
    project, built = planned
    assert built.returncode == 0
    config = project / "config.yaml"
    qmd = project / "report" / f"piano_{PLAN}.qmd"
    before = {path: path.read_text(encoding="utf-8") for path in (config, qmd)}
    started = make(project, "nuovo-piano", f"DA={PLAN}", "A=cremasco_2020")
    assert started.returncode == 0, started.stdout + started.stderr
    try:
        qmd.write_text(before[qmd] + "\nUna frase aggiunta.\n", encoding="utf-8")
        result = make(project, "plan")
        again = make(project, "plan")
    finally:
        for path, text in before.items():
            path.write_text(text, encoding="utf-8")
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    assert max(len(line) for line in out.splitlines()) <= 80, out  # a terminal's width
    text = " ".join(out.split())  # wrapped phrases found whole
    assert "Dati di input del piano cremasco_2020 non validi" in text and "data/raw/cremasco_2020" in out, out
    assert "Non si produce il piano «cremasco_2020» finché i dati indicati sopra non sono corretti" in text, out
    assert "gli altri piani si producono." in out
    # no data yet: one problem per folder, not one per file
    assert "data/raw/cremasco_2020/piattaforma/: mancano tutti i 9 file attesi (patrimonio_enti.csv," in text, out
    assert out.count("file mancante") <= 1, out
    assert len(out.splitlines()) < 45, out
    for english in ("Using profile", "Nothing to be done", "Niente da rifare: tutto è aggiornato"):
        assert english not in out, out
    assert f"- Composizione dei documenti del piano {PLAN}" in out.splitlines()
    for document in DOCUMENTS:
        assert f"  {document}" in out.splitlines()
    assert not list((project / "output").glob("piano_cremasco_2020.*"))
    assert "Traceback" not in out
    out_again = again.stdout + again.stderr
    assert again.returncode != 0 and "Non si produce il piano «cremasco_2020»" in " ".join(out_again.split())
    assert f"Niente da rifare per il piano {PLAN}: è aggiornato." in out_again.splitlines(), out_again
    assert "tutto è aggiornato" not in out_again


@pytest.mark.e2e
def test_a_refused_plan_is_within_80_columns_and_nothing_contradicts_it(planned):
    """The only plan refused: its problems, wrapped, and nothing after them that says all is well."""
    project, built = planned
    assert built.returncode == 0
    path = project / PLATFORM / "patrimonio_enti.csv"
    original = path.read_bytes()
    try:
        set_cell(path, 11, "N. alloggi SAP", "sei")
        update_checksums(project / "data" / "raw" / PLAN)
        result = make(project, "piano")
    finally:
        path.write_bytes(original)
        update_checksums(project / "data" / "raw" / PLAN)
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    assert max(len(line) for line in out.splitlines()) <= 80, out
    assert "patrimonio_enti.csv, riga 11, colonna «N. alloggi SAP»" in " ".join(out.split()), out
    for contradiction in ("Niente da rifare", "Documenti del piano", "Nothing to be done", "Using profile"):
        assert contradiction not in out, out


@pytest.mark.e2e
def test_a_refused_plan_is_refused_again_until_its_data_are_mended(reference_build, tmp_path):
    """The second `make piano` after a refusal refuses again (it does not find the plan up to date with the
    documents of the data before), and once the data are mended the documents are the reference's."""
    project = copy_built(reference_build[0], tmp_path / "progetto")
    raw = project / "data/raw" / PLAN
    stock = raw / "piattaforma/patrimonio_enti.csv"
    original = stock.read_bytes()
    set_cell(stock, 2, "Totale unità", "7x")
    update_checksums(raw)
    for attempt in (1, 2):
        refused = make(project, "piano")
        out = refused.stdout + refused.stderr
        assert refused.returncode != 0, (attempt, out)
        assert "colonna «Totale unità»: valore non valido" in normalised(out) and "trovato: «7x»" in out, out
        for contradiction in ("Niente da rifare", "Documenti del piano", "è aggiornato"):
            assert contradiction not in out, (attempt, out)
    stock.write_bytes(original)
    update_checksums(raw)
    mended = make(project, "piano")
    assert mended.returncode == 0, mended.stdout + mended.stderr
    assert f"- Controllo dei dati di input del piano {PLAN}" in mended.stderr.splitlines(), mended.stderr
    for fmt in ("pdf", "html", "docx"):
        document = f"output/piano_{PLAN}.{fmt}"
        assert (project / document).read_bytes() == (reference_build[0] / document).read_bytes(), document


@pytest.mark.e2e
def test_the_italian_commands_of_the_guide(planned):
    """make controlla, make registra, make archivia: what the staff's guide tells them to type."""
    project, built = planned
    checked = make(project, "controlla")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"Dati di input del piano {PLAN}: nessun errore" in checked.stdout + checked.stderr
    assert "- Tabelle" not in checked.stdout + checked.stderr  # checked, nothing built
    usage = make(project, "registra")
    assert usage.returncode != 0 and "uso: make registra PIANO=<piano>" in usage.stdout + usage.stderr
    signed = make(project, "registra", f"PIANO={PLAN}")
    assert signed.returncode == 0 and "checksum aggiornati: nessuno" in signed.stdout, signed.stdout + signed.stderr
    archived = make(project, "archivia")
    out = archived.stdout + archived.stderr
    assert archived.returncode == 0, out
    assert f"- Archivio del piano {PLAN}: archive/piano_{PLAN}.tar.gz" in out.splitlines(), out
    assert (project / "archive" / f"piano_{PLAN}.tar.gz").is_file()
    assert max(len(line) for line in out.splitlines()) <= 80 and "Using" not in out, out


def test_snakemakes_lock_and_stop_messages_reach_no_one_in_english():
    formatter = ConsoleFormatter(logging.Formatter())
    locked = record(
        "LockException:\nError: Directory cannot be locked. Please make sure that no other Snakemake "
        "process is trying to create the same files in the following directory:\n/x\nIf you are sure "
        "...",
        event="error",
        exception="LockException",
    )
    text = formatter.format(locked)
    assert "bloccata" in text and "Directory" not in text and all(len(line) <= 80 for line in text.splitlines())
    console = Console()
    assert not console.filter(record("Will exit after finishing currently running jobs (scheduler)."))
    assert console.stopping and console.failure_lines(lambda rule, wc: None) == []  # `make piano` says it
