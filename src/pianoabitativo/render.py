"""Render the plan's Quarto document (report/*.qmd) to HTML, PDF and DOCX.

Two engines give the same documents from the same .qmd:

- "quarto": the Quarto CLI, used when a `quarto` executable is on PATH;
- "embedded": pandoc (pypandoc-binary) and Typst (the `typst` package), for
  machines without Quarto. Python first resolves what Quarto resolves before
  pandoc sees the text (front matter, metadata-files, `{{< meta >}}`,
  `{{< var >}}`, `{{< include >}}`, `{{< pagebreak >}}`); the Lua filters in
  assets/ check images, turn callouts into boxed notes and `@tbl-x`/`@fig-x`
  into "Tabella 1"/"Figura 1"; Typst compiles the PDF with its embedded fonts only.

Outputs are byte-identical for identical inputs (SOURCE_DATE_EPOCH, fixed ZIP
timestamps, no temporary paths in the output) and are written atomically.
docs/rendering.md lists what the embedded engine supports and where it is
stricter than Quarto.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import pypandoc
import typst
import yaml

from .core.files import write_bytes_atomically

ASSETS = Path(__file__).resolve().parent / "assets"
LUA_FILTERS = (ASSETS / "images.lua", ASSETS / "callout.lua", ASSETS / "crossref.lua")
HTML_TEMPLATE = ASSETS / "piano.html.template"
TYPST_TEMPLATE = ASSETS / "piano.typ.template"
STYLESHEET = ASSETS / "piano.css"

ENGINES = ("auto", "quarto", "embedded")
QUARTO_TARGETS = {"html": "html", "pdf": "typst", "docx": "docx"}
OUTPUT_SUFFIXES = {"html": ".html", "pdf": ".pdf", "docx": ".docx"}
PANDOC_WRITERS = {"html": "html5", "pdf": "typst", "docx": "docx"}

# 1980-01-01T00:00:00Z: used when no SOURCE_DATE_EPOCH is given, so that renders
# stay reproducible; it is also the earliest date a ZIP entry can carry.
DEFAULT_SOURCE_DATE_EPOCH = 315532800
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)

# Quarto's own strings (src/resources/language/_language-<lang>.yml).
LANGUAGE_STRINGS = {
    "it": {
        "toc-title": "Indice",
        "crossref-titles": {"tbl": "Tabella", "fig": "Figura"},
        "callout-titles": {"note": "Nota", "tip": "Consiglio", "warning": "Avviso",
                           "important": "Importante", "caution": "Attenzione"},
    },
    "en": {
        "toc-title": "Table of contents",
        "crossref-titles": {"tbl": "Table", "fig": "Figure"},
        "callout-titles": {"note": "Note", "tip": "Tip", "warning": "Warning",
                           "important": "Important", "caution": "Caution"},
    },
}

# Metadata the embedded engine passes on to pandoc's templates.
PANDOC_METADATA_KEYS = ("title", "subtitle", "author", "date", "abstract", "lang", "description", "keywords",
                        "toc-title")
EXECUTING_ENGINES = ("jupyter", "knitr")
SUPPORTED_SHORTCODES = ("meta", "var", "include", "pagebreak")

INCLUDE_LINE = re.compile(r"^\s*\{\{<\s*include\s+(?P<arg>.*?)\s*>\}\}\s*$")
PAGEBREAK_LINE = re.compile(r"^\s*\{\{<\s*pagebreak\s*>\}\}\s*$")
# What Quarto writes for {{< pagebreak >}}: one raw block per format, pandoc keeps the matching one.
PAGEBREAK_BLOCKS = ("", "```{=html}", '<div style="page-break-after: always;"></div>', "```", "",
                    "```{=typst}", "#pagebreak()", "```", "",
                    "```{=openxml}", '<w:p><w:r><w:br w:type="page"/></w:r></w:p>', "```", "")
SHORTCODE = re.compile(r"\{\{\{<(?P<escaped>.*?)>\}\}\}|\{\{<\s*(?P<name>[^\s>]+)(?P<args>.*?)>\}\}")
FILTER_PROBLEM = re.compile(r"^piano-(?P<filter>crossref|image): (?P<kind>unknown|duplicate|missing) (?P<id>.+?)\s*$",
                            re.MULTILINE)


class RenderError(Exception):
    """A document that cannot be rendered; the message says where and why, in plain words."""


# --- engine choice and entry point -------------------------------------------------------------

def detect_engine(requested: str) -> str:
    """The engine to use for `requested` (auto | quarto | embedded): "quarto" or "embedded"."""
    if requested not in ENGINES:
        raise RenderError(f"Motore di rendering sconosciuto «{requested}»: i valori ammessi sono "
                          "auto, quarto, embedded (chiave render.engine di config.yaml).")
    quarto_on_path = shutil.which("quarto") is not None
    if requested == "auto":
        return "quarto" if quarto_on_path else "embedded"
    if requested == "quarto" and not quarto_on_path:
        raise RenderError("È richiesto il motore «quarto» (render.engine: quarto) ma l'eseguibile «quarto» "
                          "non è nel PATH. Installare Quarto, oppure impostare render.engine: auto o embedded "
                          "per usare il motore integrato (pandoc + Typst).")
    return requested


def render(qmd: Path, fmt: str, output: Path, engine: str = "auto", source_date_epoch: int | None = None) -> str:
    """Render `qmd` to `output` in `fmt` (html | pdf | docx); return the engine actually used."""
    qmd = Path(qmd).absolute()
    output = Path(output).absolute()
    if fmt not in QUARTO_TARGETS:
        raise RenderError(f"Formato di uscita sconosciuto «{fmt}»: i valori ammessi sono html, pdf, docx.")
    if not qmd.is_file():
        raise RenderError(f"{display_path(qmd)}: documento non trovato.")
    used = detect_engine(engine)
    epoch = effective_source_date_epoch(source_date_epoch)
    if used == "quarto":
        render_with_quarto(qmd, fmt, output, epoch)
    else:
        render_embedded(qmd, fmt, output, epoch)
    return used


def effective_source_date_epoch(source_date_epoch: int | None) -> int:
    """The given epoch, else $SOURCE_DATE_EPOCH, else DEFAULT_SOURCE_DATE_EPOCH."""
    if source_date_epoch is not None:
        return int(source_date_epoch)
    from_env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if from_env:
        try:
            return int(from_env)
        except ValueError:
            raise RenderError(f"SOURCE_DATE_EPOCH={from_env!r} non è un numero intero di secondi.") from None
    return DEFAULT_SOURCE_DATE_EPOCH


def environment_with_epoch(epoch: int) -> dict[str, str]:
    env = dict(os.environ)
    env["SOURCE_DATE_EPOCH"] = str(epoch)
    return env


def display_path(path: Path) -> str:
    """`path` relative to the working directory when it is below it, else as is."""
    try:
        return str(Path(path).absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def output_tail(text: str, lines: int = 25) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


# --- atomic output ----------------------------------------------------------------------------

def publish_bytes(data: bytes, output: Path) -> None:
    write_bytes_atomically(Path(output), data)


def publish_file(produced: Path, output: Path) -> None:
    publish_bytes(Path(produced).read_bytes(), output)


# --- the Quarto engine ------------------------------------------------------------------------

def quarto_command(quarto: str, qmd_name: str, fmt: str, output_dir: str) -> list[str]:
    """The `quarto render` command line for one format (run with the .qmd's folder as cwd)."""
    return [quarto, "render", qmd_name, "--to", QUARTO_TARGETS[fmt], "--output-dir", output_dir]


def render_with_quarto(qmd: Path, fmt: str, output: Path, epoch: int) -> None:
    """Run Quarto into a temporary folder inside the project, then move the result to `output`.

    The folder is inside the .qmd's folder (Quarto wants output below the project)
    and is passed by its relative name; it is removed afterwards.
    """
    quarto = shutil.which("quarto")
    if quarto is None:
        raise RenderError("L'eseguibile «quarto» non è nel PATH.")
    with tempfile.TemporaryDirectory(dir=qmd.parent, prefix=".quarto-render-") as tmp:
        output_dir = Path(tmp)
        command = quarto_command(quarto, qmd.name, fmt, output_dir.name)
        result = subprocess.run(command, cwd=qmd.parent, env=environment_with_epoch(epoch),
                                capture_output=True, text=True, errors="replace")
        if result.returncode != 0:
            raise RenderError(f"{display_path(qmd)}: «quarto render --to {QUARTO_TARGETS[fmt]}» non è riuscito "
                              f"(codice {result.returncode}):\n{output_tail(result.stderr or result.stdout)}")
        produced = output_dir / (qmd.stem + OUTPUT_SUFFIXES[fmt])
        if not produced.is_file():
            raise RenderError(f"{display_path(qmd)}: Quarto non ha prodotto il file atteso {produced.name}.")
        publish_file(produced, output)


# --- reading the source: front matter, metadata, variables --------------------------------------

@dataclass(frozen=True)
class SourceLine:
    text: str
    file: Path
    number: int  # 1-based line number in `file`

    def where(self) -> str:
        return f"{display_path(self.file)}, riga {self.number}"


@dataclass(frozen=True)
class QmdDocument:
    path: Path
    front_matter: dict
    body: list[SourceLine]


def read_text(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise RenderError(f"{display_path(path)}: il file non è in UTF-8 ({err}).") from None


def source_lines(path: Path, text: str, first_number: int = 1) -> list[SourceLine]:
    return [SourceLine(line, path, first_number + i) for i, line in enumerate(text.splitlines())]


def front_matter_end(lines: list[str]) -> int | None:
    """Index of the line closing a leading YAML block, or None if the text has none."""
    if not lines or lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return index
    return None


def parse_yaml_mapping(text: str, path: Path, first_line: int = 1) -> dict:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f", riga {first_line + mark.line}" if mark is not None else ""
        raise RenderError(f"{display_path(path)}{where}: YAML non valido ({getattr(err, 'problem', err)}).") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise RenderError(f"{display_path(path)}: il YAML deve essere una mappa chiave: valore.")
    return data


def read_document(path: Path) -> QmdDocument:
    text = read_text(path)
    lines = text.splitlines()
    end = front_matter_end(lines)
    if end is None:
        return QmdDocument(path, {}, source_lines(path, text))
    front_matter = parse_yaml_mapping("\n".join(lines[1:end]), path, first_line=2)
    return QmdDocument(path, front_matter, source_lines(path, "\n".join(lines[end + 1:]), end + 2))


def merged_lists(base: list, extra: list) -> list:
    return base + [item for item in extra if item not in base]


def deep_merge(base: dict, override: dict) -> dict:
    """`override` merged into a copy of `base`: maps recursively, lists joined, scalars replaced."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(merged.get(key), dict) and isinstance(value, dict):
            merged[key] = deep_merge(merged[key], value)
        elif isinstance(merged.get(key), list) and isinstance(value, list):
            merged[key] = merged_lists(merged[key], value)
        else:
            merged[key] = value
    return merged


def metadata_file_names(front_matter: dict) -> list[str]:
    names = []
    if front_matter.get("metadata-file"):
        names.append(str(front_matter["metadata-file"]))
    files = front_matter.get("metadata-files") or []
    names += [str(name) for name in (files if isinstance(files, list) else [files])]
    return names


def document_metadata(doc: QmdDocument) -> dict:
    """Front matter with the metadata-files merged over it (Quarto's order: the files win)."""
    metadata = dict(doc.front_matter)
    for name in metadata_file_names(doc.front_matter):
        path = doc.path.parent / name
        if not path.is_file():
            raise RenderError(f"{display_path(doc.path)}: il file di metadati «{name}» (metadata-files) non esiste "
                              f"({display_path(path)}).")
        metadata = deep_merge(metadata, parse_yaml_mapping(read_text(path), path))
    return metadata


def find_project_dir(start: Path) -> Path | None:
    """The nearest folder, from `start` up, holding a _quarto.yml: Quarto's project folder."""
    for folder in (start, *start.parents):
        if (folder / "_quarto.yml").is_file() or (folder / "_quarto.yaml").is_file():
            return folder
    return None


def load_variables(project_dir: Path | None) -> dict:
    if project_dir is None:
        return {}
    path = project_dir / "_variables.yml"
    return parse_yaml_mapping(read_text(path), path) if path.is_file() else {}


def check_nothing_to_execute(doc: QmdDocument) -> None:
    engine = str(doc.front_matter.get("engine", "markdown"))
    if engine in EXECUTING_ENGINES or "jupyter" in doc.front_matter:
        raise RenderError(f"{display_path(doc.path)}: il documento chiede l'esecuzione di codice (engine: {engine}); "
                          "il motore integrato non esegue codice: usare engine: markdown oppure Quarto.")


# --- shortcodes and includes ------------------------------------------------------------------

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
        raise RenderError(f"{line.where()}: lo shortcode «{name}» vuole un solo argomento, "
                          f"trovato «{args.strip()}».")
    return words[0]


def shortcode_value(mapping: dict, shortcode: str, key: str, line: SourceLine, source: str) -> str:
    """The text of `key` in `mapping` for a {{< meta >}} or {{< var >}} shortcode; RenderError naming the line."""
    try:
        value = lookup_dotted(mapping, key)
    except MissingKey:
        raise RenderError(f"{line.where()}: {{{{< {shortcode} {key} >}}}}: la chiave «{key}» non esiste "
                          f"{source}.") from None
    text = scalar_text(value)
    if text is None:
        raise RenderError(f"{line.where()}: {{{{< {shortcode} {key} >}}}}: «{key}» non è un valore semplice "
                          "(testo o numero) ma una mappa, una lista o un valore vuoto.")
    return text


def meta_value(key: str, line: SourceLine, context: ShortcodeContext) -> str:
    return shortcode_value(context.metadata, "meta", key, line, f"nei metadati del documento "
                           f"{context.document.name} (front matter e metadata-files)")


def var_value(key: str, line: SourceLine, context: ShortcodeContext) -> str:
    if context.project_dir is None:
        raise RenderError(f"{line.where()}: {{{{< var {key} >}}}} richiede un progetto Quarto (un _quarto.yml nella "
                          "cartella del documento o sopra): senza, Quarto lascerebbe il testo vuoto.")
    return shortcode_value(context.variables, "var", key, line,
                           f"in {display_path(context.project_dir / '_variables.yml')}")


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
    raise RenderError(f"{line.where()}: lo shortcode «{name}» non è supportato dal motore integrato "
                      f"(supportati: {', '.join(SUPPORTED_SHORTCODES)}).")


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


def expand_lines(lines: list[SourceLine], context: ShortcodeContext,
                 including: tuple[Path, ...] = ()) -> list[SourceLine]:
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
            raise RenderError(f"{line.where()}: il file da includere «{include.group('arg').strip()}» non esiste "
                              f"({display_path(path)}).")
        if path.resolve() in including:
            raise RenderError(f"{line.where()}: inclusione circolare di «{include.group('arg').strip()}».")
        included = source_lines(path, read_text(path))
        expanded += expand_lines(included, context, including + (path.resolve(),))
    return expanded


def expanded_source(doc: QmdDocument, metadata: dict) -> list[SourceLine]:
    project_dir = find_project_dir(doc.path.parent)
    context = ShortcodeContext(doc.path, metadata, project_dir, load_variables(project_dir))
    return expand_lines(doc.body, context, (doc.path.resolve(),))


# --- options and metadata for pandoc ------------------------------------------------------------

def format_options(metadata: dict, fmt: str) -> dict:
    """The document's options for one format: top-level keys, overridden by format: <target>: keys."""
    formats = metadata.get("format")
    specific = formats.get(QUARTO_TARGETS[fmt]) if isinstance(formats, dict) else None
    return deep_merge({k: v for k, v in metadata.items() if k != "format"},
                      specific if isinstance(specific, dict) else {})


def language_strings(metadata: dict) -> dict:
    """Quarto's words for the document's language (toc title, crossref and callout titles)."""
    lang = str(metadata.get("lang", "en")).replace("_", "-").split("-")[0].lower()
    strings = LANGUAGE_STRINGS.get(lang, LANGUAGE_STRINGS["en"])
    crossref = metadata.get("crossref") if isinstance(metadata.get("crossref"), dict) else {}
    titles = dict(strings["crossref-titles"])
    for kind in titles:
        if crossref.get(f"{kind}-title"):
            titles[kind] = str(crossref[f"{kind}-title"])
    return {"toc-title": strings["toc-title"], "crossref-titles": titles,
            "callout-titles": dict(strings["callout-titles"])}


def yaml_safe(value):
    """Dates as ISO text; everything else as it is (pandoc reads metadata as Markdown)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): yaml_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [yaml_safe(v) for v in value]
    return value


def pandoc_metadata(metadata: dict) -> dict:
    strings = language_strings(metadata)
    selected = {key: yaml_safe(metadata[key]) for key in PANDOC_METADATA_KEYS if key in metadata}
    selected.setdefault("toc-title", strings["toc-title"])
    selected["piano-render"] = {"crossref-titles": strings["crossref-titles"],
                                "callout-titles": strings["callout-titles"]}
    return selected


def option_paths(options: dict, key: str, doc: QmdDocument) -> list[Path]:
    """Files named by a format option (a string or a list), relative to the document; all must exist."""
    value = options.get(key) or []
    names = value if isinstance(value, list) else [value]
    paths = []
    for name in names:
        if isinstance(name, dict):
            name = name.get("file") or ""
        path = doc.path.parent / str(name)
        if not path.is_file():
            raise RenderError(f"{display_path(doc.path)}: il file «{name}» indicato in «{key}» non esiste "
                              f"({display_path(path)}).")
        paths.append(path)
    return paths


def include_arguments(options: dict, doc: QmdDocument) -> list[str]:
    args = []
    for key in ("include-in-header", "include-before-body", "include-after-body"):
        for path in option_paths(options, key, doc):
            args += [f"--{key}", str(path)]
    return args


def toc_arguments(options: dict) -> list[str]:
    args = []
    if options.get("toc"):
        args += ["--toc", f"--toc-depth={int(options.get('toc-depth', 3))}"]
    if options.get("number-sections"):
        args.append("--number-sections")
    return args


def stylesheets(options: dict, doc: QmdDocument) -> list[Path]:
    """The package stylesheet, then the document's own (skipped when it is a copy of the package's)."""
    own = option_paths(options, "css", doc)
    base = [] if any(path.read_bytes() == STYLESHEET.read_bytes() for path in own) else [STYLESHEET]
    return base + own


def html_arguments(options: dict, doc: QmdDocument) -> list[str]:
    args = ["--template", str(HTML_TEMPLATE), "--embed-resources"]
    for css in stylesheets(options, doc):
        args += ["--css", str(css)]
    return args


def typst_arguments(options: dict) -> list[str]:
    args = ["--template", str(TYPST_TEMPLATE), "--variable", f"papersize={options.get('papersize', 'a4')}"]
    if options.get("mainfont"):
        args += ["--variable", f"mainfont={options['mainfont']}"]
    if options.get("number-sections"):
        args += ["--variable", "section-numbering=1.1."]
    return args


# --- running pandoc and Typst --------------------------------------------------------------------

def pandoc_path() -> str:
    return pypandoc.get_pandoc_path()


def problem_pattern_and_text(kind: str, name: str) -> tuple[re.Pattern, str]:
    """How to find one filter complaint in the source lines, and how to say it."""
    if kind == "unknown":
        return (re.compile(r"@" + re.escape(name) + r"(?![\w-])"),
                f"il riferimento «@{name}» non corrisponde a nessuna tabella o figura con etichetta {{#{name}}}")
    if kind == "duplicate":
        return re.compile(r"\{#" + re.escape(name) + r"[\s}]"), f"l'etichetta {{#{name}}} è usata più di una volta"
    return re.compile(r"\]\(\s*<?" + re.escape(name) + r"[\s>)]"), f"l'immagine «{name}» non esiste"


def filter_problems(stderr: str, lines: list[SourceLine]) -> str | None:
    """The Lua filters' complaints (see assets/*.lua), each with the source lines involved; None if none."""
    problems = []
    for match in FILTER_PROBLEM.finditer(stderr):
        pattern, text = problem_pattern_and_text(match.group("kind"), match.group("id"))
        places = [line.where() for line in lines if pattern.search(line.text)]
        problems.append(f"{'; '.join(places) or 'documento'}: {text}.")
    return "\n".join(dict.fromkeys(problems)) or None


def run_pandoc(arguments: list[str], lines: list[SourceLine], doc: QmdDocument, fmt: str,
               workdir: Path, epoch: int) -> None:
    result = subprocess.run([pandoc_path(), *arguments], cwd=workdir, env=environment_with_epoch(epoch),
                            capture_output=True, text=True, errors="replace")
    if result.returncode != 0:
        problems = filter_problems(result.stderr, lines)
        if problems:
            raise RenderError(f"{display_path(doc.path)} non può essere composto:\n{problems}")
        raise RenderError(f"{display_path(doc.path)}: pandoc non è riuscito a produrre il formato {fmt} "
                          f"(codice {result.returncode}):\n{output_tail(result.stderr)}")
    if result.stderr.strip():
        sys.stderr.write(result.stderr)


def compile_typst(source: bytes, root: Path, epoch: int) -> bytes:
    """PDF bytes from Typst source, with Typst's embedded fonts only and a fixed timestamp."""
    try:
        pdf, warnings = typst.compile_with_warnings(source, root=str(root), font_paths=[],
                                                    ignore_system_fonts=True, timestamp=epoch)
    except typst.TypstError as err:
        detail = "\n".join(filter(None, [err.message, getattr(err, "diagnostic", ""), *getattr(err, "hints", [])]))
        raise RenderError(f"Typst non è riuscito a comporre il PDF:\n{detail}") from None
    for warning in warnings:
        sys.stderr.write(f"typst: {getattr(warning, 'message', warning)}\n")
    return pdf


def pandoc_arguments(fmt: str, options: dict, doc: QmdDocument, source: Path, metadata_file: Path,
                     output: Path) -> list[str]:
    """The full pandoc command line (without the executable) for one format."""
    args = [str(source), "--from", "markdown", "--to", PANDOC_WRITERS[fmt], "--standalone", "--wrap=none",
            "--metadata-file", str(metadata_file), "--resource-path", str(doc.path.parent),
            "--output", str(output)]
    for lua_filter in LUA_FILTERS:
        args += ["--lua-filter", str(lua_filter)]
    args += toc_arguments(options) + include_arguments(options, doc)
    if fmt == "html":
        args += html_arguments(options, doc)
    elif fmt == "pdf":
        args += typst_arguments(options)
    return args


def write_pandoc_inputs(workdir: Path, lines: list[SourceLine], metadata: dict) -> tuple[Path, Path]:
    """The resolved Markdown and pandoc's metadata file, written in `workdir`; their paths."""
    source = workdir / "document.md"
    source.write_text("\n".join(line.text for line in lines) + "\n", encoding="utf-8")
    metadata_file = workdir / "metadata.yaml"
    metadata_file.write_text(yaml.safe_dump(pandoc_metadata(metadata), allow_unicode=True, sort_keys=True),
                             encoding="utf-8")
    return source, metadata_file


def render_embedded(qmd: Path, fmt: str, output: Path, epoch: int) -> None:
    """Render with pandoc + Typst in a temporary folder; publish `output` only on success."""
    doc = read_document(qmd)
    check_nothing_to_execute(doc)
    metadata = document_metadata(doc)
    lines = expanded_source(doc, metadata)
    options = format_options(metadata, fmt)
    with tempfile.TemporaryDirectory(prefix="piano-render-") as tmp:
        workdir = Path(tmp)
        source, metadata_file = write_pandoc_inputs(workdir, lines, metadata)
        produced = workdir / ("document.typ" if fmt == "pdf" else "document" + OUTPUT_SUFFIXES[fmt])
        args = pandoc_arguments(fmt, options, doc, source, metadata_file, produced)
        if fmt == "docx":
            reference = workdir / "reference.docx"
            reference.write_bytes(reference_docx_for_render(options, doc))
            args += ["--reference-doc", str(reference)]
        run_pandoc(args, lines, doc, fmt, workdir, epoch)
        if fmt == "pdf":
            publish_bytes(compile_typst(produced.read_bytes(), doc.path.parent, epoch), output)
        else:
            publish_file(produced, output)


# --- DOCX: reference documents ----------------------------------------------------------------

WORD_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
           'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
RELATIONSHIP_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEADER_ID, FOOTER_ID = "rIdPianoHeader", "rIdPianoFooter"
A4_SECTION = ('<w:pgSz w:w="11906" w:h="16838"/>'
              '<w:pgMar w:top="1701" w:right="1417" w:bottom="1417" w:left="1417" w:header="567" '
              'w:footer="567" w:gutter="0"/>')
CALLOUT_COLORS = {"Note": ("1F4E79", "EEF3F8"), "Tip": ("2E6B30", "EFF5EF"), "Important": ("9B2226", "F8EEEE"),
                  "Warning": ("A4570E", "FBF3EA"), "Caution": ("A4570E", "FBF3EA")}
DATA_TABLE_STYLE = (
    '<w:style w:type="table" w:default="1" w:styleId="Table"><w:name w:val="Table"/>'
    '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:qFormat/>'
    '<w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>'
    '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblBorders>'
    '<w:top w:val="single" w:sz="8" w:space="0" w:color="777777"/>'
    '<w:bottom w:val="single" w:sz="8" w:space="0" w:color="777777"/>'
    '<w:insideH w:val="single" w:sz="4" w:space="0" w:color="D0D0D0"/></w:tblBorders>'
    '<w:tblCellMar><w:top w:w="30" w:type="dxa"/><w:left w:w="100" w:type="dxa"/>'
    '<w:bottom w:w="30" w:type="dxa"/><w:right w:w="100" w:type="dxa"/></w:tblCellMar></w:tblPr>'
    '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr><w:tcPr><w:tcBorders>'
    '<w:bottom w:val="single" w:sz="6" w:space="0" w:color="777777"/></w:tcBorders>'
    '<w:shd w:val="clear" w:color="auto" w:fill="E8E8E8"/><w:vAlign w:val="bottom"/></w:tcPr></w:tblStylePr>'
    '</w:style>')


def pandoc_default_reference_docx() -> bytes:
    """pandoc's built-in reference.docx (`pandoc --print-default-data-file reference.docx`)."""
    result = subprocess.run([pandoc_path(), "--print-default-data-file", "reference.docx"], capture_output=True)
    if result.returncode != 0:
        raise RenderError("pandoc non ha fornito il reference.docx predefinito: "
                          + result.stderr.decode("utf-8", "replace").strip())
    return result.stdout


def zip_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def deterministic_zip(members: dict[str, bytes]) -> bytes:
    """A ZIP with [Content_Types].xml first, the other members sorted, fixed dates and attributes."""
    buffer = io.BytesIO(b"")
    names = sorted(members, key=lambda name: (name != "[Content_Types].xml", name))
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, members[name], compresslevel=9)
    return buffer.getvalue()


def callout_style_xml(kind: str, border: str, fill: str) -> str:
    """A Word table style "Callout<Kind>": thin frame, thick coloured left rule, light shading."""
    return (f'<w:style w:type="table" w:customStyle="1" w:styleId="Callout{kind}"><w:name w:val="Callout{kind}"/>'
            '<w:tblPr><w:tblBorders>'
            f'<w:top w:val="single" w:sz="4" w:space="0" w:color="{border}"/>'
            f'<w:left w:val="single" w:sz="24" w:space="0" w:color="{border}"/>'
            f'<w:bottom w:val="single" w:sz="4" w:space="0" w:color="{border}"/>'
            f'<w:right w:val="single" w:sz="4" w:space="0" w:color="{border}"/></w:tblBorders>'
            '<w:tblCellMar><w:top w:w="80" w:type="dxa"/><w:left w:w="160" w:type="dxa"/>'
            '<w:bottom w:w="80" w:type="dxa"/><w:right w:w="160" w:type="dxa"/></w:tblCellMar></w:tblPr>'
            f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{fill}"/></w:tcPr></w:style>')


def with_styles(styles_xml: str, styles: dict[str, str], replace: bool) -> str:
    """styles.xml with each style of `styles` (id -> XML) added, or replaced when `replace`."""
    for style_id, style in styles.items():
        existing = re.compile(r'<w:style\b[^>]*w:styleId="' + re.escape(style_id) + r'"[^>]*>.*?</w:style>', re.S)
        if existing.search(styles_xml):
            if replace:
                styles_xml = existing.sub(lambda _: style, styles_xml, count=1)
        else:
            styles_xml = styles_xml.replace("</w:styles>", style + "</w:styles>", 1)
    return styles_xml


def callout_styles() -> dict[str, str]:
    return {f"Callout{kind}": callout_style_xml(kind, *colors) for kind, colors in CALLOUT_COLORS.items()}


def with_callout_styles(docx: bytes) -> bytes:
    """The reference document with the callout table styles added where missing."""
    members = zip_members(docx)
    styles = members["word/styles.xml"].decode("utf-8")
    members["word/styles.xml"] = with_styles(styles, callout_styles(), replace=False).encode("utf-8")
    return deterministic_zip(members)


def reference_docx_for_render(options: dict, doc: QmdDocument) -> bytes:
    named = option_paths(options, "reference-doc", doc)
    base = named[0].read_bytes() if named else pandoc_default_reference_docx()
    return with_callout_styles(base)


def word_paragraph(text: str, bold: bool, size_half_points: int, align: str) -> str:
    """One header line as a WordprocessingML paragraph with no spacing around it."""
    size = f'<w:sz w:val="{size_half_points}"/><w:szCs w:val="{size_half_points}"/>'
    run_props = ("<w:b/><w:bCs/>" if bold else "") + size
    return (f'<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
            f'<w:jc w:val="{align}"/></w:pPr><w:r><w:rPr>{run_props}</w:rPr>'
            f'<w:t xml:space="preserve">{xml_escape(text)}</w:t></w:r></w:p>')


def word_header_xml(left_lines: list[str], right_lines: list[str]) -> str:
    """A page header: left lines in bold, right lines small and right-aligned, a thin rule below."""
    left = "".join(word_paragraph(line, True, 18, "left") for line in left_lines or [""])
    right = "".join(word_paragraph(line, False, 15, "right") for line in right_lines or [""])
    cell_props = '<w:tcPr><w:tcW w:w="2500" w:type="pct"/><w:vAlign w:val="bottom"/></w:tcPr>'
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:hdr {WORD_NS}><w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/>'
            '<w:tblBorders><w:bottom w:val="single" w:sz="4" w:space="0" w:color="777777"/></w:tblBorders>'
            '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:bottom w:w="60" '
            'w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="0000"/></w:tblPr>'
            '<w:tblGrid><w:gridCol w:w="4536"/><w:gridCol w:w="4536"/></w:tblGrid><w:tr>'
            f'<w:tc>{cell_props}{left}</w:tc><w:tc>{cell_props}{right}</w:tc></w:tr></w:tbl>'
            '<w:p><w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr></w:p></w:hdr>')


def word_footer_xml() -> str:
    """A page footer with the page number, centred."""
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:ftr {WORD_NS}><w:p><w:pPr><w:spacing w:before="0" w:after="0"/><w:jc w:val="center"/></w:pPr>'
            '<w:fldSimple w:instr=" PAGE "><w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t>1</w:t></w:r></w:fldSimple>'
            '</w:p></w:ftr>')


def with_relationship(rels_xml: str, rel_id: str, kind: str, target: str) -> str:
    if f'Id="{rel_id}"' in rels_xml:
        return rels_xml
    relationship = f'<Relationship Id="{rel_id}" Type="{RELATIONSHIP_TYPES}/{kind}" Target="{target}"/>'
    return rels_xml.replace("</Relationships>", relationship + "</Relationships>", 1)


def with_content_type(types_xml: str, part: str, content_type: str) -> str:
    if f'PartName="{part}"' in types_xml:
        return types_xml
    override = f'<Override PartName="{part}" ContentType="{content_type}"/>'
    return types_xml.replace("</Types>", override + "</Types>", 1)


def with_header_section(document_xml: str) -> str:
    """document.xml whose final section uses the header and footer, on A4 paper."""
    section = (f'<w:sectPr><w:headerReference w:type="default" r:id="{HEADER_ID}"/>'
               f'<w:footerReference w:type="default" r:id="{FOOTER_ID}"/>'
               f'<w:footnotePr><w:numRestart w:val="eachSect"/></w:footnotePr>{A4_SECTION}</w:sectPr>')
    replaced, count = re.subn(r"<w:sectPr\b.*?</w:sectPr>", lambda _: section, document_xml, flags=re.S)
    return replaced if count else document_xml.replace("</w:body>", section + "</w:body>", 1)


def reference_docx_bytes(left_lines: list[str], right_lines: list[str]) -> bytes:
    members = zip_members(pandoc_default_reference_docx())
    styles = members["word/styles.xml"].decode("utf-8")
    styles = with_styles(styles, {"Table": DATA_TABLE_STYLE, **callout_styles()}, replace=True)
    members["word/styles.xml"] = styles.encode("utf-8")
    members["word/header1.xml"] = word_header_xml(left_lines, right_lines).encode("utf-8")
    members["word/footer1.xml"] = word_footer_xml().encode("utf-8")
    rels = members["word/_rels/document.xml.rels"].decode("utf-8")
    rels = with_relationship(rels, HEADER_ID, "header", "header1.xml")
    members["word/_rels/document.xml.rels"] = with_relationship(rels, FOOTER_ID, "footer", "footer1.xml").encode()
    types = members["[Content_Types].xml"].decode("utf-8")
    types = with_content_type(types, "/word/header1.xml",
                              "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml")
    members["[Content_Types].xml"] = with_content_type(
        types, "/word/footer1.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
    ).encode("utf-8")
    members["word/document.xml"] = with_header_section(members["word/document.xml"].decode("utf-8")).encode("utf-8")
    return deterministic_zip(members)


# --- running headers for the three formats ----------------------------------------------------

def typst_string(text: str) -> str:
    """A Typst string literal for plain text."""
    escaped = " ".join(str(text).split()).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def typst_lines(lines: list[str]) -> str:
    return "(" + "".join(typst_string(line) + ", " for line in lines) + ").join(linebreak())"


def header_typst(left_lines: list[str], right_lines: list[str]) -> str:
    """Typst code setting a running header (ambito left, capofila right, thin rule) and page numbers."""
    return f"""// Running header and page numbers (generated by pianoabitativo.render.write_header_typst).
#set page(
  header: [
    #set par(justify: false, leading: 0.35em)
    #grid(
      columns: (1fr, 1fr),
      align: (left + bottom, right + bottom),
      text(size: 8.5pt, weight: "bold")[#{typst_lines(left_lines)}],
      text(size: 7.5pt)[#{typst_lines(right_lines)}],
    )
    #v(-0.45em)
    #line(length: 100%, stroke: 0.5pt + luma(110))
  ],
  footer: context align(center, text(size: 9pt)[#counter(page).display("1")]),
)
"""


def header_html(left_lines: list[str], right_lines: list[str]) -> str:
    """An HTML header block (with its own small stylesheet) placed before the document body."""
    left = "<br>\n".join(html.escape(line) for line in left_lines)
    right = "<br>\n".join(html.escape(line) for line in right_lines)
    return f"""<header class="piano-header">
<style>
.piano-header {{ display: flex; justify-content: space-between; align-items: flex-end; gap: 1rem;
  width: calc(100% - 3rem); max-width: 49rem; margin: 0 auto; padding: 1rem 0 .5rem;
  border-bottom: 1px solid #777; font-family: inherit; line-height: 1.25; }}
.piano-header-left {{ font-weight: bold; font-size: .95rem; }}
.piano-header-right {{ text-align: right; font-size: .8rem; color: #333; }}
</style>
<div class="piano-header-left">{left}</div>
<div class="piano-header-right">{right}</div>
</header>
"""


def write_header_typst(path: Path, left_lines: list[str], right_lines: list[str]) -> None:
    """Write the Typst running header (for `format: typst: include-in-header:`)."""
    publish_bytes(header_typst(left_lines, right_lines).encode("utf-8"), Path(path))


def write_header_html(path: Path, left_lines: list[str], right_lines: list[str]) -> None:
    """Write the HTML header block (for `format: html: include-before-body:`)."""
    publish_bytes(header_html(left_lines, right_lines).encode("utf-8"), Path(path))


def write_reference_docx(path: Path, left_lines: list[str], right_lines: list[str]) -> None:
    """Write a reference.docx (for `format: docx: reference-doc:`) with the same page header,
    page numbers in the footer, A4 paper, table and callout styles; byte-identical on every run."""
    publish_bytes(reference_docx_bytes(left_lines, right_lines), Path(path))


def write_stylesheet(path: Path) -> None:
    """Copy the package's piano.css (for `format: html: css:`, so Quarto uses it too)."""
    publish_file(STYLESHEET, Path(path))
