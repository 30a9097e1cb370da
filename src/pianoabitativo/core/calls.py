"""The catalogue's calls resolved: a function of the package called with the values a stage names.

A stage's script builds a `Resolver` from what it has (`sources`: a reader per kind of name, such as
"input" for "input.unita"; `given`: values by name) and the calls of what it may compute (the processed
tables' or fragments' own calls, catalogue.TABLE_VALUES, catalogue.FRAGMENT_VALUES). `resolver[name]`
computes a value on first use, once, resolving the names its call takes the same way; a name nobody gives is
a fault of the catalogue, reported in English with the call that asked for it.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Mapping

from ..catalogue import Call

PACKAGE = "pianoabitativo"


@functools.cache
def function(reference: str) -> Callable:
    """The function a call names: "tables.build:stock_table" is pianoabitativo.tables.build.stock_table."""
    module, _, name = reference.partition(":")
    return getattr(importlib.import_module(f"{PACKAGE}.{module}"), name)


class Resolver:
    def __init__(
        self,
        calls: Mapping[str, Call],
        sources: Mapping[str, Callable[[str], object]] | None = None,
        given: Mapping[str, object] | None = None,
    ):
        self.calls = dict(calls)
        self.sources = dict(sources or {})
        self.values: dict[str, object] = dict(given or {})
        self._asking: list[str] = []

    def give(self, **values) -> None:
        """Values the stage has worked out since (before any call takes them)."""
        self.values.update(values)

    def __getitem__(self, name: str):
        if name not in self.values:
            self.values[name] = self._compute(name)
        return self.values[name]

    def _compute(self, name: str):
        if name in self.calls:
            if name in self._asking:
                raise LookupError(f"catalogue: «{name}» needs itself ({' -> '.join([*self._asking, name])})")
            self._asking.append(name)
            try:
                return self.invoke(self.calls[name])
            finally:
                self._asking.pop()
        kind, dot, rest = name.partition(".")
        if dot and kind in self.sources:
            return self.sources[kind](rest)
        asked = f" (asked by «{self._asking[-1]}»)" if self._asking else ""
        raise LookupError(f"catalogue: no value named «{name}» in this stage{asked}")

    def invoke(self, spec: Call):
        """The call's function with its values and constants."""
        args = [self[name] for name in spec.args]
        kwargs = {key: self[name] for key, name in spec.kwargs}
        return function(spec.function)(*args, **kwargs, **dict(spec.constants))


def fact(facts: dict, path: str):
    """A plan's fact by its dotted path ("ambito.short_name"); KeyError if the plan has no such key."""
    value = facts
    for part in path.split("."):
        value = value[part]
    return value
