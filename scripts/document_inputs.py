"""Regenerate the generated parts of docs/inputs.md (not a Snakemake script).

    .venv/bin/python scripts/document_inputs.py          # rewrite the generated sections
    .venv/bin/python scripts/document_inputs.py --check  # exit 1 if they are out of date

Three sections are generated, each between its BEGIN/END markers: the input files
with their schemas (the catalogue's inputs, their files in the first plan of config.yaml and their schemas
src/pianoabitativo/schemas/inputs/<key>.yaml: a new input needs only this script run again), the list of
cross-checks with their severity (from running them on the plan's inputs, so the
list is exactly what the workflow runs) and the data register's columns and reliability values
(src/pianoabitativo/inputs/register.py). Everything else in the page is prose.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "inputs.md"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _rule(spec: dict) -> str:
    from pianoabitativo.core.columntypes import TEXT, column_type

    parts = [column_type(spec.get("type", TEXT)).described]
    if "minimum" in spec:
        parts.append(f"≥ {spec['minimum']:g}")
    if "maximum" in spec:
        parts.append(f"≤ {spec['maximum']:,}")
    if spec.get("allowed"):
        parts.append("one of " + ", ".join(f"`{a}`" for a in spec["allowed"]))
    if spec.get("hint"):
        parts.append(spec["hint"])
    elif spec.get("pattern"):
        parts.append(f"pattern `{spec['pattern']}`")
    if spec.get("default"):
        parts.append(f"column absent: every row `{spec['default']}`")
    return "; ".join(parts)


def schemas_section(config: dict) -> str:
    """Every input of the catalogue (catalogue.INPUT_ENTRIES), in its order, with its schema; config: the facts
    of the reference plan (plans/<plan>.yaml), which name the files (an optional input it leaves out is said so)."""
    from pianoabitativo import catalogue
    from pianoabitativo.core.config import input_entry

    lines = [
        "| input key | file (under `data/raw/<plan>/`) | rows | unknown columns | unique | description |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    details = []
    for key in catalogue.INPUTS:
        spec = yaml.safe_load(
            (ROOT / "src" / "pianoabitativo" / "schemas" / "inputs" / f"{key}.yaml").read_text(encoding="utf-8")
        )
        if key in config["inputs"]:
            file, sheet = input_entry(config, key)
            where = f"`{file}`" + (f" (sheet `{sheet}`)" if sheet else "")
        else:
            where = "optional (none in the reference plan)"
        rows = f"≥ {spec.get('min_rows', 0)}" + (
            f"; last row «{spec['total_row']['label']}» = declared totals" if spec.get("total_row") else ""
        )
        unique = "; ".join(" + ".join(k) for k in spec.get("unique", [])) or "–"
        strict = "refused" if spec.get("strict", True) else "ignored"
        description = _cell(" ".join(spec["description"].split()))
        lines.append(f"| `{key}` | {where} | {rows} | {strict} | {unique} | {description} |")
        details += [
            "",
            f"#### `{key}` — `src/pianoabitativo/schemas/inputs/{key}.yaml`",
            "",
            "| column (header) | also accepted | name in code | must be present | may be empty | value |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        by_pattern = [
            {
                **{k: v for k, v in p.items() if k != "pattern"},
                "name": p["header"],
                "required": False,
                "header_regex": p["pattern"],
            }
            for p in spec.get("pattern_columns", [])
        ]
        for col in spec["columns"] + by_pattern:
            aliases = [f"«{a}»" for a in col.get("aliases", [])]
            if col.get("header_pattern"):
                aliases.append(f"headers matching `{col['header_pattern']}`")
            if col in by_pattern:
                aliases.append(f"every header matching `{col['header_regex']}`, one column each")
            aliases = ", ".join(aliases) or "–"
            details.append(
                f"| «{_cell(col['header'])}» | {_cell(aliases)} | `{col['name']}` | "
                f"{'yes' if col.get('required', True) else 'no'} | "
                f"{'yes' if col.get('nullable', False) else 'no'} | {_cell(_rule(col))} |"
            )
    return "\n".join(lines + details)


def checks_section(config: dict) -> str:
    from pianoabitativo.core.paths import raw_dir
    from pianoabitativo.inputs.checks import run_checks
    from pianoabitativo.inputs.load import load_inputs

    results = run_checks(load_inputs(config, raw_dir(config["plan"])), config)
    lines = ["| check (`verifiche.csv`) | severity | what it verifies |", "| --- | --- | --- |"]
    for result in sorted(results, key=lambda r: (r.severity != "errore", r.check)):
        lines.append(f"| `{result.check}` | {result.severity} | {_cell(result.description)} |")
    return "\n".join(lines)


def register_section() -> str:
    from pianoabitativo.inputs.register import CERTAINTY, CERTAINTY_ALIASES, COLUMNS

    lines = [
        "| column (header) | also read (older registers) | name in code | must be present | may be empty | "
        "what to write |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for column in COLUMNS:
        aliases = ", ".join(f"«{a}»" for a in column.aliases) or "–"
        lines.append(
            f"| «{column.header}» | {aliases} | `{column.key}` | {'yes' if column.required else 'no'} | "
            f"{'no' if column.filled else 'yes'} | {_cell(column.meaning)} |"
        )
    lines += [
        "",
        "| «affidabilita» | means | the plan's «Fonti dei dati» says | also read (older registers) |",
        "| --- | --- | --- | --- |",
    ]
    for value, (meaning, said, _) in CERTAINTY.items():
        aliases = ", ".join(f"«{a}»" for a, v in CERTAINTY_ALIASES.items() if v == value and a != value)
        lines.append(f"| `{value}` | {_cell(meaning)} | «{said}» | {aliases or '–'} |")
    return "\n".join(lines)


def replace_section(text: str, name: str, body: str) -> str:
    pattern = re.compile(rf"(<!-- BEGIN generated: {name} -->\n)(?:.*?\n)?(<!-- END generated: {name} -->)", re.S)
    if not pattern.search(text):
        raise SystemExit(f"{DOC}: markers for section «{name}» not found")
    return pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(2), text)


def main(argv: list[str]) -> int:
    import os

    from pianoabitativo.core.config import load_config, load_plan

    os.chdir(ROOT)  # the workflow's paths are relative to the project root
    plan = load_config(ROOT / "config.yaml")["plans"][0]  # the schemas are the same for every plan
    config = load_plan(plan)
    config["plan"] = plan
    old = DOC.read_text(encoding="utf-8")
    new = replace_section(old, "schemas", schemas_section(config))
    new = replace_section(new, "checks", checks_section(config))
    new = replace_section(new, "register", register_section())
    if "--check" in argv:
        if new != old:
            print(
                f"{DOC.relative_to(ROOT)} is out of date: run .venv/bin/python scripts/document_inputs.py",
                file=sys.stderr,
            )
            return 1
        return 0
    DOC.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
