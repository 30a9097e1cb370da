"""Fragments of the housing services (SAP, SAS, SAT) and of the per-comune choices (issue 19).

Every fragment here is empty, or leaves the 2019 fragment as it was, when the plan has no such data: a SAS
unit, a SAT stock or contingent, a comune's choice under a stated quota rule. So a plan laid out as in 2019
(the reference plan) keeps its documents byte for byte, and a plan of today shows the new tables.
"""

from __future__ import annotations

import pandas as pd

from .. import catalogue
from ..core.formatting import format_int, format_number
from ..core.services import sat_stock  # noqa: F401 - the fragments' door to it
from .housing import assignable_fragment, assignable_sentence
from .markdown import LEFT, RIGHT, bold, join_it, owner_comune_units_table, pipe_table
from .wording import COMUNE, ENTE_PROPRIETARIO, UNITA, agree, count

SAP, SAS, SAT = catalogue.SAP, catalogue.SAS, catalogue.SAT
NOT_LOCATED = "non indicato"


def has_sas(units: pd.DataFrame, turnover: pd.DataFrame) -> bool:
    """Does the plan have SAS units (listed or by turnover)? units: unita_servizi, turnover: e_turnover_servizi."""
    return bool((units["servizio"] == SAS).any() or ((turnover["servizio"] == SAS) & (turnover["unita"] > 0)).any())


# --- what the 2019 fragments take from the services (catalogue.FRAGMENT_VALUES) --------------------------


def sat_total(sat: dict[str, int] | None) -> int | None:
    """The SAT units of the stock (sat_stock), None when it declares none."""
    return None if sat is None else sum(sat.values())


def unit_services(units: pd.DataFrame, sas: bool) -> dict[str, str] | None:
    """Unit code -> SAP or SAS (unita_servizi) when the plan has SAS units: the unit tables show the service."""
    return dict(zip(units["codice_unita"], units["servizio"])) if sas else None


def turnover_shown_by_service(turnover: pd.DataFrame, sas: bool) -> pd.DataFrame | None:
    """e_turnover_servizi when the turnover table shows it (SAS units, or units released by the Forze di
    Polizia and VVF); None: the table as in 2019."""
    return turnover if sas or bool(turnover["forze_polizia_vvf"].sum()) else None


def quota_units_by_comune(per_comune: pd.DataFrame) -> dict[str, int]:
    """Comune -> its quota for the Forze di Polizia and VVF in units (h_i_scelte_per_comune), where converted."""
    return {
        r.comune: int(r.quota_forze_polizia_vvf_unita)
        for r in per_comune.itertuples()
        if pd.notna(r.quota_forze_polizia_vvf_unita)
    }


def by_service_phrase(counts: dict[str, int]) -> str:
    """'3 SAP e 2 SAS', 'tutte SAP' is left to the caller: the services with units, in the catalogue's order."""
    return join_it([f"{format_int(n)} {s}" for s, n in counts.items() if n]) if any(counts.values()) else ""


def service_counts(frame: pd.DataFrame, column: str = "unita") -> dict[str, int]:
    """Service -> units of a table with a «servizio» column (rows counted when `column` is None)."""
    return {
        s: int(
            len(frame[frame["servizio"] == s]) if column is None else frame.loc[frame["servizio"] == s, column].sum()
        )
        for s in catalogue.UNIT_SERVICES
    }


# --- g) by owner and service, units by comune and service ---------------------------------------------


def assignable_service_sentence(by_service: pd.DataFrame, year: int) -> str:
    """g) with SAS units: how many assignable units, of which SAP and SAS, of how many owners."""
    n = int(by_service["unita"].sum())
    owners = by_service["ente_proprietario"].nunique()
    counts = service_counts(by_service)
    verb = agree(n, "sarà prevedibilmente assegnabile", "saranno prevedibilmente assegnabili")
    of = f"di {count(owners, ENTE_PROPRIETARIO)}" if owners > 1 else "di un solo ente proprietario"
    return (
        f"Sommando le unità delle lettere da b a f, nel {year} {verb} {count(n, UNITA)}, "
        f"{agree(n, 'destinata', 'destinate')} a SAP o a SAS ({by_service_phrase(counts)}), {of} "
        "(@tbl-assegnabili). La @fig-assegnabili le distribuisce per comune e per categoria.\n"
    )


def assignable_sentence_by_service(figures: dict, by_service: pd.DataFrame, sas: bool, year: int) -> str:
    """g): with SAS units, of which SAP and SAS; otherwise the sentence of 2019 (housing.assignable_sentence)."""
    return assignable_service_sentence(by_service, year) if sas else assignable_sentence(figures, year)


def assignable_fragment_by_service(assignable: pd.DataFrame, by_service: pd.DataFrame, sas: bool) -> str:
    """Table g: by owner and service with SAS units; otherwise as in 2019 (housing.assignable_fragment)."""
    return assignable_service_fragment(by_service) if sas else assignable_fragment(assignable)


def _service_columns(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    wide = frame.pivot_table(index=keys, columns="servizio", values="unita", aggfunc="sum", fill_value=0)
    for service in catalogue.UNIT_SERVICES:
        if service not in wide:
            wide[service] = 0
    wide = wide[list(catalogue.UNIT_SERVICES)].astype(int)
    wide["totale"] = wide.sum(axis=1)
    return wide.reset_index()


def assignable_service_fragment(by_service: pd.DataFrame) -> str:
    """Table g by owner and service, with its totals: the comune when the owner's units are in one."""
    rows = []
    for owner, group in by_service.groupby("ente_proprietario", sort=True):
        comuni = sorted(set(group["comune"]))
        place = comuni[0] if len(comuni) == 1 and comuni[0] else ("più comuni" if len(comuni) > 1 else NOT_LOCATED)
        counts = service_counts(group)
        rows.append(
            [owner, place, *(format_int(counts[s]) for s in catalogue.UNIT_SERVICES), format_int(sum(counts.values()))]
        )
    totals = service_counts(by_service)
    rows.append(
        [
            bold("Totale"),
            "",
            *(bold(format_int(totals[s])) for s in catalogue.UNIT_SERVICES),
            bold(format_int(sum(totals.values()))),
        ]
    )
    return pipe_table(
        ["Ente proprietario", "Comune", *(f"Unità {s}" for s in catalogue.UNIT_SERVICES), "Totale"],
        rows,
        [LEFT, LEFT, RIGHT, RIGHT, RIGHT],
        "Unità abitative destinate a SAP e a SAS che prevedibilmente saranno assegnabili nell'anno, "
        "per ente proprietario e servizio (somma delle lettere da b a f)",
        "assegnabili",
    )


def comuni_service_section(by_service: pd.DataFrame, sas: bool) -> str:
    """The units assignable in the year by comune and service; '' when the plan has no SAS unit."""
    if not sas:
        return ""
    wide = _service_columns(by_service.assign(comune=by_service["comune"].replace("", NOT_LOCATED)), ["comune"])
    located = wide[wide["comune"] != NOT_LOCATED]
    n = len(located)
    rows = [
        [r.comune, *(format_int(getattr(r, s)) for s in catalogue.UNIT_SERVICES), format_int(r.totale)]
        for r in pd.concat([located, wide[wide["comune"] == NOT_LOCATED]]).itertuples()
    ]
    totals = service_counts(by_service)
    rows.append(
        [
            bold("Totale"),
            *(bold(format_int(totals[s])) for s in catalogue.UNIT_SERVICES),
            bold(format_int(sum(totals.values()))),
        ]
    )
    lead = (
        f"Le unità assegnabili nell'anno si trovano in {count(n, COMUNE)}; la @tbl-assegnabili-comuni le "
        "riporta per comune e per servizio."
    )
    if (wide["comune"] == NOT_LOCATED).any():
        lead += (
            " Le unità in avvicendamento per le quali la piattaforma non indica il comune figurano come «non indicato»."
        )
    return (
        lead
        + "\n\n"
        + pipe_table(
            ["Comune", *(f"Unità {s}" for s in catalogue.UNIT_SERVICES), "Totale"],
            rows,
            [LEFT, RIGHT, RIGHT, RIGHT],
            "Unità abitative assegnabili nell'anno per comune e servizio",
            "assegnabili-comuni",
        )
    )


# --- per-comune choices: soglia, quota in percent and in units, further category ------------------------


def _percent(value) -> str:
    """10 -> '10%', 7.5 -> '7,5%', 12.25 -> '12,25%'."""
    number = float(value)
    decimals = 0 if number.is_integer() else (1 if round(number, 1) == number else 2)
    return format_number(number, decimals) + "%"


def rule_sentence(rounding: str, base: str, proposed: bool = False) -> str:
    """The plan's quota rule in words; a rule the plan file does not state is printed as a proposal."""
    rule = f"arrotondando {catalogue.QUOTA_ROUNDINGS[rounding]}"
    if proposed:
        rule = f"[da verificare: {rule}, regola proposta che il piano non ha ancora fissato]"
    return (
        f"Le quote riservate alle Forze di Polizia e al Corpo Nazionale dei Vigili del Fuoco sono fissate da "
        f"ciascun comune in percentuale delle {catalogue.QUOTA_BASES[base]}; il piano le converte in numero di "
        f"unità {rule}. La soglia per i nuclei in condizione di "
        "indigenza superiore al 20% si applica alle sole unità di proprietà del comune."
    )


def choices_section(per_comune: pd.DataFrame, rounding: str | None, base: str | None, proposed: bool = False) -> str:
    """The comuni's choices, one row per comune, with the rule that turns a quota into units; '' when no comune
    made a choice or the plan states its quotas in percent only (as in 2019: the sentences say it all)."""
    if per_comune.empty or rounding == catalogue.QUOTA_PERCENT_ONLY:
        return ""
    n = len(per_comune)
    lead = (
        f"{agree(n, 'Un solo comune ha', f'{format_int(n)} comuni hanno')} compiuto per l'anno almeno una delle "
        "scelte che la norma rimette ai comuni (@tbl-scelte-comuni)."
    )
    if per_comune["quota_forze_polizia_vvf_pct"].notna().any() and rounding in catalogue.QUOTA_ROUNDINGS:
        lead += " " + rule_sentence(rounding, base, proposed)
    rows = []
    for r in per_comune.itertuples():
        has_quota = pd.notna(r.quota_forze_polizia_vvf_pct)
        rows.append(
            [
                r.comune,
                _percent(r.soglia_indigenza_pct) if pd.notna(r.soglia_indigenza_pct) else "–",
                format_int(r.unita_proprie_sap) if pd.notna(r.soglia_indigenza_pct) else "–",
                _percent(r.quota_forze_polizia_vvf_pct) if has_quota else "–",
                format_int(r.quota_base_unita) if has_quota and pd.notna(r.quota_base_unita) else "–",
                format_int(r.quota_forze_polizia_vvf_unita)
                if has_quota and pd.notna(r.quota_forze_polizia_vvf_unita)
                else "–",
                r.categoria_aggiuntiva or "–",
            ]
        )
    table = pipe_table(
        [
            "Comune",
            "Soglia indigenza",
            "Unità proprie SAP",
            "Quota Forze di Polizia e VVF",
            "Base (unità)",
            "Quota (unità)",
            "Categoria aggiuntiva",
        ],
        rows,
        [LEFT, RIGHT, RIGHT, RIGHT, RIGHT, RIGHT, LEFT],
        "Scelte dei comuni: soglia per i nuclei in condizione di indigenza, quota per le Forze di "
        "Polizia e i Vigili del Fuoco in percentuale e in unità, categoria aggiuntiva",
        "scelte-comuni",
    )
    motivated = per_comune[per_comune["categoria_aggiuntiva"] != ""]
    notes = ""
    if len(motivated):
        items = "\n".join(
            f"- **{r.comune}**, «{r.categoria_aggiuntiva}»: "
            + (r.categoria_aggiuntiva_motivazione or "motivazione non indicata")
            + "."
            for r in motivated.itertuples()
        )
        head = (
            "La motivazione della categoria aggiuntiva è:"
            if len(motivated) == 1
            else "Le motivazioni delle categorie aggiuntive sono:"
        )
        notes = f"\n{head}\n\n{items}\n"
    return lead + "\n\n" + table + notes


# --- j) the SAT contingent ------------------------------------------------------------------------------


def plan_choices_section(per_comune: pd.DataFrame, facts: dict) -> str:
    """choices_section with the plan's quota rule, marked as proposed when the plan states none or the rule
    is among its facts to verify."""
    rounding, base, proposed = catalogue.quota_rule(facts)
    proposed = proposed or any(e["fact"] == "quota_rounding" for e in facts.get("unconfirmed") or [])
    return choices_section(per_comune, rounding, base, proposed)


def contingent_section(contingent: pd.DataFrame) -> str:
    """The SAT contingent per owner and comune with its total; '' when the plan has none."""
    if contingent.empty or int(contingent["unita"].sum()) == 0:
        return ""
    n = int(contingent["unita"].sum())
    owners = contingent["ente_proprietario"].nunique()
    comuni = contingent.loc[contingent["comune"] != "", "comune"].nunique()
    of = f"di {count(owners, ENTE_PROPRIETARIO)}" if owners > 1 else "di un solo ente proprietario"
    verb = agree(n, "è destinata", "sono destinate")
    lead = (
        f"Ai servizi abitativi transitori {verb} {count(n, UNITA)}, {of}, in {count(comuni, COMUNE)} (@tbl-transitori)."
    )
    caption = "Contingente di unità abitative da destinare ai servizi abitativi transitori (SAT)"
    return lead + "\n\n" + owner_comune_units_table(contingent, caption, "transitori")


# --- e) turnover by service ------------------------------------------------------------------------------


def turnover_service_fragment(turnover: pd.DataFrame, caption: str, label: str) -> str:
    """e) turnover with the service and the units released by the Forze di Polizia and VVF."""
    n = int(turnover["unita"].sum())
    released = int(turnover["forze_polizia_vvf"].sum())
    lead = (
        f"Nell'ambito se ne prevede una (@tbl-{label})."
        if n == 1
        else f"Nell'ambito se ne prevedono {format_int(n)} (@tbl-{label})."
    )
    if released:
        who = (
            "Sarà rilasciata"
            if n == 1
            else f"Di queste, {agree(released, 'una sarà rilasciata', f'{format_int(released)} saranno rilasciate')}"
        )
        lead += f" {who} da appartenenti alle Forze di Polizia o al Corpo Nazionale dei Vigili del Fuoco."
    rows = [
        [r.ente_proprietario, r.comune or NOT_LOCATED, r.servizio, format_int(r.unita), format_int(r.forze_polizia_vvf)]
        for r in turnover.itertuples()
    ]
    rows.append([bold("Totale"), "", "", bold(format_int(n)), bold(format_int(released))])
    return (
        lead
        + "\n\n"
        + pipe_table(
            ["Ente proprietario", "Comune", "Servizio", "Unità", "di cui rilasciate da Forze di Polizia e VVF"],
            rows,
            [LEFT, LEFT, LEFT, RIGHT, RIGHT],
            caption,
            label,
        )
    )
