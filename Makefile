# Entry points. Every target sets up .venv first (idempotent).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
UV_VERSION := 0.9.5


.PHONY: setup plan nuovo-piano converti-piano test test-fast lint archive verify diff clean bench

setup: $(STAMP)

# uv (from PyPI, pinned) installs the locked environment in seconds; where it cannot be had, pip does it.
$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@if $(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION) 2>/dev/null; then \
	  $(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock && \
	  $(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e . ; \
	else \
	  $(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock && \
	  $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e . ; \
	fi
	@touch $(STAMP)

# The pre-flight runs the inputs stage itself (plain Italian messages); Snakemake then finds it done.
# A plan whose data are refused (next year's, not filled in yet) is named with what it lacks, and the
# others are built all the same (the pre-flight lists them in build/piani_pronti.yaml); the exit status
# is the pre-flight's, or Snakemake's if it failed.
# Commands not echoed: the console is for people (one line per step, then where the documents are).
# The default profile named as a profile, not found as the workflow's: the same settings, and Snakemake's
# line announcing it fits in 80 columns.
plan: $(STAMP)
	@$(BIN)/python -m pianoabitativo.inputs.preflight config.yaml --pronti build/piani_pronti.yaml; status=$$?; \
	if [ -s build/piani_pronti.yaml ]; then \
	  $(BIN)/snakemake --cores all --profile profiles/default --workflow-profile none \
	    --configfile build/piani_pronti.yaml || exit $$?; \
	fi; exit $$status

# make nuovo-piano DA=cremasco_2019 A=cremasco_2020: next year's plan (or another ambito's) from an existing one
nuovo-piano: $(STAMP)
	@test -n "$(DA)" -a -n "$(A)" || { echo "uso: make nuovo-piano DA=<piano di partenza> A=<nuovo piano>"; exit 2; }
	@$(BIN)/python -m pianoabitativo.newplan "$(DA)" "$(A)"

# Full suite: unit tests, workflow runs in temporary copies, documents, archive.
test: $(STAMP) lint
	$(BIN)/python -m pytest

# Edit-test loop: no workflow runs, no subprocess pipelines (under 30 s).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not e2e and not workflow" -q

lint: $(STAMP)
	$(BIN)/snakefmt --check Snakefile rules/

# Only approved plans are archived: a draft (something still to verify, docs/guida.md) is named with what
# it lacks, in one sentence, and the approved plans are archived all the same; exit status 1 if a draft
# was refused.
archive: $(STAMP)
	@$(BIN)/python -m pianoabitativo.archive.drafts config.yaml --approvati build/piani_approvati.yaml; status=$$?; \
	if [ -s build/piani_approvati.yaml ]; then \
	  $(BIN)/snakemake archives --cores all --profile profiles/default --workflow-profile none \
	    --configfile build/piani_approvati.yaml || exit $$?; \
	fi; exit $$status

# make converti-piano PIANO=cremasco_2019: a plan file written with the English keys rewritten in Italian
converti-piano: $(STAMP)
	@test -n "$(PIANO)" || { echo "uso: make converti-piano PIANO=<piano>"; exit 2; }
	@$(BIN)/python -m pianoabitativo.planfile "$(PIANO)"

# make verify ARCHIVE=archive/piano_cremasco_2019.tar.gz
verify: $(STAMP)
	@test -n "$(ARCHIVE)" || { echo "uso: make verify ARCHIVE=archive/piano_<piano>.tar.gz"; exit 2; }
	$(BIN)/python -m pianoabitativo.archive verify "$(ARCHIVE)"

# make diff A=<archive|git ref|plan|folder> B=<...>
diff: $(STAMP)
	@test -n "$(A)" -a -n "$(B)" || { echo "uso: make diff A=<archivio|ref git|piano> B=<...>"; exit 2; }
	$(BIN)/python -m pianoabitativo.archive diff "$(A)" "$(B)"

# Benchmark on this machine (bench/run.py): one plan cold, no-op, prose and raw edits, 1/10/100 plans, floors;
# writes bench/results.csv and bench/jobs.csv (about 15 minutes on 2 cores). BENCH_ARGS="--plans 1,10" is shorter.
bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf output data/interim data/processed report/gen .snakemake/log benchmarks
