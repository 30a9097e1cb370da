"""Rendering the plan's Quarto document (report/*.qmd) to HTML, PDF and DOCX.

Import from the modules themselves (nothing is re-exported here):

- engine: `render` (the entry point) and `detect_engine`;
- errors: `RenderError` and how problems name files;
- epoch: SOURCE_DATE_EPOCH, the timestamp every output carries;
- quarto: rendering with the Quarto CLI;
- document: reading the .qmd (front matter, metadata-files, _quarto.yml, _variables.yml);
- dates: the date line (`date` + dayjs `date-format`), as Quarto prints it;
- shortcodes: the Markdown pandoc reads (includes, page breaks, meta/var resolved);
- pandoc: the embedded engine (pandoc with the Lua filters in assets/, then Typst for the PDF);
- docx: reference.docx documents (styles, page header and footer, deterministic ZIP);
- header: the files the report's style rule writes (running headers, reference.docx, stylesheet).
"""
