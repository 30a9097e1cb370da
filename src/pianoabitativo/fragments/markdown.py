"""Markdown building blocks of the fragments: captioned pipe tables, callouts, Italian lists."""

from __future__ import annotations

from ..core.markdown import escape_cell, pipe_table_lines

LEFT, RIGHT = "left", "right"


def pipe_table(headers: list[str], rows: list[list[str]], aligns: list[str], caption: str, label: str) -> str:
    """A pipe table with a Quarto caption line and cross-reference label."""
    # dash counts set the relative column widths when pandoc or Quarto wrap a wide table
    widths = [max([len(h) for h in header.split()] + [len(str(c)) for row in rows for c in [row[i]]])
              for i, header in enumerate(headers)]
    rule = ["-" * max(3, min(w, 40)) for w in widths]
    marks = [(":" + r if a == LEFT else r + ":") for r, a in zip(rule, aligns)]
    lines = pipe_table_lines(headers, [[escape_cell(c) for c in row] for row in rows], marks)
    return "\n".join(lines) + f"\n\n: {caption} {{#tbl-{label}}}\n"


def callout(kind: str, title: str, body: str) -> str:
    return f"::: {{.callout-{kind}}}\n## {title}\n\n{body}\n:::\n"


def bold(text: str) -> str:
    return f"**{text}**"


def join_it(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " e " + items[-1]
