"""Fragments of the demographic analysis: density against the averages, households, sub-ambiti, comuni."""

from __future__ import annotations

import pandas as pd

from ..catalogue import DENSITY_CLASSES, district_key
from ..core.formatting import format_int, format_number, format_percent
from .figures import subambiti_figure
from .markdown import LEFT, RIGHT, bold, join_it, pipe_table
from .wording import AGGREGAZIONE, COMUNE, agree, compare, count, density_against_averages


def density_paragraphs(figures: dict, comuni: pd.DataFrame, short_name: str, date_text: str) -> str:
    """Population, area and density against the averages; then how many comuni fall in each density class."""
    n = int(figures["n_comuni"])
    first = (
        f"L'ambito {short_name} riunisce {count(n, COMUNE)}, nei quali al {date_text} "
        f"{agree(figures['popolazione'], 'risiedeva', 'risiedevano')} {format_int(figures['popolazione'])} "
        f"{agree(figures['popolazione'], 'abitante', 'abitanti')}. Il territorio misura "
        f"{format_number(figures['superficie_km2'])} km², con una densità di {format_number(figures['densita'])} "
        f"abitanti per km²: "
        f"{density_against_averages(figures['densita'], figures['densita_provincia'], figures['densita_regione'])}."
    )
    return first + "\n\n" + density_classes_sentence(figures, comuni) + "\n"


def density_classes_sentence(figures: dict, comuni: pd.DataFrame) -> str:
    """How many comuni are below the provincial average, how many reach or pass it, and of these above the regional."""
    n = int(figures["n_comuni"])
    below = int(figures["n_comuni_sotto_media_provinciale"])
    above = int(figures["n_comuni_sopra_media_provinciale"])
    above_region = int(figures["n_comuni_sopra_media_regionale"])
    reaching = (
        "la raggiunge o la supera"
        if any(compare(d, figures["densita_provincia"]) == 0 for d in comuni["densita"])
        else "la supera"
    )
    classes_present = sum(1 for k in (below, above - above_region, above_region) if k)
    lead = "L'urbanizzazione del territorio è disomogenea. " if classes_present > 1 else ""
    if above == 0:
        return (
            lead
            + (f"In tutti i {format_int(n)} comuni" if n > 1 else "Nell'unico comune dell'ambito")
            + " la densità è inferiore alla media provinciale (@fig-mappa)."
        )
    if below == 0:
        head = (
            (f"In tutti i {format_int(n)} comuni la densità " if n > 1 else "Nell'unico comune la densità ")
            + ("raggiunge o supera" if reaching != "la supera" else "supera")
            + " la media provinciale"
        )
        return lead + head + _of_these(above, above_region) + " (@fig-mappa)."
    head = f"In {count(below, COMUNE, words=below == 1)} la densità è inferiore alla media provinciale; " + (
        f"negli altri {format_int(above)} {reaching}" if above > 1 else f"nell'altro {reaching}"
    )
    return lead + head + _of_these(above, above_region) + " (@fig-mappa)."


def _of_these(above: int, above_region: int) -> str:
    """', e in K di questi supera anche la media regionale' with the right words for 0, 1, all and K."""
    if above_region == 0:
        return (
            ", ma in nessuno di questi supera la media regionale" if above > 1 else ", ma non supera la media regionale"
        )
    if above_region == above:
        return ", e in tutti supera anche la media regionale" if above > 1 else ", e supera anche la media regionale"
    which = "uno" if above_region == 1 else format_int(above_region)
    return f", e in {which} di questi supera anche la media regionale"


def households_paragraph(figures: dict, short_name: str, date_text: str) -> str:
    """The households of the province per district (the plan's own first), and the average household size."""
    own = district_key(short_name)
    reserved = {"provincia", "ambito"}
    districts = [
        k.removeprefix("famiglie_")
        for k in figures
        if k.startswith("famiglie_") and k.removeprefix("famiglie_") not in reserved
    ]
    districts = [own] + sorted(d for d in districts if d != own)  # the others in alphabetical order
    total = int(figures["famiglie_provincia"])

    def share(key: str) -> str:
        return (
            f"{format_int(figures[f'famiglie_{key}'])} nell'ambito {key.replace('_', ' ')} "
            f"({format_percent(figures[f'quota_famiglie_{key}'])})"
        )

    text = (
        f"**Famiglie.** Sui nuclei familiari sono disponibili, al {date_text}, soltanto il numero e la "
        "dimensione media. "
    )
    if len(districts) == 1:
        text += f"Nell'ambito {own.replace('_', ' ')} si contano {format_int(total)} famiglie."
    else:
        text += f"In provincia si contano {format_int(total)} famiglie: {join_it([share(d) for d in districts])}."
    low, high = figures["componenti_medi_min"], figures["componenti_medi_max"]
    if compare(low, high) == 0:
        text += f" Il numero medio di componenti per famiglia è {format_number(low)} in tutto il territorio."
    else:
        text += (
            f" Il numero medio di componenti per famiglia va da un minimo di {format_number(low)} "
            f"a un massimo di {format_number(high)}."
        )
    return text + "\n"


def has_subambiti(subambiti: pd.DataFrame) -> bool:
    return not subambiti.empty


def subambiti_section(subambiti: pd.DataFrame, figures: dict, date_text: str) -> str:
    """The sub-ambiti paragraph, table and chart; '' when the ambito has no sub-ambiti."""
    if not has_subambiti(subambiti):
        return ""
    n = len(subambiti)
    groups = (
        f"in {count(n, AGGREGAZIONE)}, i sub-ambiti"
        if n > 1
        else "in un'unica aggregazione territoriale, un solo sub-ambito"
    )
    text = (
        f"Per il lavoro sociale territoriale e di comunità i comuni e i loro servizi sociali sono organizzati "
        f"{groups} (@tbl-subambiti e @fig-subambiti). I totali dei sub-ambiti sono calcolati sommando i dati "
        "dei singoli comuni, riportati in appendice (@tbl-comuni).\n\n"
    )
    text += subambiti_fragment(subambiti, figures, date_text)
    return text + "\n" + subambiti_figure(subambiti)


def subambiti_fragment(subambiti: pd.DataFrame, figures: dict, date_text: str) -> str:
    rows = [
        [
            r.sub_ambito,
            format_int(r.n_comuni),
            format_int(r.popolazione),
            format_number(r.superficie_km2),
            format_number(r.densita),
        ]
        for r in subambiti.itertuples()
    ]
    rows.append(
        [
            bold("Totale"),
            bold(format_int(figures["n_comuni"])),
            bold(format_int(figures["popolazione"])),
            bold(format_number(figures["superficie_km2"])),
            bold(format_number(figures["densita"])),
        ]
    )
    return pipe_table(
        ["Sub-ambito", "Numero comuni", "Popolazione", "Superficie (km²)", "Densità (ab/km²)"],
        rows,
        [LEFT, RIGHT, RIGHT, RIGHT, RIGHT],
        f"Comuni, popolazione residente al {date_text}, superficie e densità per sub-ambito",
        "subambiti",
    )


def comuni_fragment(comuni: pd.DataFrame, date_text: str) -> str:
    """The appendix table of the comuni; without the Sub-ambito column when the ambito has none."""
    with_subambiti = bool(comuni["sub_ambito"].fillna("").astype(str).str.strip().ne("").any())
    ordered = comuni.sort_values(["sub_ambito", "comune"] if with_subambiti else ["comune"])
    headers = [
        "Comune",
        "Codice ISTAT",
        "Sub-ambito",
        "Popolazione",
        "Superficie (km²)",
        "Densità (ab/km²)",
        "Rispetto alle medie",
    ]
    aligns = [LEFT, LEFT, LEFT, RIGHT, RIGHT, RIGHT, LEFT]
    rows = [
        [
            r.comune,
            r.codice_istat,
            r.sub_ambito,
            format_int(r.popolazione),
            format_number(r.superficie_km2),
            format_number(r.densita),
            DENSITY_CLASSES[r.classe_densita],
        ]
        for r in ordered.itertuples()
    ]
    if not with_subambiti:
        headers, aligns = headers[:2] + headers[3:], aligns[:2] + aligns[3:]
        rows = [row[:2] + row[3:] for row in rows]
    return pipe_table(
        headers, rows, aligns, f"I comuni dell'ambito: popolazione al {date_text}, superficie e densità", "comuni"
    )
