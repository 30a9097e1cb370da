"""The catalogue drives the stages: every processed table and fragment names the function that builds it and
what it takes (catalogue.Call), resolved by core/calls.py; the plan schema requires the catalogue's inputs."""

from __future__ import annotations

import copy
import inspect
import re
from pathlib import Path

import pandas as pd
import pytest

from pianoabitativo import catalogue
from pianoabitativo.core import config as plan_config
from pianoabitativo.core import plankeys
from pianoabitativo.core.calls import Resolver, function

ROOT = Path(__file__).resolve().parents[1]
TABLE_CALLS = {t.name: t.build for t in catalogue.PROCESSED_TABLES if t.build is not None}
FRAGMENT_CALLS = {f.name: f.build for f in catalogue.FRAGMENT_ENTRIES}
REPORT_GIVEN = set(catalogue.REPORT_GIVEN)  # what scripts/report_fragments.py gives besides its sources


def rule_params(rule_file: str) -> set[str]:
    """The names of a rule's params (rules/<file>.smk), as `name=` at the params' indentation."""
    text = (ROOT / "rules" / rule_file).read_text(encoding="utf-8")
    block = text.split("    params:\n", 1)[1].split("\n    message:", 1)[0]
    return set(re.findall(r"^        (\w+)=", block, re.M))


def names(spec: catalogue.Call) -> list[str]:
    return [*spec.args, *(name for _, name in spec.kwargs)]


CHART_CALLS = [*(c.build for c in catalogue.CHARTS), *catalogue.CHART_VALUES.values()]


@pytest.mark.parametrize(
    "spec", [*TABLE_CALLS.values(), *catalogue.TABLE_VALUES.values(), *FRAGMENT_CALLS.values(), *CHART_CALLS]
)
def test_every_call_names_a_function_that_takes_its_arguments(spec):
    signature = inspect.signature(function(spec.function))
    signature.bind(*spec.args, **dict(spec.kwargs), **dict(spec.constants))  # TypeError if not


def test_every_name_a_table_takes_is_one_the_tables_stage_has():
    params = rule_params("tables.smk")
    for spec in [*TABLE_CALLS.values(), *catalogue.TABLE_VALUES.values()]:
        for name in names(spec):
            kind, _, rest = name.partition(".")
            known = {
                "input": rest in catalogue.INPUTS,
                "table": rest in TABLE_CALLS,
                "param": rest in params,
            }.get(kind, name in catalogue.TABLE_VALUES or name == "declared_totals")
            assert known, f"{spec.function}: «{name}»"


def test_every_name_a_fragment_takes_is_one_the_report_stage_has():
    params = rule_params("report.smk")
    for spec in [*FRAGMENT_CALLS.values(), *catalogue.FRAGMENT_VALUES.values()]:
        for name in names(spec):
            kind, _, rest = name.partition(".")
            known = {
                "table": rest in catalogue.TABLES_BY_NAME,
                "path": rest in catalogue.TABLES_BY_NAME or rest == "qmd",
                "param": rest in params,
                "fact": rest.split(".")[0] in plankeys.plan_schema()["properties"],
            }.get(kind, name in catalogue.FRAGMENT_VALUES or name in REPORT_GIVEN)
            assert known, f"{spec.function}: «{name}»"


def test_every_name_a_chart_takes_is_one_the_charts_stage_has():
    """Tables the catalogue publishes, params of the charts rule, the boundaries; and the rule's inputs are the
    tables the charts name (rules/charts.smk reads Chart.tables)."""
    params = rule_params("charts.smk")
    for spec in CHART_CALLS:
        for name in names(spec):
            kind, _, rest = name.partition(".")
            known = {
                "table": rest in catalogue.TABLES_BY_NAME,
                "path": rest == "boundaries",
                "param": rest in params,
            }.get(kind, name in catalogue.CHART_VALUES)
            assert known, f"{spec.function}: «{name}»"
    density_map = next(c for c in catalogue.CHARTS if c.name == "mappa_densita")
    assert density_map.tables == ("comuni", "cifre_chiave") and density_map.boundaries


def test_a_table_is_built_once_from_the_values_it_names():
    built = []

    def source(name):
        built.append(name)
        return pd.DataFrame({"x": [1]})

    calls = {"table.a": catalogue.call("tables.build:municipal_choices", "input.scelte")}
    resolver = Resolver(calls, {"input": source})
    with pytest.raises(KeyError):  # the function runs on what the source gave (no «comune» column)
        resolver["table.a"]
    assert built == ["scelte"]
    resolver = Resolver({"v": catalogue.call("fragments.services:sat_total", "sat")}, given={"sat": {"A": 2, "B": 3}})
    assert resolver["v"] == 5 and resolver["v"] == 5


def test_a_name_nobody_gives_or_a_cycle_is_a_fault_of_the_catalogue_named_in_english():
    resolver = Resolver({"a": catalogue.call("fragments.services:sat_total", "b")})
    with pytest.raises(LookupError, match="no value named «b» in this stage \\(asked by «a»\\)"):
        resolver["a"]
    looping = Resolver({"a": catalogue.call("fragments.services:sat_total", "a")})
    with pytest.raises(LookupError, match="«a» needs itself"):
        looping["a"]


def test_the_plan_schema_requires_the_inputs_the_catalogue_does_not_mark_optional():
    required = plankeys.plan_schema()["properties"]["inputs"]["required"]
    assert required == [i.key for i in catalogue.INPUT_ENTRIES if not i.optional]
    assert "progetti" in required and "servizi_transitori" not in required
    schema_text = (ROOT / "src/pianoabitativo/schemas/plan.schema.yaml").read_text(encoding="utf-8")
    assert "famiglie_componenti" not in schema_text  # said once, in the catalogue


def test_a_plan_leaving_out_an_optional_input_passes_and_one_leaving_out_a_required_one_is_told(config):
    facts = copy.deepcopy(config)
    facts["inputs"].pop("servizi_transitori", None)
    assert plan_config.config_problems(facts, "plans/x.yaml") == []
    del facts["inputs"]["progetti"]
    problems = plan_config.config_problems(facts, "plans/x.yaml")
    assert [p.message for p in problems] == ["chiave «inputs.progetti» mancante"]


def test_the_derived_input_lists_keep_their_meaning():
    assert catalogue.OPTIONAL_INPUTS == ("popolazione_integrazioni", "servizi_transitori")
    assert catalogue.PLATFORM_INPUTS[0] == "patrimonio" and "popolazione" not in catalogue.PLATFORM_INPUTS
    assert "servizi_transitori" in catalogue.PLATFORM_INPUTS  # optional and exported: both flags
    assert catalogue.INPUT_LABELS["boundaries"] == "confini dei comuni (mappa)"
    assert "servizi_transitori" not in catalogue.INPUT_LABELS  # «Fonti dei dati» uses the register's description
    assert len(set(catalogue.INPUTS)) == len(catalogue.INPUTS)


def test_the_scripts_import_modules_by_names_that_explain_themselves():
    for script in ("build_tables.py", "report_fragments.py"):
        text = (ROOT / "scripts" / script).read_text(encoding="utf-8")
        assert not re.search(r"\bimport \w+ as [A-Z]\b", text), script


def test_the_recipe_in_the_docs_is_the_one_the_workflow_test_follows():
    """docs/developers.md «Adding a table» shows the code tests/test_adding_a_table.py adds and builds."""
    import test_adding_a_table as recipe

    shown = {line.strip() for line in (ROOT / "docs/developers.md").read_text(encoding="utf-8").splitlines()}
    for snippet in (
        recipe.SCHEMA_TEXT,
        recipe.BUILDER,
        recipe.FRAGMENT,
        recipe.INPUT_ENTRY,
        recipe.TABLE_ENTRY,
        recipe.FRAGMENT_ENTRY,
        recipe.QMD_LINES,
    ):
        missing = [line.strip() for line in snippet.splitlines() if line.strip() and line.strip() not in shown]
        assert not missing, missing


def test_the_report_script_gives_the_names_the_catalogue_lists():
    """Every name of catalogue.REPORT_GIVEN is given by scripts/report_fragments.py («"name":» or «name=»),
    and the script gives no other."""
    text = (ROOT / "scripts" / "report_fragments.py").read_text(encoding="utf-8")
    given = set(re.findall(r'^        "(\w+)": ', text, re.M)) | set(re.findall(r"^        (\w+)=", text, re.M))
    sources = {"table", "path", "param", "fact"}  # the kinds of names its sources read
    assert given - sources == REPORT_GIVEN
