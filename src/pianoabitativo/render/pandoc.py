"""The embedded engine: pandoc (pypandoc-binary) with the Lua filters in assets/, then Typst for the PDF.

The document is resolved first as Quarto would (document.py, shortcodes.py); pandoc reads the result
from a temporary folder, the Lua filters check images, turn callouts into boxed notes and
`@tbl-x`/`@fig-x` into "Tabella 1"/"Figura 1" (complaints are traced back to source lines), and
Typst compiles the PDF with its embedded fonts only. `output` is published only on success.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pypandoc
import typst
import yaml

from pianoabitativo.core.files import package_file, write_bytes_atomically

from .document import (QmdDocument, SourceLine, check_nothing_to_execute, document_metadata, format_options,
                       read_document)
from .docx import pandoc_default_reference_docx, with_callout_styles
from .epoch import environment_with_epoch
from .errors import RenderError, display_path, output_tail
from .header import STYLESHEET
from .shortcodes import expanded_source

LUA_FILTERS = tuple(package_file("assets", name) for name in ("images.lua", "callout.lua", "crossref.lua"))
HTML_TEMPLATE = package_file("assets", "piano.html.template")
TYPST_TEMPLATE = package_file("assets", "piano.typ.template")

PANDOC_WRITERS = {"html": "html5", "pdf": "typst", "docx": "docx"}

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

FILTER_PROBLEM = re.compile(r"^piano-(?P<filter>crossref|image): (?P<kind>unknown|duplicate|missing) (?P<id>.+?)\s*$",
                            re.MULTILINE)


# --- options and metadata for pandoc ------------------------------------------------------------

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


def reference_docx_for_render(options: dict, doc: QmdDocument) -> bytes:
    named = option_paths(options, "reference-doc", doc)
    base = named[0].read_bytes() if named else pandoc_default_reference_docx()
    return with_callout_styles(base)


# --- running pandoc and Typst --------------------------------------------------------------------

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
    result = subprocess.run([pypandoc.get_pandoc_path(), *arguments], cwd=workdir, env=environment_with_epoch(epoch),
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
        produced = workdir / ("document.typ" if fmt == "pdf" else f"document.{fmt}")
        args = pandoc_arguments(fmt, options, doc, source, metadata_file, produced)
        if fmt == "docx":
            reference = workdir / "reference.docx"
            reference.write_bytes(reference_docx_for_render(options, doc))
            args += ["--reference-doc", str(reference)]
        run_pandoc(args, lines, doc, fmt, workdir, epoch)
        if fmt == "pdf":
            write_bytes_atomically(output, compile_typst(produced.read_bytes(), doc.path.parent, epoch))
        else:
            write_bytes_atomically(output, produced.read_bytes())
