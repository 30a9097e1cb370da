# Entry points. Every target sets up .venv first (idempotent).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Quarto 1.10.18 for the tests (make quarto): where `make test` finds it; `make plan` uses the PATH as it is.
QUARTO_TOOL   ?= ../shared/tools/quarto
QUARTO_PREFIX ?= $(HOME)/.cache/quarto-1.10.18
TEST_PATH     := $(if $(wildcard $(QUARTO_PREFIX)/bin/quarto),$(QUARTO_PREFIX)/bin:)$(PATH)


.PHONY: setup plan nuovo-piano test test-fast lint archive verify diff clean bench quarto

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

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

# Full suite: unit tests, workflow runs in temporary copies, documents, archive. With the Quarto of
# `make quarto` on PATH, so that the Quarto half of the tests runs (without any Quarto it is skipped).
test: $(STAMP) lint
	PATH="$(TEST_PATH)" $(BIN)/python -m pytest

# Quarto 1.10.18 for the tests, from ../shared/tools/quarto (npm and PyPI, about 15 s; again: a no-op).
quarto:
	@test -f "$(QUARTO_TOOL)/install.sh" || { echo "$(QUARTO_TOOL)/install.sh not found"; exit 2; }
	bash "$(QUARTO_TOOL)/install.sh" "$(QUARTO_PREFIX)"

# Edit-test loop: no workflow runs, no subprocess pipelines (under 30 s).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not e2e and not workflow" -q

lint: $(STAMP)
	$(BIN)/snakefmt --check Snakefile rules/

archive: $(STAMP)
	$(BIN)/snakemake --cores all archives

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
