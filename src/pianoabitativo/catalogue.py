"""The plan's vocabulary, said once: inputs, categories b–f, processed tables, fragments, charts, formats.

Paths, rules, the plan schema's required inputs, the typed reading of processed CSVs, the diff, the
fragments and the charts all take their names, keys, labels and colours from here; each processed table and
fragment names the function that builds it (`Call`), and the stages' scripts loop over them. Adding a table
is an entry here, its input schema, its builder, its fragment and a line of the .qmd (docs/developers.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import look
from .core.columntypes import FLAG, INTEGER, NULLABLE_INTEGER, NULLABLE_NUMBER, NUMBER, TEXT
from .render.formats import OUTPUT_FORMATS

# --- how a file or a value is built: a function of the package and what it takes, by name -------------


@dataclass(frozen=True)
class Call:
    """A function of the package ("tables.build:stock_table": module under pianoabitativo, then the name) and
    what it is called with: `args` and `kwargs` name the values a stage has (core/calls.py resolves them),
    `constants` are literal keyword arguments.

    Names a stage resolves: "input.<key>" an interim input table (tables stage), "table.<name>" a processed
    table (tables stage: as built in the same job; report stage: as published), "param.<name>" a param of
    the stage's rule, "fact.<key>.<key>" a fact of the plan (report stage), "path.<name>" a processed
    table's file as the document names it (report stage); any other name is a value the stage's script
    gives (TABLE_VALUES, FRAGMENT_VALUES list the ones computed from the names above).
    """

    function: str
    args: tuple[str, ...] = ()
    kwargs: tuple[tuple[str, str], ...] = ()
    constants: tuple[tuple[str, object], ...] = ()


def call(function: str, *args: str, constants: dict | None = None, **kwargs: str) -> Call:
    """call("tables.build:units_in_category", "input.unita", constants={"unit_code": "b"})."""
    return Call(function, args, tuple(kwargs.items()), tuple((constants or {}).items()))


# --- raw inputs of a plan (keys of «inputs» in plans/<plan>.yaml; one schema each) -------------


@dataclass(frozen=True)
class Input:
    key: str  # the key under «inputs» (dati) of plans/<plan>.yaml; its schema is schemas/inputs/<key>.yaml
    label: str | None = None  # what it holds, as the plan's «Fonti dei dati» names it (None: the register's)
    optional: bool = False  # a plan may leave it out: its interim table is still written (header only), so
    # that the workflow's files are the same for every plan, and the plan schema does not require it
    platform: bool = False  # exported from the regional platform each year: next year's plan awaits a new one;
    # the others (ISTAT, boundaries, reference figures, the comuni list) are copied to it with their provenance


INPUT_ENTRIES: tuple[Input, ...] = (
    Input("comuni_ambito", "comuni dell'ambito e superfici"),
    Input("popolazione", "popolazione residente"),
    Input("elenco_comuni", "elenco e codici ISTAT dei comuni"),
    Input("patrimonio", "patrimonio per ente proprietario (a)", platform=True),
    Input("unita", "unità assegnabili (b–f)", platform=True),
    Input("turnover", "unità in avvicendamento (e)", platform=True),
    Input("assegnabili_dichiarate", "unità assegnabili dichiarate (g)", platform=True),
    Input("assegnazioni", "unità assegnate (k)", platform=True),
    Input("scelte_comunali", "scelte dei comuni (h, i, j)", platform=True),
    Input("misure_avvisi", "misure di sostegno (l)", platform=True),
    Input("riqualificazione", "fondi di riqualificazione (m)", platform=True),
    Input("enti_gestori", "enti gestori", platform=True),
    Input("densita_riferimento", "densità medie di provincia e regione"),
    Input("famiglie", "famiglie per ambito"),
    Input("famiglie_componenti", "componenti medi delle famiglie"),
    Input("progetti", "quantità dei progetti (sezione III)"),
    Input("popolazione_integrazioni", "popolazione dei comuni assenti dal file ISTAT", optional=True),
    Input("servizi_transitori", optional=True, platform=True),
)
INPUTS: tuple[str, ...] = tuple(i.key for i in INPUT_ENTRIES)
# what each input holds, as the plan's «Fonti dei dati» names it (fragments/sources.py), and the boundaries
INPUT_LABELS: dict[str, str] = {
    **{i.key: i.label for i in INPUT_ENTRIES if i.label},
    "boundaries": "confini dei comuni (mappa)",
}
OPTIONAL_INPUTS: tuple[str, ...] = tuple(i.key for i in INPUT_ENTRIES if i.optional)
REQUIRED_INPUTS: tuple[str, ...] = tuple(i.key for i in INPUT_ENTRIES if not i.optional)
PLATFORM_INPUTS: tuple[str, ...] = tuple(i.key for i in INPUT_ENTRIES if i.platform)

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
        look.colour("orange"),
    ),
    Category(
        "c",
        "c",
        "c",
        "c_ristrutturazione",
        "ristrutturazione",
        "oggetto di piani di ristrutturazione, recupero o riqualificazione",
        "c) ristrutturazione",
        look.colour("light-orange"),
    ),
    Category(
        "d",
        "d",
        "d",
        "d_nuova_edificazione",
        "nuova-edificazione",
        "di nuova edificazione",
        "d) nuova edificazione",
        look.colour("grey"),
    ),
    Category(
        "e_libera",
        "e",
        "e",
        "e_libere",
        "libere",
        "libere alla data della rilevazione",
        "e) libere",
        look.colour("accent"),
    ),
    Category(
        "e_avvicendamento",
        "e",
        None,
        "e_turnover",
        "turnover",
        "che si libereranno per avvicendamento nel corso dell'anno",
        "e) avvicendamento",
        look.colour("light-blue"),
    ),
    Category(
        "f",
        "f",
        "f",
        "f_conferite_privati",
        "conferite",
        "conferite da soggetti privati",
        "f) conferite da privati",
        look.colour("green"),
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
DENSITY_CLASS_COLOURS: tuple[str, str, str] = (
    look.colour("density-low"),
    look.colour("density-mid"),
    look.colour("accent"),
)


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
    build: Call | None = None  # what builds it in the tables stage (None: written there by code of its own)

    @property
    def types(self) -> dict[str, str]:
        return dict(self.columns)


_UNITS = (("ente_proprietario", TEXT), ("codice_unita", TEXT), ("comune", TEXT))


def _units_in(c: Category) -> Call:
    return call("tables.build:units_in_category", "input.unita", constants={"unit_code": c.unit_code})


# values several tables take, computed once in the tables stage (core/calls.py)
TABLE_VALUES: dict[str, Call] = {
    "provincial_density": call("tables.build:reference_density", "input.densita_riferimento", "param.province"),
    "regional_density": call("tables.build:reference_density", "input.densita_riferimento", "param.region"),
}

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
        call("tables.services:stock_by_service", "input.patrimonio"),
    ),
    ProcessedTable(
        "unita_servizi",
        ("codice_unita",),
        (*_UNITS, ("categoria", TEXT), ("servizio", TEXT)),
        "b)-f) Unità assegnabili con categoria e servizio",
        call("tables.services:units_with_service", "input.unita"),
    ),
    ProcessedTable(
        "e_turnover_servizi",
        ("ente_proprietario", "comune", "servizio"),
        (*_OWNER_COMUNE, ("servizio", TEXT), ("unita", INT), ("forze_polizia_vvf", INT)),
        "e) Unità in avvicendamento per servizio, di cui rilasciate da Forze di Polizia e VVF",
        call("tables.services:turnover_by_service", "input.turnover"),
    ),
    ProcessedTable(
        "g_assegnabili_servizi",
        ("ente_proprietario", "comune", "servizio", "categoria"),
        (*_OWNER_COMUNE, ("servizio", TEXT), ("categoria", TEXT), ("unita", INT)),
        "g) Unità assegnabili per servizio e categoria",
        call("tables.services:assignable_by_service", "input.unita", "input.turnover"),
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
        call(
            "tables.services:choices_by_comune_by_plan_rule",
            "input.scelte_comunali",
            "table.g_assegnabili_servizi",
            "param.quota_rounding",
            "param.quota_base",
        ),
    ),
    ProcessedTable(
        "j_servizi_transitori",
        ("ente_proprietario", "comune"),
        (*_OWNER_COMUNE, ("unita", INT)),
        "j) Contingente di unità per i servizi abitativi transitori (SAT)",
        call("tables.services:transitional_contingent", "input.servizi_transitori"),
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
        call(
            "tables.build:comuni_table",
            "input.comuni_ambito",
            "input.popolazione",
            "param.population_column",
            "input.patrimonio",
            "provincial_density",
            "regional_density",
            "input.popolazione_integrazioni",
        ),
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
        call("tables.build:subambiti_table", "table.comuni", "param.sub_ambiti"),
    ),
    ProcessedTable(
        "a_patrimonio",
        ("ente_proprietario",),
        (("ente_proprietario", TEXT), ("totale_unita", INT), ("alloggi_sap", INT), ("alloggi_sas", INT)),
        "a) Consistenza del patrimonio",
        call("tables.build:stock_table", "input.patrimonio"),
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
        call(
            "tables.build:declared_totals_table",
            "table.a_patrimonio",
            "input.patrimonio",
            "input.assegnazioni",
            "input.assegnabili_dichiarate",
            "declared_totals",
        ),
    ),
    *(
        ProcessedTable(c.table, ("codice_unita",), _UNITS, f"{c.letter}) Unità {c.title}", _units_in(c))
        for c in LISTED_CATEGORIES
        if c.letter != "e"
    ),
    ProcessedTable("e_libere", ("codice_unita",), _UNITS, "e) Unità libere", _units_in(category("e_libera"))),
    ProcessedTable(
        "e_turnover",
        ("ente_proprietario", "comune"),
        (("ente_proprietario", TEXT), ("comune", TEXT), ("unita", INT)),
        "e) Unità in avvicendamento",
        call("tables.build:turnover_table", "input.turnover"),
    ),
    ProcessedTable(
        "g_assegnabili",
        ("ente_proprietario", "comune"),
        (("ente_proprietario", TEXT), ("comune", TEXT), ("unita", INT)),
        "g) Unità assegnabili",
        call("tables.build:assignable_units", "input.unita", "input.turnover"),
    ),
    ProcessedTable(
        "g_assegnabili_per_categoria",
        ("ente_proprietario", "comune", "categoria"),
        (("ente_proprietario", TEXT), ("comune", TEXT), ("categoria", TEXT), ("unita", INT)),
        "g) Unità assegnabili per categoria",
        call("tables.build:assignable_by_category", "input.unita", "input.turnover"),
    ),
    ProcessedTable(
        "h_i_j_scelte_comunali",
        ("comune", "scelta"),
        (("comune", TEXT), ("scelta", TEXT), ("valore", TEXT)),
        "h), i), j) Scelte comunali",
        call("tables.build:municipal_choices", "input.scelte_comunali"),
    ),
    ProcessedTable(
        "k_assegnate_anno_precedente",
        ("ente_proprietario",),
        (("ente_proprietario", TEXT), ("alloggi_assegnati", INT), ("in_deroga", INT)),
        "k) Unità assegnate nell'anno precedente",
        call("tables.build:assigned_last_year", "input.assegnazioni"),
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
        call("tables.build:measures_table", "input.misure_avvisi"),
    ),
    ProcessedTable(
        "m_riqualificazione",
        ("ente",),
        (("ente", TEXT), ("esito_anno_precedente", TEXT), ("candidatura_anno_corrente", INT)),
        "m) Fondi di riqualificazione",
        call("tables.build:upgrading_funds", "input.riqualificazione"),
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
KEY_FIGURES = "cifre_chiave"  # computed after the others, from them as published (scripts/build_tables.py)
CHECKS = "verifiche"  # written by the inputs stage, published with the tables


def processed_table(name: str) -> ProcessedTable:
    return TABLES_BY_NAME[name]


# --- fragments of the document and charts ---------------------------------------------------


@dataclass(frozen=True)
class Fragment:
    name: str  # report/gen/<plan>/<name>.md, which the .qmd includes: {{< include gen/<name>.md >}}
    build: Call  # what writes it in the report stage (scripts/report_fragments.py)


def _units_fragment(c: Category) -> Fragment:
    """The table of one category's units (b-f), or of the turnover (e)."""
    if c.unit_code is None:
        return Fragment(
            f"tab_{c.table}",
            call(
                "fragments.housing:turnover_fragment",
                f"table.{c.table}",
                by_service="turnover_by_service",
                constants={"category": c},
            ),
        )
    return Fragment(
        f"tab_{c.table}",
        call(
            "fragments.housing:units_fragment",
            f"table.{c.table}",
            max_rows="param.max_listed_units",
            source=f"path.{c.table}",
            services="unit_services",
            constants={"category": c, "status": "Libero" if c.code == "e_libera" else None},
        ),
    )


def _totals_note(table: str, table_label: str, source_name: str) -> Call:
    """A note when an export's declared total is not the sum of its rows (a_patrimonio_totali.csv)."""
    constants = {"table": table, "table_label": table_label, "source_name": source_name}
    return call("fragments.housing:totals_note", "table.a_patrimonio_totali", constants=constants)


# What the report stage's script (scripts/report_fragments.py) gives the calls by name, besides tables, paths,
# params and facts; tests/test_catalogue_calls.py checks the script gives exactly these.
REPORT_GIVEN: dict[str, str] = {
    "facts": "the plan's facts",
    "figures": "the key figures, typed",
    "year": "the plan's year",
    "previous_year": "the year before",
    "register_rows": "the rows of the data register",
    "qmd_text": "the plan's .qmd (the sections' numbers)",
    "draft_items": "what is still to verify",
    "unconfirmed": "the paths of the facts to verify",
    "population_date": "the population's date, as cifre.yml prints it",
    "households_date": "the households' date, as cifre.yml prints it",
}
# Values several fragments take, computed once in the report stage (core/calls.py).
FRAGMENT_VALUES: dict[str, Call] = {
    "sat": call("fragments.services:sat_stock", "table.a_patrimonio_servizi"),  # owner -> SAT units, or None
    "sat_units": call("fragments.services:sat_total", "sat"),
    "sas": call("fragments.services:has_sas", "table.unita_servizi", "table.e_turnover_servizi"),
    "unit_services": call("fragments.services:unit_services", "table.unita_servizi", "sas"),
    "turnover_by_service": call("fragments.services:turnover_shown_by_service", "table.e_turnover_servizi", "sas"),
    "quota_units": call("fragments.services:quota_units_by_comune", "table.h_i_scelte_per_comune"),
}
FRAGMENT_ENTRIES: tuple[Fragment, ...] = (
    Fragment("testo_programmazione", call("fragments.context:programming_sentence", "facts", "unconfirmed")),
    Fragment(
        "testo_demografia",
        call(
            "fragments.demography:density_paragraphs",
            "figures",
            "table.comuni",
            "fact.ambito.short_name",
            "population_date",
        ),
    ),
    Fragment(
        "sezione_subambiti",
        call("fragments.demography:subambiti_section", "table.subambiti", "figures", "population_date"),
    ),
    Fragment(
        "testo_famiglie",
        call("fragments.demography:households_paragraph", "figures", "fact.ambito.short_name", "households_date"),
    ),
    Fragment("tab_comuni", call("fragments.demography:comuni_fragment", "table.comuni", "population_date")),
    Fragment(
        "testo_ricognizione",
        call("fragments.housing:survey_paragraph", "figures", "table.a_patrimonio", "fact.ambito.aler"),
    ),
    Fragment("testo_a_patrimonio", call("fragments.housing:stock_sentence", "figures", "sat_units")),
    Fragment("tab_a_patrimonio", call("fragments.housing:stock_fragment", "table.a_patrimonio", "sat")),
    Fragment("nota_a_patrimonio", _totals_note("a_patrimonio", "patrimonio", "consistenza del patrimonio")),
    *(_units_fragment(c) for c in CATEGORIES),
    Fragment(
        "testo_g_assegnabili",
        call(
            "fragments.services:assignable_sentence_by_service",
            "figures",
            "table.g_assegnabili_servizi",
            "sas",
            "year",
        ),
    ),
    Fragment(
        "tab_g_assegnabili",
        call(
            "fragments.services:assignable_fragment_by_service",
            "table.g_assegnabili",
            "table.g_assegnabili_servizi",
            "sas",
        ),
    ),
    Fragment("nota_g_assegnabili", _totals_note("g_assegnabili_dichiarate", "assegnabili", "unità assegnabili")),
    Fragment("testo_k_assegnate", call("fragments.housing:assigned_sentence", "figures", "previous_year")),
    Fragment(
        "tab_k_assegnate",
        call("fragments.housing:assigned_fragment", "table.k_assegnate_anno_precedente", "previous_year"),
    ),
    Fragment(
        "testo_k_deroga",
        call("fragments.housing:derogation_sentence", "table.k_assegnate_anno_precedente", "previous_year"),
    ),
    Fragment("testo_l_avvisi", call("fragments.housing:notices_sentence", "table.l_misure")),
    Fragment("tab_l_misure", call("fragments.housing:measures_fragment", "table.l_misure")),
    Fragment("elenco_l_misure", call("fragments.housing:activated_measures", "table.l_misure")),
    *(
        Fragment(
            c.fragment,
            call(
                "fragments.housing:choice_sentence",
                "table.h_i_j_scelte_comunali",
                year="year",
                quota_units="quota_units",
                constants={"choice": c},
            ),
        )
        for c in CHOICES
    ),
    Fragment(
        "testo_m_riqualificazione", call("fragments.housing:upgrading_sentence", "table.m_riqualificazione", "year")
    ),
    Fragment("verifiche", call("fragments.checks:checks_fragment", "table.verifiche")),
    Fragment("fonti_dati", call("fragments.sources:sources_fragment", "register_rows", "facts", "param.register_path")),
    # a draft's appendix «Da verificare prima dell'approvazione»; empty for an approved plan (fragments/draft.py)
    Fragment("da_verificare", call("fragments.draft:appendix", "draft_items", "param.plan_file", "path.qmd")),
    # figure lines with their alternative text from the data (fragments/figures.py)
    Fragment("figura_mappa_densita", call("fragments.figures:density_map_figure", "figures", "table.comuni")),
    Fragment("figura_patrimonio_enti", call("fragments.figures:stock_figure", "table.a_patrimonio", "sat")),
    Fragment(
        "figura_assegnabili_comuni",
        call("fragments.figures:assignable_figure", "table.g_assegnabili_per_categoria"),
    ),
    # services SAP/SAS/SAT and per-comune choices (fragments/services.py): empty when the plan has none
    Fragment(
        "sezione_g_servizi", call("fragments.services:comuni_service_section", "table.g_assegnabili_servizi", "sas")
    ),
    Fragment(
        "sezione_scelte_comuni",
        call("fragments.services:plan_choices_section", "table.h_i_scelte_per_comune", "facts"),
    ),
    Fragment("sezione_j_contingente", call("fragments.services:contingent_section", "table.j_servizi_transitori")),
)
FRAGMENTS: tuple[str, ...] = tuple(f.name for f in FRAGMENT_ENTRIES)
# A unit list longer than this is printed as counts by owner and comune; the full list stays in its
# processed CSV (data/processed/<plan>/<table>.csv), which the document names.
MAX_LISTED_UNITS = 2000
METADATA_FRAGMENT = "cifre.yml"  # the key figures as text, read by {{< meta piano.KEY >}}


@dataclass(frozen=True)
class Chart:
    name: str
    build: Call  # draws it (charts stage: "table.<name>" a processed table, "param.<name>", "boundaries")

    @property
    def names(self) -> tuple[str, ...]:
        return (*self.build.args, *(name for _, name in self.build.kwargs))

    @property
    def tables(self) -> tuple[str, ...]:
        """The processed tables it is drawn from (the rule's inputs)."""
        return tuple(name.removeprefix("table.") for name in self.names if name.startswith("table."))

    @property
    def boundaries(self) -> bool:
        """Whether it also needs the comuni's boundaries."""
        return "boundaries" in self.names


# The values a chart may take besides tables and params (scripts/make_charts.py)
CHART_VALUES: dict[str, Call] = {
    "boundaries": call("charts.density_map:read_boundaries", "path.boundaries"),
}
CHARTS: tuple[Chart, ...] = (
    Chart(
        "popolazione_densita_subambiti",
        call("charts.subambiti:population_density_by_subambito", "table.subambiti"),
    ),
    Chart(
        "mappa_densita",
        call("charts.density_map:plan_density_map", "table.comuni", "boundaries", "table.cifre_chiave", "param.map"),
    ),
    Chart(
        "patrimonio_enti",
        call("charts.stock:stock_by_owner_and_service", "table.a_patrimonio", "table.a_patrimonio_servizi"),
    ),
    Chart(
        "assegnabili_comuni",
        call("charts.assignable:assignable_by_comune_and_category", "table.g_assegnabili_per_categoria"),
    ),
)

# The documents of each plan, output/piano_<plan>.<format>: the table of formats is render/formats.py
# (writers, Quarto's names, style files, finishing), which every stage reads through these names.
FORMATS: tuple[str, ...] = tuple(fmt.name for fmt in OUTPUT_FORMATS)

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
# the comparison with the previous plan (one sentence when there is none)
FRAGMENT_ENTRIES += (
    Fragment(
        "sezione_confronto",
        call(
            "fragments.comparison:comparison_section",
            "table.confronto_cifre_chiave",
            "table.confronto_enti",
            "table.confronto_unita",
            "table.confronto_fonte",
            "year",
            "qmd_text",
        ),
    ),
    Fragment(
        "fonte_confronto",
        call("fragments.comparison:sources_paragraph", "table.confronto_fonte", "path.confronto_fonte"),
    ),
)
FRAGMENTS = tuple(f.name for f in FRAGMENT_ENTRIES)
CHARTS += (
    Chart(
        "confronto_previsti_assegnati",
        call("charts.comparison:foreseen_and_assigned", "table.confronto_enti", "table.confronto_cifre_chiave"),
    ),
)
