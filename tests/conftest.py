"""Shared fixtures: the real 2019 inputs, loaded once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pianoabitativo.core.config import load_plan

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def config() -> dict:
    """The facts of the reference plan (plans/cremasco_2019.yaml), validated."""
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return load_plan("cremasco_2019")
    finally:
        os.chdir(cwd)


@pytest.fixture(scope="session")
def inputs_2019(config):
    """Validated 2019 inputs and the results of every cross-check."""
    from pianoabitativo.inputs.stage import checked_inputs

    cwd = os.getcwd()
    os.chdir(ROOT)  # the register and raw paths are relative to the project root, as in the workflow
    try:
        return checked_inputs(config, Path("data/raw/cremasco_2019"))
    finally:
        os.chdir(cwd)
