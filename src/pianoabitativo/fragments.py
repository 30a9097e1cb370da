"""Report fragments: the numbers and tables the .qmd pulls in, in Italian.

The .qmd holds prose and structure only. Everything quantitative arrives from
here as `{{< meta piano.KEY >}}` values (cifre.yml) or as Markdown fragments
(`{{< include gen/<year>/tab_x.md >}}`): pipe tables with a caption and a
cross-reference label, sentences for empty categories, notes on discrepancies.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import yaml

from .core.formatting import format_date_long, format_date_short, format_int, format_number, format_percent

LEFT, RIGHT = "left", "right"
CATEGORY_TITLES = {
    "b_carenza_manutentiva": "in carenza manutentiva, assegnabili nello stato di fatto",
    "c_ristrutturazione": "oggetto di piani di ristrutturazione, recupero o riqualificazione",
    "d_nuova_edificazione": "di nuova edificazione",
    "e_libere": "libere alla data della rilevazione",
    "f_conferite_privati": "conferite da soggetti privati",
}
CHOICE_LABELS = {
    "soglia_indigenza_pct": "soglia per i nuclei in condizione di indigenza",
    "categoria_aggiuntiva": "categoria aggiuntiva di particolare rilevanza sociale",
    "quota_forze_polizia_vvf_pct": "quota per le Forze di Polizia e il Corpo Nazionale dei Vigili del Fuoco",
    "unita_servizi_transitori": "unità per i servizi abitativi transitori",
}


# --- formatting of key figures ---------------------------------------------------------------

def format_figure(key: str, value) -> str:
    """Italian text of one key figure, by the kind of quantity its name says it is."""
    if value == "" or value is None:
        return ""
    if key.startswith("quota_"):
        return format_percent(float(value))
    if isinstance(value, float) or key.startswith(("densita", "superficie", "componenti")):
        return format_number(float(value), 2)
    return format_int(int(value))


def metadata(config: dict, figures: dict) -> dict:
    """The content of cifre.yml: title block, names, dates and every key figure as text."""
    year = int(config["year"])
    dates = {k: dt.date.fromisoformat(v) for k, v in config["dates"].items()}
    ambito = config["ambito"]
    piano = {
        "anno": str(year), "anno_precedente": str(year - 1), "anno_successivo": str(year + 1),
        "ambito": ambito["name"], "capofila": ambito["capofila"],
        "comune_capofila": ambito["capofila"].removeprefix("Comune di "),
        "capofila_ruolo": ambito["capofila_role"], "provincia": ambito["province"], "regione": ambito["region"],
        "aler": ambito["aler"], "comunicato_regionale_numero": str(config.get("regional_notice_number", "")),
        "data_approvazione": format_date_long(dates["approval"]),
        "data_popolazione": format_date_short(dates["population_reference"]),
        "data_famiglie": format_date_short(dates["households_reference"]),
        "data_assegnabili_entro": format_date_long(dates["assignable_by"]),
        "data_piano_successivo": format_date_long(dates["next_plan_deadline"]),
        "anno_famiglie": str(dates["households_reference"].year),
    }
    for key in ("capofila_designation", "capofila_confirmation", "regional_notice", "piano_di_zona_approval"):
        if key in dates:
            piano[f"data_{key}"] = format_date_long(dates[key])
    if "piano_di_zona_approval" in dates:
        start = dates["piano_di_zona_approval"].year
        piano["piano_di_zona_periodo"] = f"{start}-{start + 2}"
    piano.update({key: format_figure(key, value) for key, value in figures.items()})
    return {
        "title": "Piano annuale dell'offerta dei servizi abitativi pubblici e sociali",
        "subtitle": f"{ambito['name']} · anno {year}",
        "date": f"Documento approvato dall'Assemblea dei Sindaci del {piano['data_approvazione']}",
        "author": f"{ambito['capofila']}, {ambito['capofila_role']}",
        "piano": piano,
    }


def metadata_yaml(meta: dict) -> str:
    return yaml.safe_dump(meta, allow_unicode=True, sort_keys=True, width=1000)


# --- Markdown building blocks ----------------------------------------------------------------

def escape_cell(text: str) -> str:
    return str(text).replace("|", "\\|")


def pipe_table(headers: list[str], rows: list[list[str]], aligns: list[str], caption: str, label: str) -> str:
    """A pipe table with a Quarto caption line and cross-reference label."""
    # dash counts set the relative column widths when pandoc or Quarto wrap a wide table
    widths = [max([len(h) for h in header.split()] + [len(str(c)) for row in rows for c in [row[i]]])
              for i, header in enumerate(headers)]
    rule = ["-" * max(3, min(w, 40)) for w in widths]
    marks = [(":" + r if a == LEFT else r + ":") for r, a in zip(rule, aligns)]
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(marks) + "|"]
    lines += ["| " + " | ".join(escape_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + f"\n\n: {caption} {{#tbl-{label}}}\n"


def callout(kind: str, title: str, body: str) -> str:
    return f"::: {{.callout-{kind}}}\n## {title}\n\n{body}\n:::\n"


def bold(text: str) -> str:
    return f"**{text}**"


# --- demographic tables ----------------------------------------------------------------------

def subambiti_fragment(subambiti: pd.DataFrame, figures: dict, date_text: str) -> str:
    rows = [[r.sub_ambito, format_int(r.n_comuni), format_int(r.popolazione), format_number(r.superficie_km2),
             format_number(r.densita)] for r in subambiti.itertuples()]
    rows.append([bold("Totale"), bold(format_int(figures["n_comuni"])), bold(format_int(figures["popolazione"])),
                 bold(format_number(figures["superficie_km2"])), bold(format_number(figures["densita"]))])
    return pipe_table(["Sub-ambito", "Numero comuni", "Popolazione", "Superficie (km²)", "Densità (ab/km²)"], rows,
                      [LEFT, RIGHT, RIGHT, RIGHT, RIGHT],
                      f"Comuni, popolazione residente al {date_text}, superficie e densità per sub-ambito", "subambiti")


DENSITY_LABELS = {"sotto_media_provinciale": "sotto la media provinciale",
                  "tra_media_provinciale_e_regionale": "tra le due medie",
                  "sopra_media_regionale": "sopra la media regionale"}


def comuni_fragment(comuni: pd.DataFrame, date_text: str) -> str:
    ordered = comuni.sort_values(["sub_ambito", "comune"])
    rows = [[r.comune, r.codice_istat, r.sub_ambito, format_int(r.popolazione), format_number(r.superficie_km2),
             format_number(r.densita), DENSITY_LABELS[r.classe_densita]] for r in ordered.itertuples()]
    return pipe_table(["Comune", "Codice ISTAT", "Sub-ambito", "Popolazione", "Superficie (km²)", "Densità (ab/km²)",
                       "Rispetto alle medie"], rows, [LEFT, LEFT, LEFT, RIGHT, RIGHT, RIGHT, LEFT],
                      f"I comuni dell'ambito: popolazione al {date_text}, superficie e densità", "comuni")


# --- housing tables --------------------------------------------------------------------------

def stock_fragment(stock: pd.DataFrame) -> str:
    rows = [[r.ente_proprietario, format_int(r.totale_unita), format_int(r.alloggi_sap), format_int(r.alloggi_sas)]
            for r in stock.itertuples()]
    rows.append([bold("Totale (somma delle righe)")] + [bold(format_int(stock[c].sum()))
                                                       for c in ("totale_unita", "alloggi_sap", "alloggi_sas")])
    return pipe_table(["Ente proprietario", "Totale unità", "Alloggi SAP", "Alloggi SAS"], rows,
                      [LEFT, RIGHT, RIGHT, RIGHT], "Consistenza del patrimonio abitativo pubblico e sociale per ente "
                      "proprietario", "patrimonio")


COLUMN_LABELS = {"totale_unita": "totale unità", "alloggi_sap": "alloggi SAP", "alloggi_sas": "alloggi SAS",
                 "unita": "unità", "alloggi_assegnati": "alloggi assegnati", "in_deroga": "in deroga"}


def totals_note(reconciliation: pd.DataFrame, table_label: str, source_name: str) -> str:
    """A visible note when the export's declared total is not the sum of its rows; '' otherwise."""
    differing = reconciliation[(reconciliation["dichiarato"] != "") &
                               (reconciliation["differenza"].astype(str) != "0")]
    if differing.empty:
        return ""
    items = "\n".join(
        f"- {COLUMN_LABELS.get(r.colonna, r.colonna)}: dichiarato **{format_int(int(r.dichiarato))}**, somma delle "
        f"righe **{format_int(int(r.calcolato))}** (differenza {format_int(int(r.differenza))})"
        for r in differing.itertuples())
    body = (f"La riga «Totale» dell'estrazione dalla piattaforma ({source_name}) non coincide con la somma delle "
            f"righe della @tbl-{table_label}:\n\n{items}\n\nIl piano riporta i totali calcolati dalle righe; il dato "
            "dichiarato resta invariato nei dati di origine ed è segnalato nelle verifiche sui dati.")
    return callout("warning", "Totale dichiarato diverso dalla somma delle righe", body)


def units_fragment(units: pd.DataFrame, name: str, label: str, status: str | None = None) -> str:
    """Table of the units of one category, or a sentence when there are none."""
    title = CATEGORY_TITLES[name]
    if units.empty:
        return f"Nessun ente proprietario ha comunicato unità abitative destinate a SAP {title}.\n"
    headers = ["Ente proprietario", "Codice unità immobiliare", "Comune"]
    rows = [[r.ente_proprietario, r.codice_unita, r.comune] for r in units.itertuples()]
    aligns = [LEFT, LEFT, LEFT]
    if status:
        headers.append("Stato")
        rows = [row + [status] for row in rows]
        aligns.append(LEFT)
    return pipe_table(headers, rows, aligns, f"Unità abitative destinate a SAP {title}", label)


def turnover_fragment(turnover: pd.DataFrame) -> str:
    if turnover.empty:
        return "Nessun ente proprietario prevede unità che si libereranno per avvicendamento nel corso dell'anno.\n"
    rows = [[r.ente_proprietario, r.comune or "non indicato", format_int(r.unita)] for r in turnover.itertuples()]
    rows.append([bold("Totale"), "", bold(format_int(turnover["unita"].sum()))])
    return pipe_table(["Ente proprietario", "Comune", "Unità"], rows, [LEFT, LEFT, RIGHT],
                      "Unità abitative destinate a SAP che si libereranno per avvicendamento nel corso dell'anno",
                      "turnover")


def assignable_fragment(assignable: pd.DataFrame) -> str:
    """Table g per owner, as the platform prints it: the comune when the owner's units are in one."""
    rows = []
    for owner, group in assignable.groupby("ente_proprietario", sort=True):
        comuni = sorted(set(group["comune"]))
        place = comuni[0] if len(comuni) == 1 and comuni[0] else "più comuni"
        rows.append([owner, place, format_int(group["unita"].sum())])
    rows.append([bold("Totale"), "", bold(format_int(assignable["unita"].sum()))])
    return pipe_table(["Ente proprietario", "Comune", "Unità"], rows, [LEFT, LEFT, RIGHT],
                      "Unità abitative destinate a SAP che prevedibilmente saranno assegnabili nell'anno "
                      "(somma delle lettere da b a f)", "assegnabili")


def assigned_fragment(assigned: pd.DataFrame, previous_year: int) -> str:
    rows = [[r.ente_proprietario, format_int(r.alloggi_assegnati)] for r in assigned.itertuples()]
    rows.append([bold("Totale"), bold(format_int(assigned["alloggi_assegnati"].sum()))])
    return pipe_table(["Ente proprietario", f"Alloggi SAP assegnati nel {previous_year}"], rows, [LEFT, RIGHT],
                      f"Unità abitative destinate a SAP assegnate nel {previous_year}", "assegnate")


def derogation_sentence(assigned: pd.DataFrame, previous_year: int) -> str:
    n = int(assigned["in_deroga"].sum())
    if n == 0:
        return f"Nel {previous_year} nessun alloggio è stato assegnato in deroga.\n"
    return f"Nel {previous_year} {format_int(n)} alloggi sono stati assegnati in deroga.\n"


def measures_fragment(measures: pd.DataFrame) -> str:
    rows = [[r.avviso, r.dgr.replace(" ", ", ")] + ["X" if getattr(r, f"misura_{n}") else "" for n in range(1, 6)]
            + [f"{format_int(r.comuni_aderenti)} su {format_int(r.comuni_ambito)}"] for r in measures.itertuples()]
    return pipe_table(["Avviso", "DGR"] + [f"Misura {n}" for n in range(1, 6)] + ["Comuni aderenti"], rows,
                      [LEFT, LEFT] + [LEFT] * 5 + [RIGHT],
                      "Avvisi pubblici per le misure di sostegno all'abitazione e comuni aderenti", "misure")


def choice_sentence(choices: pd.DataFrame, kind: str, year: int, none_text: str) -> str:
    """The comuni that made one kind of municipal choice, or the sentence for none."""
    selected = choices[choices["scelta"] == kind]
    if selected.empty:
        return none_text.format(anno=year) + "\n"
    label = CHOICE_LABELS[kind]
    parts = []
    for r in selected.itertuples():
        value = f"pari al {r.valore}% delle unità" if kind.endswith("_pct") else f"«{r.valore}»"
        parts.append(f"il Comune di {r.comune} ({value})")
    if len(parts) == 1:
        return f"Solo {parts[0]} ha individuato per il {year} una {label}.\n"
    return f"Hanno individuato per il {year} una {label}: {join_it(parts)}.\n"


def upgrading_sentence(funds: pd.DataFrame, year: int) -> str:
    if funds.empty:
        return "Nessun ente proprietario ha partecipato alle procedure per i fondi di riqualificazione.\n"
    positive = [r.ente for r in funds.itertuples() if r.esito_anno_precedente == "positivo"]
    applied = [r.ente for r in funds.itertuples() if r.candidatura_anno_corrente]
    text = ""
    if positive:
        text += (f"Hanno partecipato con esito positivo alle procedure del {year - 1}: {join_it(positive)}. ")
    if applied:
        text += f"Hanno presentato la propria candidatura per le risorse del {year}: {join_it(applied)}."
    return text.strip() + "\n"


def join_it(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " e " + items[-1]


# --- data checks appendix --------------------------------------------------------------------

def checks_fragment(checks: pd.DataFrame) -> str:
    rows = [[r.descrizione, r.gravita, ("superato" if r.esito == "superato" else bold("non superato"))]
            for r in checks.itertuples()]
    table = pipe_table(["Controllo", "Gravità", "Esito"], rows, [LEFT, LEFT, LEFT],
                       "Controlli eseguiti sui dati di input", "verifiche")
    failed = checks[checks["esito"] != "superato"]
    if failed.empty:
        return table + "\nTutti i controlli sono stati superati.\n"
    notes = "\n".join(f"- **{r.descrizione}**: " + "; ".join(r.dettaglio.split(" | ")) for r in failed.itertuples())
    n = len(failed)
    intro = ("Un controllo non è stato superato" if n == 1 else f"{format_int(n)} controlli non sono stati superati")
    return table + f"\n{intro}; le righe coinvolte sono:\n\n{notes}\n"
