"""Report stage: the document's generated inputs (report/gen/<plan>/): figures as text, tables, notes,
and the running header of each format with the HTML stylesheet.

By hand (from the project folder): python scripts/report_fragments.py plan=cremasco_2019
"""

import sys
from pathlib import Path

import pandas as pd

from pianoabitativo import catalogue
from pianoabitativo.console import wrapped
from pianoabitativo.core.files import write_text_atomically
from pianoabitativo.core.runner import run
from pianoabitativo.core.tableio import read_processed
from pianoabitativo.fragments import comparison as C
from pianoabitativo.fragments import demography as D
from pianoabitativo.fragments import figures as F
from pianoabitativo.fragments import housing as H
from pianoabitativo.fragments import services as S
from pianoabitativo.fragments.checks import checks_fragment
from pianoabitativo.fragments.context import programming_sentence
from pianoabitativo.fragments.draft import appendix, plan_draft_items, unconfirmed_paths
from pianoabitativo.fragments.metadata import metadata, metadata_yaml
from pianoabitativo.fragments.sources import sources_fragment
from pianoabitativo.inputs.interim import read_register_rows
from pianoabitativo.render import header


def typed_figure(text: str):
    if text == "":
        return ""
    return float(text) if "." in text else int(text)


def main(smk):
    inp, out, params = smk.input, smk.output, smk.params
    year = int(params.facts["year"])
    figures_frame = read_processed(inp.cifre_chiave)
    figures = {k: typed_figure(v) for k, v in zip(figures_frame["chiave"], figures_frame["valore"])}
    table = {name: read_processed(getattr(inp, name)) for name in params.tables}
    # draft or approved: the plan's unconfirmed facts (params.facts), a quota rule it lacks, and marked
    # passages of its text (input.qmd)
    items = plan_draft_items(params.facts, inp.qmd, inp.h_i_scelte_per_comune)
    unconfirmed = frozenset(unconfirmed_paths(params.facts))
    meta = metadata(params.facts, figures, draft=bool(items), unconfirmed=unconfirmed)
    write_text_atomically(out.metadata, metadata_yaml(meta))
    date_text = meta["piano"]["data_popolazione"]
    totals = table["a_patrimonio_totali"]
    ambito = params.facts["ambito"]
    texts = {
        "testo_programmazione": programming_sentence(params.facts, unconfirmed),
        "da_verificare": appendix(items, params.plan_file, inp.qmd),
        "testo_demografia": D.density_paragraphs(figures, table["comuni"], ambito["short_name"], date_text),
        "sezione_subambiti": D.subambiti_section(table["subambiti"], figures, date_text),
        "testo_famiglie": D.households_paragraph(figures, ambito["short_name"], meta["piano"]["data_famiglie"]),
        "tab_comuni": D.comuni_fragment(table["comuni"], date_text),
        "testo_ricognizione": H.survey_paragraph(figures, table["a_patrimonio"], ambito["aler"]),
        "testo_a_patrimonio": H.stock_sentence(figures),
        "tab_a_patrimonio": H.stock_fragment(table["a_patrimonio"]),
        "nota_a_patrimonio": H.totals_note(
            totals[totals["tabella"] == "a_patrimonio"], "patrimonio", "consistenza del patrimonio"
        ),
        "tab_e_turnover": H.turnover_fragment(table["e_turnover"], catalogue.category("e_avvicendamento")),
        "testo_g_assegnabili": H.assignable_sentence(figures, year),
        "tab_g_assegnabili": H.assignable_fragment(table["g_assegnabili"]),
        "nota_g_assegnabili": H.totals_note(
            totals[totals["tabella"] == "g_assegnabili_dichiarate"], "assegnabili", "unità assegnabili"
        ),
        "testo_k_assegnate": H.assigned_sentence(figures, year - 1),
        "tab_k_assegnate": H.assigned_fragment(table["k_assegnate_anno_precedente"], year - 1),
        "testo_k_deroga": H.derogation_sentence(table["k_assegnate_anno_precedente"], year - 1),
        "testo_l_avvisi": H.notices_sentence(table["l_misure"]),
        "tab_l_misure": H.measures_fragment(table["l_misure"]),
        "elenco_l_misure": H.activated_measures(table["l_misure"]),
        "testo_m_riqualificazione": H.upgrading_sentence(table["m_riqualificazione"], year),
        "verifiche": checks_fragment(table["verifiche"]),
        "fonti_dati": sources_fragment(read_register_rows(inp.register), params.facts, params.register_path),
        "figura_mappa_densita": F.density_map_figure(figures, table["comuni"]),
        "figura_patrimonio_enti": F.stock_figure(table["a_patrimonio"]),
        "figura_assegnabili_comuni": F.assignable_figure(table["g_assegnabili_per_categoria"]),
        # the comparison with the previous plan (one sentence when there is none)
        "sezione_confronto": C.comparison_section(
            table["confronto_cifre_chiave"],
            table["confronto_enti"],
            table["confronto_unita"],
            table["confronto_fonte"],
            year,
            Path(inp.qmd).read_text(encoding="utf-8"),  # its sections' numbers
        ),
        "fonte_confronto": C.sources_paragraph(table["confronto_fonte"], str(inp.confronto_fonte)),
    }
    services = service_texts(table, params.facts, figures, year)
    unit_services = services.pop("_unit_services")
    for category in catalogue.LISTED_CATEGORIES:
        status = "Libero" if category.code == "e_libera" else None
        texts[f"tab_{category.table}"] = H.units_fragment(
            table[category.table],
            category,
            status=status,
            max_rows=params.max_listed_units,
            source=str(getattr(inp, category.table)),
            services=unit_services,
        )
    quota_units = services.pop("_quota_units")
    for choice in catalogue.CHOICES:
        texts[choice.fragment] = H.choice_sentence(table["h_i_j_scelte_comunali"], choice, year, quota_units)
    texts.update(services)
    for name in catalogue.FRAGMENTS:
        write_text_atomically(getattr(out, name), texts[name])
    write_style(smk, draft=bool(items))
    if items:  # the console says so: a draft is never taken for the approved act
        facts = sum(1 for item in items if item.kind == "fatto")
        line = (
            f"- Il piano {smk.wildcards.plan} è una BOZZA: {facts} fatti e {len(items) - facts} passi del "
            "testo da verificare (appendice «Da verificare prima dell'approvazione»)"
        )
        print("\n".join(wrapped(line)), file=sys.stderr)


def service_texts(table: dict, facts: dict, figures: dict, year: int) -> dict:
    """The fragments of the housing services SAP/SAS/SAT and the per-comune choices (fragments/services.py),
    and what the 2019 fragments take from them; each as in 2019 where the plan has no such data."""
    units, turnover, by_service = table["unita_servizi"], table["e_turnover_servizi"], table["g_assegnabili_servizi"]
    sas = S.has_sas(units, turnover)
    sat = S.sat_stock(table["a_patrimonio_servizi"])
    released = bool(turnover["forze_polizia_vvf"].sum())
    per_comune = table["h_i_scelte_per_comune"]
    rounding, base, proposed = catalogue.quota_rule(facts)
    proposed = proposed or any(e["fact"] == "quota_rounding" for e in facts.get("unconfirmed") or [])
    texts = {
        "_unit_services": dict(zip(units["codice_unita"], units["servizio"])) if sas else None,
        "_quota_units": {
            r.comune: int(r.quota_forze_polizia_vvf_unita)
            for r in per_comune.itertuples()
            if pd.notna(r.quota_forze_polizia_vvf_unita)
        },
        "sezione_g_servizi": S.comuni_service_section(by_service, sas),
        "sezione_scelte_comuni": S.choices_section(per_comune, rounding, base, proposed),
        "sezione_j_contingente": S.contingent_section(table["j_servizi_transitori"]),
    }
    if sat is not None:
        texts["testo_a_patrimonio"] = H.stock_sentence(figures, sum(sat.values()))
        texts["tab_a_patrimonio"] = H.stock_fragment(table["a_patrimonio"], sat)
        texts["figura_patrimonio_enti"] = F.stock_figure(table["a_patrimonio"], sat)
    if sas or released:
        texts["tab_e_turnover"] = H.turnover_fragment(
            table["e_turnover"], catalogue.category("e_avvicendamento"), turnover
        )
    if sas:
        texts["testo_g_assegnabili"] = S.assignable_service_sentence(by_service, year)
        texts["tab_g_assegnabili"] = S.assignable_service_fragment(by_service)
    return texts


def write_style(smk, draft: bool):
    """The running header (Typst, HTML, DOCX reference document) and the HTML stylesheet."""
    ambito, out = smk.params.facts["ambito"], smk.output
    left = ambito["name"].split(" ")  # "Ambito / Distrettuale / Cremasco", as on the plan's letterhead
    right = [ambito["capofila"]] + ambito["capofila_role"].replace(" per ", "\nper ").split("\n")
    header.write_header_typst(Path(out.header_typst), left, right, draft)
    header.write_header_html(Path(out.header_html), left, right, draft)
    header.write_reference_docx(Path(out.reference_docx), left, right, draft)
    header.write_stylesheet(Path(out.css))


run(main, globals(), "report_fragments")
