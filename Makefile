# rawan — two commands: `make demo` and `make test`. Each sets up what it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SHARED ?= ../shared/data
DEMO   := demo-output

.PHONY: demo test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# The web app (issue 5) will serve this; until then the demo is built, computed and explained.
demo: $(STAMP)
	$(BIN)/rawan demo build --out $(DEMO) --regions $(SHARED)
	$(BIN)/rawan explain --model ikp-2024 --data $(DEMO)/jambi-kabkota.csv --region 15.03

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_engine.py

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache
