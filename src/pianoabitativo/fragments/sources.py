"""«Fonti dei dati»: where the plan's data come from, said from the data register, true for any ambito.

Each input of the plan (plans/<plan>.yaml, `inputs` and `boundaries`) is named by what it holds
(catalogue.INPUT_LABELS) with its register row: the source as the plan cites it («fonte_breve», else
«fonte»), the reference date and the reliability («affidabilita», with the columns that differ). Inputs
that share all three are said together, in the order of the plan's inputs.
"""

from __future__ import annotations

from .. import catalogue
from ..core.formatting import format_date_short
from ..inputs.register import CERTAINTY, parse_certainty, reference_day
from .markdown import join_it

# a column a register row judges apart, as the document names it (else «colonna «name»»)
COLUMN_LABELS = {
    "sub_ambito": "l'appartenenza ai sub-ambiti",
    "area_km2": "le superfici",
    "superficie_km2": "le superfici",
}


def input_files(facts: dict) -> list[tuple[str, str]]:
    """(input key, file relative to the raw folder) in the order of the plan's facts, boundaries last."""
    files = []
    for key, entry in (facts.get("inputs") or {}).items():
        files.append((key, entry["file"] if isinstance(entry, dict) else str(entry)))
    if (facts.get("boundaries") or {}).get("file"):
        files.append(("boundaries", str(facts["boundaries"]["file"])))
    return files


def reliability(text: str) -> str:
    """The «affidabilita» cell as the document says it of the data: «verificati sulla fonte; per
    l'appartenenza ai sub-ambiti il dato è ricostruito, …»; empty when the cell is not understood (then
    nothing is claimed)."""
    judged = parse_certainty(text)
    if judged is None:
        return ""
    parts = [CERTAINTY[judged.value][1]]
    for column, value in judged.columns.items():
        parts.append(f"per {COLUMN_LABELS.get(column, f'la colonna «{column}»')} il dato è {CERTAINTY[value][2]}")
    return "; ".join(parts)


def source_groups(rows: list[dict], facts: dict) -> list[tuple[list[str], str, str, str]]:
    """[(labels, source, reference date, reliability)] for the plan's inputs, those that share the last
    three together; an input without a register row is left out (the inputs stage refuses it anyway)."""
    by_file = {row["file"].strip(): row for row in rows}
    labels = dict(catalogue.INPUT_LABELS)
    if (facts.get("ambito") or {}).get("sub_ambiti"):
        labels["comuni_ambito"] = "comuni dell'ambito, sub-ambiti e superfici"
    groups: dict[tuple[str, str, str], list[str]] = {}
    for key, name in input_files(facts):
        row = by_file.get(name)
        if row is None:
            continue
        source = (row.get("short_source") or "").strip() or row["source"].strip()
        day = reference_day(row["reference_date"])
        date = format_date_short(day) if day else row["reference_date"].strip()
        label = labels.get(key, row.get("description", "").strip() or name)
        groups.setdefault((source, date, reliability(row["certainty"])), []).append(label)
    return [(labels_, *key) for key, labels_ in groups.items()]


def sources_fragment(rows: list[dict], facts: dict, register_path: str) -> str:
    """The appendix «Fonti dei dati»: the register named by its path, then one line per group of inputs."""
    lines = [
        f"I dati del piano provengono dai file elencati nel registro dei dati (`{register_path}`), che "
        "indica per ogni file la fonte, la data di riferimento, come è stato ottenuto, quanto è affidabile, "
        "la licenza e l'impronta sha256. In sintesi, per ciascun tipo di dati:",
        "",
    ]
    for labels, source, date, judged in source_groups(rows, facts):
        label = join_it(labels)
        facts_of_data = ", ".join(part for part in (f"dati al {date}" if date else "", judged) if part)
        lines.append(f"- {label[0].upper() + label[1:]}: {facts_of_data}. Fonte: {source.rstrip('.')}.")
    return "\n".join(lines) + "\n"
