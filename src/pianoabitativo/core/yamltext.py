"""A YAML file that does not parse (config.yaml, plans/<plan>.yaml), as one located problem in Italian.

PyYAML's messages are in English and often point past the mistake: a key without its «:» is reported on
the next line («could not find expected ':'»), a bracket left open where the next key starts. So the
lines before the parser's stop are read first for the typos a person makes when editing by hand (a tab,
a missing «:», a quote or bracket left open, a key indented differently from its neighbours); the first
one found is the problem. Otherwise the parser's own complaint, translated, at the line where the
construct it could not finish began.
"""

from __future__ import annotations

import re

import yaml

from .errors import Problem

KEY = re.compile(r"""^(?:"[^"]*"|'[^']*'|[^\s#'"\[\]{},:][^#:]*?)\s*:(?:\s|$)""")
BLOCK_SCALAR = re.compile(r":\s*[|>][-+0-9]*\s*(#.*)?$")

# PyYAML's complaint -> (what to tell, whether the line where its construct began is the right one)
TRANSLATED = [
    ("tab", "tabulazione nel rientro: per rientrare si usano gli spazi", False),
    ("could not find expected ':'", "manca «:» tra il nome della chiave e il valore", True),
    (
        "mapping values are not allowed",
        "«:» in un punto inatteso (manca «:» in una riga prima, o un valore che contiene «: » va tra virgolette)",
        False,
    ),
    ("expected ',' or ']'", "parentesi «[» aperta e non chiusa", True),
    ("expected ',' or '}'", "parentesi «{» aperta e non chiusa", True),
    ("unexpected end of stream", "virgolette aperte e non chiuse", True),
    (
        "did not find expected key",
        "rientro o struttura non validi (una chiave rientrata diversamente dalle altre dello stesso livello?)",
        False,
    ),
    ("did not find expected '-' indicator", "rientro non valido in un elenco", False),
    ("found duplicate anchor", "ancora YAML ripetuta", False),
    ("found undefined alias", "alias YAML non definito", False),
    ("control characters are not allowed", "carattere di controllo non ammesso", False),
]


def _code(line: str) -> str:
    """The line without its comment (a «#» after a space, outside quotes)."""
    quote = None
    for i, char in enumerate(line):
        if quote:
            if char == quote:
                quote = None
        elif char in "\"'" and (i == 0 or line[i - 1] in " [{,:-"):
            quote = char
        elif char == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i].rstrip()
    return line.rstrip()


def _open_quote(code: str) -> bool:
    """Does the line leave a double-quoted (or single-quoted) value open?"""
    value = code.split(": ", 1)[1].strip() if ": " in code else code.strip().removeprefix("- ").strip()
    if value.startswith('"'):
        return len(re.findall(r'(?<!\\)"', value)) % 2 == 1
    if value.startswith("'"):
        return value.count("'") % 2 == 1
    return False


def _depth(code: str) -> int:
    """Brackets opened minus brackets closed, outside quotes."""
    depth, quote = 0, None
    for char in code:
        if quote:
            if char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
    return depth


def spaces(n: int) -> str:
    return "1 spazio" if n == 1 else f"{n} spazi"


COLON = "«chiave: valore», con uno spazio dopo «:»"
NO_SPACE = re.compile(r"^[\w.-]+:[^\s/]")  # approval:2020-06-25 (a URL's «://» is a value, not a typo)


def likely_typo(text: str, stop_line: int) -> tuple[int, str, str] | None:
    """(line, Italian message, what was expected) of the first hand-editing typo up to `stop_line` (1-based),
    or None."""
    levels = [0]  # the indentation of each open mapping
    opened = False  # the previous key had no value: the next line may go one level deeper
    block_scalar: int | None = None  # indentation of a key whose value is a block of text (| or >)
    list_indent: int | None = None  # inside a list: its items' indentation is not checked
    flow: tuple[int, int, int] | None = None  # (line, indent, depth) of a [ or { still open
    valued: int | None = None  # indentation of the last key with a value on its line (which may go on below)
    for number, raw in enumerate(text.splitlines()[:stop_line], start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        leading = raw[: len(raw) - len(raw.lstrip())]
        if "\t" in leading:
            return number, "tabulazione nel rientro", "rientri fatti di spazi, non di tabulazioni"
        indent = len(leading)
        if block_scalar is not None:
            if indent > block_scalar:
                continue
            block_scalar = None
        code = _code(raw).strip()
        if flow is not None:
            if indent <= flow[1] and KEY.match(code):
                return flow[0], "parentesi aperta e non chiusa", "«]» (o «}») alla fine dell'elenco"
            depth = flow[2] + _depth(code)
            flow = None if depth <= 0 else (flow[0], flow[1], depth)
            continue
        if list_indent is not None and indent < list_indent:
            list_indent = None
        if code.startswith("- ") or code == "-":
            list_indent = indent if list_indent is None else list_indent
            opened, valued = False, None
            continue
        if list_indent is not None:
            continue
        if NO_SPACE.match(code):
            return number, "manca lo spazio dopo «:»", COLON
        if not KEY.match(code):
            if valued is not None and indent > valued:
                continue  # a long value going on, deeper, on the next line: valid YAML
            return number, "manca «:» tra il nome della chiave e il valore", COLON
        if opened and indent > levels[-1]:
            levels.append(indent)
        else:
            known = list(levels)
            while len(levels) > 1 and indent < levels[-1]:
                levels.pop()
            if indent != levels[-1]:
                return (
                    number,
                    f"rientro sbagliato ({spaces(indent)})",
                    "il rientro di una delle chiavi sopra: " + " o ".join(spaces(k) for k in sorted(known)),
                )
        if _open_quote(code):
            return number, "virgolette aperte e non chiuse", "le virgolette chiuse sulla stessa riga"
        if BLOCK_SCALAR.search(raw):
            block_scalar, opened, valued = indent, False, None
            continue
        depth = _depth(code)
        if depth > 0:
            flow = (number, indent, depth)
        opened = code.endswith(":")
        valued = None if opened else indent
    return None


def yaml_problem(file: str, text: str, err: yaml.YAMLError) -> Problem:
    """The located Italian problem of a YAML file that does not parse."""
    mark = getattr(err, "problem_mark", None)
    stop_line = mark.line + 1 if mark else len(text.splitlines())
    typo = likely_typo(text, stop_line)
    lines = text.splitlines()
    expected = COLON
    if typo:
        line, message, expected = typo
    else:
        said = str(getattr(err, "problem", "") or "")
        message, at_start = next(
            ((m, start) for key, m, start in TRANSLATED if key in said), ("sintassi YAML non valida", False)
        )
        context = getattr(err, "context_mark", None)
        line = context.line + 1 if at_start and context else stop_line
    found = _code(lines[line - 1]).strip() if 0 < line <= len(lines) else ""
    found = found if len(found) <= 60 else found[:59] + "…"
    return Problem(file, f"YAML non valido: {message}", row=line, expected=expected, found=found or None)
