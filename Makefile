PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.runtime
STAMP := $(VENV)/.installed

.PHONY: run test bench fuzz setup system-deps test-system-deps schema clean

# `make run` installs what running needs (the package and its runtime dependencies); the test tools
# (pytest, hypothesis, Playwright with the system Chromium) come with `make test`.
run: $(RUNTIME)
	-@bash scripts/install-system-deps.sh
	$(BIN)/plantasks extract data/raw --out data/out

test: $(STAMP) test-system-deps
	$(BIN)/python -m pytest

bench: $(STAMP)
	-@bash scripts/install-system-deps.sh
	$(BIN)/python bench/run.py

fuzz: $(STAMP)
	PLANTASKS_FUZZ=1 $(BIN)/python -m pytest tests/test_fuzz_plans.py -q -s -p no:cacheprovider

setup: $(STAMP)

$(RUNTIME): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $(RUNTIME)

$(STAMP): $(RUNTIME)
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

# Tesseract, poppler, LibreOffice; fails (with what to ask an administrator) when it cannot install
system-deps:
	@bash scripts/install-system-deps.sh

test-system-deps:
	@bash scripts/install-system-deps.sh --test

schema: $(STAMP)
	for name in document task run catalogue; do $(BIN)/plantasks schema $$name > schemas/$$name.schema.json; done

clean:
	rm -rf $(VENV) data/out
