"""cifre.yml: the title block, names, dates and every key figure as Italian text ({{< meta piano.KEY >}})."""

from __future__ import annotations

import datetime as dt

import yaml

from ..core.formatting import format_date_long, format_date_short, format_int, format_number, format_percent


def format_figure(key: str, value) -> str:
    """Italian text of one key figure, by the kind of quantity its name says it is."""
    if value == "" or value is None:
        return ""
    if key.startswith("quota_"):
        return format_percent(float(value))
    if isinstance(value, float) or key.startswith(("densita", "superficie", "componenti")):
        return format_number(float(value), 2)
    return format_int(int(value))


# The texts of cifre.yml («piano.KEY») that state each fact: printed marked while the fact is unconfirmed.
FACT_TEXTS = {
    "dates.approval": ("data_approvazione",),
    "dates.population_reference": ("data_popolazione",),
    "dates.households_reference": ("data_famiglie", "anno_famiglie"),
    "dates.assignable_by": ("data_assegnabili_entro",),
    "dates.next_plan_deadline": ("data_piano_successivo",),
    "dates.capofila_designation": ("data_capofila_designation",),
    "dates.capofila_confirmation": ("data_capofila_confirmation",),
    "dates.regional_notice": ("data_regional_notice",),
    "dates.piano_di_zona_approval": ("data_piano_di_zona_approval", "piano_di_zona_periodo"),
    "regional_notice_number": ("comunicato_regionale_numero",),
    "ambito.name": ("ambito",),
    "ambito.capofila": ("capofila", "comune_capofila"),
    "ambito.capofila_role": ("capofila_ruolo",),
    "ambito.province": ("provincia",),
    "ambito.region": ("regione",),
    "ambito.aler": ("aler",),
}
DRAFT_DATE_LINE = "[Proposta di piano, non ancora approvata dall'Assemblea dei Sindaci]"


def marked(text: str) -> str:
    """An unconfirmed value as a draft prints it: never as a plain fact."""
    return f"[da verificare: {text}]" if text else "[da compilare]"


def metadata(config: dict, figures: dict, draft: bool = False, unconfirmed: frozenset = frozenset()) -> dict:
    """The content of cifre.yml: title block, names, dates and every key figure as text.

    In a draft the title block says it is a proposal instead of the approval date, and the texts of
    the `unconfirmed` facts (internal keys) are printed «[da verificare: …]» («[da compilare]» if empty).
    """
    year = int(config["year"])
    dates = {k: dt.date.fromisoformat(v) for k, v in config["dates"].items() if v}
    dates.setdefault("approval", dt.date(year, 1, 1))  # an undated draft (its title block prints no date)
    ambito = config["ambito"]
    piano = {
        "anno": str(year),
        "anno_precedente": str(year - 1),
        "anno_successivo": str(year + 1),
        "ambito": ambito["name"],
        "capofila": ambito["capofila"],
        "comune_capofila": ambito["capofila"].removeprefix("Comune di "),
        "capofila_ruolo": ambito["capofila_role"],
        "provincia": ambito["province"],
        "regione": ambito["region"],
        "aler": ambito["aler"],
        "comunicato_regionale_numero": str(config.get("regional_notice_number", "")),
        "data_approvazione": format_date_long(dates["approval"]),
        "data_popolazione": format_date_short(dates["population_reference"]),
        "data_famiglie": format_date_short(dates["households_reference"]),
        "data_assegnabili_entro": format_date_long(dates["assignable_by"]),
        "data_piano_successivo": format_date_long(dates["next_plan_deadline"]),
        "anno_famiglie": str(dates["households_reference"].year),
    }
    for key in ("capofila_designation", "capofila_confirmation", "regional_notice", "piano_di_zona_approval"):
        if key in dates:
            piano[f"data_{key}"] = format_date_long(dates[key])
    if "piano_di_zona_approval" in dates:
        start = dates["piano_di_zona_approval"].year
        piano["piano_di_zona_periodo"] = f"{start}-{start + 2}"
    for fact in unconfirmed:
        for key in FACT_TEXTS.get(fact, ()):
            piano[key] = marked(piano.get(key, "") if config_value(config, fact) not in (None, "") else "")
    piano.update({key: format_figure(key, value) for key, value in figures.items()})
    return {
        "title": "Piano annuale dell'offerta dei servizi abitativi pubblici e sociali",
        "subtitle": f"{ambito['name']} · anno {year}",
        # Quarto (1.10.18, docs/rendering.md): `date:` must be a date (free text
        # prints "Invalid Date"); `date-format` is a dayjs pattern where [...] is literal text, so
        # the date line reads "Documento approvato dall'Assemblea dei Sindaci del 25 giugno 2019" in
        # all three formats, with Quarto and with the embedded engine alike.
        "date": dates["approval"].isoformat(),
        "date-format": DRAFT_DATE_LINE if draft else "[Documento approvato dall'Assemblea dei Sindaci del] D MMMM YYYY",
        "author": f"{ambito['capofila']}, {ambito['capofila_role']}",
        "piano": piano,
    }


def config_value(config: dict, path: str):
    found = config
    for part in path.split("."):
        found = found.get(part) if isinstance(found, dict) else None
    return found


def metadata_yaml(meta: dict) -> str:
    return yaml.safe_dump(meta, allow_unicode=True, sort_keys=True, width=1000)
