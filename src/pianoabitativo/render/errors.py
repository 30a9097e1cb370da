"""What a failed render says: the error raised, and how messages name files and quote a tool's output."""

from __future__ import annotations

from pathlib import Path


class RenderError(Exception):
    """A document that cannot be rendered; the message says where and why, in plain words."""


def display_path(path: Path) -> str:
    """`path` relative to the working directory when it is below it, else as is."""
    try:
        return str(Path(path).absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def output_tail(text: str, lines: int = 25) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])
