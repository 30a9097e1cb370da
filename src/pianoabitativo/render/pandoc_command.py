"""The pandoc command line of the embedded engine for one format: Quarto's document options as pandoc's
arguments (contents, includes; HTML: template, stylesheets, layout; Typst: template, paper, font;
DOCX: reference document) and the metadata pandoc's templates and the Lua filters read.

What it implements for each pandoc writer is in WRITER_ARGUMENTS; a writer not named there (a new
format's, formats.py) gets pandoc's own template and options.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from pianoabitativo.core.files import package_file

from .document import QmdDocument, option_paths
from .errors import RenderError, display_path
from .formats import OutputFormat, by_quarto_name
from .quarto_strings import language_strings
from .reference_docx import pandoc_default_reference_docx, with_callout_styles
from .style_files import QUOTES_FILTER, filled_asset, stylesheet

LUA_FILTERS = (
    *(package_file("assets", name) for name in ("options.lua", "images.lua", "callout.lua", "crossref.lua")),
    QUOTES_FILTER,
)
HTML_TEMPLATE = package_file("assets", "piano.html.template")
TYPST_TEMPLATE = package_file("assets", "piano.typ.template")  # with the plan's colours (look.py)
TOC_LOCATIONS = ("body", "left", "right", "left-body", "right-body")

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


# --- metadata for pandoc's templates and the Lua filters -----------------------------------------


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
    linked = [by_quarto_name(target) for target in formats]
    return [{"name": fmt.link_name, "href": doc.path.stem + fmt.extension} for fmt in linked if fmt and fmt.link_name]


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


# --- the command line --------------------------------------------------------------------------------


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


def stylesheets(options: dict, doc: QmdDocument, workdir: Path) -> list[Path]:
    """The package stylesheet (written to `workdir`), then the document's own (the package's is skipped
    when the document names a copy of it)."""
    own = option_paths(options, "css", doc)
    package = stylesheet()
    if any(path.read_bytes() == package for path in own):
        return own
    base = workdir / "piano.css"
    base.write_bytes(package)
    return [base, *own]


def html_arguments(options: dict, doc: QmdDocument, workdir: Path) -> list[str]:
    args = ["--template", str(HTML_TEMPLATE), "--embed-resources"]
    for css in stylesheets(options, doc, workdir):
        args += ["--css", str(css)]
    return args


def typst_arguments(options: dict, doc: QmdDocument, workdir: Path) -> list[str]:
    template = workdir / TYPST_TEMPLATE.name
    template.write_bytes(filled_asset(TYPST_TEMPLATE))
    args = ["--template", str(template), "--variable", f"papersize={options.get('papersize', 'a4')}"]
    if options.get("mainfont"):
        args += ["--variable", f"mainfont={options['mainfont']}"]
    if options.get("number-sections"):
        args += ["--variable", "section-numbering=1.1."]
    return args


def docx_arguments(options: dict, doc: QmdDocument, workdir: Path) -> list[str]:
    """The document's reference-doc (pandoc's own if it names none), with the callout styles added."""
    named = option_paths(options, "reference-doc", doc)
    reference = workdir / "reference.docx"
    reference.write_bytes(with_callout_styles(named[0].read_bytes() if named else pandoc_default_reference_docx()))
    return ["--reference-doc", str(reference)]


# What the embedded engine adds for each pandoc writer: (options, document, working folder) -> arguments.
WRITER_ARGUMENTS: dict[str, Callable[[dict, QmdDocument, Path], list[str]]] = {
    "html5": html_arguments,
    "typst": typst_arguments,
    "docx": docx_arguments,
}


def pandoc_arguments(
    fmt: OutputFormat, options: dict, doc: QmdDocument, source: Path, metadata_file: Path, output: Path
) -> list[str]:
    """The full pandoc command line (without the executable) for one format; the files it needs
    (filled template, stylesheet, reference document) are written beside `output`."""
    args = [
        str(source),
        "--from",
        "markdown",
        "--to",
        fmt.pandoc_writer,
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
    if fmt.pandoc_writer in WRITER_ARGUMENTS:
        args += WRITER_ARGUMENTS[fmt.pandoc_writer](options, doc, output.parent)
    return args
