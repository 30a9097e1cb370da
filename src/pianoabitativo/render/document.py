"""The Quarto document as Quarto reads it: the .qmd's front matter and body lines, its metadata
(metadata-files merged in), its project folder (_quarto.yml) and variables (_variables.yml), and the
options that apply to one output format."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..core.yamltext import yaml_problem
from .errors import RenderError, display_path
from .formats import output_format

EXECUTING_ENGINES = ("jupyter", "knitr")


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
    except yaml.YAMLError as err:  # in Italian, at the line to correct (core/yamltext.py)
        problem = yaml_problem(display_path(path), text, err)
        if problem.row is not None:
            problem = dataclasses.replace(problem, row=problem.row + first_line - 1)
        raise RenderError(problem.describe() + ".") from None
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
    return QmdDocument(path, front_matter, source_lines(path, "\n".join(lines[end + 1 :]), end + 2))


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
            raise RenderError(
                f"{display_path(doc.path)}: il file di metadati «{name}» (metadata-files) non esiste "
                f"({display_path(path)})."
            )
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
        raise RenderError(
            f"{display_path(doc.path)}: il documento chiede l'esecuzione di codice (engine: {engine}); "
            "il motore integrato non esegue codice: usare engine: markdown oppure Quarto."
        )


def format_options(metadata: dict, fmt: str) -> dict:
    """The document's options for one format: top-level keys, overridden by format: <target>: keys."""
    formats = metadata.get("format")
    specific = formats.get(output_format(fmt).quarto) if isinstance(formats, dict) else None
    return deep_merge(
        {k: v for k, v in metadata.items() if k != "format"}, specific if isinstance(specific, dict) else {}
    )


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
