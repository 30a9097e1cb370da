"""Rendering the plan's Quarto document (report/*.qmd) to the formats of formats.py: HTML, PDF and DOCX.

Import from the modules themselves (nothing is re-exported here):

- engine: `render` (the entry point) and `detect_engine`;
- errors: `RenderError` and how problems name files;
- epoch: SOURCE_DATE_EPOCH, the timestamp every output carries;
- quarto: rendering with the Quarto CLI;
- document: reading the .qmd (front matter, metadata-files, _quarto.yml, _variables.yml);
- dates: the date line (`date` + dayjs `date-format`), as Quarto prints it;
- shortcodes: the Markdown pandoc reads (includes, page breaks, meta/var resolved);
- formats: the table of output formats (names, Quarto's and pandoc's names, style files, finishing);
- embedded: rendering with the embedded engine (pandoc with the Lua filters in assets/, then Typst);
- pandoc_command, quarto_strings, pandoc_run: its pandoc command line, Quarto's words, running pandoc;
- typst_pdf: the PDF from pandoc's Typst;
- style_files: the files the report's style rule writes (header: running headers; reference_docx and
  word_styles: the reference.docx), and the package files staged beside the document;
- finished_docx, word_zip: a rendered DOCX made ready to edit; deterministic ZIPs;
- callouts: boxed notes for the PDF, a pre-render step on the staged text.
"""
