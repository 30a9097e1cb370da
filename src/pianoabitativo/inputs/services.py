"""Cross-checks of the housing services (SAP, SAS, SAT) and of the per-comune choices (issue 19).

Each check is recorded only for a plan whose inputs hold what it checks (a SAS unit, a choice of soglia or
categoria aggiuntiva, a SAT contingent): a plan laid out as in 2019 keeps the list of checks it had. The
plan's quota rule (plans/<plan>.yaml: quota_rounding, quota_base) is a fact the inputs require when a comune
sets a quota in percent: its absence stops the plan with the plan file's name, like any input problem.
"""

from __future__ import annotations

import pandas as pd

from .. import catalogue
from ..core.errors import Problem
from ..core.formatting import format_int, format_number
from ..core.services import owned_by_comune, service_of
from .cells import parse_integer, parse_number
from .load import Inputs
from .results import ERROR, WARNING, CheckResult

INDIGENCE_FLOOR = 20  # the regional share for households in indigence (art. 14 R.R. 4/2017); a comune sets more


def _at(inputs: Inputs, key: str, index: int, message: str, column: str | None = None) -> Problem:
    table = inputs.tables[key]
    return Problem(
        table.file, message, row=table.rows[index], column=table.headers.get(column, column) if column else None
    )


def _units(n: int) -> str:
    return f"{format_int(n)} unità"


def check_unit_services(inputs: Inputs, config: dict) -> CheckResult | None:
    """A SAS unit (listed or by turnover) belongs to an owner with SAS stock (errore), and an owner's SAS units
    assignable in the year do not exceed its SAS stock (avviso). None when no unit is SAS."""
    units, turnover = inputs.frame("unita"), inputs.frame("turnover")
    unit_service, turnover_service = service_of(units), service_of(turnover)
    if not ((unit_service == catalogue.SAS).any() or (turnover_service == catalogue.SAS).any()):
        return None
    stock = inputs.frame("patrimonio")
    sas_stock = dict(zip(stock["ente_proprietario"], stock["alloggi_sas"].fillna(0).astype(int)))
    found, warnings = [], []
    for key, services in (("unita", unit_service), ("turnover", turnover_service)):
        frame = inputs.frame(key)
        for i in frame.index[services == catalogue.SAS]:
            owner = frame.at[i, "ente_proprietario"]
            if owner in sas_stock and sas_stock[owner] == 0:
                found.append(
                    _at(
                        inputs,
                        key,
                        i,
                        f"unità SAS di «{owner}», che nella tabella a) non ha alloggi SAS "
                        f"({inputs.tables['patrimonio'].file})",
                        "servizio",
                    )
                )
    listed = units[unit_service == catalogue.SAS].groupby("ente_proprietario").size()
    moving = turnover[turnover_service == catalogue.SAS].groupby("ente_proprietario")["unita"].sum()
    per_owner = listed.add(moving, fill_value=0).astype("int64")
    for owner, n in per_owner.items():
        if sas_stock.get(owner, 0) and n > sas_stock[owner]:
            warnings.append(
                Problem(
                    inputs.tables["unita"].file,
                    f"«{owner}»: {_units(n)} SAS assegnabili su {format_int(sas_stock[owner])} alloggi SAS",
                )
            )
    return CheckResult(
        "servizi_unita", "Le unità SAS appartengono a enti con alloggi SAS e non li superano", ERROR, found, warnings
    )


def _own_sap_units(inputs: Inputs, comune: str) -> int:
    """The comune's own SAP units assignable in the year (listed b-f and by turnover)."""
    units, turnover = inputs.frame("unita"), inputs.frame("turnover")
    own = [owned_by_comune(o, comune) for o in units["ente_proprietario"]]
    listed = int(((service_of(units) == catalogue.SAP) & pd.Series(own, index=units.index, dtype=bool)).sum())
    own = pd.Series(
        [owned_by_comune(o, comune) for o in turnover["ente_proprietario"]], index=turnover.index, dtype=bool
    )
    moving = int(turnover.loc[own & (service_of(turnover) == catalogue.SAP), "unita"].sum())
    return listed + moving


def check_municipal_choices(inputs: Inputs, config: dict) -> CheckResult | None:
    """A further category comes with its motivation (avviso if not; a motivation without a category: errore);
    a soglia di indigenza is above 20% and applies to the comune's own SAP units only (avviso). None when no
    comune set a soglia or a further category."""
    choices = inputs.frame("scelte_comunali")
    kinds = {"soglia_indigenza_pct", "categoria_aggiuntiva", "categoria_aggiuntiva_motivazione"}
    if not choices["scelta"].isin(kinds).any():
        return None
    found, warnings = [], []
    by_comune = {c: set(group["scelta"]) for c, group in choices.groupby("comune")}
    for i, row in choices.iterrows():
        made = by_comune[row.comune]
        if row.scelta == "categoria_aggiuntiva_motivazione" and "categoria_aggiuntiva" not in made:
            found.append(
                _at(
                    inputs,
                    "scelte_comunali",
                    i,
                    f"{row.comune}: motivazione di una categoria aggiuntiva "
                    "che il comune non ha indicato (manca la riga «categoria_aggiuntiva»)",
                    "scelta",
                )
            )
        elif row.scelta == "categoria_aggiuntiva" and "categoria_aggiuntiva_motivazione" not in made:
            warnings.append(
                _at(
                    inputs,
                    "scelte_comunali",
                    i,
                    f"{row.comune}: categoria aggiuntiva «{row.valore}» "
                    "senza motivazione (riga «categoria_aggiuntiva_motivazione»)",
                    "valore",
                )
            )
        elif row.scelta == "soglia_indigenza_pct":
            share = parse_number(row.valore)
            if share <= INDIGENCE_FLOOR:
                warnings.append(
                    _at(
                        inputs,
                        "scelte_comunali",
                        i,
                        f"{row.comune}: soglia di indigenza del "
                        f"{format_number(share, 0 if share.is_integer() else 2)}%, non superiore al "
                        f"{INDIGENCE_FLOOR}% regionale",
                        "valore",
                    )
                )
            elif _own_sap_units(inputs, row.comune) == 0:
                warnings.append(
                    _at(
                        inputs,
                        "scelte_comunali",
                        i,
                        f"{row.comune}: la soglia di indigenza si applica "
                        "solo alle unità di proprietà del comune, e il Comune di "
                        f"{row.comune} non ha unità SAP assegnabili nell'anno",
                        "valore",
                    )
                )
    return CheckResult(
        "scelte_comuni", "Le scelte dei comuni sono motivate e si applicano alle loro unità", ERROR, found, warnings
    )


def check_transitional_contingent(inputs: Inputs, config: dict) -> CheckResult | None:
    """The SAT contingent per comune matches the comune's choice «unita_servizi_transitori» where both are given,
    and an owner's contingent does not exceed its SAT stock when the stock declares one (avvisi). None when
    the plan has no contingent."""
    contingent = inputs.frame("servizi_transitori")
    if contingent.empty:
        return None
    file = inputs.tables["servizi_transitori"].file
    warnings = []
    choices = inputs.frame("scelte_comunali")
    chosen = choices[choices["scelta"] == "unita_servizi_transitori"]
    per_comune = contingent.groupby("comune")["unita"].sum()
    for i, row in chosen.iterrows():
        declared, listed = parse_integer(row.valore), int(per_comune.get(row.comune, 0))
        if declared != listed:
            warnings.append(
                _at(
                    inputs,
                    "scelte_comunali",
                    i,
                    f"{row.comune}: {_units(declared)} per i servizi "
                    f"transitori tra le scelte, {_units(listed)} nel contingente ({file})",
                    "valore",
                )
            )
    stock = inputs.frame("patrimonio")
    if stock["alloggi_sat"].notna().any():
        sat = dict(zip(stock["ente_proprietario"], stock["alloggi_sat"].fillna(0).astype(int)))
        for owner, n in contingent.groupby("ente_proprietario")["unita"].sum().items():
            if owner in sat and n > sat[owner]:
                warnings.append(
                    Problem(
                        file,
                        f"«{owner}»: contingente di {_units(n)} su {format_int(sat[owner])} "
                        "alloggi SAT della tabella a)",
                    )
                )
    return CheckResult(
        "contingente_sat",
        "Il contingente dei servizi abitativi transitori concorda con le scelte dei comuni e con il patrimonio SAT",
        WARNING,
        [],
        warnings,
    )


def service_checks(inputs: Inputs, config: dict) -> list[CheckResult]:
    """The checks of this module that apply to the plan's inputs."""
    results = [
        check_unit_services(inputs, config),
        check_municipal_choices(inputs, config),
        check_transitional_contingent(inputs, config),
    ]
    return [r for r in results if r is not None]
