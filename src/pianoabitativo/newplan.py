"""Start a new plan from an existing one: `python -m pianoabitativo.newplan DA A` (`make nuovo-piano DA=… A=…`).

For the plan A (next year's plan of the same ambito, or another ambito's) it writes:
- plans/A.yaml: a copy of plans/DA.yaml with the year and every date moved by the years between the
  two plans, each line to check marked «DA VERIFICARE»;
- data/raw/A/register.csv: the register of DA with the provenance cells of each file emptied
  (reference date, how obtained, certainty, checksum), for the new exports;
- report/piano_A.qmd: a copy of DA's text;
- config.yaml: A added to «plans»;
then prints, in Italian, what the user must now replace. Nothing existing is overwritten.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

from .console import wrapped
from .core import paths
from .core.config import load_plan, plan_file
from .core.errors import DataError, Problem, run_reporting_data_errors
from .inputs.register import read_register, write_register

PLAN_NAME = re.compile(r"^[a-z]+(_[a-z]+)*_\d{4}$")  # <ambito>_<anno>: cremasco_2020, alto_cremasco_2021
YEAR_IN_NAME = re.compile(r"(\d{4})$")
DATE_LINE = re.compile(r"^(?P<head>\s+\w+:\s*)(?P<date>\d{4}-\d{2}-\d{2})(?P<tail>.*)$")
TO_CHECK = "  # DA VERIFICARE"
EMPTIED = ("reference_date", "how_obtained", "certainty", "sha256")



def moved_date(text: str, years: int) -> str:
    day = dt.date.fromisoformat(text)
    try:
        return day.replace(year=day.year + years).isoformat()
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28).isoformat()


def new_plan_facts(text: str, old_year: int, new_year: int) -> str:
    """plans/<DA>.yaml moved to the new year: the year, every date, each changed line marked to check."""
    years = new_year - old_year
    lines = []
    for line in text.splitlines():
        match = DATE_LINE.match(line)
        if re.match(r"^\s+population_column:", line):
            continue  # derived from dates.population_reference (pop_res_<yy>): the moved date decides
        if line.startswith("year:"):
            line = f"year: {new_year}"
        elif match:
            comment = f"  (era {match['date']})"
            line = f"{match['head']}{moved_date(match['date'], years)}{TO_CHECK}{comment}"
        lines.append(line)
    text = "\n".join(lines) + "\n"
    return re.sub(r"^istat:\n(?=\S|\n)", "", text, flags=re.M)  # a block left empty


def plans_with(config_text: str, plan: str) -> str:
    """config.yaml with `plan` appended to the «plans: [...]» line."""
    match = re.search(r"^plans:\s*\[(?P<names>[^\]]*)\]", config_text, re.M)
    if not match:
        raise DataError([Problem("config.yaml", "riga «plans: [...]» non trovata",
                                 expected="plans: [piano_1, piano_2]")])
    names = [n.strip() for n in match["names"].split(",") if n.strip()]
    if plan in names:
        return config_text
    return config_text[:match.start()] + f"plans: [{', '.join(names + [plan])}]" + config_text[match.end():]


def moved_phrase(years: int) -> str:
    if years == 0:
        return "date lasciate come nel piano di partenza"
    return "date spostate di un anno" if abs(years) == 1 else f"date spostate di {abs(years)} anni"


def refusal(source: str, target: str) -> str | None:
    """Why the new plan cannot be started (one Italian sentence), or None; nothing is written before this."""
    if not PLAN_NAME.match(target):
        return (f"Nome del nuovo piano non valido: «{target}». Il nome è <ambito>_<anno>, in lettere minuscole "
                "(e «_»), poi l'anno in 4 cifre, es. cremasco_2020. Nulla è stato scritto.")
    existing = [path for path in (plan_file(target), Path(paths.raw_dir(target)), Path(paths.report_source(target)))
                if path.exists()]
    if existing:
        return (f"Il piano «{target}» esiste già ({existing[0].as_posix()}): nuovo-piano non sovrascrive nulla. "
                "Scelga un altro nome, o lavori sul piano esistente.")
    if not plan_file(source).is_file():
        return (f"Il piano di partenza «{source}» non esiste (manca {plan_file(source).as_posix()}). "
                "Nulla è stato scritto.")
    return None


def check_names(source: str, target: str) -> None:
    """Stop with one Italian line if the new plan cannot be started (see `refusal`)."""
    why = refusal(source, target)
    if why:
        raise SystemExit("\n".join(wrapped(why)))


def new_year_of(source_facts: dict, target: str) -> int:
    found = YEAR_IN_NAME.search(target)
    return int(found.group(1)) if found else int(source_facts["year"])


def create_plan(source: str, target: str) -> list[str]:
    """Write the new plan's files; return the lines telling the user what to replace."""
    check_names(source, target)
    facts = load_plan(source)
    old_year, new_year = int(facts["year"]), new_year_of(facts, target)
    plan_file(target).write_text(new_plan_facts(plan_file(source).read_text(encoding="utf-8"), old_year, new_year),
                                 encoding="utf-8")
    raw = Path(paths.raw_dir(target))
    raw.mkdir(parents=True)
    rows = read_register(paths.raw_dir(source) / facts.get("register", "register.csv"))
    for row in rows:
        row.update({column: "" for column in EMPTIED})
    write_register(raw / facts.get("register", "register.csv"), rows)
    report = Path(paths.report_source(target))
    report.write_text(Path(paths.report_source(source)).read_text(encoding="utf-8"), encoding="utf-8")
    config = Path("config.yaml")
    config.write_text(plans_with(config.read_text(encoding="utf-8"), target), encoding="utf-8")
    steps = [
        f"metta i nuovi file dei dati in {raw.as_posix()}/ (gli stessi nomi di {paths.raw_dir(source).as_posix()}/,"
        " o cambi i nomi in «inputs»);",
        f"completi in {(raw / 'register.csv').as_posix()} data di riferimento, modo di acquisizione e "
        "affidabilità di ogni file, poi registri i checksum:",
        f"controlli in {plan_file(target).as_posix()} le righe «DA VERIFICARE» ({moved_phrase(new_year - old_year)}),"
        " il numero del comunicato regionale, i nomi dell'ambito e, se approvato, il Piano triennale in vigore"
        " («triennial_plan»: approval, first_year);",
        f"rilegga {report.as_posix()}: le cifre arrivano dai dati, ma i progetti e le note dell'Assemblea "
        "sono quelli del piano di partenza;",
        "make piano",
    ]
    lines = [f"Creato il piano «{target}» a partire da «{source}». Ora:"]
    for number, step in enumerate(steps, start=1):
        lines += wrapped(step, f"  {number}. ", continuation="     ")
        if number == 2:  # the command, on a line of its own, as it is typed
            lines.append(f"     make registra PIANO={target}")
    return lines


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        raise SystemExit("uso: make nuovo-piano DA=<piano di partenza> A=<nuovo piano>\n"
                         "     (es. DA=cremasco_2019 A=cremasco_2020)")
    print("\n".join(create_plan(argv[0], argv[1])))


if __name__ == "__main__":
    run_reporting_data_errors(lambda: main(sys.argv[1:]))
