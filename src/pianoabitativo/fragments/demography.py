"""Fragments of the demographic analysis: the sub-ambiti and the comuni of the ambito."""

from __future__ import annotations

import pandas as pd

from ..catalogue import DENSITY_CLASSES
from ..core.formatting import format_int, format_number
from .markdown import LEFT, RIGHT, bold, pipe_table


def subambiti_fragment(subambiti: pd.DataFrame, figures: dict, date_text: str) -> str:
    rows = [[r.sub_ambito, format_int(r.n_comuni), format_int(r.popolazione), format_number(r.superficie_km2),
             format_number(r.densita)] for r in subambiti.itertuples()]
    rows.append([bold("Totale"), bold(format_int(figures["n_comuni"])), bold(format_int(figures["popolazione"])),
                 bold(format_number(figures["superficie_km2"])), bold(format_number(figures["densita"]))])
    return pipe_table(["Sub-ambito", "Numero comuni", "Popolazione", "Superficie (km²)", "Densità (ab/km²)"], rows,
                      [LEFT, RIGHT, RIGHT, RIGHT, RIGHT],
                      f"Comuni, popolazione residente al {date_text}, superficie e densità per sub-ambito", "subambiti")


def comuni_fragment(comuni: pd.DataFrame, date_text: str) -> str:
    ordered = comuni.sort_values(["sub_ambito", "comune"])
    rows = [[r.comune, r.codice_istat, r.sub_ambito, format_int(r.popolazione), format_number(r.superficie_km2),
             format_number(r.densita), DENSITY_CLASSES[r.classe_densita]] for r in ordered.itertuples()]
    return pipe_table(["Comune", "Codice ISTAT", "Sub-ambito", "Popolazione", "Superficie (km²)", "Densità (ab/km²)",
                       "Rispetto alle medie"], rows, [LEFT, LEFT, LEFT, RIGHT, RIGHT, RIGHT, LEFT],
                      f"I comuni dell'ambito: popolazione al {date_text}, superficie e densità", "comuni")
