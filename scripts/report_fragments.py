"""Write the report's generated inputs (report/gen/<year>/): figures as text, tables, notes, header."""

from pathlib import Path

from pianoabitativo import fragments as F
from pianoabitativo.workflow import read_processed, script_main

CHOICES = {
    "testo_h_soglia": ("soglia_indigenza_pct", "Nessun comune ha individuato per il {anno} una soglia superiore a "
                       "quella prevista dalla norma regionale per l'assegnazione ai nuclei in condizione di indigenza."),
    "testo_i_categorie": ("categoria_aggiuntiva", "Nessun comune ha individuato per il {anno} categorie aggiuntive "
                          "di particolare rilevanza sociale."),
    "testo_quota_forze": ("quota_forze_polizia_vvf_pct", "Nessun comune ha riservato per il {anno} una quota di "
                          "unità alle Forze di Polizia e al Corpo Nazionale dei Vigili del Fuoco."),
    "testo_j_transitori": ("unita_servizi_transitori", "Nessun comune ha indicato per il {anno} unità da "
                           "destinare ai servizi abitativi transitori."),
}


def write(path: str, text: str) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(text, encoding="utf-8", newline="\n")


def main(smk):
    config, tab, out = smk.config, smk.input, smk.output
    year = int(config["year"])
    figures_frame = read_processed(tab.figures)
    figures = {k: _typed(k, v) for k, v in zip(figures_frame["chiave"], figures_frame["valore"].astype(str))}
    meta = F.metadata(config, figures)
    write(out.metadata, F.metadata_yaml(meta))
    date_text = meta["piano"]["data_popolazione"]
    choices = read_processed(tab.h_i_j_scelte_comunali)
    texts = {
        "tab_subambiti": F.subambiti_fragment(read_processed(tab.subambiti), figures, date_text),
        "tab_comuni": F.comuni_fragment(read_processed(tab.comuni), date_text),
        "tab_a_patrimonio": F.stock_fragment(read_processed(tab.a_patrimonio)),
        "nota_a_patrimonio": F.totals_note(_reconciliation(tab, "a_patrimonio"), "patrimonio",
                                           "consistenza del patrimonio"),
        "tab_b_carenza_manutentiva": F.units_fragment(read_processed(tab.b_carenza_manutentiva),
                                                      "b_carenza_manutentiva", "carenza"),
        "tab_c_ristrutturazione": F.units_fragment(read_processed(tab.c_ristrutturazione), "c_ristrutturazione",
                                                   "ristrutturazione"),
        "tab_d_nuova_edificazione": F.units_fragment(read_processed(tab.d_nuova_edificazione),
                                                     "d_nuova_edificazione", "nuova-edificazione"),
        "tab_e_libere": F.units_fragment(read_processed(tab.e_libere), "e_libere", "libere", status="Libero"),
        "tab_e_turnover": F.turnover_fragment(read_processed(tab.e_turnover)),
        "tab_f_conferite_privati": F.units_fragment(read_processed(tab.f_conferite_privati), "f_conferite_privati",
                                                    "conferite"),
        "tab_g_assegnabili": F.assignable_fragment(read_processed(tab.g_assegnabili)),
        "nota_g_assegnabili": F.totals_note(_reconciliation(tab, "g_assegnabili_dichiarate"), "assegnabili",
                                            "unità assegnabili"),
        "tab_k_assegnate": F.assigned_fragment(read_processed(tab.k_assegnate_anno_precedente), year - 1),
        "testo_k_deroga": F.derogation_sentence(read_processed(tab.k_assegnate_anno_precedente), year - 1),
        "tab_l_misure": F.measures_fragment(read_processed(tab.l_misure)),
        "testo_m_riqualificazione": F.upgrading_sentence(read_processed(tab.m_riqualificazione), year),
        "verifiche": F.checks_fragment(read_processed(tab.verifiche)),
    }
    for name, (kind, none_text) in CHOICES.items():
        texts[name] = F.choice_sentence(choices, kind, year, none_text)
    for name, text in texts.items():
        write(getattr(out, name), text)


def _reconciliation(tab, table):
    frame = read_processed(tab.a_patrimonio_totali)
    return frame[frame["tabella"] == table]


def _typed(key: str, text: str):
    if text == "":
        return ""
    if "." in text:
        return float(text)
    return int(text)


script_main(main, snakemake)  # noqa: F821
