"""The embedded engine: pandoc (pypandoc-binary) with the Lua filters in assets/, then Typst for the PDF.

The document is resolved first as Quarto would (document.py, shortcodes.py); pandoc reads the result
from a temporary folder, the Lua filters check images, turn callouts into boxed notes and
`@tbl-x`/`@fig-x` into "Tabella 1"/"Figura 1" (complaints are traced back to source lines), and
Typst compiles the PDF with its embedded fonts only. `output` is published only on success.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import subprocess
import tempfile
from pathlib import Path

import pypandoc
import typst
import yaml

from pianoabitativo.core.files import package_file, write_bytes_atomically

from .dates import date_text
from .document import (
    QmdDocument,
    SourceLine,
    check_nothing_to_execute,
    document_metadata,
    format_options,
    read_document,
)
from .docx import finished_docx, pandoc_default_reference_docx, with_callout_styles
from .epoch import environment_with_epoch
from .errors import RenderError, display_path, output_tail
from .header import QUOTES_FILTER, STYLESHEET, TYPST_PARTIAL
from .shortcodes import expanded_source

LOG = logging.getLogger(__name__)

LUA_FILTERS = (
    *(package_file("assets", name) for name in ("options.lua", "images.lua", "callout.lua", "crossref.lua")),
    QUOTES_FILTER,
)
HTML_TEMPLATE = package_file("assets", "piano.html.template")
TYPST_TEMPLATE = package_file("assets", "piano.typ.template")
# The line of piano.typ.template replaced by the `article` partial (typst-template.typ).
TYPST_PARTIAL_MARKER = "PIANO-TYPST-TEMPLATE"
# The only partial names Quarto (1.10.18) accepts for Typst, in its template's order; any other name fails.
QUARTO_TYPST_PARTIALS = (
    "numbering.typ",
    "definitions.typ",
    "typst-template.typ",
    "page.typ",
    "typst-show.typ",
    "notes.typ",
    "biblio.typ",
)
# Quarto's labels for the other formats of the document (HTML "format-links").
FORMAT_LINK_NAMES = {"typst": ("Typst", ".pdf"), "docx": ("MS Word", ".docx")}
TOC_LOCATIONS = ("body", "left", "right", "left-body", "right-body")

PANDOC_WRITERS = {"html": "html5", "pdf": "typst", "docx": "docx"}
# The PDF standards typst 0.15 (the `typst` package) accepts, as Quarto's `pdf-standard` spells them.
TYPST_PDF_STANDARDS = (
    "1.4",
    "1.5",
    "1.6",
    "1.7",
    "2.0",
    "a-1b",
    "a-1a",
    "a-2b",
    "a-2u",
    "a-2a",
    "a-3b",
    "a-3u",
    "a-3a",
    "a-4",
    "a-4f",
    "a-4e",
    "ua-1",
)

# Quarto's own strings (src/resources/language/_language-<lang>.yml).
LANGUAGE_STRINGS = {
    "it": {
        "toc-title": "Indice",
        "other-formats": "Altri Formati",
        "title-block-author": "Autore/Autrice",
        "title-block-published": "Data di pubblicazione",
        "crossref-titles": {"tbl": "Tabella", "fig": "Figura"},
        "callout-titles": {
            "note": "Nota",
            "tip": "Consiglio",
            "warning": "Avviso",
            "important": "Importante",
            "caution": "Attenzione",
        },
    },
    "en": {
        "toc-title": "Table of contents",
        "other-formats": "Other Formats",
        "title-block-author": "Author",
        "title-block-published": "Published",
        "crossref-titles": {"tbl": "Table", "fig": "Figure"},
        "callout-titles": {
            "note": "Note",
            "tip": "Tip",
            "warning": "Warning",
            "important": "Important",
            "caution": "Caution",
        },
    },
}

# Metadata the embedded engine passes on to pandoc's templates.
PANDOC_METADATA_KEYS = (
    "title",
    "subtitle",
    "author",
    "date",
    "abstract",
    "lang",
    "description",
    "keywords",
    "toc-title",
)

FILTER_PROBLEM = re.compile(
    r"^piano-(?P<filter>crossref|image): (?P<kind>unknown|duplicate|missing) (?P<id>.+?)\s*$", re.MULTILINE
)


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
    return {**strings, "crossref-titles": titles, "callout-titles": dict(strings["callout-titles"])}


def yaml_safe(value):
    """Dates as ISO text; everything else as it is (pandoc reads metadata as Markdown)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): yaml_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [yaml_safe(v) for v in value]
    return value


def format_links(metadata: dict, options: dict, doc: QmdDocument) -> list[dict]:
    """HTML links to the document's other formats (Quarto's "Altri Formati"); none with format-links: false."""
    formats = metadata.get("format") if isinstance(metadata.get("format"), dict) else {}
    if options.get("format-links") is False or len(formats) < 2:
        return []
    return [
        {"name": FORMAT_LINK_NAMES[target][0], "href": doc.path.stem + FORMAT_LINK_NAMES[target][1]}
        for target in formats
        if target in FORMAT_LINK_NAMES
    ]


def html_layout(metadata: dict, options: dict, doc: QmdDocument) -> dict:
    """Template variables for Quarto's HTML options: toc-location, title-block-style, format-links.

    As Quarto does (1.10.18, docs/rendering.md): the TOC is in the right margin unless
    `toc-location` says otherwise (`body`: after the title block); `title-block-style: none` is
    pandoc's plain title block, any other style adds the labels "Autore/Autrice" and "Data di
    pubblicazione"; `format-links: false` removes the "Altri Formati" links.
    """
    location = str(options.get("toc-location", "right"))
    if location not in TOC_LOCATIONS:
        raise RenderError(
            f"{display_path(doc.path)}: toc-location «{location}» non valido: i valori ammessi sono "
            f"{', '.join(TOC_LOCATIONS)}."
        )
    layout = {"toc-location": location.split("-")[0], "title-labels": options.get("title-block-style") != "none"}
    links = format_links(metadata, options, doc)
    if links:
        layout["format-links"] = links
    return layout


def pandoc_metadata(metadata: dict, options: dict | None = None, fmt: str = "html", extra: dict | None = None) -> dict:
    """The metadata pandoc's templates and the Lua filters read, for one output format."""
    options = metadata if options is None else options
    strings = language_strings(options)
    selected = {key: yaml_safe(options[key]) for key in PANDOC_METADATA_KEYS if key in options}
    selected.setdefault("toc-title", strings["toc-title"])
    selected["piano-render"] = {
        "crossref-titles": strings["crossref-titles"],
        "callout-titles": strings["callout-titles"],
        "other-formats": strings["other-formats"],
        "title-block-author": strings["title-block-author"],
        "title-block-published": strings["title-block-published"],
        **(extra or {}),
    }
    if "tbl-colwidths" in options:
        selected["piano-render"]["tbl-colwidths"] = yaml_safe(options["tbl-colwidths"])
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
            raise RenderError(
                f"{display_path(doc.path)}: il file «{name}» indicato in «{key}» non esiste ({display_path(path)})."
            )
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


def typst_partial(options: dict, doc: QmdDocument) -> bytes:
    """The `article` partial: the document's `template-partials` typst-template.typ, else the package's.

    The embedded engine's Typst template has Quarto's order (docs/rendering.md), so the
    same typst-template.typ gives the same title block, headings and contents page in both engines.
    """
    for path in option_paths(options, "template-partials", doc):
        if path.name not in QUARTO_TYPST_PARTIALS:
            raise RenderError(
                f"{display_path(doc.path)}: template-partials: «{path.name}» non è un partial di "
                f"Quarto per Typst (ammessi: {', '.join(QUARTO_TYPST_PARTIALS)})."
            )
        if path.name != "typst-template.typ":
            raise RenderError(
                f"{display_path(doc.path)}: template-partials: il motore integrato sostituisce solo "
                f"typst-template.typ, non «{path.name}»."
            )
        return path.read_bytes()
    return TYPST_PARTIAL.read_bytes()


def with_typst_partial(typst_source: bytes, partial: bytes) -> bytes:
    marker = TYPST_PARTIAL_MARKER.encode()
    return typst_source.replace(b"\n" + marker + b"\n", b"\n" + partial.rstrip(b"\n") + b"\n", 1)


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
        return (
            re.compile(r"@" + re.escape(name) + r"(?![\w-])"),
            f"il riferimento «@{name}» non corrisponde a nessuna tabella o figura con etichetta {{#{name}}}",
        )
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


def run_pandoc(
    arguments: list[str], lines: list[SourceLine], doc: QmdDocument, fmt: str, workdir: Path, epoch: int
) -> None:
    result = subprocess.run(
        [pypandoc.get_pandoc_path(), *arguments],
        cwd=workdir,
        env=environment_with_epoch(epoch),
        capture_output=True,
        text=True,
        errors="replace",
    )
    if result.returncode != 0:
        problems = filter_problems(result.stderr, lines)
        if problems:
            raise RenderError(f"{display_path(doc.path)} non può essere composto:\n{problems}")
        raise RenderError(
            f"{display_path(doc.path)}: pandoc non è riuscito a produrre il formato {fmt} "
            f"(codice {result.returncode}):\n{output_tail(result.stderr)}"
        )
    for line in result.stderr.splitlines():
        if line.strip():
            LOG.warning("pandoc: %s", line.rstrip())


def pdf_standards(options: dict, doc: QmdDocument) -> list[str]:
    """The `pdf-standard` option of the Typst format (one value or a list), checked against what Typst accepts.

    Quarto 1.9 added `pdf-standard` (schema document-pdfa.yml: `a-2b`, `a-2a`, `ua-1`, ... for Typst);
    the embedded engine passes the values to Typst, which fails if the document cannot conform.
    """
    value = options.get("pdf-standard")
    if value is None:
        return []
    values = [str(v) for v in (value if isinstance(value, list) else [value])]
    unknown = [v for v in values if v not in TYPST_PDF_STANDARDS]
    if unknown:
        raise RenderError(
            f"{display_path(doc.path)}: pdf-standard «{', '.join(unknown)}» non è uno standard PDF "
            f"che Typst sa produrre (ammessi: {', '.join(TYPST_PDF_STANDARDS)})."
        )
    return values


def compile_typst(source: bytes, root: Path, epoch: int, standards: list[str] | None = None) -> bytes:
    """PDF bytes from Typst source, with Typst's embedded fonts only and a fixed timestamp; tagged, and
    conforming to `standards` (e.g. ["a-2a", "ua-1"]) when given."""
    extra = {"pdf_standards": list(standards)} if standards else {}
    try:
        pdf, warnings = typst.compile_with_warnings(
            source, root=str(root), font_paths=[], ignore_system_fonts=True, timestamp=epoch, pdf_tags=True, **extra
        )
    except typst.TypstError as err:
        detail = "\n".join(filter(None, [err.message, getattr(err, "diagnostic", ""), *getattr(err, "hints", [])]))
        raise RenderError(f"Typst non è riuscito a comporre il PDF:\n{detail}") from None
    for warning in warnings:
        LOG.warning("typst: %s", getattr(warning, "message", warning))
    return pdf


def pandoc_arguments(
    fmt: str, options: dict, doc: QmdDocument, source: Path, metadata_file: Path, output: Path
) -> list[str]:
    """The full pandoc command line (without the executable) for one format."""
    args = [
        str(source),
        "--from",
        "markdown",
        "--to",
        PANDOC_WRITERS[fmt],
        "--standalone",
        "--wrap=none",
        "--metadata-file",
        str(metadata_file),
        "--resource-path",
        str(doc.path.parent),
        "--output",
        str(output),
    ]
    for lua_filter in LUA_FILTERS:
        args += ["--lua-filter", str(lua_filter)]
    args += toc_arguments(options) + include_arguments(options, doc)
    if fmt == "html":
        args += html_arguments(options, doc)
    elif fmt == "pdf":
        args += typst_arguments(options)
    return args


def write_pandoc_inputs(workdir: Path, lines: list[SourceLine], metadata: dict) -> tuple[Path, Path]:
    """The resolved Markdown and pandoc's metadata file (`metadata`: pandoc_metadata's), in `workdir`."""
    source = workdir / "document.md"
    source.write_text("\n".join(line.text for line in lines) + "\n", encoding="utf-8")
    metadata_file = workdir / "metadata.yaml"
    metadata_file.write_text(yaml.safe_dump(metadata, allow_unicode=True, sort_keys=True), encoding="utf-8")
    return source, metadata_file


def with_date_text(metadata: dict, options: dict, fmt: str, epoch: int) -> tuple[dict, dict]:
    """Metadata and options with `date` as the date line of this format (dates.py)."""
    text = date_text(options, fmt, epoch)
    if text is None:
        return metadata, options
    return {**metadata, "date": text}, {**options, "date": text}


def render_embedded(qmd: Path, fmt: str, output: Path, epoch: int) -> None:
    """Render with pandoc + Typst in a temporary folder; publish `output` only on success."""
    doc = read_document(qmd)
    check_nothing_to_execute(doc)
    metadata = document_metadata(doc)
    metadata, options = with_date_text(metadata, format_options(metadata, fmt), fmt, epoch)
    lines = expanded_source(doc, metadata)
    extra = html_layout(metadata, options, doc) if fmt == "html" else {}
    partial = typst_partial(options, doc) if fmt == "pdf" else b""
    standards = pdf_standards(options, doc) if fmt == "pdf" else []
    with tempfile.TemporaryDirectory(prefix="piano-render-") as tmp:
        workdir = Path(tmp)
        source, metadata_file = write_pandoc_inputs(workdir, lines, pandoc_metadata(metadata, options, fmt, extra))
        produced = workdir / ("document.typ" if fmt == "pdf" else f"document.{fmt}")
        args = pandoc_arguments(fmt, options, doc, source, metadata_file, produced)
        if fmt == "docx":
            reference = workdir / "reference.docx"
            reference.write_bytes(reference_docx_for_render(options, doc))
            args += ["--reference-doc", str(reference)]
        run_pandoc(args, lines, doc, fmt, workdir, epoch)
        if fmt == "pdf":
            typst_source = with_typst_partial(produced.read_bytes(), partial)
            write_bytes_atomically(output, compile_typst(typst_source, doc.path.parent, epoch, standards))
        elif fmt == "docx":
            write_bytes_atomically(output, finished_docx(produced.read_bytes()))
        else:
            write_bytes_atomically(output, produced.read_bytes())
