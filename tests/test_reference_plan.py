"""Every figure printed in the approved 2019 plan, held against ours.

The reference text (tests/reference/piano_annuale_2019_ambito_cremasco.txt) is
parsed table by table; the figures quoted in its prose are listed in
text_figures.csv. Each printed figure must equal ours, or be listed with its
reason in known_differences.csv; a listed difference that no longer differs
fails too, so the list cannot go stale.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
import yaml

from pianoabitativo.core.formatting import format_int, format_number, format_percent
from pianoabitativo.inputs.cells import parse_number

ROOT = Path(__file__).resolve().parents[1]
REF = ROOT / "tests" / "reference"
PROCESSED = ROOT / "data" / "processed" / "cremasco_2019"
ALIASES = yaml.safe_load((ROOT / "plans" / "cremasco_2019.yaml").read_text(encoding="utf-8"))["alias_comuni"]


def table(name: str) -> pd.DataFrame:
    return pd.read_csv(PROCESSED / f"{name}.csv", dtype=str, keep_default_na=False)


def key_figures() -> dict[str, str]:
    frame = table("cifre_chiave")
    return dict(zip(frame["chiave"], frame["valore"]))


def reference_blocks() -> list[tuple[list[str], list[list[str]]]]:
    """Every tab-separated table of the reference (header, rows), in document order, after the TOC."""
    lines = (REF / "piano_annuale_2019_ambito_cremasco.txt").read_text(encoding="utf-8").splitlines()
    body = lines[lines.index("I. PREMESSA") :]
    blocks, current = [], None
    for line in body:
        if "\t" in line:
            cells = [c.strip() for c in line.split("\t")]
            if current is None:
                current = (cells, [])
                blocks.append(current)
            else:
                current[1].append(cells)
        elif line.strip():
            current = None
    return blocks


def block(header_start: str, occurrence: int = 0):
    found = [b for b in reference_blocks() if b[0][0].startswith(header_start)]
    return found[occurrence]


def comparisons() -> list[tuple[str, str, str]]:
    """(id, printed, ours) for every figure of the reference, ours formatted like the print."""
    out = []
    figures = key_figures()

    # sub-ambiti table
    header, rows = block("Sub-Ambito")
    sub = table("subambiti").set_index("sub_ambito")
    for row in rows:
        name = row[0]
        if name == "TOTALE":
            ours = [figures["n_comuni"], figures["popolazione"], figures["superficie_km2"], figures["densita"]]
        else:
            r = sub.loc[name]
            ours = [r.n_comuni, r.popolazione, r.superficie_km2, r.densita]
        for column, printed, value in zip(["n_comuni", "popolazione", "superficie_km2", "densita"], row[1:], ours):
            out.append((f"subambiti:{name}:{column}", printed, like(printed, value)))

    # a) stock per owner
    header, rows = block("Ragione Sociale Ente Proprietario", 0)
    stock = table("a_patrimonio").set_index("ente_proprietario")
    columns = ["totale_unita", "alloggi_sap", "alloggi_sas"]
    for row in rows:
        for column, printed in zip(columns, row[1:]):
            value = stock[column].astype(int).sum() if row[0] == "Totale" else stock.loc[row[0], column]
            out.append((f"a:{row[0]}:{column}", printed, like(printed, value)))

    # b), c), e) units: owner, code, comune
    unit_blocks = [b for b in reference_blocks() if len(b[0]) > 1 and b[0][1].startswith("Codice I.D.")]
    for (_header, rows), name in zip(unit_blocks, ["b_carenza_manutentiva", "c_ristrutturazione", "e_libere"]):
        ours = table(name).set_index("codice_unita")
        printed_codes = {row[1] for row in rows}
        out.append((f"{name}:numero_unita", str(len(rows)), str(len(ours))))
        out.append((f"{name}:codici", " ".join(sorted(printed_codes)), " ".join(sorted(ours.index))))
        for row in rows:
            if row[1] in ours.index:
                out.append((f"{name}:{row[1]}:ente", row[0], ours.loc[row[1], "ente_proprietario"]))
                out.append((f"{name}:{row[1]}:comune", ALIASES.get(row[2], row[2]), ours.loc[row[1], "comune"]))

    # e) turnover, g) assignable: owner, comune, number
    turnover_header, turnover_rows = _numbered_blocks()[0]
    turnover = table("e_turnover")
    for row in turnover_rows:
        ours = turnover[(turnover.ente_proprietario == row[0]) & (turnover.comune == row[1])]["unita"]
        out.append((f"e_turnover:{row[0]}", row[2], ours.iloc[0] if len(ours) else "assente"))
    g_header, g_rows = _numbered_blocks()[1]
    g = table("g_assegnabili").assign(unita=lambda f: f.unita.astype(int))
    per_owner = g.groupby("ente_proprietario")["unita"].sum()
    for row in g_rows:
        value = per_owner.sum() if row[0] == "Totale" else per_owner.get(row[0], "assente")
        out.append((f"g:{row[0]}", row[-1], like(row[-1], value)))

    # k) assigned last year
    header, rows = next(b for b in reference_blocks() if len(b[0]) == 2 and "assegnati" in b[0][1])
    k = table("k_assegnate_anno_precedente").set_index("ente_proprietario")
    for row in rows:
        value = k["alloggi_assegnati"].astype(int).sum() if row[0] == "Totale" else k.loc[row[0], "alloggi_assegnati"]
        out.append((f"k:{row[0]}", row[1], like(row[1], value)))

    # l) notices and measures
    header, rows = block("AVVISO")
    measures = table("l_misure").set_index("avviso")
    for row in rows:
        r = measures.loc[row[0]]
        out.append((f"l:{row[0]}:dgr", row[1], r.dgr))
        for n in range(1, 6):
            out.append((f"l:{row[0]}:misura_{n}", row[1 + n], "X" if r[f"misura_{n}"] == "1" else ""))
        out.append((f"l:{row[0]}:comuni", row[7], f"{r.comuni_aderenti} su {r.comuni_ambito}"))

    # h-j) the one municipal choice
    choices = table("h_i_j_scelte_comunali")
    quota = choices[choices.scelta == "quota_forze_polizia_vvf_pct"]
    out.append(("quota_forze:Castelleone", "10%", f"{quota.valore.iloc[0]}%" if len(quota) else "nessuna"))

    # figures quoted in the prose
    with open(REF / "text_figures.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            ours = like(row["printed"], figures[row["key"]]) if row["key"] else "non riprodotto"
            out.append((row["id"], row["printed"], ours))
    return out


def _numbered_blocks():
    """The two owner/comune/number tables (turnover, then g), in document order."""
    return [b for b in reference_blocks() if len(b[0]) == 3 and b[0][2].startswith("Numero unità")]


def like(printed: str, value) -> str:
    """Format our value the way the print formats that figure (decimals, %, thousands)."""
    text = str(value)
    if printed.endswith("%"):
        return format_percent(float(text))
    if "," in printed:
        return format_number(parse_number(text), len(printed.split(",")[1]))
    try:
        return format_int(parse_number(text))
    except ValueError:
        return text


def known_differences() -> dict[str, str]:
    with open(REF / "known_differences.csv", encoding="utf-8", newline="") as f:
        return {row["id"]: row["reason"] for row in csv.DictReader(f)}


def test_reference_tables_are_all_found():
    names = [b[0][0] for b in reference_blocks()]
    assert names.count("Ragione Sociale Ente Proprietario") == 7  # a, b, c, e, turnover, g, k
    assert "Sub-Ambito" in names and "AVVISO" in names


def test_every_printed_figure_equals_ours_or_is_a_known_difference():
    known = known_differences()
    results = comparisons()
    assert len(results) > 200  # every row of every table, not a sample
    unexplained = [f"{i}: stampato {p!r}, nostro {o!r}" for i, p, o in results if p != o and i not in known]
    assert not unexplained, "Differenze non spiegate:\n" + "\n".join(unexplained)


def test_known_differences_still_differ():
    results = {i: (p, o) for i, p, o in comparisons()}
    stale = [i for i in known_differences() if i not in results or results[i][0] == results[i][1]]
    assert not stale, f"known_differences.csv lists figures that now agree or do not exist: {stale}"


@pytest.mark.parametrize(
    "figure_id, printed, ours",
    [
        ("a:Totale:totale_unita", "1.711", "1.703"),
        ("subambiti:Città di Crema:superficie_km2", "34,25", "34,52"),
        ("subambiti:Città di Crema:densita", "998,58", "992,58"),
        ("subambiti:TOTALE:superficie_km2", "573,21", "573,04"),
    ],
)
def test_the_known_transcription_errors_are_caught(figure_id, printed, ours):
    results = {i: (p, o) for i, p, o in comparisons()}
    assert results[figure_id] == (printed, ours)
