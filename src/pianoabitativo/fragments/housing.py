"""Fragments of the housing sections a)-m): tables, the notes on declared totals, sentences."""

from __future__ import annotations

import pandas as pd

from ..catalogue import Category, Choice
from ..core.formatting import format_int
from .markdown import LEFT, RIGHT, bold, callout, join_it, pipe_table


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
    differing = reconciliation[reconciliation["dichiarato"].notna() & reconciliation["differenza"].fillna(0).ne(0)]
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


def units_fragment(units: pd.DataFrame, category: Category, status: str | None = None) -> str:
    """Table of the units of one category, or a sentence when there are none."""
    title = category.title
    if units.empty:
        return f"Nessun ente proprietario ha comunicato unità abitative destinate a SAP {title}.\n"
    headers = ["Ente proprietario", "Codice unità immobiliare", "Comune"]
    rows = [[r.ente_proprietario, r.codice_unita, r.comune] for r in units.itertuples()]
    aligns = [LEFT, LEFT, LEFT]
    if status:
        headers.append("Stato")
        rows = [row + [status] for row in rows]
        aligns.append(LEFT)
    return pipe_table(headers, rows, aligns, f"Unità abitative destinate a SAP {title}", category.label)


def turnover_fragment(turnover: pd.DataFrame, category: Category) -> str:
    if turnover.empty:
        return f"Nessun ente proprietario prevede unità che {category.title.removeprefix('che ')}.\n"
    rows = [[r.ente_proprietario, r.comune or "non indicato", format_int(r.unita)] for r in turnover.itertuples()]
    rows.append([bold("Totale"), "", bold(format_int(turnover["unita"].sum()))])
    return pipe_table(["Ente proprietario", "Comune", "Unità"], rows, [LEFT, LEFT, RIGHT],
                      f"Unità abitative destinate a SAP {category.title}", category.label)


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
    if n == 1:
        return f"Nel {previous_year} un alloggio è stato assegnato in deroga.\n"
    return f"Nel {previous_year} {format_int(n)} alloggi sono stati assegnati in deroga.\n"


def measures_fragment(measures: pd.DataFrame) -> str:
    rows = [[r.avviso, r.dgr.replace(" ", ", ")] + ["X" if getattr(r, f"misura_{n}") else "" for n in range(1, 6)]
            + [f"{format_int(r.comuni_aderenti)} su {format_int(r.comuni_ambito)}"] for r in measures.itertuples()]
    return pipe_table(["Avviso", "DGR"] + [f"Misura {n}" for n in range(1, 6)] + ["Comuni aderenti"], rows,
                      [LEFT, LEFT] + [LEFT] * 5 + [RIGHT],
                      "Avvisi pubblici per le misure di sostegno all'abitazione e comuni aderenti", "misure")


def choice_sentence(choices: pd.DataFrame, choice: Choice, year: int) -> str:
    """The comuni that made one kind of municipal choice, or the sentence for none."""
    selected = choices[choices["scelta"] == choice.code]
    if selected.empty:
        return choice.none_text.format(anno=year) + "\n"
    label = choice.label
    parts = []
    for r in selected.itertuples():
        value = f"pari al {r.valore}% delle unità" if choice.percent else f"«{r.valore}»"
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
