# Entry points. `make plan` and `make test` both set up .venv first (idempotent).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
YEAR   ?= $(shell sed -n 's/^year: *//p' config.yaml)

.PHONY: setup plan test archive verify diff clean

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

plan: $(STAMP)
	$(BIN)/python -m pianoabitativo.validate config.yaml
	$(BIN)/snakemake --cores all

test: $(STAMP)
	$(BIN)/python -m pytest

archive: $(STAMP)
	$(BIN)/snakemake --cores all archive

# make verify ARCHIVE=archive/piano_2019.tar.gz
verify: $(STAMP)
	@test -n "$(ARCHIVE)" || { echo "uso: make verify ARCHIVE=archive/piano_<anno>.tar.gz"; exit 2; }
	$(BIN)/python -m pianoabitativo.cli_archive verify "$(ARCHIVE)"

# make diff A=<archive|git ref|year|folder> B=<...>
diff: $(STAMP)
	@test -n "$(A)" -a -n "$(B)" || { echo "uso: make diff A=<archivio|ref git|anno> B=<...>"; exit 2; }
	$(BIN)/python -m pianoabitativo.cli_archive diff "$(A)" "$(B)" --year $(YEAR)

clean:
	rm -rf output data/interim data/processed report/gen .snakemake/log
