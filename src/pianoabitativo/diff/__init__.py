"""Compare the processed tables of two versions of a plan, row by row, by primary key.

- `sources`: each side as table name -> CSV text, from an archive, a folder,
  a plan in the working tree or a git ref (`load_tables`);
- `compare`: one `TableDiff` per table (`compare_tables`), rows matched on the
  table's primary key from `catalogue.PROCESSED_TABLES`;
- `phrases`: what the reports say about a `TableDiff`, in Italian;
- `report_markdown`, `report_html`: the two renderings of the report, and
  `report` writes both (`write_diff_report`).

Command line: `python -m pianoabitativo.archive diff A B`.
"""
