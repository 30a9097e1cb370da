"""Fragments of the housing sections a)-m): tables, the notes on declared totals, sentences."""

from __future__ import annotations

import pandas as pd

from ..catalogue import Category, Choice
from ..core.formatting import format_int, format_percent
from .markdown import LEFT, RIGHT, bold, callout, join_it, owner_comune_units_table, pipe_table
from .wording import (
    ALLOGGIO_SAP,
    ALLOGGIO_SAS,
    ALLOGGIO_SAT,
    AVVISO_PUBBLICO,
    COMUNE,
    ENTE_PROPRIETARIO,
    UNITA,
    agree,
    count,
    with_article,
)

# the regional measures for access to and keeping of the main home (DGR 6465/2017, DGR 606/2018)
MEASURES: dict[int, str] = {
    1: "trovare nuove soluzioni abitative temporanee per le emergenze abitative",
    2: "sostenere le famiglie con una morosità incolpevole ridotta e senza sfratto in corso, in affitto sul libero "
    "mercato, in alloggi in godimento o in servizi abitativi sociali (esclusi i SAP)",
    3: "sostenere per un periodo i nuclei proprietari di un alloggio messo all'asta dopo un pignoramento per rate "
    "di mutuo o spese condominiali non pagate, perché trovino una nuova casa in affitto",
    4: "aiutare a mantenere l'alloggio in affitto i nuclei il cui reddito proviene soltanto da pensione",
    5: "riportare sul mercato alloggi sfitti, a canone concordato o comunque inferiore a quello di mercato",
}


def of_owner(name: str) -> str:
    """'del Comune di Izano', 'di ALER Brescia-Cremona-Mantova'."""
    return f"del {name}" if name.startswith("Comune di ") else f"di {name}"


def survey_paragraph(figures: dict, stock: pd.DataFrame, aler: str) -> str:
    """ALER's roles in the survey; the comuni that own no SAP housing, by number and by population."""
    roles = []
    if aler in set(stock["ente_proprietario"]):
        roles.append("ente proprietario di alloggi pubblici")
    managed = int(figures["aler_comuni_gestiti"])
    if managed:
        roles.append(f"ente gestore per {count(managed, COMUNE)}")
    if roles:
        first = f"{aler} vi ha partecipato come {' e come '.join(roles)}."
    else:
        first = f"{aler} vi ha partecipato senza alloggi propri né in gestione nell'ambito."
    return first + "\n\n" + owners_paragraph(figures) + "\n"


def owners_paragraph(figures: dict) -> str:
    """'Dei 48 comuni dell'ambito, 26 (54%) non figurano tra gli enti proprietari ...', for 0, 1, some and all."""
    n = int(figures["n_comuni"])
    without = int(figures["n_comuni_senza_patrimonio"])
    owners = n - without
    if without == 0:
        return (
            f"Tutti i {format_int(n)} comuni dell'ambito figurano tra gli enti proprietari di alloggi SAP."
            if n > 1
            else "L'unico comune dell'ambito figura tra gli enti proprietari di alloggi SAP."
        )
    if owners == 0:
        return (
            "Nessuno dei comuni dell'ambito figura tra gli enti proprietari di alloggi SAP: nessun residente "
            "vive in un comune che ne possiede."
        )
    share = format_percent(figures["quota_comuni_senza_patrimonio"])
    who = "uno" if without == 1 else format_int(without)
    text = (
        f"Dei {format_int(n)} comuni dell'ambito, {who} ({share}) "
        f"{agree(without, 'non figura', 'non figurano')} tra gli enti proprietari di alloggi SAP. "
    )
    owner_words = "l'unico comune proprietario ospita" if owners == 1 else "i comuni proprietari ospitano"
    return text + (
        f"Pesati per popolazione, {owner_words} "
        f"{with_article(format_percent(figures['quota_popolazione_comuni_proprietari']))} dei residenti "
        f"dell'ambito: {with_article(format_percent(figures['quota_popolazione_comuni_non_proprietari']))} "
        "vive in un comune che non possiede alloggi SAP."
    )


def stock_sentence(figures: dict, sat: int | None = None) -> str:
    """Owners and units of the stock (section a); sat: the SAT units, when the stock declares them."""
    owners = int(figures["n_enti_proprietari"])
    if owners == 0:
        return "Nessun ente proprietario ha comunicato la consistenza del proprio patrimonio.\n"
    units = (
        f"per complessive {count(figures['patrimonio_totale_unita'], UNITA)}: "
        f"{count(figures['patrimonio_alloggi_sap'], ALLOGGIO_SAP)} e "
        f"{count(figures['patrimonio_alloggi_sas'], ALLOGGIO_SAS)}"
    )
    if sat is not None:
        units = (
            f"per complessive {count(figures['patrimonio_totale_unita'], UNITA)}: "
            f"{count(figures['patrimonio_alloggi_sap'], ALLOGGIO_SAP)}, "
            f"{count(figures['patrimonio_alloggi_sas'], ALLOGGIO_SAS)} e {count(sat, ALLOGGIO_SAT)}"
        )
    head = f"Gli enti proprietari sono {format_int(owners)}" if owners > 1 else "L'ente proprietario è uno solo"
    return f"{head}, {units} (@tbl-patrimonio, @fig-patrimonio).\n"


def units_count_sentence(n: int, label: str) -> str:
    """'Nell'ambito ne sono state rilevate 19 (@tbl-carenza).' ('ne è stata rilevata una' for one)."""
    if n == 1:
        return f"Nell'ambito ne è stata rilevata una (@tbl-{label}).\n\n"
    return f"Nell'ambito ne sono state rilevate {format_int(n)} (@tbl-{label}).\n\n"


def assignable_sentence(figures: dict, year: int) -> str:
    """Units assignable in the year (g) and how many owners they belong to."""
    n = int(figures["n_g_assegnabili"])
    if n == 0:
        return (
            f"Sommando le unità delle lettere da b a f, nel {year} non risultano unità destinate a SAP "
            "assegnabili (@tbl-assegnabili).\n"
        )
    owners = int(figures["n_enti_con_assegnabili"])
    of = f"di {count(owners, ENTE_PROPRIETARIO)}" if owners > 1 else "di un solo ente proprietario"
    verb = agree(n, "sarà prevedibilmente assegnabile", "saranno prevedibilmente assegnabili")
    return (
        f"Sommando le unità delle lettere da b a f, nel {year} {verb} {count(n, UNITA)} "
        f"destinat{agree(n, 'a', 'e')} a SAP, "
        f"{of} (@tbl-assegnabili). La @fig-assegnabili le distribuisce per comune e per categoria.\n"
    )


def assigned_sentence(figures: dict, previous_year: int) -> str:
    """Units assigned in the previous year (k) and by how many owners."""
    n = int(figures["n_k_assegnate"])
    if n == 0:
        return f"Nel {previous_year} non è stata assegnata nessuna unità destinata a SAP (@tbl-assegnate).\n"
    owners = int(figures["n_enti_k"])
    by = f"da {count(owners, ENTE_PROPRIETARIO)}" if owners > 1 else "da un solo ente proprietario"
    verb = agree(n, "è stata assegnata 1 unità destinata", f"sono state assegnate {format_int(n)} unità destinate")
    return f"Nel {previous_year} {verb} a SAP, {by} (@tbl-assegnate).\n"


def notices_sentence(measures: pd.DataFrame) -> str:
    """How many public notices the ambito published for the regional measures."""
    n = len(measures)
    if n == 0:
        return "Nel periodo di validità delle misure l'ambito non ha pubblicato avvisi pubblici.\n"
    return (
        f"Nel periodo di validità delle misure l'ambito ha pubblicato {count(n, AVVISO_PUBBLICO, words=True)} "
        f"(@tbl-misure).\n"
    )


def activated_measures(measures: pd.DataFrame) -> str:
    """The list of the measures that at least one notice activated."""
    active = [n for n in MEASURES if not measures.empty and measures[f"misura_{n}"].astype(int).sum() > 0]
    if not active:
        return "Nessuna delle misure regionali è stata attivata.\n"
    lead = "La misura attivata è:" if len(active) == 1 else "Le misure attivate sono:"
    items = [f"- **Misura {n}**: {MEASURES[n]}{'.' if i == len(active) - 1 else ';'}" for i, n in enumerate(active)]
    return lead + "\n\n" + "\n".join(items) + "\n"


def stock_fragment(stock: pd.DataFrame, sat: dict[str, int] | None = None) -> str:
    """Table a); with a column «Alloggi SAT» when the stock declares SAT (sat: owner -> units)."""
    if sat is not None:
        stock = stock.assign(alloggi_sat=[sat.get(o, 0) for o in stock["ente_proprietario"]])
    columns = ["totale_unita", "alloggi_sap", "alloggi_sas"] + (["alloggi_sat"] if sat is not None else [])
    rows = [[r.ente_proprietario] + [format_int(getattr(r, c)) for c in columns] for r in stock.itertuples()]
    rows.append([bold("Totale (somma delle righe)")] + [bold(format_int(stock[c].sum())) for c in columns])
    headers = ["Ente proprietario", "Totale unità", "Alloggi SAP", "Alloggi SAS"] + (
        ["Alloggi SAT"] if sat is not None else []
    )
    return pipe_table(
        headers,
        rows,
        [LEFT] + [RIGHT] * len(columns),
        "Consistenza del patrimonio abitativo pubblico e sociale per ente proprietario",
        "patrimonio",
    )


COLUMN_LABELS = {
    "totale_unita": "totale unità",
    "alloggi_sap": "alloggi SAP",
    "alloggi_sas": "alloggi SAS",
    "alloggi_sat": "alloggi SAT",
    "unita": "unità",
    "alloggi_assegnati": "alloggi assegnati",
    "in_deroga": "in deroga",
}


def totals_note(reconciliation: pd.DataFrame, table_label: str, source_name: str, table: str | None = None) -> str:
    """A visible note when the export's declared total is not the sum of its rows; '' otherwise.

    table: the rows of a_patrimonio_totali.csv («tabella») to read; None: every row given."""
    if table is not None:
        reconciliation = reconciliation[reconciliation["tabella"] == table]
    differing = reconciliation[reconciliation["dichiarato"].notna() & reconciliation["differenza"].fillna(0).ne(0)]
    if differing.empty:
        return ""
    items = "\n".join(
        f"- {COLUMN_LABELS.get(r.colonna, r.colonna)}: dichiarato **{format_int(int(r.dichiarato))}**, somma delle "
        f"righe **{format_int(int(r.calcolato))}** (differenza {format_int(int(r.differenza))})"
        for r in differing.itertuples()
    )
    body = (
        f"La riga «Totale» dell'estrazione dalla piattaforma ({source_name}) non coincide con la somma delle "
        f"righe della @tbl-{table_label}:\n\n{items}\n\nIl piano riporta i totali calcolati dalle righe; il dato "
        "dichiarato resta invariato nei dati di origine ed è segnalato nelle verifiche sui dati."
    )
    return callout("warning", "Totale dichiarato diverso dalla somma delle righe", body)


def units_summary_fragment(units: pd.DataFrame, category: Category, source: str) -> str:
    """A unit list too long to print: its units counted by owner and comune, and where the full list is."""
    comune = units["comune"].fillna("").astype(str).str.strip().replace("", "non indicato")
    counts = (
        units.assign(comune=comune).groupby(["ente_proprietario", "comune"], sort=True).size().reset_index(name="unita")
    )
    rows = [[r.ente_proprietario, r.comune, format_int(r.unita)] for r in counts.itertuples()]
    rows.append([bold("Totale"), "", bold(format_int(len(units)))])
    note = (
        f"L'elenco è troppo lungo per essere riportato qui unità per unità: la @tbl-{category.label} conta le "
        f"unità per ente proprietario e comune. L'elenco completo, con il codice di ogni unità, è nel file "
        f"`{source}`, pubblicato con il piano.\n\n"
    )
    return (
        units_count_sentence(len(units), category.label)
        + note
        + pipe_table(
            ["Ente proprietario", "Comune", "Unità"],
            rows,
            [LEFT, LEFT, RIGHT],
            f"Unità abitative destinate a SAP {category.title}: numero per ente proprietario e comune",
            category.label,
        )
    )


def units_fragment(
    units: pd.DataFrame,
    category: Category,
    status: str | None = None,
    max_rows: int | None = None,
    source: str = "",
    services: dict[str, str] | None = None,
) -> str:
    """Table of the units of one category, or a sentence when there are none; over `max_rows` units,
    a summary by owner and comune that names the file with the full list (`source`).

    services: unit code -> SAP or SAS, when the plan has SAS units: the table shows a column «Servizio»."""
    title = category.title
    if services is not None and not units.empty and (max_rows is None or len(units) <= max_rows):
        return units_service_fragment(units, category, status, services)
    if units.empty:
        return f"Nessun ente proprietario ha comunicato unità abitative destinate a SAP {title}.\n"
    if max_rows is not None and len(units) > max_rows:
        return units_summary_fragment(units, category, source)
    lead = units_count_sentence(len(units), category.label)
    headers = ["Ente proprietario", "Codice unità immobiliare", "Comune"]
    rows = [[r.ente_proprietario, r.codice_unita, r.comune] for r in units.itertuples()]
    aligns = [LEFT, LEFT, LEFT]
    if status:
        headers.append("Stato")
        rows = [row + [status] for row in rows]
        aligns.append(LEFT)
    return lead + pipe_table(headers, rows, aligns, f"Unità abitative destinate a SAP {title}", category.label)


def services_sentence(n: int, sas: int) -> str:
    """Of n units, sas are SAS: 'È un'unità SAS.', 'Sono tutte SAS.', 'Una di esse è SAS, le altre SAP.'."""
    if n == 1:
        return "È un'unità SAS."
    if sas == n:
        return "Sono tutte SAS."
    rest = "l'altra SAP" if n - sas == 1 else "le altre SAP"
    return f"Una di esse è SAS, {rest}." if sas == 1 else f"{format_int(sas)} di esse sono SAS, {rest}."


def units_service_fragment(
    units: pd.DataFrame, category: Category, status: str | None, services: dict[str, str]
) -> str:
    """The units of one category with their service (SAP or SAS)."""
    service = [services.get(c, "SAP") for c in units["codice_unita"]]
    sas = sum(s == "SAS" for s in service)
    lead = units_count_sentence(len(units), category.label)
    if sas:
        lead = lead.rstrip("\n") + " " + services_sentence(len(units), sas) + "\n\n"
    headers = ["Ente proprietario", "Codice unità immobiliare", "Comune", "Servizio"]
    rows = [[r.ente_proprietario, r.codice_unita, r.comune, s] for r, s in zip(units.itertuples(), service)]
    aligns = [LEFT, LEFT, LEFT, LEFT]
    if status:
        headers.append("Stato")
        rows = [row + [status] for row in rows]
        aligns.append(LEFT)
    return lead + pipe_table(
        headers, rows, aligns, f"Unità abitative destinate a SAP o a SAS {category.title}", category.label
    )


def turnover_fragment(turnover: pd.DataFrame, category: Category, by_service: pd.DataFrame | None = None) -> str:
    """e) turnover; by_service (e_turnover_servizi), when the plan has SAS units or units released by the
    Forze di Polizia and VVF: the table by service with those units."""
    if by_service is not None and not turnover.empty:
        from .services import turnover_service_fragment

        return turnover_service_fragment(by_service, f"Unità abitative {category.title}, per servizio", category.label)
    if turnover.empty:
        return f"Nessun ente proprietario prevede unità che {category.title.removeprefix('che ')}.\n"
    n = int(turnover["unita"].sum())
    lead = (
        f"Nell'ambito se ne prevede una (@tbl-{category.label})."
        if n == 1
        else f"Nell'ambito se ne prevedono {format_int(n)} (@tbl-{category.label})."
    )
    missing = sorted({r.ente_proprietario for r in turnover.itertuples() if not r.comune})
    if missing:
        lead += (
            f" Per le unità {join_it([of_owner(o) for o in missing])} la piattaforma non indica il comune: nella tabella "
            "figurano come «non indicato»."
        )
    caption = f"Unità abitative destinate a SAP {category.title}"
    return lead + "\n\n" + owner_comune_units_table(turnover, caption, category.label, comune_blank="non indicato")


def assignable_fragment(assignable: pd.DataFrame) -> str:
    """Table g per owner, as the platform prints it: the comune when the owner's units are in one."""
    rows = []
    for owner, group in assignable.groupby("ente_proprietario", sort=True):
        comuni = sorted(set(group["comune"]))
        place = comuni[0] if len(comuni) == 1 and comuni[0] else "più comuni"
        rows.append([owner, place, format_int(group["unita"].sum())])
    rows.append([bold("Totale"), "", bold(format_int(assignable["unita"].sum()))])
    return pipe_table(
        ["Ente proprietario", "Comune", "Unità"],
        rows,
        [LEFT, LEFT, RIGHT],
        "Unità abitative destinate a SAP che prevedibilmente saranno assegnabili nell'anno "
        "(somma delle lettere da b a f)",
        "assegnabili",
    )


def assigned_fragment(assigned: pd.DataFrame, previous_year: int) -> str:
    rows = [[r.ente_proprietario, format_int(r.alloggi_assegnati)] for r in assigned.itertuples()]
    rows.append([bold("Totale"), bold(format_int(assigned["alloggi_assegnati"].sum()))])
    return pipe_table(
        ["Ente proprietario", f"Alloggi SAP assegnati nel {previous_year}"],
        rows,
        [LEFT, RIGHT],
        f"Unità abitative destinate a SAP assegnate nel {previous_year}",
        "assegnate",
    )


def derogation_sentence(assigned: pd.DataFrame, previous_year: int) -> str:
    n = int(assigned["in_deroga"].sum())
    if n == 0:
        return f"Nel {previous_year} nessun alloggio è stato assegnato in deroga.\n"
    if n == 1:
        return f"Nel {previous_year} un alloggio è stato assegnato in deroga.\n"
    return f"Nel {previous_year} {format_int(n)} alloggi sono stati assegnati in deroga.\n"


def measures_fragment(measures: pd.DataFrame) -> str:
    if measures.empty:
        return ""
    rows = [
        [r.avviso, r.dgr.replace(" ", ", ")]
        + ["X" if getattr(r, f"misura_{n}") else "" for n in range(1, 6)]
        + [f"{format_int(r.comuni_aderenti)} su {format_int(r.comuni_ambito)}"]
        for r in measures.itertuples()
    ]
    return pipe_table(
        ["Avviso", "DGR"] + [f"Misura {n}" for n in range(1, 6)] + ["Comuni aderenti"],
        rows,
        [LEFT, LEFT] + [LEFT] * 5 + [RIGHT],
        "Avvisi pubblici per le misure di sostegno all'abitazione e comuni aderenti",
        "misure",
    )


def choice_sentence(choices: pd.DataFrame, choice: Choice, year: int, quota_units: dict[str, int] | None = None) -> str:
    """The comuni that made one kind of municipal choice, or the sentence for none.

    A further category is followed by its motivation when the comune gave one; a quota in percent by its
    units when the plan converts quotas (quota_units: comune -> units, from h_i_scelte_per_comune)."""
    selected = choices[choices["scelta"] == choice.code]
    if selected.empty:
        return choice.none_text.format(anno=year) + "\n"
    label = choice.label
    if choice.code == "unita_servizi_transitori" and not choice.percent:
        return transitional_choice_sentence(selected, year)
    values = []
    for r in selected.itertuples():
        value = f"pari al {r.valore}% delle unità" if choice.percent else f"«{r.valore}»"
        if quota_units and r.comune in quota_units and choice.code == "quota_forze_polizia_vvf_pct":
            value += f": {count(quota_units[r.comune], UNITA)}"
        motivation = choices[(choices["comune"] == r.comune) & (choices["scelta"] == f"{choice.code}_motivazione")]
        if len(motivation):
            value += f", motivata così: {motivation['valore'].iloc[0]}"
        values.append(value)
    if len(values) == 1:  # the value qualifies the choice, not the comune: it follows the choice
        comune, value = selected["comune"].iloc[0], values[0]
        return (
            f"Solo il Comune di {comune} ha individuato per il {year} una {label}"
            f"{', ' if choice.percent else ': '}{value}.\n"
        )
    parts = [f"il Comune di {comune} ({value})" for comune, value in zip(selected["comune"], values)]
    return f"Hanno individuato per il {year} una {label}: {join_it(parts)}.\n"


def transitional_choice_sentence(selected: pd.DataFrame, year: int) -> str:
    """The comuni that indicated units for the transitional services, each with its count of units."""
    parts = [
        f"il Comune di {r.comune} ({count(round(float(str(r.valore).replace('.', '').replace(',', '.'))), UNITA)})"
        for r in selected.itertuples()
    ]  # a whole number as validated: 2, 1.006, 1006,0
    if len(parts) == 1:
        return f"Solo {parts[0]} ha indicato per il {year} unità da destinare ai servizi abitativi transitori.\n"
    return f"Hanno indicato per il {year} unità da destinare ai servizi abitativi transitori: {join_it(parts)}.\n"


def upgrading_sentence(funds: pd.DataFrame, year: int) -> str:
    if funds.empty:
        return "Nessun ente proprietario ha partecipato alle procedure per i fondi di riqualificazione.\n"
    positive = [r.ente for r in funds.itertuples() if r.esito_anno_precedente == "positivo"]
    applied = [r.ente for r in funds.itertuples() if r.candidatura_anno_corrente]
    text = ""
    if positive:
        text += f"Hanno partecipato con esito positivo alle procedure del {year - 1}: {join_it(positive)}. "
    if applied:
        text += f"Hanno presentato la propria candidatura per le risorse del {year}: {join_it(applied)}."
    return text.strip() + "\n"
