# rawan — two commands: `make demo` and `make test`. Each sets up what it needs.
# While working: `make quick` (every in-process test, under 2 minutes on 2 cores).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO   := demo-output

.PHONY: demo test quick core bench clean package-data panduan

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[all,test]"
	touch $(STAMP)

# The demo: `rawan demo` does it all (no make needed, the same on Windows): the synthetic Jambi data
# files and results, the kab/kota report and infographic in $(DEMO), the web demo loaded (users and
# passwords printed once, on the first load), then the server (and the task worker) at
# http://127.0.0.1:8000/ until Ctrl+C.  `rawan demo --no-serve` stops after loading.
demo: $(STAMP)
	$(BIN)/rawan demo --out $(DEMO)

# The user guide's screenshots (src/rawan/web/static/rawan/panduan/, package data), retaken with
# Debian's chromium from a freshly loaded demo in a scratch folder; commit them with the template
# change that altered a page.  Fails when a page lost an element the guide names (data-panduan).
panduan: $(STAMP)
	$(BIN)/python -m rawan.web.panduan.screenshots

# Every in-process test: the tests marked `slow` (browser, PostgreSQL, other processes, installs
# into fresh virtualenvs) are left out. For the edit-test loop.
# In 2 pytest-xdist processes (each its own data folder, ports and test database; a file's tests
# stay together): 1 min 20 s instead of 2 min 20 s on an idle 2-core machine, no gain on a busy one
# (docs/development.md); `make quick JOBS=1` runs them in one process. Property tests draw a quarter
# of their fixed examples here (hypothesis profile "quick", tests/conftest.py); make test and CI
# draw them all.
JOBS ?= 2
quick: $(STAMP)
	RAWAN_HYPOTHESIS=$${RAWAN_HYPOTHESIS:-quick} $(BIN)/python -m pytest -m "not slow" \
	  $(if $(filter-out 0 1,$(JOBS)),-n $(JOBS) --dist loadfile)

# The light core alone (`pip install rawan`, no extras) in a fresh virtualenv, with the tests of
# what it holds: the engine, intake and the region list.
CORE_VENV := .venv-core
CORE_TESTS := tests/test_pipeline.py tests/test_methods.py tests/test_spec.py tests/test_properties.py \
  tests/test_sensitivity.py tests/test_sensitivity_saltelli.py tests/test_audit.py tests/test_coinr_peer.py \
  tests/test_coinr_ua.py tests/test_regions.py tests/test_intake.py tests/test_intake_events.py \
  tests/test_intake_xlsx.py tests/test_intake_severity.py
core:
	rm -rf $(CORE_VENV)
	$(PYTHON) -m venv $(CORE_VENV)
	$(CORE_VENV)/bin/python -m pip install --quiet . pytest hypothesis
	$(CORE_VENV)/bin/python -m pytest -p no:cacheprovider $(CORE_TESTS)

# Everything, the slow tier included. Web tests run again on PostgreSQL when
# RAWAN_TEST_POSTGRES_URL is set (.ci/run sets it). The first pass in JOBS (2) pytest-xdist
# processes: 5.5 minutes instead of about 10 on an idle 2-core machine; `make test JOBS=1` for one.
test: $(STAMP)
	$(BIN)/python -m pytest $(if $(filter-out 0 1,$(JOBS)),-n $(JOBS) --dist loadfile)
	@if [ -n "$$RAWAN_TEST_POSTGRES_URL" ]; then \
	  echo "web tests on PostgreSQL"; \
	  DATABASE_URL="$$RAWAN_TEST_POSTGRES_URL" $(BIN)/python -m pytest tests/web; \
	fi

# Every benchmark, each against its baseline in the same run (15-20 minutes on a quiet 2-core
# machine, most of it the baselines). One at a time: .venv/bin/python benchmarks/bench_maps.py
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_engine.py
	$(BIN)/python benchmarks/bench_reference.py
	$(BIN)/python benchmarks/bench_maps.py
	$(BIN)/python benchmarks/bench_intake.py
	$(BIN)/python benchmarks/bench_sensitivity.py
	$(BIN)/python benchmarks/bench_reports.py
	$(BIN)/python benchmarks/bench_web.py
	$(BIN)/python benchmarks/bench_tps.py

clean:
	rm -rf $(VENV) $(CORE_VENV) $(DEMO) .pytest_cache build

# Developers only: rebuild the region data shipped in src/rawan/data from a folder of source files
# (the workspace's shared/data; its SOURCES.md says where each file came from).
package-data: $(STAMP)
	$(BIN)/python -m rawan.regions.package_data $(or $(SOURCE),../shared/data)
