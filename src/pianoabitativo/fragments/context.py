"""Sentences about the plan's place in the regional programming, from the plan's own facts."""

from __future__ import annotations

import datetime as dt

from ..core.formatting import format_date_long


def programming_sentence(facts: dict, unconfirmed: frozenset = frozenset()) -> str:
    """The annual plan within the triennial one, or the transition year when there is none (plans/<plan>.yaml).

    In a draft whose triennial plan is unconfirmed (`unconfirmed`: internal keys) neither is stated: the
    sentence says what is to be verified; an unconfirmed deadline is printed marked.
    """
    year = int(facts["year"])
    next_deadline = format_date_long(dt.date.fromisoformat(facts["dates"]["next_plan_deadline"]))
    if "dates.next_plan_deadline" in unconfirmed:
        next_deadline = f"[da verificare: {next_deadline}]"
    triennial = facts.get("triennial_plan")
    if "triennial_plan" in unconfirmed:
        return (
            f"[da verificare: se per il {year} sia in vigore un Piano triennale dell'offerta abitativa, e quale.] "
            f"Il Piano annuale per il {year + 1} dovrà essere approvato entro il {next_deadline}.\n"
        )
    if not triennial:
        return (
            f"Per il {year} non è in vigore un Piano triennale: le indicazioni regionali considerano il {year} "
            "un anno di transizione, per il quale si approva il solo Piano annuale. Entro il "
            f"{next_deadline} dovrà essere approvato il Piano annuale per il {year + 1}, insieme alla "
            "programmazione ordinaria, articolata in Piano triennale e Piano annuale dell'offerta abitativa "
            "pubblica e sociale, entrambi predisposti dai comuni capofila e approvati dall'Assemblea dei "
            "Sindaci.\n"
        )
    first = int(triennial["first_year"])
    approved = format_date_long(dt.date.fromisoformat(triennial["approval"]))
    return (
        f"Il presente Piano annuale aggiorna per il {year} il Piano triennale {first}-{first + 2}, approvato "
        f"dall'Assemblea dei Sindaci il {approved}. Il Piano annuale per il {year + 1} dovrà essere "
        f"approvato entro il {next_deadline}.\n"
    )
