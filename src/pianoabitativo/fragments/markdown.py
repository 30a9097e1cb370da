"""Markdown building blocks of the fragments: captioned pipe tables, boxed notes, Italian lists."""

from __future__ import annotations

import re

from ..core.formatting import format_int
from ..core.markdown import escape_cell, pipe_table_lines

LEFT, RIGHT = "left", "right"

# Column widths for tbl-colwidths, in percent of the text width. Quarto and pandoc (docs/rendering.md):
# without them a table with a source line over 72 characters is stretched to
# the full width with columns proportional to the dashes ("Misu-ra 1", "019005Bagnolo"); with
# `tbl-colwidths` on the caption line the widths win in HTML, Typst and DOCX, and a sum under 100
# gives a narrower table. One character of 8.5pt table text is about 0.9% of the A4 text width.
PERCENT_PER_CHARACTER = 0.9
PERCENT_PER_COLUMN = 2.5  # the cell's inset, left and right
LONGEST_CELL = 40  # longer cells wrap
# A column of short names (a sub-ambito: «Bagnolo Cremasco») is kept whole like a column of single words: a
# name broken over two lines («Bagnolo / Cremasco») reads as two names; longer text wraps in their stead.
SHORT_PHRASE = 18
SHORT_HEADER = 9  # a header up to this long stays on one line
FIXED_SHARE_LIMIT = 60  # fixed columns may take up to this share of the width, else all columns shrink
MARKUP = re.compile(r"\*\*|__|\\(?=[|\\])")


def shown_length(cell: str) -> int:
    return len(MARKUP.sub("", str(cell)))


def column_width(header: str, cells: list[str]) -> int:
    """Natural width of a column in characters: its longest cell (capped) or header word; a short
    header stays on one line, a long one takes at most two lines."""
    width = max(
        [min(shown_length(cell), LONGEST_CELL) for cell in cells] + [shown_length(word) for word in header.split()]
    )
    length = shown_length(header)
    return max(width, length if length <= SHORT_HEADER else -(-length // 2))


def column_widths(headers: list[str], rows: list[list[str]]) -> list[int]:
    return [column_width(header, [row[i] for row in rows]) for i, header in enumerate(headers)]


def unbreakable(cells: list[str]) -> bool:
    """A column whose cells are single words (codes, numbers): it cannot wrap, only overflow or break a word."""
    return all(" " not in MARKUP.sub("", str(cell)).strip() for cell in cells)


def kept_whole(cells: list[str]) -> bool:
    """A column not to wrap: single words, or short names (none longer than SHORT_PHRASE characters)."""
    return unbreakable(cells) or all(shown_length(cell) <= SHORT_PHRASE for cell in cells)


def percent_widths(characters: list[int], fixed: list[bool] | None = None) -> list[int]:
    """Whole percentages for `tbl-colwidths`: the natural widths, scaled down to 100 if they exceed it.

    Columns marked `fixed` (single words: ISTAT codes, numbers; short names: sub-ambiti) are not scaled:
    only the columns of longer text give up width, so that "019058", "995,30" and "Bagnolo Cremasco"
    stay on one line in every format
    (as long as the fixed ones leave room; Word's cells have narrower margins, render/word_styles.py).
    """
    fixed = fixed or [False] * len(characters)
    wanted = [c * PERCENT_PER_CHARACTER + PERCENT_PER_COLUMN for c in characters]
    total = sum(wanted)
    if total <= 100:
        return [round(w) for w in wanted]
    kept = sum(w for w, f in zip(wanted, fixed) if f)
    flexible = total - kept
    if kept and flexible and kept <= FIXED_SHARE_LIMIT:
        exact = [w if f else w * (100 - kept) / flexible for w, f in zip(wanted, fixed)]
    else:
        exact = [w * 100 / total for w in wanted]
    widths = [int(w) for w in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: (widths[i] - exact[i], i))
    for i in by_remainder[: 100 - sum(widths)]:  # largest remainders first, so the sum is exactly 100
        widths[i] += 1
    return widths


def caption_line(caption: str, label: str, widths: list[int]) -> str:
    """Quarto's table caption line: `: Caption {#tbl-label tbl-colwidths="[..]"}`."""
    return f': {caption} {{#tbl-{label} tbl-colwidths="[{",".join(str(w) for w in widths)}]"}}'


def pipe_table(headers: list[str], rows: list[list[str]], aligns: list[str], caption: str, label: str) -> str:
    """A pipe table with a Quarto caption line, cross-reference label and column widths."""
    widths = column_widths(headers, rows)
    rule = ["-" * max(3, min(w, LONGEST_CELL)) for w in widths]
    marks = [(":" + r if a == LEFT else r + ":") for r, a in zip(rule, aligns)]
    lines = pipe_table_lines(headers, [[escape_cell(c) for c in row] for row in rows], marks)
    fixed = [kept_whole([row[i] for row in rows]) for i in range(len(headers))]
    return "\n".join(lines) + "\n\n" + caption_line(caption, label, percent_widths(widths, fixed)) + "\n"


def callout(kind: str, title: str, body: str) -> str:
    """A boxed note: a Quarto callout with its title as a heading (note, tip, important, warning, caution).

    Plain Quarto Markdown: how the PDF shows it (a Typst box, not Quarto's callout) is the render
    stage's (render/callouts.py).
    """
    return f"::: {{.callout-{kind}}}\n## {title}\n\n{body}\n:::\n"


def owner_comune_units_table(frame, caption: str, label: str, comune_blank: str = "") -> str:
    """A table of units by owner and comune (columns ente_proprietario, comune, unita) with its total row;
    `comune_blank`: the text of a comune the data leave empty."""
    rows = [[r.ente_proprietario, r.comune or comune_blank, format_int(r.unita)] for r in frame.itertuples()]
    rows.append([bold("Totale"), "", bold(format_int(int(frame["unita"].sum())))])
    return pipe_table(["Ente proprietario", "Comune", "Unità"], rows, [LEFT, LEFT, RIGHT], caption, label)


def bold(text: str) -> str:
    return f"**{text}**"


def join_it(items: list[str]) -> str:
    """«a, b e c»; «ed» before a word beginning with «e» («fondi ed enti gestori», not «e enti»)."""
    if len(items) == 1:
        return items[0]
    last = items[-1]
    return ", ".join(items[:-1]) + (" ed " if last[:1] in ("e", "E") else " e ") + last
