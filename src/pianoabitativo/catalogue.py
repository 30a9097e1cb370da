"""The plan's vocabulary, said once: categories b–f, processed tables, fragments, charts, formats.

Paths, rules, the typed reading of processed CSVs, the diff, the fragments and
the charts all take their names, keys, labels and colours from here. Adding a
table or a chart starts with a line in this module.
"""

from __future__ import annotations

from dataclasses import dataclass

from .core.columntypes import FLAG, INTEGER, NULLABLE_INTEGER, NULLABLE_NUMBER, NUMBER, TEXT

# --- raw inputs of a plan (keys of «inputs» in plans/<plan>.yaml; one schema each) -------------

INPUTS: tuple[str, ...] = (
    "comuni_ambito",
    "popolazione",
    "elenco_comuni",
    "patrimonio",
    "unita",
    "turnover",
    "assegnabili_dichiarate",
    "assegnazioni",
    "scelte_comunali",
    "misure_avvisi",
    "riqualificazione",
    "enti_gestori",
    "densita_riferimento",
    "famiglie",
    "famiglie_componenti",
    "progetti",
    "popolazione_integrazioni",
    "servizi_transitori",
)
# what each input holds, as the plan's «Fonti dei dati» names it (fragments/sources.py)
INPUT_LABELS: dict[str, str] = {
    "comuni_ambito": "comuni dell'ambito e superfici",
    "popolazione": "popolazione residente",
    "popolazione_integrazioni": "popolazione dei comuni assenti dal file ISTAT",
    "elenco_comuni": "elenco e codici ISTAT dei comuni",
    "patrimonio": "patrimonio per ente proprietario (a)",
    "unita": "unità assegnabili (b–f)",
    "turnover": "unità in avvicendamento (e)",
    "assegnabili_dichiarate": "unità assegnabili dichiarate (g)",
    "assegnazioni": "unità assegnate (k)",
    "scelte_comunali": "scelte dei comuni (h, i, j)",
    "misure_avvisi": "misure di sostegno (l)",
    "riqualificazione": "fondi di riqualificazione (m)",
    "enti_gestori": "enti gestori",
    "densita_riferimento": "densità medie di provincia e regione",
    "famiglie": "famiglie per ambito",
    "famiglie_componenti": "componenti medi delle famiglie",
    "progetti": "quantità dei progetti (sezione III)",
    "boundaries": "confini dei comuni (mappa)",
}
# inputs a plan may leave out: their interim table is still written (header only), so that the
# workflow's files are the same for every plan
OPTIONAL_INPUTS: tuple[str, ...] = ("popolazione_integrazioni", "servizi_transitori")
# inputs exported from the regional platform each year: next year's plan awaits new ones; the others (ISTAT,
# boundaries, reference figures, the comuni list) are copied to it unchanged, with their provenance
PLATFORM_INPUTS: tuple[str, ...] = (
    "patrimonio",
    "unita",
    "turnover",
    "assegnabili_dichiarate",
    "assegnazioni",
    "scelte_comunali",
    "misure_avvisi",
    "riqualificazione",
    "enti_gestori",
    "servizi_transitori",
)

# --- categories of units assignable in the year (art. 4 R.R. 4/2017, letters b-f) -----------


@dataclass(frozen=True)
class Category:
    code: str  # as written in g_assegnabili_per_categoria.csv
    letter: str  # the plan's letter
    unit_code: str | None  # value of «categoria» in the unit list; None: counted, not listed (turnover)
    table: str  # processed table of this category
    label: str  # cross-reference label of its table in the document (tbl-<label>)
    title: str  # completes "Unità abitative destinate a SAP ..."
    chart_label: str
    colour: str  # blues: free now or soon; oranges: need works; grey/green: new or private


CATEGORIES: tuple[Category, ...] = (
    Category(
        "b",
        "b",
        "b",
        "b_carenza_manutentiva",
        "carenza",
        "in carenza manutentiva, assegnabili nello stato di fatto",
        "b) carenza manutentiva",
        "#c55a11",
    ),
    Category(
        "c",
        "c",
        "c",
        "c_ristrutturazione",
        "ristrutturazione",
        "oggetto di piani di ristrutturazione, recupero o riqualificazione",
        "c) ristrutturazione",
        "#f4b183",
    ),
    Category(
        "d",
        "d",
        "d",
        "d_nuova_edificazione",
        "nuova-edificazione",
        "di nuova edificazione",
        "d) nuova edificazione",
        "#7f7f7f",
    ),
    Category("e_libera", "e", "e", "e_libere", "libere", "libere alla data della rilevazione", "e) libere", "#1f4e79"),
    Category(
        "e_avvicendamento",
        "e",
        None,
        "e_turnover",
        "turnover",
        "che si libereranno per avvicendamento nel corso dell'anno",
        "e) avvicendamento",
        "#8fb4d9",
    ),
    Category(
        "f",
        "f",
        "f",
        "f_conferite_privati",
        "conferite",
        "conferite da soggetti privati",
        "f) conferite da privati",
        "#548235",
    ),
)
LISTED_CATEGORIES = tuple(c for c in CATEGORIES if c.unit_code is not None)  # one row per unit code


def category(code: str) -> Category:
    return next(c for c in CATEGORIES if c.code == code)


def category_of_unit(unit_code: str) -> Category:
    return next(c for c in LISTED_CATEGORIES if c.unit_code == unit_code)


# --- municipal choices (h, i, quota Forze di Polizia/Vigili del Fuoco, j) -------------------


@dataclass(frozen=True)
class Choice:
    code: str  # value of «scelta» in the choices file
    fragment: str
    label: str  # "una <label>"
    none_text: str  # the sentence when no comune made this choice ({anno}: the plan's year)
    percent: bool


CHOICES: tuple[Choice, ...] = (
    Choice(
        "soglia_indigenza_pct",
        "testo_h_soglia",
        "soglia per i nuclei in condizione di indigenza",
        "Nessun comune ha individuato per il {anno} una soglia superiore a quella prevista dalla norma "
        "regionale per l'assegnazione ai nuclei in condizione di indigenza.",
        True,
    ),
    Choice(
        "categoria_aggiuntiva",
        "testo_i_categorie",
        "categoria aggiuntiva di particolare rilevanza sociale",
        "Nessun comune ha individuato per il {anno} categorie aggiuntive di particolare rilevanza sociale.",
        False,
    ),
    Choice(
        "quota_forze_polizia_vvf_pct",
        "testo_quota_forze",
        "quota per le Forze di Polizia e il Corpo Nazionale dei Vigili del Fuoco",
        "Nessun comune ha riservato per il {anno} una quota di unità alle Forze di Polizia e al Corpo "
        "Nazionale dei Vigili del Fuoco.",
        True,
    ),
    Choice(
        "unita_servizi_transitori",
        "testo_j_transitori",
        "unità per i servizi abitativi transitori",
        "Nessun comune ha indicato per il {anno} unità da destinare ai servizi abitativi transitori.",
        False,
    ),
)

# --- density classes of the comuni against the provincial and regional averages ------------

BELOW_PROVINCE = "sotto_media_provinciale"
BETWEEN_AVERAGES = "tra_media_provinciale_e_regionale"
ABOVE_REGION = "sopra_media_regionale"
DENSITY_CLASSES: dict[str, str] = {  # code -> label in the documents, lightest first
    BELOW_PROVINCE: "sotto la media provinciale",
    BETWEEN_AVERAGES: "tra le due medie",
    ABOVE_REGION: "sopra la media regionale",
}
DENSITY_CLASS_COLOURS: tuple[str, str, str] = ("#d6e3f0", "#7fa7cf", "#1f4e79")


def density_class(density: float, provincial: float, regional: float) -> str:
    """Below the provincial average, above the regional one, or in between (bounds included)."""
    if density < provincial:
        return BELOW_PROVINCE
    return ABOVE_REGION if density > regional else BETWEEN_AVERAGES


# --- districts of the households table ----------------------------------------------------


def district_key(name: str) -> str:
    """The key of a district's household figures ('Alto Garda' -> 'alto_garda': famiglie_alto_garda).

    The plan's own district is the one whose key equals that of its `ambito.short_name`."""
    return name.strip().casefold().replace(" ", "_")


# --- processed tables: name, primary key, column types --------------------------------------

# column types (TEXT, NUMBER, FLAG, ...): core/columntypes.py; short names for the declarations below
INT, NULLABLE_INT = INTEGER, NULLABLE_INTEGER


@dataclass(frozen=True)
class ProcessedTable:
    name: str
    key: tuple[str, ...]  # primary key: what the diff matches rows on
    columns: tuple[tuple[str, str], ...]  # (column, type) in file order
    label: str  # Italian name, for the diff report and the data package

    @property
    def types(self) -> dict[str, str]:
        return dict(self.columns)


_UNITS = (("ente_proprietario", TEXT), ("codice_unita", TEXT), ("comune", TEXT))

# --- housing services (SAP public, SAS social, SAT transitional) and per-comune choices (issue 19) ----
SAP, SAS, SAT = "SAP", "SAS", "SAT"
SERVICES: tuple[str, ...] = (SAP, SAS, SAT)  # the order of the columns and rows of every table
UNIT_SERVICES: tuple[str, ...] = (SAP, SAS)  # a unit or a turnover row is one of these (column absent: SAP)
# how a comune's quota in percent becomes a number of units (plans/<plan>.yaml: quota_rounding)
QUOTA_ROUNDINGS: dict[str, str] = {  # value -> how the document states it
    "down": "per difetto (all'unità inferiore)",
    "nearest": "all'unità più vicina (per eccesso da mezza unità in su)",
    "up": "per eccesso (all'unità superiore)",
}
QUOTA_PERCENT_ONLY = "percent_only"  # the plan states quotas in percent only, as the 2019 plans did
QUOTA_BASES: dict[str, str] = {  # plans/<plan>.yaml quota_base -> the base in the document's words
    "assignable": "unità del comune assegnabili nell'anno (tabella g, SAP e SAS)",
    "assignable_sap": "unità destinate a SAP del comune assegnabili nell'anno (tabella g)",
}
# The values as the plan file may write them in Italian (plans/<plan>.yaml: arrotondamento_quote, base_quote)
QUOTA_VALUES_IT: dict[str, str] = {
    "down": "per_difetto",
    "nearest": "unita_piu_vicina",
    "up": "per_eccesso",
    QUOTA_PERCENT_ONLY: "solo_percentuale",
    "assignable": "assegnabili",
    "assignable_sap": "assegnabili_sap",
}
# The rule proposed when a comune sets a quota and the plan file states none: per difetto, so that a quota of
# «up to 10%» never exceeds it, on the comune's units assignable in the year. A proposal, not a fact: the plan
# is a draft until the rule is written in the plan file (fragments/draft.py, quota_rule_item).
PROPOSED_QUOTA_RULE: tuple[str, str] = ("down", "assignable")


def quota_rule(facts: dict) -> tuple[str, str | None, bool]:
    """The plan's quota rule as (rounding, base, proposed): its own, or PROPOSED_QUOTA_RULE (proposed=True)."""
    rounding = facts.get("quota_rounding")
    if rounding is None:
        return (*PROPOSED_QUOTA_RULE, True)
    if rounding != QUOTA_PERCENT_ONLY and facts.get("quota_base") is None:
        return rounding, PROPOSED_QUOTA_RULE[1], True
    return rounding, facts.get("quota_base"), False


_OWNER_COMUNE = (("ente_proprietario", TEXT), ("comune", TEXT))
SERVICE_TABLES: tuple[ProcessedTable, ...] = (
    ProcessedTable(
        "a_patrimonio_servizi",
        ("ente_proprietario", "servizio"),
        (("ente_proprietario", TEXT), ("servizio", TEXT), ("unita", INT)),
        "a) Consistenza del patrimonio per servizio (SAP, SAS, SAT)",
    ),
    ProcessedTable(
        "unita_servizi",
        ("codice_unita",),
        (*_UNITS, ("categoria", TEXT), ("servizio", TEXT)),
        "b)-f) Unità assegnabili con categoria e servizio",
    ),
    ProcessedTable(
        "e_turnover_servizi",
        ("ente_proprietario", "comune", "servizio"),
        (*_OWNER_COMUNE, ("servizio", TEXT), ("unita", INT), ("forze_polizia_vvf", INT)),
        "e) Unità in avvicendamento per servizio, di cui rilasciate da Forze di Polizia e VVF",
    ),
    ProcessedTable(
        "g_assegnabili_servizi",
        ("ente_proprietario", "comune", "servizio", "categoria"),
        (*_OWNER_COMUNE, ("servizio", TEXT), ("categoria", TEXT), ("unita", INT)),
        "g) Unità assegnabili per servizio e categoria",
    ),
    ProcessedTable(
        "h_i_scelte_per_comune",
        ("comune",),
        (
            ("comune", TEXT),
            ("unita_totali", INT),
            ("unita_sap", INT),
            ("unita_proprie_sap", INT),
            ("soglia_indigenza_pct", NULLABLE_NUMBER),
            ("quota_forze_polizia_vvf_pct", NULLABLE_NUMBER),
            ("quota_base_unita", NULLABLE_INT),
            ("quota_forze_polizia_vvf_unita", NULLABLE_INT),
            ("categoria_aggiuntiva", TEXT),
            ("categoria_aggiuntiva_motivazione", TEXT),
        ),
        "h), i) Scelte di ciascun comune, con la quota in unità",
    ),
    ProcessedTable(
        "j_servizi_transitori",
        ("ente_proprietario", "comune"),
        (*_OWNER_COMUNE, ("unita", INT)),
        "j) Contingente di unità per i servizi abitativi transitori (SAT)",
    ),
)

PROCESSED_TABLES: tuple[ProcessedTable, ...] = (
    ProcessedTable(
        "comuni",
        ("codice_istat",),
        (
            ("codice_istat", TEXT),
            ("comune", TEXT),
            ("sub_ambito", TEXT),
            ("popolazione", INT),
            ("superficie_km2", NUMBER),
            ("densita", NUMBER),
            ("classe_densita", TEXT),
            ("proprietario_sap", FLAG),
        ),
        "Comuni dell'ambito",
    ),
    ProcessedTable(
        "subambiti",
        ("sub_ambito",),
        (
            ("sub_ambito", TEXT),
            ("n_comuni", INT),
            ("popolazione", INT),
            ("superficie_km2", NUMBER),
            ("densita", NUMBER),
        ),
        "Sub-ambiti",
    ),
    ProcessedTable(
        "a_patrimonio",
        ("ente_proprietario",),
        (("ente_proprietario", TEXT), ("totale_unita", INT), ("alloggi_sap", INT), ("alloggi_sas", INT)),
        "a) Consistenza del patrimonio",
    ),
    ProcessedTable(
        "a_patrimonio_totali",
        ("tabella", "colonna"),
        (
            ("tabella", TEXT),
            ("colonna", TEXT),
            ("dichiarato", NULLABLE_INT),
            ("calcolato", INT),
            ("differenza", NULLABLE_INT),
        ),
        "Totali dichiarati e calcolati",
    ),
    *(
        ProcessedTable(c.table, ("codice_unita",), _UNITS, f"{c.letter}) Unità {c.title}")
        for c in LISTED_CATEGORIES
        if c.letter != "e"
    ),
    ProcessedTable("e_libere", ("codice_unita",), _UNITS, "e) Unità libere"),
    ProcessedTable(
        "e_turnover",
        ("ente_proprietario", "comune"),
        (("ente_proprietario", TEXT), ("comune", TEXT), ("unita", INT)),
        "e) Unità in avvicendamento",
    ),
    ProcessedTable(
        "g_assegnabili",
        ("ente_proprietario", "comune"),
        (("ente_proprietario", TEXT), ("comune", TEXT), ("unita", INT)),
        "g) Unità assegnabili",
    ),
    ProcessedTable(
        "g_assegnabili_per_categoria",
        ("ente_proprietario", "comune", "categoria"),
        (("ente_proprietario", TEXT), ("comune", TEXT), ("categoria", TEXT), ("unita", INT)),
        "g) Unità assegnabili per categoria",
    ),
    ProcessedTable(
        "h_i_j_scelte_comunali",
        ("comune", "scelta"),
        (("comune", TEXT), ("scelta", TEXT), ("valore", TEXT)),
        "h), i), j) Scelte comunali",
    ),
    ProcessedTable(
        "k_assegnate_anno_precedente",
        ("ente_proprietario",),
        (("ente_proprietario", TEXT), ("alloggi_assegnati", INT), ("in_deroga", INT)),
        "k) Unità assegnate nell'anno precedente",
    ),
    ProcessedTable(
        "l_misure",
        ("avviso",),
        (
            ("avviso", TEXT),
            ("dgr", TEXT),
            *((f"misura_{n}", INT) for n in range(1, 6)),
            ("comuni_aderenti", INT),
            ("comuni_ambito", INT),
        ),
        "l) Misure di sostegno",
    ),
    ProcessedTable(
        "m_riqualificazione",
        ("ente",),
        (("ente", TEXT), ("esito_anno_precedente", TEXT), ("candidatura_anno_corrente", INT)),
        "m) Fondi di riqualificazione",
    ),
    *SERVICE_TABLES,
    ProcessedTable(
        "verifiche",
        ("controllo",),
        (("controllo", TEXT), ("descrizione", TEXT), ("gravita", TEXT), ("esito", TEXT), ("dettaglio", TEXT)),
        "Verifiche sui dati",
    ),
    ProcessedTable("cifre_chiave", ("chiave",), (("chiave", TEXT), ("valore", TEXT)), "Cifre chiave"),
)
TABLES_BY_NAME = {t.name: t for t in PROCESSED_TABLES}
KEY_FIGURES = "cifre_chiave"  # computed after the others, from them as published
CHECKS = "verifiche"  # written by the inputs stage, published with the tables


def processed_table(name: str) -> ProcessedTable:
    return TABLES_BY_NAME[name]


# --- fragments of the document and charts ---------------------------------------------------

SERVICE_FRAGMENTS: tuple[str, ...] = (
    "sezione_g_servizi",
    "sezione_scelte_comuni",
    "sezione_j_contingente",
)
FRAGMENTS: tuple[str, ...] = (
    "testo_programmazione",
    "testo_demografia",
    "sezione_subambiti",
    "testo_famiglie",
    "tab_comuni",
    "testo_ricognizione",
    "testo_a_patrimonio",
    "tab_a_patrimonio",
    "nota_a_patrimonio",
    *(f"tab_{c.table}" for c in CATEGORIES),
    "testo_g_assegnabili",
    "tab_g_assegnabili",
    "nota_g_assegnabili",
    "testo_k_assegnate",
    "tab_k_assegnate",
    "testo_k_deroga",
    "testo_l_avvisi",
    "tab_l_misure",
    "elenco_l_misure",
    *(c.fragment for c in CHOICES),
    "testo_m_riqualificazione",
    "verifiche",
    "fonti_dati",
    # a draft's appendix «Da verificare prima dell'approvazione»; empty for an approved plan (fragments/draft.py)
    "da_verificare",
    # figure lines with their alternative text from the data (fragments/figures.py)
    "figura_mappa_densita",
    "figura_patrimonio_enti",
    "figura_assegnabili_comuni",
    # services SAP/SAS/SAT and per-comune choices (fragments/services.py): empty when the plan has none
    *SERVICE_FRAGMENTS,
)
# A unit list longer than this is printed as counts by owner and comune; the full list stays in its
# processed CSV (data/processed/<plan>/<table>.csv), which the document names.
MAX_LISTED_UNITS = 2000
METADATA_FRAGMENT = "cifre.yml"  # the key figures as text, read by {{< meta piano.KEY >}}


@dataclass(frozen=True)
class Chart:
    name: str
    tables: tuple[str, ...]  # processed tables it is drawn from
    boundaries: bool = False  # also needs the comuni's boundaries


CHARTS: tuple[Chart, ...] = (
    Chart("popolazione_densita_subambiti", ("subambiti",)),
    Chart("mappa_densita", ("comuni", "cifre_chiave"), boundaries=True),
    Chart("patrimonio_enti", ("a_patrimonio", "a_patrimonio_servizi")),
    Chart("assegnabili_comuni", ("g_assegnabili_per_categoria",)),
)

FORMATS: tuple[str, ...] = ("html", "pdf", "docx")

# --- comparison with the previous plan (tables/previous.py, tables/comparison.py) -----------------


@dataclass(frozen=True)
class ComparedFigure:
    key: str  # in cifre_chiave.csv of both plans
    label: str  # the row of the side-by-side table in the document


YEAR_ROW = "anno"  # first row of confronto_cifre_chiave.csv: the two plans' years
COMPARED_FIGURES: tuple[ComparedFigure, ...] = (
    ComparedFigure("patrimonio_totale_unita", "Patrimonio: totale unità"),
    ComparedFigure("patrimonio_alloggi_sap", "Patrimonio: alloggi SAP"),
    ComparedFigure("patrimonio_alloggi_sas", "Patrimonio: alloggi SAS"),
    *(ComparedFigure(f"n_{c.table}", f"Unità {c.chart_label}") for c in CATEGORIES),
    ComparedFigure("n_g_assegnabili", "g) Unità assegnabili nell'anno"),
    ComparedFigure("n_k_assegnate", "k) Unità assegnate nell'anno precedente"),
    ComparedFigure("n_enti_proprietari", "Enti proprietari di alloggi"),
    ComparedFigure("n_enti_con_assegnabili", "Enti proprietari con unità assegnabili"),
    ComparedFigure("n_comuni_proprietari_sap", "Comuni proprietari di alloggi SAP"),
)
# the previous plan's processed tables the comparison reads (from its folder or its archive)
PREVIOUS_PLAN_TABLES: tuple[str, ...] = ("cifre_chiave", "g_assegnabili", *(c.table for c in LISTED_CATEGORIES))
COMPARISON_TABLES: tuple[ProcessedTable, ...] = (
    ProcessedTable(
        "confronto_cifre_chiave",
        ("chiave",),
        (("chiave", TEXT), ("precedente", INT), ("corrente", INT), ("differenza", INT)),
        "Confronto con il piano precedente: cifre chiave",
    ),
    ProcessedTable(
        "confronto_enti",
        ("ente_proprietario",),
        (
            ("ente_proprietario", TEXT),
            ("previste", INT),
            ("assegnate", INT),
            ("differenza", INT),
            ("nel_piano_precedente", FLAG),
            ("tra_le_assegnate", FLAG),
        ),
        "Confronto con il piano precedente: unità previste e assegnate per ente proprietario",
    ),
    ProcessedTable(
        "confronto_unita",
        ("categoria",),
        (
            ("categoria", TEXT),
            ("piano_precedente", INT),
            ("piano_corrente", INT),
            ("ancora_elencate", INT),
            ("non_piu_elencate", INT),
            ("nuove", INT),
        ),
        "Confronto con il piano precedente: unità elencate per categoria",
    ),
    ProcessedTable(
        "confronto_fonte",
        ("percorso",),
        (("piano_precedente", TEXT), ("percorso", TEXT), ("esito", TEXT), ("sha256", TEXT)),
        "Confronto con il piano precedente: dati cercati e letti",
    ),
)
SOURCE_READ, SOURCE_NOT_FOUND = "letto", "non trovato"  # «esito» of confronto_fonte.csv
PROCESSED_TABLES += COMPARISON_TABLES
TABLES_BY_NAME.update({t.name: t for t in COMPARISON_TABLES})
FRAGMENTS += ("sezione_confronto", "fonte_confronto")
CHARTS += (Chart("confronto_previsti_assegnati", ("confronto_enti", "confronto_cifre_chiave")),)
