"""Pipe tables in Markdown, the one writer shared by the report's fragments and the diff report."""

from __future__ import annotations


def escape_cell(text: object) -> str:
    """A value that cannot break a pipe table: backslashes and bars escaped, line breaks flattened."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("\r", " ")


def pipe_table_lines(header: list[str], rows: list[list[str]], rule: list[str]) -> list[str]:
    """Header, rule (one cell per column, e.g. ':---' or '---:') and rows; cells are written as given."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(rule) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines
