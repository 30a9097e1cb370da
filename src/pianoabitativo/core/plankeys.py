"""The plan file's keys in Italian: the one mapping, declared in schemas/plan.schema.yaml (`x-italiano`).

The staff write plans/<plan>.yaml with Italian keys (`anno`, `date: approvazione`, `da_verificare`);
the code reads English keys (`year`, `dates: approval`, `unconfirmed`). Each property of the plan schema
names its Italian key with `x-italiano`; this module walks the schema to translate a parsed plan file
to the English keys, and dotted key paths both ways (`date.approvazione` <-> `dates.approval`) for
messages. A file written with the English keys (before the Italian ones) reads the same. Keys that are data (the names under
`alias_comuni`, the input names under `dati`) are never translated.
"""

from __future__ import annotations

import functools

import yaml

from .files import package_file

PLAN_SCHEMA = package_file("schemas", "plan.schema.yaml")
ITALIAN = "x-italiano"


@functools.lru_cache(maxsize=1)
def plan_schema() -> dict:
    """schemas/plan.schema.yaml, with the inputs every plan must name taken from the catalogue (those not
    optional): a new optional input needs no change to the schema or to any plan."""
    from .. import catalogue

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser where PyYAML has it
    schema = yaml.load(PLAN_SCHEMA.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a SafeLoader
    schema["properties"]["inputs"]["required"] = list(catalogue.REQUIRED_INPUTS)
    return schema


def _object_branch(node: dict) -> dict:
    """The schema describing a mapping at `node` (an object, or the object branch of a oneOf/anyOf)."""
    if "properties" in node:
        return node
    for branch in node.get("oneOf", []) + node.get("anyOf", []):
        if isinstance(branch, dict) and "properties" in branch:
            return branch
    return {}


def _to_english(value, node: dict):
    if isinstance(value, list):
        items = node.get("items")
        return [_to_english(v, items) for v in value] if isinstance(items, dict) else value
    if not isinstance(value, dict):
        return value
    branch = _object_branch(node)
    properties = branch.get("properties", {})
    if not properties:
        pattern = next(iter(node.get("patternProperties", {}).values()), None)
        return {k: _to_english(v, pattern) for k, v in value.items()} if pattern else value
    names = {prop.get(ITALIAN, key): key for key, prop in properties.items()}  # italian -> english
    translated = {}
    for key, item in value.items():
        english = names.get(key, key)
        translated[english] = _to_english(item, properties.get(english, {}))
    return translated


def to_internal(plan: dict) -> dict:
    """A parsed plan file with its Italian keys as the code's English ones (English keys stay)."""
    return _to_english(plan, plan_schema())


def _path(path: str, to_english: bool) -> str:
    node, parts = plan_schema(), []
    for part in path.split("."):
        properties = _object_branch(node).get("properties", {})
        if to_english:
            match = next(((k, p) for k, p in properties.items() if p.get(ITALIAN, k) == part), None)
        else:
            match = (part, properties[part]) if part in properties else None
        if match is None:
            parts.append(part)
            node = {}
            continue
        key, prop = match
        parts.append(key if to_english else prop.get(ITALIAN, key))
        node = prop
    return ".".join(parts)


def internal_path(path: str) -> str:
    """`date.approvazione` -> `dates.approval` (a path already in English, or unknown, stays)."""
    return _path(path, True)


def italian_path(path: str) -> str:
    """`dates.approval` -> `date.approvazione`: how the plan file names a fact."""
    return _path(path, False)


def uses_italian_keys(plan: dict) -> bool:
    """Is the file written with the Italian keys (`anno`, not `year`)?"""
    return isinstance(plan, dict) and "year" not in plan and ("anno" in plan or "date" in plan)
