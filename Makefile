PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench fuzz setup system-deps schema clean

run: $(STAMP) system-deps
	$(BIN)/plantasks extract data/raw --out data/out

test: $(STAMP) system-deps
	$(BIN)/python -m pytest

bench: $(STAMP) system-deps
	$(BIN)/python bench/run.py

fuzz: $(STAMP)
	PLANTASKS_FUZZ=1 $(BIN)/python -m pytest tests/test_fuzz_plans.py -q -s -p no:cacheprovider

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

system-deps:
	@bash scripts/install-system-deps.sh

schema: $(STAMP)
	for name in document task run catalogue; do $(BIN)/plantasks schema $$name > schemas/$$name.schema.json; done

clean:
	rm -rf $(VENV) data/out
