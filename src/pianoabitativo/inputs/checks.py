"""Cross-checks between the inputs, each with a declared severity.

An "errore" stops the plan; an "avviso" is printed in the plan's appendix
("Verifiche sui dati") and, where it concerns a table, next to that table.
Every check that ran is recorded, passed or not, with the rows involved.

A check of severity "errore" may also have findings that do not stop the plan (`warnings`:
e.g. a population supplied by a registered file instead of ISTAT's): the check then passes
with warnings and is recorded as an "avviso" with those rows.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from ..catalogue import SAP
from ..core.errors import Problem
from ..core.formatting import format_int
from ..core.services import service_of
from .load import Inputs
from .names import owner_comune
from .results import ERROR, WARNING, CheckResult, checks_frame, raise_on_errors  # noqa: F401 - re-exported
from .services import service_checks


def _at(inputs: Inputs, key: str, index: int, message: str, column: str | None = None) -> Problem:
    """A finding on one row of an input (column: the schema's name; printed as the file's header)."""
    table = inputs.tables[key]
    return Problem(
        table.file, message, row=table.rows[index], column=table.headers.get(column, column) if column else None
    )


def assignable_per_owner(units: pd.DataFrame, turnover: pd.DataFrame) -> pd.Series:
    """Units assignable in the year per owner: the listed units b-f plus the expected turnover."""
    listed = units.groupby("ente_proprietario").size()
    moving = turnover.groupby("ente_proprietario")["unita"].sum()
    total = listed.add(moving, fill_value=0).astype("int64")
    return total[total > 0]


def declared_vs_computed(frame: pd.DataFrame, declared: dict) -> list[tuple[str, int, int]]:
    """(column, declared, computed) for every declared total that differs from its rows' sum."""
    return [
        (column, int(value), int(frame[column].sum()))
        for column, value in declared.items()
        if column in frame and pd.api.types.is_numeric_dtype(frame[column]) and int(frame[column].sum()) != int(value)
    ]


def dwellings(n) -> str:
    return f"{format_int(n)} alloggio" if int(n) == 1 else f"{format_int(n)} alloggi"


def check_istat_codes(inputs: Inputs, config: dict) -> CheckResult:
    istat = dict(zip(inputs.frame("elenco_comuni")["codice_istat"], inputs.frame("elenco_comuni")["comune"]))
    comuni = inputs.frame("comuni_ambito")
    found = []
    for i, row in comuni.iterrows():
        if row.codice_istat not in istat:
            found.append(
                _at(
                    inputs,
                    "comuni_ambito",
                    i,
                    f"codice {row.codice_istat} ({row.comune}) assente dall'elenco ISTAT",
                    "codice_istat",
                )
            )
        elif istat[row.codice_istat] != row.comune:
            found.append(
                _at(
                    inputs,
                    "comuni_ambito",
                    i,
                    f"il codice {row.codice_istat} è «{istat[row.codice_istat]}» per l'ISTAT, non «{row.comune}»",
                    "comune",
                )
            )
    return CheckResult(
        "codici_istat", "Codici e nomi dei comuni dell'ambito coincidono con l'elenco ISTAT", ERROR, found
    )


def _dated_header_day(header: str | None) -> dt.date | None:
    """2018-01-01 for a header such as «population_2018_01_01»; None if it carries no (real) date."""
    found = re.search(r"(\d{4})_(\d{2})_(\d{2})$", header or "")
    try:
        return dt.date(*map(int, found.groups())) if found else None
    except ValueError:
        return None


def population_by_code(inputs: Inputs, column: str) -> dict[str, int | None]:
    """ISTAT code -> the population used: the supplied one (popolazione_integrazioni) where given, else ISTAT's."""
    population = inputs.frame("popolazione")
    istat = population[column] if column in population else pd.Series(pd.NA, index=population.index)
    used = {c: (None if pd.isna(v) else int(v)) for c, v in zip(population["codice_istat"], istat)}
    supplied = inputs.frame("popolazione_integrazioni")
    used.update({c: int(v) for c, v in zip(supplied["codice_istat"], supplied["popolazione"])})
    return used


POPULATION_RANGE = (1, 3_000_000)  # residents of one comune: at least one, at most more than Rome's


def _where(inputs: Inputs, key: str, code: str, column: str) -> str:
    """«file, riga N, colonna «X»» of a comune's row (by ISTAT code) in an input."""
    table = inputs.tables[key]
    codes = list(table.frame["codice_istat"])
    row = table.rows[codes.index(code)] if code in codes else None
    header = table.headers.get(column, column)
    return f"{table.file}" + (f", riga {row}" if row else "") + f", colonna «{header}»"


def check_population(inputs: Inputs, config: dict) -> CheckResult:
    column = config["istat"]["population_column"]
    reference = config["dates"]["population_reference"]
    population = inputs.frame("popolazione")
    comuni = inputs.frame("comuni_ambito")
    supplied = inputs.frame("popolazione_integrazioni")
    description = "La popolazione di ogni comune e il totale dell'ambito coincidono con il dato ISTAT"
    if (column not in population or population[column].isna().all()) and not set(comuni["codice_istat"]) <= set(
        supplied["codice_istat"]
    ):
        return CheckResult(
            "popolazione_istat",
            "Popolazione ISTAT disponibile per ogni comune",
            ERROR,
            [
                Problem(
                    inputs.tables["popolazione"].file,
                    f"la colonna «{column}» (popolazione al "
                    f"{reference}, date.riferimento_popolazione del file del piano) manca o è vuota",
                )
            ],
        )
    istat = dict(zip(population["codice_istat"], population[column])) if column in population else {}
    used = population_by_code(inputs, column)
    found, warnings = [], []
    district = set(comuni["codice_istat"])
    table = inputs.tables["popolazione_integrazioni"]
    for i, row in supplied.iterrows():
        value = istat.get(row.codice_istat)
        if row.codice_istat not in district:
            found.append(
                _at(
                    inputs,
                    "popolazione_integrazioni",
                    i,
                    f"il codice {row.codice_istat} ({row.comune}) non è un comune dell'ambito",
                    "codice_istat",
                )
            )
            continue
        was = (
            "assente dal file ISTAT"
            if value is None or pd.isna(value)
            else f"al posto di {format_int(value)} del file ISTAT"
        )
        note = f"; nota: {row.nota}" if row.nota else ""
        warnings.append(
            _at(
                inputs,
                "popolazione_integrazioni",
                i,
                f"{row.comune} ({row.codice_istat}): popolazione "
                f"{format_int(row.popolazione)} fornita da {table.file}, {was} («{column}»); "
                f"fonte: {row.fonte}{note}",
                "popolazione",
            )
        )
    file_header = inputs.tables["comuni_ambito"].headers.get("popolazione_file")
    file_day = _dated_header_day(file_header)
    compare = file_day is None or file_day.isoformat() == reference
    if not compare and comuni["popolazione_file"].notna().any():
        warnings.append(
            Problem(
                inputs.tables["comuni_ambito"].file,
                f"la colonna «{file_header}» è riferita al "
                f"{file_day.isoformat()}, la popolazione del piano al {reference}: non confrontata",
                column=file_header,
            )
        )
    supplied_codes = set(supplied["codice_istat"])
    for i, row in comuni.iterrows():
        value = used.get(row.codice_istat)
        if value is not None and not POPULATION_RANGE[0] <= value <= POPULATION_RANGE[1]:
            source = (
                _where(inputs, "popolazione_integrazioni", row.codice_istat, "popolazione")
                if row.codice_istat in supplied_codes
                else _where(inputs, "popolazione", row.codice_istat, column)
            )
            found.append(
                _at(
                    inputs,
                    "comuni_ambito",
                    i,
                    f"{row.comune} ({row.codice_istat}): popolazione di "
                    f"{format_int(value)} abitanti, non plausibile per un comune ({source})",
                    "popolazione_file" if pd.notna(row.popolazione_file) else "comune",
                )
            )
            continue
        if value is None:
            found.append(
                Problem(
                    inputs.tables["popolazione"].file,
                    f"{row.comune} ({row.codice_istat}): nessuna "
                    f"popolazione ISTAT in «{column}» (la si può fornire, con la fonte, nel file "
                    "registrato inputs.popolazione_integrazioni)",
                )
            )
        elif compare and pd.notna(row.popolazione_file) and int(row.popolazione_file) != value:
            source = (
                f"nel file ISTAT ({_where(inputs, 'popolazione', row.codice_istat, column)})"
                if row.codice_istat not in supplied_codes
                else f"in {_where(inputs, 'popolazione_integrazioni', row.codice_istat, 'popolazione')}"
            )
            found.append(
                _at(
                    inputs,
                    "comuni_ambito",
                    i,
                    f"{row.comune} ha {format_int(row.popolazione_file)} "
                    f"abitanti nell'elenco dell'ambito e {format_int(value)} {source}",
                    "popolazione_file",
                )
            )
    total = sum(used[c] for c in comuni["codice_istat"] if used.get(c) is not None)
    if compare and comuni["popolazione_file"].notna().all() and int(comuni["popolazione_file"].sum()) != total:
        found.append(
            Problem(
                inputs.tables["comuni_ambito"].file,
                f"totale dell'ambito "
                f"{format_int(comuni['popolazione_file'].sum())} contro {format_int(total)} dell'ISTAT",
            )
        )
    return CheckResult("popolazione_istat", description, ERROR, found, warnings)


def check_sub_ambiti(inputs: Inputs, config: dict) -> CheckResult:
    expected = config["ambito"].get("sub_ambiti") or []
    comuni = inputs.frame("comuni_ambito")
    file = inputs.tables["comuni_ambito"].file
    if not expected:  # an ambito without sub-ambiti: the comuni file names none
        found = [
            _at(
                inputs,
                "comuni_ambito",
                i,
                f"sub-ambito «{s}» indicato, ma il file del piano non prevede sub-ambiti (ambito.sub_ambiti)",
                "sub_ambito",
            )
            for i, s in comuni["sub_ambito"].items()
            if s
        ]
        return CheckResult("sub_ambiti", "L'ambito non ha sub-ambiti e nessun comune ne indica uno", ERROR, found)
    found = [
        _at(
            inputs,
            "comuni_ambito",
            i,
            f"{comuni.at[i, 'comune']}: sub-ambito mancante"
            if not s
            else f"sub-ambito «{s}» non previsto nel file del piano (ambito.sub_ambiti)",
            "sub_ambito",
        )
        for i, s in comuni["sub_ambito"].items()
        if s not in expected
    ]
    if "sub_ambito" not in inputs.tables["comuni_ambito"].headers:
        found = [
            Problem(
                file,
                "colonna dei sub-ambiti mancante",
                column="sub_ambito",
                expected="il sub-ambito di ogni comune (il file del piano elenca i sub-ambiti in ambito.sub_ambiti)",
            )
        ]
    counts = comuni["sub_ambito"].value_counts()
    found += [Problem(file, f"il sub-ambito «{s}» non ha comuni") for s in expected if counts.get(s, 0) == 0]
    counted = int(counts[[s for s in counts.index if s]].sum())
    if counted != len(comuni) and "sub_ambito" in inputs.tables["comuni_ambito"].headers:
        found.append(Problem(file, f"i comuni dei sub-ambiti sono {counted}, quelli dell'ambito {len(comuni)}"))
    return CheckResult(
        "sub_ambiti",
        "Ogni comune appartiene a uno dei sub-ambiti e i sub-ambiti comprendono tutti i comuni",
        ERROR,
        found,
    )


def check_boundaries(inputs: Inputs, config: dict) -> CheckResult:
    codes = {f.get("properties", {}).get("codice_istat") for f in inputs.boundaries.get("features", [])}
    district = set(inputs.frame("comuni_ambito")["codice_istat"])
    file = inputs.boundaries_file
    found = [Problem(file, f"manca il confine del comune {c}") for c in sorted(district - codes)]
    found += [
        Problem(file, f"confine di un comune estraneo all'ambito: {c}") for c in sorted(codes - district, key=str)
    ]
    return CheckResult("confini", "I confini coprono esattamente i comuni dell'ambito", ERROR, found)


def check_comuni_in_district(inputs: Inputs, config: dict) -> CheckResult:
    district = set(inputs.frame("comuni_ambito")["comune"])
    province = set(inputs.frame("elenco_comuni")["comune"])
    found = []
    for key in ("unita", "turnover", "assegnabili_dichiarate", "scelte_comunali", "servizi_transitori"):
        for i, name in inputs.frame(key)["comune"].items():
            if name and name not in district:
                where = "" if name in province else " (e non è nell'elenco ISTAT della provincia)"
                found.append(_at(inputs, key, i, f"«{name}» non è un comune dell'ambito{where}", "comune"))
    return CheckResult("comuni_ambito", "Le unità abitative e le scelte riguardano comuni dell'ambito", ERROR, found)


def check_owners_in_district(inputs: Inputs, config: dict) -> CheckResult:
    district = set(inputs.frame("comuni_ambito")["comune"])
    province = set(inputs.frame("elenco_comuni")["comune"])
    found = []
    for key in ("patrimonio", "unita", "assegnazioni"):
        for i, owner in inputs.frame(key)["ente_proprietario"].items():
            comune = owner_comune(owner)
            if comune and comune not in district:
                where = "" if comune in province else " (e non è nell'elenco ISTAT della provincia)"
                found.append(
                    _at(inputs, key, i, f"l'ente «{owner}» non è un comune dell'ambito{where}", "ente_proprietario")
                )
    return CheckResult("enti_ambito", "Gli enti proprietari comunali sono comuni dell'ambito", WARNING, found)


def check_declared_totals(inputs: Inputs, key: str, title: str) -> CheckResult:
    table = inputs.tables[key]
    found = [
        Problem(
            table.file,
            f"dichiarato {format_int(declared)}, somma delle righe {format_int(computed)}",
            row=table.total_row,
            column=table.headers.get(column, column),
        )
        for column, declared, computed in declared_vs_computed(table.frame, table.declared_totals)
    ]
    return CheckResult(
        f"totali_{key}", f"Il totale dichiarato della tabella «{title}» è la somma delle sue righe", WARNING, found
    )


def check_unique_unit_codes(inputs: Inputs, config: dict) -> CheckResult:
    """Recorded for the plan's appendix; the unita schema (unique codice_unita) already refuses duplicates."""
    units = inputs.frame("unita")
    dup = units[units.duplicated("codice_unita", keep=False)]
    found = [
        _at(inputs, "unita", i, f"codice {r.codice_unita} ripetuto (categoria {r.categoria})", "codice_unita")
        for i, r in dup.iterrows()
    ]
    return CheckResult(
        "codici_unita", "Ogni codice di unità compare una sola volta, in una sola categoria", ERROR, found
    )


def check_unit_owners_have_stock(inputs: Inputs, config: dict) -> CheckResult:
    owners = set(inputs.frame("patrimonio")["ente_proprietario"])
    found = []
    for key in ("unita", "turnover", "servizi_transitori"):
        for i, owner in inputs.frame(key)["ente_proprietario"].items():
            if owner not in owners:
                found.append(
                    _at(
                        inputs,
                        key,
                        i,
                        f"«{owner}» non ha patrimonio nella tabella a) ({inputs.tables['patrimonio'].file})",
                        "ente_proprietario",
                    )
                )
    return CheckResult(
        "unita_enti_con_patrimonio", "Ogni unità assegnabile appartiene a un ente con patrimonio", ERROR, found
    )


def check_units_within_stock(inputs: Inputs, config: dict) -> CheckResult:
    stock = dict(zip(inputs.frame("patrimonio")["ente_proprietario"], inputs.frame("patrimonio")["alloggi_sap"]))
    units, turnover = inputs.frame("unita"), inputs.frame("turnover")  # SAP units only (SAS: servizi_unita)
    per_owner = assignable_per_owner(units[service_of(units) == SAP], turnover[service_of(turnover) == SAP])
    file = inputs.tables["unita"].file
    found = [
        Problem(file, f"«{owner}»: {format_int(n)} unità assegnabili su {format_int(stock[owner])} alloggi SAP")
        for owner, n in per_owner.items()
        if owner in stock and n > stock[owner]
    ]
    return CheckResult(
        "assegnabili_entro_patrimonio",
        "Le unità assegnabili di ogni ente non superano i suoi alloggi SAP",
        WARNING,
        found,
    )


def check_assignments_have_stock(inputs: Inputs, config: dict) -> CheckResult:
    owners = set(inputs.frame("patrimonio")["ente_proprietario"])
    frame = inputs.frame("assegnazioni")
    found = [
        _at(
            inputs,
            "assegnazioni",
            i,
            f"«{owner}» ha assegnato {dwellings(frame.at[i, 'alloggi_assegnati'])} "
            "ma non ha patrimonio nella tabella a)",
            "ente_proprietario",
        )
        for i, owner in frame["ente_proprietario"].items()
        if owner not in owners
    ]
    return CheckResult(
        "assegnazioni_enti_con_patrimonio",
        "Gli enti che hanno assegnato alloggi nell'anno precedente hanno patrimonio",
        WARNING,
        found,
    )


def check_assignable_matches_declared(inputs: Inputs, config: dict) -> CheckResult:
    computed = assignable_per_owner(inputs.frame("unita"), inputs.frame("turnover"))
    declared = inputs.frame("assegnabili_dichiarate").groupby("ente_proprietario")["unita"].sum()
    file = inputs.tables["assegnabili_dichiarate"].file
    found = []
    for owner in sorted(set(computed.index) | set(declared.index)):
        c, d = int(computed.get(owner, 0)), int(declared.get(owner, 0))
        if c != d:
            found.append(
                Problem(file, f"«{owner}»: dichiarate {format_int(d)}, somma delle categorie b-f {format_int(c)}")
            )
    return CheckResult(
        "g_somma_b_f", "La tabella g) dichiarata è la somma delle unità b)-f) per ogni ente", WARNING, found
    )


def check_measures(inputs: Inputs, config: dict) -> CheckResult:
    """Adherents above the notice's own count stop the plan, and so does a notice counting fewer comuni than
    the ambito has today (a merger of comuni only makes an older count higher: a lower one is a mistake); a
    higher count is only a warning (a notice issued before a merger counted the comuni of that time)."""
    n_comuni = len(inputs.frame("comuni_ambito"))
    frame = inputs.frame("misure_avvisi")
    found, warnings = [], []
    for i, row in frame.iterrows():
        if row.comuni_ambito > n_comuni:
            warnings.append(
                _at(
                    inputs,
                    "misure_avvisi",
                    i,
                    f"l'avviso {row.avviso} conta {row.comuni_ambito} comuni "
                    f"dell'ambito, l'ambito ne ha oggi {n_comuni}: è il dato dell'avviso, anteriore a "
                    "un cambiamento dei comuni (es. una fusione); la tabella l) lo riporta com'è",
                    "comuni_ambito",
                )
            )
        elif row.comuni_ambito < n_comuni:
            at = _at(
                inputs,
                "misure_avvisi",
                i,
                f"l'avviso {row.avviso} conta {row.comuni_ambito} comuni "
                f"dell'ambito, meno dei {n_comuni} che l'ambito ha oggi (una fusione di comuni renderebbe il "
                "numero dell'avviso più alto, non più basso)",
                "comuni_ambito",
            )
            found.append(
                Problem(
                    at.file,
                    at.message,
                    row=at.row,
                    column=at.column,
                    expected=f"almeno {n_comuni}, il numero dei comuni dell'ambito",
                    found=str(row.comuni_ambito),
                )
            )
        if row.comuni_aderenti > row.comuni_ambito:
            found.append(
                _at(
                    inputs,
                    "misure_avvisi",
                    i,
                    f"{row.comuni_aderenti} comuni aderenti su {row.comuni_ambito}",
                    "comuni_aderenti",
                )
            )
    return CheckResult(
        "misure_comuni", "I comuni aderenti agli avvisi non superano i comuni dell'ambito", ERROR, found, warnings
    )


def check_reference_rows(inputs: Inputs, config: dict) -> CheckResult:
    found = []
    territories = set(inputs.frame("densita_riferimento")["territorio"])
    for name in (config["ambito"]["province"], config["ambito"]["region"]):
        if name not in territories:
            found.append(
                Problem(
                    inputs.tables["densita_riferimento"].file,
                    f"manca la riga «{name}»",
                    column=inputs.tables["densita_riferimento"].headers.get("territorio"),
                )
            )
    districts = {a.casefold() for a in inputs.frame("famiglie")["ambito"]}
    if config["ambito"]["short_name"].casefold() not in districts:
        found.append(
            Problem(
                inputs.tables["famiglie"].file,
                f"manca la riga «{config['ambito']['short_name']}»",
                column=inputs.tables["famiglie"].headers.get("ambito"),
            )
        )
    return CheckResult("riferimenti", "I dati di riferimento comprendono provincia, regione e ambito", ERROR, found)


def run_checks(inputs: Inputs, config: dict) -> list[CheckResult]:
    return [
        check_istat_codes(inputs, config),
        check_population(inputs, config),
        check_sub_ambiti(inputs, config),
        check_boundaries(inputs, config),
        check_comuni_in_district(inputs, config),
        check_owners_in_district(inputs, config),
        check_declared_totals(inputs, "patrimonio", "a) Consistenza del patrimonio"),
        check_declared_totals(inputs, "assegnabili_dichiarate", "g) Unità assegnabili"),
        check_declared_totals(inputs, "assegnazioni", "k) Unità assegnate nell'anno precedente"),
        check_unique_unit_codes(inputs, config),
        check_unit_owners_have_stock(inputs, config),
        check_units_within_stock(inputs, config),
        check_assignments_have_stock(inputs, config),
        check_assignable_matches_declared(inputs, config),
        check_measures(inputs, config),
        check_reference_rows(inputs, config),
        *service_checks(inputs, config),  # services SAP/SAS/SAT and per-comune choices, where the plan has them
    ]
