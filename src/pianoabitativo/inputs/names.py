"""Comune names as ISTAT writes them: every input is rewritten to ISTAT's spelling once, here."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

OWNER_PREFIX = "Comune di "
NAME_COLUMNS = ("comune",)
OWNER_COLUMNS = ("ente_proprietario", "ente", "ente_gestore")
OWN_SPELLING = ("elenco_comuni", "popolazione", "comuni_ambito")  # the lists the others are checked against


def name_key(name: str) -> str:
    """A name as compared: case, runs of spaces and the form of the apostrophe (’ ‘ ` ´) do not count."""
    for apostrophe in "’‘`´":
        name = name.replace(apostrophe, "'")
    return " ".join(name.replace("' ", "'").split()).casefold()


_key = name_key


def comune_name_resolver(istat_names: list[str], aliases: dict[str, str]) -> Callable[[str], str | None]:
    """A function mapping a written comune name to ISTAT's spelling, or None if unknown."""
    canonical = {_key(n): n for n in istat_names}
    alias = {_key(a): canonical.get(_key(t)) for a, t in aliases.items()}

    def resolve(name: str) -> str | None:
        return canonical.get(_key(name)) or alias.get(_key(name))

    return resolve


def owner_comune(owner: str) -> str | None:
    """'Comune di Crema' -> 'Crema'; other owners (ALER, ...) -> None."""
    return owner[len(OWNER_PREFIX) :].strip() if owner.startswith(OWNER_PREFIX) else None


def normalise_names(frames: dict[str, pd.DataFrame], aliases: dict[str, str]) -> None:
    """Rewrite comune names (and 'Comune di X' owners) to ISTAT spelling, in place.

    Unknown names are left as written: the cross-checks report them with their row.
    """
    resolve = comune_name_resolver(
        list(frames["elenco_comuni"]["comune"]) + list(frames["comuni_ambito"]["comune"]), aliases
    )

    def fix(name: str) -> str:
        return resolve(name) or name if name else name

    def fix_owner(owner: str) -> str:
        comune = owner_comune(owner)
        return OWNER_PREFIX + fix(comune) if comune else owner

    for key, frame in frames.items():
        for column in NAME_COLUMNS:
            if column in frame and key not in OWN_SPELLING:
                frame[column] = frame[column].map(fix)
        for column in OWNER_COLUMNS:
            if column in frame:
                frame[column] = frame[column].map(fix_owner)
