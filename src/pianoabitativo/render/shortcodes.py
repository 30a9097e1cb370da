"""The Markdown pandoc reads: the document's lines with `{{< include >}}` pasted in (recursively),
`{{< pagebreak >}}` written out for every format, and `{{< meta >}}`/`{{< var >}}` replaced by their
values; every line keeps the file and line number it came from, so that errors can name them."""

from __future__ import annotations

import datetime as dt
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from .document import QmdDocument, SourceLine, find_project_dir, load_variables, read_text, source_lines
from .errors import RenderError, display_path

SUPPORTED_SHORTCODES = ("meta", "var", "include", "pagebreak")

INCLUDE_LINE = re.compile(r"^\s*\{\{<\s*include\s+(?P<arg>.*?)\s*>\}\}\s*$")
PAGEBREAK_LINE = re.compile(r"^\s*\{\{<\s*pagebreak\s*>\}\}\s*$")
# What Quarto writes for {{< pagebreak >}}: one raw block per format, pandoc keeps the matching one.
PAGEBREAK_BLOCKS = (
    "",
    "```{=html}",
    '<div style="page-break-after: always;"></div>',
    "```",
    "",
    "```{=typst}",
    "#pagebreak()",
    "```",
    "",
    "```{=openxml}",
    '<w:p><w:r><w:br w:type="page"/></w:r></w:p>',
    "```",
    "",
)
SHORTCODE = re.compile(r"\{\{\{<(?P<escaped>.*?)>\}\}\}|\{\{<\s*(?P<name>[^\s>]+)(?P<args>.*?)>\}\}")


@dataclass(frozen=True)
class ShortcodeContext:
    document: Path
    metadata: dict
    project_dir: Path | None
    variables: dict


class MissingKey(LookupError):
    pass


def lookup_dotted(mapping: dict, key: str):
    """`mapping[key]`, or the value at the dotted path `key` (a.b.c) through nested maps and lists."""
    if key in mapping:
        return mapping[key]
    node = mapping
    for part in key.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise MissingKey(key)
    return node


def scalar_text(value) -> str | None:
    """The text a shortcode puts in place of a YAML scalar; None for maps, lists and null."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (str, int, float)):
        return " ".join(str(value).split())
    return None


def shortcode_argument(args: str, line: SourceLine, name: str) -> str:
    try:
        words = shlex.split(args)
    except ValueError:
        words = []
    if len(words) != 1:
        raise RenderError(f"{line.where()}: lo shortcode «{name}» vuole un solo argomento, trovato «{args.strip()}».")
    return words[0]


def shortcode_value(mapping: dict, shortcode: str, key: str, line: SourceLine, source: str) -> str:
    """The text of `key` in `mapping` for a {{< meta >}} or {{< var >}} shortcode; RenderError naming the line."""
    try:
        value = lookup_dotted(mapping, key)
    except MissingKey:
        raise RenderError(
            f"{line.where()}: {{{{< {shortcode} {key} >}}}}: la chiave «{key}» non esiste {source}."
        ) from None
    text = scalar_text(value)
    if text is None:
        raise RenderError(
            f"{line.where()}: {{{{< {shortcode} {key} >}}}}: «{key}» non è un valore semplice "
            "(testo o numero) ma una mappa, una lista o un valore vuoto."
        )
    return text


def meta_value(key: str, line: SourceLine, context: ShortcodeContext) -> str:
    return shortcode_value(
        context.metadata,
        "meta",
        key,
        line,
        f"nei metadati del documento {context.document.name} (front matter e metadata-files)",
    )


def var_value(key: str, line: SourceLine, context: ShortcodeContext) -> str:
    if context.project_dir is None:
        raise RenderError(
            f"{line.where()}: {{{{< var {key} >}}}} richiede un progetto Quarto (un _quarto.yml nella "
            "cartella del documento o sopra): senza, Quarto lascerebbe il testo vuoto."
        )
    return shortcode_value(
        context.variables, "var", key, line, f"in {display_path(context.project_dir / '_variables.yml')}"
    )


def shortcode_text(match: re.Match, line: SourceLine, context: ShortcodeContext) -> str:
    """What one shortcode occurrence becomes in the Markdown text."""
    if match.group("escaped") is not None:
        return "{{<" + match.group("escaped") + ">}}"
    name, args = match.group("name"), match.group("args")
    if name == "meta":
        return meta_value(shortcode_argument(args, line, name), line, context)
    if name == "var":
        return var_value(shortcode_argument(args, line, name), line, context)
    if name in ("include", "pagebreak"):
        raise RenderError(f"{line.where()}: {{{{< {name} >}}}} deve stare da solo sulla propria riga.")
    raise RenderError(
        f"{line.where()}: lo shortcode «{name}» non è supportato dal motore integrato "
        f"(supportati: {', '.join(SUPPORTED_SHORTCODES)})."
    )


def resolve_shortcodes(line: SourceLine, context: ShortcodeContext) -> str:
    """The line's text with every meta/var shortcode replaced by its value.

    In a pipe-table row a value's "|" is escaped so that it cannot split the cell.
    """
    in_table_row = line.text.lstrip().startswith("|")

    def replace(match: re.Match) -> str:
        text = shortcode_text(match, line, context)
        if in_table_row and match.group("escaped") is None:
            text = text.replace("|", "\\|")
        return text

    return SHORTCODE.sub(replace, line.text)


def include_path(argument: str, line: SourceLine, context: ShortcodeContext) -> Path:
    """The file an include names: relative to the main document, or to the project if it starts with /."""
    name = shortcode_argument(argument, line, "include")
    if name.startswith("/"):
        base = context.project_dir or context.document.parent
        return base / name.lstrip("/")
    return context.document.parent / name


def expand_lines(
    lines: list[SourceLine], context: ShortcodeContext, including: tuple[Path, ...] = ()
) -> list[SourceLine]:
    """Lines with includes pasted in (recursively), page breaks written out, meta/var shortcodes resolved."""
    expanded: list[SourceLine] = []
    for line in lines:
        if PAGEBREAK_LINE.match(line.text):
            expanded += [SourceLine(text, line.file, line.number) for text in PAGEBREAK_BLOCKS]
            continue
        include = INCLUDE_LINE.match(line.text)
        if include is None:
            expanded.append(SourceLine(resolve_shortcodes(line, context), line.file, line.number))
            continue
        path = include_path(include.group("arg"), line, context)
        if not path.is_file():
            raise RenderError(
                f"{line.where()}: il file da includere «{include.group('arg').strip()}» non esiste "
                f"({display_path(path)})."
            )
        if path.resolve() in including:
            raise RenderError(f"{line.where()}: inclusione circolare di «{include.group('arg').strip()}».")
        included = source_lines(path, read_text(path))
        expanded += expand_lines(included, context, including + (path.resolve(),))
    return expanded


def expanded_source(doc: QmdDocument, metadata: dict) -> list[SourceLine]:
    project_dir = find_project_dir(doc.path.parent)
    context = ShortcodeContext(doc.path, metadata, project_dir, load_variables(project_dir))
    return expand_lines(doc.body, context, (doc.path.resolve(),))
