"""The console of pianoabitativo as a Snakemake logger plugin: `snakemake --logger pianoabitativo`.

profiles/default selects it (`logger: [pianoabitativo]`), so that `make piano` and a `snakemake` started by hand
both print the console of src/pianoabitativo/console.py: one Italian line per step, the end of the run. Snakemake
finds the plugin by its module name (snakemake_logger_plugin_<name>, installed with the package by
`pip install -e .`) and, as it writes to the terminal, leaves out its own default stream handler; its log file
(.snakemake/log/) is written as before, by its own file handler.

The handler writes as Snakemake's default stream handler does (its ColorizingTextHandler: the same stream,
colours and blank lines), with Snakemake's DefaultFilter (the profile's `quiet:`) and then the console's filter,
and the console's formatter over Snakemake's DefaultFormatter; under `--verbose` the console only remembers
what happened and lets Snakemake's own format through. Records reach a plugin in order, in a thread of
Snakemake's (a queue): the end of the run is therefore asked for with a record of its own
(pianoabitativo.console.finish), printed here once every job's record before it has been seen.
"""

from __future__ import annotations

import logging
import sys

from snakemake_interface_logger_plugins.base import LogHandlerBase


class LogHandler(LogHandlerBase):
    def __post_init__(self) -> None:
        # imported here, not with the module: Snakemake imports every installed plugin at each start, also where
        # another pianoabitativo comes first on the path (an archive's rebuild, make verifica)
        from snakemake.logging import ColorizingTextHandler, DefaultFilter, DefaultFormatter

        from pianoabitativo import console

        self.module = console  # pianoabitativo.console: the run (RUN) and the end-of-run record (END)
        console.PLUGIN.append(self)
        settings = self.common_settings
        self.console = console.Console(quiet=not settings.verbose, dryrun=bool(settings.dryrun))
        self.stream = ColorizingTextHandler(
            nocolor=settings.nocolor, stream=sys.stdout if settings.stdout else sys.stderr
        )
        self.stream.addFilter(
            DefaultFilter(
                settings.quiet, settings.debug_dag, settings.verbose, settings.dryrun, settings.printshellcmds
            )
        )
        self.stream.addFilter(self.console)
        snakemakes = DefaultFormatter(settings.quiet, settings.show_failed_logs)
        self.stream.setFormatter(
            snakemakes if settings.verbose else console.ConsoleFormatter(snakemakes, bool(settings.dryrun))
        )

    def emit(self, record: logging.LogRecord) -> None:
        end = getattr(record, self.module.END, None)
        if end is None:
            self.stream.handle(record)
            return
        lines = self.console.end_lines(end, self.module.RUN)
        if any(lines):
            lines_record = logging.makeLogRecord(
                {"name": record.name, "msg": "\n".join(lines), "levelno": record.levelno, "levelname": record.levelname}
            )
            self.stream.handle(lines_record)

    def flush(self) -> None:
        self.stream.flush()

    @property
    def writes_to_stream(self) -> bool:
        return True

    @property
    def writes_to_file(self) -> bool:
        return False

    @property
    def has_filter(self) -> bool:
        return True

    @property
    def has_formatter(self) -> bool:
        return True

    @property
    def needs_rulegraph(self) -> bool:
        return False
