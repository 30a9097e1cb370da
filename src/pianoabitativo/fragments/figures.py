"""The document's figure lines, each with an alternative text written from the data it draws.

A figure line is Quarto's `![Caption](gen/fig_x.png){#fig-x width=70% fig-alt="..."}`, written as a
fragment so that the text a screen reader gives (HTML `alt`, DOCX `descr`, the PDF's /Alt) says
what the chart shows and its main figures, from the same processed tables the chart is drawn from;
the caption stays the figure's title.
"""

from __future__ import annotations

import pandas as pd

from ..catalogue import ABOVE_REGION, BELOW_PROVINCE, BETWEEN_AVERAGES, CATEGORIES, DENSITY_CLASSES
from ..core.formatting import format_int, format_number
from .wording import COMUNE, ENTE_PROPRIETARIO, UNITA, count

OTHERS_LISTED = 2  # owners named in the stock chart's text; the others as a range


def attribute_value(text: str) -> str:
    """A Markdown attribute value in double quotes (pandoc reads backslash escapes in it)."""
    return '"' + " ".join(str(text).split()).replace("\\", "\\\\").replace('"', '\\"') + '"'


def figure_line(caption: str, chart: str, label: str, width: str, alt: str) -> str:
    """`![caption](gen/fig_<chart>.png){#fig-<label> width=.. fig-alt=".."}` and a newline."""
    return f"![{caption}](gen/fig_{chart}.png){{#fig-{label} width={width} fig-alt={attribute_value(alt)}}}\n"


def _density(value: float) -> str:
    return f"{format_number(value)} ab/km²"


def density_map_alt(figures: dict, comuni: pd.DataFrame) -> str:
    """'Mappa dei 48 comuni dell'ambito colorati per densità di popolazione: 22 sotto la media provinciale
    (202,94 ab/km²), 17 tra le due medie, 9 sopra la media regionale (419,85 ab/km²); il più denso è
    Crema (992,58 ab/km²), il meno denso ...'."""
    n = len(comuni)
    by_class = comuni["classe_densita"].value_counts()
    averages = {
        BELOW_PROVINCE: f" ({_density(figures['densita_provincia'])})",
        BETWEEN_AVERAGES: "",
        ABOVE_REGION: f" ({_density(figures['densita_regione'])})",
    }
    parts = [
        f"{format_int(by_class.get(code, 0)) if by_class.get(code, 0) else 'nessuno'} {label}{averages[code]}"
        for code, label in DENSITY_CLASSES.items()
    ]
    if n == 0:
        return "Mappa dell'ambito: nessun comune con dati di densità."
    if n == 1:
        row = comuni.iloc[0]
        return (
            f"Mappa dell'unico comune dell'ambito, {row.comune}, colorato per densità di popolazione: "
            f"{_density(row.densita)}, {DENSITY_CLASSES[row.classe_densita]} (media provinciale "
            f"{_density(figures['densita_provincia'])}, regionale {_density(figures['densita_regione'])})."
        )
    ordered = comuni.sort_values(["densita", "comune"], ascending=[False, True])
    densest, sparsest = ordered.iloc[0], ordered.iloc[-1]
    return (
        f"Mappa dei {format_int(n)} comuni dell'ambito colorati per densità di popolazione: "
        f"{', '.join(parts)}; il più denso è {densest.comune} ({_density(densest.densita)}), "
        f"il meno denso {sparsest.comune} ({_density(sparsest.densita)})."
    )


def density_map_figure(figures: dict, comuni: pd.DataFrame) -> str:
    return figure_line(
        "Densità di popolazione dei comuni dell'ambito rispetto alle medie provinciale e regionale",
        "mappa_densita",
        "mappa",
        "70%",
        density_map_alt(figures, comuni),
    )


def subambiti_alt(subambiti: pd.DataFrame) -> str:
    """'Grafico a barre della popolazione residente e della densità dei 5 sub-ambiti: Pandino 36.016
    abitanti, 300,03 ab/km²; ...; il più popoloso è Pandino, il più denso Città di Crema (992,58 ab/km²).'"""
    ordered = subambiti.sort_values(["popolazione", "sub_ambito"], ascending=[False, True])
    rows = [
        f"{r.sub_ambito} ({count(r.n_comuni, COMUNE)}) {format_int(r.popolazione)} abitanti, {_density(r.densita)}"
        for r in ordered.itertuples()
    ]
    densest = subambiti.sort_values(["densita", "sub_ambito"], ascending=[False, True]).iloc[0]
    head = (
        f"Grafico a barre della popolazione residente e della densità dei {format_int(len(subambiti))} sub-ambiti"
        if len(subambiti) > 1
        else "Grafico a barre della popolazione e della densità dell'unico sub-ambito"
    )
    text = f"{head}: {'; '.join(rows)}"
    if len(subambiti) > 1:
        text += f"; il più popoloso è {ordered.iloc[0].sub_ambito}, il più denso {densest.sub_ambito}"
    return text + "."


def subambiti_figure(subambiti: pd.DataFrame) -> str:
    return figure_line(
        "Popolazione e densità per sub-ambito",
        "popolazione_densita_subambiti",
        "subambiti",
        "95%",
        subambiti_alt(subambiti),
    )


def stock_alt(stock: pd.DataFrame, sat: dict[str, int] | None = None) -> str:
    """'Grafico a barre degli alloggi SAP e SAS dei 24 enti proprietari, 1.500 unità in tutto: ALER ... 1.006
    (997 SAP e 9 SAS), Comune di Crema 358 (358 SAP e nessuno SAS); gli altri 22 enti da 2 a 58 unità ciascuno.'"""
    if stock.empty:
        return "Grafico a barre degli alloggi SAP e SAS per ente proprietario: nessun ente ha comunicato dati."
    ordered = stock.sort_values(["totale_unita", "ente_proprietario"], ascending=[False, True])
    listed = ordered if len(ordered) <= OTHERS_LISTED + 1 else ordered.iloc[:OTHERS_LISTED]
    named = [
        f"{r.ente_proprietario} {format_int(r.totale_unita)} ({format_int(r.alloggi_sap)} SAP e "
        f"{format_int(r.alloggi_sas)} SAS)"
        for r in listed.itertuples()
    ]
    services = "SAP e SAS"
    if sat is not None:  # the stock declares SAT (sat: owner -> units)
        services = "SAP, SAS e SAT"
        named = [
            f"{r.ente_proprietario} {format_int(r.totale_unita)} ({format_int(r.alloggi_sap)} SAP, "
            f"{format_int(r.alloggi_sas)} SAS e {format_int(sat.get(r.ente_proprietario, 0))} SAT)"
            for r in listed.itertuples()
        ]
    text = (
        f"Grafico a barre degli alloggi {services} di {count(len(stock), ENTE_PROPRIETARIO, words=True)}, "
        f"{count(int(stock['totale_unita'].sum()), UNITA)} in tutto: {'; '.join(named)}"
    )
    rest = ordered.iloc[len(listed) :]
    if not rest.empty:
        low, high = int(rest["totale_unita"].min()), int(rest["totale_unita"].max())
        span = (
            f"{format_int(low)} unità ciascuno" if low == high else f"da {format_int(low)} a {format_int(high)} unità"
        )
        text += f"; gli altri {format_int(len(rest))} enti {span}"
    return text + "."


def stock_figure(stock: pd.DataFrame, sat: dict[str, int] | None = None) -> str:
    services = "SAP e SAS" if sat is None else "SAP, SAS e SAT"
    return figure_line(
        f"Alloggi {services} per ente proprietario", "patrimonio_enti", "patrimonio", "80%", stock_alt(stock, sat)
    )


def assignable_alt(by_category: pd.DataFrame) -> str:
    """'Grafico a barre delle 75 unità assegnabili nell'anno in 20 comuni, per categoria: b) carenza manutentiva
    19, ...; il comune con più unità è Crema (30).'"""
    total = int(by_category["unita"].sum()) if not by_category.empty else 0
    if total == 0:
        return "Grafico a barre delle unità assegnabili nell'anno per comune e categoria: nessuna unità assegnabile."
    comune = by_category["comune"].fillna("").astype(str).str.strip()
    per_comune = by_category.assign(comune=comune).groupby("comune")["unita"].sum()
    known = per_comune.drop("", errors="ignore")
    categories = [
        f"{c.chart_label} {format_int(n)}"
        for c in CATEGORIES
        if (n := int(by_category.loc[by_category["categoria"] == c.code, "unita"].sum()))
    ]
    text = (
        f"Grafico a barre delle {format_int(total)} unità assegnabili nell'anno "
        if total > 1
        else "Grafico a barre dell'unica unità assegnabile nell'anno "
    )
    text += f"in {count(len(known), COMUNE)}, per categoria: {', '.join(categories)}"
    if per_comune.get("", 0):
        text += f"; {count(int(per_comune['']), UNITA)} senza comune indicato"
    if len(known) > 1:
        top = sorted(known.items(), key=lambda item: (-item[1], item[0]))[0]
        text += f"; il comune con più unità è {top[0]} ({format_int(top[1])})"
    return text + "."


def assignable_figure(by_category: pd.DataFrame) -> str:
    return figure_line(
        "Unità assegnabili nell'anno per comune e categoria",
        "assegnabili_comuni",
        "assegnabili",
        "95%",
        assignable_alt(by_category),
    )
