"""Boxed notes in the PDF without Quarto's callouts: a pre-render step on the staged Markdown.

The fragments write a note as a plain Quarto callout (fragments/markdown.py, `callout`):

    ::: {.callout-warning}
    ## Titolo

    Testo.
    :::

Any callout in Typst output makes Quarto import the fontawesome package: Quarto 1.10.18 ships it,
Quarto before 1.9 made Typst download it (the PDF failed offline). So before either engine reads
the text (scripts/render_document.py stages it through `with_typst_boxes`), each such callout
becomes a callout hidden in Typst and, visible in Typst only, a Div with `typst:` attributes: a plain
Typst block, the same box in both engines, in the note's colours (look.py). The title is bold text
there, not a heading (a heading would go in the table of contents). HTML and DOCX keep the callout.
"""

from __future__ import annotations

import re

from pianoabitativo import look

KINDS = ("note", "tip", "important", "warning", "caution")
CALLOUT_START = re.compile(r"^::: \{\.callout-(?P<kind>" + "|".join(KINDS) + r")\}$")
TITLE = re.compile(r"^## (?P<title>.+)$")
FENCE_OPEN = re.compile(r"^:{3,}\s*\{")
FENCE_CLOSE = re.compile(r"^:{3,}\s*$")
HIDDEN_IN_TYPST = re.compile(r'^:{3,}\s*\{\.content-hidden when-format="typst"\}$')  # already in two branches


def typst_box(kind: str, title: str, body: str) -> str:
    """A callout as the two branches both engines render: Quarto's callout except in Typst, a box in Typst."""
    colour, fill = look.colour(kind), look.colour(f"{kind}-fill")
    box = (
        f'::: {{typst:fill=\'rgb("{fill}")\' typst:inset="8pt" '
        f'typst:stroke=\'0.5pt + rgb("{colour}")\' typst:width="100%"}}'
    )
    return (
        f'::::: {{.content-hidden when-format="typst"}}\n::: {{.callout-{kind}}}\n## {title}\n\n{body}\n:::\n'
        f':::::\n\n::::: {{.content-visible when-format="typst"}}\n{box}\n**{title}**\n\n{body}\n:::\n:::::\n'
    )


def callout_end(lines: list[str], start: int) -> int | None:
    """The index of the line closing the fenced Div opened at `start` (nested Divs skipped), None if none."""
    depth = 0
    for index in range(start, len(lines)):
        if FENCE_OPEN.match(lines[index]):
            depth += 1
        elif FENCE_CLOSE.match(lines[index]):
            depth -= 1
            if depth == 0:
                return index
    return None


def with_typst_boxes(text: str) -> str:
    """`text` with every titled callout (`::: {.callout-<kind>}` then `## <title>`) in its two branches;
    anything else unchanged."""
    lines = text.split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        start = CALLOUT_START.match(lines[index])
        if start and index and HIDDEN_IN_TYPST.match(lines[index - 1]):
            start = None
        title = TITLE.match(lines[index + 1]) if start and index + 1 < len(lines) else None
        end = callout_end(lines, index) if title else None
        if end is None:
            out.append(lines[index])
            index += 1
            continue
        body = "\n".join(lines[index + 2 : end]).strip("\n")
        out.append(typst_box(start.group("kind"), title.group("title"), body).removesuffix("\n"))
        index = end + 1
    return "\n".join(out)
