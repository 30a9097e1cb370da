"""Draft and approved: a plan with anything unconfirmed is a marked draft in every format, states no guessed
fact, is never archived; confirming everything gives the approved plan without marks.

Fast tests: the plan file in Italian (and in English, as before), the draft's detection, marks and refusal.
The e2e journey (one project copy): next year's plan (make nuovo-piano, data filled) and another ambito's
(make nuovo-piano, facts and data filled, its prose placeholders left) built as drafts with the reference
plan; make archive; then everything confirmed as the guide says, and built again.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml

from inputs_support import (
    QUARTO,
    QUARTO_MISSING,
    ROOT,
    confirm_everything,
    copy_built,
    make,
    quarto_env,
)
from pianoabitativo.core import plankeys
from pianoabitativo.core.config import load_plan, prepare_plan
from pianoabitativo.core.errors import DataError
from pianoabitativo.fragments import draft
from pianoabitativo.fragments.metadata import metadata
from pianoabitativo.planfile import plan_text

SOURCE = "cremasco_2019"
QMD = (ROOT / f"report/piano_{SOURCE}.qmd").read_text(encoding="utf-8")


# --- the plan file in Italian ----------------------------------------------------------------------


def test_the_reference_plan_file_is_in_italian_and_reads_as_the_english_one(config):
    text = (ROOT / f"plans/{SOURCE}.yaml").read_text(encoding="utf-8")
    for key in ("anno:", "date:", "approvazione:", "alias_comuni:", "dati:", "confini:", "attribuzione:"):
        assert key in text
    english = plankeys.to_internal(yaml.safe_load(text))  # the same facts written with the English keys
    assert "year" in english and "dates" in english
    assert prepare_plan(english, "plans/x.yaml") == config == prepare_plan(yaml.safe_load(text), "plans/x.yaml")


def test_converting_a_plan_file_keeps_its_facts(tmp_path, monkeypatch, config):
    english = plankeys.to_internal(yaml.safe_load((ROOT / f"plans/{SOURCE}.yaml").read_text(encoding="utf-8")))
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans/vecchio_2019.yaml").write_text(yaml.safe_dump(english, allow_unicode=True), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    from pianoabitativo.planfile import convert

    assert "riscritto con le chiavi e i commenti in italiano" in convert("vecchio_2019")
    converted = (tmp_path / "plans/vecchio_2019.yaml").read_text(encoding="utf-8")
    assert "anno: 2019" in converted and "year:" not in converted
    assert load_plan("vecchio_2019") == config


def test_problems_of_an_italian_plan_file_name_its_italian_keys():
    facts = yaml.safe_load((ROOT / f"plans/{SOURCE}.yaml").read_text(encoding="utf-8"))
    facts["date"]["approvazione"] = "2019-02-30"
    facts["anno_piano"] = 2019
    with pytest.raises(DataError) as err:
        prepare_plan(facts, "plans/x.yaml")
    text = "\n".join(p.describe() for p in err.value.problems)
    assert "chiave «date.approvazione»: data non valida" in text
    assert "chiave «anno_piano» non prevista; atteso: solo le chiavi anno, ambito, date" in text


def test_da_verificare_entries_read_as_unconfirmed_facts():
    facts = yaml.safe_load((ROOT / f"plans/{SOURCE}.yaml").read_text(encoding="utf-8"))
    facts["da_verificare"] = [{"voce": "date.approvazione", "motivo": "proposta", "dove": "delibera"}]
    facts["piano_precedente"] = "cremasco_2018"
    prepared = prepare_plan(facts, "plans/x.yaml")
    assert prepared["unconfirmed"] == [{"fact": "dates.approval", "reason": "proposta", "where": "delibera"}]
    assert prepared["previous_plan"] == "cremasco_2018"
    assert prepare_plan(yaml.safe_load((ROOT / f"plans/{SOURCE}.yaml").read_text()), "x")["unconfirmed"] == []


# --- what makes a draft, and how it is marked -------------------------------------------------------


def test_the_reference_plan_is_approved_and_its_text_renders_unchanged(config):
    assert draft.draft_items(config, QMD, "report/x.qmd") == []
    staged = draft.staged_text(QMD)
    assert "testo-ambito" not in staged and staged.count("\n") == QMD.count("\n")  # fences blanked, lines kept
    assert [line for line in staged.splitlines() if line] == [
        line for line in QMD.splitlines() if line and "testo-ambito" not in line and line != ":::"
    ]


def test_a_marked_passage_and_a_placeholder_make_a_draft(config):
    text = (
        '# I. Premessa\n\n::: {.da-verificare motivo="testo ripreso dal piano cremasco_2019"}\n'
        "Per questi compiti il {{< meta piano.capofila >}} si avvale dell'EISA.\n:::\n\n"
        "## 2. Altro\n\n«Testo da scrivere: i progetti.»\n"
    )
    items = draft.draft_items(config, text, "report/p.qmd")
    assert [(i.kind, i.where) for i in items] == [("testo", "report/p.qmd, riga 3"), ("testo", "report/p.qmd, riga 9")]
    assert "sezione «I. Premessa»" in items[0].what and items[0].reason == "testo ripreso dal piano cremasco_2019"
    staged = draft.staged_text(text)
    assert "**[Da verificare prima dell'approvazione (testo ripreso dal piano cremasco_2019): inizio.]**" in staged
    assert draft.END_MARK in staged


def test_unconfirmed_facts_are_printed_marked_and_the_title_block_says_proposal(config):
    facts = {
        **config,
        "unconfirmed": [
            {"fact": "dates.regional_notice", "reason": "proposta", "where": "BURL"},
            {"fact": "dates.piano_di_zona_approval", "reason": "", "where": ""},
        ],
    }
    paths_ = draft.unconfirmed_paths(facts)
    meta = metadata(facts, {}, draft=True, unconfirmed=frozenset(paths_))
    assert meta["piano"]["data_regional_notice"] == "[da verificare: 2 aprile 2019]"
    assert meta["piano"]["piano_di_zona_periodo"] == "[da verificare: 2018-2020]"
    assert meta["piano"]["data_capofila_designation"] == "5 aprile 2018"
    assert meta["date-format"] == "[Proposta di piano, non ancora approvata dall'Assemblea dei Sindaci]"
    approved = metadata(config, {})
    assert approved["date-format"] == "[Documento approvato dall'Assemblea dei Sindaci del] D MMMM YYYY"
    appendix = draft.appendix(draft.unconfirmed_facts(facts), "plans/p.yaml", "report/p.qmd")
    assert appendix.startswith("## Da verificare prima dell'approvazione")
    assert (
        "**data del Comunicato regionale** (`date.comunicato_regionale`), valore proposto: 2 aprile 2019" in appendix
        and "Dove verificarlo: BURL." in appendix
    )
    assert draft.appendix([], "plans/p.yaml", "report/p.qmd") == ""


def test_an_empty_required_fact_is_to_be_filled_in(config):
    facts = {**config, "ambito": {**config["ambito"], "name": ""}, "dates": {**config["dates"], "approval": None}}
    assert {i.what for i in draft.unconfirmed_facts(facts)} == {"ambito.nome", "date.approvazione"}


def test_the_refusal_names_what_is_unconfirmed_in_one_sentence(config):
    facts = {
        **config,
        "unconfirmed": [
            {"fact": f, "reason": "", "where": ""}
            for f in (
                "dates.approval",
                "dates.regional_notice",
                "regional_notice_number",
                "triennial_plan",
                "dates.assignable_by",
                "dates.next_plan_deadline",
            )
        ],
    }
    items = draft.draft_items(facts, "::: {.da-verificare}\ntesto\n:::\n", "q")
    sentence = draft.refusal("cremasco_2020", items)
    assert sentence == (
        "Il piano cremasco_2020 è una bozza e non si archivia: da verificare date.approvazione, "
        "date.comunicato_regionale, numero_comunicato_regionale, piano_triennale, altri 2 fatti e "
        "1 passo del testo."
    )


def test_a_written_appendix_makes_a_draft_an_empty_one_does_not(tmp_path, config):
    """The one test (draft.appendix_says_draft) of the style files and of the console's last lines."""
    path = tmp_path / "da_verificare.md"
    assert not draft.appendix_says_draft(path)  # never written: no run yet
    path.write_text(draft.appendix([], "plans/cremasco_2019.yaml", "report/piano_cremasco_2019.qmd"), encoding="utf-8")
    assert not draft.appendix_says_draft(path)  # the reference plan: approved
    items = draft.unconfirmed_facts({**config, "unconfirmed": [{"fact": "dates.approval", "reason": "proposta"}]})
    path.write_text(
        draft.appendix(items, "plans/cremasco_2019.yaml", "report/piano_cremasco_2019.qmd"), encoding="utf-8"
    )
    assert draft.appendix_says_draft(path)


def test_the_draft_headers_say_bozza_in_every_format():
    from pianoabitativo.render import header
    from pianoabitativo.render.reference_docx import word_header_xml

    assert "BOZZA" not in header.header_typst(["A"], ["B"]) and "BOZZA" in header.header_typst(["A"], ["B"], True)
    assert "piano-bozza" in header.header_html(["A"], ["B"], True) and "BOZZA" not in header.header_html(["A"], ["B"])
    assert "BOZZA" in word_header_xml(["A"], ["B"], "BOZZA · PROPOSTA") and "BOZZA" not in word_header_xml(["A"], ["B"])


# --- the journeys, end to end -----------------------------------------------------------------------

DRAFTS = ("cremasco_2020", "tormense_2019")


def fill_other_ambito(project: Path) -> None:
    """What the officer does for tormense_2019 after make nuovo-piano: the new ambito's facts in the plan
    file (their da_verificare entries deleted), its files in data/raw with a signed register; the
    placeholders of the text are left, so the plan is still a draft."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_fixture", ROOT / "tests/fixtures/tormense_2019/make_fixture.py")
    fixture = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fixture)
    qmd = (project / "report/piano_tormense_2019.qmd").read_text(encoding="utf-8")
    fixture.install(project)  # data/raw/tormense_2019 (files and signed register); its plan file and text...
    (project / "report/piano_tormense_2019.qmd").write_text(qmd, encoding="utf-8")  # ...the started text stays
    cwd = os.getcwd()
    os.chdir(project)
    try:
        own = plankeys.to_internal(yaml.safe_load((fixture.HERE / "plan.yaml").read_text(encoding="utf-8")))
        (project / "plans/tormense_2019.yaml").write_text(
            plan_text({**own, "unconfirmed": []}, "tormense_2019"), encoding="utf-8"
        )
    finally:
        os.chdir(cwd)


def without_plan(project: Path, plan: str) -> None:
    """A plan taken out of a project, as if it had never been there: its facts, data, text and every
    result of it; config.yaml no longer lists it."""
    for folder in ("data/raw", "data/interim", "data/processed", "report/gen", "build", "logs", "benchmarks"):
        shutil.rmtree(project / folder / plan, ignore_errors=True)
    for path in [project / f"plans/{plan}.yaml", project / f"report/piano_{plan}.qmd"]:
        path.unlink()
    for path in (project / "output").glob(f"piano_{plan}.*"):
        path.unlink()
    config = project / "config.yaml"
    text = config.read_text(encoding="utf-8")
    listed = re.search(r"^plans: \[(.*)\]$", text, re.M)
    kept = [name.strip() for name in listed.group(1).split(",") if name.strip() != plan]
    config.write_text(text.replace(listed.group(0), f"plans: [{', '.join(kept)}]"), encoding="utf-8")


@pytest.fixture(scope="module")
def journeys(three_plans, tmp_path_factory) -> dict:
    """A copy of conftest.three_plans: the reference, and next year's plan started with make nuovo-piano
    and filled (start_next_year); the other ambito taken out and started again with make nuovo-piano
    from the reference, its facts and data filled, its prose left; then make plan (it builds
    tormense_2019, the other two are up to date) and make archive."""
    project = copy_built(three_plans, tmp_path_factory.mktemp("bozze") / "progetto")
    without_plan(project, "tormense_2019")
    started = make(project, "nuovo-piano", f"DA={SOURCE}", "A=tormense_2019")
    assert started.returncode == 0, started.stdout + started.stderr
    fill_other_ambito(project)
    built = make(project, "plan")
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    drafts = {
        plan: {fmt: (project / f"output/piano_{plan}.{fmt}").read_bytes() for fmt in ("pdf", "html", "docx")}
        for plan in (SOURCE, *DRAFTS)
    }
    archived = make(project, "archive")
    return {"project": project, "drafts": drafts, "archived": archived}


def pdf_pages(data: bytes, tmp: Path) -> list[str]:
    path = tmp / "doc.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    return [page for page in text.split("\f") if page.strip()]


def docx_parts(data: bytes) -> dict[str, str]:
    from io import BytesIO

    with zipfile.ZipFile(BytesIO(data)) as docx:
        return {n: docx.read(n).decode("utf-8") for n in docx.namelist() if n.endswith(".xml")}


def plain_html(data: bytes) -> str:
    import html

    body = re.sub(r"<(script|style)\b.*?</\1>", " ", data.decode("utf-8"), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"data:[^\"')]+", " ", body))).split())


@pytest.mark.e2e
@pytest.mark.parametrize("plan", DRAFTS)
def test_a_draft_says_bozza_on_every_page_of_every_format(journeys, plan, tmp_path):
    documents = journeys["drafts"][plan]
    pages = pdf_pages(documents["pdf"], tmp_path)
    assert len(pages) >= 8 and all("BOZZA" in page for page in pages)
    assert "Da verificare prima dell’approvazione" in pages[-1] or any(
        "Da verificare prima dell’approvazione" in p for p in pages[-6:]
    )
    assert '<div class="piano-bozza" role="note">' in documents["html"].decode("utf-8")
    assert "Proposta di piano, non ancora approvata" in plain_html(documents["html"])
    parts = docx_parts(documents["docx"])
    sections = re.findall(r"<w:sectPr\b.*?</w:sectPr>", parts["word/document.xml"], re.S)
    assert sections and all("headerReference" in s for s in sections)
    headers = [xml for name, xml in parts.items() if name.startswith("word/header")]
    assert headers and all("BOZZA" in xml for xml in headers)
    approved = pdf_pages(journeys["drafts"][SOURCE]["pdf"], tmp_path)
    assert not any("BOZZA" in page for page in approved)


@pytest.mark.e2e
def test_another_ambitos_draft_has_none_of_the_source_ambitos_prose(journeys, tmp_path):
    from test_new_plan import ambito_prose

    text = " ".join(" ".join(pdf_pages(journeys["drafts"]["tormense_2019"]["pdf"], tmp_path)).split())
    html_text = plain_html(journeys["drafts"]["tormense_2019"]["html"])
    sentences = ambito_prose(QMD)
    for document in (text.replace("’", "'"), html_text.replace("’", "'")):
        assert not [s for s in sentences if s[:60] in document]
        assert "Testo da scrivere:" in document and "Tormense" in document
        assert "Regione Lombardia gestisce il sistema dei servizi abitativi pubblici" in document  # generic prose
        for name in ("EISA", "Impronte Sociali", "Acli", "IntERPreTI", "Cremasco", "Crema "):
            assert name not in document, name


@pytest.mark.e2e
@pytest.mark.skipif(QUARTO is None, reason=QUARTO_MISSING)
def test_quarto_marks_a_draft_the_same_way(journeys, tmp_path):
    project, plan = journeys["project"], "tormense_2019"
    config = project / "config.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("engine: auto", "engine: quarto"), encoding="utf-8")
    try:
        done = subprocess.run(
            [
                str(project / ".venv/bin/snakemake"),
                "--cores",
                "2",
                *(f"output/piano_{plan}.{fmt}" for fmt in ("pdf", "html", "docx")),
            ],
            cwd=project,
            env=quarto_env(dict(os.environ)),
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        assert "with the quarto engine" in (project / f"logs/{plan}/render.log").read_text(encoding="utf-8")
        pages = pdf_pages((project / f"output/piano_{plan}.pdf").read_bytes(), tmp_path)
        assert len(pages) >= 8 and all("BOZZA" in page for page in pages)
        html_text = (project / f"output/piano_{plan}.html").read_text(encoding="utf-8")
        assert '<div class="piano-bozza" role="note">' in html_text and "Proposta di piano, non ancora" in html_text
        parts = docx_parts((project / f"output/piano_{plan}.docx").read_bytes())
        sections = re.findall(r"<w:sectPr\b.*?</w:sectPr>", parts["word/document.xml"], re.S)
        assert sections and all("headerReference" in s for s in sections)
        assert all("BOZZA" in xml for name, xml in parts.items() if name.startswith("word/header"))
    finally:
        config.write_text(text, encoding="utf-8")


@pytest.mark.e2e
def test_make_archive_refuses_each_draft_in_one_sentence_and_archives_the_approved_plan(journeys):
    archived, project = journeys["archived"], journeys["project"]
    assert archived.returncode != 0
    err = " ".join(archived.stderr.split())
    assert "Il piano cremasco_2020 è una bozza e non si archivia: da verificare date.approvazione" in err
    assert "Il piano tormense_2019 è una bozza e non si archivia: da verificare 3 passi del testo." in err
    assert max(len(line) for line in archived.stderr.splitlines()) <= 80
    assert "Traceback" not in archived.stderr + archived.stdout
    assert sorted(p.name for p in (project / "archive").iterdir()) == [f"piano_{SOURCE}.tar.gz"]


@pytest.mark.e2e
def test_confirming_everything_gives_an_approved_plan_without_marks(journeys, tmp_path):
    project = journeys["project"]
    confirm_everything(project, "cremasco_2020")
    built = make(project, "plan")
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    pages = pdf_pages((project / "output/piano_cremasco_2020.pdf").read_bytes(), tmp_path)
    text = " ".join(" ".join(pages).split())
    assert "BOZZA" not in text and "da verificare" not in text.lower() and "Proposta di piano" not in text
    assert "Documento approvato dall’Assemblea dei Sindaci del 25 giugno 2020" in text
    html_text = (project / "output/piano_cremasco_2020.html").read_text(encoding="utf-8")
    assert "piano-bozza" not in html_text and "da-verificare" not in html_text
    assert "BOZZA" not in "".join(docx_parts((project / "output/piano_cremasco_2020.docx").read_bytes()).values())
    archived = make(project, "archive")
    assert "cremasco_2020 è una bozza" not in archived.stderr and "tormense_2019 è una bozza" in archived.stderr
    assert (project / "archive/piano_cremasco_2020.tar.gz").is_file()
