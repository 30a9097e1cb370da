"""Report stage: the document's generated inputs (report/gen/<plan>/): figures as text (cifre.yml), and
each fragment of catalogue.FRAGMENT_ENTRIES (tables, notes, sentences) by the call its entry names (resolved
by core/calls.py), as plain Quarto Markdown. The formats' look is the style rule's (scripts/report_style.py).

By hand (from the project folder): python scripts/report_fragments.py plan=cremasco_2019
"""

import sys
from pathlib import Path

from pianoabitativo import catalogue
from pianoabitativo.console import wrapped
from pianoabitativo.core.calls import Resolver, fact
from pianoabitativo.core.files import write_text_atomically
from pianoabitativo.core.runner import run
from pianoabitativo.core.tableio import read_processed
from pianoabitativo.fragments.draft import draft_items, has_quotas, unconfirmed_paths
from pianoabitativo.fragments.metadata import metadata, metadata_yaml
from pianoabitativo.inputs.interim import read_register_rows


def typed_figure(text: str):
    if text == "":
        return ""
    return float(text) if "." in text else int(text)


def resolver(smk) -> Resolver:
    """The report stage's names (catalogue.Call): the published tables and their files, the rule's params,
    the plan's facts, and the values several fragments share (catalogue.FRAGMENT_VALUES)."""
    inp, params = smk.input, smk.params
    year = int(params.facts["year"])
    figures_frame = read_processed(inp.cifre_chiave)
    sources = {
        "table": lambda name: read_processed(getattr(inp, name)),
        "path": lambda name: str(getattr(inp, name)),
        "param": lambda name: getattr(params, name),
        "fact": lambda path: fact(params.facts, path),
    }
    given = {
        "facts": params.facts,
        "figures": {k: typed_figure(v) for k, v in zip(figures_frame["chiave"], figures_frame["valore"])},
        "year": year,
        "previous_year": year - 1,
        "register_rows": read_register_rows(inp.register),
        "qmd_text": Path(inp.qmd).read_text(encoding="utf-8"),  # the plan's text (sections' numbers)
    }
    return Resolver(catalogue.FRAGMENT_VALUES, sources, given)


def main(smk):
    inp, out, params = smk.input, smk.output, smk.params
    values = resolver(smk)
    # draft or approved: the plan's unconfirmed facts (params.facts), a quota rule it lacks, and marked
    # passages of its text (input.qmd)
    quotas = has_quotas(values["table.h_i_scelte_per_comune"])  # read once, by the resolver, for the fragments too
    items = draft_items(params.facts, values["qmd_text"], inp.qmd, quotas)
    unconfirmed = frozenset(unconfirmed_paths(params.facts))
    meta = metadata(params.facts, values["figures"], draft=bool(items), unconfirmed=unconfirmed)
    write_text_atomically(out.metadata, metadata_yaml(meta))
    values.give(
        draft_items=items,
        unconfirmed=unconfirmed,
        population_date=meta["piano"]["data_popolazione"],  # as cifre.yml prints them (marked if unconfirmed)
        households_date=meta["piano"]["data_famiglie"],
    )
    for fragment in catalogue.FRAGMENT_ENTRIES:  # each by its catalogue entry's call
        write_text_atomically(getattr(out, fragment.name), values.invoke(fragment.build))
    if items:  # the console says so: a draft is never taken for the approved act
        facts = sum(1 for item in items if item.kind == "fatto")
        line = (
            f"- Il piano {smk.wildcards.plan} è una BOZZA: {facts} fatti e {len(items) - facts} passi del "
            "testo da verificare (appendice «Da verificare prima dell'approvazione»)"
        )
        print("\n".join(wrapped(line)), file=sys.stderr)


run(main, globals(), "report_fragments")
