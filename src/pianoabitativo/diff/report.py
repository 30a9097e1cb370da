"""The diff report on disk: the Markdown and the self-contained HTML page, written atomically."""

from __future__ import annotations

from pathlib import Path

from ..core.files import write_text_atomically
from .compare import TableDiff
from .report_html import render_html
from .report_markdown import render_markdown


def write_diff_report(diffs: list[TableDiff], label_old: str, label_new: str, md_path: Path, html_path: Path) -> None:
    """Write the Markdown and the self-contained HTML report (UTF-8, `\\n`)."""
    write_text_atomically(md_path, render_markdown(diffs, label_old, label_new))
    write_text_atomically(html_path, render_html(diffs, label_old, label_new))
