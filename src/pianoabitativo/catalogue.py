"""The plan's vocabulary, said once: categories b–f, processed tables, fragments, charts, formats.

Paths, rules, the typed reading of processed CSVs, the diff, the fragments and
the charts all take their names, keys, labels and colours from here. Adding a
table or a chart starts with a line in this module.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- raw inputs of a plan (keys of «inputs» in plans/<plan>.yaml; one schema each) -------------

INPUTS: tuple[str, ...] = (
    "comuni_ambito", "popolazione", "elenco_comuni", "patrimonio", "unita", "turnover", "assegnabili_dichiarate",
    "assegnazioni", "scelte_comunali", "misure_avvisi", "riqualificazione", "enti_gestori", "densita_riferimento",
    "famiglie", "famiglie_componenti", "progetti", "popolazione_integrazioni",
)
# inputs a plan may leave out: their interim table is still written (header only), so that the
# workflow's files are the same for every plan
OPTIONAL_INPUTS: tuple[str, ...] = ("popolazione_integrazioni",)
# inputs exported from the regional platform each year: next year's plan awaits new ones; the others (ISTAT,
# boundaries, reference figures, the comuni list) are copied to it unchanged, with their provenance
PLATFORM_INPUTS: tuple[str, ...] = (
    "patrimonio", "unita", "turnover", "assegnabili_dichiarate", "assegnazioni", "scelte_comunali", "misure_avvisi",
    "riqualificazione", "enti_gestori",
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
    Category("b", "b", "b", "b_carenza_manutentiva", "carenza",
             "in carenza manutentiva, assegnabili nello stato di fatto", "b) carenza manutentiva", "#c55a11"),
    Category("c", "c", "c", "c_ristrutturazione", "ristrutturazione",
             "oggetto di piani di ristrutturazione, recupero o riqualificazione", "c) ristrutturazione", "#f4b183"),
    Category("d", "d", "d", "d_nuova_edificazione", "nuova-edificazione", "di nuova edificazione",
             "d) nuova edificazione", "#7f7f7f"),
    Category("e_libera", "e", "e", "e_libere", "libere", "libere alla data della rilevazione", "e) libere",
             "#1f4e79"),
    Category("e_avvicendamento", "e", None, "e_turnover", "turnover",
             "che si libereranno per avvicendamento nel corso dell'anno", "e) avvicendamento", "#8fb4d9"),
    Category("f", "f", "f", "f_conferite_privati", "conferite", "conferite da soggetti privati",
             "f) conferite da privati", "#548235"),
)
LISTED_CATEGORIES = tuple(c for c in CATEGORIES if c.unit_code is not None)  # one row per unit code
UNIT_CATEGORY_CODES = tuple(c.unit_code for c in LISTED_CATEGORIES)  # allowed in the unit list: b c d e f


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
    Choice("soglia_indigenza_pct", "testo_h_soglia", "soglia per i nuclei in condizione di indigenza",
           "Nessun comune ha individuato per il {anno} una soglia superiore a quella prevista dalla norma "
           "regionale per l'assegnazione ai nuclei in condizione di indigenza.", True),
    Choice("categoria_aggiuntiva", "testo_i_categorie", "categoria aggiuntiva di particolare rilevanza sociale",
           "Nessun comune ha individuato per il {anno} categorie aggiuntive di particolare rilevanza sociale.",
           False),
    Choice("quota_forze_polizia_vvf_pct", "testo_quota_forze",
           "quota per le Forze di Polizia e il Corpo Nazionale dei Vigili del Fuoco",
           "Nessun comune ha riservato per il {anno} una quota di unità alle Forze di Polizia e al Corpo "
           "Nazionale dei Vigili del Fuoco.", True),
    Choice("unita_servizi_transitori", "testo_j_transitori", "unità per i servizi abitativi transitori",
           "Nessun comune ha indicato per il {anno} unità da destinare ai servizi abitativi transitori.", False),
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

TEXT, INT, NULLABLE_INT, NUMBER, FLAG = "text", "int", "int?", "number", "flag"


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

PROCESSED_TABLES: tuple[ProcessedTable, ...] = (
    ProcessedTable("comuni", ("codice_istat",),
                   (("codice_istat", TEXT), ("comune", TEXT), ("sub_ambito", TEXT), ("popolazione", INT),
                    ("superficie_km2", NUMBER), ("densita", NUMBER), ("classe_densita", TEXT),
                    ("proprietario_sap", FLAG)), "Comuni dell'ambito"),
    ProcessedTable("subambiti", ("sub_ambito",),
                   (("sub_ambito", TEXT), ("n_comuni", INT), ("popolazione", INT), ("superficie_km2", NUMBER),
                    ("densita", NUMBER)), "Sub-ambiti"),
    ProcessedTable("a_patrimonio", ("ente_proprietario",),
                   (("ente_proprietario", TEXT), ("totale_unita", INT), ("alloggi_sap", INT), ("alloggi_sas", INT)),
                   "a) Consistenza del patrimonio"),
    ProcessedTable("a_patrimonio_totali", ("tabella", "colonna"),
                   (("tabella", TEXT), ("colonna", TEXT), ("dichiarato", NULLABLE_INT), ("calcolato", INT),
                    ("differenza", NULLABLE_INT)), "Totali dichiarati e calcolati"),
    *(ProcessedTable(c.table, ("codice_unita",), _UNITS, f"{c.letter}) Unità {c.title}")
      for c in LISTED_CATEGORIES if c.letter != "e"),
    ProcessedTable("e_libere", ("codice_unita",), _UNITS, "e) Unità libere"),
    ProcessedTable("e_turnover", ("ente_proprietario", "comune"),
                   (("ente_proprietario", TEXT), ("comune", TEXT), ("unita", INT)), "e) Unità in avvicendamento"),
    ProcessedTable("g_assegnabili", ("ente_proprietario", "comune"),
                   (("ente_proprietario", TEXT), ("comune", TEXT), ("unita", INT)), "g) Unità assegnabili"),
    ProcessedTable("g_assegnabili_per_categoria", ("ente_proprietario", "comune", "categoria"),
                   (("ente_proprietario", TEXT), ("comune", TEXT), ("categoria", TEXT), ("unita", INT)),
                   "g) Unità assegnabili per categoria"),
    ProcessedTable("h_i_j_scelte_comunali", ("comune", "scelta"),
                   (("comune", TEXT), ("scelta", TEXT), ("valore", TEXT)), "h), i), j) Scelte comunali"),
    ProcessedTable("k_assegnate_anno_precedente", ("ente_proprietario",),
                   (("ente_proprietario", TEXT), ("alloggi_assegnati", INT), ("in_deroga", INT)),
                   "k) Unità assegnate nell'anno precedente"),
    ProcessedTable("l_misure", ("avviso",),
                   (("avviso", TEXT), ("dgr", TEXT), *((f"misura_{n}", INT) for n in range(1, 6)),
                    ("comuni_aderenti", INT), ("comuni_ambito", INT)), "l) Misure di sostegno"),
    ProcessedTable("m_riqualificazione", ("ente",),
                   (("ente", TEXT), ("esito_anno_precedente", TEXT), ("candidatura_anno_corrente", INT)),
                   "m) Fondi di riqualificazione"),
    ProcessedTable("verifiche", ("controllo",),
                   (("controllo", TEXT), ("descrizione", TEXT), ("gravita", TEXT), ("esito", TEXT),
                    ("dettaglio", TEXT)), "Verifiche sui dati"),
    ProcessedTable("cifre_chiave", ("chiave",), (("chiave", TEXT), ("valore", TEXT)), "Cifre chiave"),
)
TABLES_BY_NAME = {t.name: t for t in PROCESSED_TABLES}
KEY_FIGURES = "cifre_chiave"  # computed after the others, from them as published
CHECKS = "verifiche"  # written by the inputs stage, published with the tables


def processed_table(name: str) -> ProcessedTable:
    return TABLES_BY_NAME[name]


# --- fragments of the document and charts ---------------------------------------------------

FRAGMENTS: tuple[str, ...] = (
    "testo_programmazione", "testo_demografia", "sezione_subambiti", "testo_famiglie", "tab_comuni",
    "testo_ricognizione", "testo_a_patrimonio", "tab_a_patrimonio", "nota_a_patrimonio",
    *(f"tab_{c.table}" for c in CATEGORIES),
    "testo_g_assegnabili", "tab_g_assegnabili", "nota_g_assegnabili", "testo_k_assegnate", "tab_k_assegnate",
    "testo_k_deroga", "testo_l_avvisi", "tab_l_misure", "elenco_l_misure",
    *(c.fragment for c in CHOICES),
    "testo_m_riqualificazione", "verifiche",
    # a draft's appendix «Da verificare prima dell'approvazione»; empty for an approved plan (fragments/draft.py)
    "da_verificare",
    # figure lines with their alternative text from the data (fragments/figures.py)
    "figura_mappa_densita", "figura_patrimonio_enti", "figura_assegnabili_comuni",
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
    Chart("patrimonio_enti", ("a_patrimonio",)),
    Chart("assegnabili_comuni", ("g_assegnabili_per_categoria",)),
)

FORMATS: tuple[str, ...] = ("html", "pdf", "docx")
