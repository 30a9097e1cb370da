"""Archive an approved plan with its exact inputs, and check such an archive.

An archive is a deterministic `.tar.gz`: the same members, environment and
SOURCE_DATE_EPOCH always give the same bytes, so its sha256 can be published
next to the act. Besides the given members it holds `environment.json` (the
software that produced the plan) and `MANIFEST.sha256` (the sha256 of every
other member).

- `members`: member names, the manifest, writing and reading the `.tar.gz`
  (`build_archive`, `read_members`);
- `environment`: the software that produced the plan (`collect_environment`);
- `verify`: the manifest re-checked against the members (`verify_manifest`);
- `rebuild`: the archived workflow rerun from its archived inputs, its outputs
  compared byte by byte with the archived ones (`rebuild_and_compare`);
- `cli`: `python -m pianoabitativo.archive verify|diff ...`.

Problems are reported in Italian, naming the file; an unreadable archive is an
`ArchiveError` with a plain message, never a traceback at the edge.
"""
