"""A second ambito, end to end: the invented «Ambito Distrettuale Tormense» (tests/fixtures/tormense_2019).

Seven comuni, no sub-ambiti, one comune created by an (invented) merger whose population comes from a
registered popolazione_integrazioni file, units of every category b-f. It is built in one `make plan` run
with the reference plan cremasco_2019 and its next year cremasco_2020 (conftest.three_plans); its documents
carry its own figures and names only, and the Cremasco documents none of its.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from inputs_support import ROOT, pdf_text
from pianoabitativo.charts.density_map import density_map
from pianoabitativo.fragments.wording import with_article
from pianoabitativo.inputs.register import read_register

PLAN = "tormense_2019"
FIXTURE = ROOT / "tests" / "fixtures" / PLAN
MERGED = ("019117", "Torlino Pignano")
POPULATION = 3866 + 3841 + 9035 + 8140 + 6873 + 4542 + 4261  # ISTAT 1/1/2018 of six comuni + the supplied one
OTHER_PLANS = (
    "Cremasco",
    "Crema",
    "162.323",
    "161.144",
    "Bagnolo",
    "Castelleone",
    "Sergnano",
    "Soncino",
    "EISA",
    "Impronte Sociali",
    "IntERPreTI",
    "25 giugno 2019",
    "202,94",
    "419,85",
)
OWN = ("Tormense", "tormense", "Torlino Pignano", "40.558", "27 giugno 2019", "204,37")


def figures(project: Path, plan: str) -> dict[str, str]:
    frame = pd.read_csv(project / "data/processed" / plan / "cifre_chiave.csv", dtype=str)
    return dict(zip(frame["chiave"], frame["valore"]))


def processed(project: Path, table: str) -> pd.DataFrame:
    return pd.read_csv(project / "data/processed" / PLAN / f"{table}.csv", dtype=str, keep_default_na=False)


def html_text(path: Path) -> str:
    import html
    import re

    body = path.read_text(encoding="utf-8")
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)  # embedded fonts, images, code
    body = re.sub(r"data:[^\"')]+", " ", body)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def docx_text(path: Path) -> str:
    import re
    import zipfile

    with zipfile.ZipFile(path) as docx:
        xml = " ".join(
            docx.read(n).decode("utf-8") for n in docx.namelist() if n.startswith("word/") and n.endswith(".xml")
        )
    return " ".join(re.sub(r"<[^>]+>", "", re.sub(r"</w:p>", " ", xml)).split())


@pytest.fixture(scope="module")
def built(three_plans) -> Path:
    return three_plans


@pytest.fixture(scope="module")
def documents(built) -> dict[str, dict[str, str]]:
    """plan -> format -> the document's text (apostrophes as typed)."""
    readers = {"pdf": pdf_text, "html": html_text, "docx": docx_text}
    return {
        plan: {
            fmt: read(built / "output" / f"piano_{plan}.{fmt}").replace("\u2019", "'")  # typographic ’
            for fmt, read in readers.items()
        }
        for plan in ("cremasco_2019", "cremasco_2020", PLAN)
    }


# --- fast: the fixture itself and the small src changes it needed ------------------------------


def test_fixture_says_it_is_invented_and_registers_every_file():
    assert "dati inventati per i test" in (FIXTURE / "README.md").read_text(encoding="utf-8")
    register = read_register(FIXTURE / "raw/register.csv")
    assert all(row["source"].startswith("dati inventati per i test") for row in register)
    assert all(row["certainty"] == "inventato" for row in register)
    assert "popolazione_integrazioni" in (FIXTURE / "plan.yaml").read_text(encoding="utf-8")
    assert "sub_ambiti" not in (FIXTURE / "plan.yaml").read_text(encoding="utf-8")


def test_definite_article_before_a_percentage():
    assert [with_article(t) for t in ("72%", "81%", "8%", "11%", "1%", "1,5%", "18%", "100%", "0%")] == [
        "il 72%",
        "l'81%",
        "l'8%",
        "l'11%",
        "l'1%",
        "l'1,5%",
        "il 18%",
        "il 100%",
        "il 0%",
    ]


def _square(x: float, y: float) -> list:
    return [[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]]


def test_small_ambito_map_names_every_comune_and_the_capofila_in_bold():
    comuni = pd.DataFrame(
        {
            "codice_istat": ["000001", "000002", MERGED[0]],
            "comune": ["Uno", "Due", MERGED[1]],
            "densita": [100.0, 300.0, 500.0],
        }
    )
    boundaries = {
        "type": "FeatureCollection",
        "features": [
            {"properties": {"codice_istat": "000001"}, "geometry": {"type": "Polygon", "coordinates": _square(9, 45)}},
            {
                "properties": {"codice_istat": "000002"},
                "geometry": {"type": "Polygon", "coordinates": _square(9.01, 45)},
            },
            {
                "properties": {"codice_istat": MERGED[0]},  # a merged comune: a MultiPolygon of the two old ones
                "geometry": {"type": "MultiPolygon", "coordinates": [_square(9.02, 45), _square(9.03, 45)]},
            },
        ],
    }
    fig = density_map(comuni, boundaries, 200.0, 400.0, "Confini", labelled_comuni=["000002"], bold_comuni=["000002"])
    names = {t.get_text(): t.get_fontweight() for t in fig.axes[0].texts}
    assert names["Uno"] == "normal" and names[MERGED[1]] == "normal" and names["Due"] == "bold"


# --- end to end: three plans in one run ---------------------------------------------------------


@pytest.mark.e2e
def test_three_plans_build_in_one_run(built):
    for plan in ("cremasco_2019", "cremasco_2020", PLAN):
        for fmt in ("pdf", "html", "docx"):
            assert (built / "output" / f"piano_{plan}.{fmt}").stat().st_size > 10_000, (plan, fmt)
    committed = {p.name: p.read_bytes() for p in (ROOT / "data/processed/cremasco_2019").glob("*.csv")}
    rebuilt = {p.name: p.read_bytes() for p in (built / "data/processed/cremasco_2019").glob("*.csv")}
    assert rebuilt == committed


@pytest.mark.e2e
def test_processed_tables_hold_the_ambitos_own_figures(built):
    fig = figures(built, PLAN)
    assert fig["popolazione"] == str(POPULATION) == "40558"
    assert (fig["n_comuni"], fig["n_subambiti"], fig["superficie_km2"]) == ("7", "0", "129.73")
    assert (fig["n_d_nuova_edificazione"], fig["n_f_conferite_privati"]) == ("3", "2")
    assert (fig["n_b_carenza_manutentiva"], fig["n_c_ristrutturazione"], fig["n_e_libere"], fig["n_e_turnover"]) == (
        "3",
        "1",
        "4",
        "6",
    )
    assert fig["n_g_assegnabili"] == "19" and fig["patrimonio_totale_unita"] == "501"
    assert (fig["densita_provincia"], fig["famiglie_ambito"]) == ("204.37", "15420")
    comuni = processed(built, "comuni").set_index("codice_istat")
    assert len(comuni) == 7 and comuni["sub_ambito"].eq("").all()
    assert comuni.loc[MERGED[0], "comune"] == MERGED[1] and comuni.loc[MERGED[0], "popolazione"] == "4261"
    assert comuni.loc[MERGED[0], "superficie_km2"] == "14.59"  # Palazzo Pignano 12.76 + Torlino Vimercati 1.83
    assert processed(built, "subambiti").empty
    assert len(processed(built, "d_nuova_edificazione")) == 3 and len(processed(built, "f_conferite_privati")) == 2
    checks = processed(built, "verifiche").set_index("controllo")
    assert (checks.loc["popolazione_istat", "gravita"], checks.loc["popolazione_istat", "esito"]) == (
        "avviso",
        "non superato",
    )
    assert "Torlino Pignano (019117): popolazione 4.261" in checks.loc["popolazione_istat", "dettaglio"]
    assert checks.loc["sub_ambiti", "esito"] == "superato"


@pytest.mark.e2e
def test_document_states_the_ambitos_figures(documents):
    text = documents[PLAN]["pdf"]
    assert "Ambito Distrettuale Tormense · anno 2019" in text and "Comune di Pandino" in text
    assert "27 giugno 2019" in text
    assert "L'ambito tormense riunisce 7 comuni, nei quali al 01/01/2018 risiedevano 40.558 abitanti" in text
    for sentence in (
        "d) Unità di nuova edificazione Unità destinate a SAP",
        "Nell'ambito ne sono state rilevate 3 (Tabella 4)",
        "Nell'ambito ne sono state rilevate 2 (Tabella 7)",
        "saranno prevedibilmente assegnabili 19 unità destinate a SAP",
        "Torlino Pignano 019117 4.261 14,59 292,05",
        "15.420 nell'ambito tormense",
        "i comuni proprietari ospitano l'81% dei residenti dell'ambito: il 19% vive",
    ):
        assert sentence in text, sentence
    for fmt in ("pdf", "html", "docx"):
        assert "Torlino Pignano" in documents[PLAN][fmt] and "40.558" in documents[PLAN][fmt], fmt


@pytest.mark.e2e
def test_document_has_no_sub_ambiti(documents, built):
    for fmt, text in documents[PLAN].items():
        assert "Sub-ambito" not in text and "per sub-ambito" not in text, fmt  # no heading, column, table, chart
    assert "Comune Codice ISTAT Popolazione Superficie (km²)" in documents[PLAN]["pdf"]
    assert (built / "report/gen" / PLAN / "sezione_subambiti.md").read_text(encoding="utf-8").strip() == ""
    assert "Sub-ambito" in documents["cremasco_2019"]["pdf"]  # the reference keeps its own


@pytest.mark.e2e
def test_appendix_names_the_supplied_population_and_its_source(documents):
    text = documents[PLAN]["pdf"]
    appendix = text[text.index("Verifiche sui dati", text.rindex("Appendice")) :]  # the heading, not the toc
    assert (
        "La popolazione di ogni comune e il totale dell'ambito coincidono con il dato ISTAT avviso non superato"
    ) in appendix
    supplied = (
        "Torlino Pignano (019117): popolazione 4.261 fornita da data/raw/tormense_2019/istat/"
        "popolazione_integrazioni.csv, assente dal file ISTAT («pop_res_18»); fonte: dati inventati per i "
        "test"
    )
    assert supplied.replace(" ", "") in appendix.replace(" ", "")  # a path may break across lines
    assert "l'avviso 11/2017 conta 8 comuni dell'ambito, l'ambito ne ha oggi 7" in appendix


@pytest.mark.e2e
def test_sources_are_said_from_the_ambitos_own_register(documents):
    """«Fonti dei dati» is generated from each plan's register: no Cremasco fact (2011 census surfaces,
    reconstructed sub-ambiti) in an ambito whose register does not say it, and the plan's own register path."""
    for fmt, text in documents[PLAN].items():
        assert "data/raw/tormense_2019/register.csv" in text.replace(" ", ""), fmt
        for claim in ("censimento 2011", "ricostruit", "data/raw/2019/", "Piattaforma informatica"):
            assert claim not in text[text.rindex("Fonti dei dati") :], (fmt, claim)
        assert "Comuni dell'ambito e superfici: dati al 01/01/2018, inventati per le prove del programma" in text, fmt
    reference = documents["cremasco_2019"]["pdf"]
    assert "data/raw/cremasco_2019/register.csv" in reference.replace(" ", "")
    assert "per l'appartenenza ai sub-ambiti il dato è ricostruito, non tratto da una fonte" in reference
    assert "superfici: ISTAT, censimento 2011" in reference


@pytest.mark.e2e
def test_no_plan_carries_another_plans_strings(documents):
    for fmt, text in documents[PLAN].items():
        leaked = [s for s in OTHER_PLANS if s in text]
        assert not leaked, (fmt, leaked)
    for plan in ("cremasco_2019", "cremasco_2020"):
        for fmt, text in documents[plan].items():
            leaked = [s for s in OWN if s in text]
            assert not leaked, (plan, fmt, leaked)


@pytest.mark.e2e
def test_built_among_other_plans_its_documents_are_the_bytes_it_has_built_alone(built, tmp_path):
    """One run of many plans gives each plan the documents a run of that plan alone gives it."""
    import hashlib
    import re

    from inputs_support import copy_project_for_make, install_tormense, make

    alone = copy_project_for_make(tmp_path / "da_solo")
    install_tormense(alone)
    config = alone / "config.yaml"
    config.write_text(
        re.sub(r"^plans:.*$", f"plans: [{PLAN}]", config.read_text(encoding="utf-8"), count=1, flags=re.M),
        encoding="utf-8",
    )
    result = make(alone, "plan")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for fmt in ("html", "pdf", "docx"):
        together, single = (project / "output" / f"piano_{PLAN}.{fmt}" for project in (built, alone))
        assert hashlib.sha256(single.read_bytes()).digest() == hashlib.sha256(together.read_bytes()).digest(), fmt
