"""Start a new plan from an existing one: `python -m pianoabitativo.newplan DA A` (`make nuovo-piano DA=… A=…`).

Two journeys, told apart by the name: A is the same ambito's plan for another year (cremasco_2019 ->
cremasco_2020) or another ambito's (cremasco_2019 -> tormense_2019). Either way the new plan starts as a
**draft** (fragments/draft.py): what is proposed, carried over or to be filled in is listed in its plan
file under `da_verificare`, and the prose carried over is marked in its .qmd, until a person confirms it.

Next year, it writes:
- plans/A.yaml (Italian keys, planfile.py): the same ambito; `piano_precedente: DA`; the plan's own dates
  proposed (moved by the years between the plans) and listed to verify, with the regional notice, the
  Piano di Zona and the triennial plan; dates of past events (the capofila's designation) and the data
  reference dates of the files copied unchanged (households) stay as they are;
- data/raw/A/: the inputs that are not platform exports (ISTAT lists, boundaries, reference figures, the
  comuni list: catalogue.PLATFORM_INPUTS says which are) copied unchanged with their register rows
  (provenance, reference date, checksum); the platform exports awaited: their rows kept with the
  provenance cells emptied;
- report/piano_A.qmd: DA's text, each passage of the ambito's own prose (`.testo-ambito`) marked
  `.da-verificare` («testo ripreso dal piano DA»).

Another ambito, it writes:
- plans/A.yaml: no fact of DA's ambito as a value: name, short name, capofila, province, ALER,
  sub-ambiti, comune aliases, the Assemblea's dates, the boundaries' attribution empty and listed to fill
  in, the files of the comuni list and boundaries renamed for the new ambito and listed; the generic
  facts (region, the capofila's role, the regional notice and dates of the year, file names) kept;
- data/raw/A/register.csv: every file awaited (provenance emptied), renamed like the plan file's;
- report/piano_A.qmd: DA's text with its ambito's own prose replaced by placeholders («testo da scrivere:
  …», marked `.da-verificare`); the generic prose (the law, the regional platform) stays.

Both add A to config.yaml and print, in Italian, what the user must now do. Nothing existing is overwritten.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sys
from pathlib import Path, PurePosixPath

from . import catalogue
from .console import wrapped
from .core import paths, plankeys
from .core.config import input_entry, load_plan, plan_file
from .core.errors import DataError, Problem, run_reporting_data_errors
from .fragments.draft import AMBITO_CLASS, attribute, divs, has_class
from .inputs.register import read_register, write_register
from .planfile import plan_text, raw_facts

PLAN_NAME = re.compile(r"^[a-z]+(_[a-z]+)*_\d{4}$")  # <ambito>_<anno>: cremasco_2020, alto_cremasco_2021
YEAR_IN_NAME = re.compile(r"(\d{4})$")
# an awaited file's provenance: last year's source named last year's export (and its notes described it)
EMPTIED = ("source", "short_source", "reference_date", "how_obtained", "certainty", "notes", "sha256")
EMPTIED_OTHER_AMBITO = ("source", "reference_date", "how_obtained", "certainty", "licence", "sha256")
APPENDIX_INCLUDE = "{{< include gen/da_verificare.md >}}"

ASSEMBLEA = "delibera dell'Assemblea dei Sindaci"
NOTICE = "Comunicato regionale sul piano annuale dell'anno (BURL)"
# Next year, each date of the plan file: "move" (proposed, moved by the years between the plans, to verify),
# "check" (kept, to verify), "keep" (a past event or a data reference date of a file copied unchanged).
NEXT_YEAR_DATES = {
    "approval": ("move", f"{ASSEMBLEA} che approva il piano"),
    "population_reference": ("move", "file ISTAT della popolazione residente (la colonna di quella data)"),
    "households_reference": ("keep", ""),
    "assignable_by": ("move", NOTICE),
    "next_plan_deadline": ("move", NOTICE),
    "capofila_designation": ("keep", ""),
    "capofila_confirmation": ("move", f"{ASSEMBLEA} che conferma il capofila"),
    "regional_notice": ("move", NOTICE),
    "piano_di_zona_approval": ("check", "delibera di approvazione del Piano di Zona in vigore"),
}
# Another ambito: the dates that are its own (emptied, to fill in) and the rest, kept (moved if the year changes).
OWN_DATES = {
    "approval": f"{ASSEMBLEA} che approva il piano",
    "capofila_designation": f"{ASSEMBLEA} che ha designato il capofila",
    "capofila_confirmation": f"{ASSEMBLEA} che lo ha confermato",
    "piano_di_zona_approval": "delibera di approvazione del Piano di Zona dell'ambito",
}
# Another ambito: its own names, emptied (region and the capofila's role are the same for every ambito).
OWN_AMBITO = {
    "name": "il nome ufficiale del nuovo ambito",
    "short_name": "il nome dell'ambito come lo scrive la tabella delle famiglie",
    "capofila": "il comune capofila del nuovo ambito («Comune di …»)",
    "province": "la provincia come la scrive il file delle densità di riferimento",
    "aler": "l'ALER territoriale come la scrive la piattaforma regionale",
}


def moved_date(text: str, years: int) -> str:
    day = dt.date.fromisoformat(text)
    try:
        return day.replace(year=day.year + years).isoformat()
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28).isoformat()


def plans_with(config_text: str, plan: str) -> str:
    """config.yaml with `plan` appended to the «plans: [...]» line."""
    match = re.search(r"^plans:\s*\[(?P<names>[^\]]*)\]", config_text, re.M)
    if not match:
        raise DataError(
            [Problem("config.yaml", "riga «plans: [...]» non trovata", expected="plans: [piano_1, piano_2]")]
        )
    names = [n.strip() for n in match["names"].split(",") if n.strip()]
    if plan in names:
        return config_text
    return config_text[: match.start()] + f"plans: [{', '.join(names + [plan])}]" + config_text[match.end() :]


def moved_phrase(years: int) -> str:
    if years == 0:
        return "la data del piano di partenza"
    shift = "un anno" if abs(years) == 1 else f"{abs(years)} anni"
    return f"la data del piano di partenza spostata di {shift}"


def refusal(source: str, target: str) -> str | None:
    """Why the new plan cannot be started (one Italian sentence), or None; nothing is written before this."""
    if not PLAN_NAME.match(target):
        return (
            f"Nome del nuovo piano non valido: «{target}». Il nome è <ambito>_<anno>, in lettere minuscole "
            "(e «_»), poi l'anno in 4 cifre, es. cremasco_2020. Nulla è stato scritto."
        )
    existing = [
        path
        for path in (plan_file(target), Path(paths.raw_dir(target)), Path(paths.report_source(target)))
        if path.exists()
    ]
    if existing:
        return (
            f"Il piano «{target}» esiste già ({existing[0].as_posix()}): nuovo-piano non sovrascrive nulla. "
            "Scelga un altro nome, o lavori sul piano esistente."
        )
    if not plan_file(source).is_file():
        return (
            f"Il piano di partenza «{source}» non esiste (manca {plan_file(source).as_posix()}). Nulla è stato scritto."
        )
    return None


def check_names(source: str, target: str) -> None:
    """Stop with one Italian line if the new plan cannot be started (see `refusal`)."""
    why = refusal(source, target)
    if why:
        raise SystemExit("\n".join(wrapped(why)))


def ambito_of(plan: str) -> str:
    """The ambito part of a plan's name: cremasco_2020 -> cremasco."""
    return YEAR_IN_NAME.sub("", plan).rstrip("_") or plan


def new_year_of(source_facts: dict, target: str) -> int:
    found = YEAR_IN_NAME.search(target)
    return int(found.group(1)) if found else int(source_facts["year"])


def entry(fact: str, reason: str, where: str) -> dict:
    return {"fact": fact, "reason": reason, "where": where}


# the plan's rule for turning a comune's quota in percent into units: the source plan's, to be confirmed
QUOTA_RULE_ENTRY = entry(
    "quota_rounding",
    "ripresa dal piano di partenza: la regola con cui le quote dei comuni "
    "diventano unità (e la sua base, «base_quote»)",
    "delibera dell'Assemblea dei Sindaci che approva il piano",
)


# --- the plan file --------------------------------------------------------------------------------


def next_year_facts(facts: dict, source: str, years: int) -> dict:
    """Next year's facts (English keys, as a file holds them) with what is to verify listed."""
    new = {**facts, "year": int(facts["year"]) + years, "previous_plan": source}
    new.pop("istat", None)  # the population column follows the (moved) population date
    dates = dict(facts["dates"])
    unconfirmed = [{**e, "fact": plankeys.internal_path(e["fact"])} for e in facts.get("unconfirmed") or []]
    for key, (kind, where) in NEXT_YEAR_DATES.items():
        if key not in dates or not dates[key]:
            continue
        if kind == "move":
            unconfirmed.append(entry(f"dates.{key}", f"proposta: {moved_phrase(years)}", where))
            dates[key] = moved_date(dates[key], years)
        elif kind == "check":
            unconfirmed.append(entry(f"dates.{key}", "ripresa dal piano di partenza: può essere cambiata", where))
    new["dates"] = dates
    if "regional_notice_number" in facts:
        unconfirmed.append(entry("regional_notice_number", "ripreso dal piano di partenza", NOTICE))
    unconfirmed.append(
        entry(
            "triennial_plan",
            "ripreso dal piano di partenza"
            if facts.get("triennial_plan")
            else "il piano di partenza non ne aveva: indicarlo se approvato, o confermare che non c'è",
            f"{ASSEMBLEA} che approva il Piano triennale dell'offerta abitativa",
        )
    )
    if facts.get("quota_rounding"):
        unconfirmed.append(QUOTA_RULE_ENTRY)
    new["unconfirmed"] = list({e["fact"]: e for e in unconfirmed}.values())  # a draft's own entries: once each
    return new


def renamed(name: str, old: str, new: str) -> str:
    """A file name of the source ambito made the new ambito's (comuni_ambito_cremasco.csv -> …_tormense.csv)."""
    return name.replace(old, new) if old else name


def other_ambito_facts(facts: dict, target: str, years: int) -> dict:
    """Another ambito's facts: none of the source ambito's own as a value; what to fill in listed."""
    old_name, new_name = facts["ambito"].get("short_name", ""), ambito_of(target)
    unconfirmed = []
    ambito = {**facts["ambito"], **{key: "" for key in OWN_AMBITO}, "sub_ambiti": []}
    for key, what in OWN_AMBITO.items():
        unconfirmed.append(entry(f"ambito.{key}", f"da compilare: {what}", "il file del piano"))
    unconfirmed.append(
        entry(
            "ambito.sub_ambiti",
            "da compilare: i sub-ambiti nell'ordine del piano, oppure lasciare [] se l'ambito non ne ha",
            "Accordo di programma del Piano di Zona",
        )
    )
    unconfirmed.append(
        entry(
            "comune_aliases",
            "da compilare se la piattaforma scrive un comune diversamente "
            "dall'ISTAT (nome della piattaforma: nome ISTAT), altrimenti lasciare {}",
            "le esportazioni della piattaforma",
        )
    )
    dates = {}
    for key, value in facts["dates"].items():
        if key in OWN_DATES:
            unconfirmed.append(entry(f"dates.{key}", "da compilare", OWN_DATES[key]))
            if key == "approval":
                dates[key] = None
        elif value:
            dates[key] = moved_date(value, years)
            if key == "households_reference":
                unconfirmed.append(
                    entry(
                        "dates.households_reference",
                        "da indicare: la data di riferimento del file delle famiglie del nuovo ambito",
                        "il file delle famiglie",
                    )
                )
            elif years:
                unconfirmed.append(entry(f"dates.{key}", f"proposta: {moved_phrase(years)}", NOTICE))
    if years and "regional_notice_number" in facts:
        unconfirmed.append(entry("regional_notice_number", "ripreso dal piano di partenza", NOTICE))
    unconfirmed.append(
        entry(
            "triennial_plan",
            "da indicare se approvato, o confermare che non c'è",
            f"{ASSEMBLEA} che approva il Piano triennale dell'offerta abitativa",
        )
    )
    inputs = {
        key: (
            {**value, "file": renamed(value["file"], old_name, new_name)}
            if isinstance(value, dict)
            else renamed(value, old_name, new_name)
        )
        for key, value in facts["inputs"].items()
    }
    boundaries = {"file": renamed(facts["boundaries"]["file"], old_name, new_name), "attribution": ""}
    unconfirmed += [
        entry(
            "inputs.comuni_ambito",
            "file da mettere: l'elenco dei comuni del nuovo ambito (codice ISTAT, sub-ambito, superficie)",
            f"data/raw/{target}/{input_entry({'inputs': inputs}, 'comuni_ambito')[0]}",
        ),
        entry(
            "boundaries.file",
            "file da mettere: i confini dei comuni del nuovo ambito (GeoJSON)",
            f"data/raw/{target}/{boundaries['file']}",
        ),
        entry(
            "boundaries.attribution",
            "da compilare: l'attribuzione richiesta dalla licenza dei confini",
            "la licenza del file dei confini",
        ),
    ]
    if facts.get("quota_rounding"):
        unconfirmed.append(QUOTA_RULE_ENTRY)
    new = {key: value for key, value in facts.items() if key not in ("triennial_plan", "previous_plan", "istat")}
    new.update(
        year=int(facts["year"]) + years,
        ambito=ambito,
        dates=dates,
        comune_aliases={},
        inputs=inputs,
        boundaries=boundaries,
        unconfirmed=unconfirmed,
    )
    return new


# --- the raw folder and its register ---------------------------------------------------------------


def platform_files(facts: dict) -> set[str]:
    return {input_entry(facts, key)[0] for key in catalogue.PLATFORM_INPUTS if key in facts["inputs"]}


def export_folders(raw_path: str, awaited: list[str]) -> str:
    """Where the awaited exports go, as the steps name it: «data/raw/<plan>/piattaforma/»."""
    return " e ".join(sorted({f"{PurePosixPath(raw_path, name).parent}/" for name in awaited}))


def next_year_raw(source: str, facts: dict, raw: Path) -> tuple[list[str], list[str]]:
    """Copy the inputs that are not platform exports with their register rows; await the exports.
    Returns (files copied, files awaited)."""
    source_raw = paths.raw_dir(source)
    awaited = platform_files(facts)
    copied = []
    for path in sorted(p for p in source_raw.rglob("*") if p.is_file()):
        name = path.relative_to(source_raw).as_posix()
        if name == facts.get("register", "register.csv") or name in awaited:
            continue
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, raw / name)
        copied.append(name)
    for name in awaited:  # the folder the exports go in, there for the person who copies them
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
    rows = read_register(source_raw / facts.get("register", "register.csv"))
    for row in rows:
        if row["file"] in awaited:
            row.update({column: "" for column in EMPTIED})
    write_register(raw / facts.get("register", "register.csv"), rows)
    return copied, sorted(awaited)


def other_ambito_register(source: str, facts: dict, raw: Path, old_name: str, new_name: str) -> None:
    rows = read_register(paths.raw_dir(source) / facts.get("register", "register.csv"))
    for row in rows:
        row.update({column: "" for column in EMPTIED_OTHER_AMBITO if column in row})
        row["file"] = renamed(row["file"], old_name, new_name)
    write_register(raw / facts.get("register", "register.csv"), rows)


# --- the text ------------------------------------------------------------------------------------


def with_appendix(text: str) -> str:
    """The text with the draft's appendix included (at the start of «# Appendice», else at the end)."""
    if "gen/da_verificare.md" in text:
        return text
    match = re.search(r"^# Appendice\s*$", text, re.M)
    if match:
        return text[: match.end()] + "\n\n" + APPENDIX_INCLUDE + text[match.end() :]
    return text.rstrip("\n") + "\n\n# Appendice\n\n" + APPENDIX_INCLUDE + "\n"


def next_year_text(text: str, source: str) -> str:
    """Each passage of the ambito's own prose marked to verify (inside its `.testo-ambito` div)."""
    lines = text.split("\n")
    opening, closing = {}, {}
    for start, end, rest in divs(lines):
        if has_class(rest, AMBITO_CLASS):
            opening[start] = (
                f'::: {{.da-verificare motivo="testo ripreso dal piano {source}: da rileggere e aggiornare"}}'
            )
            closing[end] = ":::"
    out = []
    for index, line in enumerate(lines):
        if index in closing:
            out.append(closing[index])
        out.append(line)
        if index in opening:
            out.append(opening[index])
    return with_appendix("\n".join(out))


def other_ambito_text(text: str) -> str:
    """The ambito's own prose replaced by marked placeholders; the generic prose kept."""
    lines = text.split("\n")
    out, skip_until = [], -1
    starts = {start: (end, rest) for start, end, rest in divs(lines) if has_class(rest, AMBITO_CLASS)}
    for index, line in enumerate(lines):
        if index <= skip_until:
            continue
        if index in starts:
            end, rest = starts[index]
            theme = attribute(rest, "tema") or "il testo proprio dell'ambito"
            out += [
                line,
                '::: {.da-verificare motivo="testo da scrivere per il nuovo ambito"}',
                f"«Testo da scrivere: {theme}.»",
                ":::",
                lines[end],
            ]
            skip_until = end
            continue
        out.append(line)
    return with_appendix("\n".join(out))


# --- the command ---------------------------------------------------------------------------------


def create_plan(source: str, target: str) -> list[str]:
    """Write the new plan's files; return the lines telling the user what to do next."""
    check_names(source, target)
    facts = load_plan(source)  # a source that does not read is reported as it is
    written = raw_facts(source)
    written.setdefault("unconfirmed", written.get("unconfirmed") or [])
    old_year, new_year = int(facts["year"]), new_year_of(facts, target)
    same_ambito = ambito_of(source) == ambito_of(target)
    raw = Path(paths.raw_dir(target))
    raw.mkdir(parents=True)
    report = Path(paths.report_source(target))
    source_text = Path(paths.report_source(source)).read_text(encoding="utf-8")
    if same_ambito:
        new = next_year_facts(written, source, new_year - old_year)
        copied, awaited = next_year_raw(source, facts, raw)
        report.write_text(next_year_text(source_text, source), encoding="utf-8")
    else:
        new = other_ambito_facts(written, target, new_year - old_year)
        other_ambito_register(source, facts, raw, facts["ambito"].get("short_name", ""), ambito_of(target))
        report.write_text(other_ambito_text(source_text), encoding="utf-8")
    plan_file(target).write_text(plan_text(new, target), encoding="utf-8")
    config = Path("config.yaml")
    config.write_text(plans_with(config.read_text(encoding="utf-8"), target), encoding="utf-8")
    facts_to_check = len(new["unconfirmed"])
    plan_path, raw_path = plan_file(target).as_posix(), raw.as_posix()
    if same_ambito:
        steps = [
            f"metta in {export_folders(raw_path, awaited)} le {len(awaited)} esportazioni della piattaforma per "
            f"il {new_year} "
            f"(stessi nomi: sono nel registro, senza data né checksum); gli altri {len(copied)} file "
            f"(ISTAT, confini, riferimenti, elenco dei comuni) sono copiati dal piano {source} con la loro "
            "provenienza;",
            f"completi in {raw_path}/register.csv le righe delle esportazioni (fonte, data di riferimento, "
            "modo di acquisizione, affidabilità), poi registri i checksum:",
            f"verifichi in {plan_path} i {facts_to_check} fatti elencati sotto «da_verificare» (date proposte, "
            "comunicato regionale, Piano di Zona, Piano triennale): corretto il valore se serve, ne cancelli la "
            "voce;",
            f"rilegga in {report.as_posix()} i passi ripresi dal piano {source}, tra «::: {{.da-verificare …}}» "
            "e «:::»; confermato un passo, cancelli quelle due righe;",
            "make piano: finché resta qualcosa da verificare il piano è una BOZZA, non si archivia.",
        ]
    else:
        steps = [
            f"compili in {plan_path} i fatti del nuovo ambito elencati sotto «da_verificare» (nome, capofila, "
            "sub-ambiti o nessuno, nomi dei comuni, confini, date dell'Assemblea), poi ne cancelli le voci;",
            f"metta in {raw_path}/ tutti i file dei dati, con i nomi scritti in {plan_path} (chiave «dati» e "
            "«confini»), o cambi lì e nel registro i nomi dei suoi file;",
            f"completi in {raw_path}/register.csv ogni riga (fonte, data di riferimento, modo di acquisizione, "
            "affidabilità, licenza), poi registri i checksum:",
            f"scriva in {report.as_posix()} i testi segnati «Testo da scrivere», poi cancelli le loro righe "
            "«::: {.da-verificare …}» e «:::»;",
            "make piano: finché resta qualcosa da verificare il piano è una BOZZA, non si archivia.",
        ]
    kind = "dell'anno dopo" if same_ambito else "di un altro ambito"
    lines = wrapped(f"Creato il piano «{target}» ({kind}) a partire da «{source}». Ora:")
    for number, step in enumerate(steps, start=1):
        lines += wrapped(step, f"  {number}. ", continuation="     ")
        if number == (2 if same_ambito else 3):  # the command, on a line of its own, as it is typed
            lines.append(f"     make registra PIANO={target}")
    return lines


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        raise SystemExit(
            "uso: make nuovo-piano DA=<piano di partenza> A=<nuovo piano>\n     (es. DA=cremasco_2019 A=cremasco_2020)"
        )
    print("\n".join(create_plan(argv[0], argv[1])))


if __name__ == "__main__":
    run_reporting_data_errors(lambda: main(sys.argv[1:]))
