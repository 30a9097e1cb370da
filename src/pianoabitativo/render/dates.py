"""The document's date line as Quarto prints it: `date` must be a date, `date-format` is a dayjs pattern.

What Quarto does (checked on 1.10.18; docs/rendering.md):
- `date:` must be a parseable date; free text becomes "Invalid Date" in all three formats (the
  embedded engine refuses it with a message instead);
- with no `date-format`, HTML prints the `long` form ("25 giugno 2019"), Typst and DOCX the date
  as written (`2019-06-25`);
- `date-format` is a dayjs pattern where `[...]` is literal text, and it also applies to
  `{{< meta date >}}` in the body.
"""

from __future__ import annotations

import datetime as dt
import re

from .errors import RenderError

MONTHS = {
    "it": (
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}
MONTHS_SHORT = {
    "it": ("gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
# Monday first, as Python's weekday().
WEEKDAYS = {
    "it": ("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
WEEKDAYS_SHORT = {
    "it": ("lun", "mar", "mer", "gio", "ven", "sab", "dom"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
WEEKDAYS_MIN = {
    "it": ("lu", "ma", "me", "gi", "ve", "sa", "do"),
    "en": ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"),
}
# Quarto's named formats (the locale's date styles) as dayjs patterns.
NAMED_FORMATS = {
    "it": {
        "full": "dddd D MMMM YYYY",
        "long": "D MMMM YYYY",
        "medium": "D MMM YYYY",
        "short": "DD/MM/YY",
        "iso": "YYYY-MM-DD",
    },
    "en": {
        "full": "dddd, MMMM D, YYYY",
        "long": "MMMM D, YYYY",
        "medium": "MMM D, YYYY",
        "short": "M/D/YY",
        "iso": "YYYY-MM-DD",
    },
}
TOKEN = re.compile(r"\[(?P<literal>[^\]]*)\]|YYYY|YY|MMMM|MMM|MM|M|DD|D|dddd|ddd|dd|d")


def document_language(metadata: dict) -> str:
    lang = str(metadata.get("lang", "en")).replace("_", "-").split("-")[0].lower()
    return lang if lang in MONTHS else "en"


def parse_date(value, epoch: int) -> dt.date:
    """The date of a `date:` value: a YAML date, ISO text, or `today`/`now` (the render's SOURCE_DATE_EPOCH)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if text in ("today", "now"):
        return dt.datetime.fromtimestamp(epoch, dt.UTC).date()
    if re.match(r"^\d{4}-\d{2}-\d{2}([T ].*)?$", text):
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            pass
    raise RenderError(
        f"«date: {text}» non è una data (AAAA-MM-GG): Quarto stamperebbe «Invalid Date». "
        "Scrivere la data in date: e il testo intorno in date-format, tra parentesi quadre "
        '(es. date-format: "[Approvato il] D MMMM YYYY").'
    )


def format_date(date: dt.date, pattern: str, lang: str) -> str:
    """`date` in a dayjs `pattern` (or a named format: full, long, medium, short, iso)."""
    pattern = NAMED_FORMATS[lang].get(pattern, pattern)
    weekday = date.weekday()
    values = {
        "YYYY": f"{date.year:04d}",
        "YY": f"{date.year % 100:02d}",
        "MMMM": MONTHS[lang][date.month - 1],
        "MMM": MONTHS_SHORT[lang][date.month - 1],
        "MM": f"{date.month:02d}",
        "M": str(date.month),
        "DD": f"{date.day:02d}",
        "D": str(date.day),
        "dddd": WEEKDAYS[lang][weekday],
        "ddd": WEEKDAYS_SHORT[lang][weekday],
        "dd": WEEKDAYS_MIN[lang][weekday],
        "d": str((weekday + 1) % 7),
    }
    return TOKEN.sub(lambda m: m.group("literal") if m.group("literal") is not None else values[m.group(0)], pattern)


def date_text(options: dict, fmt: str, epoch: int) -> str | None:
    """The text of the date line for one output format (`options`: the document's options for it)."""
    if options.get("date") in (None, ""):
        return None
    date = parse_date(options["date"], epoch)
    pattern = options.get("date-format")
    if pattern is None:
        if fmt != "html":
            return str(options["date"]) if not isinstance(options["date"], dt.date) else date.isoformat()
        pattern = "long"
    return format_date(date, str(pattern), document_language(options))
