"""The plan file as the staff read it: plans/<plan>.yaml written with Italian keys and Italian comments.

`plan_text(facts, plan)` writes a plan's facts (the code's English keys, core/plankeys.py translates
them) in the order and with the comments below; `make nuovo-piano` writes new plans with it, and
`python -m pianoabitativo.planfile PIANO` (`make converti-piano PIANO=…`) rewrites a plan file written
with the English keys (or any older layout) in Italian: the same facts, the comments replaced by these.
"""

from __future__ import annotations

import sys

import yaml

from . import catalogue
from .core import plankeys
from .core.config import iso_dates, load_plan, plan_file, prepare_plan, read_yaml_mapping
from .core.errors import DataError, Problem, run_reporting_data_errors

# (English key, comment) of each date, in the order the file lists them
DATE_COMMENTS = {
    "approval": "Assemblea dei Sindaci che approva il piano",
    "population_reference": "popolazione residente ISTAT a questa data",
    "households_reference": "data di riferimento del file delle famiglie",
    "assignable_by": "unità che si prevede di assegnare entro questa data",
    "next_plan_deadline": "termine per il piano annuale dell'anno successivo",
    "capofila_designation": "Assemblea che ha designato il capofila",
    "capofila_confirmation": "Assemblea che lo ha confermato",
    "regional_notice": "data del Comunicato regionale sul piano annuale",
    "piano_di_zona_approval": "approvazione del Piano di Zona in vigore",
}
AMBITO_COMMENTS = {
    "name": "nome ufficiale",
    "short_name": "come è scritto nella tabella delle famiglie",
    "capofila": "",
    "capofila_role": "stampato nell'intestazione delle pagine",
    "province": "come è scritta nel file delle densità di riferimento",
    "region": "",
    "aler": "come la scrive la piattaforma regionale",
    "sub_ambiti": "nell'ordine del piano; [] se l'ambito non ha sub-ambiti",
}


def scalar(value) -> str:
    """One YAML value on one line (flow style), as plain as YAML allows."""
    if value is None:
        return ""
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000).strip()
    return text[: -len("\n...")].strip() if text.endswith("\n...") else text.removesuffix("...").strip()


def quoted(text) -> str:
    """A text in double quotes (apostrophes stay as typed)."""
    return '"' + str(text or "").replace("\\", "\\\\").replace('"', '\\"') + '"'


def date_value(value) -> str:
    return "" if not value else str(value)  # ISO dates unquoted: YAML reads them back as the same text


def line(indent: str, key: str, value: str, comment: str = "", width: int = 0) -> str:
    head = f"{indent}{key}:" + (f" {value}" if value != "" else "")
    if comment and len(head) > 60:  # a long value: its comment on the line above
        return f"{indent}# {comment}\n{head}"
    return f"{head.ljust(width)}  # {comment}" if comment else head


def plan_text(facts: dict, plan: str) -> str:
    """plans/<plan>.yaml with Italian keys and comments, from the facts with English keys (as in a file,
    before defaults: a key absent stays absent)."""
    it = plankeys.italian_path
    ambito, dates = facts.get("ambito", {}), facts.get("dates", {})
    out = [
        f"# Fatti del piano «{plan}»: {ambito.get('name') or 'ambito da indicare'}, anno {facts.get('year')}.",
        "# Ogni chiave è descritta in src/pianoabitativo/schemas/plan.schema.yaml (x-italiano: il nome",
        f"# italiano). I dati grezzi sono in data/raw/{plan}/, il testo in report/piano_{plan}.qmd.",
        f"{it('year')}: {facts.get('year')}",
    ]
    if facts.get("previous_plan"):
        out.append(line("", it("previous_plan"), facts["previous_plan"], "il piano dell'anno prima, da cui parte"))
    out += ["", f"{it('ambito')}:"]
    for key, comment in AMBITO_COMMENTS.items():
        if key in ambito:
            value = ambito[key]
            out.append(
                line(
                    "  ",
                    it(f"ambito.{key}").split(".")[-1],
                    scalar(value) if key == "sub_ambiti" else scalar(value) if value else '""',
                    comment,
                    40,
                )
            )
    out += ["", f"{it('dates')}:   # AAAA-MM-GG"]
    for key, comment in DATE_COMMENTS.items():
        if key in dates:
            out.append(line("  ", it(f"dates.{key}").split(".")[-1], date_value(dates[key]), comment, 40))
    if "regional_notice_number" in facts:
        out += [
            "",
            line(
                "",
                it("regional_notice_number"),
                scalar(facts["regional_notice_number"]),
                "numero del Comunicato regionale sul piano annuale",
            ),
        ]
    triennial = facts.get("triennial_plan")
    if triennial:
        out += [
            "",
            f"{it('triennial_plan')}:   # il Piano triennale in vigore (toglierlo se non c'è)",
            f"  {it('triennial_plan.approval').split('.')[-1]}: {date_value(triennial.get('approval'))}",
            f"  {it('triennial_plan.first_year').split('.')[-1]}: {scalar(triennial.get('first_year'))}",
        ]
    values = catalogue.QUOTA_VALUES_IT
    if facts.get("quota_rounding"):
        out += [
            "",
            "# Come la quota di un comune in percentuale diventa un numero di unità: per_difetto,",
            "# unita_piu_vicina, per_eccesso, o solo_percentuale (le quote restano in percentuale).",
            f"{it('quota_rounding')}: {values.get(facts['quota_rounding'], facts['quota_rounding'])}",
        ]
        if facts.get("quota_base"):
            out.append(
                line(
                    "",
                    it("quota_base"),
                    values.get(facts["quota_base"], facts["quota_base"]),
                    "assegnabili (tutte le unità assegnabili del comune) o assegnabili_sap",
                )
            )
    column = (facts.get("istat") or {}).get("population_column")
    if column:
        out += [
            "",
            f"{it('istat')}:",
            line(
                "  ",
                it("istat.population_column").split(".")[-1],
                column,
                "colonna del file della popolazione (di solito dedotta dalla data)",
            ),
        ]
    aliases = facts.get("comune_aliases") or {}
    out += [
        "",
        "# Nomi che la piattaforma scrive diversamente dall'ISTAT: nome della piattaforma: nome ISTAT.",
        f"{it('comune_aliases')}:" + ("" if aliases else " {}"),
    ]
    out += [f"  {scalar(name)}: {scalar(istat)}" for name, istat in aliases.items()]
    out += [
        "",
        "# File dei dati, relativi a data/raw/<piano>/; un foglio Excel: {file: x.xlsx, foglio: Foglio1}.",
        f"{it('inputs')}:",
    ]
    for key, entry in (facts.get("inputs") or {}).items():
        if isinstance(entry, dict):
            entry = {("foglio" if k == "sheet" else k): v for k, v in entry.items()}
        out.append(f"  {key}: {scalar(entry)}")
    boundaries = facts.get("boundaries") or {}
    out += [
        "",
        f"{it('boundaries')}:   # confini dei comuni (GeoJSON) e attribuzione stampata con la mappa",
        f"  file: {scalar(boundaries.get('file', ''))}",
        f"  {it('boundaries.attribution').split('.')[-1]}: {quoted(boundaries.get('attribution', ''))}",
        "",
        line(
            "",
            it("register"),
            scalar(facts.get("register", "register.csv")),
            "il registro dei dati, in data/raw/<piano>/",
        ),
    ]
    entries = facts.get("unconfirmed") or []
    if entries:
        out += [
            "",
            "# Fatti ancora da verificare: finché ne resta uno il piano è una BOZZA (ogni pagina lo dice,",
            "# i valori sono stampati «[da verificare: …]» e il piano non si archivia). Verificato un fatto,",
            "# ne corregga il valore qui sopra se serve, poi cancelli le sue tre righe (da «- voce:» a «dove:»).",
            f"{it('unconfirmed')}:",
        ]
        for entry in entries:
            out += [
                f"  - voce: {plankeys.italian_path(entry['fact'])}",
                f"    motivo: {quoted(entry.get('reason', ''))}",
                f"    dove: {quoted(entry.get('where', ''))}",
            ]
    return "\n".join(out) + "\n"


def raw_facts(plan: str) -> dict:
    """plans/<plan>.yaml as written (no defaults filled in), with the code's English keys."""
    path = plan_file(plan)
    raw = read_yaml_mapping(path, f"il file dei dati del piano «{plan}»")
    return iso_dates(plankeys.to_internal(raw))


def convert(plan: str) -> str:
    """Rewrite plans/<plan>.yaml with the Italian keys and comments; the line to print."""
    before = load_plan(plan)  # a file that does not read is reported as it is, never rewritten
    path = plan_file(plan)
    facts = raw_facts(plan)
    text = plan_text(facts, plan)
    if prepare_plan(yaml.safe_load(text), path.as_posix()) != before:  # a key the writer does not know
        lost = sorted(set(facts) - set(plankeys.to_internal(yaml.safe_load(text))))
        raise DataError(
            [
                Problem(
                    path.as_posix(),
                    "non si può riscrivere senza perdere dei fatti",
                    expected="ogni chiave del file riscritta",
                    found=", ".join(lost) or "valori diversi",
                )
            ]
        )
    path.write_text(text, encoding="utf-8")
    return f"{path.as_posix()}: riscritto con le chiavi e i commenti in italiano (stessi fatti)."


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        raise DataError(
            [Problem("PIANO", "manca il nome del piano", expected="make converti-piano PIANO=cremasco_2019")]
        )
    print(convert(argv[0]))


if __name__ == "__main__":
    run_reporting_data_errors(lambda: main(sys.argv[1:]))
