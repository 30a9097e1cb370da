"""Draft or approved: what is still to be confirmed in a plan, from its facts and its text.

A plan is a **draft** while anything in it is unconfirmed:
- a fact listed in its plan file under `da_verificare` (internal `unconfirmed`: {fact, reason, where}),
  or a required fact left empty (another ambito's plan, just started);
- a passage of its .qmd inside a fenced div of class `da-verificare`
  (`::: {.da-verificare motivo="..."}` ... `:::`), written by `make nuovo-piano` around the prose it
  carried over, or around a placeholder «testo da scrivere: …» for another ambito;
- a placeholder «testo da scrivere» left in the text after its fences were removed.

Confirming is deleting the fact's entry, or the two fence lines of a passage. The report stage reads
both (the facts as a param, the .qmd as an input of its rule) and writes the draft's marks; the render
stage stages the .qmd through `staged_text`; the archive refuses a draft with `refusal`.

The .qmd also declares which prose is the ambito's own: `::: {.testo-ambito tema="..."}` ... `:::`.
Those fences carry no mark: `staged_text` blanks them, so an approved plan renders exactly as if they
were not there; `make nuovo-piano` reads them to mark (next year) or replace (another ambito) that prose.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from .. import catalogue
from ..core import plankeys
from ..core.formatting import format_date_long
from ..core.tableio import read_processed

TO_CHECK_CLASS = "da-verificare"
AMBITO_CLASS = "testo-ambito"
PLACEHOLDER = "testo da scrivere"
FENCE = re.compile(r"^(?P<colons>:{3,})\s*(?P<rest>.*?)\s*$")
HEADING = re.compile(r"^#{1,6}\s+(?P<title>.+?)\s*(\{[^}]*\})?\s*$")
SHORTCODE = re.compile(r"\{\{<.*?>\}\}")

# How the document and the appendix name a fact (internal key -> Italian words).
FACT_LABELS = {
    "dates.approval": "data di approvazione del piano",
    "dates.population_reference": "data di riferimento della popolazione",
    "dates.households_reference": "data di riferimento delle famiglie",
    "dates.assignable_by": "data entro cui si contano le unità assegnabili",
    "dates.next_plan_deadline": "termine per il piano dell'anno successivo",
    "dates.capofila_designation": "data di designazione del capofila",
    "dates.capofila_confirmation": "data di conferma del capofila",
    "dates.regional_notice": "data del Comunicato regionale",
    "dates.piano_di_zona_approval": "data di approvazione del Piano di Zona",
    "regional_notice_number": "numero del Comunicato regionale",
    "triennial_plan": "Piano triennale in vigore",
    "ambito.name": "nome dell'ambito",
    "ambito.short_name": "nome breve dell'ambito (tabella delle famiglie)",
    "ambito.capofila": "comune capofila",
    "ambito.capofila_role": "ruolo del capofila",
    "ambito.province": "provincia",
    "ambito.region": "regione",
    "ambito.aler": "ALER territoriale",
    "ambito.sub_ambiti": "sub-ambiti",
    "comune_aliases": "nomi dei comuni scritti diversamente dalla piattaforma",
    "boundaries.file": "file dei confini dei comuni",
    "boundaries.attribution": "attribuzione dei confini",
    "inputs.comuni_ambito": "elenco dei comuni dell'ambito",
    "quota_rounding": "regola che converte le quote dei comuni in unità",
}
# Facts that cannot be empty in an approved plan: empty, they are to be filled in (a draft).
REQUIRED = (
    "ambito.name",
    "ambito.short_name",
    "ambito.capofila",
    "ambito.capofila_role",
    "ambito.province",
    "ambito.region",
    "ambito.aler",
    "dates.approval",
)


@dataclass(frozen=True)
class Item:
    """One thing to confirm: a fact (its key in the plan file) or a passage of the text."""

    kind: str  # "fatto" or "testo"
    what: str  # the fact's Italian key (date.approvazione), or the passage: section and first words
    label: str  # Italian words for it
    value: str  # the value printed (facts), "" if none
    reason: str
    where: str


def fact_value(facts: dict, path: str):
    found = facts
    for part in path.split("."):
        found = found.get(part) if isinstance(found, dict) else None
    return found


def value_text(path: str, value) -> str:
    if value in (None, "", [], {}):
        return ""
    if path.startswith("dates.") and isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}$", value):
        return format_date_long(dt.date.fromisoformat(value))
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def unconfirmed_facts(facts: dict) -> list[Item]:
    """The facts listed under `da_verificare`, then the required ones left empty."""
    items, listed = [], set()
    for entry in facts.get("unconfirmed") or []:
        path = entry["fact"]
        listed.add(path)
        items.append(
            Item(
                "fatto",
                plankeys.italian_path(path),
                FACT_LABELS.get(path, plankeys.italian_path(path)),
                value_text(path, fact_value(facts, path)),
                entry.get("reason", ""),
                entry.get("where", ""),
            )
        )
    for path in REQUIRED:
        if path not in listed and fact_value(facts, path) in (None, ""):
            items.append(
                Item(
                    "fatto",
                    plankeys.italian_path(path),
                    FACT_LABELS[path],
                    "",
                    "valore da compilare",
                    "il file del piano",
                )
            )
    return items


def unconfirmed_paths(facts: dict) -> set[str]:
    """Internal keys of the unconfirmed facts (listed, or required and empty)."""
    return {plankeys.internal_path(item.what) for item in unconfirmed_facts(facts)}


def attribute(rest: str, name: str) -> str:
    found = re.search(name + r'\s*=\s*"([^"]*)"', rest)
    return found.group(1) if found else ""


def has_class(rest: str, name: str) -> bool:
    return re.search(r"(^|[\s{])\." + re.escape(name) + r"(?=[\s}]|$)", rest) is not None


def divs(lines: list[str]) -> list[tuple[int, int, str]]:
    """(opening line index, closing line index, attributes) of every fenced div, inner ones too."""
    found, stack = [], []
    for index, text in enumerate(lines):
        match = FENCE.match(text)
        if not match:
            continue
        if match["rest"]:
            stack.append((index, match["rest"]))
        elif stack:
            start, rest = stack.pop()
            found.append((start, index, rest))
    return sorted(found)


def plain_words(text: str, count: int = 8) -> str:
    words = SHORTCODE.sub("…", text).replace("*", "").split()
    return " ".join(words[:count]) + ("…" if len(words) > count else "")


def marked_passages(qmd_text: str, source: str) -> list[Item]:
    """The passages of the text to confirm: `.da-verificare` divs, then placeholders outside them."""
    lines = qmd_text.splitlines()
    items, inside = [], set()
    for start, end, rest in divs(lines):
        if not has_class(rest, TO_CHECK_CLASS):
            continue
        inside.update(range(start, end + 1))
        heading = next(
            (HEADING.match(lines[i])["title"] for i in range(start, -1, -1) if HEADING.match(lines[i])),
            "inizio del documento",
        )
        body = next((lines[i] for i in range(start + 1, end) if lines[i].strip() and not FENCE.match(lines[i])), "")
        items.append(
            Item(
                "testo",
                f"sezione «{plain_words(heading, 12)}»: «{plain_words(body)}»",
                "",
                "",
                attribute(rest, "motivo") or "testo da verificare",
                f"{source}, riga {start + 1}",
            )
        )
    for index, text in enumerate(lines):
        if index not in inside and PLACEHOLDER in text.lower():
            items.append(
                Item(
                    "testo", f"«{plain_words(text)}»", "", "", "testo ancora da scrivere", f"{source}, riga {index + 1}"
                )
            )
    return items


def draft_items(facts: dict, qmd_text: str, source: str, quotas: bool = False) -> list[Item]:
    """Everything still to confirm in a plan; empty: the plan is approved. `quotas`: some comune sets a quota
    in percent (h_i_scelte_per_comune), so the plan needs its rule for turning it into units."""
    return unconfirmed_facts(facts) + quota_rule_items(facts, quotas) + marked_passages(qmd_text, source)


def plan_draft_items(facts: dict, qmd: str | Path, choices: str | Path | None) -> list[Item]:
    """Everything still to confirm in a plan (draft_items), from its files: its .qmd (not there: no text yet)
    and its table of the choices per comune, h_i_scelte_per_comune.csv (None or not there: no quotas yet)."""
    text = Path(qmd).read_text(encoding="utf-8") if Path(qmd).is_file() else ""
    quotas = choices is not None and Path(choices).is_file() and has_quotas(read_processed(choices))
    return draft_items(facts, text, str(qmd), quotas)


def quota_rule_items(facts: dict, quotas: bool) -> list[Item]:
    """The quota rule, when a comune sets a quota and the plan file does not state the rule: the document
    uses the proposed one (catalogue.PROPOSED_QUOTA_RULE), to be confirmed."""
    rounding, base, proposed = catalogue.quota_rule(facts)
    if not (quotas and proposed):
        return []
    value = f"arrotondamento {catalogue.QUOTA_ROUNDINGS[rounding]}, sulle {catalogue.QUOTA_BASES[base]}"
    return [
        Item(
            "fatto",
            plankeys.italian_path("quota_rounding"),
            "regola che converte le quote in unità",
            value,
            "non indicata nel file del piano: regola proposta",
            "delibera dell'Assemblea dei Sindaci; poi chiavi «arrotondamento_quote» e «base_quote» del file del piano",
        )
    ]


def has_quotas(per_comune) -> bool:
    """Whether some comune sets a quota in percent (h_i_scelte_per_comune as read)."""
    return bool(len(per_comune)) and bool(per_comune["quota_forze_polizia_vvf_pct"].notna().any())


# --- the staged .qmd: what both engines render ---------------------------------------------------


def begin_mark(reason: str) -> str:
    return f"**[Da verificare prima dell'approvazione ({reason}): inizio.]**"


END_MARK = "**[Fine del testo da verificare.]**"


def staged_text(qmd_text: str) -> str:
    """The .qmd as rendered: `.testo-ambito` fences blanked (no mark, no change in the document);
    each `.da-verificare` passage opened and closed by a visible mark. A text without either is
    returned as it is."""
    lines = qmd_text.split("\n")
    before, after = {}, {}
    for start, end, rest in divs(lines):
        if has_class(rest, TO_CHECK_CLASS):
            before[start] = ["", begin_mark(attribute(rest, "motivo") or "testo ripreso dal piano di partenza"), ""]
            after[end] = ["", END_MARK, ""]
        elif has_class(rest, AMBITO_CLASS) and rest.startswith("{"):
            lines[start] = lines[end] = ""
    if not before:
        return "\n".join(lines)
    staged = []
    for index, text in enumerate(lines):
        staged.extend(after.get(index, []))
        staged.append(text)
        staged.extend(before.get(index, []))
    return "\n".join(staged)


# --- what the archive says of a draft -------------------------------------------------------------


def refusal(plan: str, items: list[Item], shown: int = 4) -> str:
    """One Italian sentence: the draft is not archived, and what is still unconfirmed."""
    facts = [item.what for item in items if item.kind == "fatto"]
    passages = sum(1 for item in items if item.kind == "testo")
    named = facts[:shown] + ([f"altri {len(facts) - shown} fatti"] if len(facts) > shown else [])
    if passages:
        named.append("1 passo del testo" if passages == 1 else f"{passages} passi del testo")
    what = ", ".join(named[:-1]) + " e " + named[-1] if len(named) > 1 else named[0]
    return f"Il piano {plan} è una bozza e non si archivia: da verificare {what}."


# --- the appendix «Da verificare prima dell'approvazione» -----------------------------------------

APPENDIX_TITLE = "Da verificare prima dell'approvazione"


def appendix_says_draft(path: Path) -> bool:
    """Whether the appendix a plan's last report stage wrote (report/gen/<plan>/da_verificare.md, what
    `appendix` returns) makes its documents a draft: not empty. The one test of the style files (BOZZA on
    every page) and of the console's last lines."""
    return path.is_file() and bool(path.read_text(encoding="utf-8").strip())


def appendix(items: list[Item], plan_file: str, qmd: str) -> str:
    """The appendix section listing each item and where to confirm it; "" for an approved plan."""
    if not items:
        return ""
    facts = [item for item in items if item.kind == "fatto"]
    passages = [item for item in items if item.kind == "testo"]
    text = [
        f"## {APPENDIX_TITLE}",
        "",
        "Questo documento è una **bozza**: una proposta di piano, non ancora approvata dall'Assemblea dei "
        "Sindaci. I fatti proposti dalla procedura o ripresi dal piano di partenza sono stampati "
        "«[da verificare: …]»; i passi del testo ripresi da quel piano, o ancora da scrivere, sono segnati "
        "all'inizio e alla fine. Finché uno di essi resta da confermare, ogni pagina porta la scritta "
        "«BOZZA» e il piano non si archivia.",
        "",
    ]
    if facts:
        text += [
            f"**Fatti** (file `{plan_file}`, elenco `da_verificare`: confermato un fatto, se ne cancella la voce):",
            "",
        ]
        for item in facts:
            value = f", valore proposto: {item.value}" if item.value else ", valore da compilare"
            where = f" Dove verificarlo: {item.where}." if item.where else ""
            text.append(
                f"- **{item.label}** (`{item.what}`){value}. {item.reason[:1].upper()}{item.reason[1:]}.{where}"
            )
        text.append("")
    if passages:
        text += [
            f"**Testo** (file `{qmd}`: confermato un passo, se ne cancellano le due righe `::: "
            "{.da-verificare …}` e `:::`):",
            "",
        ]
        for item in passages:
            text.append(f"- {item.what[:1].upper()}{item.what[1:]} ({item.where}): {item.reason}.")
        text.append("")
    return "\n".join(text)
