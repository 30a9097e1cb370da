# Entry points. Every target sets up .venv first (idempotent).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
UV_VERSION := 0.9.5
# Quarto 1.10.18 for the tests (make quarto): where `make test` finds it; `make plan` uses the PATH as it is.
QUARTO_TOOL   ?= ../shared/tools/quarto
QUARTO_PREFIX ?= $(HOME)/.cache/quarto-1.10.18
TEST_QUARTO   := $(wildcard $(QUARTO_PREFIX)/bin/quarto)
TEST_PATH     := $(if $(TEST_QUARTO),$(QUARTO_PREFIX)/bin:)$(PATH)
# One worker per core: the suite's tests keep the cores busy (builds, renders); a spare worker, once worth
# it while tests waited on Snakemake's timers, now only adds contention (make test on 2 cores: 151-154 s
# with 2 workers, 160-161 s with 3). Files in the order tests/conftest.py gives (the long ones first).
# (`=`, not `:=`: the count is asked of Python only when a test target runs, not on every make piano.)
TEST_WORKERS  ?= $(shell $(PYTHON) -c 'import os; print(os.cpu_count() or 1)')
PYTEST         = $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder


.PHONY: setup piano plan controlla registra nuovo-piano converti-piano test test-completo test-fast lint archivia archive \
        verifica verify \
        confronta diff clean bench quarto

setup: $(STAMP)

# uv (from PyPI, pinned) installs the locked environment in seconds; where it cannot be had, pip does it.
# Both leave every module compiled (.pyc), and so does compileall for the project's own package: every step
# of a plan is a new Python process, and where Python may not write its cache (PYTHONDONTWRITEBYTECODE, a
# read-only install) each one would otherwise compile pandas, matplotlib and Snakemake again (seconds each).
$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@if $(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION) 2>/dev/null; then \
	  $(BIN)/uv pip install --quiet --python $(BIN)/python --compile-bytecode -r requirements.lock && \
	  $(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e . ; \
	else \
	  $(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock && \
	  $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e . ; \
	fi
	@$(BIN)/python -m compileall -q src
	@touch $(STAMP)

# make piano (make plan in the README): builds every plan config.yaml names. pianoabitativo/run.py takes the
# project's run lock (a second `make piano` waits for the first), reads the plans' facts, then runs Snakemake,
# with the console for people and the default profile (profiles/default): each plan's validate_inputs job
# checks its inputs in plain Italian; a plan whose data are refused is named with what it lacks, the others
# are built all the same (keep-going). Ctrl-C stops after the steps already started (twice: at once); the
# next run redoes what was left half done. Exit status: 1 if a plan was refused or a step failed.
# Commands not echoed: the console is for people (one line per step, then where the documents are).
piano: $(STAMP)
	@$(BIN)/python -m pianoabitativo.run config.yaml

plan: piano

# make controlla: the pre-flight alone (every plan's inputs checked, nothing built)
controlla: $(STAMP)
	@$(BIN)/python -m pianoabitativo.run --solo-controllo config.yaml

# make registra PIANO=cremasco_2020: records in the plan's register the checksum of every file in data/raw/<piano>/
registra: $(STAMP)
	@test -n "$(PIANO)" || { echo "uso: make registra PIANO=<piano>   (es. PIANO=cremasco_2020)"; exit 2; }
	@$(BIN)/python -m pianoabitativo.inputs.register "data/raw/$(PIANO)"

# make nuovo-piano DA=cremasco_2019 A=cremasco_2020: next year's plan (or another ambito's) from an existing one
nuovo-piano: $(STAMP)
	@test -n "$(DA)" -a -n "$(A)" || { echo "uso: make nuovo-piano DA=<piano di partenza> A=<nuovo piano>"; exit 2; }
	@$(BIN)/python -m pianoabitativo.newplan "$(DA)" "$(A)"

# The suite: unit tests, workflow runs in temporary copies, documents, archive (pytest-xdist); a test
# file's tests stay on one worker, in order (module fixtures); the builds many files read are made once
# per run (tests/conftest.py). make test: every test but the further cases marked `completo` (more broken
# inputs through Snakemake, a second kind of killed run, Quarto's second render, the Slurm cluster,
# README «Tests»); the Quarto of `make quarto`
# renders where the engine is the subject (tests/test_engines.py compares the reference plan from both
# engines, and the real-Quarto halves of test_render.py and test_drafts.py); every other build uses the
# embedded engine (PIANO_TEST_QUARTO, tests/inputs_support.py). make test-completo (what CI runs): every
# test, with that Quarto on PATH for every build, as on a machine where Quarto is installed. Without any
# Quarto, both skip the Quarto half and say why.
test: $(STAMP) lint
	PIANO_TEST_QUARTO="$(TEST_QUARTO)" $(PYTEST) -m "not completo"

test-completo: $(STAMP) lint
	PATH="$(TEST_PATH)" $(PYTEST)

# Quarto 1.10.18 for the tests, from ../shared/tools/quarto (npm and PyPI, about 15 s; again: a no-op).
quarto:
	@test -f "$(QUARTO_TOOL)/install.sh" || { echo "$(QUARTO_TOOL)/install.sh not found"; exit 2; }
	bash "$(QUARTO_TOOL)/install.sh" "$(QUARTO_PREFIX)"

# Edit-test loop: no workflow runs, no subprocess pipelines (under 20 s on 2 cores; make bench measures it).
test-fast: $(STAMP)
	$(PYTEST) -m "not e2e and not workflow" -q

# ruff (lint and format, settings in pyproject.toml) for the Python, snakefmt for the Snakefile and rules;
# .pre-commit-config.yaml runs the same before each commit (pre-commit install).
lint: $(STAMP)
	$(BIN)/ruff check src scripts tests bench
	$(BIN)/ruff format --check src scripts tests bench
	$(BIN)/snakefmt --check Snakefile rules/

# make archivia (make archive): archive/piano_<piano>.tar.gz for every approved plan, through the same run as
# make piano; a draft (something still to verify, docs/guida.md) is refused in one sentence naming what it
# lacks, and the approved plans are archived all the same (exit status 1 if a draft was refused).
archivia: $(STAMP)
	@$(BIN)/python -m pianoabitativo.run config.yaml archives

# make converti-piano PIANO=cremasco_2019: a plan file written with the English keys rewritten in Italian
converti-piano: $(STAMP)
	@test -n "$(PIANO)" || { echo "uso: make converti-piano PIANO=<piano>"; exit 2; }
	@$(BIN)/python -m pianoabitativo.planfile "$(PIANO)"

archive: archivia

# make verifica ARCHIVIO=archive/piano_cremasco_2019.tar.gz (make verify ARCHIVE=...)
verifica: $(STAMP)
	@test -n "$(ARCHIVIO)$(ARCHIVE)" || { echo "uso: make verifica ARCHIVIO=archive/piano_<piano>.tar.gz"; exit 2; }
	@$(BIN)/python -m pianoabitativo.archive verify "$(or $(ARCHIVIO),$(ARCHIVE))"

verify: verifica

# make confronta A=<archivio|ref git|piano|cartella> B=<...> (make diff): what changed in the processed tables
confronta: $(STAMP)
	@test -n "$(A)" -a -n "$(B)" || { echo "uso: make confronta A=<archivio|ref git|piano|cartella> B=<...>"; exit 2; }
	@$(BIN)/python -m pianoabitativo.archive diff "$(A)" "$(B)"

diff: confronta

# Benchmark on this machine (bench/run.py): one plan cold, no-op, prose and raw edits, 1/10/100 plans, floors;
# the first make plan on a fresh clone; make test and make test-fast there. Writes bench/results.csv and
# bench/jobs.csv (about 20 minutes on 2 cores). BENCH_ARGS="--plans 1,10" is shorter; BENCH_ARGS="--only
# start,tests" measures only the fresh clone and the tests (groups: workflow, start, tests).
bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf output data/interim data/processed report/gen .snakemake/log benchmarks
