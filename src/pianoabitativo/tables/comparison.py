"""The comparison with the previous plan, as machine tables (confronto_*.csv).

- confronto_cifre_chiave: the two plans' years and key figures side by side, with the difference;
- confronto_enti: per owner, the units the previous plan foresaw as assignable (its g) against the units
  this plan reports as assigned in that year (its k);
- confronto_unita: per category b-f, the units listed in the previous plan that are listed again (in any
  category) and those no longer listed, and this plan's new units;
- confronto_fonte: where the previous plan's tables were looked for and read, with their sha256.

A first plan, or one whose previous tables were not found, has the tables with their header only
(and, when they were looked for, confronto_fonte says where).
"""

from __future__ import annotations

import pandas as pd

from .. import catalogue
from ..core.columntypes import empty_column
from ..core.errors import DataError, Problem
from .previous import NOT_FOUND, PreviousPlan, PreviousSources

READ, MISSING = catalogue.SOURCE_READ, catalogue.SOURCE_NOT_FOUND


def empty_table(name: str) -> pd.DataFrame:
    """A comparison table with its header only (and its columns' types)."""
    return pd.DataFrame({c: empty_column(k) for c, k in catalogue.processed_table(name).columns})


def _figure(frame: pd.DataFrame, key: str, file: str) -> int:
    values = dict(zip(frame["chiave"], frame["valore"]))
    if key not in values or str(values[key]).strip() == "":
        raise DataError(
            [
                Problem(
                    file,
                    f"cifra chiave «{key}» mancante",
                    column="chiave",
                    expected="una tabella cifre_chiave.csv completa",
                )
            ]
        )
    return int(str(values[key]))


def key_figures_comparison(
    previous: pd.DataFrame,
    current: pd.DataFrame,
    previous_year: int,
    year: int,
    previous_file: str = "cifre_chiave.csv (piano precedente)",
) -> pd.DataFrame:
    """confronto_cifre_chiave.csv: the years, then every compared key figure (catalogue order)."""
    rows = [(catalogue.YEAR_ROW, previous_year, year)]
    rows += [
        (f.key, _figure(previous, f.key, previous_file), _figure(current, f.key, "cifre_chiave.csv"))
        for f in catalogue.COMPARED_FIGURES
    ]
    frame = pd.DataFrame(rows, columns=["chiave", "precedente", "corrente"])
    frame["differenza"] = frame["corrente"] - frame["precedente"]
    return frame.astype({c: "int64" for c in ("precedente", "corrente", "differenza")})


def owners_comparison(previous_assignable: pd.DataFrame, assigned: pd.DataFrame) -> pd.DataFrame:
    """confronto_enti.csv: per owner of either table, units foreseen (previous g) and assigned (this k)."""
    foreseen = previous_assignable.groupby("ente_proprietario")["unita"].sum()
    done = assigned.groupby("ente_proprietario")["alloggi_assegnati"].sum()
    owners = sorted(set(foreseen.index) | set(done.index))
    frame = pd.DataFrame(
        {
            "ente_proprietario": owners,
            "previste": [int(foreseen.get(o, 0)) for o in owners],
            "assegnate": [int(done.get(o, 0)) for o in owners],
        }
    )
    frame["differenza"] = frame["assegnate"] - frame["previste"]
    frame["nel_piano_precedente"] = [o in foreseen.index for o in owners]
    frame["tra_le_assegnate"] = [o in done.index for o in owners]
    if frame.empty:
        return empty_table("confronto_enti")
    return frame.astype({"previste": "int64", "assegnate": "int64", "differenza": "int64"})


def units_comparison(previous_units: dict[str, pd.DataFrame], current_units: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """confronto_unita.csv: per listed category (b-f), units of the previous plan listed again or no longer,
    and this plan's units not in the previous plan; units matched on their code, in any category."""
    before = set().union(*(set(previous_units[c.table]["codice_unita"]) for c in catalogue.LISTED_CATEGORIES))
    now = set().union(*(set(current_units[c.table]["codice_unita"]) for c in catalogue.LISTED_CATEGORIES))
    rows = []
    for c in catalogue.LISTED_CATEGORIES:
        old, new = set(previous_units[c.table]["codice_unita"]), set(current_units[c.table]["codice_unita"])
        rows.append((c.code, len(old), len(new), len(old & now), len(old - now), len(new - before)))
    columns = [name for name, _ in catalogue.processed_table("confronto_unita").columns]
    return pd.DataFrame(rows, columns=columns).astype({c: "int64" for c in columns[1:]})


def sources_table(sources: PreviousSources, previous: PreviousPlan | None) -> pd.DataFrame:
    """confronto_fonte.csv: the files read (with sha256), or where the tables were looked for."""
    if previous is not None:
        rows = [(previous.plan, path, READ, digest) for path, digest in previous.read]
    elif sources.kind == NOT_FOUND:
        rows = [(sources.plan, path, MISSING, "") for path in sources.looked_for]
    else:
        return empty_table("confronto_fonte")
    return pd.DataFrame(rows, columns=["piano_precedente", "percorso", "esito", "sha256"])


def comparison_tables(
    sources: PreviousSources,
    previous: PreviousPlan | None,
    table: dict[str, pd.DataFrame],
    key_figures: pd.DataFrame,
    year: int,
) -> dict[str, pd.DataFrame]:
    """Every confronto_* table by name; table: this plan's processed tables as published."""
    frames = {t.name: empty_table(t.name) for t in catalogue.COMPARISON_TABLES}
    frames["confronto_fonte"] = sources_table(sources, previous)
    if previous is None:
        return frames
    frames["confronto_cifre_chiave"] = key_figures_comparison(
        previous.tables["cifre_chiave"], key_figures, previous.year, year, f"cifre_chiave.csv del piano {previous.plan}"
    )
    frames["confronto_enti"] = owners_comparison(previous.tables["g_assegnabili"], table["k_assegnate_anno_precedente"])
    frames["confronto_unita"] = units_comparison(previous.tables, table)
    return frames
