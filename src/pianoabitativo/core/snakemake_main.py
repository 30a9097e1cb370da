"""Snakemake's command line, as `make piano` starts it: `python -m pianoabitativo.core.snakemake_main ARGS`.

The same as the `snakemake` command (snakemake.cli.main: parse_args, then args_to_api), except for one
line: whenever a profile is used, Snakemake 9's `parse_args` prints «Using profile ... for setting
default command line arguments.» with a bare `print` to stderr, on every run and with no option to
leave it out. Here that print goes to a buffer, and anything else `parse_args` wrote there (an argument
error, its usage) is passed on to stderr. tests/test_faults.py names `snakemake.cli.parse_args`, so that
an upgrade that moves it fails there.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys

PROFILE_NOTICE = re.compile(
    r"Using (profiles? .+?)?(and )?(workflow specific profile .+ )?"
    r"for setting default command line arguments\."
)


def parse_args_quietly(argv: list[str]):
    """snakemake.cli.parse_args(argv) without its line about the profile."""
    from snakemake import cli

    said = io.StringIO()
    try:
        with contextlib.redirect_stderr(said):
            return cli.parse_args(argv)
    finally:
        kept = [line for line in said.getvalue().splitlines() if not PROFILE_NOTICE.fullmatch(line.strip())]
        if kept:
            print("\n".join(kept), file=sys.stderr)


def main(argv: list[str]) -> int:
    from snakemake import cli
    from snakemake.exceptions import print_exception

    try:
        parser, args = parse_args_quietly(argv)
        success = cli.args_to_api(args, parser)
    except Exception as err:  # noqa: BLE001 - as snakemake.cli.main: Snakemake prints its own errors
        print_exception(err)
        return 1
    return 0 if success else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
