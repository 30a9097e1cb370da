"""The section «Confronto con il piano precedente» and its line in the appendix, from the confronto_* tables.

With a previous plan whose tables were read, the section (its heading included, so that a first plan's
document has no empty section) sets the two plans' key figures side by side, the units the previous plan
foresaw as assignable against those this plan reports as assigned in that year, per owner and with a chart,
and how many listed units are listed again or new. Without one, a single sentence says why there is no
comparison; when the tables were looked for and not found, the appendix says where.

The .qmd numbers its sections by hand (`## 2. I servizi abitativi`): the section's heading takes the number
after the last numbered section before the place where the .qmd includes it (`section_heading`).
"""

from __future__ import annotations

import re

import pandas as pd

from .. import catalogue
from ..core.formatting import format_int
from .figures import figure_line
from .markdown import LEFT, RIGHT, bold, join_it, pipe_table
from .wording import ENTE_PROPRIETARIO, UNITA, agree, change_words, count

TITLE = "Confronto con il piano precedente"
INCLUDE = re.compile(r"\{\{<\s*include\s+\S*\bsezione_confronto\.md\s*>\}\}")
PART = re.compile(r"^#\s")  # a part of the .qmd (# II. I contenuti del piano): its sections count from 1
NUMBERED_SECTION = re.compile(r"^##\s+(\d+)\.\s")
NAMED_IN_ALT = 3  # owners named in the chart's alternative text; the others as a range
READ = catalogue.SOURCE_READ
OWNER = ENTE_PROPRIETARIO


def comparison_state(sources: pd.DataFrame) -> str:
    """'primo' (no previous plan), 'assente' (looked for, not found) or 'letto'."""
    if sources.empty:
        return "primo"
    return "letto" if (sources["esito"] == READ).any() else "assente"


def years(key_figures: pd.DataFrame) -> tuple[int, int]:
    row = key_figures.loc[key_figures["chiave"] == catalogue.YEAR_ROW].iloc[0]
    return int(row.precedente), int(row.corrente)


def _row(key_figures: pd.DataFrame, key: str):
    return key_figures.loc[key_figures["chiave"] == key].iloc[0]


def movement(key_figures: pd.DataFrame, key: str, plural: bool) -> str:
    """'passa da 1.703 a 1.710 unità (7 in più)' / 'resta di 1.703 unità'; plural: 'passano da 50 a 47 (3 in
    meno)' / 'restano 47'."""
    row = _row(key_figures, key)
    if row.differenza == 0:
        return f"restano {format_int(row.corrente)}" if plural else f"resta di {format_int(row.corrente)} unità"
    verb, unit = ("passano", "") if plural else ("passa", " unità")
    return f"{verb} da {format_int(row.precedente)} a {format_int(row.corrente)}{unit} ({change_words(row.differenza)})"


def key_figures_sentence(key_figures: pd.DataFrame) -> str:
    previous_year, _ = years(key_figures)
    return (
        f"Rispetto al piano {previous_year}, il patrimonio abitativo "
        f"{movement(key_figures, 'patrimonio_totale_unita', False)}; le unità assegnabili nell'anno (lettera g) "
        f"{movement(key_figures, 'n_g_assegnabili', True)} e quelle assegnate nell'anno precedente (lettera k) "
        f"{movement(key_figures, 'n_k_assegnate', True)} (@tbl-confronto-cifre).\n"
    )


def key_figures_fragment(key_figures: pd.DataFrame) -> str:
    previous_year, year = years(key_figures)
    labels = {f.key: f.label for f in catalogue.COMPARED_FIGURES}
    rows = [
        [labels[r.chiave], format_int(r.precedente), format_int(r.corrente), change_words(r.differenza)]
        for r in key_figures.itertuples()
        if r.chiave in labels
    ]
    return pipe_table(
        ["Cifra", f"Piano {previous_year}", f"Piano {year}", "Variazione"],
        rows,
        [LEFT, RIGHT, RIGHT, LEFT],
        f"Le cifre principali del piano {previous_year} e del piano {year}",
        "confronto-cifre",
    )


def _by_owners(n_owners: int, foresaw: bool) -> str:
    """'da un ente proprietario che ne aveva previste', 'da enti proprietari che non ne avevano previste'."""
    neg = "" if foresaw else "non "
    if n_owners == 1:
        return f"da un ente proprietario che {neg}ne aveva previste"
    return f"da enti proprietari che {neg}ne avevano previste"


def promised_sentence(owners: pd.DataFrame, previous_year: int, assigned_year: int) -> str:
    """'Il piano 2019 prevedeva 50 unità assegnabili, di 11 enti proprietari; nel 2019 ne sono state assegnate 24,
    di cui ...': the units foreseen by the previous plan (its g) and those assigned in that year (this k)."""
    foreseen, assigned = int(owners["previste"].sum()), int(owners["assegnate"].sum())
    planners = owners["previste"] > 0
    by_planners = int(owners.loc[planners, "assegnate"].sum())
    others = assigned - by_planners
    assigning_planners = int((planners & (owners["assegnate"] > 0)).sum())
    assigning_others = int((~planners & (owners["assegnate"] > 0)).sum())
    if foreseen == 0:
        head = f"Il piano {previous_year} non prevedeva unità assegnabili"
    else:
        head = (
            f"Il piano {previous_year} prevedeva {count(foreseen, UNITA)} "
            f"{agree(foreseen, 'assegnabile', 'assegnabili')}, di {count(int(planners.sum()), OWNER, words=True)}"
        )
    if assigned == 0:
        return f"{head}; nel {assigned_year} non ne è stata assegnata nessuna.\n"
    done = (
        f"nel {assigned_year} ne è stata assegnata una"
        if assigned == 1
        else f"nel {assigned_year} ne sono state assegnate {format_int(assigned)}"
    )
    if not foreseen:
        split = ""
    elif others == 0 or by_planners == 0:
        every = "" if assigned == 1 else " tutte"
        split = f",{every} {_by_owners(assigning_planners or assigning_others, others == 0)}"
    else:
        split = (
            f", di cui {format_int(by_planners)} {_by_owners(assigning_planners, True)} e "
            f"{format_int(others)} {_by_owners(assigning_others, False)}"
        )
    return f"{head}; {done}{split} (@tbl-confronto-enti, @fig-confronto).\n"


def owners_outcome_sentence(owners: pd.DataFrame) -> str:
    """Among the owners that foresaw units: how many assigned more, fewer, as many as foreseen."""
    planners = owners[owners["previste"] > 0]
    if planners.empty:
        return ""
    outcomes = [
        ("più del previsto", int((planners["differenza"] > 0).sum())),
        ("meno del previsto", int((planners["differenza"] < 0).sum())),
        ("quante previste", int((planners["differenza"] == 0).sum())),
    ]
    if len(planners) == 1:
        outcome = next(text for text, n in outcomes if n)
        return f"L'unico ente proprietario che ne prevedeva ne ha assegnate {outcome}.\n"
    parts = [
        f"{'uno' if n == 1 else format_int(n)} {agree(n, 'ne ha assegnate', 'ne hanno assegnate')} {text}"
        for text, n in outcomes
        if n
    ]
    return f"Tra gli enti proprietari che ne prevedevano, {join_it(parts)}.\n"


def _owner_cell(value: int, present: bool) -> str:
    return format_int(value) if present else "–"


def owners_fragment(owners: pd.DataFrame, previous_year: int, assigned_year: int) -> str:
    rows = [
        [
            r.ente_proprietario,
            _owner_cell(r.previste, r.nel_piano_precedente),
            _owner_cell(r.assegnate, r.tra_le_assegnate),
            change_words(r.differenza, "pari"),
        ]
        for r in owners.itertuples()
    ]
    total = int(owners["differenza"].sum())
    rows.append(
        [
            bold("Totale"),
            bold(format_int(owners["previste"].sum())),
            bold(format_int(owners["assegnate"].sum())),
            bold(change_words(total, "pari")),
        ]
    )
    table = pipe_table(
        ["Ente proprietario", f"Previste dal piano {previous_year}", f"Assegnate nel {assigned_year}", "Differenza"],
        rows,
        [LEFT, RIGHT, RIGHT, LEFT],
        f"Unità previste come assegnabili dal piano {previous_year} e assegnate nel {assigned_year}, "
        "per ente proprietario",
        "confronto-enti",
    )
    absent_before = int((~owners["nel_piano_precedente"]).sum())
    absent_now = int((~owners["tra_le_assegnate"]).sum())
    if not (absent_before or absent_now):
        return table
    notes = []
    if absent_before:
        notes.append(
            f"{count(absent_before, OWNER, words=True)} non {agree(absent_before, 'figura', 'figurano')} "
            f"tra quelli con unità assegnabili nel piano {previous_year}"
        )
    if absent_now:
        notes.append(
            f"{count(absent_now, OWNER, words=True)} non {agree(absent_now, 'figura', 'figurano')} tra "
            f"quelli che hanno comunicato assegnazioni per il {assigned_year}"
        )
    return table + f"\nIl trattino indica un dato assente: {join_it(notes)}.\n"


def units_sentence(units: pd.DataFrame, previous_year: int, year: int) -> str:
    before, again = int(units["piano_precedente"].sum()), int(units["ancora_elencate"].sum())
    gone, new = int(units["non_piu_elencate"].sum()), int(units["nuove"].sum())
    if before == 0:
        head = f"Il piano {previous_year} non elencava unità nelle lettere da b a f"
    elif before == 1:
        head = f"L'unica unità elencata nelle lettere da b a f del piano {previous_year} " + (
            "è elencata anche in questo piano" if again else "non è più elencata"
        )
    else:
        parts = []
        if again:
            parts.append(
                f"{format_int(again)} {agree(again, 'è elencata', 'sono elencate')} anche in questo piano"
                if again < before
                else "tutte sono elencate anche in questo piano"
            )
        if gone:
            parts.append(
                f"{format_int(gone)} non {agree(gone, 'lo è', 'lo sono')} più"
                if again
                else "nessuna è elencata anche in questo piano"
            )
        head = (
            f"Delle {format_int(before)} unità elencate nelle lettere da b a f del piano {previous_year}, "
            + " e ".join(parts)
        )
    tail = (
        f"; nel piano {year} non ci sono unità nuove"
        if new == 0
        else f"; nel piano {year} c'è una sola unità nuova"
        if new == 1
        else f"; nel piano {year} le unità nuove sono {format_int(new)}"
    )
    return f"{head}{tail} (@tbl-confronto-unita). Le unità sono confrontate per codice, in qualunque lettera.\n"


def units_fragment(units: pd.DataFrame, previous_year: int, year: int) -> str:
    titles = {c.code: c.chart_label for c in catalogue.LISTED_CATEGORIES}
    columns = ["piano_precedente", "piano_corrente", "ancora_elencate", "non_piu_elencate", "nuove"]
    rows = [[titles[r.categoria]] + [format_int(getattr(r, c)) for c in columns] for r in units.itertuples()]
    rows.append([bold("Totale")] + [bold(format_int(units[c].sum())) for c in columns])
    return pipe_table(
        [
            "Lettera",
            f"Nel piano {previous_year}",
            f"Nel piano {year}",
            f"Del {previous_year}, elencate di nuovo",
            f"Del {previous_year}, non più elencate",
            f"Nuove nel {year}",
        ],
        rows,
        [LEFT] + [RIGHT] * 5,
        f"Unità elencate nelle lettere da b a f: piano {previous_year} e piano {year}",
        "confronto-unita",
    )


def _units(n: int, singular: str, plural: str) -> str:
    """'29 previste', '1 prevista', 'nessuna prevista' (units are feminine)."""
    return f"nessuna {singular}" if n == 0 else f"{format_int(n)} {agree(n, singular, plural)}"


def comparison_alt(owners: pd.DataFrame, previous_year: int, assigned_year: int) -> str:
    """'Grafico a barre delle unità previste come assegnabili dal piano 2019 e di quelle assegnate nel 2019, per
    ente proprietario (11 enti proprietari), in tutto 50 previste e 24 assegnate: ALER ... 29 previste e nessuna
    assegnata; ...; gli altri 8 enti da 1 a 3 unità previste o assegnate ciascuno.'"""
    head = (
        f"Grafico a barre delle unità previste come assegnabili dal piano {previous_year} e di quelle "
        f"assegnate nel {assigned_year}, per ente proprietario"
    )
    if owners.empty:
        return head + ": nessun ente proprietario ne prevedeva o ne ha assegnate."
    total = (
        f"in tutto {_units(int(owners['previste'].sum()), 'prevista', 'previste')} e "
        f"{_units(int(owners['assegnate'].sum()), 'assegnata', 'assegnate')}"
    )
    ordered = owners.assign(_m=owners[["previste", "assegnate"]].max(axis=1)).sort_values(
        ["_m", "ente_proprietario"], ascending=[False, True]
    )
    listed = ordered if len(ordered) <= NAMED_IN_ALT + 1 else ordered.iloc[:NAMED_IN_ALT]
    named = [
        f"{r.ente_proprietario} {_units(r.previste, 'prevista', 'previste')} e "
        f"{_units(r.assegnate, 'assegnata', 'assegnate')}"
        for r in listed.itertuples()
    ]
    text = f"{head} ({count(len(owners), OWNER)}), {total}: {'; '.join(named)}"
    rest = ordered.iloc[len(listed) :]
    if not rest.empty:
        low, high = int(rest["_m"].min()), int(rest["_m"].max())
        span = f"{format_int(low)}" if low == high else f"da {format_int(low)} a {format_int(high)}"
        text += f"; gli altri {format_int(len(rest))} enti {span} unità previste o assegnate ciascuno"
    return text + "."


def comparison_figure(owners: pd.DataFrame, previous_year: int, assigned_year: int) -> str:
    return figure_line(
        f"Unità previste dal piano {previous_year} e assegnate nel {assigned_year}, per ente proprietario",
        "confronto_previsti_assegnati",
        "confronto",
        "90%",
        comparison_alt(owners, previous_year, assigned_year),
    )


def section_heading(qmd_text: str) -> str:
    """The section's heading, numbered one after the last numbered section (`## 2. …`) of its part before the
    .qmd includes it; unnumbered if the part numbers none."""
    number = None
    for line in qmd_text.splitlines():
        if INCLUDE.search(line):
            break
        if PART.match(line):
            number = None
        elif match := NUMBERED_SECTION.match(line):
            number = int(match.group(1))
    return f"## {number + 1}. {TITLE}" if number is not None else f"## {TITLE}"


def comparison_section(
    key_figures: pd.DataFrame,
    owners: pd.DataFrame,
    units: pd.DataFrame,
    sources: pd.DataFrame,
    year: int,
    qmd_text: str,
) -> str:
    """sezione_confronto.md: the whole section, or the one sentence that says why there is none (qmd_text: the
    plan's .qmd, where the section's number comes from)."""
    state = comparison_state(sources)
    if state == "primo":
        return (
            f"Il piano {year} non indica un piano annuale precedente: non contiene quindi il confronto con il "
            "piano precedente.\n"
        )
    if state == "assente":
        previous = sources["piano_precedente"].iloc[0]
        return (
            f"Il piano {year} indica come precedente il piano «{previous}», ma le sue tabelle non sono state "
            "trovate: il confronto con il piano precedente non è possibile (l'appendice indica dove sono state "
            "cercate).\n"
        )
    previous_year, year = years(key_figures)
    assigned_year = year - 1
    return "\n".join(
        [
            section_heading(qmd_text) + "\n",
            key_figures_sentence(key_figures),
            key_figures_fragment(key_figures),
            "### Unità previste e unità assegnate\n",
            promised_sentence(owners, previous_year, assigned_year) + "\n" + owners_outcome_sentence(owners),
            owners_fragment(owners, previous_year, assigned_year),
            comparison_figure(owners, previous_year, assigned_year),
            "### Unità elencate nei due piani\n",
            units_sentence(units, previous_year, year),
            units_fragment(units, previous_year, year),
        ]
    )


def sources_paragraph(sources: pd.DataFrame, source_file: str) -> str:
    """fonte_confronto.md, in the appendix: where the previous plan's tables were read or looked for."""
    state = comparison_state(sources)
    if state == "primo":
        return ""
    previous = sources["piano_precedente"].iloc[0]
    if state == "assente":
        places = [f"`{p}`" for p in sources["percorso"]]
        return (
            f"Per il confronto con il piano precedente sono state cercate le tabelle elaborate del piano "
            f"«{previous}» in {join_it(places)}: non sono state trovate.\n"
        )
    first = sources["percorso"].iloc[0]
    where = f"dall'archivio `{first}`" if first.endswith(".tar.gz") else f"dalla cartella `{first.rsplit('/', 1)[0]}/`"
    return (
        f"Il confronto con il piano precedente usa le tabelle elaborate del piano «{previous}», lette {where}; "
        f"l'impronta sha256 di ogni file letto è in `{source_file}`.\n"
    )
