# rawan — two commands: `make demo` and `make test`. Each sets up what it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO   := demo-output

.PHONY: demo test bench clean package-data

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# The demo: synthetic Jambi data files, then the web app with the demo editions loaded
# (users and passwords printed once, on the first load) at http://127.0.0.1:8000/
# The report and infographic of the kab/kota demo are written to $(DEMO) beside its data.
# Region list and boundaries: the ones shipped in src/rawan/data (no ../shared needed).
demo: $(STAMP)
	$(BIN)/rawan demo build --out $(DEMO)
	$(BIN)/rawan report --model ikp-2024 --data $(DEMO)/jambi-kabkota.csv --out $(DEMO)/laporan-kabkota.pdf
	$(BIN)/rawan infographic --model ikp-2024 --data $(DEMO)/jambi-kabkota.csv --out $(DEMO)/infografik-kabkota.png
	$(BIN)/rawan web load-demo
	$(BIN)/rawan serve

# Web tests run again on PostgreSQL when RAWAN_TEST_POSTGRES_URL is set (.ci/run sets it).
test: $(STAMP)
	$(BIN)/python -m pytest
	@if [ -n "$$RAWAN_TEST_POSTGRES_URL" ]; then \
	  echo "web tests on PostgreSQL"; \
	  DATABASE_URL="$$RAWAN_TEST_POSTGRES_URL" $(BIN)/python -m pytest tests/web; \
	fi

# Every benchmark, each against its baseline in the same run (15-20 minutes on a quiet 2-core
# machine, most of it the baselines). One at a time: .venv/bin/python benchmarks/bench_maps.py
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_engine.py
	$(BIN)/python benchmarks/bench_maps.py
	$(BIN)/python benchmarks/bench_intake.py
	$(BIN)/python benchmarks/bench_sensitivity.py
	$(BIN)/python benchmarks/bench_reports.py
	$(BIN)/python benchmarks/bench_web.py

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache

# Developers only: rebuild the region data shipped in src/rawan/data from a folder of source files
# (the workspace's shared/data; its SOURCES.md says where each file came from).
package-data: $(STAMP)
	$(BIN)/python -m rawan.regions.package_data $(or $(SOURCE),../shared/data)
