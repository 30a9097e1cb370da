"""The appendix «Verifiche sui dati»: every check that ran and the rows of those not passed."""

from __future__ import annotations

import pandas as pd

from ..core.formatting import format_int
from .markdown import LEFT, bold, pipe_table


def checks_fragment(checks: pd.DataFrame) -> str:
    rows = [
        [r.descrizione, r.gravita, ("superato" if r.esito == "superato" else bold("non superato"))]
        for r in checks.itertuples()
    ]
    table = pipe_table(
        ["Controllo", "Gravità", "Esito"], rows, [LEFT, LEFT, LEFT], "Controlli eseguiti sui dati di input", "verifiche"
    )
    failed = checks[checks["esito"] != "superato"]
    if failed.empty:
        return table + "\nTutti i controlli sono stati superati.\n"
    notes = "\n".join(f"- **{r.descrizione}**: " + "; ".join(r.dettaglio.split(" | ")) for r in failed.itertuples())
    n = len(failed)
    intro = "Un controllo non è stato superato" if n == 1 else f"{format_int(n)} controlli non sono stati superati"
    return table + f"\n{intro}; le righe coinvolte sono:\n\n{notes}\n"
