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

# The demo: synthetic Jambi data files, then the web app with the demo editions loaded
# (users and passwords printed once, on the first load) at http://127.0.0.1:8000/
demo: $(STAMP)
	$(BIN)/rawan demo build --out $(DEMO) --regions $(SHARED)
	$(BIN)/rawan web load-demo
	$(BIN)/rawan serve

# Web tests run again on PostgreSQL when RAWAN_TEST_POSTGRES_URL is set (.ci/run sets it).
test: $(STAMP)
	$(BIN)/python -m pytest
	@if [ -n "$$RAWAN_TEST_POSTGRES_URL" ]; then \
	  echo "web tests on PostgreSQL"; \
	  DATABASE_URL="$$RAWAN_TEST_POSTGRES_URL" $(BIN)/python -m pytest tests/web; \
	fi

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_engine.py

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache
